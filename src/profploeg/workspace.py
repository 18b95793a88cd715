"""The staff's home page: what needs doing, each item linked to the page where it is done.

A fixed number of queries whatever the number of applications or trajectories."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from profploeg.accounts.permissions import role_required
from profploeg.applications.models import Application, Message
from profploeg.lib.delivery import CLAIM_TTL, claimable
from profploeg.operations.services import retry_unsent_notifications
from profploeg.trajectories.models import IntakeNotice, Trajectory

# A notification still unsent this long after it was made has failed (or its worker was lost).
FAILED_AFTER = CLAIM_TTL
# How many overdue or inactive trajectories the page names; the count covers all of them.
TRAJECTORIES_SHOWN = 10


@dataclass(frozen=True)
class Pile:
    """One kind of work: how many, the oldest (to start with) and where it is done."""

    title: str
    count: int
    oldest: object | None
    oldest_on: datetime.datetime | datetime.date | None
    oldest_url: str | None
    url: str | None


def pile(title: str, queryset: QuerySet, *, order: str, oldest_url, url: str | None = None) -> Pile:
    """Two queries: the count and the oldest row."""
    oldest = queryset.order_by(order, "pk").first()
    return Pile(
        title=title,
        count=queryset.count(),
        oldest=oldest,
        oldest_on=getattr(oldest, order) if oldest else None,
        oldest_url=oldest_url(oldest) if oldest else None,
        url=url,
    )


def application_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def round_url(application: Application, status: str) -> str:
    return reverse("applications:round", args=[application.round_id]) + f"?status={status}"


def todo(*, now: datetime.datetime | None = None) -> dict:
    """Everything the workspace shows, read once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    applications = Application.objects.select_related("municipality", "round")
    Status = Application.Status
    to_check = applications.filter(status=Status.SUBMITTED)
    to_assess = applications.filter(status=Status.ADMISSIBLE)
    unsent = claimable(now) & Q(created_at__lte=now - FAILED_AFTER)
    attention = (
        Trajectory.objects.needing_attention(today)
        .select_related("application__municipality", "application__round__programme")
        .order_by("planned_end", "pk")
    )
    piles = [
        pile(
            gettext_lazy("Applications awaiting the admissibility check"),
            to_check,
            order="submitted_at",
            oldest_url=application_url,
        ),
        pile(
            gettext_lazy("Applications awaiting the assessment"),
            to_assess,
            order="submitted_at",
            oldest_url=application_url,
        ),
        pile(
            gettext_lazy("Intakes to plan"),
            applications.awaiting_intake(),
            order="submitted_at",
            oldest_url=lambda a: reverse("trajectories:intake_plan", args=[a.pk]),
            url=reverse("trajectories:list"),
        ),
        pile(
            gettext_lazy("Follow-ups the province has not recorded yet"),
            applications.awaiting_referral(),
            order="submitted_at",
            oldest_url=application_url,
        ),
        pile(
            gettext_lazy("Messages to municipalities that were not sent"),
            Message.objects.filter(unsent).select_related(
                "application__municipality", "application__round"
            ),
            order="created_at",
            oldest_url=lambda m: application_url(m.application) if m.application else None,
        ),
        pile(
            gettext_lazy("Intake invitations and updates that were not sent"),
            IntakeNotice.objects.filter(unsent).select_related(
                "intake__application__municipality", "intake__application__round"
            ),
            order="created_at",
            oldest_url=lambda n: reverse("trajectories:intake", args=[n.intake_id]),
        ),
    ]
    return {
        "piles": piles[:4],
        "notifications": piles[4:],
        "failed_notifications": sum(p.count for p in piles[4:]),
        "attention": list(attention[:TRAJECTORIES_SHOWN]),
        "attention_count": attention.count(),
        "today": today,
    }


@role_required("staff")
def workspace(request):
    """Staff: what needs doing, oldest first, each linked to where it is done."""
    return render(request, "workspace.html", todo())


@require_POST
@role_required("staff")
def retry_notifications(request):
    """Staff: send the notifications that were not sent once more."""
    sent = retry_unsent_notifications(older_than=FAILED_AFTER)
    messages.success(
        request,
        ngettext(
            "%(count)d notification was queued to be sent again.",
            "%(count)d notifications were queued to be sent again.",
            sent["messages"] + sent["intake_notices"],
        )
        % {"count": sent["messages"] + sent["intake_notices"]},
    )
    return redirect("workspace")
