"""Login throttling (django-axes) as an authentication backend."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse a login for a username and address that failed too often (django-axes).

    Only web logins are throttled: authenticate() without a request comes from our own process
    (the test client, the shell), where there is no one to throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


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
