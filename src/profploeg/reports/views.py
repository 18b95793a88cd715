from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from profploeg.accounts.permissions import role_required
from profploeg.lib.spreadsheets import csv_dialect
from profploeg.programmes.models import Programme

from . import charts, exports, maps
from .forms import AsOfForm
from .page import round_page, summary
from .status import status_report

# Query parameters that choose a download rather than what the report shows.
DOWNLOAD_PARAMETERS = ("format", "table", "annex", "dialect")


def download(export: exports.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def export_fields(programme, as_of, round_number, filters: dict) -> list[tuple[str, str]]:
    fields = {"programme": programme.pk, "as_of": as_of.isoformat(), "round": round_number}
    return [(name, str(value)) for name, value in (fields | filters).items() if value is not None]


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
    # CSV for Excel in Belgium unless `?dialect=machine` (comma, decimal point, English keys).
    try:
        dialect = csv_dialect(request.GET.get("dialect"))
    except ValidationError as error:
        return HttpResponseBadRequest(error.messages[0])
    # Direct downloads (the API's and scripts' way; the page starts the binary ones as a
    # background download, see `downloads`).
    if format in exports.FORMATS:
        with_annex = bool(annex) and format in exports.ANNEX_FORMATS
        export = exports.export_status(
            programme,
            as_of=as_of,
            format=format,
            round_number=annex if with_annex else round_number,
            annex=with_annex,
            filters=filters,
            table=table,
            dialect=dialect,
        )
        return download(export)
    report = status_report(programme=programme, as_of=as_of, round_number=round_number, **filters)
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
            # What a background download of this report needs (hidden fields of its form).
            "export_fields": export_fields(programme, as_of, round_number, filters),
            "rounds": [round_page(round_) for round_ in report.rounds],
            **summary(report),
            "programme_charts": charts.programme_charts(report),
            "map_chart": map_chart,
            "province_chart": None if map_chart else maps.province_tiles(report),
        },
    )
