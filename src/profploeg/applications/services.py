import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from profploeg.accounts.models import User
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
    """Submit an application for a municipality; after a round's deadline it joins the next one."""
    received_at = received_at or timezone.now()
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
    if not Municipality.objects.valid_on(day).filter(pk=municipality.pk).exists():
        raise ValidationError(
            _("%(name)s no longer exists on %(day)s; apply as %(now)s.")
            % {"name": municipality.name, "day": day, "now": municipality.current.name}
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
        application=application, to_status=Status.SUBMITTED, at=received_at, by=submitted_by
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


@transaction.atomic
def change_status(
    *,
    application: Application,
    to_status: str,
    by: User,
    expected_version: int,
    reason: str = "",
    at: datetime.datetime | None = None,
) -> Application:
    """Move an application along its state machine: only the allowed steps, by the allowed role."""
    at = at or timezone.now()
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
    role, reason_required = Application.TRANSITIONS[step]
    if by.role != role or not by.is_active:
        raise PermissionDenied(_("You are not allowed to make this decision."))
    if role == User.Role.MUNICIPALITY and not (
        Application.objects.visible_to(by).filter(pk=application.pk).exists()
    ):
        raise PermissionDenied(_("This application belongs to another municipality."))
    if reason_required and not reason:
        raise ValidationError({"reason": _("Give a reason: the municipality will read it.")})
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
        by=by,
        reason=reason,
    )
    application.refresh_from_db()
    notify(application=application, template=to_status, at=at, context={"reason": reason})
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
    """Keep a Dutch message for the municipality and email it once the transaction commits."""
    context = {
        "application": application,
        "municipality": application.municipality,
        "round": application.round,
        "programme": application.round.programme,
        "site_url": settings.SITE_URL,
        **context,
    }
    with translation.override("nl-be"):
        context["deadline"] = date_format(application.round.deadline, "j F Y")
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
