"""The budget monitor: what has been committed, spent and is left of the offer's total on a date,
per round and per municipality, with a forecast at completion and a completion range.

Money is summed in Decimal by the database per trajectory (three grouped aggregates over
entries, assignments and trajectories); rounds, municipalities and the programme add up those
per-trajectory sums, which is several times faster than grouping the same subqueries again in
the database for each level. The number of queries does not depend on the number of
trajectories or person-day entries. Dates (the completion range) are worked out per trajectory.

Every figure of a date comes from what was recorded as in force on that date: the trajectory's
status and phase (its events), each assignment's planned person-days (its plan changes), the
day rates, the offer. Changing a plan today never changes the figures of an earlier date.

Method, as explained on the page:
- consumed: registered person-days × the day rate on the day of each entry (kept on the entry);
- committed (`COMMITTED_DEFINITION`): the person-days registered by the date at their own rate,
  plus, for a trajectory not ended by the date, the planned person-days still left on the date
  (the plan in force then minus what is registered, never below zero) at each expert's day rate
  in force on the date; an ended trajectory commits what it consumed. Days already worked are
  never priced again;
- forecast at completion: committed + an average trajectory (the offer's average person-days ×
  the average planned day rate) for every accepted application that has no trajectory yet;
- completion (`completion_method`): reference-class forecasting. From the programme's
  trajectories completed by the date, the ratio of their actual duration (start to end) to their
  planned duration; with at least five of them, the median (P50) and the 80th percentile (P80)
  of that ratio are applied to each open trajectory's planned duration from its start (never
  before the date); with fewer, the planned end (for an overdue trajectory: the date). An
  expected end set by staff wins. A trajectory past its planned end is overdue; a running one
  without a registration for 90 days is inactive.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import (
    Avg,
    CharField,
    Count,
    DecimalField,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
)
from django.db.models.functions import Cast, Round
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from profploeg.applications.models import Application
from profploeg.programmes.models import Programme

from .models import (
    IN_FORCE,
    Assignment,
    DayRate,
    ExpectedEnd,
    Intake,
    Offer,
    PersonDayEntry,
    PlanChange,
    Trajectory,
    TrajectoryEvent,
    entry_cost,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)
DAYS = DecimalField(max_digits=10, decimal_places=1)
# A running trajectory without a registration for this long is flagged inactive.
INACTIVE_AFTER_DAYS = 90
# Below this many completed trajectories the programme has no reference class of its own.
REFERENCE_CLASS_MINIMUM = 5
# How many trajectories are named as setting the programme's P80.
DRIVERS = 3

COMMITTED_DEFINITION = gettext_lazy(
    "Committed on a date is the person-days registered by that date, each at the day rate of "
    "its own day, plus, for every trajectory not ended by that date, the person-days still "
    "planned (the plan in force on that date minus what is registered, never below zero) at "
    "each expert's day rate in force on that date. An ended trajectory commits what it "
    "consumed. Days already worked are never priced again, and a plan changed later does not "
    "change the figure of an earlier date."
)


class State:
    """Where a trajectory stands on the date, as flagged on the monitor."""

    PLANNED = "planned"
    RUNNING = "running"
    OVERDUE = "overdue"
    INACTIVE = "inactive"
    COMPLETED = "completed"
    STOPPED = "stopped"

    LABELS = {
        PLANNED: gettext_lazy("planned"),
        RUNNING: gettext_lazy("running"),
        OVERDUE: gettext_lazy("overdue"),
        INACTIVE: gettext_lazy("inactive"),
        COMPLETED: gettext_lazy("completed"),
        STOPPED: gettext_lazy("stopped"),
    }


def money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def days(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.1"))


def plans_on(programme: Programme, as_of: datetime.date) -> dict[int, Decimal]:
    """The plan in force on the date per assignment that has a plan history (the last change
    effective by then); an assignment without one counts its current plan (see `plan_on`)."""
    plans: dict[int, Decimal] = {}
    for assignment_id, planned in (
        PlanChange.objects.filter(
            assignment__trajectory__in=Trajectory.objects.in_programme(programme).values("pk"),
            effective_on__lte=as_of,
        )
        .order_by(*IN_FORCE)
        .values_list("assignment_id", "planned_days")
    ):
        plans[assignment_id] = planned
    return plans


def statuses_on(programme: Programme, as_of: datetime.date) -> dict[int, tuple[str, int]]:
    """Each trajectory's status and phase at the end of the date, from its recorded events (the
    last effective by then wins; as `TrajectoryQuerySet.with_status_on`, in one flat query)."""
    found: dict[int, tuple[str, int]] = {}
    for trajectory, status, phase in (
        TrajectoryEvent.objects.filter(
            trajectory__in=Trajectory.objects.in_programme(programme).values("pk"),
            effective_on__lte=as_of,
        )
        .order_by(*IN_FORCE)
        .values_list("trajectory_id", "to_status", "phase")
    ):
        found[trajectory] = (status, phase)
    return found


def rates_on(experts, as_of: datetime.date) -> dict[int, Decimal]:
    """Each expert's day rate in force on the date (before their first rate: that one)."""
    rates: dict[int, Decimal] = {}
    for expert, since, rate in (
        DayRate.objects.filter(expert__in=experts)
        .order_by("valid_from", "pk")
        .values_list("expert_id", "valid_from", "rate_eur")
    ):
        if since <= as_of or expert not in rates:
            rates[expert] = rate
    return rates


def figures(
    programme: Programme, as_of: datetime.date
) -> tuple[dict[int, dict], dict[int, list[tuple[int, Decimal]]]]:
    """Sums per trajectory on the date, from flat queries whatever the number of rows: entries
    summed per trajectory and expert by the database, then the assignments with the plan and
    day rate in force on the date, added up here in Decimal (exact). Also each trajectory's
    assignments made by the date as (expert id, plan in force), in the order they were made."""
    trajectories = Trajectory.objects.in_programme(programme).filter(created_on__lte=as_of)
    spent: dict[tuple[int, int], tuple] = {
        (trajectory, expert): (total_days, total, last_day)
        for trajectory, expert, total_days, total, last_day in (
            PersonDayEntry.objects.filter(trajectory__in=trajectories.values("pk"), date__lte=as_of)
            .order_by()
            .values("trajectory_id", "expert_id")
            .annotate(total_days=Sum("days"), total=Sum(entry_cost()), last_day=Max("date"))
            .values_list("trajectory_id", "expert_id", "total_days", "total", "last_day")
        )
    }
    assignments = list(
        Assignment.objects.filter(trajectory__in=trajectories.values("pk"), assigned_on__lte=as_of)
        .order_by("pk")
        .values_list("pk", "trajectory_id", "expert_id", "planned_days", "trajectory__ended_on")
    )
    plans = plans_on(programme, as_of)
    rates = rates_on({row[2] for row in assignments}, as_of)
    totals: dict[int, dict] = defaultdict(
        lambda: {
            "consumed_days": ZERO,
            "consumed_eur": ZERO,
            "last_day": None,
            "planned_days": ZERO,
            "planned_eur": ZERO,
            "left_days": ZERO,
            "left_eur": ZERO,
        }
    )
    for (trajectory, _expert), (total_days, total, last_day) in spent.items():
        row = totals[trajectory]
        row["consumed_days"] += total_days or ZERO
        row["consumed_eur"] += total or ZERO
        if last_day is not None and (row["last_day"] is None or last_day > row["last_day"]):
            row["last_day"] = last_day
    plans_of: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for pk, trajectory, expert, current, ended_on in assignments:
        row = totals[trajectory]
        plan = plans.get(pk, current)
        plans_of[trajectory].append((expert, plan))
        rate = rates.get(expert, ZERO)
        row["planned_days"] += plan
        row["planned_eur"] += plan * rate
        if ended_on is None or ended_on > as_of:
            used = spent.get((trajectory, expert), (ZERO,))[0] or ZERO
            left = max(plan - used, ZERO)
            row["left_days"] += left
            row["left_eur"] += left * rate
    result = {}
    for key, row in totals.items():
        consumed_eur = money(row["consumed_eur"])
        committed_eur = consumed_eur + money(row["left_eur"])
        result[key] = {
            "planned_days": days(row["planned_days"]),
            "planned_eur": money(row["planned_eur"]),
            "left_days": days(row["left_days"]),
            "consumed_days": days(row["consumed_days"]),
            "consumed_eur": consumed_eur,
            "committed_eur": committed_eur,
            # A trajectory's forecast is what it commits; the programme's forecast adds the
            # accepted applications that have no trajectory yet.
            "forecast_eur": committed_eur,
            "last_day": row["last_day"],
        }
    return result, plans_of


EMPTY = {
    "planned_days": ZERO,
    "planned_eur": ZERO,
    "left_days": ZERO,
    "consumed_days": ZERO,
    "consumed_eur": ZERO,
    "committed_eur": ZERO,
    "forecast_eur": ZERO,
    "last_day": None,
}


@dataclass
class Line:
    """One trajectory on the date."""

    pk: int
    application_id: int
    municipality: str
    municipality_id: int
    refnis: str
    round_number: int
    created_on: datetime.date
    status: str
    phase: int
    started_on: datetime.date | None
    planned_start: datetime.date
    planned_end: datetime.date
    ended_on: datetime.date | None
    planned_days: Decimal
    consumed_days: Decimal
    left_days: Decimal
    consumed_eur: Decimal
    planned_eur: Decimal
    committed_eur: Decimal
    forecast_eur: Decimal
    last_activity: datetime.date | None = None
    overdue_days: int = 0
    inactive: bool = False
    state: str = State.PLANNED
    expected_end_p50: datetime.date | None = None
    expected_end_p80: datetime.date | None = None
    expected_end_override: datetime.date | None = None
    expected_end_override_reason: str = ""

    @property
    def consumed_share(self) -> int:
        return round(100 * self.consumed_days / self.planned_days) if self.planned_days else 0

    @property
    def is_open(self) -> bool:
        return self.status not in Trajectory.ENDED

    @property
    def expected_completion(self) -> datetime.date | None:
        """The expected end (P50), kept under its earlier name."""
        return self.expected_end_p50

    @property
    def state_label(self) -> str:
        return str(State.LABELS[self.state])


@dataclass
class Group:
    """Totals of a round, a municipality or the whole programme."""

    key: object
    label: str
    trajectories: int = 0
    started: int = 0
    completed: int = 0
    stopped: int = 0
    overdue: int = 0
    inactive: int = 0
    planned_days: Decimal = ZERO
    consumed_days: Decimal = ZERO
    consumed_eur: Decimal = ZERO
    committed_eur: Decimal = ZERO
    forecast_eur: Decimal = ZERO
    planned_eur: Decimal = ZERO
    intakes_held: int = 0
    first_intake: datetime.date | None = None
    expected_completion: datetime.date | None = None
    expected_completion_p80: datetime.date | None = None

    @property
    def running(self) -> int:
        return self.started - self.completed - self.stopped


@dataclass
class BurnupPoint:
    month: datetime.date
    consumed_eur: Decimal
    committed_eur: Decimal
    total_eur: Decimal


@dataclass(frozen=True)
class ReferenceClass:
    """How the programme's trajectories completed by the date overran their planned duration."""

    size: int
    ratio_p50: Decimal | None
    ratio_p80: Decimal | None

    @property
    def usable(self) -> bool:
        return self.ratio_p50 is not None


@dataclass
class BudgetMonitor:
    programme: Programme
    as_of: datetime.date
    offer: Offer | None
    total_eur: Decimal
    capacity: int
    accepted: int
    without_trajectory: int
    average_trajectory_eur: Decimal
    totals: Group
    rounds: list[Group]
    municipalities: list[Group]
    lines: list[Line]
    # Per trajectory, its assignments made by the date: (expert id, planned person-days in force).
    plans: dict[int, list[tuple[int, Decimal]]] = field(default_factory=dict)
    reference: ReferenceClass = field(default_factory=lambda: ReferenceClass(0, None, None))
    completion_p50: datetime.date | None = None
    completion_p80: datetime.date | None = None
    completion_drivers: list[Line] = field(default_factory=list)
    overdue_count: int = 0
    inactive_count: int = 0

    @cached_property
    def organisations(self) -> list[dict]:
        """Computed when read: the status report does not need it."""
        return organisation_figures(self.programme, self.as_of)

    @cached_property
    def burnup(self) -> list[BurnupPoint]:
        """Computed when read: the status report does not need it."""
        return burnup_points(self.programme, self.as_of, self.offer, self.total_eur)

    @property
    def remaining_eur(self) -> Decimal:
        return self.total_eur - self.totals.committed_eur

    @property
    def pipeline_eur(self) -> Decimal:
        return money(self.average_trajectory_eur * self.without_trajectory)

    @property
    def forecast_at_completion_eur(self) -> Decimal:
        return self.totals.forecast_eur + self.pipeline_eur

    @property
    def forecast_exceeds_total(self) -> bool:
        return self.forecast_at_completion_eur > self.total_eur

    @property
    def room_eur(self) -> Decimal:
        return self.total_eur - self.forecast_at_completion_eur

    @property
    def overrun_eur(self) -> Decimal:
        return max(-self.room_eur, ZERO)

    @property
    def room_in_average_trajectories(self) -> int:
        if self.average_trajectory_eur <= 0 or self.room_eur <= 0:
            return 0
        return int(self.room_eur // self.average_trajectory_eur)

    @property
    def consumed_share(self) -> int:
        return round(100 * self.totals.consumed_eur / self.total_eur) if self.total_eur else 0

    @property
    def committed_share(self) -> int:
        return round(100 * self.totals.committed_eur / self.total_eur) if self.total_eur else 0

    @property
    def expected_completion(self) -> datetime.date | None:
        """The programme's "all completed by" (P50), kept under its earlier name."""
        return self.completion_p50

    @property
    def committed_definition(self) -> str:
        return str(COMMITTED_DEFINITION)

    @property
    def completion_explanation(self) -> str:
        return completion_method(self.reference)


def committed_definition() -> str:
    """The definition of committed, in the active language."""
    return str(COMMITTED_DEFINITION)


def completion_method(reference: ReferenceClass) -> str:
    """The forecasting method in plain words, with the programme's own figures on the date."""
    general = _(
        "A trajectory past its planned end is overdue; a running trajectory without any "
        "registered person-day for %(days)d days is inactive. The expected end is a range: "
        "the median (P50) and a cautious estimate that 8 in 10 comparable trajectories met "
        "(P80). An expected end set by programme staff, with its reason, replaces the "
        "forecast."
    ) % {"days": INACTIVE_AFTER_DAYS}
    if reference.usable:
        learned = ngettext(
            "The range is learned from the programme's own %(count)d completed trajectory: "
            "half of them took at most %(p50)s times their planned duration, 8 in 10 at most "
            "%(p80)s times. Each open trajectory's planned duration, counted from its start, is "
            "stretched by those factors (never to a date already past).",
            "The range is learned from the programme's own %(count)d completed trajectories: "
            "half of them took at most %(p50)s times their planned duration, 8 in 10 at most "
            "%(p80)s times. Each open trajectory's planned duration, counted from its start, is "
            "stretched by those factors (never to a date already past).",
            reference.size,
        ) % {
            "count": reference.size,
            "p50": format_ratio(reference.ratio_p50),
            "p80": format_ratio(reference.ratio_p80),
        }
    else:
        learned = ngettext(
            "So far %(count)d trajectory has been completed, too few (fewer than "
            "%(minimum)d) to learn from: each trajectory is expected to end on its planned end, "
            "and an overdue one any day now.",
            "So far %(count)d trajectories have been completed, too few (fewer than "
            "%(minimum)d) to learn from: each trajectory is expected to end on its planned end, "
            "and an overdue one any day now.",
            reference.size,
        ) % {"count": reference.size, "minimum": REFERENCE_CLASS_MINIMUM}
    return f"{learned} {general}"


def format_ratio(value: Decimal | None) -> str:

    return number_format(value, 2) if value is not None else "—"


def percentile(values: list[float], share: float) -> float:
    """The share-th percentile with linear interpolation between the closest ranks."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def reference_class(lines: list[Line]) -> ReferenceClass:
    """Actual ÷ planned duration of the trajectories completed by the date."""
    ratios = [
        (line.ended_on - line.started_on).days
        / max((line.planned_end - line.planned_start).days, 1)
        for line in lines
        if line.status == Trajectory.Status.COMPLETED and line.started_on and line.ended_on
    ]
    if len(ratios) < REFERENCE_CLASS_MINIMUM:
        return ReferenceClass(len(ratios), None, None)

    def quantised(value: float) -> Decimal:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)

    return ReferenceClass(
        len(ratios), quantised(percentile(ratios, 0.5)), quantised(percentile(ratios, 0.8))
    )


def stretched(line: Line, ratio: Decimal, as_of: datetime.date) -> datetime.date:
    start = line.started_on or max(line.planned_start, as_of)
    span = max((line.planned_end - line.planned_start).days, 1)
    expected = start + datetime.timedelta(days=round(span * float(ratio)))
    return max(expected, as_of)


def forecast(line: Line, reference: ReferenceClass, as_of: datetime.date) -> None:
    """Flags and the expected end range of one trajectory on the date."""
    if not line.is_open:
        line.state = line.status
        line.expected_end_p50 = line.expected_end_p80 = line.ended_on
        line.expected_end_override = None
        line.expected_end_override_reason = ""
        return
    if line.started_on is not None:
        line.last_activity = max(filter(None, [line.last_activity, line.started_on]))
        line.inactive = (as_of - line.last_activity).days >= INACTIVE_AFTER_DAYS
    else:
        line.last_activity = None
    line.overdue_days = max((as_of - line.planned_end).days, 0)
    if line.overdue_days:
        line.state = State.OVERDUE
    elif line.inactive:
        line.state = State.INACTIVE
    elif line.started_on is not None:
        line.state = State.RUNNING
    else:
        line.state = State.PLANNED
    if line.expected_end_override is not None:
        line.expected_end_p50 = line.expected_end_p80 = line.expected_end_override
    elif reference.usable:
        line.expected_end_p50 = stretched(line, reference.ratio_p50, as_of)
        line.expected_end_p80 = stretched(line, reference.ratio_p80, as_of)
    else:
        line.expected_end_p50 = line.expected_end_p80 = max(line.planned_end, as_of)


def overrides(programme: Programme, as_of: datetime.date) -> dict[int, ExpectedEnd]:
    """The expected end set by staff in force on the date, per trajectory."""
    found = {}
    for row in ExpectedEnd.objects.filter(
        trajectory__application__round__programme=programme, effective_on__lte=as_of
    ).order_by(*IN_FORCE):
        found[row.trajectory_id] = row
    return found


def budget_monitor(*, programme: Programme, as_of: datetime.date) -> BudgetMonitor:
    """The budget monitor of a programme on a date, from recorded history only."""
    offer = Offer.objects.filter(programme=programme).first()
    if offer is not None:
        total_eur, capacity = offer.in_force_on(as_of)
    else:
        total_eur, capacity = programme.budget_eur, programme.capacity

    per_trajectory, plans = figures(programme, as_of)
    set_by_staff = overrides(programme, as_of)
    statuses = statuses_on(programme, as_of)
    lines = []
    for row in (
        Trajectory.objects.in_programme(programme)
        .existing_on(as_of)
        .values(
            "pk",
            "application_id",
            "application__municipality__refnis",
            "created_on",
            "application__municipality__name",
            "application__municipality_id",
            "application__round__number",
            "started_on",
            "planned_start",
            "planned_end",
            "ended_on",
        )
        .order_by("application__round__number", "application__municipality__name")
    ):
        if row["pk"] not in statuses:
            continue
        values = per_trajectory.get(row["pk"], EMPTY)
        status, phase = statuses[row["pk"]]
        ended = status in Trajectory.ENDED
        override = set_by_staff.get(row["pk"])
        line = Line(
            pk=row["pk"],
            application_id=row["application_id"],
            municipality=row["application__municipality__name"],
            municipality_id=row["application__municipality_id"],
            refnis=row["application__municipality__refnis"],
            round_number=row["application__round__number"],
            created_on=row["created_on"],
            status=status,
            phase=phase,
            started_on=on_or_before(row["started_on"], as_of)
            if status != Trajectory.Status.PLANNED
            else None,
            planned_start=row["planned_start"],
            planned_end=row["planned_end"],
            ended_on=on_or_before(row["ended_on"], as_of) if ended else None,
            planned_days=values["planned_days"],
            consumed_days=values["consumed_days"],
            left_days=values["left_days"],
            consumed_eur=values["consumed_eur"],
            planned_eur=values["planned_eur"],
            committed_eur=values["committed_eur"],
            forecast_eur=values["forecast_eur"],
            last_activity=values["last_day"],
            expected_end_override=override.expected_end if override else None,
            expected_end_override_reason=override.reason if override else "",
        )
        lines.append(line)
    reference = reference_class(lines)
    for line in lines:
        forecast(line, reference, as_of)

    totals = rollup(lines, lambda line: "total", lambda key: "").get("total") or Group(
        key="total", label=""
    )
    rounds = sorted(
        rollup(lines, lambda line: line.round_number, str).values(), key=lambda g: g.key
    )
    names = {line.municipality_id: line.municipality for line in lines}
    municipalities = sorted(
        rollup(lines, lambda line: line.municipality_id, names.get).values(),
        key=lambda group: group.label,
    )
    add_intakes(programme, as_of, totals, rounds, municipalities)

    accepted = (
        Application.objects.filter(round__programme=programme)
        .with_status_on(as_of)
        .filter(status_on=Application.Status.ACCEPTED)
        .aggregate(
            accepted=Count("pk"),
            without=Count("pk", filter=~Q(trajectory__created_on__lte=as_of)),
        )
    )
    if totals.planned_days:
        average_rate = totals.planned_eur / totals.planned_days
    else:
        average_rate = (
            DayRate.objects.filter(valid_from__lte=as_of).aggregate(average=Avg("rate_eur"))[
                "average"
            ]
            or ZERO
        )
    average_days = offer.average_person_days if offer else ZERO
    open_lines = [line for line in lines if line.is_open]
    drivers = sorted(
        open_lines, key=lambda line: (line.expected_end_p80, line.overdue_days), reverse=True
    )[:DRIVERS]
    return BudgetMonitor(
        programme=programme,
        as_of=as_of,
        offer=offer,
        total_eur=money(total_eur),
        capacity=capacity,
        accepted=accepted["accepted"],
        without_trajectory=accepted["without"],
        average_trajectory_eur=money(average_days * Decimal(average_rate)),
        totals=totals,
        rounds=rounds,
        municipalities=municipalities,
        lines=lines,
        plans=plans,
        reference=reference,
        completion_p50=totals.expected_completion,
        completion_p80=totals.expected_completion_p80,
        completion_drivers=drivers,
        overdue_count=totals.overdue,
        inactive_count=totals.inactive,
    )


def on_or_before(day: datetime.date | None, as_of: datetime.date) -> datetime.date | None:
    """A recorded date, unless it lies after the date asked (then it had not happened yet)."""
    return day if day is not None and day <= as_of else None


def rollup(lines: list["Line"], key_of, label_of) -> dict:
    """Groups of trajectories with the sum of their (database-computed) figures; a group is
    expected complete when its last trajectory is. Written out field by field: this runs for
    every trajectory three times."""
    groups: dict = {}
    completed, stopped = Trajectory.Status.COMPLETED, Trajectory.Status.STOPPED
    for line in lines:
        key = key_of(line)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key=key, label=label_of(key))
        group.trajectories += 1
        group.started += line.started_on is not None
        group.completed += line.status == completed
        group.stopped += line.status == stopped
        group.overdue += line.overdue_days > 0
        group.inactive += line.inactive
        group.planned_days += line.planned_days
        group.consumed_days += line.consumed_days
        group.consumed_eur += line.consumed_eur
        group.planned_eur += line.planned_eur
        group.committed_eur += line.committed_eur
        group.forecast_eur += line.forecast_eur
        p50, p80 = line.expected_end_p50, line.expected_end_p80
        if p50 is not None and (
            group.expected_completion is None or p50 > group.expected_completion
        ):
            group.expected_completion = p50
        if p80 is not None and (
            group.expected_completion_p80 is None or p80 > group.expected_completion_p80
        ):
            group.expected_completion_p80 = p80
    return groups


def add_intakes(programme, as_of, totals, rounds, municipalities) -> None:
    """Intakes held by the date, and the first one, per round and per municipality."""
    held = Intake.objects.filter(
        application__round__programme=programme,
        status=Intake.Status.HELD,
        held_on__lte=as_of,
    )
    aggregates = {"held": Count("pk"), "first": Min("held_on")}
    overall = held.aggregate(**aggregates)
    totals.intakes_held, totals.first_intake = overall["held"], overall["first"]
    by_round = {
        row["application__round__number"]: row
        for row in held.values("application__round__number").annotate(**aggregates)
    }
    for group in rounds:
        row = by_round.get(group.key, {})
        group.intakes_held, group.first_intake = row.get("held", 0), row.get("first")
    by_municipality = {
        row["application__municipality_id"]: row
        for row in held.values("application__municipality_id").annotate(**aggregates)
    }
    for group in municipalities:
        row = by_municipality.get(group.key, {})
        group.intakes_held, group.first_intake = row.get("held", 0), row.get("first")


def organisation_figures(programme: Programme, as_of: datetime.date) -> list[dict]:
    """Person-days and cost consumed per organisation of the consortium."""
    rows = (
        PersonDayEntry.objects.filter(
            trajectory__application__round__programme=programme, date__lte=as_of
        )
        .values("expert__organisation__name")
        .annotate(
            total_days=Sum("days"), cost=Sum(entry_cost()), experts=Count("expert", distinct=True)
        )
        .order_by("-cost")
    )
    return [
        {
            "name": row["expert__organisation__name"],
            "days": days(row["total_days"]),
            "cost_eur": money(row["cost"]),
            "experts": row["experts"],
        }
        for row in rows
    ]


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def in_force(history: list[tuple[datetime.date, Decimal]], day: datetime.date):
    """The value of a (from, value) history sorted by date, in force on the day (or None)."""
    value = None
    for since, candidate in history:
        if since > day:
            break
        value = candidate
    return value


class MonthOf(Func):
    """The month of a date as "YYYY-MM", computed natively by the database (Django's TruncMonth
    calls a Python function for every row on SQLite)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')")


def month_start(month: str) -> datetime.date:
    return datetime.date(int(month[:4]), int(month[5:7]), 1)


def tenths(value: Decimal) -> int:
    """Person-days (one decimal) as whole tenths: exact integer arithmetic in the loops below."""
    return int(value * 10)


def cents(value: Decimal) -> int:
    return int(value * 100)


def burnup_points(programme, as_of, offer, total_now) -> list[BurnupPoint]:
    """Month by month up to the date: consumed and committed (cumulative, by the definition of
    committed at each month's end) against the total.

    The database sums what each expert registered on each trajectory per month, in whole tenths
    of a day (and the cost per month). Each assignment's days still planned change only in a
    month with a registration, a plan change or a new day rate: its contribution is added at
    those months only (a difference per month, summed up at the end), in integers (tenths ×
    cents: exact, and several times faster than Decimal)."""
    trajectories = Trajectory.objects.in_programme(programme).values("pk")
    entries = PersonDayEntry.objects.filter(trajectory__in=trajectories, date__lte=as_of).annotate(
        month=MonthOf("date")
    )
    consumed: dict[datetime.date, Decimal] = {
        month_start(month): total
        for month, total in entries.order_by()
        .values("month")
        .annotate(total=Sum(entry_cost()))
        .values_list("month", "total")
    }
    starts_of: dict[str, datetime.date] = {}
    used: dict[tuple[int, int], dict[datetime.date, int]] = defaultdict(dict)
    for trajectory, expert, month, total_days in (
        entries.order_by()
        .values("trajectory_id", "expert_id", "month")
        .annotate(total_days=Cast(Round(Sum("days") * 10), IntegerField()))
        .values_list("trajectory_id", "expert_id", "month", "total_days")
    ):
        start = starts_of.get(month)
        if start is None:
            start = starts_of[month] = month_start(month)
        used[trajectory, expert][start] = total_days
    assignments = list(
        Assignment.objects.filter(trajectory__in=trajectories, assigned_on__lte=as_of).values_list(
            "pk",
            "trajectory_id",
            "expert_id",
            "assigned_on",
            "planned_days",
            "trajectory__ended_on",
        )
    )
    plans: dict[int, list] = defaultdict(list)
    for assignment, since, planned in (
        PlanChange.objects.filter(assignment__trajectory__in=trajectories, effective_on__lte=as_of)
        .values_list("assignment_id", "effective_on", "planned_days")
        .order_by(*IN_FORCE)
    ):
        plans[assignment].append((since, tenths(planned)))
    rates: dict[int, list] = defaultdict(list)
    for expert, since, rate in (
        DayRate.objects.filter(expert__in={row[2] for row in assignments})
        .values_list("expert_id", "valid_from", "rate_eur")
        .order_by("valid_from")
    ):
        rates[expert].append((since, cents(rate)))

    starts = list(consumed) + [row[3] for row in assignments]
    if offer is not None:
        starts.append(offer.valid_from)
        amendments = list(
            offer.amendments.order_by("effective_on").values_list("effective_on", "total_eur")
        )
    else:
        amendments = []
    if not starts:
        return []
    months = month_starts(min(starts), as_of)
    # The last day each month counts (the date itself for its own month).
    month_ends = [
        min(
            (month + datetime.timedelta(days=32)).replace(day=1),
            as_of + datetime.timedelta(days=1),
        )
        - datetime.timedelta(days=1)
        for month in months
    ]
    index_of = {month: index for index, month in enumerate(months)}
    # What is still planned at each month's end (tenths of a day × cents), as differences.
    change = [0] * (len(months) + 1)
    for pk, trajectory, expert, assigned_on, current, ended_on in assignments:
        per_month = used.get((trajectory, expert), {})
        plan_history = plans.get(pk, [])
        rate_history = rates.get(expert) or [(as_of, 0)]
        current = tenths(current)
        # The assignment counts from the month it was made (days registered before it count)
        # up to the month it ended in, that one excluded.
        first = index_of[assigned_on.replace(day=1)]
        last = len(months)
        if ended_on is not None and ended_on <= as_of:
            last = index_of.get(ended_on.replace(day=1), 0)
        # Months where something changes: a registration, a plan change, a new day rate.
        moments = {first}
        registered = 0
        for month, days in per_month.items():
            index = index_of[month]
            if index < first:
                registered += days
            else:
                moments.add(index)
        for since, _value in (*plan_history, *rate_history):
            if months[0] <= since <= as_of:
                moments.add(max(index_of[since.replace(day=1)], first))
        value = 0
        for index in sorted(moments):
            if index >= last:
                break
            registered += per_month.get(months[index], 0)
            month_end = month_ends[index]
            plan = in_force(plan_history, month_end)
            remaining = (current if plan is None else plan) - registered
            rate = in_force(rate_history, month_end)
            now = max(remaining, 0) * (rate_history[0][1] if rate is None else rate)
            change[index] += now - value
            value = now
        change[min(last, len(months))] -= value if last > first else 0
    left, running = [], 0
    for index in range(len(months)):
        running += change[index]
        left.append(running)
    points, consumed_sum = [], ZERO
    for index, month in enumerate(months):
        consumed_sum += consumed.get(month) or ZERO
        month_end = month_ends[index]
        total = offer.total_eur if offer else total_now
        for effective_on, amended in amendments:
            if effective_on <= month_end:
                total = amended
        points.append(
            BurnupPoint(
                month=month,
                consumed_eur=money(consumed_sum),
                committed_eur=money(consumed_sum + Decimal(left[index]) / 1000),
                total_eur=money(total),
            )
        )
    return points
