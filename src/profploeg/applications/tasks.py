from django.core.mail import EmailMessage
from django_tasks import task

from profploeg.lib.delivery import deliver, message_id


def send_email(message) -> None:
    EmailMessage(
        message.subject,
        message.body,
        None,
        [message.recipient_email],
        headers={"Message-ID": message_id("message", message.pk)},
    ).send()


@task()
def send_message(message_id: int) -> bool:
    """Email a stored message at least once (see lib/delivery.py)."""
    from .models import Message

    return deliver(Message, message_id, send_email)
