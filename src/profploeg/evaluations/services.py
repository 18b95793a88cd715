import datetime
import secrets
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from profploeg.accounts.models import User
from profploeg.applications.models import Message
from profploeg.applications.tasks import send_message
from profploeg.lib import clock, formats
from profploeg.programmes.models import Programme
from profploeg.trajectories.models import Trajectory

from .models import (
    Answer,
    Indicator,
    Invitation,
    MeasureAnswer,
    Question,
    Questionnaire,
    Response,
    recommended_measures,
)

Kind = Questionnaire.Kind
# A municipality that has not answered after two weeks gets one reminder.
REMINDER_AFTER = datetime.timedelta(days=14)
TOKEN_BYTES = 32

# (kind, topic, text[, required]); comments are optional.
DEFAULT_QUESTIONS = {
    Kind.COMPLETION: (
        "Evaluatie van de begeleiding door de profploeg",
        "De begeleiding van uw gemeente is afgerond. Vertel ons hoe u ze ervaren hebt: het "
        "duurt vijf minuten en helpt ons de volgende begeleidingen beter te maken.",
        [
            (Question.Kind.SCALE, Question.Topic.SATISFACTION, "Hoe tevreden bent u over de begeleiding?"),
            (Question.Kind.SCALE, Question.Topic.USEFULNESS, "Hoe nuttig was de begeleiding voor uw kern?"),
            (Question.Kind.MEASURES, Question.Topic.MEASURES, "Welke aanbevolen maatregelen voert u uit?"),
            (Question.Kind.TEXT, Question.Topic.CHANGES, "Wat is er in uw kern al veranderd?"),
            (Question.Kind.TEXT, Question.Topic.COMMENTS, "Hebt u nog opmerkingen of suggesties?", False),
        ],
    ),
    Kind.FOLLOW_UP: (
        "Eén jaar later: wat deed uw gemeente met de begeleiding?",
        "Een jaar geleden rondde de profploeg de begeleiding van uw gemeente af. We horen graag "
        "wat u sindsdien met het actieplan gedaan hebt.",
        [
            (Question.Kind.SCALE, Question.Topic.USEFULNESS, "Hoe nuttig blijkt de begeleiding achteraf?"),
            (Question.Kind.MEASURES, Question.Topic.MEASURES, "Welke aanbevolen maatregelen hebt u intussen uitgevoerd?"),
            (Question.Kind.TEXT, Question.Topic.CHANGES, "Wat is er in het voorbije jaar in uw kern veranderd?"),
            (Question.Kind.TEXT, Question.Topic.COMMENTS, "Hebt u nog opmerkingen?", False),
        ],
    ),
}  # fmt: skip


def require_staff(user: User) -> None:
    if not (user.is_active and user.role == User.Role.STAFF):
        raise PermissionDenied(_("Only programme staff can do this."))


def require_team(user: User) -> None:
    if not (user.is_active and user.role in (User.Role.STAFF, User.Role.EXPERT)):
        raise PermissionDenied(_("Only programme staff and experts can do this."))


# Questionnaires


@transaction.atomic
def create_questionnaire(
    *,
    by: User,
    programme: Programme,
    kind: str,
    title: str = "",
    introduction: str = "",
    link_valid_days: int = 42,
    with_default_questions: bool = True,
) -> Questionnaire:
    """Define a programme's questionnaire of one kind, by default with the standard questions."""
    require_staff(by)
    return build_questionnaire(
        programme=programme,
        kind=kind,
        title=title,
        introduction=introduction,
        link_valid_days=link_valid_days,
        with_default_questions=with_default_questions,
    )


def build_questionnaire(
    *,
    programme: Programme,
    kind: str,
    title: str = "",
    introduction: str = "",
    link_valid_days: int = 42,
    with_default_questions: bool = True,
) -> Questionnaire:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the completion or the follow-up questionnaire.")})
    if Questionnaire.objects.filter(programme=programme, kind=kind).exists():
        raise ValidationError(
            _("%(programme)s already has this questionnaire: add questions to it instead.")
            % {"programme": programme}
        )
    if not 1 <= link_valid_days <= 365:
        raise ValidationError({"link_valid_days": _("A link is valid from 1 to 365 days.")})
    default_title, default_introduction, questions = DEFAULT_QUESTIONS[kind]
    questionnaire = Questionnaire.objects.create(
        programme=programme,
        kind=kind,
        title=title.strip() or default_title,
        introduction=introduction.strip() or default_introduction,
        link_valid_days=link_valid_days,
    )
    if with_default_questions:
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                position=index,
                kind=q_kind,
                topic=topic,
                text=text,
                required=rest[0] if rest else True,
            )
            for index, (q_kind, topic, text, *rest) in enumerate(questions, start=1)
        )
    return questionnaire


@transaction.atomic
def update_questionnaire(
    *,
    by: User,
    questionnaire: Questionnaire,
    title: str,
    introduction: str,
    link_valid_days: int,
) -> Questionnaire:
    """Change a questionnaire's title, introduction and how long its links stay valid (links
    already sent keep their date)."""
    require_staff(by)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the questionnaire a title.")})
    if not 1 <= link_valid_days <= 365:
        raise ValidationError({"link_valid_days": _("A link is valid from 1 to 365 days.")})
    questionnaire.title = title
    questionnaire.introduction = introduction.strip()
    questionnaire.link_valid_days = link_valid_days
    questionnaire.save()
    return questionnaire


def questionnaire_for(programme: Programme, kind: str) -> Questionnaire:
    """The programme's questionnaire of that kind; the standard one if staff defined none."""
    questionnaire = Questionnaire.objects.filter(programme=programme, kind=kind).first()
    return questionnaire or build_questionnaire(programme=programme, kind=kind)


@transaction.atomic
def add_question(
    *,
    by: User,
    questionnaire: Questionnaire,
    kind: str,
    text: str,
    topic: str = Question.Topic.OTHER,
    help_text: str = "",
    required: bool = True,
) -> Question:
    """Add a question at the end of a questionnaire; invitations already sent get it too."""
    require_staff(by)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    if topic not in Question.Topic.values:
        raise ValidationError({"topic": _("Choose what the question measures.")})
    if kind == Question.Kind.MEASURES and questionnaire.active_questions().filter(kind=kind):
        raise ValidationError(
            {"kind": _("The questionnaire already asks about the measures; ask that once.")}
        )
    last = questionnaire.questions.order_by("-position").values_list("position", flat=True)
    return Question.objects.create(
        questionnaire=questionnaire,
        position=(last.first() or 0) + 1,
        kind=kind,
        topic=topic,
        text=text,
        help_text=help_text.strip(),
        required=required,
    )


@transaction.atomic
def remove_question(*, by: User, question: Question) -> None:
    """Remove a question; one that was answered is retired instead, so its answers keep their
    meaning."""
    require_staff(by)
    if question.answers.exists() or MeasureAnswer.objects.filter(question=question).exists():
        Question.objects.filter(pk=question.pk).update(is_active=False)
    else:
        question.delete()


# Invitations


def answer_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("evaluations:answer", args=[token])


def email_municipality(invitation: Invitation, template: str, at: datetime.datetime) -> Message:
    """Keep the Dutch message for the municipality and email it once the transaction commits.

    The message is not tied to the application: the province follows applications, and must
    not see the municipality's link."""
    trajectory = invitation.trajectory
    context = {
        "invitation": invitation,
        "questionnaire": invitation.questionnaire,
        "municipality": trajectory.application.municipality,
        "programme": invitation.questionnaire.programme,
        "trajectory": trajectory,
        "url": answer_url(invitation.token),
    }
    with translation.override("nl-be"):
        context["expires"] = formats.day(invitation.expires_at)
        subject = render_to_string(f"evaluations/email/{template}_subject.txt", context)
        body = render_to_string(f"evaluations/email/{template}_body.txt", context)
    message = Message.objects.create(
        municipality=trajectory.application.municipality,
        application=None,
        recipient_email=invitation.recipient_email,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        created_at=at,
    )
    transaction.on_commit(lambda: send_message.enqueue(message_id=message.pk))
    return message


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def invite(
    *, trajectory: Trajectory, kind: str, by: User | None, now: datetime.datetime
) -> Invitation | None:
    """Send one questionnaire to a completed trajectory's municipality, once (None if sent)."""
    questionnaire = questionnaire_for(trajectory.application.round.programme, kind)
    if Invitation.objects.filter(questionnaire=questionnaire, trajectory=trajectory).exists():
        return None
    invitation = Invitation.objects.create(
        questionnaire=questionnaire,
        trajectory=trajectory,
        token=new_token(),
        recipient_email=trajectory.application.contact_email,
        sent_at=now,
        sent_by=by,
        expires_at=now + datetime.timedelta(days=questionnaire.link_valid_days),
    )
    email_municipality(invitation, "invitation", now)
    return invitation


@transaction.atomic
def send_questionnaire(
    *, trajectory: Trajectory, by: User | None = None, now: datetime.datetime | None = None
) -> Invitation | None:
    """A completed trajectory's municipality gets the completion questionnaire, once: on
    completion (no `by`), or sent by staff for a trajectory that has not had it."""
    if by is not None:
        require_staff(by)
    trajectory = Trajectory.objects.select_related("application__round__programme").get(
        pk=trajectory.pk
    )
    if trajectory.status != Trajectory.Status.COMPLETED:
        raise ValidationError(_("Only a completed trajectory is evaluated."))
    return invite(trajectory=trajectory, kind=Kind.COMPLETION, by=by, now=now or timezone.now())


@transaction.atomic
def send_follow_up(
    *,
    by: User,
    programme: Programme,
    completed_before: datetime.date,
    trajectories: Iterable[Trajectory] | None = None,
    now: datetime.datetime | None = None,
) -> list[Invitation]:
    """Send the follow-up questionnaire to the programme's trajectories completed before a date
    (or to the ones given) that have not had it yet."""
    require_staff(by)
    now = now or timezone.now()
    if completed_before > timezone.localdate(now):
        raise ValidationError(
            {"completed_before": _("Pick a date in the past: the follow-up looks back.")}
        )
    chosen = Trajectory.objects.in_programme(programme).filter(
        status=Trajectory.Status.COMPLETED, ended_on__lte=completed_before
    )
    if trajectories is not None:
        chosen = chosen.filter(pk__in=[t.pk for t in trajectories])
    sent = []
    for trajectory in chosen.select_related("application__round__programme").order_by("pk"):
        invitation = invite(trajectory=trajectory, kind=Kind.FOLLOW_UP, by=by, now=now)
        if invitation is not None:
            sent.append(invitation)
    if not sent:
        raise ValidationError(
            _(
                "No trajectory completed by %(day)s is waiting for the follow-up questionnaire: "
                "every one has had it already, or none was completed by then."
            )
            % {"day": formats.day(completed_before)}
        )
    return sent


@transaction.atomic
def renew_invitation(
    *, by: User, invitation: Invitation, now: datetime.datetime | None = None
) -> Invitation:
    """Staff send an unanswered questionnaire again with a new link; the old link stops working."""
    require_staff(by)
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_answered:
        raise ValidationError(_("This questionnaire has been answered: there is nothing to renew."))
    invitation.token = new_token()
    invitation.sent_at = now
    invitation.sent_by = by
    invitation.expires_at = now + datetime.timedelta(days=invitation.questionnaire.link_valid_days)
    invitation.reminded_at = None
    invitation.recipient_email = invitation.trajectory.application.contact_email
    invitation.save()
    email_municipality(invitation, "invitation", now)
    return invitation


def send_reminders(*, now: datetime.datetime | None = None) -> list[Invitation]:
    """Remind each municipality once when its link is two weeks old and unanswered; running it
    again sends nothing twice."""
    now = now or timezone.now()
    reminded = []
    for pk in Invitation.objects.due_for_reminder(now, REMINDER_AFTER).values_list("pk", flat=True):
        with transaction.atomic():
            # Claim the row first: two runs at once send one reminder.
            claimed = (
                Invitation.objects.due_for_reminder(now, REMINDER_AFTER)
                .filter(pk=pk)
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            invitation = Invitation.objects.select_related(
                "questionnaire__programme", "trajectory__application__municipality"
            ).get(pk=pk)
            email_municipality(invitation, "reminder", now)
            reminded.append(invitation)
    return reminded


# Answers


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation of a link, or None for a token that was never issued."""
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related(
            "questionnaire__programme", "trajectory__application__municipality"
        )
        .filter(token=token)
        .first()
    )


def check_answerable(invitation: Invitation, now: datetime.datetime) -> None:
    if invitation.answered_at is not None:
        raise ValidationError(
            _("This questionnaire was already answered on %(day)s. Thank you!")
            % {"day": formats.day(invitation.answered_at)},
            code="answered",
        )
    if invitation.expires_at <= now:
        raise ValidationError(
            _(
                "This link expired on %(day)s. Ask the programme staff for a new link if you "
                "still want to answer."
            )
            % {"day": formats.day(invitation.expires_at)},
            code="expired",
        )


def measures_of(invitation: Invitation) -> list[str]:
    return recommended_measures(invitation.trajectory.measures)


@transaction.atomic
def submit_response(
    *,
    invitation: Invitation,
    scores: Mapping[int, int | None] | None = None,
    texts: Mapping[int, str] | None = None,
    measures: Mapping[int, str] | None = None,
    now: datetime.datetime | None = None,
) -> Response:
    """Answer a questionnaire through its link: once, before the link expires, every required
    question answered. `measures` maps the position of each recommended measure (from 1) to its
    status; errors are keyed `q<question pk>` and `m<measure position>`."""
    now = now or timezone.now()
    scores, texts, measures = scores or {}, texts or {}, measures or {}
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_answerable(invitation, now)
    questions = list(invitation.questionnaire.active_questions())
    recommended = measures_of(invitation)
    errors: dict[str, list[str]] = {}
    answers, measure_answers = [], []
    for question in questions:
        field = f"q{question.pk}"
        if question.kind == Question.Kind.SCALE:
            score = scores.get(question.pk)
            if score is None and question.required:
                errors[field] = [_("Choose a score from 1 to 5.")]
            elif score is not None and score not in (1, 2, 3, 4, 5):
                errors[field] = [_("A score is a whole number from 1 to 5.")]
            elif score is not None:
                answers.append(Answer(question=question, score=score))
        elif question.kind == Question.Kind.TEXT:
            text = (texts.get(question.pk) or "").strip()
            if not text and question.required:
                errors[field] = [_("Write a short answer, even a single sentence.")]
            elif text:
                answers.append(Answer(question=question, text=text))
        else:
            for position, measure in enumerate(recommended, start=1):
                status = measures.get(position)
                if status is None and question.required:
                    errors[f"m{position}"] = [
                        _("Say what you do with “%(measure)s”.") % {"measure": measure}
                    ]
                elif status is not None and status not in MeasureAnswer.Status.values:
                    errors[f"m{position}"] = [_("Choose one of the options.")]
                elif status is not None:
                    measure_answers.append(
                        MeasureAnswer(
                            question=question, position=position, measure=measure, status=status
                        )
                    )
    if errors:
        raise ValidationError(errors)
    claimed = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
        answered_at=now
    )
    if not claimed:
        raise ValidationError(_("This questionnaire was already answered. Thank you!"))
    response = Response.objects.create(invitation=invitation, submitted_at=now)
    for answer in answers + measure_answers:
        answer.response = response
    Answer.objects.bulk_create(answers)
    MeasureAnswer.objects.bulk_create(measure_answers)
    return response


# Outcome indicators


@transaction.atomic
def record_indicator(
    *,
    by: User,
    trajectory: Trajectory,
    kind: str,
    moment: str,
    value: Decimal,
    measured_on: datetime.date,
    source: str,
) -> Indicator:
    """An expert or staff record an outcome indicator of the trajectory's centre, with its date
    and source."""
    require_team(by)
    source = source.strip()
    if kind not in Indicator.Kind.values:
        raise ValidationError({"kind": _("Choose an indicator.")})
    if moment not in Indicator.Moment.values:
        raise ValidationError({"moment": _("Say whether it was measured before or after.")})
    if value < 0:
        raise ValidationError({"value": _("An indicator cannot be negative.")})
    if kind == Indicator.Kind.VACANCY_RATE and value > 100:
        raise ValidationError({"value": _("A vacancy rate is a percentage: at most 100.")})
    if measured_on > clock.localdate():
        raise ValidationError({"measured_on": _("A measurement cannot be in the future.")})
    if not source:
        raise ValidationError(
            {"source": _("Give the source, e.g. “Leegstandsinventaris gemeente, maart 2022”.")}
        )
    if (
        moment == Indicator.Moment.AFTER
        and trajectory.started_on
        and measured_on < trajectory.started_on
    ):
        raise ValidationError(
            {
                "measured_on": _(
                    "An “after” measurement falls after the trajectory started (%(day)s)."
                )
                % {"day": formats.day(trajectory.started_on)}
            }
        )
    return Indicator.objects.create(
        trajectory=trajectory,
        kind=kind,
        moment=moment,
        value=value,
        measured_on=measured_on,
        source=source,
        recorded_by=by,
        recorded_at=clock.now(),
    )


@transaction.atomic
def remove_indicator(*, by: User, indicator: Indicator) -> None:
    """Remove an indicator recorded by mistake."""
    require_team(by)
    indicator.delete()
