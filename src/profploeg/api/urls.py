from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from . import views
from .api import api

app_name = "api"

ninja_patterns, _app_name, _namespace = api.urls
# The API answers 401 in JSON itself; LoginRequiredMiddleware must not redirect a token request
# (which has no session) to the login page.
for pattern in ninja_patterns:
    pattern.callback.login_required = False

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    *ninja_patterns,
    # Anything else under /api/ is a JSON 404 too, not the HTML page.
    re_path(r"^.*$", login_not_required(views.not_found), name="not_found"),
]
