"""The consortium's experts and their day rates, for the profploeg and programme staff.

Day rates are shown to programme staff only, as on the pages; staff add a rate from a date on
through the same service (entries already registered keep the rate of their date)."""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from profploeg.accounts.models import User
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import (
    ERRORS,
    Day,
    Id,
    Money,
    PageIn,
    days,
    eur,
    page_of,
    paginate,
    text,
)
from profploeg.trajectories import services
from profploeg.trajectories.models import Assignment, DayRate, Expert, ExpertiseArea

from .access import require_roles

router = Router(tags=["experts"])

TEAM = (User.Role.STAFF, User.Role.EXPERT)


class ExpertRefOut(Schema):
    id: int
    name: str
    organisation: str


class DayRateOut(Schema):
    valid_from: datetime.date
    rate_eur: Decimal
    created_at: datetime.datetime
    created_by: str | None


class ExpertOut(Schema):
    id: int
    name: str
    email: str
    organisation: str
    lead_partner: bool = Field(description="Whether the organisation leads the consortium")
    expertise_areas: list[str] = Field(description="Slugs of the expertise areas")
    is_active: bool
    username: str | None = Field(description="The expert's login, if staff linked one")
    day_rate_eur: Decimal | None = Field(
        description="The day rate in force today: programme staff only (null for others)"
    )


class ExpertAssignmentOut(Schema):
    trajectory: int
    municipality: str
    refnis: str
    round_number: int
    planned_days: Decimal
    assigned_on: datetime.date


class ExpertDetailOut(ExpertOut):
    day_rates: list[DayRateOut] | None = Field(
        description="Every rate with the date it holds from, newest first: programme staff only"
    )
    assignments: list[ExpertAssignmentOut]


ExpertPage = page_of(ExpertOut, "ExpertPage")


def expert_ref(expert: Expert) -> dict:
    """An expert as other resources name them; needs `organisation` loaded."""
    return {"id": expert.pk, "name": expert.name, "organisation": expert.organisation.name}


def experts(user: User):
    """Every expert, for the team only; with today's rate, which only staff will be shown."""
    require_roles(user, *TEAM)
    return (
        Expert.objects.with_rate_on(timezone.localdate())
        .select_related("organisation", "user")
        .prefetch_related(Prefetch("expertise_areas", ExpertiseArea.objects.order_by("slug")))
    )


def expert_out(expert: Expert, user: User) -> dict:
    staff = user.role == User.Role.STAFF
    return {
        **expert_ref(expert),
        "email": expert.contact_email,
        "lead_partner": expert.organisation.is_lead_partner,
        "expertise_areas": [area.slug for area in expert.expertise_areas.all()],
        "is_active": expert.is_active,
        "username": expert.user.get_username() if expert.user_id else None,
        "day_rate_eur": eur(expert.rate_eur) if staff else None,
    }


def day_rate_out(rate: DayRate) -> dict:
    return {
        "valid_from": rate.valid_from,
        "rate_eur": eur(rate.rate_eur),
        "created_at": rate.created_at,
        "created_by": rate.created_by.get_username() if rate.created_by_id else None,
    }


def expert_detail_out(expert: Expert, user: User) -> dict:
    assignments = Assignment.objects.filter(expert=expert).select_related(
        "trajectory__application__municipality", "trajectory__application__round"
    )
    rates = None
    if user.role == User.Role.STAFF:
        rates = [day_rate_out(r) for r in expert.day_rates.select_related("created_by")]
    return {
        **expert_out(expert, user),
        "day_rates": rates,
        "assignments": [
            {
                "trajectory": a.trajectory_id,
                "municipality": a.trajectory.application.municipality.name,
                "refnis": a.trajectory.application.municipality.refnis,
                "round_number": a.trajectory.application.round.number,
                "planned_days": days(a.planned_days),
                "assigned_on": a.assigned_on,
            }
            for a in assignments.order_by("trajectory__application__round__number", "pk")
        ],
    }


class ExpertFilters(Schema):
    name: text(100) | None = Field(None, description="Part of the name")
    organisation: text(200) | None = Field(None, description="Part of the organisation's name")
    expertise: text(50) | None = Field(None, description="Slug of an expertise area")
    active: bool | None = None
    sort: Literal["name", "-name", "organisation", "-organisation"] = "name"


SORT_FIELDS = {"name": "name", "organisation": "organisation__name"}


@router.get(
    "/experts",
    response={200: ExpertPage, **ERRORS},
    summary="List the consortium's experts (programme staff and experts)",
)
def list_experts(request, filters: Query[ExpertFilters], page: Query[PageIn]):
    found = experts(request.auth)
    if filters.name:
        found = found.filter(name__icontains=filters.name)
    if filters.organisation:
        found = found.filter(organisation__name__icontains=filters.organisation)
    if filters.expertise:
        found = found.filter(expertise_areas__slug=filters.expertise)
    if filters.active is not None:
        found = found.filter(is_active=filters.active)
    order = ("-" if filters.sort.startswith("-") else "") + SORT_FIELDS[filters.sort.lstrip("-")]
    return paginate(
        found.order_by(order, "name", "pk"), page, lambda e: expert_out(e, request.auth)
    )


@router.get(
    "/experts/{int:expert_id}",
    response={200: ExpertDetailOut, **ERRORS},
    summary="One expert with their trajectories (and day rates, for programme staff)",
)
def get_expert(request, expert_id: Id):
    expert = get_object_or_404(experts(request.auth), pk=expert_id)
    return expert_detail_out(expert, request.auth)


class DayRateIn(Schema):
    valid_from: Day
    rate_eur: Money


@router.post(
    "/experts/{int:expert_id}/day-rates",
    response={201: DayRateOut, **ERRORS},
    summary="Give an expert a day rate from a date on (programme staff)",
)
def add_day_rate(
    request,
    expert_id: Id,
    payload: DayRateIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Registered person-days keep the rate of their own date."""

    def action():
        expert = get_object_or_404(experts(request.auth), pk=expert_id)
        rate = services.set_day_rate(
            by=request.auth,
            expert=expert,
            valid_from=payload.valid_from,
            rate_eur=payload.rate_eur,
        )
        return 201, day_rate_out(rate)

    return run_once(request, idempotency_key, action)
