from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import views
from .api import api

app_name = "api"


def json_errors_only(view):
    """Ninja answers an unsupported method with a plain-text 405; ours is JSON like every error.

    The API answers 401 in JSON itself: LoginRequiredMiddleware must not redirect a token request
    (which has no session) to the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            return views.method_not_allowed(request, allowed=response["Allow"])
        return response

    wrapped.login_required = False
    return wrapped


ninja_patterns, _app_name, _namespace = api.urls
for pattern in ninja_patterns:
    pattern.callback = json_errors_only(pattern.callback)

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    *ninja_patterns,
    # Anything else under /api/ is a JSON 404 too, not the HTML page.
    re_path(r"^.*$", csrf_exempt(login_not_required(views.not_found)), name="not_found"),
]
