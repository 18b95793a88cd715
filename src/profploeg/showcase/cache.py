"""The public pages of De Vitrine are cached whole, per address and language.

The cache key holds a version: the newest audit event of any case. Every service that changes a
case records an event, so a publication, a withdrawal or an edit gives new keys at once, in every
process (the version is read from the database, one indexed query; the cache itself may be
local to each process). Figures that change without a case event (applications, person-days)
follow within TIMEOUT."""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils.translation import get_language

from .models import CaseEvent

TIMEOUT = 300
PREFIX = "vitrine"


def version() -> str:
    """The newest event and the number of events: a deleted case changes it too."""
    latest = CaseEvent.objects.aggregate(newest=Max("pk"), count=Count("pk"))
    return f"{latest['newest'] or 0}.{latest['count']}"


def page_key(path: str, language: str, current: str) -> str:
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return f"{PREFIX}:{current}:{language}:{digest}"


def cached_page(view: Callable) -> Callable:
    """Serve a public GET from the cache when nothing changed since it was rendered."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # The cached page is the visitor's page: the team's pages carry their own links.
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = page_key(request.get_full_path(), get_language(), version())
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, dict(response.headers)), TIMEOUT)
        return response

    return wrapped
