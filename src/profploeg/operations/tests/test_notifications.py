"""A notification that fails to send is sent again later, and never twice."""

import datetime

import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from profploeg.applications.models import Message
from profploeg.applications.tasks import send_message
from profploeg.lib.dates import at_brussels
from profploeg.operations.services import retry_unsent_notifications
from profploeg.test import BaseTestCase

BROKEN = "profploeg.operations.tests.test_notifications.BrokenMailServer"


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


class RetryTests(BaseTestCase):
    def setUp(self):
        # The application arrives on 2 August 2021 at noon; the clock stands still there.
        traveller = time_machine.travel(at_brussels(datetime.date(2021, 8, 2)), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def submit_while_mail_is_down(self):
        with override_settings(EMAIL_BACKEND=BROKEN):
            with self.captureOnCommitCallbacks(execute=True):
                application = self.submit()
        return Message.objects.get(application=application)

    def test_a_message_that_failed_is_released_for_a_retry(self):
        message = self.submit_while_mail_is_down()
        self.assertIsNone(message.sent_at)
        self.assertEqual(mail.outbox, [])

    def test_the_retry_sends_it_once_and_only_once(self):
        message = self.submit_while_mail_is_down()
        later = timezone.now() + datetime.timedelta(minutes=11)
        with time_machine.travel(later, tick=False):
            first = retry_unsent_notifications(older_than=datetime.timedelta(minutes=10))
            second = retry_unsent_notifications(older_than=datetime.timedelta(minutes=10))

        self.assertEqual(first["messages"], 1)
        self.assertEqual(second["messages"], 0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, message.subject)
        message.refresh_from_db()
        self.assertIsNotNone(message.sent_at)

    def test_a_recent_message_is_left_to_its_own_task(self):
        self.submit_while_mail_is_down()
        counts = retry_unsent_notifications(older_than=datetime.timedelta(minutes=10))
        self.assertEqual(counts["messages"], 0)
        self.assertEqual(mail.outbox, [])

    def test_two_tasks_for_the_same_message_send_it_once(self):
        message = self.submit_while_mail_is_down()
        self.assertTrue(send_message.call(message_id=message.pk))
        self.assertFalse(send_message.call(message_id=message.pk))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_worker_that_died_while_sending_loses_nothing(self):
        message = self.submit_while_mail_is_down()
        # A worker claimed it and died before the mail server answered: no sent_at.
        Message.objects.filter(pk=message.pk).update(claimed_at=timezone.now())
        later = timezone.now() + datetime.timedelta(minutes=11)
        with time_machine.travel(later - datetime.timedelta(minutes=2), tick=False):
            # The claim is still live: another worker may be sending it right now.
            counts = retry_unsent_notifications(older_than=datetime.timedelta(minutes=5))
            self.assertEqual(counts["messages"], 0)
        with time_machine.travel(later, tick=False):
            counts = retry_unsent_notifications(older_than=datetime.timedelta(minutes=10))
        self.assertEqual(counts["messages"], 1)
        self.assertEqual(len(mail.outbox), 1)
        message.refresh_from_db()
        self.assertIsNotNone(message.sent_at)

    def test_every_attempt_carries_the_same_message_id(self):
        message = self.submit_while_mail_is_down()
        send_message.call(message_id=message.pk)
        Message.objects.filter(pk=message.pk).update(sent_at=None, claimed_at=None)
        send_message.call(message_id=message.pk)
        ids = {sent.extra_headers["Message-ID"] for sent in mail.outbox}
        self.assertEqual(ids, {f"<profploeg-message-{message.pk}@vlaio.be>"})

    def test_a_message_is_marked_sent_only_after_the_server_accepted_it(self):
        message = self.submit_while_mail_is_down()
        message.refresh_from_db()
        self.assertIsNone(message.sent_at)
        self.assertIsNone(message.claimed_at)

    def test_the_command_reports_what_it_enqueued(self):
        self.submit_while_mail_is_down()
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=1), tick=False):
            out = self.call("retry_messages")
        self.assertIn("1 message(s)", out)
        self.assertEqual(len(mail.outbox), 1)

    def call(self, *args) -> str:
        from io import StringIO

        out = StringIO()
        call_command(*args, stdout=out)
        return out.getvalue()
