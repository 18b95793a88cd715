"""Bulk import of applications as the e-loket exports them (CSV or XLSX), all or nothing.

One row is one application. Every row is checked and submitted through `submit_application`
inside one transaction; if any row fails, nothing is kept and every failing row is reported with
its row number, column and reason. The API, the staff page and `profploeg import applications`
all call `import_applications`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from profploeg.accounts.models import User
from profploeg.lib.dates import BRUSSELS, local_date
from profploeg.lib.tables import cell_text, column_index, is_blank, read_table
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import Programme, Theme

from .services import round_for, submit_application

# Our column name, then the headers the e-loket (or a person) may use for it, Dutch and English.
COLUMNS = {
    "refnis": {"refnis", "nis", "nis-code", "niscode", "refnis-code", "refnis code"},
    "received_at": {
        "received_at",
        "received at",
        "received",
        "ontvangen",
        "ontvangen op",
        "indieningsdatum",
        "datum indiening",
    },
    "contact_name": {"contact_name", "contact name", "contactpersoon", "naam contactpersoon"},
    "contact_email": {"contact_email", "contact email", "e-mail", "email", "e-mailadres"},
    "contact_phone": {"contact_phone", "contact phone", "telefoon", "telefoonnummer", "phone"},
    "question": {"question", "vraag", "vraag of nood", "hulpvraag"},
    "themes": {"themes", "thema's", "themas", "thema"},
}
REQUIRED = ("refnis", "received_at", "contact_name", "contact_email", "question")
MAX_ROWS = 2000
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
# Which column a service's field error belongs to.
FIELD_COLUMNS = {"municipality": "refnis", "received_at": "received_at"}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportedRow:
    row: int
    refnis: str
    municipality: str
    round_number: int
    application_id: int | None


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[ImportedRow] = field(default_factory=list)

    @property
    def created(self) -> int:
        return 0 if self.dry_run else len(self.rows)


class ImportFailed(ValidationError):
    """At least one row is wrong: nothing was imported. `rows` holds every row's problem."""

    api_code = "import_failed"

    def __init__(self, errors: list[RowError], total: int):
        self.rows = [error.as_dict() for error in errors]
        self.row_errors = errors
        super().__init__(
            _(
                "%(bad)d of %(total)d rows cannot be imported; nothing was imported. "
                "Correct the rows below and try again."
            )
            % {"bad": len({e.row for e in errors}), "total": total}
        )


def parse_received_at(value) -> datetime.datetime | None:
    """A Belgian date and time; a date alone means noon, safely inside that day."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=BRUSSELS)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(12), tzinfo=BRUSSELS)
    text = cell_text(value)
    try:
        moment = datetime.datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=BRUSSELS)
    except ValueError:
        pass
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=BRUSSELS)
        except ValueError:
            continue
    for fmt in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
            return datetime.datetime.combine(day, datetime.time(12), tzinfo=BRUSSELS)
        except ValueError:
            continue
    return None


def theme_lookup() -> dict[str, Theme]:
    themes = {}
    for theme in Theme.objects.all():
        themes[theme.slug.lower()] = theme
        themes[theme.name.lower()] = theme
    return themes


@transaction.atomic
def import_applications(
    *,
    programme: Programme,
    upload: IO[bytes],
    filename: str,
    by: User,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Submit every row of an e-loket export as an application; one bad row imports nothing."""
    if not (by.is_active and by.role == User.Role.STAFF):
        raise PermissionDenied(_("Only programme staff can import applications."))
    table = read_table(upload, filename, max_rows=MAX_ROWS)
    index = column_index(table[0], COLUMNS)
    missing = [key for key in REQUIRED if key not in index]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    body = [(number, row) for number, row in enumerate(table[1:], start=2) if not is_blank(row)]
    if not body:
        raise ValidationError(_("The file has no rows under its header."))
    if len(body) > MAX_ROWS:
        raise ValidationError(_("Import at most %(max)d rows at a time.") % {"max": MAX_ROWS})
    municipalities = {m.refnis: m for m in Municipality.objects.select_related("merged_into")}
    themes = theme_lookup()
    result = ImportResult(dry_run=dry_run)
    errors: list[RowError] = []

    def cell(row: list, key: str):
        position = index.get(key)
        return row[position] if position is not None and position < len(row) else None

    for done, (number, row) in enumerate(body, start=1):
        row_errors = []
        refnis = cell_text(cell(row, "refnis"))
        if refnis.isdigit():
            refnis = refnis.zfill(5)
        municipality = municipalities.get(refnis)
        if municipality is None:
            row_errors.append(
                RowError(
                    number,
                    "refnis",
                    _("%(value)r is not a REFNIS code of a municipality.") % {"value": refnis},
                )
            )
        received_at = parse_received_at(cell(row, "received_at"))
        if received_at is None:
            row_errors.append(
                RowError(
                    number,
                    "received_at",
                    _("%(value)r is not a date and time (use YYYY-MM-DD HH:MM).")
                    % {"value": cell_text(cell(row, "received_at"))},
                )
            )
        else:
            try:
                round_for(programme, local_date(received_at))
            except ValidationError as error:
                row_errors.append(RowError(number, "received_at", error.messages[0]))
        for key in ("contact_name", "contact_email", "question"):
            if not cell_text(cell(row, key)):
                row_errors.append(RowError(number, key, _("This field is required.")))
        row_themes = []
        for name in cell_text(cell(row, "themes")).replace(",", ";").split(";"):
            name = name.strip()
            if not name:
                continue
            if name.lower() in themes:
                row_themes.append(themes[name.lower()])
            else:
                row_errors.append(
                    RowError(number, "themes", _("Unknown theme: %(slugs)s.") % {"slugs": name})
                )
        contact_email = cell_text(cell(row, "contact_email"))
        if contact_email:
            try:
                validate_email(contact_email)
            except ValidationError as error:
                row_errors.append(RowError(number, "contact_email", error.messages[0]))
        for key in ("contact_name", "contact_phone", "question"):
            if "\x00" in cell_text(cell(row, key)):
                row_errors.append(RowError(number, key, _("Null characters are not allowed.")))
        if not row_errors:
            try:
                # A savepoint per row: a refused row leaves the others to be checked.
                with transaction.atomic():
                    application = submit_application(
                        programme=programme,
                        municipality=municipality,
                        submitted_by=by,
                        contact_name=cell_text(cell(row, "contact_name"))[:200],
                        contact_email=contact_email,
                        contact_phone=cell_text(cell(row, "contact_phone"))[:50],
                        question=cell_text(cell(row, "question")),
                        themes=row_themes,
                        received_at=received_at,
                    )
            except (ValidationError, PermissionDenied) as error:
                row_errors.extend(service_errors(number, error))
            else:
                result.rows.append(
                    ImportedRow(
                        row=number,
                        refnis=municipality.refnis,
                        municipality=municipality.name,
                        round_number=application.round.number,
                        application_id=None if dry_run else application.pk,
                    )
                )
        errors.extend(row_errors)
        if progress:
            progress(done, len(body))
    if errors:
        raise ImportFailed(errors, total=len(body))
    if dry_run:
        # Everything was checked by really submitting it; now undo it, emails included.
        transaction.set_rollback(True)
    return result


def service_errors(number: int, error: Exception) -> list[RowError]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [
            RowError(number, FIELD_COLUMNS.get(name, name), str(message))
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    # The service's other refusals (a second application in the round, a municipality that no
    # longer existed that day) are about the municipality of the row.
    return [RowError(number, "refnis", str(message)) for message in messages]
