"""Writing rows to CSV and XLSX: the one place that keeps user text from becoming a formula.

Decision reasons, questionnaire answers, case texts and names are typed by users (some through
public links). A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and
some read a leading tab or carriage return the same way) as a formula, which can fetch data or
start programs. Every CSV and XLSX output writes its rows through these functions."""

import csv
import datetime
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, with a leading apostrophe (shown as
    written, as Excel and LibreOffice do for typed text); numbers, dates and other text as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_text(value) for value in values]


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV is written for its reader.

    `excel`: what Excel set to Belgian Dutch opens in columns without an import wizard: semicolon
    (the list separator of nl-BE), decimal comma, UTF-8 with a byte order mark (else Excel reads
    Windows-1252), dates DD/MM/YYYY; the caller writes Dutch headers and values.
    `machine`: for programs: comma, decimal point, no BOM, ISO dates; the caller writes English
    keys and codes."""

    name: str
    delimiter: str
    decimal_mark: str
    bom: bool
    date_format: str
    datetime_format: str
    # Headers and values for people (Dutch labels) rather than keys and codes.
    for_people: bool

    def language(self) -> AbstractContextManager:
        """Where the caller writes its headers and values: in Belgian Dutch for people, whatever
        the language of the request; as is for programs (keys and codes)."""
        return translation.override("nl-be") if self.for_people else nullcontext()

    def header(self, key: str, label: Any) -> str:
        """A column's header: its label (a translated message) for people, its key for programs."""
        return str(label) if self.for_people else key


EXCEL = CsvDialect("excel", ";", ",", True, "%d/%m/%Y", "%d/%m/%Y %H:%M", True)
MACHINE = CsvDialect("machine", ",", ".", False, "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", False)
CSV_DIALECTS = {dialect.name: dialect for dialect in (EXCEL, MACHINE)}


def csv_dialect(name: str | None, *, default: CsvDialect = EXCEL) -> CsvDialect:
    """The dialect of that name (empty: the default); an unknown name is refused."""
    if not name:
        return default
    try:
        return CSV_DIALECTS[name]
    except KeyError:
        raise ValidationError(
            _("Unknown CSV dialect “%(name)s”: choose %(choices)s."),
            params={"name": name, "choices": " or ".join(CSV_DIALECTS)},
            code="dialect",
        ) from None


def csv_cell(value: Any, dialect: CsvDialect) -> Any:
    """A typed value as the dialect writes it: decimals with its decimal mark, dates in its
    format, booleans as yes/no for people; text through safe_text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool):
        if dialect.for_people:
            return _("yes") if value else _("no")
        return value
    if isinstance(value, Decimal | float):
        return str(value).replace(".", dialect.decimal_mark)
    if isinstance(value, datetime.datetime):
        return value.strftime(dialect.datetime_format)
    if isinstance(value, datetime.date):
        return value.strftime(dialect.date_format)
    return value


class SafeWriter:
    """csv.writer in a dialect (default: machine) whose text goes through safe_text.

    Typed values (Decimal, date, bool) are written as the dialect wants them; the Excel dialect
    starts the file with a byte order mark."""

    def __init__(self, out: IO[str], *, dialect: CsvDialect = MACHINE, **options):
        self.dialect = dialect
        if dialect.bom:
            out.write("\ufeff")
        self.writer = csv.writer(out, delimiter=dialect.delimiter, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self.writer.writerow([csv_cell(value, self.dialect) for value in values])

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
