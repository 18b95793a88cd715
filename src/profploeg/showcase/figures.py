"""The programme's public figures, computed from its data: applications, municipalities guided,
trajectories completed, person-days, published cases. Aggregates only: nothing personal."""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from profploeg.applications.models import Application
from profploeg.lib.dates import end_of_day
from profploeg.programmes.models import Programme
from profploeg.trajectories.models import PersonDayEntry, Trajectory

from .models import Case, CaseEvent


def per_programme(rows, key: str, value: str) -> dict:
    return {row[key]: row[value] for row in rows}


def public_figures(today: datetime.date | None = None) -> dict:
    """Per published programme and in total, in a fixed number of queries."""
    today = today or timezone.localdate()
    programmes = list(Programme.objects.filter(published_on__lte=today).order_by("published_on"))
    programme = "round__programme"
    applications = per_programme(
        Application.objects.exclude(status=Application.Status.WITHDRAWN)
        .values(programme)
        .annotate(n=Count("pk")),
        programme,
        "n",
    )
    started = Trajectory.objects.filter(started_on__isnull=False)
    guided = per_programme(
        started.values(f"application__{programme}").annotate(
            n=Count("application__municipality", distinct=True)
        ),
        f"application__{programme}",
        "n",
    )
    completed = per_programme(
        Trajectory.objects.filter(status=Trajectory.Status.COMPLETED)
        .values(f"application__{programme}")
        .annotate(n=Count("pk")),
        f"application__{programme}",
        "n",
    )
    days = per_programme(
        PersonDayEntry.objects.values(f"trajectory__application__{programme}").annotate(
            n=Sum("days")
        ),
        f"trajectory__application__{programme}",
        "n",
    )
    cases = per_programme(
        Case.objects.published()
        .values(f"trajectory__application__{programme}")
        .annotate(n=Count("pk")),
        f"trajectory__application__{programme}",
        "n",
    )
    rows = [
        {
            "id": p.pk,
            "title": p.title,
            "published_on": p.published_on,
            "applications": applications.get(p.pk, 0),
            "municipalities_guided": guided.get(p.pk, 0),
            "trajectories_completed": completed.get(p.pk, 0),
            "person_days": days.get(p.pk) or Decimal("0"),
            "published_cases": cases.get(p.pk, 0),
        }
        for p in programmes
    ]
    ids = [p.pk for p in programmes]
    return {
        "as_of": today,
        "programmes": rows,
        "total": {
            "applications": sum(r["applications"] for r in rows),
            "municipalities_guided": started.filter(**{f"application__{programme}__in": ids})
            .values("application__municipality")
            .distinct()
            .count(),
            "trajectories_completed": sum(r["trajectories_completed"] for r in rows),
            "person_days": sum((r["person_days"] for r in rows), Decimal("0")),
            "published_cases": sum(r["published_cases"] for r in rows),
        },
    }


def showcase_figures(programme: Programme, as_of: datetime.date) -> dict:
    """The `showcase` object of the status report: the programme's cases by status on the date,
    from their audit trail."""
    statuses: dict[int, str] = {}
    for case_id, status in (
        CaseEvent.objects.filter(
            case__trajectory__application__round__programme=programme, at__lte=end_of_day(as_of)
        )
        .order_by("at", "pk")
        .values_list("case_id", "to_status")
    ):
        statuses[case_id] = status
    counts = {status: 0 for status in Case.Status.values}
    for status in statuses.values():
        counts[status] += 1
    return {
        "published": counts[Case.Status.PUBLISHED],
        "in_review": counts[Case.Status.REVIEW],
        "draft": counts[Case.Status.DRAFT],
        "withdrawn": counts[Case.Status.WITHDRAWN],
    }
