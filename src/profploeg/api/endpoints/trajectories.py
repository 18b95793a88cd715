"""Trajectories: the guidance of one accepted application, planned → running → completed or
stopped, through the method's three phases.

Reads start from `Trajectory.objects.visible_to(user)`: a municipality sees only its own (and
those of the municipalities it merged from), a province those of its municipalities, the team
all. The steps go through the same services as the trajectory page."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from profploeg.accounts.models import User
from profploeg.api.idempotency import idempotency_key_header, run_once
from profploeg.api.schemas import (
    ERRORS,
    Day,
    Id,
    PageIn,
    PersonDays,
    Refnis,
    days,
    page_of,
    paginate,
    text,
)
from profploeg.trajectories import services
from profploeg.trajectories.models import (
    IN_FORCE,
    Assignment,
    Expert,
    PersonDayEntry,
    PlanChange,
    Trajectory,
)

from .applications import ApplicantOut, applicant_out
from .experts import ExpertRefOut, expert_ref

router = Router(tags=["trajectories"])

StatusCode = Literal[tuple(Trajectory.Status.values)]
PhaseCode = Literal[tuple(Trajectory.Phase.values)]


class AssignmentOut(Schema):
    expert: ExpertRefOut
    planned_days: Decimal
    registered_days: Decimal
    assigned_on: datetime.date


class ClosingReportOut(Schema):
    findings: str
    measures: str = Field(description="Recommended measures")


class TrajectoryOut(Schema):
    id: int
    application: int
    programme: int
    round_number: int
    municipality: ApplicantOut
    intake: int | None
    question: str = Field(description="The question agreed on at the intake")
    status: StatusCode
    status_label: str
    phase: PhaseCode = Field(
        description="1 sharpening the question, 2 execution and knowledge exchange, "
        "3 trajectory sheet, report and action plan"
    )
    phase_label: str
    created_on: datetime.date = Field(description="The day the intake was held")
    planned_start: datetime.date
    planned_end: datetime.date
    started_on: datetime.date | None
    ended_on: datetime.date | None
    stop_reason: str
    closing_report: ClosingReportOut | None = Field(description="Once completed")
    planned_days: Decimal
    registered_days: Decimal
    assignments: list[AssignmentOut]


class EventOut(Schema):
    from_status: StatusCode | Literal[""]
    to_status: StatusCode
    phase: PhaseCode
    effective_on: datetime.date
    recorded_at: datetime.datetime
    by: str | None
    note: str


class PlanChangeOut(Schema):
    expert: ExpertRefOut
    planned_days: Decimal
    effective_on: datetime.date
    reason: str
    by: str | None
    recorded_at: datetime.datetime


class ExpectedEndOut(Schema):
    expected_end: datetime.date
    effective_on: datetime.date
    reason: str
    by: str | None
    recorded_at: datetime.datetime


class TrajectoryDetailOut(TrajectoryOut):
    events: list[EventOut] = Field(description="Its history: status and phase from a date on")
    plan_changes: list[PlanChangeOut] = Field(
        description="Every change of an expert's planned person-days, from a date on"
    )
    expected_ends: list[ExpectedEndOut] = Field(
        description="Expected ends set by programme staff; the latest in force wins over the "
        "budget monitor's forecast"
    )


TrajectoryPage = page_of(TrajectoryOut, "TrajectoryPage")


def registered_days(trajectory_ref: str, **match) -> Subquery:
    """The person-days registered on a trajectory (and for an expert), summed in the database."""
    total = (
        PersonDayEntry.objects.filter(trajectory=OuterRef(trajectory_ref), **match)
        .order_by()
        .values("trajectory")
        .annotate(total=Sum("days"))
        .values("total")
    )
    return Coalesce(Subquery(total), Decimal("0"))


def visible_trajectories(user: User):
    assignments = (
        Assignment.objects.select_related("expert__organisation")
        .annotate(registered=registered_days("trajectory", expert=OuterRef("expert")))
        .order_by("expert__name", "pk")
    )
    return (
        Trajectory.objects.visible_to(user)
        .select_related(
            "application__round",
            "application__municipality__province",
            "application__municipality__merged_into",
        )
        .annotate(registered=registered_days("pk"))
        .prefetch_related(Prefetch("assignments", queryset=assignments))
    )


def get_visible(user: User, trajectory_id: int) -> Trajectory:
    return get_object_or_404(visible_trajectories(user), pk=trajectory_id)


def trajectory_out(trajectory: Trajectory) -> dict:
    application = trajectory.application
    assignments = list(trajectory.assignments.all())
    completed = trajectory.status == Trajectory.Status.COMPLETED
    return {
        "id": trajectory.pk,
        "application": application.pk,
        "programme": application.round.programme_id,
        "round_number": application.round.number,
        "municipality": applicant_out(application.municipality),
        "intake": trajectory.intake_id,
        "question": trajectory.question,
        "status": trajectory.status,
        "status_label": str(trajectory.get_status_display()),
        "phase": trajectory.phase,
        "phase_label": str(trajectory.get_phase_display()),
        "created_on": trajectory.created_on,
        "planned_start": trajectory.planned_start,
        "planned_end": trajectory.planned_end,
        "started_on": trajectory.started_on,
        "ended_on": trajectory.ended_on,
        "stop_reason": trajectory.stop_reason,
        "closing_report": {"findings": trajectory.findings, "measures": trajectory.measures}
        if completed
        else None,
        "planned_days": days(sum((a.planned_days for a in assignments), Decimal("0"))),
        "registered_days": days(trajectory.registered),
        "assignments": [
            {
                "expert": expert_ref(a.expert),
                "planned_days": days(a.planned_days),
                "registered_days": days(a.registered),
                "assigned_on": a.assigned_on,
            }
            for a in assignments
        ],
    }


def trajectory_detail_out(trajectory: Trajectory) -> dict:
    events = trajectory.events.select_related("by").order_by(*IN_FORCE)
    return {
        **trajectory_out(trajectory),
        "events": [
            {
                "from_status": event.from_status,
                "to_status": event.to_status,
                "phase": event.phase,
                "effective_on": event.effective_on,
                "recorded_at": event.recorded_at,
                "by": event.by.get_username() if event.by_id else None,
                "note": event.note,
            }
            for event in events
        ],
        "plan_changes": [
            {
                "expert": expert_ref(change.assignment.expert),
                "planned_days": days(change.planned_days),
                "effective_on": change.effective_on,
                "reason": change.reason,
                "by": change.by.get_username() if change.by_id else None,
                "recorded_at": change.recorded_at,
            }
            for change in PlanChange.objects.filter(assignment__trajectory=trajectory)
            .select_related("assignment__expert__organisation", "by")
            .order_by(*IN_FORCE)
        ],
        "expected_ends": [
            {
                "expected_end": row.expected_end,
                "effective_on": row.effective_on,
                "reason": row.reason,
                "by": row.by.get_username() if row.by_id else None,
                "recorded_at": row.recorded_at,
            }
            for row in trajectory.expected_ends.select_related("by").order_by(*IN_FORCE)
        ],
    }


def detail(user: User, trajectory: Trajectory) -> dict:
    """A trajectory as it is now, read again through what the user may see."""
    return trajectory_detail_out(get_visible(user, trajectory.pk))


class TrajectoryFilters(Schema):
    programme: Id | None = None
    round: Id | None = Field(None, description="Round id")
    status: StatusCode | None = None
    phase: int | None = Field(None, ge=1, le=3, description="1, 2 or 3")
    province: Refnis | None = None
    municipality: Refnis | None = Field(
        None, description="REFNIS code; a current municipality includes those merged into it"
    )
    expert: Id | None = Field(None, description="Expert id: the trajectories they are assigned to")
    started_from: Day | None = None
    started_until: Day | None = None
    sort: Literal[
        "municipality",
        "-municipality",
        "planned_end",
        "-planned_end",
        "started_on",
        "-started_on",
        "created_on",
        "-created_on",
    ] = "municipality"


SORT_FIELDS = {
    "municipality": "application__municipality__name",
    "planned_end": "planned_end",
    "started_on": "started_on",
    "created_on": "created_on",
}


def in_municipality(refnis: str, prefix: str) -> Q:
    return Q(**{f"{prefix}municipality__refnis": refnis}) | Q(
        **{f"{prefix}municipality__merged_into__refnis": refnis}
    )


@router.get("/trajectories", response={200: TrajectoryPage, **ERRORS}, summary="List trajectories")
def list_trajectories(request, filters: Query[TrajectoryFilters], page: Query[PageIn]):
    # The trajectory page filters through the same `filtered`, by the same names.
    found = visible_trajectories(request.auth).filtered(**filters.dict(exclude={"sort"}))
    order = ("-" if filters.sort.startswith("-") else "") + SORT_FIELDS[filters.sort.lstrip("-")]
    return paginate(found.order_by(order, "pk"), page, trajectory_out)


@router.get(
    "/trajectories/{int:trajectory_id}",
    response={200: TrajectoryDetailOut, **ERRORS},
    summary="One trajectory: its experts, planned and registered days, history, closing report",
)
def get_trajectory(request, trajectory_id: Id):
    return trajectory_detail_out(get_visible(request.auth, trajectory_id))


class StepIn(Schema):
    on: Day = Field(description="The day it happened (not in the future)")


class CompleteIn(StepIn):
    findings: text(20000) = ""
    measures: text(20000) = Field("", description="Recommended measures")


class StopIn(StepIn):
    reason: text(5000) = Field("", description="Why the trajectory stops")


def step(request, trajectory_id: int, idempotency_key: str | None, service, **data):
    """Run one step of a trajectory through its service, at most once per Idempotency-Key."""

    def action():
        trajectory = get_visible(request.auth, trajectory_id)
        service(by=request.auth, trajectory=trajectory, **data)
        return 200, detail(request.auth, trajectory)

    return run_once(request, idempotency_key, action)


@router.post(
    "/trajectories/{int:trajectory_id}/start",
    response={200: TrajectoryDetailOut, **ERRORS},
    summary="Start a planned trajectory (programme staff and its assigned experts)",
)
def start_trajectory(
    request,
    trajectory_id: Id,
    payload: StepIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    return step(request, trajectory_id, idempotency_key, services.start_trajectory, on=payload.on)


@router.post(
    "/trajectories/{int:trajectory_id}/advance",
    response={200: TrajectoryDetailOut, **ERRORS},
    summary="Move a running trajectory to the method's next phase (staff, assigned experts)",
)
def advance_phase(
    request,
    trajectory_id: Id,
    payload: StepIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    return step(request, trajectory_id, idempotency_key, services.advance_phase, on=payload.on)


@router.post(
    "/trajectories/{int:trajectory_id}/complete",
    response={200: TrajectoryDetailOut, **ERRORS},
    summary="Complete a trajectory in phase 3 with its closing report (staff, assigned experts)",
)
def complete_trajectory(
    request,
    trajectory_id: Id,
    payload: CompleteIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """The municipality then gets the evaluation questionnaire."""
    return step(
        request,
        trajectory_id,
        idempotency_key,
        services.complete_trajectory,
        on=payload.on,
        findings=payload.findings,
        measures=payload.measures,
    )


@router.post(
    "/trajectories/{int:trajectory_id}/stop",
    response={200: TrajectoryDetailOut, **ERRORS},
    summary="Stop a planned or running trajectory early, with the reason (staff, assigned experts)",
)
def stop_trajectory(
    request,
    trajectory_id: Id,
    payload: StopIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    return step(
        request,
        trajectory_id,
        idempotency_key,
        services.stop_trajectory,
        on=payload.on,
        reason=payload.reason,
    )


class AssignmentPlanIn(Schema):
    expert: Id
    planned_days: PersonDays
    on: Day | None = Field(
        None, description="The day the plan takes effect (today unless given; not in the future)"
    )
    reason: text(1000) = ""


@router.post(
    "/trajectories/{int:trajectory_id}/assign",
    response={200: TrajectoryDetailOut, **ERRORS},
    summary="Assign an expert or change their planned person-days from a date on (staff)",
)
def assign_expert(
    request,
    trajectory_id: Id,
    payload: AssignmentPlanIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Every change is kept with its date: the figures of earlier dates keep the plan of then."""

    def action():
        trajectory = get_visible(request.auth, trajectory_id)
        services.require_staff(request.auth)
        expert = Expert.objects.filter(pk=payload.expert, is_active=True).first()
        if expert is None:
            raise ValidationError(
                {
                    "expert": _(
                        "Select a valid choice. %(value)s is not one of the available choices."
                    )
                    % {"value": payload.expert}
                }
            )
        services.assign_expert(
            by=request.auth,
            trajectory=trajectory,
            expert=expert,
            planned_days=Decimal(payload.planned_days),
            on=payload.on,
            reason=payload.reason,
        )
        return 200, detail(request.auth, trajectory)

    return run_once(request, idempotency_key, action)


class ExpectedEndIn(Schema):
    expected_end: Day
    reason: text(5000) = Field("", description="Why it is expected to end then")
    on: Day | None = Field(None, description="From which day it holds (today unless given)")


@router.post(
    "/trajectories/{int:trajectory_id}/expected-end",
    response={200: TrajectoryDetailOut, **ERRORS},
    summary="Set a trajectory's expected end with the reason; it wins over the forecast (staff)",
)
def set_expected_end(
    request,
    trajectory_id: Id,
    payload: ExpectedEndIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    def action():
        trajectory = get_visible(request.auth, trajectory_id)
        services.set_expected_end(
            by=request.auth,
            trajectory=trajectory,
            expected_end=payload.expected_end,
            reason=payload.reason,
            on=payload.on,
        )
        return 200, detail(request.auth, trajectory)

    return run_once(request, idempotency_key, action)
