"""Who is calling: a personal token (`Authorization: Bearer pp_...`) or the browser's session.

Either way the API acts as that user, with that user's role and municipality or province."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from profploeg.accounts.models import User

from . import services


def require_role(user: User) -> User:
    if not user.is_active or user.role not in User.Role.values:
        raise PermissionDenied(_("Your account has no role in Profploeg."))
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = services.use_token(plaintext=token.strip())
        if api_token is None:
            return None
        request.api_token = api_token
        # Reads go through `visible_to(request.user)` as in the pages.
        request.user = api_token.user
        return require_role(api_token.user)


class SessionAuth(APIKeyCookie):
    """Django's session, for the browser and the docs page; changes need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session this is simply not our scheme: answer 401, not a CSRF 403.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request):
            raise PermissionDenied(
                _("The CSRF token is missing or wrong: send the X-CSRFToken header.")
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if key is None or not request.user.is_authenticated:
            return None
        return require_role(request.user)
