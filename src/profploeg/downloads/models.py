"""A download made in the background: a large report or workbook takes longer than a request may.

The requester sees its progress and, when it is ready, fetches the file through a view that
checks who asks; the file lives under MEDIA_ROOT (never a public URL) until it expires."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profploeg.lib.delivery import CLAIM_TTL

# How long a finished file (or a failure's message) is kept: the files hold the programme's
# data, some of it personal (the history's contacts), so not longer than the day's work needs.
KEEP_FOR = datetime.timedelta(hours=24)
# A download whose worker died is taken up again this often before it counts as failed (a file
# that kills the worker every time must not keep the queue busy for ever).
MAX_ATTEMPTS = 3


def file_path(download: "Download", filename: str) -> str:
    """A generated name in a folder of the downloads' own: nothing of the user's choosing."""
    suffix = filename.rpartition(".")[2].lower() if "." in filename else "bin"
    return f"downloads/{uuid.uuid4().hex}.{suffix}"


class DownloadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DownloadQuerySet":
        """Only the user who asked for a download sees it, only while their role may make that
        kind (a municipality never sees another's, nor staff one another's), and only until it
        expires (`prune_downloads` removes the file later)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        kinds = [kind for kind, roles in Download.ROLES.items() if user.role in roles]
        return self.filter(requested_by=user, kind__in=kinds, expires_at__gt=timezone.now())

    def unfinished(self) -> "DownloadQuerySet":
        return self.filter(status__in=(Download.Status.QUEUED, Download.Status.RUNNING))

    def claimable(self, now: datetime.datetime) -> "DownloadQuerySet":
        """Waiting for a worker, or running on a worker that stopped telling its progress (it
        died): the claim expires as a notification's does (lib/delivery.py)."""
        return self.filter(
            Q(status=Download.Status.QUEUED)
            | Q(status=Download.Status.RUNNING, heartbeat_at__lt=now - CLAIM_TTL),
            attempts__lt=MAX_ATTEMPTS,
        )

    def stale(self, now: datetime.datetime) -> "DownloadQuerySet":
        """Unfinished and forgotten: queued for longer than a claim lives (its task was lost),
        or running without a sign of life for that long (its worker died)."""
        return self.filter(
            Q(status=Download.Status.QUEUED, created_at__lt=now - CLAIM_TTL)
            | Q(status=Download.Status.RUNNING, heartbeat_at__lt=now - CLAIM_TTL)
        )

    def expired(self, now: datetime.datetime) -> "DownloadQuerySet":
        return self.filter(expires_at__lte=now)


class Download(models.Model):
    class Kind(models.TextChoices):
        STATUS_REPORT = "status_report", _("Status report")
        HISTORY = "history", _("History workbook")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("In preparation")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    # Who may ask for each kind: the roles of the page that offers it.
    ROLES = {
        Kind.STATUS_REPORT: ("staff", "expert"),
        Kind.HISTORY: ("staff",),
    }

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="downloads"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What to make, as the kind's parameters validated them (see kinds.py).
    params = models.JSONField(default=dict)
    # What the requester reads in the list, in their language at the time.
    title = models.CharField(max_length=300)
    # The requester's language: the file is made in it, as a direct download would be.
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # An untranslated message id (lib/progress.py), translated where it is shown.
    step = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # The worker's last sign of life: each step of progress renews its claim.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=file_path, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    expires_at = models.DateTimeField()

    objects = DownloadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="download_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="download_done_has_a_file"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
