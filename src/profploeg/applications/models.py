import datetime
import uuid
from collections import defaultdict
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from profploeg.lib.dates import end_of_day, local_date
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import Programme, Round, Theme


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApplicationQuerySet":
        """Staff and experts see every application; a municipality its own (and those of the
        municipalities it merged from); a province those of its municipalities."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in (user.Role.STAFF, user.Role.EXPERT):
            return self
        if user.role == user.Role.MUNICIPALITY:
            return self.filter(
                Q(municipality_id=user.municipality_id)
                | Q(municipality__merged_into_id=user.municipality_id)
            )
        if user.role == user.Role.PROVINCE:
            return self.filter(municipality__province_id=user.province_id)
        return self.none()

    def in_round(self, round_: Round) -> "ApplicationQuerySet":
        return self.filter(round=round_)

    def in_programme(self, programme: Programme | int) -> "ApplicationQuerySet":
        return self.filter(round__programme=programme)

    def awaiting_intake(self) -> "ApplicationQuerySet":
        """Accepted, with no intake planned or held: the intakes to plan."""
        # Imported here: trajectories depends on applications, not the other way round.
        from profploeg.trajectories.models import Intake

        return self.filter(status=Application.Status.ACCEPTED).exclude(
            intakes__status__in=[Intake.Status.PLANNED, Intake.Status.HELD]
        )

    def awaiting_referral(self) -> "ApplicationQuerySet":
        """Inadmissible or deferred, and the province has not recorded a follow-up yet."""
        return self.filter(
            status__in=[Application.Status.INADMISSIBLE, Application.Status.DEFERRED],
            referral__isnull=True,
        )

    def with_status_on(self, day: datetime.date) -> "ApplicationQuerySet":
        """Annotate `status_on`: the status at the end of that day, from the recorded transitions.

        Applications not yet submitted on that day are left out."""
        latest = (
            Transition.objects.filter(application=OuterRef("pk"), at__lte=end_of_day(day))
            .order_by("-at", "-pk")
            .values("to_status")[:1]
        )
        return self.annotate(status_on=Subquery(latest)).filter(status_on__isnull=False)

    def table_values(self) -> "ApplicationQuerySet":
        """The columns of a round's table as plain values, without model instances."""
        return self.values(
            "pk",
            "status",
            "submitted_at",
            refnis=F("municipality__refnis"),
            municipality_name=F("municipality__name"),
            merged_into_name=F("municipality__merged_into__name"),
            province_name=F("municipality__province__name"),
        )

    def status_counts(self) -> dict[str, int]:
        """How many applications have each status, counted by the database."""
        return dict(self.order_by().values_list("status").annotate(n=Count("pk")))

    def theme_names(self) -> dict[int, list[str]]:
        """Each application's theme names in alphabetical order, in one query."""
        names: dict[int, list[str]] = defaultdict(list)
        for application_id, name in (
            Application.themes.through.objects.filter(application__in=self.values("pk"))
            .order_by("theme__name")
            .values_list("application_id", "theme__name")
        ):
            names[application_id].append(name)
        return names

    def awaiting_follow_up(self) -> "ApplicationQuerySet":
        """Inadmissible or deferred, and the province has not closed the follow-up."""
        return self.filter(
            status__in=[Application.Status.INADMISSIBLE, Application.Status.DEFERRED]
        ).exclude(referral__outcome__in=[Referral.Outcome.REAPPLIED, Referral.Outcome.DECLINED])


class Application(models.Model):
    """A municipality's request for guidance (aanvraag) in one round."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ADMISSIBLE = "admissible", _("Admissible")
        INADMISSIBLE = "inadmissible", _("Inadmissible")
        ACCEPTED = "accepted", _("Accepted")
        DEFERRED = "deferred", _("Deferred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # (from, to) -> (roles that may make it, reason required). Staff record a withdrawal that
    # reached them by letter, email or phone, on the municipality's behalf.
    TRANSITIONS = {
        (Status.SUBMITTED, Status.ADMISSIBLE): (("staff",), False),
        (Status.SUBMITTED, Status.INADMISSIBLE): (("staff",), True),
        (Status.ADMISSIBLE, Status.ACCEPTED): (("staff",), False),
        (Status.ADMISSIBLE, Status.DEFERRED): (("staff",), True),
        (Status.SUBMITTED, Status.WITHDRAWN): (("municipality", "staff"), False),
    }
    # Statuses reached only by passing the admissibility check.
    ADMITTED = (Status.ADMISSIBLE, Status.ACCEPTED, Status.DEFERRED)

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("municipality"),
    )
    submitted_at = models.DateTimeField(_("received at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("submitted by"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    question = models.TextField(_("question or need"))
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # Bumped on every transition: a decision made on a stale page is refused, not lost.
    version = models.PositiveIntegerField(default=1)
    previous_application = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reapplications",
        verbose_name=_("earlier application"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"],
                condition=~Q(status="withdrawn"),
                name="one_live_application_per_round",
            )
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.round}"

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    def allowed_transitions(self, role: str) -> list[str]:
        return [
            to
            for (frm, to), (roles, _reason) in self.TRANSITIONS.items()
            if frm == self.status and role in roles
        ]


class Transition(models.Model):
    """One step of an application's history: from, to, when it took effect, when it was
    recorded, by whom and why."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        OTHER = "other", _("Other")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("application"),
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Application.Status.choices, blank=True
    )
    to_status = models.CharField(_("status"), max_length=20, choices=Application.Status.choices)
    # When it took effect (a decision taken on paper months ago keeps its own date) ...
    at = models.DateTimeField(_("effective at"))
    # ... and when someone entered it here.
    recorded_at = models.DateTimeField(_("recorded at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    # How a step made by staff on someone else's behalf reached them (a withdrawal by letter).
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices, blank=True)
    over_capacity = models.BooleanField(_("accepted over capacity"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"])]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '-'} → {self.get_to_status_display()}"

    @property
    def is_backdated(self) -> bool:
        """Entered on a later day than it took effect: pages then show both moments."""
        return local_date(self.recorded_at) != local_date(self.at)


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never trust the uploaded name on disk; keep it only for display.
    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return PurePath(self.original_name).name


class Referral(models.Model):
    """The province's follow-up of an inadmissible or deferred application."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Contacted, no outcome yet")
        REAPPLIED = "reapplied", _("Re-applies in a later round")
        DECLINED = "declined", _("Declines")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="referral"
    )
    contacted_on = models.DateField(_("contacted on"))
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up by the province")
        verbose_name_plural = _("follow-ups by the province")

    def __str__(self) -> str:
        return f"{self.application} – {self.get_outcome_display()}"


class Message(models.Model):
    """A notification to a municipality: kept here to read, and emailed by a background task."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="messages"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    recipient_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    # Set by the task that is sending it; a claim older than lib.delivery.CLAIM_TTL has expired.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
