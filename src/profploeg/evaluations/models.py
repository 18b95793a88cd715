import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profploeg.programmes.models import Programme
from profploeg.trajectories.models import Trajectory, visible_municipality_filter


class Questionnaire(models.Model):
    """The questions a programme asks its municipalities: at completion, or a year on."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("At completion")
        FOLLOW_UP = "follow_up", _("Follow-up, one year on")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="questionnaires"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    link_valid_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"),
        default=42,
        help_text=_("The emailed link stops working after this many days."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "kind"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind"], name="one_questionnaire_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(link_valid_days__gte=1), name="questionnaire_link_valid_a_day"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def active_questions(self):
        return self.questions.filter(is_active=True).order_by("position", "pk")


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Score from 1 to 5")
        MEASURES = "measures", _("Recommended measures: planned or carried out")
        TEXT = "text", _("Open answer")

    class Topic(models.TextChoices):
        """What a question measures, so that the evaluation page can compare programmes."""

        SATISFACTION = "satisfaction", _("Satisfaction")
        USEFULNESS = "usefulness", _("Usefulness")
        MEASURES = "measures", _("Measures")
        CHANGES = "changes", _("What changed")
        COMMENTS = "comments", _("Comments")
        OTHER = "other", _("Other")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # A question with answers is retired, never deleted: the answers keep their meaning.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = visible_municipality_filter(user, "trajectory__application__")
        return self if condition is None else self.filter(condition)

    def unanswered(self) -> "InvitationQuerySet":
        return self.filter(answered_at__isnull=True)

    def open_at(self, moment: datetime.datetime) -> "InvitationQuerySet":
        """Links that can still be answered at that moment."""
        return self.unanswered().filter(expires_at__gt=moment)

    def due_for_reminder(
        self, moment: datetime.datetime, after: datetime.timedelta
    ) -> "InvitationQuerySet":
        """Open links sent at least `after` ago that have had no reminder yet."""
        return self.open_at(moment).filter(reminded_at__isnull=True, sent_at__lte=moment - after)


class Invitation(models.Model):
    """A questionnaire sent to the municipality of one trajectory, answered through a link.

    The token is the credential: 256 random bits from `secrets`, unique, valid until
    `expires_at`, answerable once."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="invitations"
    )
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.PROTECT, related_name="evaluation_invitations"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    recipient_email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("link valid until"))
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("questionnaire invitation")
        verbose_name_plural = _("questionnaire invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "trajectory"], name="one_invitation_per_questionnaire"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("sent_at")),
                name="invitation_expires_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {self.trajectory.application.municipality}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_expired(self) -> bool:
        return not self.is_answered and self.expires_at <= timezone.now()


class Response(models.Model):
    """The municipality's answers to one invitation. It names no person."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.invitation)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="answer_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score or self.text[:40]}"


class MeasureAnswer(models.Model):
    """What the municipality does with one recommended measure of the closing report."""

    class Status(models.TextChoices):
        CARRIED_OUT = "carried_out", _("Carried out")
        PLANNED = "planned", _("Will carry it out")
        NOT_PLANNED = "not_planned", _("Not planned")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="measures")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    # The measure as the closing report put it when the questionnaire went out.
    measure = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.measure[:40]}: {self.status}"


def recommended_measures(text: str) -> list[str]:
    """The measures of a closing report, one per line or separated by semicolons."""
    parts = re.split(r"[;\n]+", text or "")
    measures = []
    for part in parts:
        part = part.strip().strip("-•* ").strip().rstrip(".").strip()
        if part:
            measures.append(part[:1].upper() + part[1:])
    return measures


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IndicatorQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        condition = visible_municipality_filter(user, "trajectory__application__")
        return self if condition is None else self.filter(condition)


class Indicator(models.Model):
    """An outcome indicator of a trajectory's centre, measured before or after, with its source."""

    class Kind(models.TextChoices):
        VACANCY_RATE = "vacancy_rate", _("Vacancy rate of shop premises (%)")
        FOOTFALL = "footfall", _("Footfall (passers-by per day)")
        NEW_BUSINESSES = "new_businesses", _("New businesses (per year)")

    class Moment(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("indicator"), max_length=20, choices=Kind.choices)
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_(
            "Where the figure comes from (a count, a study, a register). It can be published: "
            "name no person."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "moment", "measured_on", "pk"]
        verbose_name = _("outcome indicator")
        verbose_name_plural = _("outcome indicators")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="vacancy_rate") | Q(value__lte=100),
                name="vacancy_rate_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_moment_display()}): {self.value}"
