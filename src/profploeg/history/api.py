"""`POST /api/imports/history`: a programme's whole history from one workbook, all or nothing."""

from ninja import Field, File, Form, Router, Schema, UploadedFile

from profploeg.api.errors import ErrorOut
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import ERRORS

from .services import import_history

router = Router(tags=["imports"])


class HistoryImportIn(Schema):
    dry_run: bool = Field(False, description="Replay every row and write nothing")


class HistoryImportOut(Schema):
    dry_run: bool
    programme: int | None = Field(description="The programme made (none on a dry run)")
    counts: dict[str, int] = Field(description="Rows replayed per sheet")
    unknown_users: list[str] = Field(
        description="Usernames the database does not know, recorded as the importing user"
    )


class HistoryRowErrorOut(Schema):
    sheet: str
    row: int
    column: str
    message: str


class HistoryImportErrorOut(ErrorOut):
    rows: list[HistoryRowErrorOut] = []


@router.post(
    "/imports/history",
    response={200: HistoryImportOut, **ERRORS, 422: HistoryImportErrorOut},
    summary="Import a programme's history from a workbook (programme staff)",
)
def import_history_file(
    request,
    payload: Form[HistoryImportIn],
    file: File[UploadedFile],
    idempotency_key: str | None = idempotency_key_header(),
):
    """The workbook as documented in docs/history-workbook.md. A 422 lists every problem
    (`rows`: sheet, row, column, message) and nothing is imported; `dry_run` checks only."""

    def action():
        result = import_history(content=file.read(), by=request.auth, dry_run=payload.dry_run)
        return 200, {
            "dry_run": result.dry_run,
            "programme": result.programme_id,
            "counts": result.counts,
            "unknown_users": result.unknown_users,
        }

    return run_once(request, idempotency_key, action)
