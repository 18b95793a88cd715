"""What the status page shows of each round, prepared for its template.

The page answers the questions with summary figures; per round it shows a compact table of six
columns (municipality, status, trajectory, committed, consumed, expected end) that opens on
demand. Every column of every row stays in the downloads (CSV, XLSX, annex).

A long report stays a page that opens in a moment: a report of more than `ROWS_ON_ONE_PAGE`
applications shows the first `ROWS_PER_ROUND` of each round, with a link to the round's own
page (`?round=N`), where its table is paged, `ROWS_PER_PAGE` at a time, under its charts."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import HttpRequest
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profploeg.evaluations.models import Indicator
from profploeg.lib import formats
from profploeg.lib.paging import paginate

from . import charts
from .schema import ReportMunicipality, ReportRound, StatusReport
from .tables import ROUND_COLUMNS

ROWS_ON_ONE_PAGE = 300
ROWS_PER_ROUND = 10
ROWS_PER_PAGE = 100


@dataclass(frozen=True)
class PageColumn:
    key: str
    label: str
    numeric: bool = False
    # Says something only once an application has a trajectory.
    guidance: bool = False


COMPACT_COLUMNS = [
    PageColumn("municipality", gettext_lazy("Municipality")),
    PageColumn("status", gettext_lazy("Status")),
    PageColumn("trajectory", gettext_lazy("Trajectory"), guidance=True),
    PageColumn("committed", gettext_lazy("Committed"), numeric=True, guidance=True),
    PageColumn("consumed", gettext_lazy("Consumed"), numeric=True, guidance=True),
    PageColumn("expected_end", gettext_lazy("Expected end"), guidance=True),
]


def money(value) -> str:
    """Euros as the page writes them: "€ 1.500.000", cents only when there are some."""
    return formats.money(value, 0 if value == value.to_integral_value() else 2)


def table_date(day) -> str:
    """A date in a table: "07/02/2022" (in text the template writes "7 februari 2022")."""
    return formats.short_day(day)


def expected_end(row: ReportMunicipality) -> str:
    """The trajectory's end: the day it completed or stopped, else the expected end (the date
    staff set, or the forecast range P50–P80)."""
    if row.completed_on:
        return format_html("{} {}", _("completed"), table_date(row.completed_on))
    if row.stopped_on:
        return format_html("{} {}", _("stopped"), table_date(row.stopped_on))
    p50, p80 = row.expected_completion_p50, row.expected_completion_p80
    if not p50:
        return ""
    if row.expected_end_set_by_staff:
        # Staff's expected end wins, visibly, with their reason.
        return format_html(
            '{} <span class="muted">({}: {})</span>',
            table_date(p50),
            _("set by programme staff"),
            row.expected_end_reason,
        )
    if p80 and p80 != p50:
        return f"{table_date(p50)} – {table_date(p80)}"
    return table_date(p50)


def municipality_name(row: ReportMunicipality) -> str:
    if row.name_now and row.name_now != row.name:
        return format_html(
            '{} <span class="muted">({})</span>',
            row.name,
            _("now %(name)s") % {"name": row.name_now},
        )
    return escape(row.name)


def row_html(row: ReportMunicipality, columns: list[PageColumn]) -> SafeString:
    """One row of a round's compact table; each cell names its column for narrow screens,
    where the table stacks (see reports.css)."""
    guided = row.has_trajectory
    values = {
        "municipality": municipality_name(row),
        "status": format_html('<span class="badge {}">{}</span>', row.status, row.status_label),
        "trajectory": format_html(
            '<span class="badge {}">{}</span>',
            row.trajectory_state,
            row.trajectory_state_label,
        )
        if guided
        else "",
        "committed": money(row.committed_eur) if guided else "",
        "consumed": money(row.consumed_eur) if guided else "",
        "expected_end": expected_end(row) if guided else "",
    }
    cells = []
    for column in columns:
        tag = "th" if column.key == "municipality" else "td"
        css = f"col-{column.key} num" if column.numeric else f"col-{column.key}"
        scope = ' scope="row"' if tag == "th" else ""
        cells.append(
            f'<{tag}{scope} class="{css}" data-label="{escape(column.label)}">'
            f"{values[column.key]}</{tag}>"
        )
    return mark_safe("".join(cells))


def round_page(round_: ReportRound, *, shown: int | None = None, page: Page | None = None) -> dict:
    """What the page shows of a round: its figures, its charts, its compact table (the first
    `shown` rows, or one `page` of them, or all).

    The table's cells are formatted here rather than in the template: a template tag per cell
    made a round of a few thousand applications take seconds."""
    rows = round_.municipalities
    guided = any(row.has_trajectory for row in rows)
    columns = [column for column in COMPACT_COLUMNS if guided or not column.guidance]
    visible = page.object_list if page is not None else rows[:shown]
    return {
        "round": round_,
        # A long report draws each round's charts on the round's own page only.
        "charts": [] if shown else charts.round_charts(round_, limit=charts.BARS_PER_CHART),
        "columns": columns,
        "rows": [row_html(row, columns) for row in visible],
        "total": len(rows),
        "page": page,
        "more": page is None and len(visible) < len(rows),
        **round_money(round_),
    }


def round_pages(request: HttpRequest, report: StatusReport, round_number: int | None) -> list:
    """Every round of the page: a report filtered to one round pages its table; a long report
    shows the first rows of each round; a short one shows them all."""
    if round_number is not None:
        return [
            round_page(round_, page=paginate(request, round_.municipalities, ROWS_PER_PAGE))
            for round_ in report.rounds
        ]
    long = sum(len(round_.municipalities) for round_ in report.rounds) > ROWS_ON_ONE_PAGE
    shown = ROWS_PER_ROUND if long else None
    return [round_page(round_, shown=shown) for round_ in report.rounds]


def whole_euros(value) -> str:
    """An amount on a summary card: whole euros ("€ 1.686.022"); the cents are in the tables
    and the downloads."""
    return formats.money(value, 0)


def round_money(round_: ReportRound) -> dict:
    return {
        "committed": whole_euros(round_.committed_eur),
        "consumed": whole_euros(round_.consumed_eur),
    }


# The rows of the table of applications per round: a figure per row, a round per column, so the
# table stays narrow whatever the length of the labels.
ROUND_FIGURES = [
    "submitted",
    "late_from_previous_round",
    "ever_admissible",
    "inadmissible",
    "deferred",
    "accepted",
    "withdrawn",
    "awaiting_admissibility",
    "awaiting_assessment",
]


def round_figures(report: StatusReport) -> list[dict]:
    columns = {column.key: column for column in ROUND_COLUMNS}
    if not report.rounds:
        return []
    return [
        {
            "key": "deadline",
            "label": columns["deadline"].label,
            "values": [table_date(round_.deadline) for round_ in report.rounds],
        },
        *(
            {
                "key": key,
                "label": columns[key].label,
                "values": [getattr(round_, key) for round_ in report.rounds],
            }
            for key in ROUND_FIGURES
        ),
    ]


def summary(report: StatusReport) -> dict:
    """The figures above the rounds: the applications of every round together, and the budget's
    amounts written as the page writes money."""
    rounds = report.rounds
    budget = report.budget
    return {
        "round_figures": round_figures(report),
        "totals": {
            key: sum(getattr(round_, key) for round_ in rounds)
            for key in (
                "submitted",
                "ever_admissible",
                "accepted",
                "inadmissible",
                "deferred",
                "withdrawn",
            )
        }
        | {
            "awaiting": sum(r.awaiting_admissibility + r.awaiting_assessment for r in rounds),
        },
        "indicators": [
            {
                "label": Indicator.Kind(item.kind).label
                if item.kind in Indicator.Kind.values
                else item.kind,
                "trajectories": item.trajectories,
                "before": item.before_average,
                "after": item.after_average,
            }
            for item in report.evaluation.indicators
        ],
        "budget": {
            "total": whole_euros(budget.total_eur),
            "committed": whole_euros(budget.committed_eur),
            "consumed": whole_euros(budget.consumed_eur),
            "remaining": whole_euros(budget.remaining_eur),
            "forecast": whole_euros(budget.forecast_at_completion_eur),
        },
    }
