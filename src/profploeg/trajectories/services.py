import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from profploeg.accounts.models import User
from profploeg.applications.models import Application
from profploeg.lib import clock, formats
from profploeg.lib.dates import at_brussels, local_date
from profploeg.programmes import services as programme_services
from profploeg.programmes.models import Programme

from .models import (
    FULL_DAY,
    HALF_DAY,
    LATEST_FIRST,
    Assignment,
    DayRate,
    ExpectedEnd,
    Expert,
    ExpertiseArea,
    Intake,
    IntakeForm,
    IntakeNotice,
    Offer,
    OfferAmendment,
    Organisation,
    PersonDayCorrection,
    PersonDayEntry,
    PlanChange,
    Trajectory,
    TrajectoryEvent,
    entry_cost,
)
from .permissions import runs_trajectory
from .tasks import send_intake_notice

Status = Trajectory.Status


def require_staff(user: User) -> None:
    if not (user.is_active and user.role == User.Role.STAFF):
        raise PermissionDenied(_("Only programme staff can do this."))


def require_team(user: User) -> None:
    """Programme staff and the experts of the profploeg run intakes and trajectories."""
    if not (user.is_active and user.role in (User.Role.STAFF, User.Role.EXPERT)):
        raise PermissionDenied(_("Only programme staff and experts can do this."))


def require_runner(user: User, trajectory: Trajectory) -> None:
    """Staff, or an expert assigned to the trajectory."""
    if not runs_trajectory(user, trajectory):
        raise PermissionDenied(
            _("Only programme staff and the experts assigned to this trajectory can do this.")
        )


def check_not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("%(day)s is in the future.") % {"day": formats.day(day)}})


def check_half_days(value: Decimal, field: str) -> None:
    if value <= 0 or (value * 2) % 1 != 0:
        raise ValidationError(
            {field: _("Give person-days in half days (0.5, 1, 1.5, …), more than zero.")}
        )


# Experts, rates and the offer


@transaction.atomic
def create_expert(
    *,
    by: User,
    name: str,
    organisation: str | Organisation,
    day_rate_eur: Decimal | None = None,
    rate_valid_from: datetime.date | None = None,
    email: str = "",
    expertise_areas: Iterable[ExpertiseArea] = (),
    user: User | None = None,
) -> Expert:
    """Register an expert of the consortium, with a first day rate if one is known."""
    require_staff(by)
    if user is not None and user.role != User.Role.EXPERT:
        raise ValidationError({"user": _("Link only a user account with the expert role.")})
    if (day_rate_eur is None) != (rate_valid_from is None):
        field = "rate_valid_from" if rate_valid_from is None else "day_rate_eur"
        raise ValidationError(
            {field: _("Give a first day rate together with the date it holds from.")}
        )
    if not name.strip():
        raise ValidationError({"name": _("Give the expert's name.")})
    if isinstance(organisation, Organisation):
        organisation_row = organisation
    else:
        if not organisation.strip():
            raise ValidationError({"organisation": _("Give the expert's organisation.")})
        organisation_row, _created = Organisation.objects.get_or_create(name=organisation.strip())
    expert = Expert(name=name.strip(), email=email, organisation=organisation_row, user=user)
    expert.full_clean()
    expert.save()
    expert.expertise_areas.set(expertise_areas)
    if day_rate_eur is not None:
        set_day_rate(by=by, expert=expert, valid_from=rate_valid_from, rate_eur=day_rate_eur)
    return expert


# Fields of an expert that staff may change; the day rates change through set_day_rate.
EXPERT_FIELDS = {"name", "email", "organisation", "expertise_areas", "is_active", "user"}


@transaction.atomic
def update_expert(*, by: User, expert: Expert, **fields) -> Expert:
    """Change an expert's name, email, organisation, expertise areas, login or whether they
    are active; their day rates and registered days stay."""
    require_staff(by)
    unknown = set(fields) - EXPERT_FIELDS
    if unknown:
        raise ValidationError(
            _("An expert has no field %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if "name" in fields:
        if not fields["name"].strip():
            raise ValidationError({"name": _("Give the expert's name.")})
        expert.name = fields["name"].strip()
    if "email" in fields:
        expert.email = fields["email"].strip()
    if "organisation" in fields:
        expert.organisation = fields["organisation"]
    if "is_active" in fields:
        expert.is_active = fields["is_active"]
    if "user" in fields:
        user = fields["user"]
        if user is not None and user.role != User.Role.EXPERT:
            raise ValidationError({"user": _("Link only a user account with the expert role.")})
        if user is not None and Expert.objects.filter(user=user).exclude(pk=expert.pk).exists():
            raise ValidationError(
                {"user": _("This user account already belongs to another expert.")}
            )
        expert.user = user
    expert.full_clean()
    expert.save()
    if "expertise_areas" in fields:
        expert.expertise_areas.set(fields["expertise_areas"])
    return expert


def check_organisation_name(name: str, organisation: Organisation | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the organisation's name.")})
    taken = Organisation.objects.filter(name__iexact=name)
    if organisation is not None:
        taken = taken.exclude(pk=organisation.pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("There already is an organisation “%(name)s”.") % {"name": name}}
        )
    return name


def check_one_lead_partner(organisation: Organisation) -> None:
    """The consortium has one lead partner, who coordinates the others."""
    lead = Organisation.objects.filter(is_lead_partner=True).exclude(pk=organisation.pk).first()
    if organisation.is_lead_partner and lead is not None:
        raise ValidationError(
            {
                "is_lead_partner": _(
                    "%(name)s already leads the consortium: change that organisation first."
                )
                % {"name": lead.name}
            }
        )


@transaction.atomic
def create_organisation(*, by: User, name: str, is_lead_partner: bool = False) -> Organisation:
    """Add a firm or institution of the consortium; names are unique whatever their case."""
    require_staff(by)
    organisation = Organisation(name=check_organisation_name(name), is_lead_partner=is_lead_partner)
    check_one_lead_partner(organisation)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def update_organisation(
    *,
    by: User,
    organisation: Organisation,
    name: str | None = None,
    is_lead_partner: bool | None = None,
) -> Organisation:
    """Rename an organisation or make it (no longer) the lead partner; its experts stay."""
    require_staff(by)
    if name is not None:
        organisation.name = check_organisation_name(name, organisation)
    if is_lead_partner is not None:
        organisation.is_lead_partner = is_lead_partner
    check_one_lead_partner(organisation)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def create_expertise_area(*, by: User, name: str, slug: str = "") -> ExpertiseArea:
    """Add a field of expertise (urban planning, retail, ...); its slug names it in filters."""
    require_staff(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the expertise area a name.")})
    slug = slug.strip() or slugify(name)
    if not slug:
        raise ValidationError({"slug": _("Give a slug of letters, digits or dashes.")})
    if ExpertiseArea.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("There already is an expertise area “%(slug)s”.") % {"slug": slug}}
        )
    area = ExpertiseArea(name=name, slug=slug)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def set_day_rate(
    *, by: User, expert: Expert, valid_from: datetime.date, rate_eur: Decimal
) -> DayRate:
    """Give an expert a day rate from a date on; entries already registered keep their rate."""
    require_staff(by)
    if rate_eur <= 0:
        raise ValidationError({"rate_eur": _("A day rate must be more than zero.")})
    if DayRate.objects.filter(expert=expert, valid_from=valid_from).exists():
        raise ValidationError(
            {
                "valid_from": _(
                    "%(expert)s already has a rate from %(day)s; pick another date or ask an "
                    "administrator to correct it."
                )
                % {"expert": expert.name, "day": formats.day(valid_from)}
            }
        )
    return DayRate.objects.create(
        expert=expert, valid_from=valid_from, rate_eur=rate_eur, created_by=by
    )


def check_offer_figures(*, total_eur: Decimal, capacity: int) -> None:
    if total_eur < 0:
        raise ValidationError({"total_eur": _("The total amount cannot be negative.")})
    if capacity < 1:
        raise ValidationError(
            {"capacity": _("Plan at least one trajectory: the capacity must be more than zero.")}
        )


@transaction.atomic
def create_offer(
    *,
    by: User,
    programme: Programme,
    total_eur: Decimal,
    capacity: int,
    average_person_days: Decimal,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> Offer:
    """Record the consortium's offer for a programme: total amount, capacity, average trajectory."""
    require_staff(by)
    check_offer_figures(total_eur=total_eur, capacity=capacity)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(
            {
                "valid_until": _("The offer cannot end before it starts (%(day)s).")
                % {"day": formats.day(valid_from)}
            }
        )
    if Offer.objects.filter(programme=programme).exists():
        raise ValidationError(
            _("%(programme)s already has an offer: amend it instead.") % {"programme": programme}
        )
    offer = Offer(
        programme=programme,
        total_eur=total_eur,
        capacity=capacity,
        average_person_days=average_person_days,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def amend_offer(
    *,
    by: User,
    offer: Offer,
    effective_on: datetime.date,
    total_eur: Decimal,
    capacity: int,
    reason: str,
) -> OfferAmendment:
    """Change the offer's total and capacity from a date on; earlier dates keep the old figures."""
    require_staff(by)
    check_offer_figures(total_eur=total_eur, capacity=capacity)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the offer changes (e.g. the decision).")})
    if effective_on < offer.valid_from:
        raise ValidationError(
            {"effective_on": _("An amendment cannot take effect before the offer itself.")}
        )
    if offer.valid_until is not None and effective_on > offer.valid_until:
        raise ValidationError(
            {
                "effective_on": _(
                    "The offer ends on %(day)s: an amendment cannot take effect after."
                )
                % {"day": formats.day(offer.valid_until)}
            }
        )
    consumed = PersonDayEntry.objects.filter(
        trajectory__application__round__programme=offer.programme_id
    ).aggregate(eur=Sum(entry_cost()))["eur"] or Decimal("0")
    if total_eur < consumed:
        raise ValidationError(
            {
                "total_eur": _(
                    "The total cannot drop below what has already been spent (€ %(consumed)s)."
                )
                % {"consumed": formats.number(consumed, 2)}
            }
        )
    amendment = OfferAmendment.objects.create(
        offer=offer,
        effective_on=effective_on,
        total_eur=total_eur,
        capacity=capacity,
        reason=reason,
        by=by,
        recorded_at=clock.now(),
    )
    # The programme shows the figures in force today; the offer keeps their history.
    total_now, capacity_now = offer.in_force_on(clock.localdate())
    programme_services.update_programme(
        programme=offer.programme,
        by=by,
        follow_offer=True,
        budget_eur=total_now,
        capacity=capacity_now,
    )
    return amendment


# Intakes


def intake_recipients(intake: Intake) -> list[str]:
    """The municipality's contact and users, and the invited experts."""
    application = intake.application
    emails = [application.contact_email]
    emails += User.objects.filter(
        role=User.Role.MUNICIPALITY, municipality=application.municipality_id, is_active=True
    ).values_list("email", flat=True)
    emails += [expert.contact_email for expert in intake.experts.select_related("user")]
    unique = []
    for email in emails:
        if email and email.lower() not in {e.lower() for e in unique}:
            unique.append(email)
    return unique


def send_notice(intake: Intake, kind: str) -> IntakeNotice:
    """Keep the calendar message and email it once the transaction commits."""
    notice = IntakeNotice.objects.create(
        intake=intake, kind=kind, sequence=intake.sequence, recipients=intake_recipients(intake)
    )
    transaction.on_commit(lambda: send_intake_notice.enqueue(notice_id=notice.pk))
    return notice


def check_meeting(
    *, planned_at: datetime.datetime, location: str, video_url: str, duration_minutes: int
) -> None:
    if planned_at <= clock.now():
        raise ValidationError({"planned_at": _("Plan the intake at a moment in the future.")})
    if not (location.strip() or video_url.strip()):
        raise ValidationError({"location": _("Give a place or a video link.")})
    if not 15 <= duration_minutes <= 480:
        raise ValidationError(
            {"duration_minutes": _("An intake lasts between 15 minutes and 8 hours.")}
        )


@transaction.atomic
def plan_intake(
    *,
    by: User,
    application: Application,
    planned_at: datetime.datetime,
    location: str = "",
    video_url: str = "",
    participants: str = "",
    experts: Sequence[Expert] = (),
    duration_minutes: int = 90,
) -> Intake:
    """Plan the intake of an accepted application and invite the municipality and experts."""
    require_team(by)
    if application.status != Application.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted application gets an intake."))
    if Intake.objects.live().filter(application=application).exists():
        raise ValidationError(
            _("%(municipality)s already has an intake: change that one instead.")
            % {"municipality": application.municipality}
        )
    check_meeting(
        planned_at=planned_at,
        location=location,
        video_url=video_url,
        duration_minutes=duration_minutes,
    )
    intake = Intake.objects.create(
        application=application,
        planned_at=planned_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        video_url=video_url.strip(),
        participants=participants.strip(),
        created_by=by,
    )
    intake.experts.set(experts)
    send_notice(intake, IntakeNotice.Kind.INVITATION)
    return intake


def lock_planned_intake(intake: Intake) -> Intake:
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.status != Intake.Status.PLANNED:
        raise ValidationError(
            _("This intake is %(status)s: it can no longer be changed.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def reschedule_intake(
    *,
    by: User,
    intake: Intake,
    planned_at: datetime.datetime,
    location: str = "",
    video_url: str = "",
    participants: str = "",
    experts: Sequence[Expert] | None = None,
    duration_minutes: int = 90,
) -> Intake:
    """Change a planned intake; everyone invited gets an update of the same calendar event."""
    require_team(by)
    intake = lock_planned_intake(intake)
    check_meeting(
        planned_at=planned_at,
        location=location,
        video_url=video_url,
        duration_minutes=duration_minutes,
    )
    previous_recipients = set(intake_recipients(intake))
    intake.planned_at = planned_at
    intake.duration_minutes = duration_minutes
    intake.location = location.strip()
    intake.video_url = video_url.strip()
    intake.participants = participants.strip()
    intake.sequence += 1
    intake.save()
    if experts is not None:
        intake.experts.set(experts)
    notice = send_notice(intake, IntakeNotice.Kind.UPDATE)
    # Someone taken off the invitation still needs to hear that it changed.
    dropped = sorted(previous_recipients - set(notice.recipients))
    if dropped:
        IntakeNotice.objects.filter(pk=notice.pk).update(recipients=notice.recipients + dropped)
    return intake


@transaction.atomic
def cancel_intake(*, by: User, intake: Intake, reason: str) -> Intake:
    """Cancel a planned intake; everyone invited gets a cancellation of the calendar event."""
    require_team(by)
    intake = lock_planned_intake(intake)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: the municipality will read it.")})
    intake.status = Intake.Status.CANCELLED
    intake.cancel_reason = reason
    intake.sequence += 1
    intake.save()
    send_notice(intake, IntakeNotice.Kind.CANCELLATION)
    return intake


FIVE_B_NAMES = [name for name, _dutch, _label in IntakeForm.FIVE_BS]


@transaction.atomic
def submit_intake_form(
    *, by: User, application: Application, scores: dict[str, int], comments: dict[str, str]
) -> IntakeForm:
    """The municipality scores its centre on the five B's before the intake is held."""
    own = Application.objects.visible_to(by).filter(pk=application.pk).exists()
    if not (by.is_active and (by.role == User.Role.STAFF or (by.is_municipality_user and own))):
        raise PermissionDenied(_("Only the municipality itself fills in its intake form."))
    if application.status != Application.Status.ACCEPTED:
        raise ValidationError(_("The intake form is for accepted applications only."))
    if Intake.objects.filter(application=application, status=Intake.Status.HELD).exists():
        raise ValidationError(_("The intake has been held: the intake form can no longer change."))
    fields = {}
    for name in FIVE_B_NAMES:
        score = scores.get(name)
        if score not in (1, 2, 3, 4, 5):
            raise ValidationError({f"{name}_score": _("Give a score from 1 to 5.")})
        fields[f"{name}_score"] = score
        fields[f"{name}_comment"] = comments.get(name, "").strip()
    form, _created = IntakeForm.objects.update_or_create(
        application=application,
        defaults={**fields, "submitted_by": by, "submitted_at": timezone.now()},
    )
    return form


@dataclass(frozen=True)
class PlannedAssignment:
    expert: Expert
    planned_days: Decimal


@transaction.atomic
def record_intake_outcome(
    *,
    by: User,
    intake: Intake,
    held_on: datetime.date,
    agreed_question: str,
    assignments: Sequence[PlannedAssignment],
    planned_start: datetime.date,
    planned_end: datetime.date,
) -> Trajectory:
    """Record a held intake: the agreed question becomes a planned trajectory with its experts
    (programme staff, or an expert invited to the intake)."""
    require_team(by)
    if by.role != User.Role.STAFF and not intake.experts.filter(user=by).exists():
        raise PermissionDenied(
            _("Only programme staff and the experts invited to this intake can record it.")
        )
    intake = lock_planned_intake(intake)
    agreed_question = agreed_question.strip()
    check_not_future(held_on, "held_on")
    if not agreed_question:
        raise ValidationError({"agreed_question": _("Write down the question agreed on.")})
    if planned_end <= planned_start:
        raise ValidationError({"planned_end": _("The planned end must be after the start.")})
    if planned_start < held_on:
        raise ValidationError(
            {"planned_start": _("A trajectory cannot start before its intake was held.")}
        )
    if not assignments:
        raise ValidationError(_("Assign at least one expert with planned person-days."))
    experts = [a.expert.pk for a in assignments]
    if len(set(experts)) != len(experts):
        raise ValidationError(_("Each expert is assigned once; add up their person-days."))
    for assignment in assignments:
        check_half_days(assignment.planned_days, "assignments")
    if by.role != User.Role.STAFF:
        check_expert_plan(intake, sum(a.planned_days for a in assignments))
    intake.status = Intake.Status.HELD
    intake.held_on = held_on
    intake.agreed_question = agreed_question
    intake.save()
    trajectory = Trajectory.objects.create(
        application=intake.application,
        intake=intake,
        question=agreed_question,
        created_on=held_on,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    created = Assignment.objects.bulk_create(
        Assignment(
            trajectory=trajectory,
            expert=a.expert,
            planned_days=a.planned_days,
            assigned_on=held_on,
        )
        for a in assignments
    )
    now = timezone.now()
    PlanChange.objects.bulk_create(
        PlanChange(
            assignment=assignment,
            planned_days=assignment.planned_days,
            effective_on=held_on,
            reason=_("Intake held"),
            by=by,
            recorded_at=now,
        )
        for assignment in created
    )
    record_event(trajectory, from_status="", on=held_on, by=by, note=_("Intake held"))
    return trajectory


def check_expert_plan(intake: Intake, planned: Decimal) -> None:
    """An expert plans a trajectory within the average trajectory the offer was priced on;
    a larger plan commits money beyond the offer and is for programme staff to agree (they
    record the intake, or raise the plan afterwards with its reason)."""
    ceiling = (
        Offer.objects.filter(programme=intake.application.round.programme_id)
        .values_list("average_person_days", flat=True)
        .first()
    )
    if ceiling is not None and planned > ceiling:
        raise ValidationError(
            {
                "assignments": _(
                    "%(planned)s person-days is more than the %(ceiling)s of the average "
                    "trajectory in the offer: programme staff agree a larger plan."
                )
                % {"planned": formats.days(planned), "ceiling": formats.days(ceiling)}
            }
        )


# Trajectories


def record_event(
    trajectory: Trajectory, *, from_status: str, on: datetime.date, by: User, note: str = ""
) -> TrajectoryEvent:
    return TrajectoryEvent.objects.create(
        trajectory=trajectory,
        from_status=from_status,
        to_status=trajectory.status,
        phase=trajectory.phase,
        effective_on=on,
        recorded_at=timezone.now(),
        by=by,
        note=note,
    )


def lock_trajectory(trajectory: Trajectory, *allowed: str) -> Trajectory:
    locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if locked.status not in allowed:
        raise ValidationError(
            _("This trajectory is %(status)s: that step is not possible.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def check_step_date(trajectory: Trajectory, on: datetime.date) -> None:
    check_not_future(on, "on")
    last = trajectory.events.aggregate(last=Max("effective_on"))["last"]
    if last and on < last:
        raise ValidationError(
            {
                "on": _("The trajectory's last step was on %(day)s; pick that date or later.")
                % {"day": formats.day(last)}
            }
        )


def check_no_entries_after(trajectory: Trajectory, on: datetime.date) -> None:
    last = trajectory.entries.aggregate(last=Max("date"))["last"]
    if last and last > on:
        raise ValidationError(
            {
                "on": _(
                    "Person-days are registered up to %(day)s: the trajectory cannot end earlier."
                )
                % {"day": formats.day(last)}
            }
        )


@transaction.atomic
def start_trajectory(*, by: User, trajectory: Trajectory, on: datetime.date) -> Trajectory:
    """A planned trajectory starts: from then on experts register their person-days on it."""
    require_runner(by, trajectory)
    trajectory = lock_trajectory(trajectory, Status.PLANNED)
    check_step_date(trajectory, on)
    trajectory.status = Status.RUNNING
    trajectory.started_on = on
    trajectory.save()
    record_event(trajectory, from_status=Status.PLANNED, on=on, by=by)
    return trajectory


@transaction.atomic
def advance_phase(*, by: User, trajectory: Trajectory, on: datetime.date) -> Trajectory:
    """A running trajectory moves to the method's next phase (1 → 2 → 3)."""
    require_runner(by, trajectory)
    trajectory = lock_trajectory(trajectory, Status.RUNNING)
    if trajectory.phase >= Trajectory.Phase.REPORT:
        raise ValidationError(_("The trajectory is in its last phase: complete it instead."))
    check_step_date(trajectory, on)
    trajectory.phase += 1
    trajectory.save()
    record_event(trajectory, from_status=Status.RUNNING, on=on, by=by)
    return trajectory


@transaction.atomic
def complete_trajectory(
    *, by: User, trajectory: Trajectory, on: datetime.date, findings: str, measures: str
) -> Trajectory:
    """Complete a trajectory in its last phase with a closing report (findings and measures)."""
    require_runner(by, trajectory)
    trajectory = lock_trajectory(trajectory, Status.RUNNING)
    findings, measures = findings.strip(), measures.strip()
    if trajectory.phase != Trajectory.Phase.REPORT:
        raise ValidationError(
            _("Move the trajectory to phase 3 (report and action plan) before completing it.")
        )
    if not findings:
        raise ValidationError({"findings": _("The closing report needs the findings.")})
    if not measures:
        raise ValidationError({"measures": _("The closing report needs recommended measures.")})
    check_step_date(trajectory, on)
    check_no_entries_after(trajectory, on)
    trajectory.status = Status.COMPLETED
    trajectory.ended_on = on
    trajectory.findings = findings
    trajectory.measures = measures
    trajectory.save()
    record_event(trajectory, from_status=Status.RUNNING, on=on, by=by)
    # Imported here: evaluations builds on trajectories. After commit, so that a mail problem
    # never undoes the completion (robust: it is logged; staff can send the link again).
    from profploeg.evaluations.services import send_questionnaire

    transaction.on_commit(lambda: send_questionnaire(trajectory=trajectory), robust=True)
    return trajectory


@transaction.atomic
def stop_trajectory(
    *, by: User, trajectory: Trajectory, on: datetime.date, reason: str
) -> Trajectory:
    """Stop a planned or running trajectory early, with the reason why."""
    require_runner(by, trajectory)
    trajectory = lock_trajectory(trajectory, Status.PLANNED, Status.RUNNING)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for stopping.")})
    check_step_date(trajectory, on)
    check_no_entries_after(trajectory, on)
    from_status = trajectory.status
    trajectory.status = Status.STOPPED
    trajectory.ended_on = on
    trajectory.stop_reason = reason
    trajectory.save()
    record_event(trajectory, from_status=from_status, on=on, by=by, note=reason)
    return trajectory


@transaction.atomic
def assign_expert(
    *,
    by: User,
    trajectory: Trajectory,
    expert: Expert,
    planned_days: Decimal,
    on: datetime.date | None = None,
    reason: str = "",
) -> Assignment:
    """Staff deploy an expert on a trajectory, or change their planned person-days, from a date
    on (today unless given); every change is kept, so earlier dates keep the plan of then."""
    require_staff(by)
    trajectory = lock_trajectory(trajectory, Status.PLANNED, Status.RUNNING)
    check_half_days(planned_days, "planned_days")
    on = on or timezone.localdate()
    check_not_future(on, "on")
    if on < trajectory.created_on:
        raise ValidationError(
            {
                "on": _(
                    "The trajectory exists from %(day)s (the intake): a plan cannot take effect "
                    "earlier."
                )
                % {"day": formats.day(trajectory.created_on)}
            }
        )
    assignment = Assignment.objects.filter(trajectory=trajectory, expert=expert).first()
    if assignment is None:
        assignment = Assignment.objects.create(
            trajectory=trajectory, expert=expert, planned_days=planned_days, assigned_on=on
        )
    else:
        last = assignment.plan_changes.aggregate(last=Max("effective_on"))["last"]
        last = max(filter(None, [last, assignment.assigned_on]))
        if on < last:
            raise ValidationError(
                {
                    "on": _(
                        "The plan of %(expert)s last changed on %(day)s: pick that date or later, "
                        "so that the figures of earlier dates stay as they were."
                    )
                    % {"expert": expert.name, "day": formats.day(last)}
                }
            )
        assignment.planned_days = planned_days
        assignment.save(update_fields=["planned_days"])
    PlanChange.objects.create(
        assignment=assignment,
        planned_days=planned_days,
        effective_on=on,
        reason=reason.strip(),
        by=by,
        recorded_at=timezone.now(),
    )
    return assignment


@transaction.atomic
def set_expected_end(
    *,
    by: User,
    trajectory: Trajectory,
    expected_end: datetime.date,
    reason: str,
    on: datetime.date | None = None,
) -> ExpectedEnd:
    """Staff set a trajectory's expected end with the reason; from `on` (today unless given) it
    wins over the budget monitor's forecast."""
    require_staff(by)
    trajectory = lock_trajectory(trajectory, Status.PLANNED, Status.RUNNING)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the trajectory is expected to end then.")})
    on = on or timezone.localdate()
    check_not_future(on, "on")
    if on < trajectory.created_on:
        raise ValidationError(
            {
                "on": _("The trajectory exists from %(day)s.")
                % {"day": formats.day(trajectory.created_on)}
            }
        )
    if expected_end < on:
        raise ValidationError({"expected_end": _("The expected end cannot lie in the past.")})
    if expected_end <= trajectory.planned_start:
        raise ValidationError(
            {"expected_end": _("The expected end must be after the planned start.")}
        )
    return ExpectedEnd.objects.create(
        trajectory=trajectory,
        expected_end=expected_end,
        effective_on=on,
        reason=reason,
        by=by,
        recorded_at=timezone.now(),
    )


# Person-days


def rate_on(expert: Expert, day: datetime.date) -> Decimal:
    rate = DayRate.objects.in_force_on(day, expert).first()
    if rate is None:
        raise ValidationError(
            _("%(expert)s has no day rate on %(day)s: programme staff must register one first.")
            % {"expert": expert.name, "day": formats.day(day)}
        )
    return rate["rate_eur"]


def entry_problems(
    *,
    expert: Expert,
    trajectory: Trajectory,
    day: datetime.date,
    days: Decimal,
    within_offer: bool = True,
) -> list[str]:
    """What is wrong with one entry on its own (the 1-day total is checked by the caller)."""
    problems = []
    if days not in (HALF_DAY, FULL_DAY):
        problems.append(_("register a half (0.5) or a whole (1) day"))
    if day > timezone.localdate():
        problems.append(_("%(day)s is in the future") % {"day": formats.day(day)})
    if trajectory.started_on is None or day < trajectory.started_on:
        if trajectory.started_on is None:
            problems.append(_("the trajectory has not started yet"))
        else:
            problems.append(
                _("the trajectory started on %(start)s, after %(day)s")
                % {"start": formats.day(trajectory.started_on), "day": formats.day(day)}
            )
    if trajectory.ended_on is not None and day > trajectory.ended_on:
        problems.append(
            _("the trajectory ended on %(end)s, before %(day)s")
            % {"end": formats.day(trajectory.ended_on), "day": formats.day(day)}
        )
    if not Assignment.objects.filter(trajectory=trajectory, expert=expert).exists():
        problems.append(
            _("%(expert)s is not assigned to %(trajectory)s")
            % {"expert": expert.name, "trajectory": trajectory}
        )
    if within_offer:
        problems += outside_the_offer(trajectory, day)
    return problems


# Registrations long after the planned end are refused rather than confirmed: staff set the
# expected end (with its reason, shown on the monitor) and the registration is then accepted.
LATE_REGISTRATION_DAYS = 90


def outside_the_offer(trajectory: Trajectory, day: datetime.date) -> list[str]:
    """Days the offer does not cover: after its validity, or long after the planned end (and
    any expected end staff set) of the trajectory."""
    problems = []
    valid_until = (
        Offer.objects.filter(programme__rounds__applications__trajectory=trajectory)
        .values_list("valid_until", flat=True)
        .first()
    )
    if valid_until is not None and day > valid_until:
        problems.append(
            _(
                "%(day)s is after the offer's validity (until %(until)s): days outside the offer "
                "cannot be registered"
            )
            % {"day": formats.day(day), "until": formats.day(valid_until)}
        )
    expected_end = (
        trajectory.expected_ends.filter(effective_on__lte=timezone.localdate())
        .order_by(*LATEST_FIRST)
        .values_list("expected_end", flat=True)
        .first()
    )
    end = max(filter(None, [trajectory.planned_end, expected_end]))
    if (day - end).days > LATE_REGISTRATION_DAYS:
        problems.append(
            _(
                "%(day)s is more than %(limit)d days after the trajectory's planned or expected "
                "end (%(end)s): ask programme staff to set its expected end first"
            )
            % {"day": formats.day(day), "limit": LATE_REGISTRATION_DAYS, "end": formats.day(end)}
        )
    return problems


def lock_expert(expert: Expert) -> None:
    """Serialise registrations per expert, so that two at once cannot pass the 1-day total.

    PostgreSQL locks the expert's row until commit; SQLite serialises writers anyway."""
    Expert.objects.select_for_update().filter(pk=expert.pk).first()


def registered_days(
    expert: Expert, days: Iterable[datetime.date], exclude: int | None = None
) -> dict[datetime.date, Decimal]:
    rows = PersonDayEntry.objects.filter(expert=expert, date__in=list(days))
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    totals = rows.values("date").annotate(total=Sum("days")).values_list("date", "total")
    return defaultdict(Decimal, dict(totals))


def too_many_days(expert: Expert, day: datetime.date, already: Decimal, adding: Decimal) -> str:
    return _(
        "%(expert)s already has %(already)s day registered on %(day)s; at most 1 day per date "
        "over all trajectories"
    ) % {
        "expert": expert.name,
        "already": formats.days(already),
        "day": formats.day(day),
    }


def check_may_register(by: User, expert: Expert) -> None:
    if by.is_active and (
        by.role == User.Role.STAFF or (expert.user_id and expert.user_id == by.pk)
    ):
        return
    raise PermissionDenied(_("You can only register your own person-days."))


@transaction.atomic
def register_person_days(
    *,
    by: User,
    expert: Expert,
    trajectory: Trajectory,
    day: datetime.date,
    days: Decimal,
    activity: str,
    note: str = "",
) -> PersonDayEntry:
    """Register half or whole days of an assigned expert on a running trajectory, at most one
    day per date over all trajectories, never in the future."""
    check_may_register(by, expert)
    problems = entry_problems(expert=expert, trajectory=trajectory, day=day, days=days)
    if activity not in PersonDayEntry.Activity.values:
        problems.append(_("choose an activity"))
    if problems:
        raise ValidationError(capitalise("; ".join(problems)) + ".")
    lock_expert(expert)
    already = registered_days(expert, [day])[day]
    if already + days > FULL_DAY:
        raise ValidationError(capitalise(too_many_days(expert, day, already, days)) + ".")
    return PersonDayEntry.objects.create(
        expert=expert,
        trajectory=trajectory,
        date=day,
        days=days,
        activity=activity,
        note=note.strip(),
        rate_eur=rate_on(expert, day),
        created_by=by,
    )


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@transaction.atomic
def correct_person_days(
    *,
    by: User,
    entry: PersonDayEntry,
    reason: str,
    day: datetime.date | None = None,
    days: Decimal | None = None,
    activity: str | None = None,
    note: str | None = None,
) -> PersonDayEntry:
    """Staff correct a registered entry; the old and new values and the reason are kept."""
    require_staff(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is corrected.")})
    lock_expert(entry.expert)
    entry = PersonDayEntry.objects.select_related("trajectory", "expert").get(pk=entry.pk)
    new_day = day or entry.date
    new_days = days if days is not None else entry.days
    # A correction that keeps the date does not move the day outside the offer.
    problems = entry_problems(
        expert=entry.expert,
        trajectory=entry.trajectory,
        day=new_day,
        days=new_days,
        within_offer=new_day != entry.date,
    )
    if problems:
        raise ValidationError(capitalise("; ".join(problems)) + ".")
    already = registered_days(entry.expert, [new_day], exclude=entry.pk)[new_day]
    if already + new_days > FULL_DAY:
        raise ValidationError(
            capitalise(too_many_days(entry.expert, new_day, already, new_days)) + "."
        )
    correction = PersonDayCorrection(
        entry=entry,
        expert=entry.expert,
        trajectory=entry.trajectory,
        old_date=entry.date,
        old_days=entry.days,
        old_activity=entry.activity,
        old_rate_eur=entry.rate_eur,
        reason=reason,
        by=by,
        at=timezone.now(),
    )
    entry.date = new_day
    entry.days = new_days
    entry.activity = activity or entry.activity
    if note is not None:
        entry.note = note.strip()
    entry.rate_eur = rate_on(entry.expert, new_day)
    entry.save()
    correction.new_date = entry.date
    correction.new_days = entry.days
    correction.new_activity = entry.activity
    correction.new_rate_eur = entry.rate_eur
    correction.save()
    return entry


@transaction.atomic
def remove_person_days(*, by: User, entry: PersonDayEntry, reason: str) -> PersonDayCorrection:
    """Staff remove a registered entry; what it was and why it went are kept."""
    require_staff(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is removed.")})
    correction = PersonDayCorrection.objects.create(
        entry=None,
        expert=entry.expert,
        trajectory=entry.trajectory,
        old_date=entry.date,
        old_days=entry.days,
        old_activity=entry.activity,
        old_rate_eur=entry.rate_eur,
        reason=reason,
        by=by,
        at=timezone.now(),
    )
    entry.delete()
    return correction


@dataclass(frozen=True)
class ImportRow:
    """One parsed row of an import file, as found (row numbers as in the spreadsheet)."""

    number: int
    day: datetime.date | None
    trajectory: Trajectory | None
    days: Decimal | None
    activity: str | None
    note: str
    problems: tuple[str, ...]


@transaction.atomic
def import_person_days(
    *, by: User, expert: Expert, rows: Sequence[ImportRow]
) -> list[PersonDayEntry]:
    """Import an expert's person-days: every row is checked first, every bad row is reported
    with its number and reason, and nothing is written unless every row is good."""
    check_may_register(by, expert)
    if not rows:
        raise ValidationError(_("The file has no rows to import."))
    lock_expert(expert)
    errors: list[str] = []
    good = [row for row in rows if not row.problems]
    existing = registered_days(expert, {row.day for row in good})
    running: dict[datetime.date, Decimal] = defaultdict(Decimal)
    rates: dict[datetime.date, Decimal] = {}
    for row in rows:
        problems = list(row.problems)
        if not problems:
            problems += entry_problems(
                expert=expert, trajectory=row.trajectory, day=row.day, days=row.days
            )
        if not problems:
            already = existing[row.day] + running[row.day]
            if already + row.days > FULL_DAY:
                problems.append(too_many_days(expert, row.day, already, row.days))
            running[row.day] += row.days
            if row.day not in rates:
                try:
                    rates[row.day] = rate_on(expert, row.day)
                except ValidationError as error:
                    problems += error.messages
        if problems:
            errors.append(
                _("Row %(number)d: %(problems)s.")
                % {"number": row.number, "problems": "; ".join(problems)}
            )
    if errors:
        raise ValidationError(errors)
    return PersonDayEntry.objects.bulk_create(
        PersonDayEntry(
            expert=expert,
            trajectory=row.trajectory,
            date=row.day,
            days=row.days,
            activity=row.activity,
            note=row.note,
            rate_eur=rates[row.day],
            created_by=by,
        )
        for row in rows
    )


# Intakes held before they were recorded here


@transaction.atomic
def record_held_intake(
    *,
    by: User,
    application: Application,
    held_on: datetime.date,
    agreed_question: str,
    assignments: Sequence[PlannedAssignment],
    planned_start: datetime.date,
    planned_end: datetime.date,
    location: str = "",
    participants: str = "",
) -> Trajectory:
    """Record an intake already held, with its outcome, without inviting anyone: not in the
    future, not before the application was accepted. The trajectory dates from that day."""
    require_team(by)
    if application.status != Application.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted application gets an intake."))
    if Intake.objects.live().filter(application=application).exists():
        raise ValidationError(
            _("%(municipality)s already has an intake: record its outcome there.")
            % {"municipality": application.municipality}
        )
    check_not_future(held_on, "held_on")
    acceptance = (
        application.transitions.filter(to_status=Application.Status.ACCEPTED)
        .order_by("-at", "-pk")
        .first()
    )
    if acceptance is not None and held_on < local_date(acceptance.at):
        raise ValidationError(
            {
                "held_on": _(
                    "An intake cannot be held before the application was accepted (%(day)s)."
                )
                % {"day": formats.day(local_date(acceptance.at))}
            }
        )
    # The hour is not known afterwards; the day is what the reports count.
    intake = Intake.objects.create(
        application=application,
        planned_at=at_brussels(held_on, 10),
        location=location.strip(),
        participants=participants.strip(),
        created_by=by,
    )
    intake.experts.set([assignment.expert for assignment in assignments])
    return record_intake_outcome(
        by=by,
        intake=intake,
        held_on=held_on,
        agreed_question=agreed_question,
        assignments=assignments,
        planned_start=planned_start,
        planned_end=planned_end,
    )
