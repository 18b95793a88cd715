"""Render a status report (the dict of `status.status_report`) in a download format."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder

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


def as_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


def as_csv(report: dict) -> str:
    """The per-municipality table of every round, one row per application."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MUNICIPALITY_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for round_ in report["rounds"]:
        for row in round_["municipalities"]:
            writer.writerow({"round": round_["number"], **row})
    return out.getvalue()


FORMATS = {"json": as_json, "csv": as_csv}
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


def render(report: dict, format: str) -> str | bytes:
    return FORMATS[format](report)
