from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied


def role_required(*roles: str) -> Callable:
    """Allow a view only to logged-in users with one of these roles (403 for other roles)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles or not request.user.is_active:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


# Roles that see every municipality's data or decide: a second factor from an authenticator app.
AUTHENTICATOR_ROLES = ("staff", "expert", "province")


def needs_authenticator(user) -> bool:
    """Staff, experts and province users (and Django admins) verify with an authenticator app."""
    return user.role in AUTHENTICATOR_ROLES or user.is_staff or user.is_superuser


def may_use_email_code(user) -> bool:
    """Municipality users may verify with a one-time code sent by email."""
    return not needs_authenticator(user)


def second_factor_required(user) -> bool:
    """With OTP_REQUIRED on (production), every logged-in user verifies a second factor."""
    return settings.OTP_REQUIRED and user.is_authenticated


def otp_exempt(view: Callable) -> Callable:
    """Reachable after the password, before the second factor (verify, enrol, log out)."""
    view.otp_exempt = True
    return view
