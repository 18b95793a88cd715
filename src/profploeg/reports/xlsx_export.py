"""The status report as an Excel workbook: a summary sheet of the rounds, the programme's figures,
and one sheet per round with its municipalities. Numbers and dates are real cells (not text),
every table has a filter and a frozen header row."""

import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from profploeg.lib.progress import Progress, no_progress
from profploeg.lib.spreadsheets import append_row

from .schema import StatusReport
from .status import over_capacity_text
from .tables import MUNICIPALITY_COLUMNS, ROUND_COLUMNS, Column, cell, present

FORMATS = {
    "int": "0",
    "date": "DD/MM/YYYY",
    "money": "#,##0.00",
    "days": "0.0",
}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
# Excel refuses these in sheet titles; 31 characters at most.
FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(text: str) -> str:
    return str(text).translate(FORBIDDEN)[:31]


def value(row, column: Column):
    raw = cell(row, column)
    if raw is None or raw == "":
        return None
    if column.kind == "money" or column.kind == "days":
        return Decimal(raw)
    if column.kind == "date" and isinstance(raw, str):
        return datetime.date.fromisoformat(raw)
    return raw


def write_table(sheet: Worksheet, columns: list[Column], rows: list) -> None:
    """Header in row 1 (frozen, with a filter), one row per item, widths to fit."""
    sheet.append([str(column.label) for column in columns])
    for header in sheet[1]:
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        append_row(sheet, [value(row, column) for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.kind in FORMATS:
            for (cell_,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell_.number_format = FORMATS[column.kind]
        longest = max(
            [len(str(column.label)) // 2 + 2, 12 if column.kind == "date" else 6]
            + [len(str(cell(row, column) or "")) for row in rows[:500]]
        )
        sheet.column_dimensions[letter].width = min(longest + 2, 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{len(rows) + 1}"


def write_programme(sheet: Worksheet, report: StatusReport) -> None:
    """The programme's figures as label/value pairs."""
    capacity, budget = report.capacity, report.budget
    rows = [
        (_("Programme"), report.programme.title, None),
        (_("As of"), report.as_of, FORMATS["date"]),
        (_("Trajectories planned (capacity)"), capacity.planned, FORMATS["int"]),
        (_("Applications accepted"), capacity.accepted, FORMATS["int"]),
        (_("Capacity remaining"), capacity.remaining, FORMATS["int"]),
        (_("Over capacity"), capacity.over_capacity, FORMATS["int"]),
        (_("Budget: total (EUR)"), budget.total_eur, FORMATS["money"]),
        (_("Budget: committed (EUR)"), budget.committed_eur, FORMATS["money"]),
        (_("Budget: consumed (EUR)"), budget.consumed_eur, FORMATS["money"]),
        (_("Budget: remaining (EUR)"), budget.remaining_eur, FORMATS["money"]),
        (
            _("Budget: forecast at completion (EUR)"),
            budget.forecast_at_completion_eur,
            FORMATS["money"],
        ),
        (_("Trajectories overdue"), budget.trajectories_overdue, FORMATS["int"]),
        (_("Trajectories inactive"), budget.trajectories_inactive, FORMATS["int"]),
        (_("All completed by (median)"), budget.completion_p50, FORMATS["date"]),
        (_("All completed by (cautious)"), budget.completion_p80, FORMATS["date"]),
        (_("Committed means"), budget.committed_definition, None),
        (_("How completion is forecast"), budget.completion_method, None),
    ]
    if capacity.over_capacity:
        rows.insert(6, (over_capacity_text(capacity.over_capacity), capacity.over_capacity, None))
    for session in report.info_sessions:
        rows.append(
            (
                _("Attendees at %(title)s (%(day)s)")
                % {"title": session.title, "day": session.date.strftime("%d/%m/%Y")},
                session.attendees,
                FORMATS["int"],
            )
        )
    for key, chosen in report.filters.items():
        name = FILTER_LABELS.get(key, lambda key=key: key)()
        rows.append((_("Filter: %(name)s") % {"name": name}, chosen.label, None))
    sheet.append([_("Figure"), _("Value")])
    for header in sheet[1]:
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
    for label, figure, number_format in rows:
        append_row(sheet, [str(label), figure])
        if number_format:
            sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "A2"


FILTER_LABELS = {
    "province": lambda: _("Province"),
    "status": lambda: _("Status"),
    "theme": lambda: _("Theme"),
    "expert": lambda: _("Expert"),
}


def round_sheet_title(number: int) -> str:
    return sheet_title(_("Round %(number)s") % {"number": number})


def workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_rounds(workbook: Workbook, report: StatusReport, progress: Progress) -> None:
    """One sheet per round with its municipalities; the rounds share 90 % of the progress by
    their number of rows (the sheets are the work), saving the file takes the rest."""
    total = sum(len(round_.municipalities) + 1 for round_ in report.rounds)
    done = 0
    for round_ in report.rounds:
        progress(90 * done // total, gettext_noop("Writing the tables"))
        rows = round_.municipalities
        sheet = workbook.create_sheet(round_sheet_title(round_.number))
        write_table(sheet, present(MUNICIPALITY_COLUMNS, rows), rows)
        done += len(rows) + 1
    progress(90, gettext_noop("Saving the file"))


def as_xlsx(report: StatusReport, progress: Progress = no_progress) -> bytes:
    workbook = Workbook()
    workbook.properties.title = f"{report.programme.title} – {report.as_of:%d/%m/%Y}"
    summary = workbook.active
    summary.title = sheet_title(_("Summary"))
    write_table(summary, ROUND_COLUMNS, report.rounds)
    write_programme(workbook.create_sheet(sheet_title(_("Programme"))), report)
    write_rounds(workbook, report, progress)
    return workbook_bytes(workbook)


def annex_xlsx(report: StatusReport, progress: Progress = no_progress) -> bytes:
    """The annex: the municipalities of the report's round(s), one sheet each."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_rounds(workbook, report, progress)
    if not workbook.worksheets:
        write_table(workbook.create_sheet(_("Municipalities")), MUNICIPALITY_COLUMNS[:7], [])
    return workbook_bytes(workbook)
