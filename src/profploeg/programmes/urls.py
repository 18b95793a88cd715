from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("switch/", views.programme_switch, name="switch"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/rounds/add/", views.round_add, name="round_add"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/sessions/add/", views.session_add, name="session_add"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<slug:slug>/edit/", views.theme_edit, name="theme_edit"),
]
