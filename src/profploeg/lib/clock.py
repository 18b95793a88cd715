"""The moment a service records as "now": the real clock, or the moment of a past event that
an import replays.

Services that stamp a row with the current time (a case's publication, an offer amendment's
recording, an indicator) read it here. The history import replays each event at its own moment
with `replaying(moment)`. The override lives in a context variable, so it holds for the import's
own thread only: other requests served by the same process keep the real clock (a process-wide
patch such as time-machine would move their clock too)."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_replayed: ContextVar[datetime.datetime | None] = ContextVar("replayed_moment", default=None)


def now() -> datetime.datetime:
    return _replayed.get() or timezone.now()


def localdate() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def replaying(moment: datetime.datetime | None) -> Iterator[None]:
    """Within the block, now() is `moment` (None: the real clock)."""
    token = _replayed.set(moment)
    try:
        yield
    finally:
        _replayed.reset(token)
