"""The staff page for a history import: upload, preview with every problem, confirm; the
template and a programme's history to download.

The upload waits between preview and confirmation in the media folder, under a random name in a
folder of the user's own, and is removed once imported (as on the applications import page)."""

import re
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from profploeg.accounts.permissions import role_required
from profploeg.lib import uploads
from profploeg.programmes.models import Programme

from .export import export_history, template_workbook
from .forms import HistoryImportForm
from .services import HistoryImportFailed, import_history

PENDING = re.compile(r"^[0-9a-f]{32}\.xlsx$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pending_path(user, name: str) -> str:
    return uploads.pending_path(user, name, pattern=PENDING, prefix="history-")


def workbook_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required("staff")
def import_page(request):
    if request.method == "POST" and request.POST.get("confirm"):
        return confirm(request)
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "programmes": Programme.objects.order_by("-published_on", "-pk")}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = import_history(content=content, by=request.user, dry_run=True)
        except HistoryImportFailed as failed:
            context.update(row_errors=failed.row_errors, failure=failed.messages[0])
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            name = f"{uuid.uuid4().hex}.xlsx"
            upload.seek(0)
            default_storage.save(pending_path(request.user, name), upload)
            context.update(preview=result, pending=name)
    return render(request, "history/history_import.html", context)


def confirm(request):
    path = pending_path(request.user, request.POST.get("confirm", ""))
    if not default_storage.exists(path):
        messages.error(request, _("This upload is gone; upload the file again."))
        return redirect("history:import")
    try:
        with default_storage.open(path, "rb") as upload:
            result = import_history(content=upload.read(), by=request.user)
    except HistoryImportFailed as failed:
        # Something changed since the preview: show what.
        return render(
            request,
            "history/history_import.html",
            {
                "form": HistoryImportForm(),
                "programmes": Programme.objects.order_by("-published_on", "-pk"),
                "row_errors": failed.row_errors,
                "failure": failed.messages[0],
            },
        )
    finally:
        default_storage.delete(path)
    messages.success(
        request,
        _("Imported the history into programme %(id)s.") % {"id": result.programme_id},
    )
    return redirect("programmes:detail", pk=result.programme_id)


@require_GET
@role_required("staff")
def template(request):
    return workbook_response(template_workbook(), "profploeg-history-template.xlsx")


@require_GET
@role_required("staff")
def export(request, pk: int):
    programme = get_object_or_404(Programme, pk=pk)
    return workbook_response(
        export_history(programme=programme), f"profploeg-history-{programme.pk}.xlsx"
    )
