from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("programmes/<int:pk>/", views.programme_evaluation, name="programme"),
    path("programmes/<int:pk>/questionnaires/", views.questionnaires, name="questionnaires"),
    path("programmes/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("trajectories/<int:pk>/", views.trajectory_evaluation, name="trajectory"),
    path("trajectories/<int:pk>/send/", views.invitation_send, name="invitation_send"),
    path("indicators/<int:pk>/remove/", views.indicator_remove, name="indicator_remove"),
    path("invitations/<int:pk>/renew/", views.invitation_renew, name="invitation_renew"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
