from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from profploeg.accounts.models import User


def require_roles(user: User, *roles: str) -> None:
    """Refuse (403) a user whose role may not use this endpoint at all."""
    if user.role not in roles:
        raise PermissionDenied(_("Your role cannot use this."))
