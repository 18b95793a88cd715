"""The budget monitor: what has been committed, spent and is left of the offer's total on a date,
per round and per municipality, with a forecast at completion and expected completion dates.

Money is summed in Decimal by the database per trajectory (three grouped aggregates over
entries, assignments and trajectories); rounds, municipalities and the programme add up those
per-trajectory sums, which is several times faster than grouping the same subqueries again in
the database for each level. The number of queries does not depend on the number of
trajectories or person-day entries. Dates (the pace forecast) are worked out per trajectory.

Method, as explained on the page:
- consumed: registered person-days × the day rate on the day of each entry (kept on the entry);
- committed: for an open trajectory, its planned person-days × each assigned expert's day rate in
  force on the date; for a completed or stopped trajectory, what it consumed (the rest is freed);
- forecast at completion: consumed + the planned person-days not yet used × today's rates, for
  open trajectories, + an average trajectory (the offer's average person-days × the average
  planned day rate) for every accepted application that has no trajectory yet;
- expected completion: the remaining planned person-days at the trajectory's observed pace
  (person-days registered per calendar day since it started); in its first 30 days or before a
  tenth of its planned days is registered, at the planned pace; a trajectory not started yet
  keeps its planned duration.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncMonth

from profploeg.applications.models import Application
from profploeg.programmes.models import Programme

from .models import Assignment, DayRate, Intake, Offer, PersonDayEntry, Trajectory, entry_cost

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)
DAYS = DecimalField(max_digits=10, decimal_places=1)


def money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def days(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.1"))


def assignment_rate(as_of: datetime.date) -> Coalesce:
    """The assigned expert's day rate in force on the date (before their first rate: that one)."""
    return Coalesce(
        Subquery(DayRate.objects.in_force_on(as_of, OuterRef("expert"))),
        Subquery(
            DayRate.objects.filter(expert=OuterRef("expert"))
            .order_by("valid_from")
            .values("rate_eur")[:1]
        ),
        output_field=MONEY,
    )


def assignment_left(as_of: datetime.date) -> Greatest:
    """Planned person-days of the assignment not yet registered by the date (never below 0)."""
    used = (
        PersonDayEntry.objects.filter(
            trajectory=OuterRef("trajectory"), expert=OuterRef("expert"), date__lte=as_of
        )
        .order_by()
        .values("trajectory")
        .annotate(total=Sum("days"))
        .values("total")[:1]
    )
    return Greatest(
        F("planned_days") - Coalesce(Subquery(used, output_field=DAYS), Value(ZERO)),
        Value(ZERO),
        output_field=DAYS,
    )


def grouped(queryset, field: str, aggregates: dict) -> dict:
    return {row[field]: row for row in queryset.order_by().values(field).annotate(**aggregates)}


def figures(programme: Programme, as_of: datetime.date) -> dict[int, dict]:
    """Sums per trajectory on the date, from three grouped aggregates (entries, assignments,
    trajectories): the number of queries is fixed, whatever the number of rows."""
    field, through = "id", "trajectory_id"
    scope = Q(
        trajectory__application__round__programme=programme, trajectory__created_on__lte=as_of
    )
    open_ = ~Q(trajectory__ended_on__lte=as_of)
    entries = grouped(
        PersonDayEntry.objects.filter(scope, date__lte=as_of),
        through,
        {
            "consumed_days": Sum("days"),
            "consumed_eur": Sum(entry_cost()),
            "ended_consumed_eur": Sum(entry_cost(), filter=~open_),
        },
    )
    rate, left = assignment_rate(as_of), assignment_left(as_of)
    assignments = grouped(
        Assignment.objects.filter(scope, assigned_on__lte=as_of),
        through,
        {
            "total_planned_days": Sum("planned_days"),
            "planned_eur": Sum(ExpressionWrapper(F("planned_days") * rate, output_field=MONEY)),
            "open_planned_eur": Sum(
                ExpressionWrapper(F("planned_days") * rate, output_field=MONEY), filter=open_
            ),
            "left_days": Sum(left, filter=open_),
            "left_eur": Sum(ExpressionWrapper(left * rate, output_field=MONEY), filter=open_),
        },
    )
    ended = Q(ended_on__lte=as_of)
    trajectories = grouped(
        Trajectory.objects.in_programme(programme).existing_on(as_of),
        field,
        {
            "trajectories": Count("pk"),
            "started": Count("pk", filter=Q(started_on__lte=as_of)),
            "completed": Count("pk", filter=ended & Q(status=Trajectory.Status.COMPLETED)),
            "stopped": Count("pk", filter=ended & Q(status=Trajectory.Status.STOPPED)),
        },
    )
    result = {}
    for key, counts in trajectories.items():
        spent, planned = entries.get(key, {}), assignments.get(key, {})
        consumed_eur = money(spent.get("consumed_eur"))
        result[key] = {
            "trajectories": counts["trajectories"] or 0,
            "started": counts["started"] or 0,
            "completed": counts["completed"] or 0,
            "stopped": counts["stopped"] or 0,
            "planned_days": days(planned.get("total_planned_days")),
            "planned_eur": money(planned.get("planned_eur")),
            "left_days": days(planned.get("left_days")),
            "consumed_days": days(spent.get("consumed_days")),
            "consumed_eur": consumed_eur,
            "committed_eur": money(planned.get("open_planned_eur"))
            + money(spent.get("ended_consumed_eur")),
            "forecast_eur": consumed_eur + money(planned.get("left_eur")),
        }
    return result


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
    pace_per_week: Decimal | None = None
    expected_completion: datetime.date | None = None

    @property
    def consumed_share(self) -> int:
        return round(100 * self.consumed_days / self.planned_days) if self.planned_days else 0


@dataclass
class Group:
    """Totals of a round, a municipality or the whole programme."""

    key: object
    label: str
    trajectories: int = 0
    started: int = 0
    completed: int = 0
    stopped: int = 0
    planned_days: Decimal = ZERO
    consumed_days: Decimal = ZERO
    consumed_eur: Decimal = ZERO
    committed_eur: Decimal = ZERO
    forecast_eur: Decimal = ZERO
    planned_eur: Decimal = ZERO
    intakes_held: int = 0
    first_intake: datetime.date | None = None
    expected_completion: datetime.date | None = None


@dataclass
class BurnupPoint:
    month: datetime.date
    consumed_eur: Decimal
    committed_eur: Decimal
    total_eur: Decimal


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
    organisations: list[dict] = field(default_factory=list)
    burnup: list[BurnupPoint] = field(default_factory=list)

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
        return self.totals.expected_completion


def expected_completion(line: Line, as_of: datetime.date) -> tuple[Decimal | None, datetime.date]:
    """(pace in person-days per week, expected completion date) of one trajectory."""
    planned_span = max((line.planned_end - line.planned_start).days, 1)
    if line.ended_on is not None and line.ended_on <= as_of:
        return None, line.ended_on
    if line.started_on is None or line.started_on > as_of:
        if line.planned_start >= as_of:
            return None, line.planned_end
        return None, as_of + datetime.timedelta(days=planned_span)
    elapsed = (as_of - line.started_on).days + 1
    # A pace observed over a few weeks or a few half days says little: plan until it does.
    if elapsed >= 30 and line.consumed_days >= line.planned_days / 10 and line.consumed_days > 0:
        pace = line.consumed_days / elapsed
    else:
        pace = line.planned_days / planned_span
    if line.left_days <= 0 or pace <= 0:
        return (pace * 7).quantize(CENT), as_of
    calendar_days = math.ceil(line.left_days / pace)
    return (pace * 7).quantize(CENT), as_of + datetime.timedelta(days=calendar_days)


def budget_monitor(*, programme: Programme, as_of: datetime.date) -> BudgetMonitor:
    """The budget monitor of a programme on a date, from recorded history only."""
    offer = Offer.objects.filter(programme=programme).first()
    if offer is not None:
        total_eur, capacity = offer.in_force_on(as_of)
    else:
        total_eur, capacity = programme.budget_eur, programme.capacity

    per_trajectory = figures(programme, as_of)
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
            "status",
            "started_on",
            "planned_start",
            "planned_end",
            "ended_on",
        )
        .order_by("application__round__number", "application__municipality__name")
    ):
        values = per_trajectory[row["pk"]]
        line = Line(
            pk=row["pk"],
            application_id=row["application_id"],
            municipality=row["application__municipality__name"],
            municipality_id=row["application__municipality_id"],
            refnis=row["application__municipality__refnis"],
            round_number=row["application__round__number"],
            created_on=row["created_on"],
            status=status_on(row, as_of),
            started_on=on_or_before(row["started_on"], as_of),
            planned_start=row["planned_start"],
            planned_end=row["planned_end"],
            ended_on=on_or_before(row["ended_on"], as_of),
            planned_days=values["planned_days"],
            consumed_days=values["consumed_days"],
            left_days=values["left_days"],
            consumed_eur=values["consumed_eur"],
            planned_eur=values["planned_eur"],
            committed_eur=values["committed_eur"],
            forecast_eur=values["forecast_eur"],
        )
        line.pace_per_week, line.expected_completion = expected_completion(line, as_of)
        lines.append(line)

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
    add_completion(lines, totals, rounds, municipalities)

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
        organisations=organisations(programme, as_of),
        burnup=burnup(programme, as_of, offer, total_eur),
    )


def on_or_before(day: datetime.date | None, as_of: datetime.date) -> datetime.date | None:
    """A recorded date, unless it lies after the date asked (then it had not happened yet)."""
    return day if day is not None and day <= as_of else None


SUMMED = (
    "planned_days",
    "consumed_days",
    "consumed_eur",
    "planned_eur",
    "committed_eur",
    "forecast_eur",
)


def rollup(lines: list["Line"], key_of, label_of) -> dict:
    """Groups of trajectories with the sum of their (database-computed) figures."""
    groups: dict = {}
    for line in lines:
        key = key_of(line)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key=key, label=label_of(key))
        group.trajectories += 1
        group.started += line.started_on is not None
        group.completed += line.status == Trajectory.Status.COMPLETED
        group.stopped += line.status == Trajectory.Status.STOPPED
        for name in SUMMED:
            setattr(group, name, getattr(group, name) + getattr(line, name))
    return groups


def status_on(row: dict, as_of: datetime.date) -> str:
    if row["ended_on"] and row["ended_on"] <= as_of:
        return row["status"]
    if row["started_on"] and row["started_on"] <= as_of:
        return Trajectory.Status.RUNNING
    return Trajectory.Status.PLANNED


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


def add_completion(lines, totals, rounds, municipalities) -> None:
    """A group is expected complete when its last trajectory is."""
    by_round, by_municipality = {}, {}
    for line in lines:
        for index, key in ((by_round, line.round_number), (by_municipality, line.municipality_id)):
            index[key] = max(filter(None, [index.get(key), line.expected_completion]), default=None)
    for group in rounds:
        group.expected_completion = by_round.get(group.key)
    for group in municipalities:
        group.expected_completion = by_municipality.get(group.key)
    totals.expected_completion = max(
        (line.expected_completion for line in lines if line.expected_completion), default=None
    )


def organisations(programme: Programme, as_of: datetime.date) -> list[dict]:
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


def burnup(programme, as_of, offer, total_now) -> list[BurnupPoint]:
    """Month by month up to the date: consumed and committed (cumulative) against the total."""
    entries = PersonDayEntry.objects.filter(
        trajectory__application__round__programme=programme, date__lte=as_of
    )
    # Grouped by day in the database (at most one row per calendar day, whatever the number of
    # entries), folded into months here: truncating each row to its month is slow on SQLite.
    consumed: dict[datetime.date, Decimal] = defaultdict(Decimal)
    for day, total in (
        entries.order_by()
        .values("date")
        .annotate(total=Sum(entry_cost()))
        .values_list("date", "total")
    ):
        consumed[day.replace(day=1)] += total
    rate = Subquery(DayRate.objects.in_force_on(as_of, OuterRef("expert")), output_field=MONEY)
    committed = dict(
        Assignment.objects.filter(
            trajectory__application__round__programme=programme, assigned_on__lte=as_of
        )
        .annotate(month=TruncMonth("assigned_on"))
        .values("month")
        .annotate(total=Sum(ExpressionWrapper(F("planned_days") * rate, output_field=MONEY)))
        .values_list("month", "total")
    )
    starts = [d for d in list(consumed) + list(committed) if d]
    if offer is not None:
        starts.append(offer.valid_from)
        amendments = list(
            offer.amendments.order_by("effective_on").values_list("effective_on", "total_eur")
        )
    else:
        amendments = []
    if not starts:
        return []
    points, consumed_sum, committed_sum = [], ZERO, ZERO
    for month in month_starts(min(starts), as_of):
        consumed_sum += consumed.get(month) or ZERO
        committed_sum += committed.get(month) or ZERO
        month_end = min(
            (month + datetime.timedelta(days=32)).replace(day=1), as_of + datetime.timedelta(days=1)
        ) - datetime.timedelta(days=1)
        total = offer.total_eur if offer else total_now
        for effective_on, amended in amendments:
            if effective_on <= month_end:
                total = amended
        points.append(
            BurnupPoint(
                month=month,
                consumed_eur=money(consumed_sum),
                committed_eur=money(committed_sum),
                total_eur=money(total),
            )
        )
    return points
