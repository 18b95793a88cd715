from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("province/", views.province, name="province"),
    path("programmes/<int:programme_id>/apply/", views.apply, name="apply"),
    path("programmes/<int:programme_id>/record/", views.record_paper, name="record"),
    path("rounds/<int:round_id>/", views.round_applications, name="round"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/referral/", views.referral, name="referral"),
]
