"""Background downloads: ask for the status report's XLSX, DOCX or PDF (202 with where to follow
it), follow its progress, fetch the file. The same service as the report page's buttons."""

import datetime
from typing import Literal

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from profploeg.api.errors import error_response
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import ERRORS, Day, Id, Refnis, RoundNumber
from profploeg.downloads.models import Download
from profploeg.downloads.permissions import get_visible_download
from profploeg.downloads.services import request_download
from profploeg.programmes.models import Programme

from .programmes import ApplicationStatus

router = Router(tags=["downloads"])


class StatusExportIn(Schema):
    format: Literal["xlsx", "docx", "pdf"]
    as_of: Day | None = Field(None, description="default today")
    round: RoundNumber | None = None
    annex: bool = Field(
        False, description="only the annex of `round` (the overview per municipality)"
    )
    province: Refnis | None = Field(None, description="province REFNIS code, e.g. 10000")
    status: ApplicationStatus | None = Field(None, description="status on the date")
    theme: str | None = Field(None, pattern=r"^[-a-z0-9_]{1,50}$", description="theme slug")
    expert: Id | None = Field(None, description="expert id")


class DownloadOut(Schema):
    id: int
    kind: str
    title: str
    status: Literal["queued", "running", "done", "failed"]
    progress: int = Field(description="0 to 100")
    step: str = Field(description="what the worker is doing, in the request's language")
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime = Field(description="when the file and this record are removed")
    filename: str | None
    size: int | None = Field(description="bytes")
    error: str | None
    status_url: str
    file_url: str | None = Field(description="once done")


def download_out(download: Download) -> dict:
    done = download.status == Download.Status.DONE
    return {
        "id": download.pk,
        "kind": download.kind,
        "title": download.title,
        "status": download.status,
        "progress": download.progress,
        "step": _(download.step) if download.step else "",
        "created_at": download.created_at,
        "started_at": download.started_at,
        "finished_at": download.finished_at,
        "expires_at": download.expires_at,
        "filename": download.filename or None,
        "size": download.size,
        "error": download.error or None,
        "status_url": reverse("api:download", kwargs={"download_id": download.pk}),
        "file_url": reverse("api:download_file", kwargs={"download_id": download.pk})
        if done
        else None,
    }


@router.post(
    "/programmes/{programme_id}/status/exports",
    response={202: DownloadOut, **ERRORS},
    summary="Make the status report's XLSX, DOCX or PDF in the background",
)
def status_export(
    request,
    programme_id: Id,
    payload: StatusExportIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Programme staff and experts, as on the report page: `202` with the download; follow
    `status_url` until `status` is `done` (then fetch `file_url`) or `failed` (see `error`).
    The file is the one `GET /reports/programmes/{id}/status/?format=` gives; it is kept a day,
    for the caller only. At most five downloads of one user wait at a time (else `422`)."""
    programme = get_object_or_404(Programme, pk=programme_id)

    def action():
        params = payload.dict(exclude_none=True)
        params.setdefault("as_of", timezone.localdate())
        download = request_download(
            user=request.auth,
            kind=Download.Kind.STATUS_REPORT,
            params={"programme": programme.pk, **params},
        )
        return 202, download_out(download)

    return run_once(request, idempotency_key, action)


@router.get(
    "/downloads/{download_id}",
    response={200: DownloadOut, **ERRORS},
    summary="A background download: its status and progress",
    url_name="download",
)
def download_status(request, download_id: Id):
    """Only its requester sees a download; for anyone else it does not exist (`404`)."""
    return download_out(get_visible_download(request.auth, download_id))


@router.get(
    "/downloads/{download_id}/file",
    response={200: None, **ERRORS},
    summary="A background download's file, once done",
    url_name="download_file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_file(request, download_id: Id):
    """The file under its own name; `409 not_ready` while it is being made or when it failed."""
    from profploeg.api.api import api

    download = get_visible_download(request.auth, download_id)
    if download.status != Download.Status.DONE or not download.file:
        return error_response(
            api,
            request,
            status=409,
            code="not_ready",
            message=_("This file is not ready: the download is %(status)s.")
            % {"status": download.get_status_display().lower()},
        )
    try:
        handle = download.file.open("rb")
    except FileNotFoundError:
        return error_response(
            api,
            request,
            status=404,
            code="not_found",
            message=_("This file is no longer available."),
        )
    return FileResponse(
        handle, as_attachment=True, filename=download.filename, content_type=download.content_type
    )
