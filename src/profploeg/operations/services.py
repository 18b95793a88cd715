"""Keeping the application running: notifications that did not go out are tried again, and
uploads never confirmed are removed."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from profploeg.applications.models import Message
from profploeg.applications.tasks import send_message
from profploeg.lib import uploads
from profploeg.lib.delivery import claimable
from profploeg.trajectories.models import IntakeNotice
from profploeg.trajectories.tasks import send_intake_notice


def retry_unsent_notifications(
    *, older_than: datetime.timedelta, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Enqueue again every message and intake notice still unsent after `older_than`.

    A send that failed released its claim; a task lost with a stopped worker never claimed it,
    or left a claim that has expired (lib/delivery.py): both are enqueued again. A live claim is
    left alone, so two retries never send one message twice at the same time."""
    now = now or timezone.now()
    cutoff = now - older_than
    messages = list(
        Message.objects.filter(claimable(now), created_at__lte=cutoff).values_list("pk", flat=True)
    )
    notices = list(
        IntakeNotice.objects.filter(claimable(now), created_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in messages:
        send_message.enqueue(message_id=pk)
    for pk in notices:
        send_intake_notice.enqueue(notice_id=pk)
    return {"messages": len(messages), "intake_notices": len(notices)}


def remove_unconfirmed_uploads(
    *, older_than: datetime.timedelta, now: datetime.datetime | None = None
) -> list[str]:
    """Delete the import uploads previewed but never confirmed more than `older_than` ago: they
    hold personal data that nobody imported. The paths deleted."""
    if older_than < datetime.timedelta(hours=1):
        raise ValidationError(
            _("Keep unconfirmed uploads at least an hour: someone may be reading the preview.")
        )
    now = now or timezone.now()
    return uploads.remove_uploads_older_than(now - older_than)
