from collections.abc import Callable
from functools import wraps

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
