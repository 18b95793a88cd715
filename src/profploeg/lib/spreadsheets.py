"""Writing rows to CSV and XLSX: the one place that keeps user text from becoming a formula.

Decision reasons, questionnaire answers, case texts and names are typed by users (some through
public links). A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and
some read a leading tab or carriage return the same way) as a formula, which can fetch data or
start programs. Every CSV and XLSX output writes its rows through these functions."""

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, with a leading apostrophe (shown as
    written, as Excel and LibreOffice do for typed text); numbers, dates and other text as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_text(value) for value in values]


class SafeWriter:
    """csv.writer whose rows go through safe_row."""

    def __init__(self, out: IO[str], **options):
        self.writer = csv.writer(out, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self.writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose values go through safe_text."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_text(value) for key, value in rowdict.items()})


def append_row(sheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet with every text kept as text.

    openpyxl stores a string that starts with "=" as a formula: it is stored as a string
    instead. Other leading characters are stored as strings already, which Excel never runs."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
