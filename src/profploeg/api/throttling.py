"""Rate limiting per token (or per logged-in user): a fixed window counted in Django's cache.

Each process has its own LocMem cache in development and tests; production configures a shared
cache (Redis or the database cache) so that every worker counts against the same window."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "Parse "120/minute" into (120, 60)."""
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS[period.strip().rstrip("s")]


class FixedWindowThrottle(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        user = getattr(request, "auth", None)
        if token is not None:
            who = f"token:{token.pk}"
        elif user is not None:
            who = f"user:{user.pk}"
        else:
            return True
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        now = time.time()
        window = int(now // period)
        key = f"api-rate:{who}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            # The window expired between add and incr: this request opens the next one.
            cache.set(key, 1, timeout=period + 1)
            count = 1
        if count > limit:
            request.rate_limit_retry_after = (window + 1) * period - now
            return False
        return True

    def wait(self) -> float | None:
        # One throttle object serves all threads: the wait is kept on the request instead, and
        # the 429 handler turns it into Retry-After.
        return None
