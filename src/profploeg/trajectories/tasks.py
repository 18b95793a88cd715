from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks import task

from profploeg.lib import ics
from profploeg.lib.delivery import deliver, message_id


@task()
def send_intake_notice(notice_id: int) -> bool:
    """Email an intake invitation, update or cancellation with its .ics, at least once (see
    lib/delivery.py)."""
    from .models import IntakeNotice

    return deliver(IntakeNotice, notice_id, send_notice_email)


def send_notice_email(notice) -> None:
    from .models import IntakeNotice

    notice = IntakeNotice.objects.select_related(
        "intake__application__municipality", "intake__application__round"
    ).get(pk=notice.pk)
    build_notice_email(notice).send()


def build_notice_email(notice) -> EmailMessage:
    intake = notice.intake
    cancelled = notice.kind == notice.Kind.CANCELLATION
    with translation.override("nl-be"):
        context = {
            "intake": intake,
            "notice": notice,
            "municipality": intake.application.municipality,
            "when": date_format(timezone.localtime(intake.planned_at), "l j F Y, H:i"),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"trajectories/email/intake_{notice.kind}_subject.txt", context)
        body = render_to_string(f"trajectories/email/intake_{notice.kind}_body.txt", context)
        summary = " ".join(subject.split())
    calendar = ics.meeting(
        uid=f"{intake.uid}@profploeg",
        sequence=notice.sequence,
        start=intake.planned_at,
        end=intake.ends_at,
        summary=summary,
        description=intake.participants,
        location=intake.video_url or intake.location,
        organizer=settings.DEFAULT_FROM_EMAIL,
        attendees=notice.recipients,
        cancelled=cancelled,
    )
    message = EmailMessage(
        summary,
        body.strip() + "\n",
        None,
        notice.recipients,
        headers={"Message-ID": message_id("intake-notice", notice.pk)},
    )
    message.attach(
        "intake.ics",
        calendar,
        f"text/calendar; charset=utf-8; method={'CANCEL' if cancelled else 'REQUEST'}",
    )
    return message
