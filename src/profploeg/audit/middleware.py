from auditlog.middleware import AuditlogMiddleware
from django.utils.functional import SimpleLazyObject

from profploeg.accounts.backends import client_ip


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, with the actor read when an entry is written (an API token
    sets request.user after the middleware ran) and the address the reverse proxy vouches for."""

    @staticmethod
    def _get_actor(request):
        return SimpleLazyObject(
            lambda: (
                request.user
                if getattr(request, "user", None) and request.user.is_authenticated
                else None
            )
        )

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)
