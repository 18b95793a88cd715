"""The status report: where every application stands on a date, computed from recorded history.

One function, `status_report`, computes the figures once into the typed `schema.StatusReport`;
the page, the CLI, the downloads and the API all render that one structure."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import ngettext

from profploeg.applications.models import Application, Transition
from profploeg.evaluations.summary import evaluation_figures
from profploeg.lib.dates import end_of_day, local_date
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import Programme, Round, Theme
from profploeg.showcase.figures import showcase_figures
from profploeg.trajectories.models import Expert, Trajectory
from profploeg.trajectories.monitor import (
    BudgetMonitor,
    Group,
    Line,
    State,
    budget_monitor,
)

from .filters import ReportFilter
from .schema import (
    ReportBudget,
    ReportCapacity,
    ReportEvaluation,
    ReportExpert,
    ReportInfoSession,
    ReportMunicipality,
    ReportProgramme,
    ReportRound,
    ReportShowcase,
    StatusReport,
)
from .schema import (
    ReportFilter as ReportFilterOut,
)

Status = Application.Status
ZERO = Decimal("0")
ENDED = (Trajectory.Status.COMPLETED, Trajectory.Status.STOPPED)
STATE_LABELS = State.LABELS


@dataclass(frozen=True)
class ApplicationOn:
    """An application as it stood on a date: what the report reads of it."""

    pk: int
    round_id: int
    submitted_at: datetime.datetime
    status_on: str
    reason_on: str
    municipality: Municipality
    themes: tuple[Theme, ...]


def applications_on(programme: Programme, as_of: datetime.date) -> list[ApplicationOn]:
    """The programme's applications received by `as_of` with their status and reason on the
    date, in round and municipality order.

    Four flat queries whatever the size: every transition up to the date (the last one of each
    application wins: later `at`, then the later record), the applications, their themes and
    the municipalities. A correlated subquery per application took seconds at 8,000 of them."""
    latest: dict[int, tuple[str, str]] = {}
    for application_id, to_status, reason in (
        Transition.objects.filter(
            application__round__programme=programme, at__lte=end_of_day(as_of)
        )
        .order_by("application_id", "at", "pk")
        .values_list("application_id", "to_status", "reason")
    ):
        latest[application_id] = (to_status, reason)
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    order = {pk: index for index, pk in enumerate(themes)}
    themes_of: dict[int, list[int]] = {}
    for application_id, theme_id in Application.themes.through.objects.filter(
        application__round__programme=programme
    ).values_list("application_id", "theme_id"):
        themes_of.setdefault(application_id, []).append(theme_id)
    municipalities = Municipality.objects.select_related("province", "merged_into").in_bulk()
    result = []
    for pk, round_id, submitted_at, municipality_id in (
        Application.objects.filter(round__programme=programme)
        .order_by("round__number", "municipality__name", "pk")
        .values_list("pk", "round_id", "submitted_at", "municipality_id")
    ):
        if pk not in latest:
            continue
        status, reason = latest[pk]
        result.append(
            ApplicationOn(
                pk=pk,
                round_id=round_id,
                submitted_at=submitted_at,
                status_on=status,
                reason_on=reason or "",
                municipality=municipalities[municipality_id],
                themes=tuple(
                    themes[theme] for theme in sorted(themes_of.get(pk, ()), key=order.__getitem__)
                ),
            )
        )
    return result


def line_state(line: Line) -> str:
    """The trajectory on the date, as the budget monitor flags it (overdue, inactive...)."""
    return line.state


def line_p50(line: Line) -> datetime.date | None:
    return line.expected_end_p50


def line_p80(line: Line) -> datetime.date | None:
    return line.expected_end_p80


# Labels in the active language, looked up once per report rather than once per row.
def status_labels() -> dict[str, str]:
    return {status.value: str(status.label) for status in Status}


def state_labels() -> dict[str, str]:
    return {state: str(label) for state, label in STATE_LABELS.items()}


def municipality_row(
    application: ApplicationOn,
    line: Line | None,
    experts: list[ReportExpert],
    labels: tuple[dict[str, str], dict[str, str]],
) -> ReportMunicipality:
    municipality = application.municipality
    status = application.status_on
    guided = line is not None and status == Status.ACCEPTED
    state = line_state(line) if guided else None
    return ReportMunicipality(
        refnis=municipality.refnis,
        name=municipality.name,
        refnis_now=municipality.current.refnis,
        name_now=municipality.current.name,
        province=municipality.province.name,
        received=local_date(application.submitted_at),
        status=status,
        status_label=labels[0][status],
        reason=(application.reason_on or "")
        if status in (Status.INADMISSIBLE, Status.DEFERRED)
        else "",
        themes=[theme.name for theme in application.themes],
        first_intake=line.created_on if guided else None,
        trajectory_state=state,
        trajectory_state_label=labels[1][state] if state else "",
        started_on=line.started_on if guided else None,
        planned_end=line.planned_end if guided else None,
        completed_on=line.ended_on
        if guided and line.status == Trajectory.Status.COMPLETED
        else None,
        stopped_on=line.ended_on if guided and line.status == Trajectory.Status.STOPPED else None,
        overdue_days=line.overdue_days if guided else 0,
        inactive=line.inactive if guided else False,
        last_activity=line.last_activity if guided else None,
        expected_completion_p50=line_p50(line) if guided else None,
        expected_completion_p80=line_p80(line) if guided else None,
        expected_end_set_by_staff=guided and line.expected_end_override is not None,
        expected_end_reason=line.expected_end_override_reason if guided else "",
        experts=experts if guided else [],
        person_days_planned=line.planned_days if guided else ZERO,
        person_days_consumed=line.consumed_days if guided else ZERO,
        committed_eur=line.committed_eur if guided else ZERO,
        consumed_eur=line.consumed_eur if guided else ZERO,
    )


def late_count(round_: Round, previous: Round | None, rows: list[ReportMunicipality]) -> int:
    """Applications received after the previous round's deadline, before this one opened (the
    rule of `Round.round_missed_on`)."""
    if previous is None:
        return 0
    return sum(previous.deadline < row.received < round_.opens_on for row in rows)


def guidance_figures(rows: list[ReportMunicipality], lines: list[Line], group: Group | None):
    """A round's guidance figures: the monitor's group for the whole round, or, when a filter
    keeps only some applications, the sums of the rows kept."""
    started = sum(line.started_on is not None for line in lines)
    ended = sum(line.status in ENDED and line.started_on is not None for line in lines)
    p50 = [day for day in map(line_p50, lines) if day]
    p80 = [day for day in map(line_p80, lines) if day]
    figures = {
        "trajectories_started": started,
        "trajectories_running": started - ended,
        "trajectories_overdue": sum(line_state(line) == State.OVERDUE for line in lines),
        "trajectories_inactive": sum(line.inactive and line.is_open for line in lines),
        "trajectories_completed": sum(line.status == Trajectory.Status.COMPLETED for line in lines),
        "trajectories_stopped": sum(line.status == Trajectory.Status.STOPPED for line in lines),
        "expected_completion_p50": max(p50, default=None),
        "expected_completion_p80": max(p80, default=None),
        "person_days_planned": sum((r.person_days_planned for r in rows), ZERO),
        "person_days_consumed": sum((r.person_days_consumed for r in rows), ZERO),
        "committed_eur": sum((r.committed_eur for r in rows), ZERO),
        "consumed_eur": sum((r.consumed_eur for r in rows), ZERO),
    }
    if group is not None:
        figures.update(intakes_held=group.intakes_held, first_intake=group.first_intake)
    else:
        intakes = [row.first_intake for row in rows if row.first_intake]
        figures.update(intakes_held=len(intakes), first_intake=min(intakes, default=None))
    return figures


def experts_by_trajectory(monitor: BudgetMonitor) -> dict[int, list[ReportExpert]]:
    """The experts of each trajectory with the plan in force on the date (a plan changed later
    leaves this date's report as it was), as the monitor worked it out, in name order.

    An expert with the same plan on several trajectories is one (immutable) entry, built once."""
    assigned = {expert for plans in monitor.plans.values() for expert, _ in plans}
    experts = {}
    for pk, name, organisation in Expert.objects.order_by("name", "pk").values_list(
        "pk", "name", "organisation__name"
    ):
        if pk in assigned:
            experts[pk] = (len(experts), name, organisation or "")
    built: dict[tuple[int, Decimal], ReportExpert] = {}

    def entry(expert: int, planned: Decimal) -> ReportExpert:
        found = built.get((expert, planned))
        if found is None:
            _, name, organisation = experts[expert]
            found = built[expert, planned] = ReportExpert(
                name=name, organisation=organisation, person_days_planned=planned
            )
        return found

    return {
        line.pk: [
            entry(expert, planned)
            for expert, planned in sorted(
                monitor.plans.get(line.pk, ()), key=lambda plan: experts[plan[0]][0]
            )
        ]
        for line in monitor.lines
    }


def budget_figures(monitor: BudgetMonitor) -> ReportBudget:
    reference = monitor.reference
    return ReportBudget(
        total_eur=monitor.total_eur,
        committed_eur=monitor.totals.committed_eur,
        consumed_eur=monitor.totals.consumed_eur,
        remaining_eur=monitor.remaining_eur,
        forecast_at_completion_eur=monitor.forecast_at_completion_eur,
        forecast_exceeds_total=monitor.forecast_exceeds_total,
        room_in_average_trajectories=monitor.room_in_average_trajectories,
        committed_definition=monitor.committed_definition,
        trajectories_overdue=monitor.overdue_count,
        trajectories_inactive=monitor.inactive_count,
        completion_p50=monitor.completion_p50,
        completion_p80=monitor.completion_p80,
        completion_drivers=[line.municipality for line in monitor.completion_drivers],
        completion_method=monitor.completion_explanation,
        reference_trajectories=reference.size,
        reference_ratio_p50=reference.ratio_p50,
        reference_ratio_p80=reference.ratio_p80,
    )


def status_report(
    *,
    programme: Programme,
    as_of: datetime.date,
    round_number: int | None = None,
    province: str | None = None,
    status: str | None = None,
    theme: str | None = None,
    expert: int | None = None,
) -> StatusReport:
    """Per round: applications and decisions as of the date, each in the round it was placed in
    (a late one even before that round opens); the guidance; the programme's sessions, capacity
    and budget.

    Filters (province REFNIS code or name, status on the date, theme slug, expert id) keep the
    matching applications; the rounds' figures are then theirs (see `filters.py`)."""
    report_filter = ReportFilter(province=province, status=status, theme=theme, expert=expert)
    report_filter.validate()
    applications = applications_on(programme, as_of)
    monitor = budget_monitor(programme=programme, as_of=as_of)
    experts = experts_by_trajectory(monitor)
    lines = {line.application_id: line for line in monitor.lines}
    groups = {group.key: group for group in monitor.rounds}

    kept = report_filter.kept(applications)
    labels = (status_labels(), state_labels())
    rows: dict[int, list[ReportMunicipality]] = {}
    kept_lines: dict[int, list[Line]] = {}
    statuses: dict[int, Counter] = {}
    for application in kept:
        line = lines.get(application.pk)
        rows.setdefault(application.round_id, []).append(
            municipality_row(application, line, experts.get(line.pk, []) if line else [], labels)
        )
        statuses.setdefault(application.round_id, Counter())[application.status_on] += 1
        if line is not None and application.status_on == Status.ACCEPTED:
            kept_lines.setdefault(application.round_id, []).append(line)

    received_rounds = {application.round_id for application in applications}
    all_rounds = list(programme.rounds.order_by("number"))
    report_rounds = []
    for index, round_ in enumerate(all_rounds):
        if round_.opens_on > as_of and round_.pk not in received_rounds:
            continue
        if round_number is not None and round_.number != round_number:
            continue
        round_rows = rows.get(round_.pk, [])
        previous = all_rounds[index - 1] if index else None
        counts = statuses.get(round_.pk, Counter())
        report_rounds.append(
            ReportRound(
                number=round_.number,
                opens_on=round_.opens_on,
                deadline=round_.deadline,
                submitted=sum(counts.values()),
                late_from_previous_round=late_count(round_, previous, round_rows),
                previous_deadline=previous.deadline if previous else None,
                ever_admissible=sum(counts[s] for s in Application.ADMITTED),
                awaiting_admissibility=counts[Status.SUBMITTED],
                awaiting_assessment=counts[Status.ADMISSIBLE],
                inadmissible=counts[Status.INADMISSIBLE],
                deferred=counts[Status.DEFERRED],
                accepted=counts[Status.ACCEPTED],
                withdrawn=counts[Status.WITHDRAWN],
                municipalities=round_rows,
                **guidance_figures(
                    round_rows,
                    kept_lines.get(round_.pk, []),
                    None if report_filter.active else groups.get(round_.number),
                ),
            )
        )

    # Capacity is the whole programme's, whatever the filters, from the offer in force.
    accepted = sum(application.status_on == Status.ACCEPTED for application in applications)
    return StatusReport(
        programme=ReportProgramme(
            id=programme.pk, title=programme.title, published_on=programme.published_on
        ),
        as_of=as_of,
        rounds=report_rounds,
        info_sessions=[
            ReportInfoSession(
                date=session.held_on,
                title=session.title,
                registrations=session.registrations,
                attendees=session.attendees,
            )
            for session in programme.info_sessions.filter(held_on__lte=as_of).order_by("held_on")
        ],
        capacity=ReportCapacity(
            planned=monitor.capacity,
            accepted=accepted,
            remaining=max(monitor.capacity - accepted, 0),
            over_capacity=max(accepted - monitor.capacity, 0),
        ),
        budget=budget_figures(monitor),
        filters={
            key: ReportFilterOut(value=str(chosen["value"]), label=str(chosen["label"]))
            for key, chosen in report_filter.describe().items()
        },
        evaluation=ReportEvaluation.model_validate(evaluation_figures(programme, as_of)),
        showcase=ReportShowcase.model_validate(showcase_figures(programme, as_of)),
    )


def over_capacity_text(count: int) -> str:
    """Every output says it the same way."""
    return ngettext("%(count)s over capacity", "%(count)s over capacity", count) % {"count": count}


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
