import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from profploeg.accounts.models import User
from profploeg.lib import formats
from profploeg.lib.dates import local_date
from profploeg.lib.pdf import active_content
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import Programme, Round, Theme

from .models import Application, Attachment, Message, Referral, Transition
from .tasks import send_message

Status = Application.Status


class ConflictError(ValidationError):
    """Someone else changed the object since the user loaded it."""


def conflict_error() -> ConflictError:
    return ConflictError(
        _(
            "Someone else changed this application while you were looking at it. "
            "Nothing was saved: reload the page to see its current status."
        ),
        code="conflict",
    )


def check_pdf(upload: UploadedFile) -> None:
    """Refuse anything that is not a PDF by its content, or that is too large."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(max)d MB.")
            % {"name": upload.name, "max": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    header = upload.read(5)
    upload.seek(0)
    if header != b"%PDF-":
        raise ValidationError(_("%(name)s is not a PDF file.") % {"name": upload.name})
    found = active_content(upload.read())
    upload.seek(0)
    if found:
        raise ValidationError(
            _(
                "%(name)s contains active content (%(what)s), which could run when it is "
                "opened: save or print it again as a plain PDF and upload that."
            )
            % {"name": upload.name, "what": found}
        )


def round_for(programme: Programme, day: datetime.date) -> Round:
    """The round an application received on `day` belongs to: late ones go to the next round."""
    rounds = programme.rounds.order_by("opens_on")
    first = rounds.first()
    if first is None or day < first.opens_on:
        raise ValidationError(_("This call does not take applications yet."))
    round_ = programme.rounds.receiving_on(day).first()
    if round_ is None:
        raise ValidationError(_("This call is closed: the last deadline has passed."))
    return round_


def earlier_unsuccessful_application(
    programme: Programme, municipality: Municipality
) -> Application | None:
    """The municipality's latest inadmissible or deferred application in this call, if any."""
    return (
        Application.objects.filter(round__programme=programme)
        .filter(
            Q(municipality=municipality)
            | Q(municipality__merged_into=municipality)
            | Q(municipality=municipality.merged_into_id or -1)
        )
        .filter(status__in=[Status.INADMISSIBLE, Status.DEFERRED])
        .order_by("-submitted_at")
        .first()
    )


@transaction.atomic
def submit_application(
    *,
    programme: Programme,
    municipality: Municipality,
    submitted_by: User,
    contact_name: str,
    contact_email: str,
    question: str,
    contact_phone: str = "",
    themes: Iterable[Theme] = (),
    attachments: Sequence[UploadedFile] = (),
    received_at: datetime.datetime | None = None,
) -> Application:
    """Submit an application for a municipality; after a round's deadline it joins the next one.

    Staff record one received on paper with its real moment (not in the future)."""
    recorded_at = timezone.now()
    received_at = received_at or recorded_at
    day = local_date(received_at)
    if (
        submitted_by.role == User.Role.MUNICIPALITY
        and submitted_by.municipality_id != municipality.pk
    ):
        raise PermissionDenied(_("You can only apply for your own municipality."))
    if submitted_by.role not in (User.Role.MUNICIPALITY, User.Role.STAFF):
        raise PermissionDenied(
            _("Only a municipality or programme staff can submit an application.")
        )
    if received_at > recorded_at:
        raise ValidationError(
            {"received_at": _("An application cannot be received in the future.")}
        )
    if not Municipality.objects.valid_on(day).filter(pk=municipality.pk).exists():
        if municipality.valid_from and day < municipality.valid_from:
            # A municipality formed by a merger (1 January 2025) did not exist before it.
            predecessors = ", ".join(
                m.name for m in Municipality.objects.filter(merged_into=municipality)
            )
            raise ValidationError(
                _(
                    "%(name)s did not exist yet on %(day)s (it was formed on %(from)s): apply as "
                    "the municipality of that day (%(before)s)."
                )
                % {
                    "name": municipality.name,
                    "day": formats.day(day),
                    "from": formats.day(municipality.valid_from),
                    "before": predecessors,
                }
            )
        raise ValidationError(
            _("%(name)s no longer exists on %(day)s; apply as %(now)s.")
            % {
                "name": municipality.name,
                "day": formats.day(day),
                "now": municipality.current.name,
            }
        )
    for upload in attachments:
        check_pdf(upload)
    round_ = round_for(programme, day)
    if (
        Application.objects.filter(round=round_, municipality=municipality)
        .exclude(status=Status.WITHDRAWN)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s already has an application in round %(number)s.")
            % {"name": municipality.name, "number": round_.number}
        )
    application = Application.objects.create(
        round=round_,
        municipality=municipality,
        submitted_at=received_at,
        submitted_by=submitted_by,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        question=question,
        previous_application=earlier_unsuccessful_application(programme, municipality),
    )
    application.themes.set(themes)
    for upload in attachments:
        Attachment.objects.create(
            application=application, file=upload, original_name=upload.name[:255], size=upload.size
        )
    Transition.objects.create(
        application=application,
        to_status=Status.SUBMITTED,
        at=received_at,
        recorded_at=recorded_at,
        by=submitted_by,
    )
    if application.previous_application_id:
        Referral.objects.filter(application=application.previous_application_id).update(
            outcome=Referral.Outcome.REAPPLIED
        )
    notify(
        application=application,
        template="received",
        at=received_at,
        context={"late_for": round_.round_missed_on(day)},
    )
    return application


class OverCapacityError(ValidationError):
    """Accepting would go beyond the programme's capacity: staff must confirm it with a reason."""

    api_code = "over_capacity"


def long_date(day: datetime.date) -> str:
    return formats.day(day)


def moment_text(moment: datetime.datetime) -> str:
    return formats.moment(moment)


def check_effective_moment(application: Application, at: datetime.datetime) -> None:
    """A step takes effect not in the future, not before the application was received and not
    before its previous step: the application's history stays in order."""
    if at > timezone.now():
        raise ValidationError(
            {"at": _("A decision cannot take effect in the future: give today or an earlier date.")}
        )
    if at < application.submitted_at:
        raise ValidationError(
            {
                "at": _(
                    "A decision cannot take effect before the application was received "
                    "(%(received)s)."
                )
                % {"received": moment_text(application.submitted_at)}
            }
        )
    previous = application.transitions.order_by("-at", "-pk").first()
    if previous is not None and at < previous.at:
        raise ValidationError(
            {
                "at": _(
                    "The history stays in order: the previous step (%(status)s) took effect on "
                    "%(previous)s; give that moment or a later one."
                )
                % {
                    "status": Status(previous.to_status).label.lower(),
                    "previous": moment_text(previous.at),
                }
            }
        )


def capacity_on(programme: Programme, day: datetime.date) -> int:
    """The capacity of the offer in force on that day; without an offer the programme's own."""
    # Imported here: trajectories builds on applications, not the other way round.
    from profploeg.trajectories.models import Offer

    offer = Offer.objects.filter(programme=programme).first()
    return offer.in_force_on(day)[1] if offer else programme.capacity


def accepted_on(programme: Programme, day: datetime.date) -> int:
    """How many of the programme's applications were accepted at the end of that day."""
    return (
        Application.objects.filter(round__programme=programme)
        .with_status_on(day)
        .filter(status_on=Status.ACCEPTED)
        .count()
    )


def over_capacity_on(programme: Programme, day: datetime.date) -> tuple[int, int] | None:
    """(accepted, capacity) when one more acceptance on that day goes beyond capacity."""
    capacity = capacity_on(programme, day)
    accepted = accepted_on(programme, day)
    return (accepted, capacity) if accepted >= capacity else None


@transaction.atomic
def change_status(
    *,
    application: Application,
    to_status: str,
    by: User,
    expected_version: int,
    reason: str = "",
    at: datetime.datetime | None = None,
    channel: str = "",
    confirm_over_capacity: bool = False,
) -> Application:
    """Move an application along its state machine: only the allowed steps, by the allowed role,
    on its real date (not in the future, not before receipt or the previous step); accepting
    beyond capacity needs an explicit confirmation with a reason."""
    recorded_at = timezone.now()
    at = at or recorded_at
    reason = reason.strip()
    # A stale page asks for a step from a status that is gone: report the conflict, not the step.
    if expected_version != application.version:
        raise conflict_error()
    step = (application.status, to_status)
    if step not in Application.TRANSITIONS:
        raise ValidationError(
            _("An application that is %(from)s cannot become %(to)s.")
            % {
                "from": Status(application.status).label.lower(),
                "to": Status(to_status).label.lower(),
            }
        )
    roles, reason_required = Application.TRANSITIONS[step]
    if by.role not in roles or not by.is_active:
        raise PermissionDenied(_("You are not allowed to make this decision."))
    if by.role == User.Role.MUNICIPALITY and not (
        Application.objects.visible_to(by).filter(pk=application.pk).exists()
    ):
        raise PermissionDenied(_("This application belongs to another municipality."))
    if by.role == User.Role.MUNICIPALITY and at < recorded_at - datetime.timedelta(minutes=5):
        raise PermissionDenied(_("Only programme staff can record a step on an earlier date."))
    if channel and channel not in Transition.Channel.values:
        raise ValidationError({"channel": _("Choose how it came in.")})
    on_behalf = to_status == Status.WITHDRAWN and by.role == User.Role.STAFF
    if on_behalf and not channel:
        raise ValidationError(
            {"channel": _("Say how the municipality's withdrawal came in (letter, email, …).")}
        )
    if channel and not on_behalf:
        raise ValidationError(
            {"channel": _("Only a withdrawal recorded by programme staff says how it came in.")}
        )
    if reason_required and not reason:
        raise ValidationError({"reason": _("Give a reason: the municipality will read it.")})
    check_effective_moment(application, at)
    over_capacity = False
    if to_status == Status.ACCEPTED:
        programme = application.round.programme
        full = over_capacity_on(programme, local_date(at))
        if full is not None:
            accepted, capacity = full
            if not confirm_over_capacity:
                raise OverCapacityError(
                    _(
                        "On %(day)s the programme already has %(accepted)d accepted applications "
                        "for a capacity of %(capacity)d. Confirm that you accept over capacity "
                        "and give the reason."
                    )
                    % {
                        "day": long_date(local_date(at)),
                        "accepted": accepted,
                        "capacity": capacity,
                    },
                    code="over_capacity",
                )
            if not reason:
                raise ValidationError({"reason": _("Give the reason for accepting over capacity.")})
            over_capacity = True
    updated = Application.objects.filter(
        pk=application.pk, status=application.status, version=expected_version
    ).update(status=to_status, version=F("version") + 1)
    if not updated:
        raise conflict_error()
    Transition.objects.create(
        application=application,
        from_status=application.status,
        to_status=to_status,
        at=at,
        recorded_at=recorded_at,
        by=by,
        reason=reason,
        channel=channel,
        over_capacity=over_capacity,
    )
    application.refresh_from_db()
    notify(
        application=application,
        template=to_status,
        at=at,
        context={"reason": reason, "channel": channel},
    )
    return application


@transaction.atomic
def record_referral(
    *,
    application: Application,
    by: User,
    contacted_on: datetime.date,
    outcome: str,
    note: str = "",
) -> Referral:
    """Record the province's contact with a municipality whose application was not accepted."""
    if application.status not in (Status.INADMISSIBLE, Status.DEFERRED):
        raise ValidationError(_("Only inadmissible or deferred applications are followed up."))
    allowed = by.role == User.Role.STAFF or (
        by.role == User.Role.PROVINCE and application.municipality.province_id == by.province_id
    )
    if not allowed or not by.is_active:
        raise PermissionDenied(_("Only the municipality's province follows this application up."))
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("The contact date cannot be in the future.")})
    referral, _created = Referral.objects.update_or_create(
        application=application,
        defaults={
            "contacted_on": contacted_on,
            "contacted_by": by,
            "outcome": outcome,
            "note": note,
        },
    )
    return referral


def notify(
    *, application: Application, template: str, at: datetime.datetime, context: dict
) -> Message:
    """Keep a Dutch message for the municipality and email it once the transaction commits.

    It is dated when the step took effect, and sent now."""
    context = {
        "application": application,
        "municipality": application.municipality,
        "round": application.round,
        "programme": application.round.programme,
        "site_url": settings.SITE_URL,
        **context,
    }
    with translation.override("nl-be"):
        context["deadline"] = formats.day(application.round.deadline)
        # Sent now, about a step that may have taken effect long ago: the text says when.
        if local_date(at) < timezone.localdate():
            context["effective_on"] = formats.day(local_date(at))
        if context.get("channel"):
            context["channel"] = str(Transition.Channel(context["channel"]).label).lower()
        subject = render_to_string(f"applications/email/{template}_subject.txt", context)
        body = render_to_string(f"applications/email/{template}_body.txt", context)
    message = Message.objects.create(
        municipality=application.municipality,
        application=application,
        recipient_email=application.contact_email,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        created_at=at,
    )
    transaction.on_commit(lambda: send_message.enqueue(message_id=message.pk))
    return message
