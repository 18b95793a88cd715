"""Bulk import of applications from an e-loket export (CSV or XLSX): all rows or none."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile

from profploeg.api.errors import ImportErrorOut
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import ERRORS, Id
from profploeg.applications.imports import import_applications
from profploeg.programmes.models import Programme

router = Router(tags=["imports"])


class ImportIn(Schema):
    programme: Id
    dry_run: bool = Field(False, description="Check every row and import nothing")


class ImportedRowOut(Schema):
    row: int
    refnis: str
    municipality: str
    round_number: int
    application: int | None


class ImportOut(Schema):
    dry_run: bool
    created: int
    rows: list[ImportedRowOut]


@router.post(
    "/imports/applications",
    response={200: ImportOut, **ERRORS, 422: ImportErrorOut},
    summary="Import applications from an e-loket export (programme staff)",
)
def import_applications_file(
    request,
    payload: Form[ImportIn],
    file: File[UploadedFile],
    idempotency_key: str | None = idempotency_key_header(),
):
    """Columns as documented in the README. A 422 lists every bad row (`rows`: row, column,
    message) and nothing is imported; `dry_run` checks without importing."""

    def action():
        programme = Programme.objects.filter(pk=payload.programme).first()
        if programme is None:
            raise ValidationError(
                {
                    "programme": _("There is no programme with id %(id)s.")
                    % {"id": payload.programme}
                }
            )
        result = import_applications(
            programme=programme,
            upload=file,
            filename=file.name or "",
            by=request.auth,
            dry_run=payload.dry_run,
        )
        return 200, {
            "dry_run": result.dry_run,
            "created": result.created,
            "rows": [
                {
                    "row": row.row,
                    "refnis": row.refnis,
                    "municipality": row.municipality,
                    "round_number": row.round_number,
                    "application": row.application_id,
                }
                for row in result.rows
            ],
        }

    return run_once(request, idempotency_key, action)
