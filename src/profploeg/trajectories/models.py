import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from profploeg.applications.models import Application
from profploeg.lib import formats
from profploeg.municipalities.models import municipality_matching
from profploeg.programmes.models import Programme

DAYS = {"max_digits": 6, "decimal_places": 1}
MONEY = {"max_digits": 12, "decimal_places": 2}
HALF_DAY = Decimal("0.5")
FULL_DAY = Decimal("1.0")


# Recorded history takes effect in this order: the later effective date wins, and on the same
# date the later record (then the later row). Every read of what was in force on a date sorts so.
IN_FORCE = ("effective_on", "recorded_at", "pk")
LATEST_FIRST = tuple(f"-{field}" for field in IN_FORCE)


def entry_cost(prefix: str = "") -> ExpressionWrapper:
    """Days × the snapshotted rate of person-day entries, in the database."""
    return ExpressionWrapper(
        F(f"{prefix}days") * F(f"{prefix}rate_eur"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def visible_municipality_filter(user, prefix: str) -> Q | None:
    """The filter that limits rows to what a user may see, through `prefix` to the application.

    None means everything (staff and experts); an empty Q result is handled by the caller."""
    if user.role in (user.Role.STAFF, user.Role.EXPERT):
        return None
    if user.role == user.Role.MUNICIPALITY:
        return Q(**{f"{prefix}municipality_id": user.municipality_id}) | Q(
            **{f"{prefix}municipality__merged_into_id": user.municipality_id}
        )
    if user.role == user.Role.PROVINCE:
        return Q(**{f"{prefix}municipality__province_id": user.province_id})
    return Q(pk__in=[])


class Organisation(models.Model):
    """A firm or institution of the consortium; reports group person-days by organisation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    is_lead_partner = models.BooleanField(_("lead partner"), default=False)

    class Meta:
        ordering = ["-is_lead_partner", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class ExpertiseArea(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise area")
        verbose_name_plural = _("expertise areas")

    def __str__(self) -> str:
        return self.name


class ExpertQuerySet(models.QuerySet):
    def with_rate_on(self, day: datetime.date) -> "ExpertQuerySet":
        """Annotate `rate_eur`: the day rate in force on that day (None before the first rate)."""
        return self.annotate(rate_eur=Subquery(DayRate.objects.in_force_on(day, OuterRef("pk"))))


class Expert(models.Model):
    """A member of the profploeg: belongs to one organisation, may log in as a user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_profile",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    expertise_areas = models.ManyToManyField(
        ExpertiseArea, blank=True, related_name="experts", verbose_name=_("expertise areas")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def contact_email(self) -> str:
        return self.email or (self.user.email if self.user_id else "")


class DayRateQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date, expert) -> "DayRateQuerySet":
        """The rate (as a one-value queryset) in force for `expert` on `day`."""
        return (
            self.filter(expert=expert, valid_from__lte=day)
            .order_by("-valid_from")
            .values("rate_eur")[:1]
        )


class DayRate(models.Model):
    """An expert's day rate from a date on; it holds until the next one."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="day_rates")
    valid_from = models.DateField(_("valid from"))
    rate_eur = models.DecimalField(_("day rate (EUR)"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = DayRateQuerySet.as_manager()

    class Meta:
        ordering = ["expert", "-valid_from"]
        verbose_name = _("day rate")
        verbose_name_plural = _("day rates")
        constraints = [
            models.UniqueConstraint(fields=["expert", "valid_from"], name="one_rate_per_date"),
            models.CheckConstraint(condition=Q(rate_eur__gt=0), name="day_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.expert.name}: {formats.money(self.rate_eur)} ({formats.short_day(self.valid_from)})"


class Offer(models.Model):
    """The consortium's offer (offerte): a total amount priced on an average trajectory."""

    programme = models.OneToOneField(
        Programme, on_delete=models.PROTECT, related_name="offer", verbose_name=_("programme")
    )
    total_eur = models.DecimalField(_("total amount (EUR)"), **MONEY)
    capacity = models.PositiveIntegerField(_("capacity (trajectories)"))
    average_person_days = models.DecimalField(
        _("average person-days per trajectory"),
        help_text=_("The average trajectory the offer was priced on."),
        **DAYS,
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(total_eur__gte=0), name="offer_total_not_negative"),
            models.CheckConstraint(
                condition=Q(average_person_days__gt=0), name="offer_average_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="offer_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return _("Offer for %(programme)s") % {"programme": self.programme}

    def in_force_on(self, day: datetime.date) -> tuple[Decimal, int]:
        """(total, capacity) in force on that day: the last amendment effective by then."""
        amendment = self.amendments.filter(effective_on__lte=day).order_by("-effective_on", "-pk")
        latest = amendment.values_list("total_eur", "capacity").first()
        return latest or (self.total_eur, self.capacity)


class OfferAmendment(models.Model):
    """A change of the offer's total and capacity from a date on (e.g. a third round in 2022)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="amendments")
    effective_on = models.DateField(_("effective from"))
    total_eur = models.DecimalField(_("new total amount (EUR)"), **MONEY)
    capacity = models.PositiveIntegerField(_("new capacity (trajectories)"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("offer amendment")
        verbose_name_plural = _("offer amendments")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_eur__gte=0), name="amendment_total_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{formats.short_day(self.effective_on)}: {formats.money(self.total_eur)} / {self.capacity}"


class IntakeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IntakeQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = visible_municipality_filter(user, "application__")
        return self if condition is None else self.filter(condition)

    def in_programme(self, programme: Programme | int) -> "IntakeQuerySet":
        return self.filter(application__round__programme=programme)

    def live(self) -> "IntakeQuerySet":
        return self.exclude(status=Intake.Status.CANCELLED)


class Intake(models.Model):
    """An intake conversation (intakegesprek) with the municipality of an accepted application."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("application")
    )
    planned_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    location = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    participants = models.TextField(_("participants"), blank=True)
    experts = models.ManyToManyField(
        Expert, blank=True, related_name="intakes", verbose_name=_("experts")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # Calendar identity: every update keeps the UID and raises the SEQUENCE (RFC 5545).
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    agreed_question = models.TextField(_("agreed question"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["planned_at"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status="cancelled"),
                name="one_live_intake_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_on__isnull=False),
                name="held_intake_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("Intake %(municipality)s") % {"municipality": self.application.municipality}

    @property
    def ends_at(self) -> datetime.datetime:
        return self.planned_at + datetime.timedelta(minutes=self.duration_minutes)


class IntakeNotice(models.Model):
    """One calendar message about an intake (invitation, update, cancellation), emailed once."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        UPDATE = "update", _("Update")
        CANCELLATION = "cancellation", _("Cancellation")

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sequence = models.PositiveIntegerField()
    recipients = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the task that is sending it; a claim older than lib.delivery.CLAIM_TTL has expired.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.intake} {self.kind} #{self.sequence}"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class IntakeForm(models.Model):
    """The intake form (intakefiche): the municipality scores its centre on the five B's."""

    # (field prefix, Dutch name kept as the method's own term, English label)
    FIVE_BS = [
        ("awareness", "Bekendheid", _("Awareness")),
        ("experience", "Beleving", _("Experience")),
        ("visual_quality", "Beeldkwaliteit", _("Visual quality")),
        ("accessibility", "Bereikbaarheid", _("Accessibility")),
        ("policy", "Beleid", _("Policy")),
    ]

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="intake_form"
    )
    awareness_score = models.PositiveSmallIntegerField(
        _("Bekendheid (awareness)"), validators=SCORE
    )
    awareness_comment = models.TextField(_("comment on awareness"), blank=True)
    experience_score = models.PositiveSmallIntegerField(
        _("Beleving (experience)"), validators=SCORE
    )
    experience_comment = models.TextField(_("comment on experience"), blank=True)
    visual_quality_score = models.PositiveSmallIntegerField(
        _("Beeldkwaliteit (visual quality)"), validators=SCORE
    )
    visual_quality_comment = models.TextField(_("comment on visual quality"), blank=True)
    accessibility_score = models.PositiveSmallIntegerField(
        _("Bereikbaarheid (accessibility)"), validators=SCORE
    )
    accessibility_comment = models.TextField(_("comment on accessibility"), blank=True)
    policy_score = models.PositiveSmallIntegerField(_("Beleid (policy)"), validators=SCORE)
    policy_comment = models.TextField(_("comment on policy"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("intake form")
        verbose_name_plural = _("intake forms")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}_score__gte": 1}) & Q(**{f"{name}_score__lte": 5}),
                name=f"intake_form_{name}_1_to_5",
            )
            for name in ["awareness", "experience", "visual_quality", "accessibility", "policy"]
        ]

    def __str__(self) -> str:
        return _("Intake form %(application)s") % {"application": self.application}

    @property
    def scores(self) -> list[tuple[str, str, int, str]]:
        """(Dutch name, English label, score, comment) for each of the five B's."""
        return [
            (dutch, label, getattr(self, f"{name}_score"), getattr(self, f"{name}_comment"))
            for name, dutch, label in self.FIVE_BS
        ]


class TrajectoryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TrajectoryQuerySet":
        """Staff and experts see every trajectory; a municipality its own; a province those of
        its municipalities."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = visible_municipality_filter(user, "application__")
        return self if condition is None else self.filter(condition)

    def in_programme(self, programme: Programme | int) -> "TrajectoryQuerySet":
        return self.filter(application__round__programme=programme)

    def in_round(self, round_) -> "TrajectoryQuerySet":
        return self.filter(application__round=round_)

    def with_status(self, status: str) -> "TrajectoryQuerySet":
        return self.filter(status=status)

    def in_phase(self, phase: int) -> "TrajectoryQuerySet":
        return self.filter(phase=phase)

    def in_province(self, refnis: str) -> "TrajectoryQuerySet":
        return self.filter(application__municipality__province__refnis=refnis)

    def of_municipality(self, search: str) -> "TrajectoryQuerySet":
        """Of a municipality by REFNIS or (part of) its name; a current municipality's code
        or name also finds those merged into it."""
        return self.filter(municipality_matching(search, "application__municipality__"))

    def with_expert(self, expert: "Expert | int") -> "TrajectoryQuerySet":
        """Trajectories the expert is assigned to (each once)."""
        return self.filter(
            Exists(Assignment.objects.filter(trajectory=OuterRef("pk"), expert=expert))
        )

    def started_between(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> "TrajectoryQuerySet":
        found = self if start is None else self.filter(started_on__gte=start)
        return found if end is None else found.filter(started_on__lte=end)

    def filtered(
        self,
        *,
        programme: Programme | int | None = None,
        round=None,
        status: str | None = None,
        phase: int | None = None,
        province: str | None = None,
        municipality: str | None = None,
        expert: "Expert | int | None" = None,
        started_from: datetime.date | None = None,
        started_until: datetime.date | None = None,
    ) -> "TrajectoryQuerySet":
        """The filters of the trajectory list, the same on the page and in the API and by the
        same names; an empty one is left out."""
        found = self
        if programme:
            found = found.in_programme(programme)
        if round:
            found = found.in_round(round)
        if status:
            found = found.with_status(status)
        if phase:
            found = found.in_phase(phase)
        if province:
            found = found.in_province(province)
        if municipality and municipality.strip():
            found = found.of_municipality(municipality)
        if expert:
            found = found.with_expert(expert)
        return found.started_between(started_from, started_until)

    def needing_attention(self, day: datetime.date) -> "TrajectoryQuerySet":
        """Open and past their planned end (overdue), or running without a person-day
        registered for `monitor.INACTIVE_AFTER_DAYS` (inactive): the budget monitor's flags,
        read from the current status without building the monitor."""
        # Imported here: the monitor reads these models.
        from .monitor import INACTIVE_AFTER_DAYS

        since = day - datetime.timedelta(days=INACTIVE_AFTER_DAYS)
        recent = PersonDayEntry.objects.filter(
            trajectory=OuterRef("pk"), date__gt=since, date__lte=day
        )
        running = Trajectory.Status.RUNNING
        return self.filter(status__in=[Trajectory.Status.PLANNED, running]).filter(
            Q(planned_end__lt=day) | (Q(status=running, started_on__lte=since) & ~Exists(recent))
        )

    def existing_on(self, day: datetime.date) -> "TrajectoryQuerySet":
        """Trajectories created (intake held) by the end of that day."""
        return self.filter(created_on__lte=day)

    def with_status_on(self, day: datetime.date) -> "TrajectoryQuerySet":
        """Annotate `status_on` and `phase_on` from the recorded history at the end of that day."""
        latest = TrajectoryEvent.objects.filter(
            trajectory=OuterRef("pk"), effective_on__lte=day
        ).order_by(*LATEST_FIRST)
        return self.annotate(
            status_on=Subquery(latest.values("to_status")[:1]),
            phase_on=Subquery(latest.values("phase")[:1]),
        ).filter(status_on__isnull=False)


class Trajectory(models.Model):
    """A guidance trajectory (begeleidingstraject) for one accepted application."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    class Phase(models.IntegerChoices):
        SHARPENING = 1, _("1. Sharpening the question")
        EXECUTION = 2, _("2. Execution and knowledge exchange")
        REPORT = 3, _("3. Trajectory sheet, report and action plan")

    ENDED = (Status.COMPLETED, Status.STOPPED)

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="trajectory",
        verbose_name=_("application"),
    )
    intake = models.OneToOneField(
        Intake, on_delete=models.PROTECT, related_name="trajectory", null=True, blank=True
    )
    question = models.TextField(_("agreed question"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    phase = models.PositiveSmallIntegerField(
        _("phase"), choices=Phase.choices, default=Phase.SHARPENING
    )
    created_on = models.DateField(_("created on"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    measures = models.TextField(_("recommended measures"), blank=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["application__municipality__name"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")),
                name="trajectory_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["running", "completed"]) | Q(started_on__isnull=False),
                name="running_trajectory_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "stopped"]) | Q(ended_on__isnull=False),
                name="ended_trajectory_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | (~Q(findings="") & ~Q(measures="")),
                name="completed_trajectory_has_report",
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stop_reason=""),
                name="stopped_trajectory_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["created_on"])]

    def __str__(self) -> str:
        return _("Trajectory %(municipality)s (round %(round)s)") % {
            "municipality": self.application.municipality,
            "round": self.application.round.number,
        }

    @property
    def is_ended(self) -> bool:
        return self.status in self.ENDED


class TrajectoryEvent(models.Model):
    """One step of a trajectory's history: status and phase from a date on, by whom and why."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Trajectory.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Trajectory.Status.choices)
    phase = models.PositiveSmallIntegerField(choices=Trajectory.Phase.choices)
    effective_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = list(IN_FORCE)
        indexes = [models.Index(fields=["trajectory", "effective_on"])]

    def __str__(self) -> str:
        return (
            f"{formats.short_day(self.effective_on)}: {self.get_from_status_display() or '-'} → "
            f"{self.get_to_status_display()} ({self.get_phase_display()})"
        )


def plan_in_force(day: datetime.date, assignment_ref: str = "pk") -> Subquery:
    """The planned person-days of an assignment in force on a day: its latest plan change
    effective by then (None before the first one)."""
    return Subquery(
        PlanChange.objects.filter(assignment=OuterRef(assignment_ref), effective_on__lte=day)
        .order_by(*LATEST_FIRST)
        .values("planned_days")[:1],
        output_field=models.DecimalField(**DAYS),
    )


def plan_on(day: datetime.date) -> Coalesce:
    """The plan in force on a day, for an assignment row (an assignment written without its
    history, such as bulk data, counts its current plan)."""
    return Coalesce(plan_in_force(day), F("planned_days"), output_field=DecimalField(**DAYS))


class AssignmentQuerySet(models.QuerySet):
    def with_plan_on(self, day: datetime.date) -> "AssignmentQuerySet":
        """Annotate `plan_on`, the planned person-days in force on that day, and keep only the
        assignments made by then."""
        return self.filter(assigned_on__lte=day).annotate(plan_on=plan_on(day))


class Assignment(models.Model):
    """An expert deployed on a trajectory with a number of planned person-days."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("expert")
    )
    planned_days = models.DecimalField(_("planned person-days"), **DAYS)
    assigned_on = models.DateField(_("assigned on"))

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["expert__name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "expert"], name="one_assignment"),
            models.CheckConstraint(
                condition=Q(planned_days__gt=0), name="assignment_planned_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert.name}: {formats.days(self.planned_days)}"


class PlanChange(models.Model):
    """One change of an assignment's planned person-days from a date on, the first one included:
    the figures of an earlier date keep the plan that was in force then."""

    assignment = models.ForeignKey(
        "Assignment", on_delete=models.CASCADE, related_name="plan_changes"
    )
    planned_days = models.DecimalField(_("planned person-days"), **DAYS)
    effective_on = models.DateField(_("effective from"))
    reason = models.TextField(_("reason"), blank=True)
    # Null for the plans that existed before their history was kept.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = list(IN_FORCE)
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_days__gt=0), name="plan_change_planned_days_positive"
            )
        ]
        indexes = [models.Index(fields=["assignment", "effective_on"])]

    def __str__(self) -> str:
        return f"{formats.short_day(self.effective_on)}: {formats.days(self.planned_days)}"


class ExpectedEnd(models.Model):
    """Staff's expected end of a trajectory from a date on, with the reason: it wins over the
    forecast of the budget monitor for that date and later."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="expected_ends"
    )
    expected_end = models.DateField(_("expected end"))
    effective_on = models.DateField(_("effective from"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = list(IN_FORCE)
        verbose_name = _("expected end")
        verbose_name_plural = _("expected ends")
        indexes = [models.Index(fields=["trajectory", "effective_on"])]

    def __str__(self) -> str:
        return f"{formats.short_day(self.effective_on)}: {formats.short_day(self.expected_end)}"


class PersonDayEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonDayEntryQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = visible_municipality_filter(user, "trajectory__application__")
        return self if condition is None else self.filter(condition)

    def in_programme(self, programme: Programme | int) -> "PersonDayEntryQuerySet":
        return self.filter(trajectory__application__round__programme=programme)


class PersonDayEntry(models.Model):
    """Half or whole person-days an expert worked on a trajectory on one date, at that date's
    day rate (kept, so that a later rate change does not rewrite the past)."""

    class Activity(models.TextChoices):
        INTAKE = "intake", _("Intake")
        ANALYSIS = "analysis", _("Analysis")
        WORKSHOP = "workshop", _("Workshop")
        FIELD_VISIT = "field_visit", _("Field visit")
        REPORT = "report", _("Report")
        COORDINATION = "coordination", _("Coordination")

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="entries")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    days = models.DecimalField(
        _("person-days"),
        max_digits=2,
        decimal_places=1,
        choices=[(HALF_DAY, "0.5"), (FULL_DAY, "1")],
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    note = models.TextField(_("note"), blank=True)
    rate_eur = models.DecimalField(_("day rate (EUR)"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = PersonDayEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("person-day entry")
        verbose_name_plural = _("person-day entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__in=[HALF_DAY, FULL_DAY]), name="entry_half_or_whole_day"
            )
        ]
        indexes = [
            models.Index(fields=["expert", "date"]),
            models.Index(fields=["trajectory", "expert", "date"]),
        ]

    def __str__(self) -> str:
        return f"{formats.short_day(self.date)} {self.expert.name}: {formats.days(self.days)}"

    @property
    def cost_eur(self) -> Decimal:
        return (self.days * self.rate_eur).quantize(Decimal("0.01"))


class PersonDayCorrection(models.Model):
    """Staff's correction of a registered entry: who, when, what it was, what it became, why."""

    entry = models.ForeignKey(
        PersonDayEntry, on_delete=models.SET_NULL, null=True, related_name="corrections"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    old_date = models.DateField()
    new_date = models.DateField(null=True, blank=True)
    old_days = models.DecimalField(max_digits=2, decimal_places=1)
    # Null when the entry was removed.
    new_days = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)
    old_activity = models.CharField(max_length=20, choices=PersonDayEntry.Activity.choices)
    new_activity = models.CharField(
        max_length=20, choices=PersonDayEntry.Activity.choices, blank=True
    )
    old_rate_eur = models.DecimalField(**MONEY)
    new_rate_eur = models.DecimalField(null=True, blank=True, **MONEY)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("person-day correction")
        verbose_name_plural = _("person-day corrections")

    def __str__(self) -> str:
        return (
            f"{formats.short_day(self.at)} {self.expert.name}: "
            f"{formats.days(self.old_days or 0)} → {formats.days(self.new_days or 0)}"
        )
