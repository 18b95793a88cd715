"""The consortium's experts and their day rates, for the profploeg and programme staff.

Day rates are shown to programme staff only, as on the pages; staff add a rate from a date on
through the same service (entries already registered keep the rate of their date)."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
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
from profploeg.trajectories.models import (
    Assignment,
    DayRate,
    Expert,
    ExpertiseArea,
    Organisation,
)

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


# Setting up the consortium: organisations, expertise areas and experts (programme staff)


class ConsortiumOrganisationOut(Schema):
    id: int
    name: str
    lead_partner: bool
    experts: int = Field(description="How many experts it has")


class OrganisationIn(Schema):
    name: text(200, 1)
    lead_partner: bool = Field(False, description="The one partner coordinating the consortium")


class OrganisationPatch(Schema):
    name: text(200, 1) = None
    lead_partner: bool = None


ConsortiumOrganisationPage = page_of(ConsortiumOrganisationOut, "ConsortiumOrganisationPage")


def organisation_out(organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "lead_partner": organisation.is_lead_partner,
        "experts": organisation.experts.count(),
    }


@router.get(
    "/organisations",
    response={200: ConsortiumOrganisationPage, **ERRORS},
    summary="List the consortium's organisations (programme staff and experts)",
)
def list_organisations(request, page: Query[PageIn]):
    require_roles(request.auth, *TEAM)
    found = Organisation.objects.order_by("-is_lead_partner", "name", "pk")
    return paginate(found, page, organisation_out)


@router.post(
    "/organisations",
    response={201: ConsortiumOrganisationOut, **ERRORS},
    summary="Add an organisation of the consortium (programme staff)",
)
def create_organisation(
    request, payload: OrganisationIn, idempotency_key: str | None = idempotency_key_header()
):
    def action():
        require_roles(request.auth, User.Role.STAFF)
        organisation = services.create_organisation(
            by=request.auth, name=payload.name, is_lead_partner=payload.lead_partner
        )
        return 201, organisation_out(organisation)

    return run_once(request, idempotency_key, action)


@router.patch(
    "/organisations/{int:organisation_id}",
    response={200: ConsortiumOrganisationOut, **ERRORS},
    summary="Rename an organisation or change the lead partner (programme staff)",
)
def update_organisation(
    request,
    organisation_id: Id,
    payload: OrganisationPatch,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        require_roles(request.auth, User.Role.STAFF)
        organisation = get_object_or_404(Organisation, pk=organisation_id)
        fields = payload.model_dump(exclude_unset=True)
        services.update_organisation(
            by=request.auth,
            organisation=organisation,
            name=fields.get("name"),
            is_lead_partner=fields.get("lead_partner"),
        )
        return 200, organisation_out(organisation)

    return run_once(request, idempotency_key, action)


class ExpertiseAreaOut(Schema):
    id: int
    slug: str
    name: str


class ExpertiseAreaIn(Schema):
    name: text(100, 1)
    slug: text(50) = Field(
        "", pattern=r"^[-a-zA-Z0-9_]*$", description="Default: made from the name"
    )


ExpertiseAreaPage = page_of(ExpertiseAreaOut, "ExpertiseAreaPage")


def expertise_area_out(area: ExpertiseArea) -> dict:
    return {"id": area.pk, "slug": area.slug, "name": area.name}


@router.get(
    "/expertise-areas",
    response={200: ExpertiseAreaPage, **ERRORS},
    summary="List the fields of expertise (programme staff and experts)",
)
def list_expertise_areas(request, page: Query[PageIn]):
    require_roles(request.auth, *TEAM)
    return paginate(ExpertiseArea.objects.order_by("name", "pk"), page, expertise_area_out)


@router.post(
    "/expertise-areas",
    response={201: ExpertiseAreaOut, **ERRORS},
    summary="Add a field of expertise (programme staff)",
)
def create_expertise_area(
    request, payload: ExpertiseAreaIn, idempotency_key: str | None = idempotency_key_header()
):
    def action():
        require_roles(request.auth, User.Role.STAFF)
        area = services.create_expertise_area(by=request.auth, **payload.model_dump())
        return 201, expertise_area_out(area)

    return run_once(request, idempotency_key, action)


class ExpertIn(Schema):
    name: text(200, 1)
    email: text(254) = ""
    organisation: Id = Field(description="The organisation's id (GET /api/organisations)")
    expertise_areas: list[text(50)] = Field([], description="Slugs of the expertise areas")
    day_rate: DayRateIn | None = Field(None, description="A first day rate, if known")


class ExpertPatch(Schema):
    name: text(200, 1) = None
    email: text(254) = None
    organisation: Id = None
    expertise_areas: list[text(50)] = None
    is_active: bool = None


def expert_references(fields: dict) -> dict:
    """Organisation id and expertise slugs as rows; every unknown one named at once."""
    errors = {}
    if "organisation" in fields:
        organisation = Organisation.objects.filter(pk=fields["organisation"]).first()
        if organisation is None:
            errors["organisation"] = [
                _("There is no organisation with id %(id)s.") % {"id": fields["organisation"]}
            ]
        fields["organisation"] = organisation
    if "expertise_areas" in fields:
        slugs = fields["expertise_areas"]
        areas = list(ExpertiseArea.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {area.slug for area in areas})
        if unknown:
            errors["expertise_areas"] = [
                _("Unknown expertise area: %(slugs)s.") % {"slugs": ", ".join(unknown)}
            ]
        fields["expertise_areas"] = areas
    if "email" in fields and fields["email"]:
        try:
            validate_email(fields["email"])
        except ValidationError as error:
            errors["email"] = error.messages
    if errors:
        raise ValidationError(errors)
    return fields


def one_expert(expert_id: int) -> Expert:
    return (
        Expert.objects.with_rate_on(timezone.localdate())
        .select_related("organisation", "user")
        .get(pk=expert_id)
    )


@router.post(
    "/experts",
    response={201: ExpertDetailOut, **ERRORS},
    summary="Register an expert of the consortium, with a first day rate if known (programme staff)",
)
def create_expert(
    request, payload: ExpertIn, idempotency_key: str | None = idempotency_key_header()
):
    def action():
        require_roles(request.auth, User.Role.STAFF)
        fields = expert_references(payload.model_dump(exclude={"day_rate"}))
        rate = payload.day_rate
        expert = services.create_expert(
            by=request.auth,
            **fields,
            day_rate_eur=rate.rate_eur if rate else None,
            rate_valid_from=rate.valid_from if rate else None,
        )
        return 201, expert_detail_out(one_expert(expert.pk), request.auth)

    return run_once(request, idempotency_key, action)


@router.patch(
    "/experts/{int:expert_id}",
    response={200: ExpertDetailOut, **ERRORS},
    summary="Change an expert; the fields left out keep their value (programme staff)",
)
def update_expert(
    request,
    expert_id: Id,
    payload: ExpertPatch,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Day rates change with POST /api/experts/{id}/day-rates, from a date on."""

    def action():
        require_roles(request.auth, User.Role.STAFF)
        expert = get_object_or_404(Expert, pk=expert_id)
        fields = expert_references(payload.model_dump(exclude_unset=True))
        services.update_expert(by=request.auth, expert=expert, **fields)
        return 200, expert_detail_out(one_expert(expert.pk), request.auth)

    return run_once(request, idempotency_key, action)
