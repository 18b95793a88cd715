from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from profploeg.accounts.permissions import role_required
from profploeg.lib.paging import paginate

from .display import entries_of
from .registry import AUDITED, audited_label


def belonging_to(obj, accessors: list[str]) -> list:
    """The rows that belong to obj, through its reverse relations (missing one-to-ones skipped)."""
    rows = []
    for accessor in accessors:
        try:
            related = getattr(obj, accessor)
        except ObjectDoesNotExist:
            continue
        rows.extend(related.all() if hasattr(related, "all") else [related])
    return rows


# The newest changes first; older ones a page further, none left out.
HISTORY_PAGE_SIZE = 100


@role_required("staff")
def history(request, app_label: str, model_name: str, pk: int):
    """Staff: every logged change of an object and of the rows that belong to it."""
    label = audited_label(app_label, model_name)
    if label is None:
        raise Http404
    model = apps.get_model(label)
    obj = get_object_or_404(model, pk=pk)
    objects = [obj, *belonging_to(obj, AUDITED[label].get("related", []))]
    condition = Q(pk__in=[])
    for row in objects:
        condition |= Q(
            content_type=ContentType.objects.get_for_model(row, for_concrete_model=False),
            object_pk=str(row.pk),
        )
    page = paginate(
        request,
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk"),
        HISTORY_PAGE_SIZE,
    )
    return render(
        request,
        "audit/history.html",
        {
            "object": obj,
            "verbose_name": model._meta.verbose_name,
            "entries": entries_of(page.object_list),
            "page": page,
        },
    )
