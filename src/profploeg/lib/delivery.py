"""Sending a stored notification at least once, and in practice once.

A row (a message, an intake notice) is claimed before it is sent and marked sent only after the
mail server accepted it. A worker that dies in between leaves a claim that expires after
CLAIM_TTL; `retry_messages` then enqueues it again. So a notification is never lost; in the rare
case of a crash after the mail server accepted it, it goes out a second time with the same
Message-ID, by which mail programs recognise the duplicate."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

CLAIM_TTL = datetime.timedelta(minutes=10)


def claimable(now: datetime.datetime | None = None) -> Q:
    """Unsent rows that no live worker holds."""
    now = now or timezone.now()
    return Q(sent_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TTL)
    )


def message_id(kind: str, pk: int) -> str:
    """The same Message-ID on every attempt for one row."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "profploeg.invalid"
    return f"<profploeg-{kind}-{pk}@{domain}>"


def deliver(model, pk: int, send: Callable[[object], None]) -> bool:
    """Claim the row, send it, mark it sent; False when it was sent or is held elsewhere."""
    now = timezone.now()
    if not model.objects.filter(claimable(now), pk=pk).update(claimed_at=now):
        return False
    row = model.objects.get(pk=pk)
    try:
        send(row)
    except Exception:
        # Release the claim at once, so that a retry need not wait for it to expire.
        model.objects.filter(pk=pk, claimed_at=now).update(claimed_at=None)
        raise
    model.objects.filter(pk=pk).update(sent_at=timezone.now())
    return True
