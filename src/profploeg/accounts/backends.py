"""Login throttling (django-axes) as an authentication backend."""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse a login for a username and address that failed too often (django-axes).

    Only web logins are throttled: authenticate() without a request comes from our own process
    (the test client, the shell), where there is no one to throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class AddressLimitHandler(AxesDatabaseHandler):
    """axes' database handler, which counts failures per username and address, plus a limit on
    an address's failures over every username (LOGIN_ADDRESS_FAILURE_LIMIT, within the same
    cool-off): one address trying many usernames is locked out too.

    axes 8 compares every lockout parameter with one AXES_FAILURE_LIMIT; its maintainers point
    to a handler of one's own for a second limit (jazzband/django-axes#661). A good login still
    forgives only that username's failures from the address, not those of other usernames."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return failures
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # Reported as the per-username limit reached: axes then locks out as it does for it.
            return max(failures, get_failure_limit(request, credentials))
        return failures


def client_ip(request) -> str | None:
    """The caller's address: behind the reverse proxy, the header it sets (CLIENT_IP_HEADER).

    A value that is no IP address (a forged or mangled header) is ignored for the connection's
    own address, so that it can neither break the login nor dodge the lockout."""
    for value in (request.META.get(settings.CLIENT_IP_HEADER), request.META.get("REMOTE_ADDR")):
        try:
            return str(ipaddress.ip_address((value or "").strip()))
        except ValueError:
            continue
    return None
