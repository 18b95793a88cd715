from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation

from profploeg.accounts.permissions import role_required
from profploeg.lib.spreadsheets import csv_dialect
from profploeg.programmes.models import Programme

from . import charts, exports, maps
from .forms import AsOfForm
from .page import round_pages, summary
from .status import status_report

# Query parameters that choose a download rather than what the report shows.
DOWNLOAD_PARAMETERS = ("format", "table", "annex", "dialect")


def download(report, format: str, *, table: str, annex: bool, dialect) -> HttpResponse:
    response = HttpResponse(
        exports.render(report, format, table=table, annex=annex, dialect=dialect),
        content_type=exports.CONTENT_TYPES[format],
    )
    name = exports.filename(report, format, table=table, annex=annex)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required("staff", "expert")
def status(request, pk: int):
    """Staff and experts: the status report of a programme as of any date, or a download of it."""
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
    # The documents for Parliament are Dutch whatever the language of the screen.
    with translation.override("nl-be") if format in exports.DOCUMENTS else nullcontext():
        if annex and format in exports.ANNEX_FORMATS:
            report = status_report(programme=programme, as_of=as_of, round_number=annex, **filters)
            return download(report, format, table=table, annex=True, dialect=dialect)
        report = status_report(
            programme=programme, as_of=as_of, round_number=round_number, **filters
        )
        if format in exports.FORMATS:
            return download(report, format, table=table, annex=False, dialect=dialect)
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
            "rounds": round_pages(request, report, round_number),
            **summary(report),
            "programme_charts": charts.programme_charts(report),
            "map_chart": map_chart,
            "province_chart": None if map_chart else maps.province_tiles(report),
        },
    )
