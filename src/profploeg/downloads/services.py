"""Downloads made in the background: asked for on a page, the API or a script, made by the task
worker with its progress told, fetched when ready, removed when expired."""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import kinds
from .models import KEEP_FOR, MAX_ATTEMPTS, Download

logger = logging.getLogger(__name__)

# Downloads one user may have waiting or in preparation at once: a worker makes them one by
# one, and nobody should fill its queue.
MAX_UNFINISHED = 5
WAITING = gettext_noop("Waiting for the worker")
READY = gettext_noop("Ready")


class Superseded(Exception):
    """Another worker took this download over (ours was thought dead): stop quietly."""


@transaction.atomic
def request_download(*, user, kind: str, params: dict) -> Download:
    """Queue a download of `kind` for `user`: checked now, made by the task worker after the
    commit; only roles of the page that offers the kind may ask, five at a time at most."""
    spec = kinds.kind_of(kind)
    if not user.is_active or user.role not in Download.ROLES[kind]:
        raise PermissionDenied(_("Your role cannot make this download."))
    cleaned = kinds.clean(spec, params)
    programme = kinds.programme_of(cleaned)
    if Download.objects.filter(requested_by=user).unfinished().count() >= MAX_UNFINISHED:
        raise ValidationError(
            _("You have %(count)s downloads in preparation: wait until one is ready.")
            % {"count": MAX_UNFINISHED},
            code="too_many",
        )
    now = timezone.now()
    download = Download.objects.create(
        requested_by=user,
        kind=kind,
        params=cleaned.model_dump(mode="json"),
        title=spec.title(cleaned, programme)[:300],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        step=WAITING,
        created_at=now,
        expires_at=now + KEEP_FOR,
    )
    enqueue(download.pk)
    return download


def enqueue(pk: int) -> None:
    from .tasks import make_download

    transaction.on_commit(lambda: make_download.enqueue(download_id=pk))


def run_download(pk: int) -> bool:
    """Make the file of a download that waits, or whose worker died, telling progress as it
    goes; False when another worker holds it, it is finished, or it failed."""
    now = timezone.now()
    claimed = (
        Download.objects.claimable(now)
        .filter(pk=pk)
        .update(
            status=Download.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=0,
            step=WAITING,
        )
    )
    if not claimed:
        return False
    download = Download.objects.get(pk=pk)
    # Every write below names this attempt: a worker thought dead that wakes up finds its claim
    # taken over and stops, instead of writing over the new one.
    mine = Download.objects.filter(
        pk=pk, status=Download.Status.RUNNING, attempts=download.attempts
    )
    told = {"percent": -1, "step": ""}

    def progress(percent: int, step: str) -> None:
        percent = max(0, min(99, percent))
        if (percent, step) == (told["percent"], told["step"]):
            return
        if not mine.update(progress=percent, step=step, heartbeat_at=timezone.now()):
            raise Superseded
        told.update(percent=percent, step=step)

    spec = kinds.KINDS[download.kind]
    try:
        with translation.override(download.language):
            made = spec.make(spec.params.model_validate(download.params), progress)
    except Superseded:
        return False
    except Exception as error:
        if isinstance(error, ValidationError):
            message = error.messages[0]
        else:
            logger.exception("Download %s failed", pk)
            with translation.override(download.language):
                message = _(
                    "The file could not be made. Try again; if it fails again, tell the "
                    "programme staff."
                )
        finished = timezone.now()
        mine.update(
            status=Download.Status.FAILED,
            error=message,
            finished_at=finished,
            expires_at=finished + KEEP_FOR,
        )
        return False
    content = made.content.encode() if isinstance(made.content, str) else made.content
    name = default_storage.save(file_path(made.filename), ContentFile(content))
    finished = timezone.now()
    saved = mine.update(
        status=Download.Status.DONE,
        progress=100,
        step=READY,
        file=name,
        filename=made.filename,
        content_type=made.content_type,
        size=len(content),
        finished_at=finished,
        expires_at=finished + KEEP_FOR,
    )
    if not saved:
        default_storage.delete(name)
        return False
    return True


def file_path(filename: str) -> str:
    return Download.file.field.generate_filename(None, filename)


def retry_stale_downloads(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Enqueue again every download whose task was lost or whose worker died (it has not told
    its progress for the claim's lifetime); one that stopped MAX_ATTEMPTS times has failed."""
    now = now or timezone.now()
    stale = Download.objects.stale(now)
    given_up = stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Download.Status.FAILED,
        error=_("The file could not be made: the work stopped %(count)s times.")
        % {"count": MAX_ATTEMPTS},
        finished_at=now,
        expires_at=now + KEEP_FOR,
    )
    retried = list(stale.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True))
    from .tasks import make_download

    for pk in retried:
        make_download.enqueue(download_id=pk)
    return {"retried": len(retried), "failed": given_up}


def prune_downloads(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remove expired downloads with their files, and files no download names any more (left
    by a worker that stopped between writing the file and recording it) older than KEEP_FOR."""
    now = now or timezone.now()
    removed = 0
    for download in Download.objects.expired(now).iterator():
        if download.file:
            download.file.delete(save=False)
        download.delete()
        removed += 1
    orphans = 0
    folder = Path(settings.MEDIA_ROOT) / "downloads"
    if folder.is_dir():
        known = set(Download.objects.exclude(file="").values_list("file", flat=True))
        cutoff = (now - KEEP_FOR).timestamp()
        for path in folder.iterdir():
            name = f"downloads/{path.name}"
            if path.is_file() and name not in known and path.stat().st_mtime < cutoff:
                path.unlink()
                orphans += 1
    return {"downloads": removed, "orphan_files": orphans}
