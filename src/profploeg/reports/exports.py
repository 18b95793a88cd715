"""Render a status report (the typed `schema.StatusReport`) in a download format.

Every format renders the same report: JSON and CSV as data, XLSX as a workbook of tables, DOCX and
PDF as the answer to the written parliamentary question (see `document.py`). The annex, the
overview of the municipalities of a round, has its own XLSX, DOCX, PDF and CSV."""

import datetime
import io
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_noop

from profploeg.applications.models import Application
from profploeg.lib.progress import Progress, no_progress, scaled
from profploeg.lib.spreadsheets import EXCEL, CsvDialect, SafeWriter
from profploeg.programmes.models import Programme

from . import docx_export, pdf_export, xlsx_export
from .document import annex_document, answer_document
from .schema import StatusReport
from .status import STATE_LABELS, status_report
from .tables import CSV_ONLY_COLUMNS, MUNICIPALITY_COLUMNS, ROUND_COLUMNS

# The municipalities' CSV: every field of a row as the JSON writes it, the round first.
MUNICIPALITY_CSV = [
    "round",
    "refnis",
    "name",
    "refnis_now",
    "name_now",
    "province",
    "received",
    "status",
    "reason",
    "themes",
    "first_intake",
    "trajectory_state",
    "started_on",
    "planned_end",
    "completed_on",
    "stopped_on",
    "overdue_days",
    "last_activity",
    "expected_completion_p50",
    "expected_completion_p80",
    "expected_end_set_by_staff",
    "expected_end_reason",
    "experts",
    "person_days_planned",
    "person_days_consumed",
    "committed_eur",
    "consumed_eur",
]


# The municipalities' CSV columns, with the labels of the annex and the page (`tables.py`).
MUNICIPALITY_CSV_COLUMNS = [
    next(c for c in (*CSV_ONLY_COLUMNS, *MUNICIPALITY_COLUMNS) if c.key == key)
    for key in MUNICIPALITY_CSV
]
# How each field is typed, for the dialect to write it: money and person-days as decimals, dates
# as dates; the rest as the JSON has it.
KINDS = {column.key: column.kind for column in (*MUNICIPALITY_COLUMNS, *ROUND_COLUMNS)}


def typed(value, kind: str):
    """A JSON value of the report (decimals and dates are strings there) as a Python value."""
    if value is None or value == "":
        return None
    if kind in ("money", "days"):
        return Decimal(value)
    if kind == "date":
        return datetime.date.fromisoformat(value)
    return value


def people_value(key: str, value):
    """A code as people read it in Dutch: the status labels."""
    if value is None:
        return None
    if key == "status":
        return str(Application.Status(value).label)
    if key == "trajectory_state":
        return str(STATE_LABELS[value])
    return value


def as_json(report: StatusReport) -> str:
    return report.to_json()


def csv_value(value):
    """A value as JSON has it; a list (themes, experts) as one comma-separated text."""
    if isinstance(value, list):
        return ", ".join(
            str(item["name"]) if isinstance(item, dict) else str(item) for item in value
        )
    return "" if value is None else value


def municipalities_csv(report: StatusReport, dialect: CsvDialect = EXCEL) -> str:
    """The per-municipality table of every round, one row per application."""
    out = io.StringIO()
    writer = SafeWriter(out, dialect=dialect)
    # Dutch headers and values whatever the language of the request: the dialect for people is
    # for Excel in Belgium.
    with dialect.language():
        writer.writerow([dialect.header(c.key, c.label) for c in MUNICIPALITY_CSV_COLUMNS])
        for round_ in report.rounds:
            for row in round_.municipalities:
                data = row.model_dump(mode="json")
                values = [round_.number]
                for key in MUNICIPALITY_CSV[1:]:
                    value = typed(csv_value(data[key]), KINDS.get(key, "text"))
                    values.append(people_value(key, value) if dialect.for_people else value)
                writer.writerow(values)
    return out.getvalue()


def rounds_csv(report: StatusReport, dialect: CsvDialect = EXCEL) -> str:
    """The summary table: one row per round with its figures."""
    out = io.StringIO()
    writer = SafeWriter(out, dialect=dialect)
    with dialect.language():
        writer.writerow([dialect.header(column.key, column.label) for column in ROUND_COLUMNS])
    for round_ in report.rounds:
        data = round_.model_dump(mode="json")
        writer.writerow(
            [typed(csv_value(data[column.key]), column.kind) for column in ROUND_COLUMNS]
        )
    return out.getvalue()


CSV_TABLES = {"municipalities": municipalities_csv, "rounds": rounds_csv}


def as_csv(report: StatusReport, table: str = "municipalities", dialect: CsvDialect = EXCEL) -> str:
    return CSV_TABLES[table](report, dialect)


# Of a document's progress, the share of building it (the answers and the charts' shapes).
DOCUMENT_SHARE = 15


def as_docx(report: StatusReport, progress: Progress = no_progress) -> bytes:
    progress(0, gettext_noop("Drawing the charts"))
    document = answer_document(report)
    return docx_export.render(document, scaled(progress, DOCUMENT_SHARE, 100))


def as_pdf(report: StatusReport, progress: Progress = no_progress) -> bytes:
    progress(0, gettext_noop("Drawing the charts"))
    document = answer_document(report)
    return pdf_export.render(document, scaled(progress, DOCUMENT_SHARE, 100))


def annex_docx(report: StatusReport, progress: Progress = no_progress) -> bytes:
    return docx_export.render(annex_document(report), progress)


def annex_pdf(report: StatusReport, progress: Progress = no_progress) -> bytes:
    return pdf_export.render(annex_document(report), progress)


FORMATS = {
    "json": as_json,
    "csv": as_csv,
    "xlsx": xlsx_export.as_xlsx,
    "docx": as_docx,
    "pdf": as_pdf,
}
ANNEX_FORMATS = {
    "csv": municipalities_csv,
    "xlsx": xlsx_export.annex_xlsx,
    "docx": annex_docx,
    "pdf": annex_pdf,
}
BINARY = {"xlsx", "docx", "pdf"}
# The answer to the written question and its annex: always in Dutch.
DOCUMENTS = {"docx", "pdf"}
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render(
    report: StatusReport,
    format: str,
    *,
    table: str = "municipalities",
    annex: bool = False,
    dialect: CsvDialect = EXCEL,
    progress: Progress = no_progress,
):
    """The report in a format: text (JSON, CSV) or bytes (XLSX, DOCX, PDF).

    `annex`: only the overview of the municipalities; `table`: which CSV table; `dialect`: the
    CSV's, Excel in Belgium by default (see `lib.spreadsheets.CsvDialect`); `progress`: told at
    each step of the binary formats (see `lib.progress`)."""
    if format == "csv":
        return as_csv(report, "municipalities" if annex else table, dialect)
    if format == "json":
        return as_json(report)
    if annex:
        return ANNEX_FORMATS[format](report, progress)
    return FORMATS[format](report, progress)


def filename(
    report: StatusReport, format: str, *, table: str = "municipalities", annex: bool = False
) -> str:
    stem = f"statusrapport-{report.programme.id}-{report.as_of.isoformat()}"
    rounds = [round_.number for round_ in report.rounds]
    if annex:
        stem = f"bijlage-gemeenten-ronde-{'-'.join(map(str, rounds)) or 'geen'}-{report.as_of.isoformat()}"
    elif format == "csv" and table != "municipalities":
        stem += f"-{table}"
    return f"{stem}.{format}"


@dataclass(frozen=True)
class Export:
    """A download: its file name, content type and content."""

    filename: str
    content_type: str
    content: str | bytes


# Of a download's progress, the share of computing the report.
REPORT_SHARE = 30


def export_status(
    programme: Programme,
    *,
    as_of: datetime.date,
    format: str,
    round_number: int | None = None,
    annex: bool = False,
    filters: dict | None = None,
    table: str = "municipalities",
    dialect: CsvDialect = EXCEL,
    progress: Progress = no_progress,
) -> Export:
    """The status report computed and rendered as one download: the page's direct links, a
    background download (`downloads`) and the CLI get the same file. The documents for
    Parliament are Dutch whatever the active language; `annex` with `round_number`: only the
    overview of that round's municipalities."""
    with translation.override("nl-be") if format in DOCUMENTS else nullcontext():
        progress(0, gettext_noop("Computing the report"))
        report = status_report(
            programme=programme, as_of=as_of, round_number=round_number, **(filters or {})
        )
        content = render(
            report,
            format,
            table=table,
            annex=annex,
            dialect=dialect,
            progress=scaled(progress, REPORT_SHARE, 100),
        )
    return Export(
        filename(report, format, table=table, annex=annex), CONTENT_TYPES[format], content
    )
