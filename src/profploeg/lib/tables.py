"""Reading an uploaded spreadsheet (CSV or XLSX) into rows of cell values, for the imports.

A sheet is read row by row and never further than the rows an import may hold: an XLSX of a few
kilobytes can declare a million cells (`A1:XFD10000`), which openpyxl would otherwise pad out."""

import csv
import io
from collections.abc import Iterable
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def cell_text(value) -> str:
    """A cell as text: a whole number read as a float (XLSX) loses its `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_blank(row: list) -> bool:
    return not any(cell_text(cell) for cell in row)


# No import of ours has this many columns; cells beyond it are never read.
MAX_COLUMNS = 64
# Without a limit of the caller's: more data rows than any import takes.
DEFAULT_MAX_ROWS = 100_000


def limited(rows: Iterable, max_rows: int) -> list[list]:
    """Rows up to the header plus `max_rows` data rows plus one (so that the caller can say the
    file is too long), counting only non-blank rows, each cut at MAX_COLUMNS."""
    table, filled = [], 0
    # Blank rows are kept (row numbers in messages stay right), but not without end.
    most = 2 * max_rows + 1000
    for row in rows:
        row = list(row[:MAX_COLUMNS])
        table.append(row)
        if len(table) > most:
            raise ValidationError(
                _(
                    "The file has more than %(max)d rows, blank ones included: remove the empty ones."
                )
                % {"max": most}
            )
        if not is_blank(row):
            filled += 1
            if filled > max_rows + 1:
                break
    return table


def read_table(upload: IO[bytes], filename: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> list[list]:
    """The file's rows as lists of cell values, from its first non-blank row (the header) on;
    at most `max_rows` + 1 data rows are read."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = read_xlsx(upload, max_rows=max_rows)
    elif name.endswith(".csv"):
        table = read_csv(upload, max_rows=max_rows)
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    while table and is_blank(table[0]):
        table.pop(0)
    if not table:
        raise ValidationError(_("The file is empty."))
    return table


def xlsx_rows(sheet) -> Iterable[tuple]:
    """A read-only sheet's rows as stored, not as its declared dimensions pretend."""
    sheet.reset_dimensions()
    for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        # openpyxl pads every row to max_col: drop the padding (trailing empty cells).
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        yield row[:end]


def read_xlsx(upload: IO[bytes], *, max_rows: int = DEFAULT_MAX_ROWS) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        try:
            return limited(xlsx_rows(workbook.worksheets[0]), max_rows)
        finally:
            workbook.close()
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(_("This is not a readable .xlsx file.")) from error


def read_csv(upload: IO[bytes], *, max_rows: int = DEFAULT_MAX_ROWS) -> list[list]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in Windows-1252.
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ValidationError(_("This is not a readable CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return limited(csv.reader(io.StringIO(text), dialect), max_rows)
    except csv.Error as error:
        raise ValidationError(_("This is not a readable CSV file.")) from error


def column_index(header: list, columns: dict[str, set[str]]) -> dict[str, int]:
    """Where each of our columns is, by the names people give it (lower case); the first wins."""
    names = [cell_text(cell).lower() for cell in header]
    index = {}
    for key, accepted in columns.items():
        for position, name in enumerate(names):
            if name in accepted and key not in index:
                index[key] = position
    return index
