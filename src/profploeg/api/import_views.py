"""The staff page for a bulk import of applications: upload, preview with row errors, confirm.

The upload waits between preview and confirmation in the media folder, under a random name in
a folder of the user's own, and is removed once imported (or, never confirmed, by the nightly
remove_unconfirmed_uploads after IMPORT_UPLOAD_HOURS: lib/uploads.py)."""

import re
import uuid
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from profploeg.accounts.permissions import role_required
from profploeg.applications.imports import ImportFailed, import_applications
from profploeg.lib import uploads
from profploeg.programmes.models import Programme

from .forms import ImportForm

PENDING = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")


def pending_path(user, name: str) -> str:
    return uploads.pending_path(user, name, pattern=PENDING)


@role_required("staff")
def import_applications_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and request.POST.get("confirm"):
        return confirm(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        programme = form.cleaned_data["programme"]
        try:
            result = import_applications(
                programme=programme,
                upload=upload,
                filename=upload.name,
                by=request.user,
                dry_run=True,
            )
        except ImportFailed as failed:
            context.update(row_errors=failed.row_errors, failure=failed.messages[0])
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            name = f"{uuid.uuid4().hex}.{extension}"
            upload.seek(0)
            default_storage.save(pending_path(request.user, name), upload)
            context.update(preview=result, pending=name, programme=programme)
    return render(request, "api/application_import.html", context)


def confirm(request):
    name = request.POST.get("confirm", "")
    path = pending_path(request.user, name)
    programme = get_object_or_404(Programme, pk=request.POST.get("programme") or 0)
    if not default_storage.exists(path):
        messages.error(request, _("This upload is gone; upload the file again."))
        return redirect("imports:applications")
    try:
        with default_storage.open(path, "rb") as upload:
            result = import_applications(
                programme=programme, upload=upload, filename=name, by=request.user
            )
    except ImportFailed as failed:
        # Something changed since the preview (another application came in): show it.
        return render(
            request,
            "api/application_import.html",
            {"form": ImportForm(), "row_errors": failed.row_errors, "failure": failed.messages[0]},
        )
    finally:
        default_storage.delete(path)
    messages.success(
        request,
        _("Imported %(count)d applications into “%(programme)s”.")
        % {"count": result.created, "programme": programme},
    )
    return redirect("imports:applications")
