"""The status report: where every application stands on a date, computed from recorded history.

Values are Python dates, Decimals and ints; each export format serialises them its own way.

One function computes the figures; the page, the CLI and the downloads all render its result."""

import datetime
from collections import Counter

from django.db.models import OuterRef, Subquery

from profploeg.applications.models import Application, Transition
from profploeg.evaluations.summary import evaluation_figures
from profploeg.lib.dates import end_of_day, local_date
from profploeg.programmes.models import Programme
from profploeg.showcase.figures import showcase_figures

from .filters import ReportFilter, regroup_guidance
from .guidance import add_guidance

Status = Application.Status


def applications_on(programme: Programme, as_of: datetime.date):
    """The programme's applications received by `as_of`, each with `status_on` and `reason_on`."""
    latest = Transition.objects.filter(
        application=OuterRef("pk"), at__lte=end_of_day(as_of)
    ).order_by("-at", "-pk")
    return (
        Application.objects.filter(round__programme=programme)
        .with_status_on(as_of)
        .annotate(reason_on=Subquery(latest.values("reason")[:1]))
        .select_related("round", "municipality__province", "municipality__merged_into")
        .prefetch_related("themes")
        .order_by("round__number", "municipality__name")
    )


def municipality_row(application: Application) -> dict:
    municipality = application.municipality
    return {
        "refnis": municipality.refnis,
        "name": municipality.name,
        "name_now": municipality.current.name,
        "refnis_now": municipality.current.refnis,
        "province": municipality.province.name,
        "received": local_date(application.submitted_at),
        "status": application.status_on,
        "status_label": str(Status(application.status_on).label),
        "reason": application.reason_on
        if application.status_on in (Status.INADMISSIBLE, Status.DEFERRED)
        else "",
        "themes": [theme.name for theme in application.themes.all()],
    }


def round_figures(statuses: Counter) -> dict:
    return {
        "submitted": sum(statuses.values()),
        "admissible": sum(statuses[s] for s in Application.ADMITTED),
        "inadmissible": statuses[Status.INADMISSIBLE],
        "deferred": statuses[Status.DEFERRED],
        "accepted": statuses[Status.ACCEPTED],
        "withdrawn": statuses[Status.WITHDRAWN],
        "awaiting_decision": statuses[Status.SUBMITTED] + statuses[Status.ADMISSIBLE],
    }


def status_report(
    *,
    programme: Programme,
    as_of: datetime.date,
    round_number: int | None = None,
    province: str | None = None,
    status: str | None = None,
    theme: str | None = None,
    expert: int | None = None,
) -> dict:
    """Per round: applications and decisions as of the date; programme: sessions and capacity.

    Filters (province REFNIS code or name, status on the date, theme slug, expert id) keep the
    matching applications; the rounds' figures are then theirs (see `filters.py`)."""
    report_filter = ReportFilter(province=province, status=status, theme=theme, expert=expert)
    report_filter.validate()
    rounds = list(programme.rounds.filter(opens_on__lte=as_of).order_by("number"))
    rows_by_round: dict[int, list[dict]] = {r.pk: [] for r in rounds}
    statuses_by_round: dict[int, Counter] = {r.pk: Counter() for r in rounds}
    applications = list(applications_on(programme, as_of))
    # Capacity is the whole programme's, whatever the filters.
    accepted = sum(application.status_on == Status.ACCEPTED for application in applications)
    for application in report_filter.kept(applications):
        rows_by_round.setdefault(application.round_id, []).append(municipality_row(application))
        statuses_by_round.setdefault(application.round_id, Counter())[application.status_on] += 1
    report_rounds = [
        {
            "number": r.number,
            "opens_on": r.opens_on,
            "deadline": r.deadline,
            **round_figures(statuses_by_round[r.pk]),
            "municipalities": rows_by_round[r.pk],
        }
        for r in rounds
        if round_number is None or r.number == round_number
    ]
    report = {
        "programme": {
            "id": programme.pk,
            "title": programme.title,
            "published_on": programme.published_on,
        },
        "as_of": as_of,
        "rounds": report_rounds,
        "info_sessions": [
            {
                "date": session.held_on,
                "title": session.title,
                "registrations": session.registrations,
                "attendees": session.attendees,
            }
            for session in programme.info_sessions.filter(held_on__lte=as_of).order_by("held_on")
        ],
        "capacity": {
            "planned": programme.capacity,
            "accepted": accepted,
            "remaining": programme.capacity - accepted,
        },
    }
    add_guidance(report, programme, as_of)
    if report_filter.active:
        for round_ in report["rounds"]:
            regroup_guidance(round_)
    report["filters"] = report_filter.describe()
    report["evaluation"] = evaluation_figures(programme, as_of)
    report["showcase"] = showcase_figures(programme, as_of)
    return report


def programme_for(as_of: datetime.date, programme_id: int | None = None) -> Programme:
    """The programme asked for, or else the latest one published by the date."""
    if programme_id is not None:
        return Programme.objects.get(pk=programme_id)
    programme = (
        Programme.objects.filter(published_on__lte=as_of).order_by("-published_on", "-pk").first()
    )
    if programme is None:
        raise Programme.DoesNotExist(f"No programme was published by {as_of.isoformat()}.")
    return programme
