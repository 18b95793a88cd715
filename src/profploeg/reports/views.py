from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from profploeg.accounts.permissions import role_required
from profploeg.lib.spreadsheets import csv_dialect
from profploeg.operations.versioning import cached
from profploeg.programmes.models import Programme

from . import charts, exports, maps
from .filters import ReportFilter
from .forms import AsOfForm
from .page import round_pages, summary
from .status import status_report

# Query parameters that choose a download rather than what the report shows.
DOWNLOAD_PARAMETERS = ("format", "table", "annex", "dialect")


def download(content: bytes, name: str, format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def rendered(report, format: str, *, table: str, annex: bool, dialect) -> tuple[bytes, str]:
    return (
        exports.render(report, format, table=table, annex=annex, dialect=dialect),
        exports.filename(report, format, table=table, annex=annex),
    )


@role_required("staff", "expert")
def status(request, pk: int):
    """Staff and experts: the status report of a programme as of any date, or a download of it.

    Downloads and the page's figures are cached under the data version (`operations.versioning.cached`)."""
    programme = get_object_or_404(Programme, pk=pk)
    form = AsOfForm(request.GET, programme=programme)
    if form.is_valid():
        as_of, round_number = form.as_of_date(), form.cleaned_data["round"]
        annex, filters = form.cleaned_data["annex"], form.filters()
    else:
        as_of, round_number, annex, filters = timezone.localdate(), None, None, {}
    format = request.GET.get("format")
    table = request.GET.get("table")
    table = table if table in exports.CSV_TABLES else "municipalities"
    # CSV for Excel in Belgium unless `?dialect=machine` (comma, decimal point, English keys).
    try:
        dialect = csv_dialect(request.GET.get("dialect"))
    except ValidationError as error:
        return HttpResponseBadRequest(error.messages[0])
    asked = (programme.pk, as_of, round_number, tuple(sorted(filters.items())))
    if format in exports.FORMATS:
        # The documents for Parliament are Dutch whatever the language of the screen.
        with translation.override("nl-be") if format in exports.DOCUMENTS else nullcontext():
            if annex and format in exports.ANNEX_FORMATS:
                parts, chosen, as_annex = ("annex", *asked, annex), annex, True
            else:
                parts, chosen, as_annex = ("download", *asked), round_number, False
            content, name = cached(
                (*parts, format, table, dialect.name),
                lambda: rendered(
                    status_report(programme=programme, as_of=as_of, round_number=chosen, **filters),
                    format,
                    table=table,
                    annex=as_annex,
                    dialect=dialect,
                ),
            )
        return download(content, name, format)
    # The link that reproduces this report; downloads add their own format to it.
    query = request.GET.copy()
    for name in DOWNLOAD_PARAMETERS:
        query.pop(name, None)
    query["as_of"] = as_of.isoformat()
    query.pop("page", None)
    query = query.urlencode()

    def body() -> str:
        report = status_report(
            programme=programme, as_of=as_of, round_number=round_number, **filters
        )
        map_chart = maps.status_map(report)
        return render_to_string(
            "reports/status_body.html",
            {
                "report": report,
                "as_of": as_of,
                "query": query,
                "rounds": round_pages(request, report, round_number),
                **summary(report),
                "programme_charts": charts.programme_charts(report),
                "map_chart": map_chart,
                "province_chart": None if map_chart else maps.province_tiles(report),
            },
        )

    return render(
        request,
        "reports/status.html",
        {
            "programme": programme,
            "filters": ReportFilter(**filters).describe(),
            "form": form,
            "as_of": as_of,
            "query": query,
            "body": mark_safe(cached(("page", *asked, query, request.GET.get("page")), body)),
        },
    )
