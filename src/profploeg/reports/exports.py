"""Render a status report (the typed `schema.StatusReport`) in a download format.

Every format renders the same report: JSON and CSV as data, XLSX as a workbook of tables, DOCX and
PDF as the answer to the written parliamentary question (see `document.py`). The annex, the
overview of the municipalities of a round, has its own XLSX, DOCX, PDF and CSV."""

import datetime
import io
from decimal import Decimal

from profploeg.applications.models import Application
from profploeg.lib.spreadsheets import EXCEL, CsvDialect, SafeWriter

from . import docx_export, pdf_export, xlsx_export
from .document import annex_document, answer_document
from .schema import StatusReport
from .status import STATE_LABELS
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


def as_docx(report: StatusReport) -> bytes:
    return docx_export.render(answer_document(report))


def as_pdf(report: StatusReport) -> bytes:
    return pdf_export.render(answer_document(report))


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
    "docx": lambda report: docx_export.render(annex_document(report)),
    "pdf": lambda report: pdf_export.render(annex_document(report)),
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
):
    """The report in a format: text (JSON, CSV) or bytes (XLSX, DOCX, PDF).

    `annex`: only the overview of the municipalities; `table`: which CSV table; `dialect`: the
    CSV's, Excel in Belgium by default (see `lib.spreadsheets.CsvDialect`)."""
    if format == "csv":
        return as_csv(report, "municipalities" if annex else table, dialect)
    if annex:
        return ANNEX_FORMATS[format](report)
    return FORMATS[format](report)


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
