"""Reading the status report's CSV in either dialect, for comparing it with the JSON."""

import csv
import datetime
import io
import re

from django.utils import translation

from profploeg.reports.exports import MUNICIPALITY_CSV_COLUMNS
from profploeg.reports.tables import ROUND_COLUMNS

BOM = "\ufeff"
# The Excel dialect's Dutch headers are the columns' labels, translated.
with translation.override("nl-be"):
    KEYS = {
        "municipalities": {str(c.label): c.key for c in MUNICIPALITY_CSV_COLUMNS},
        "rounds": {str(c.label): c.key for c in ROUND_COLUMNS},
    }


def csv_rows(text: str) -> list[dict]:
    """The rows of a CSV of either dialect, as dicts by their header."""
    dialect = ";" if text.startswith(BOM) else ","
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=dialect))


def as_machine(row: dict, table: str = "municipalities") -> dict:
    """An Excel-dialect row read back as the machine dialect writes it: English keys, decimal
    points, ISO dates (labels stay labels)."""
    machine = {}
    for header, value in row.items():
        if match := re.fullmatch(r"(\d\d)/(\d\d)/(\d{4})", value):
            day, month, year = map(int, match.groups())
            value = datetime.date(year, month, day).isoformat()
        elif re.fullmatch(r"-?\d+,\d+", value):
            value = value.replace(",", ".")
        machine[KEYS[table].get(header, header)] = value
    return machine
