"""The offer of the consortium with its amendments, and the budget monitor of a programme.

For programme staff and the experts, as the pages. The monitor is the page's own read
(`trajectories.monitor.budget_monitor`): the same figures, on the date asked."""

import datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from profploeg.accounts.models import User
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import ERRORS, Day, Id, Money, days, eur, text
from profploeg.programmes.models import Programme
from profploeg.trajectories import services
from profploeg.trajectories.models import Offer, OfferAmendment
from profploeg.trajectories.monitor import BudgetMonitor, Group, budget_monitor

from .access import require_roles
from .trajectories import StatusCode

router = Router(tags=["budget"])

TEAM = (User.Role.STAFF, User.Role.EXPERT)


class AsOfQuery(Schema):
    as_of: Day | None = Field(None, description="The date the figures hold on; default today")


class InForceOut(Schema):
    on: datetime.date
    total_eur: Decimal
    capacity: int


class AmendmentOut(Schema):
    id: int
    effective_on: datetime.date
    total_eur: Decimal
    capacity: int
    reason: str
    by: str
    recorded_at: datetime.datetime


class OfferOut(Schema):
    programme: int
    total_eur: Decimal = Field(description="As first offered; see in_force and amendments")
    capacity: int
    average_person_days: Decimal = Field(description="The average trajectory it was priced on")
    valid_from: datetime.date
    valid_until: datetime.date | None
    in_force: InForceOut = Field(description="Total and capacity in force on the date asked")
    amendments: list[AmendmentOut]


def programme_offer(user: User, programme_id: int) -> Offer:
    require_roles(user, *TEAM)
    programme = get_object_or_404(Programme, pk=programme_id)
    return get_object_or_404(Offer.objects.select_related("programme"), programme=programme)


def amendment_out(amendment: OfferAmendment) -> dict:
    return {
        "id": amendment.pk,
        "effective_on": amendment.effective_on,
        "total_eur": eur(amendment.total_eur),
        "capacity": amendment.capacity,
        "reason": amendment.reason,
        "by": amendment.by.get_username(),
        "recorded_at": amendment.recorded_at,
    }


def offer_out(offer: Offer, on: datetime.date) -> dict:
    total, capacity = offer.in_force_on(on)
    return {
        "programme": offer.programme_id,
        "total_eur": eur(offer.total_eur),
        "capacity": offer.capacity,
        "average_person_days": days(offer.average_person_days),
        "valid_from": offer.valid_from,
        "valid_until": offer.valid_until,
        "in_force": {"on": on, "total_eur": eur(total), "capacity": capacity},
        "amendments": [amendment_out(a) for a in offer.amendments.select_related("by")],
    }


@router.get(
    "/programmes/{int:programme_id}/offer",
    response={200: OfferOut, **ERRORS},
    summary="The consortium's offer for a programme, with its amendments",
)
def get_offer(request, programme_id: Id, query: Query[AsOfQuery]):
    offer = programme_offer(request.auth, programme_id)
    return offer_out(offer, query.as_of or timezone.localdate())


class AmendmentIn(Schema):
    effective_on: Day
    total_eur: Money
    capacity: int = Field(ge=0, le=2**31 - 1)
    reason: text(5000) = Field("", description="Why the offer changes (e.g. the decision)")


@router.post(
    "/programmes/{int:programme_id}/offer/amendments",
    response={201: AmendmentOut, **ERRORS},
    summary="Amend the offer's total and capacity from a date on (programme staff)",
)
def amend_offer(
    request,
    programme_id: Id,
    payload: AmendmentIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Earlier dates keep the old figures; the programme shows the figures in force today."""

    def action():
        offer = programme_offer(request.auth, programme_id)
        amendment = services.amend_offer(
            by=request.auth,
            offer=offer,
            effective_on=payload.effective_on,
            total_eur=payload.total_eur,
            capacity=payload.capacity,
            reason=payload.reason,
        )
        return 201, amendment_out(amendment)

    return run_once(request, idempotency_key, action)


class GroupOut(Schema):
    label: str
    trajectories: int
    started: int
    completed: int
    stopped: int
    intakes_held: int
    first_intake: datetime.date | None
    expected_completion: datetime.date | None
    planned_days: Decimal
    consumed_days: Decimal
    planned_eur: Decimal = Field(description="Planned person-days × the rate in force")
    committed_eur: Decimal
    consumed_eur: Decimal
    forecast_eur: Decimal


class RoundGroupOut(GroupOut):
    number: int


class MunicipalityGroupOut(GroupOut):
    refnis: str


class LineOut(Schema):
    trajectory: int
    application: int
    municipality: str
    refnis: str
    round_number: int
    created_on: datetime.date
    status: StatusCode = Field(description="The trajectory's status on the date")
    planned_start: datetime.date
    planned_end: datetime.date
    started_on: datetime.date | None
    ended_on: datetime.date | None
    planned_days: Decimal
    consumed_days: Decimal
    left_days: Decimal
    consumed_share: int = Field(description="Registered as a percentage of planned person-days")
    planned_eur: Decimal
    committed_eur: Decimal
    consumed_eur: Decimal
    forecast_eur: Decimal
    phase: int = Field(description="The trajectory's phase on the date")
    state: Literal["planned", "running", "overdue", "inactive", "completed", "stopped"] = Field(
        description="Overdue: past its planned end; inactive: running without a registration "
        "for 90 days"
    )
    overdue_days: int
    inactive: bool
    last_activity: datetime.date | None = Field(description="Last registered day, or the start")
    expected_completion: datetime.date | None = Field(description="The expected end (P50)")
    expected_end_p50: datetime.date | None
    expected_end_p80: datetime.date | None
    expected_end_override: datetime.date | None = Field(description="Set by programme staff")
    expected_end_override_reason: str


class OrganisationOut(Schema):
    name: str
    experts: int
    days: Decimal
    cost_eur: Decimal


class BurnupOut(Schema):
    month: datetime.date
    consumed_eur: Decimal
    committed_eur: Decimal
    total_eur: Decimal


class BudgetOut(Schema):
    programme: int
    as_of: datetime.date
    has_offer: bool = Field(description="Without an offer the programme's budget is the total")
    total_eur: Decimal = Field(description="The offer's total in force on the date")
    capacity: int
    accepted: int = Field(description="Accepted applications on the date")
    without_trajectory: int = Field(description="Accepted applications with no trajectory yet")
    average_trajectory_eur: Decimal
    committed_eur: Decimal
    consumed_eur: Decimal
    remaining_eur: Decimal = Field(description="Total minus committed")
    pipeline_eur: Decimal = Field(description="An average trajectory for each one still to come")
    forecast_at_completion_eur: Decimal
    forecast_exceeds_total: bool
    room_eur: Decimal = Field(description="Total minus the forecast (negative: overrun)")
    overrun_eur: Decimal
    room_in_average_trajectories: int
    consumed_share: int
    committed_share: int
    expected_completion: datetime.date | None = Field(description="All completed by (P50)")
    completion_p50: datetime.date | None
    completion_p80: datetime.date | None
    overdue_count: int
    inactive_count: int
    committed_definition: str
    completion_explanation: str
    totals: GroupOut
    rounds: list[RoundGroupOut]
    municipalities: list[MunicipalityGroupOut]
    trajectories: list[LineOut]
    organisations: list[OrganisationOut]
    burnup: list[BurnupOut] = Field(description="Month by month, cumulative, up to the date")


GROUP_FIELDS = [name for name in GroupOut.model_fields if name != "label"]


def group_out(group: Group, **extra) -> dict:
    def value(name: str):
        figure = getattr(group, name)
        return eur(figure) if name.endswith("_eur") else days(figure) if "days" in name else figure

    return {
        "label": str(group.label or ""),
        **{name: value(name) for name in GROUP_FIELDS},
        **extra,
    }


def budget_out(monitor: BudgetMonitor) -> dict:
    refnis = {line.municipality_id: line.refnis for line in monitor.lines}
    return {
        "programme": monitor.programme.pk,
        "as_of": monitor.as_of,
        "has_offer": monitor.offer is not None,
        "total_eur": monitor.total_eur,
        "capacity": monitor.capacity,
        "accepted": monitor.accepted,
        "without_trajectory": monitor.without_trajectory,
        "average_trajectory_eur": monitor.average_trajectory_eur,
        "committed_eur": monitor.totals.committed_eur,
        "consumed_eur": monitor.totals.consumed_eur,
        "remaining_eur": monitor.remaining_eur,
        "pipeline_eur": monitor.pipeline_eur,
        "forecast_at_completion_eur": monitor.forecast_at_completion_eur,
        "forecast_exceeds_total": monitor.forecast_exceeds_total,
        "room_eur": monitor.room_eur,
        "overrun_eur": monitor.overrun_eur,
        "room_in_average_trajectories": monitor.room_in_average_trajectories,
        "consumed_share": monitor.consumed_share,
        "committed_share": monitor.committed_share,
        "expected_completion": monitor.expected_completion,
        "completion_p50": monitor.completion_p50,
        "completion_p80": monitor.completion_p80,
        "overdue_count": monitor.overdue_count,
        "inactive_count": monitor.inactive_count,
        "committed_definition": monitor.committed_definition,
        "completion_explanation": monitor.completion_explanation,
        "totals": group_out(monitor.totals),
        "rounds": [group_out(g, number=g.key) for g in monitor.rounds],
        "municipalities": [group_out(g, refnis=refnis[g.key]) for g in monitor.municipalities],
        "trajectories": [
            {
                "trajectory": line.pk,
                "application": line.application_id,
                "municipality": line.municipality,
                "refnis": line.refnis,
                "round_number": line.round_number,
                "created_on": line.created_on,
                "status": line.status,
                "planned_start": line.planned_start,
                "planned_end": line.planned_end,
                "started_on": line.started_on,
                "ended_on": line.ended_on,
                "planned_days": line.planned_days,
                "consumed_days": line.consumed_days,
                "left_days": line.left_days,
                "consumed_share": line.consumed_share,
                "planned_eur": line.planned_eur,
                "committed_eur": line.committed_eur,
                "consumed_eur": line.consumed_eur,
                "forecast_eur": line.forecast_eur,
                "phase": line.phase,
                "state": line.state,
                "overdue_days": line.overdue_days,
                "inactive": line.inactive,
                "last_activity": line.last_activity,
                "expected_completion": line.expected_completion,
                "expected_end_p50": line.expected_end_p50,
                "expected_end_p80": line.expected_end_p80,
                "expected_end_override": line.expected_end_override,
                "expected_end_override_reason": line.expected_end_override_reason,
            }
            for line in monitor.lines
        ],
        "organisations": monitor.organisations,
        "burnup": [
            {
                "month": point.month,
                "consumed_eur": point.consumed_eur,
                "committed_eur": point.committed_eur,
                "total_eur": point.total_eur,
            }
            for point in monitor.burnup
        ],
    }


@router.get(
    "/programmes/{int:programme_id}/budget",
    response={200: BudgetOut, **ERRORS},
    summary="The budget monitor: total, committed, consumed, remaining and the forecast",
)
def get_budget(request, programme_id: Id, query: Query[AsOfQuery]):
    """The figures of the budget monitor page, per round, municipality and trajectory, from
    recorded history as of the date (default today). Programme staff and experts."""
    require_roles(request.auth, *TEAM)
    programme = get_object_or_404(Programme, pk=programme_id)
    as_of = query.as_of or timezone.localdate()
    return budget_out(budget_monitor(programme=programme, as_of=as_of))
