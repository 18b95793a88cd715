"""What the status page shows of each round, prepared for its template."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import charts
from .schema import ReportRound
from .tables import MUNICIPALITY_COLUMNS, Column, cell, present

# The page shows the status by its label; the REFNIS code of today's municipality is in the
# downloads (the name now is on the page).
PAGE_SKIP = {"refnis_now"}
# Shown only when some row has one (few trajectories get an expected end set by staff).
SKIP_WHEN_EMPTY = {"expected_end_reason", "stopped_on"}


def cell_html(column: Column, value, status: str) -> str:
    """One cell of the municipalities' table, formatted for the page."""
    css = f"col-{column.key} num" if column.numeric else f"col-{column.key}"
    if value is None or value == "":
        text = ""
    elif column.key == "status_label":
        text = f'<span class="badge {escape(status)}">{escape(value)}</span>'
    elif column.kind == "date":
        text = value.strftime("%d/%m/%Y")
    elif column.kind in ("money", "days"):
        places = 2 if column.kind == "money" else 1
        text = number_format(value, places, use_l10n=True, force_grouping=True)
    else:
        text = escape(value)
    return f'<td class="{css}">{text}</td>'


def round_page(round_: ReportRound) -> dict:
    """What the page shows of a round: its figures, its charts, its municipalities' table.

    The table's cells are formatted here rather than in the template: a template tag per cell
    made a round of a few thousand applications take seconds."""
    rows = round_.municipalities
    columns = [
        column
        for column in present(MUNICIPALITY_COLUMNS, rows)
        if column.key not in PAGE_SKIP
        and (column.key not in SKIP_WHEN_EMPTY or any(cell(row, column) for row in rows))
    ]
    return {
        "round": round_,
        "charts": charts.round_charts(round_),
        "columns": columns,
        "rows": [
            mark_safe(
                "".join(
                    cell_html(column, value, row.status)
                    for column, value in zip(columns, values, strict=True)
                )
            )
            for row, values in zip(
                rows, ([cell(row, column) for column in columns] for row in rows), strict=True
            )
        ],
    }
