"""Reading an uploaded spreadsheet (CSV or XLSX) into rows of cell values, for the imports."""

import csv
import io
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


def read_table(upload: IO[bytes], filename: str) -> list[list]:
    """The file's rows as lists of cell values, from its first non-blank row (the header) on."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = read_xlsx(upload)
    elif name.endswith(".csv"):
        table = read_csv(upload)
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    while table and is_blank(table[0]):
        table.pop(0)
    if not table:
        raise ValidationError(_("The file is empty."))
    return table


def read_xlsx(upload: IO[bytes]) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    except Exception as error:
        raise ValidationError(_("This is not a readable .xlsx file.")) from error


def read_csv(upload: IO[bytes]) -> list[list]:
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
        return list(csv.reader(io.StringIO(text), dialect))
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
