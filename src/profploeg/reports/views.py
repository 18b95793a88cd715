from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from profploeg.accounts.permissions import role_required
from profploeg.programmes.models import Programme

from . import charts, exports, maps
from .forms import AsOfForm
from .status import status_report
from .tables import MUNICIPALITY_COLUMNS, Column, cell, present

# On the page the municipality's name now carries its REFNIS code when it changed.
PAGE_SKIP = {"refnis_now", "status"}

# Query parameters that choose a download rather than what the report shows.
DOWNLOAD_PARAMETERS = ("format", "table", "annex")


def download(report: dict, format: str, *, table: str, annex: bool) -> HttpResponse:
    response = HttpResponse(
        exports.render(report, format, table=table, annex=annex),
        content_type=exports.CONTENT_TYPES[format],
    )
    name = exports.filename(report, format, table=table, annex=annex)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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


def round_page(round_: dict) -> dict:
    """What the page shows of a round: its figures, its charts, its municipalities' table.

    The table's cells are formatted here rather than in the template: a template tag per cell
    made a round of a few thousand applications take seconds."""
    rows = round_["municipalities"]
    columns = [
        column for column in present(MUNICIPALITY_COLUMNS, rows) if column.key not in PAGE_SKIP
    ]
    return {
        "round": round_,
        "charts": charts.round_charts(round_),
        "columns": columns,
        "rows": [
            mark_safe(
                "".join(
                    cell_html(column, value, row["status"])
                    for column, value in zip(columns, values, strict=True)
                )
            )
            for row, values in zip(
                rows, ([cell(row, column) for column in columns] for row in rows), strict=True
            )
        ],
    }


@role_required("staff", "expert")
def status(request, pk: int):
    """Staff and experts: the status report of a programme as of any date, or a download of it."""
    programme = get_object_or_404(Programme, pk=pk)
    form = AsOfForm(request.GET)
    if form.is_valid():
        as_of, round_number = form.as_of_date(), form.cleaned_data["round"]
        annex, filters = form.cleaned_data["annex"], form.filters()
    else:
        as_of, round_number, annex, filters = timezone.localdate(), None, None, {}
    format = request.GET.get("format")
    table = request.GET.get("table")
    table = table if table in exports.CSV_TABLES else "municipalities"
    if annex and format in exports.ANNEX_FORMATS:
        report = status_report(programme=programme, as_of=as_of, round_number=annex, **filters)
        return download(report, format, table=table, annex=True)
    report = status_report(programme=programme, as_of=as_of, round_number=round_number, **filters)
    if format in exports.FORMATS:
        return download(report, format, table=table, annex=False)
    # The link that reproduces this report; downloads add their own format to it.
    query = request.GET.copy()
    for name in DOWNLOAD_PARAMETERS:
        query.pop(name, None)
    query["as_of"] = as_of.isoformat()
    map_chart = maps.status_map(report)
    return render(
        request,
        "reports/status.html",
        {
            "programme": programme,
            "report": report,
            "form": form,
            "as_of": as_of,
            "query": query.urlencode(),
            "rounds": [round_page(round_) for round_ in report["rounds"]],
            "programme_charts": charts.programme_charts(report),
            "map_chart": map_chart,
            "province_chart": None if map_chart else maps.province_tiles(report),
        },
    )
