"""Render a status report (the dict of `status.status_report`) in a download format.

Every format renders the same dict: JSON and CSV as data, XLSX as a workbook of tables, DOCX and
PDF as the answer to the written parliamentary question (see `document.py`). The annex, the
overview of the municipalities of a round, has its own XLSX, DOCX, PDF and CSV."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder

from . import docx_export, pdf_export, xlsx_export
from .document import annex_document, answer_document
from .tables import ROUND_COLUMNS, cell, present

MUNICIPALITY_COLUMNS = [
    "round",
    "refnis",
    "name",
    "refnis_now",
    "name_now",
    "province",
    "received",
    "status",
    "reason",
]
# Figures that a report gains as the programme records them (trajectories, person-days, cost):
# appended after the columns above, so that the first columns never move.
MUNICIPALITY_EXTRA_COLUMNS = [
    "themes",
    "first_intake",
    "trajectory_status",
    "started_on",
    "completed_on",
    "expected_completion",
    "experts",
    "person_days_planned",
    "person_days_consumed",
    "cost_eur",
]


def as_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def csv_value(value):
    if isinstance(value, list | tuple):
        return ", ".join(
            str(item.get("name", item)) if isinstance(item, dict) else str(item) for item in value
        )
    return value


def municipalities_csv(report: dict) -> str:
    """The per-municipality table of every round, one row per application."""
    rows = [row for round_ in report["rounds"] for row in round_["municipalities"]]
    keys = set().union(*(row.keys() for row in rows)) if rows else set()
    fieldnames = MUNICIPALITY_COLUMNS + [key for key in MUNICIPALITY_EXTRA_COLUMNS if key in keys]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames, extrasaction="ignore")
    writer.writeheader()
    for round_ in report["rounds"]:
        for row in round_["municipalities"]:
            writer.writerow(
                {
                    "round": round_["number"],
                    **{key: csv_value(row.get(key)) for key in fieldnames[1:]},
                }
            )
    return out.getvalue()


def rounds_csv(report: dict) -> str:
    """The summary table: one row per round with its figures."""
    columns = present(ROUND_COLUMNS, report["rounds"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.key for column in columns])
    for round_ in report["rounds"]:
        writer.writerow([cell(round_, column) for column in columns])
    return out.getvalue()


CSV_TABLES = {"municipalities": municipalities_csv, "rounds": rounds_csv}


def as_csv(report: dict, table: str = "municipalities") -> str:
    return CSV_TABLES[table](report)


def as_docx(report: dict) -> bytes:
    return docx_export.render(answer_document(report))


def as_pdf(report: dict) -> bytes:
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
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render(report: dict, format: str, *, table: str = "municipalities", annex: bool = False):
    """The report in a format: text (JSON, CSV) or bytes (XLSX, DOCX, PDF).

    `annex`: only the overview of the municipalities; `table`: which CSV table."""
    if annex:
        return ANNEX_FORMATS[format](report)
    if format == "csv":
        return as_csv(report, table)
    return FORMATS[format](report)


def filename(
    report: dict, format: str, *, table: str = "municipalities", annex: bool = False
) -> str:
    stem = f"statusrapport-{report['programme']['id']}-{report['as_of'].isoformat()}"
    rounds = [round_["number"] for round_ in report["rounds"]]
    if annex:
        stem = f"bijlage-gemeenten-ronde-{'-'.join(map(str, rounds)) or 'geen'}-{report['as_of'].isoformat()}"
    elif format == "csv" and table != "municipalities":
        stem += f"-{table}"
    return f"{stem}.{format}"
