from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("verify/", views.verify, name="verify"),
    path("verify/send-code/", views.send_code, name="send_code"),
    path("two-factor/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("profile/", views.profile, name="profile"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/reinvite/", views.user_reinvite, name="user_reinvite"),
    path("invitation/<str:secret>/", views.accept_invitation, name="accept_invitation"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
