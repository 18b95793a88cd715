"""Reading a history workbook: every sheet and column found by its Dutch or English name, every
cell parsed to the type its column holds, every problem kept with its sheet, row and column."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from profploeg.applications.imports import parse_received_at
from profploeg.lib.dates import BRUSSELS
from profploeg.lib.spreadsheets import FORMULA_STARTS
from profploeg.lib.tables import cell_text, is_blank, xlsx_rows

from .layout import BOOL, DATE, DATETIME, DECIMAL, INT, SHEETS, Sheet

TRUE = {"1", "ja", "yes", "true", "waar", "x", "y", "j"}
FALSE = {"0", "nee", "no", "false", "onwaar", "n", ""}
MAX_ROWS = 200_000


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"{self.sheet}, rij {self.row}" if self.row else self.sheet
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Row:
    sheet: Sheet
    number: int
    values: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.values.get(key)

    def get(self, key, default=None):
        value = self.values.get(key)
        return default if value is None or value == "" else value


def parse(value, kind: str):
    """The cell as the column's type; ValueError with a message a user can act on."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == DATE:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date (DD/MM/YYYY).") % {"value": text})
    if kind == DATETIME:
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            return value.replace(tzinfo=BRUSSELS)
        moment = parse_received_at(value)
        if moment is None:
            raise ValueError(
                _("“%(value)s” is not a date and time (DD/MM/YYYY HH:MM).")
                % {"value": cell_text(value)}
            )
        return moment
    if kind == INT:
        if isinstance(value, bool):
            raise ValueError(_("Give a whole number."))
        try:
            number = Decimal(cell_text(value))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})
        return int(number)
    if kind == DECIMAL:
        text = cell_text(value) if not isinstance(value, float) else repr(value)
        try:
            return Decimal(text.replace(",", ".") if isinstance(value, str) else text)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not a number.") % {"value": cell_text(value)}
            ) from None
    if kind == BOOL:
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(_("Write ja or nee (yes or no)."))
    text = value if isinstance(value, str) else cell_text(value)
    text = text.strip()
    # Exports before lib.spreadsheets.append_row put a quote before text that a spreadsheet
    # would run as a formula.
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def read_workbook(content: bytes) -> tuple[dict[str, list[Row]], list[RowError]]:
    """Every sheet's rows, parsed; a missing sheet or column and every unreadable cell reported."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise ValidationError(_("This is not a readable .xlsx file.")) from error
    found = {worksheet.title.strip().lower(): worksheet for worksheet in workbook.worksheets}
    rows: dict[str, list[Row]] = {}
    errors: list[RowError] = []
    for sheet in SHEETS:
        worksheet = next((found[name] for name in sheet.names if name in found), None)
        rows[sheet.key] = []
        if worksheet is None:
            if sheet.required:
                errors.append(
                    RowError(
                        sheet.dutch,
                        0,
                        "",
                        _("The sheet is missing (also accepted: “%(english)s”).")
                        % {"english": sheet.english},
                    )
                )
            continue
        # As stored, cut at lib.tables' column limit: not as a hostile file's declared size.
        table = xlsx_rows(worksheet)
        header = next(table, None) or ()
        names = [cell_text(name).lower() for name in header]
        index = {}
        for column in sheet.columns:
            position = next((i for i, name in enumerate(names) if name in column.names), None)
            if position is not None:
                index[column.key] = position
            elif column.required:
                errors.append(
                    RowError(
                        sheet.dutch,
                        1,
                        column.dutch,
                        _("The column is missing (also accepted: “%(english)s”).")
                        % {"english": column.english},
                    )
                )
        for number, values in enumerate(table, start=2):
            values = list(values)
            # Blank rows count too: a cell a million rows down is no reason to read them all.
            if number > MAX_ROWS:
                errors.append(RowError(sheet.dutch, number, "", _("Too many rows.")))
                break
            if is_blank(values):
                continue
            row = Row(sheet, number)
            for column in sheet.columns:
                position = index.get(column.key)
                raw = values[position] if position is not None and position < len(values) else None
                try:
                    row.values[column.key] = parse(raw, column.kind)
                except ValueError as error:
                    errors.append(RowError(sheet.dutch, number, column.dutch, str(error)))
                    continue
                if (
                    column.required
                    and row.values[column.key] in (None, "")
                    and position is not None
                ):
                    errors.append(RowError(sheet.dutch, number, column.dutch, _("Required.")))
            rows[sheet.key].append(row)
    return rows, errors
