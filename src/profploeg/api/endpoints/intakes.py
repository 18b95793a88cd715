"""Intakes: the conversation with the municipality of an accepted application, planned with a
calendar invitation, rescheduled or cancelled with an update, and recorded once held (which
plans the trajectory).

Reads start from `Intake.objects.visible_to(user)`; the team (programme staff and experts) plans
and records them, through the same services as the intake pages."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from profploeg.accounts.models import User
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import (
    ERRORS,
    Day,
    Id,
    Moment,
    PageIn,
    PersonDays,
    Refnis,
    page_of,
    paginate,
    text,
    url,
)
from profploeg.applications.models import Application
from profploeg.lib.dates import end_of_day
from profploeg.trajectories import services
from profploeg.trajectories.models import Expert, Intake, IntakeForm

from .applications import ApplicantOut, applicant_out, start_of_day
from .experts import ExpertRefOut, expert_ref
from .trajectories import TrajectoryDetailOut, detail, in_municipality

router = Router(tags=["intakes"])

IntakeStatus = Literal[tuple(Intake.Status.values)]
FIVE_B = Literal[tuple(name for name, _dutch, _label in IntakeForm.FIVE_BS)]


class ScoreOut(Schema):
    name: FIVE_B
    dutch: str = Field(description="The method's own term: Bekendheid, Beleving, ...")
    label: str
    score: int = Field(ge=1, le=5)
    comment: str


class IntakeFormOut(Schema):
    submitted_at: datetime.datetime
    scores: list[ScoreOut] = Field(description="The five B's, scored 1 to 5 by the municipality")


class IntakeOut(Schema):
    id: int
    application: int
    programme: int
    round_number: int
    municipality: ApplicantOut
    status: IntakeStatus
    status_label: str
    planned_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    location: str
    video_url: str
    participants: str
    experts: list[ExpertRefOut]
    sequence: int = Field(description="Raised by every update of the calendar invitation")
    held_on: datetime.date | None
    agreed_question: str
    cancel_reason: str
    trajectory: int | None = Field(description="The trajectory it led to, once held")
    intake_form: IntakeFormOut | None = Field(description="The municipality's intake form")


IntakePage = page_of(IntakeOut, "IntakePage")


def visible_intakes(user: User):
    return (
        Intake.objects.visible_to(user)
        .select_related(
            "application__round",
            "application__municipality__province",
            "application__municipality__merged_into",
            "application__intake_form",
            "trajectory",
        )
        .prefetch_related(
            Prefetch("experts", queryset=Expert.objects.select_related("organisation"))
        )
    )


def get_visible(user: User, intake_id: int) -> Intake:
    return get_object_or_404(visible_intakes(user), pk=intake_id)


def intake_form_out(form: IntakeForm | None) -> dict | None:
    if form is None:
        return None
    return {
        "submitted_at": form.submitted_at,
        "scores": [
            {
                "name": name,
                "dutch": dutch,
                "label": str(label),
                "score": getattr(form, f"{name}_score"),
                "comment": getattr(form, f"{name}_comment"),
            }
            for name, dutch, label in IntakeForm.FIVE_BS
        ],
    }


def intake_out(intake: Intake) -> dict:
    application = intake.application
    trajectory = getattr(intake, "trajectory", None)
    return {
        "id": intake.pk,
        "application": application.pk,
        "programme": application.round.programme_id,
        "round_number": application.round.number,
        "municipality": applicant_out(application.municipality),
        "status": intake.status,
        "status_label": str(intake.get_status_display()),
        "planned_at": intake.planned_at,
        "ends_at": intake.ends_at,
        "duration_minutes": intake.duration_minutes,
        "location": intake.location,
        "video_url": intake.video_url,
        "participants": intake.participants,
        "experts": [expert_ref(e) for e in sorted(intake.experts.all(), key=lambda e: e.name)],
        "sequence": intake.sequence,
        "held_on": intake.held_on,
        "agreed_question": intake.agreed_question,
        "cancel_reason": intake.cancel_reason,
        "trajectory": trajectory.pk if trajectory else None,
        "intake_form": intake_form_out(getattr(application, "intake_form", None)),
    }


class IntakeFilters(Schema):
    programme: Id | None = None
    round: Id | None = Field(None, description="Round id")
    status: IntakeStatus | None = None
    province: Refnis | None = None
    municipality: Refnis | None = Field(
        None, description="REFNIS code; a current municipality includes those merged into it"
    )
    planned_from: Day | None = None
    planned_until: Day | None = None
    sort: Literal["planned_at", "-planned_at", "municipality", "-municipality"] = "planned_at"


SORT_FIELDS = {"planned_at": "planned_at", "municipality": "application__municipality__name"}


@router.get("/intakes", response={200: IntakePage, **ERRORS}, summary="List intakes")
def list_intakes(request, filters: Query[IntakeFilters], page: Query[PageIn]):
    found = visible_intakes(request.auth)
    if filters.programme:
        found = found.in_programme(filters.programme)
    if filters.round:
        found = found.filter(application__round_id=filters.round)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.province:
        found = found.filter(application__municipality__province__refnis=filters.province)
    if filters.municipality:
        found = found.filter(in_municipality(filters.municipality, "application__"))
    if filters.planned_from:
        found = found.filter(planned_at__gte=start_of_day(filters.planned_from))
    if filters.planned_until:
        found = found.filter(planned_at__lte=end_of_day(filters.planned_until))
    order = ("-" if filters.sort.startswith("-") else "") + SORT_FIELDS[filters.sort.lstrip("-")]
    return paginate(found.order_by(order, "pk"), page, intake_out)


@router.get(
    "/intakes/{int:intake_id}",
    response={200: IntakeOut, **ERRORS},
    summary="One intake, with the municipality's intake form",
)
def get_intake(request, intake_id: Id):
    return intake_out(get_visible(request.auth, intake_id))


def resolve_experts(ids: list[int], field: str) -> list[Expert]:
    """The active experts by id, in the order given; an unknown id names the field."""
    found = {e.pk: e for e in Expert.objects.filter(pk__in=ids, is_active=True)}
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise ValidationError(
            {
                field: _("Select a valid choice. %(value)s is not one of the available choices.")
                % {"value": ", ".join(unknown)}
            }
        )
    return [found[pk] for pk in ids]


class MeetingIn(Schema):
    planned_at: Moment
    duration_minutes: int = Field(90, ge=-(2**31), le=2**31 - 1)
    location: text(300) = Field("", description="A place, or else a video link")
    video_url: url() = ""
    participants: text(5000) = ""


class PlanIn(MeetingIn):
    application: Id = Field(description="An accepted application without a live intake")
    experts: list[Id] = Field([], max_length=50, description="Expert ids to invite")


class RescheduleIn(MeetingIn):
    experts: list[Id] | None = Field(
        None, max_length=50, description="Expert ids to invite; leave out to keep them"
    )


def intake_created(user: User, intake: Intake) -> tuple[int, dict]:
    return 201, intake_out(get_visible(user, intake.pk))


@router.post(
    "/intakes",
    response={201: IntakeOut, **ERRORS},
    summary="Plan the intake of an accepted application (programme staff and experts)",
)
def plan_intake(request, payload: PlanIn, idempotency_key: str | None = idempotency_key_header()):
    """The municipality and the invited experts get an invitation with a calendar file."""

    def action():
        services.require_team(request.auth)
        application = (
            Application.objects.visible_to(request.auth)
            .select_related("municipality")
            .filter(pk=payload.application)
            .first()
        )
        if application is None:
            raise ValidationError(
                {
                    "application": _("There is no application with id %(id)s.")
                    % {"id": payload.application}
                }
            )
        intake = services.plan_intake(
            by=request.auth,
            application=application,
            planned_at=payload.planned_at,
            duration_minutes=payload.duration_minutes,
            location=payload.location,
            video_url=payload.video_url,
            participants=payload.participants,
            experts=resolve_experts(payload.experts, "experts"),
        )
        return intake_created(request.auth, intake)

    return run_once(request, idempotency_key, action)


@router.post(
    "/intakes/{int:intake_id}/reschedule",
    response={200: IntakeOut, **ERRORS},
    summary="Change a planned intake; everyone invited gets an update (staff and experts)",
)
def reschedule_intake(
    request,
    intake_id: Id,
    payload: RescheduleIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        intake = get_visible(request.auth, intake_id)
        services.require_team(request.auth)
        experts = None
        if payload.experts is not None:
            experts = resolve_experts(payload.experts, "experts")
        services.reschedule_intake(
            by=request.auth,
            intake=intake,
            planned_at=payload.planned_at,
            duration_minutes=payload.duration_minutes,
            location=payload.location,
            video_url=payload.video_url,
            participants=payload.participants,
            experts=experts,
        )
        return 200, intake_out(get_visible(request.auth, intake_id))

    return run_once(request, idempotency_key, action)


class CancelIn(Schema):
    reason: text(5000) = Field("", description="The municipality will read it")


@router.post(
    "/intakes/{int:intake_id}/cancel",
    response={200: IntakeOut, **ERRORS},
    summary="Cancel a planned intake; everyone invited is told (staff and experts)",
)
def cancel_intake(
    request,
    intake_id: Id,
    payload: CancelIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        intake = get_visible(request.auth, intake_id)
        services.cancel_intake(by=request.auth, intake=intake, reason=payload.reason)
        return 200, intake_out(get_visible(request.auth, intake_id))

    return run_once(request, idempotency_key, action)


class PlannedAssignmentIn(Schema):
    expert: Id
    planned_days: PersonDays


class OutcomeIn(Schema):
    held_on: Day
    agreed_question: text(10000) = ""
    planned_start: Day
    planned_end: Day = Field(description="Typically 6 to 9 months after the start")
    assignments: list[PlannedAssignmentIn] = Field(
        [], max_length=50, description="Each assigned expert with their planned person-days"
    )


@router.post(
    "/intakes/{int:intake_id}/outcome",
    response={201: TrajectoryDetailOut, **ERRORS},
    summary="Record a held intake: the agreed question becomes a planned trajectory",
)
def record_outcome(
    request,
    intake_id: Id,
    payload: OutcomeIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Programme staff and experts, with the experts and their planned person-days."""

    def action():
        intake = get_visible(request.auth, intake_id)
        services.require_team(request.auth)
        experts = resolve_experts([a.expert for a in payload.assignments], "assignments")
        trajectory = services.record_intake_outcome(
            by=request.auth,
            intake=intake,
            held_on=payload.held_on,
            agreed_question=payload.agreed_question,
            assignments=[
                services.PlannedAssignment(expert, Decimal(a.planned_days))
                for expert, a in zip(experts, payload.assignments, strict=True)
            ],
            planned_start=payload.planned_start,
            planned_end=payload.planned_end,
        )
        return 201, detail(request.auth, trajectory)

    return run_once(request, idempotency_key, action)


class HeldIn(OutcomeIn):
    application: Id = Field(description="An accepted application without a live intake")
    location: text(300) = ""
    participants: text(5000) = ""


@router.post(
    "/intakes/held",
    response={201: TrajectoryDetailOut, **ERRORS},
    summary="Record an intake already held, with its outcome; nobody is invited "
    "(programme staff and experts)",
)
def record_held_intake(
    request, payload: HeldIn, idempotency_key: str | None = idempotency_key_header()
):
    """Not in the future, not before the application was accepted; the trajectory dates from
    the day it was held."""

    def action():
        services.require_team(request.auth)
        application = (
            Application.objects.visible_to(request.auth)
            .select_related("municipality")
            .filter(pk=payload.application)
            .first()
        )
        if application is None:
            raise ValidationError(
                {
                    "application": _("There is no application with id %(id)s.")
                    % {"id": payload.application}
                }
            )
        experts = resolve_experts([a.expert for a in payload.assignments], "assignments")
        trajectory = services.record_held_intake(
            by=request.auth,
            application=application,
            held_on=payload.held_on,
            agreed_question=payload.agreed_question,
            assignments=[
                services.PlannedAssignment(expert, Decimal(a.planned_days))
                for expert, a in zip(experts, payload.assignments, strict=True)
            ],
            planned_start=payload.planned_start,
            planned_end=payload.planned_end,
            location=payload.location,
            participants=payload.participants,
        )
        return 201, detail(request.auth, trajectory)

    return run_once(request, idempotency_key, action)
