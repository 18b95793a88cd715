"""Person-day entries: half or whole days an expert worked on a trajectory on a date.

An expert registers their own days (staff may for any expert); the same service as the page
refuses more than one day per expert per date over all trajectories, a date in the future or
outside the trajectory, and a trajectory the expert is not assigned to. Send an
`Idempotency-Key`: a retried registration replays the first answer and never adds a second
entry. Staff correct or remove an entry; the correction is kept with its reason.

Reads start from `PersonDayEntry.objects.visible_to(user)`; day rates and cost are shown to
programme staff only."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
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
    eur,
    page_of,
    paginate,
    text,
)
from profploeg.trajectories import services
from profploeg.trajectories.models import Expert, PersonDayCorrection, PersonDayEntry, Trajectory
from profploeg.trajectories.permissions import expert_of

from .experts import ExpertRefOut, expert_ref
from .trajectories import in_municipality

router = Router(tags=["person-days"])

ActivityCode = Literal[tuple(PersonDayEntry.Activity.values)]


class EntryOut(Schema):
    id: int
    expert: ExpertRefOut
    trajectory: int
    municipality: str
    refnis: str
    date: datetime.date
    days: Decimal = Field(description="0.5 or 1")
    activity: ActivityCode
    activity_label: str
    note: str
    rate_eur: Decimal | None = Field(
        description="The expert's day rate on that date: programme staff only (null for others)"
    )
    cost_eur: Decimal | None = Field(description="Days × rate: programme staff only")
    created_at: datetime.datetime
    created_by: str | None


class CorrectionOut(Schema):
    id: int
    entry: int | None = Field(description="Null when the entry was removed")
    expert: ExpertRefOut
    trajectory: int
    old_date: datetime.date
    new_date: datetime.date | None
    old_days: Decimal
    new_days: Decimal | None
    old_activity: ActivityCode
    new_activity: ActivityCode | Literal[""]
    old_rate_eur: Decimal
    new_rate_eur: Decimal | None
    reason: str
    by: str
    at: datetime.datetime


EntryPage = page_of(EntryOut, "PersonDayEntryPage")


def visible_entries(user: User):
    return PersonDayEntry.objects.visible_to(user).select_related(
        "expert__organisation", "trajectory__application__municipality", "created_by"
    )


def entry_out(entry: PersonDayEntry, user: User) -> dict:
    staff = user.role == User.Role.STAFF
    municipality = entry.trajectory.application.municipality
    return {
        "id": entry.pk,
        "expert": expert_ref(entry.expert),
        "trajectory": entry.trajectory_id,
        "municipality": municipality.name,
        "refnis": municipality.refnis,
        "date": entry.date,
        "days": days(entry.days),
        "activity": entry.activity,
        "activity_label": str(entry.get_activity_display()),
        "note": entry.note,
        "rate_eur": eur(entry.rate_eur) if staff else None,
        "cost_eur": eur(entry.cost_eur) if staff else None,
        "created_at": entry.created_at,
        "created_by": entry.created_by.get_username() if entry.created_by_id else None,
    }


def correction_out(correction: PersonDayCorrection) -> dict:
    return {
        "id": correction.pk,
        "entry": correction.entry_id,
        "expert": expert_ref(correction.expert),
        "trajectory": correction.trajectory_id,
        "old_date": correction.old_date,
        "new_date": correction.new_date,
        "old_days": days(correction.old_days),
        "new_days": days(correction.new_days),
        "old_activity": correction.old_activity,
        "new_activity": correction.new_activity,
        "old_rate_eur": eur(correction.old_rate_eur),
        "new_rate_eur": eur(correction.new_rate_eur),
        "reason": correction.reason,
        "by": correction.by.get_username(),
        "at": correction.at,
    }


class EntryFilters(Schema):
    programme: Id | None = None
    trajectory: Id | None = None
    expert: Id | None = None
    municipality: Refnis | None = Field(
        None, description="REFNIS code; a current municipality includes those merged into it"
    )
    activity: ActivityCode | None = None
    date_from: Day | None = None
    date_until: Day | None = None
    sort: Literal["date", "-date"] = "-date"


@router.get(
    "/person-days",
    response={200: EntryPage, **ERRORS},
    summary="List person-day entries",
)
def list_entries(request, filters: Query[EntryFilters], page: Query[PageIn]):
    found = visible_entries(request.auth)
    if filters.programme:
        found = found.in_programme(filters.programme)
    if filters.trajectory:
        found = found.filter(trajectory_id=filters.trajectory)
    if filters.expert:
        found = found.filter(expert_id=filters.expert)
    if filters.municipality:
        found = found.filter(in_municipality(filters.municipality, "trajectory__application__"))
    if filters.activity:
        found = found.filter(activity=filters.activity)
    if filters.date_from:
        found = found.filter(date__gte=filters.date_from)
    if filters.date_until:
        found = found.filter(date__lte=filters.date_until)
    direction = "-" if filters.sort.startswith("-") else ""
    return paginate(
        found.order_by(filters.sort, f"{direction}pk"),
        page,
        lambda entry: entry_out(entry, request.auth),
    )


@router.get(
    "/person-days/{int:entry_id}",
    response={200: EntryOut, **ERRORS},
    summary="One person-day entry",
)
def get_entry(request, entry_id: Id):
    return entry_out(get_object_or_404(visible_entries(request.auth), pk=entry_id), request.auth)


class EntryIn(Schema):
    expert: Id | None = Field(
        None, description="Expert id; an expert leaves it out to register their own days"
    )
    trajectory: Id
    date: Day
    days: PersonDays = Field(description="0.5 or 1")
    activity: ActivityCode
    note: text(500) = ""


def registering_expert(user: User, expert_id: int | None) -> Expert:
    if expert_id is None:
        expert = expert_of(user)
        if expert is None and user.role == User.Role.EXPERT:
            raise ValidationError(
                {
                    "expert": _(
                        "Your account is not linked to an expert of the consortium: ask "
                        "programme staff to link it."
                    )
                }
            )
        if expert is None:
            raise ValidationError({"expert": _("This field is required.")})
        return expert
    expert = Expert.objects.select_related("organisation").filter(pk=expert_id).first()
    if expert is None:
        raise ValidationError(
            {"expert": _("There is no expert with id %(id)s.") % {"id": expert_id}}
        )
    return expert


@router.post(
    "/person-days",
    response={201: EntryOut, **ERRORS},
    summary="Register person-days on a trajectory (the assigned expert, or programme staff)",
)
def register_entry(
    request, payload: EntryIn, idempotency_key: str | None = idempotency_key_header()
):
    """Half (0.5) or whole (1) days, at most one day per date over all trajectories."""

    def action():
        services.require_team(request.auth)
        expert = registering_expert(request.auth, payload.expert)
        trajectory = Trajectory.objects.visible_to(request.auth).filter(pk=payload.trajectory)
        if not trajectory.exists():
            raise ValidationError(
                {
                    "trajectory": _("There is no trajectory with id %(id)s.")
                    % {"id": payload.trajectory}
                }
            )
        entry = services.register_person_days(
            by=request.auth,
            expert=expert,
            trajectory=trajectory.get(),
            day=payload.date,
            days=payload.days,
            activity=payload.activity,
            note=payload.note,
        )
        return 201, entry_out(visible_entries(request.auth).get(pk=entry.pk), request.auth)

    return run_once(request, idempotency_key, action)


class CorrectionIn(Schema):
    reason: text(5000) = Field("", description="Why the entry is corrected or removed")
    remove: bool = Field(False, description="Remove the entry instead of changing it")
    date: Day | None = Field(None, description="Leave out to keep")
    days: PersonDays | None = Field(None, description="0.5 or 1; leave out to keep")
    activity: ActivityCode | None = Field(None, description="Leave out to keep")
    note: text(500) | None = Field(None, description="Leave out to keep")


@router.post(
    "/person-days/{int:entry_id}/correction",
    response={200: CorrectionOut, **ERRORS},
    summary="Correct or remove an entry (programme staff); the correction is kept",
)
def correct_entry(
    request,
    entry_id: Id,
    payload: CorrectionIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Answers with the correction as kept: what the entry was, what it became, who and why."""

    def action():
        entry = get_object_or_404(visible_entries(request.auth), pk=entry_id)
        if payload.remove:
            correction = services.remove_person_days(
                by=request.auth, entry=entry, reason=payload.reason
            )
        else:
            entry = services.correct_person_days(
                by=request.auth,
                entry=entry,
                reason=payload.reason,
                day=payload.date,
                days=payload.days,
                activity=payload.activity,
                note=payload.note,
            )
            correction = entry.corrections.latest("at", "pk")
        return 200, correction_out(correction)

    return run_once(request, idempotency_key, action)
