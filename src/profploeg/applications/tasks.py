from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task


@task()
def send_message(message_id: int) -> bool:
    """Email a stored message, at most once: the row is claimed before the mail goes out."""
    from .models import Message

    claimed = Message.objects.filter(pk=message_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    message = Message.objects.get(pk=message_id)
    try:
        send_mail(message.subject, message.body, None, [message.recipient_email])
    except Exception:
        # Release the claim so that a retry can send it.
        Message.objects.filter(pk=message_id).update(sent_at=None)
        raise
    return True
