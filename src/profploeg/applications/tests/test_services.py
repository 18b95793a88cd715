import datetime
import itertools

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from profploeg.applications import services
from profploeg.applications.models import Application, Message, Referral, Transition
from profploeg.lib.dates import at_brussels
from profploeg.municipalities.models import Municipality
from profploeg.test import BaseTestCase, make_user

Status = Application.Status
ALL_STATUSES = list(Status)


def reach(test, status: str) -> Application:
    """An application brought to `status` along the legal path."""
    application = test.submit()
    path = {
        Status.SUBMITTED: [],
        Status.ADMISSIBLE: [Status.ADMISSIBLE],
        Status.INADMISSIBLE: [Status.INADMISSIBLE],
        Status.ACCEPTED: [Status.ADMISSIBLE, Status.ACCEPTED],
        Status.DEFERRED: [Status.ADMISSIBLE, Status.DEFERRED],
        Status.WITHDRAWN: [Status.WITHDRAWN],
    }[status]
    for step in path:
        who = test.alice if step == Status.WITHDRAWN else test.staff
        test.decide(application, step, reason="Reden", by=who)
    application.refresh_from_db()
    return application


class StateMachineTests(BaseTestCase):
    def test_every_legal_transition_is_recorded_with_who_when_and_why(self):
        for (frm, to), (roles, _reason) in Application.TRANSITIONS.items():
            with self.subTest(frm=frm, to=to):
                Application.objects.all().delete()
                application = reach(self, frm)
                who = self.alice if "municipality" in roles else self.staff
                self.decide(application, to, reason="Omdat het moet", by=who)
                application.refresh_from_db()
                self.assertEqual(application.status, to)
                last = application.transitions.last()
                self.assertEqual((last.from_status, last.to_status, last.by), (frm, to, who))
                self.assertEqual(last.reason, "Omdat het moet")

    def test_every_illegal_transition_is_refused_and_changes_nothing(self):
        for frm, to in itertools.product(ALL_STATUSES, ALL_STATUSES):
            if (frm, to) in Application.TRANSITIONS:
                continue
            with self.subTest(frm=frm, to=to):
                Application.objects.all().delete()
                application = reach(self, frm)
                steps = application.transitions.count()
                with self.assertRaisesMessage(ValidationError, "kan niet"):
                    self.decide(application, to, reason="x")
                application.refresh_from_db()
                self.assertEqual(application.status, frm)
                self.assertEqual(application.transitions.count(), steps)

    def test_only_staff_decide(self):
        application = self.submit()
        for user in (self.expert, self.alice, self.paula, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.decide(application, Status.ADMISSIBLE, by=user)

    def test_inadmissible_needs_a_reason(self):
        application = self.submit()
        with self.assertRaisesMessage(ValidationError, "Geef een reden op"):
            self.decide(application, Status.INADMISSIBLE, reason="  ")

    def test_deferred_needs_a_reason(self):
        application = reach(self, Status.ADMISSIBLE)
        with self.assertRaisesMessage(ValidationError, "Geef een reden op"):
            self.decide(application, Status.DEFERRED)

    def test_municipality_withdraws_only_its_own_application(self):
        application = self.submit(municipality=self.lier)
        with self.assertRaises(PermissionDenied):
            self.decide(application, Status.WITHDRAWN, by=self.bob)
        self.decide(application, Status.WITHDRAWN, by=self.alice)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.WITHDRAWN)

    def test_withdrawal_after_a_decision_is_refused(self):
        application = reach(self, Status.ADMISSIBLE)
        with self.assertRaises(ValidationError):
            self.decide(application, Status.WITHDRAWN, by=self.alice)

    def test_status_on_a_past_date_comes_from_the_transitions(self):
        application = self.submit(day=datetime.date(2021, 8, 2))
        self.decide(application, Status.ADMISSIBLE, at=at_brussels(datetime.date(2021, 8, 20)))
        self.decide(application, Status.ACCEPTED, at=at_brussels(datetime.date(2021, 9, 10)))
        expected = {
            datetime.date(2021, 8, 1): None,
            datetime.date(2021, 8, 2): Status.SUBMITTED,
            datetime.date(2021, 8, 19): Status.SUBMITTED,
            datetime.date(2021, 8, 20): Status.ADMISSIBLE,
            datetime.date(2021, 9, 9): Status.ADMISSIBLE,
            datetime.date(2021, 9, 10): Status.ACCEPTED,
        }
        for day, status in expected.items():
            with self.subTest(day=day):
                found = Application.objects.with_status_on(day).filter(pk=application.pk).first()
                self.assertEqual(found.status_on if found else None, status)


class ConflictTests(BaseTestCase):
    def test_second_of_two_simultaneous_decisions_gets_a_conflict_and_nothing_is_lost(self):
        application = self.submit()
        seen_by_sam = Application.objects.get(pk=application.pk)
        seen_by_sofie = Application.objects.get(pk=application.pk)
        services.change_status(
            application=seen_by_sam,
            to_status=Status.ADMISSIBLE,
            by=self.staff,
            expected_version=seen_by_sam.version,
        )
        with self.assertRaises(services.ConflictError) as caught:
            services.change_status(
                application=seen_by_sofie,
                to_status=Status.INADMISSIBLE,
                by=self.staff2,
                expected_version=seen_by_sofie.version,
                reason="Onvolledig",
            )
        self.assertIn("Iemand anders heeft deze aanvraag gewijzigd", caught.exception.messages[0])
        application.refresh_from_db()
        self.assertEqual(application.status, Status.ADMISSIBLE)
        self.assertEqual(
            list(application.transitions.values_list("to_status", flat=True)),
            [Status.SUBMITTED, Status.ADMISSIBLE],
        )

    def test_a_decision_on_a_stale_version_is_refused_even_for_a_legal_step(self):
        application = reach(self, Status.ADMISSIBLE)
        with self.assertRaises(services.ConflictError):
            services.change_status(
                application=application,
                to_status=Status.ACCEPTED,
                by=self.staff,
                expected_version=application.version - 1,
            )


class SubmissionTests(BaseTestCase):
    def test_application_before_the_deadline_goes_into_that_round(self):
        application = self.submit(day=datetime.date(2021, 8, 13))
        self.assertEqual(application.round, self.round1)

    def test_late_application_goes_to_next_round_and_the_applicant_is_told(self):
        with self.captureOnCommitCallbacks(execute=True):
            application = self.submit(day=datetime.date(2021, 8, 14))
        self.assertEqual(application.round, self.round2)
        message = application.messages.get()
        self.assertIn("na de indieningsdatum van ronde 1", message.body)
        self.assertIn("opgenomen in ronde 2", message.body)
        self.assertEqual(mail.outbox[0].body, message.body)

    def test_application_while_the_next_round_is_open_is_not_called_late(self):
        with self.captureOnCommitCallbacks(execute=True):
            application = self.submit(day=datetime.date(2021, 9, 15))
        self.assertEqual(application.round, self.round2)
        self.assertNotIn("na de indieningsdatum", application.messages.get().body)

    def test_application_after_the_last_deadline_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "Deze oproep is afgesloten"):
            self.submit(day=datetime.date(2021, 11, 13))

    def test_application_before_the_call_opens_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "kunt u nog geen aanvraag indienen"):
            self.submit(day=datetime.date(2021, 6, 1))

    def test_one_live_application_per_municipality_per_round(self):
        self.submit()
        with self.assertRaisesMessage(ValidationError, "heeft al een aanvraag in ronde 1"):
            self.submit()

    def test_withdrawn_application_can_be_replaced(self):
        first = self.submit(by=self.alice)
        self.decide(first, Status.WITHDRAWN, by=self.alice)
        second = self.submit(by=self.alice)
        self.assertEqual(second.round, self.round1)

    def test_municipality_user_applies_only_for_own_municipality(self):
        with self.assertRaises(PermissionDenied):
            self.submit(municipality=self.brugge, by=self.alice)

    def test_experts_and_provinces_cannot_apply(self):
        for user in (self.expert, self.paula):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.submit(by=user)

    def test_pdf_attachments_are_kept_and_other_files_refused(self):
        pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
        application = self.submit(attachments=[pdf])
        self.assertEqual(application.attachments.get().original_name, "plan.pdf")
        fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
        with self.assertRaisesMessage(ValidationError, "is geen pdf-bestand"):
            self.submit(municipality=self.brugge, attachments=[fake])
        self.assertFalse(Application.objects.filter(municipality=self.brugge).exists())

    def test_reapplication_links_to_the_earlier_one_and_closes_the_follow_up(self):
        earlier = self.submit(day=datetime.date(2021, 8, 2))
        self.decide(earlier, Status.INADMISSIBLE, reason="Onvolledig")
        services.record_referral(
            application=earlier,
            by=self.paula,
            contacted_on=datetime.date(2021, 9, 1),
            outcome=Referral.Outcome.PENDING,
        )
        again = self.submit(day=datetime.date(2021, 10, 1))
        self.assertEqual(again.previous_application, earlier)
        self.assertEqual(Referral.objects.get().outcome, Referral.Outcome.REAPPLIED)
        self.assertFalse(Application.objects.awaiting_follow_up().exists())


class MergedMunicipalityTests(BaseTestCase):
    def test_municipality_that_merged_in_2025_is_shown_then_and_now(self):
        kortessem = Municipality.objects.get(name="Kortessem")
        self.assertEqual(kortessem.valid_until, datetime.date(2024, 12, 31))
        self.assertEqual(kortessem.current.name, "Hasselt")
        self.assertEqual(kortessem.current.refnis, "71072")
        with translation.override("nl-be"):
            self.assertEqual(kortessem.display_then_and_now, "Kortessem (nu Hasselt)")
        with translation.override("en"):
            self.assertEqual(kortessem.display_then_and_now, "Kortessem (now Hasselt)")

    def test_there_were_300_flemish_municipalities_in_2021_and_285_now(self):
        self.assertEqual(Municipality.objects.valid_on(datetime.date(2021, 8, 1)).count(), 300)
        self.assertEqual(Municipality.objects.valid_on(datetime.date(2025, 1, 1)).count(), 285)
        self.assertEqual(Municipality.objects.current().count(), 285)

    def test_old_municipality_can_apply_in_2021_but_not_after_the_merger(self):
        melle = Municipality.objects.get(name="Melle")
        application = self.submit(municipality=melle)
        self.assertEqual(application.municipality.current.name, "Merelbeke-Melle")
        with self.assertRaisesMessage(ValidationError, "dien de aanvraag in als Merelbeke-Melle"):
            services.submit_application(
                programme=self.programme,
                municipality=melle,
                submitted_by=self.staff,
                contact_name="X",
                contact_email="x@example.be",
                question="?",
                received_at=at_brussels(datetime.date(2025, 2, 1)),
            )

    def test_user_of_merged_municipality_sees_the_applications_of_its_predecessors(self):
        hasselt = Municipality.objects.get(refnis="71072")
        kortessem = Municipality.objects.get(name="Kortessem")
        application = self.submit(municipality=kortessem)
        hilde = make_user("hilde", "municipality", municipality=hasselt)
        self.assertIn(application, Application.objects.visible_to(hilde))
        self.assertNotIn(application, Application.objects.visible_to(self.alice))


class NotificationTests(BaseTestCase):
    def test_decision_is_emailed_once_and_only_after_commit(self):
        application = self.submit()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.decide(application, Status.INADMISSIBLE, reason="Onvolledig dossier")
            self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        callbacks[0]()
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["contact@example.be"])
        self.assertIn("onontvankelijk", email.subject)
        self.assertIn("Reden: Onvolledig dossier", email.body)
        self.assertIsNotNone(
            Message.objects.get(application=application, subject=email.subject).sent_at
        )

    def test_no_email_when_the_transaction_rolls_back(self):
        application = self.submit()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(ValidationError):
                self.decide(application, Status.INADMISSIBLE, reason="")
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])

    def test_every_message_is_kept_for_the_municipality(self):
        application = self.submit()
        self.decide(application, Status.ADMISSIBLE)
        self.decide(application, Status.ACCEPTED)
        subjects = list(
            Message.objects.filter(municipality=self.lier).values_list("subject", flat=True)
        )
        self.assertEqual(len(subjects), 3)
        self.assertTrue(any("kan starten" in s for s in subjects))
        self.assertEqual(Transition.objects.filter(application=application).count(), 3)
