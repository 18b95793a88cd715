"""Background downloads: start one (the forms on the report and history pages post here), follow
its progress, fetch the file; a list of one's own recent downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import Download
from .permissions import get_visible_download
from .services import request_download

# How often the page without JavaScript reloads itself while the file is being made (seconds).
REFRESH_SECONDS = 2
# Form fields that are not the kind's parameters.
NOT_PARAMETERS = {"csrfmiddlewaretoken", "kind"}


@require_GET
def download_list(request):
    """Every logged-in user: their own downloads of the last day."""
    downloads = Download.objects.visible_to(request.user)[:50]
    return render(request, "downloads/download_list.html", {"downloads": downloads})


@require_POST
def start(request):
    """Whoever may make the kind (the service checks the role): queue it and follow it."""
    params = {
        name: value
        for name, value in request.POST.items()
        if name not in NOT_PARAMETERS and value != ""
    }
    try:
        download = request_download(
            user=request.user, kind=request.POST.get("kind", ""), params=params
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            problems = [
                f"{name}: {message}"
                for name, texts in error.message_dict.items()
                for message in texts
            ]
        else:
            problems = error.messages
        messages.error(request, " ".join(problems))
        return redirect("downloads:list")
    return redirect("downloads:detail", pk=download.pk)


def status_data(download: Download) -> dict:
    return {
        "id": download.pk,
        "status": download.status,
        "status_label": str(download.get_status_display()),
        "progress": download.progress,
        "step": _(download.step) if download.step else "",
        "finished": download.finished,
    }


@require_GET
def detail(request, pk: int):
    """The requester: progress while it is made, then the file (or why it failed)."""
    download = get_visible_download(request.user, pk)
    return render(
        request,
        "downloads/download_detail.html",
        {"download": download, "status": status_data(download), "refresh": REFRESH_SECONDS},
    )


@require_GET
def status(request, pk: int):
    """The requester: what the page's script polls."""
    return JsonResponse(status_data(get_visible_download(request.user, pk)))


@require_GET
def file(request, pk: int):
    """The requester: the finished file, under its own name."""
    download = get_visible_download(request.user, pk)
    if download.status != Download.Status.DONE or not download.file:
        raise Http404(_("This file is not ready."))
    try:
        handle = download.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("This file is no longer available.")) from missing
    return FileResponse(
        handle, as_attachment=True, filename=download.filename, content_type=download.content_type
    )
