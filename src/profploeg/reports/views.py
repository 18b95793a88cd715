from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from profploeg.accounts.permissions import role_required
from profploeg.programmes.models import Programme

from . import exports
from .forms import AsOfForm
from .status import status_report


@role_required("staff", "expert")
def status(request, pk: int):
    """Staff and experts: the status report of a programme as of any date, or a download of it."""
    programme = get_object_or_404(Programme, pk=pk)
    form = AsOfForm(request.GET)
    if form.is_valid():
        as_of, round_number = form.as_of_date(), form.cleaned_data["round"]
    else:
        as_of, round_number = timezone.localdate(), None
    report = status_report(programme=programme, as_of=as_of, round_number=round_number)
    download = request.GET.get("format")
    if download in exports.FORMATS:
        response = HttpResponse(
            exports.render(report, download), content_type=exports.CONTENT_TYPES[download]
        )
        filename = f"statusrapport-{programme.pk}-{as_of.isoformat()}.{download}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "reports/status.html",
        {"programme": programme, "report": report, "form": form, "as_of": as_of},
    )
