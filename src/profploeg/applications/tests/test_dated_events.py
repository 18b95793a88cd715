"""Every event on its real date: decisions, withdrawals and paper applications recorded later
keep the moment they took effect, the moment they were recorded, and their order."""

import datetime

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from profploeg.applications import services
from profploeg.applications.models import Application, Message, Transition
from profploeg.lib.dates import at_brussels
from profploeg.test import make_programme, make_round

from .base import PageTestCase

Status = Application.Status
D = datetime.date
TODAY = D(2026, 11, 29)


class DatedTestCase(PageTestCase):
    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(at_brussels(TODAY, 15), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        translation.activate("en")
        self.addCleanup(translation.deactivate)


class BackdatedDecisionTests(DatedTestCase):
    def test_a_decision_keeps_its_effective_moment_and_when_it_was_recorded(self):
        application = self.submit(day=D(2021, 8, 2))

        self.decide(application, Status.ADMISSIBLE, at=at_brussels(D(2021, 8, 20), 14))

        step = application.transitions.get(to_status=Status.ADMISSIBLE)
        self.assertEqual(step.at, at_brussels(D(2021, 8, 20), 14))
        self.assertEqual(step.recorded_at, at_brussels(TODAY, 15))
        self.assertTrue(step.is_backdated)
        self.assertEqual(
            list(
                Application.objects.filter(pk=application.pk)
                .with_status_on(D(2021, 8, 21))
                .values_list("status_on", flat=True)
            ),
            [Status.ADMISSIBLE],
        )

    def test_a_decision_now_is_not_backdated(self):
        application = self.submit(day=D(2021, 8, 2))
        self.decide(application, Status.ADMISSIBLE)
        self.assertFalse(application.transitions.last().is_backdated)

    def test_a_decision_in_the_future_is_refused_with_the_rule(self):
        application = self.submit(day=D(2021, 8, 2))
        with self.assertRaisesMessage(ValidationError, "cannot take effect in the future"):
            self.decide(application, Status.ADMISSIBLE, at=at_brussels(TODAY, 16))
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)

    def test_a_decision_before_the_application_was_received_is_refused(self):
        application = self.submit(day=D(2021, 8, 2))
        with self.assertRaisesMessage(ValidationError, "before the application was received"):
            self.decide(application, Status.ADMISSIBLE, at=at_brussels(D(2021, 8, 1)))

    def test_a_decision_before_the_previous_step_is_refused_so_the_history_stays_in_order(self):
        application = self.submit(day=D(2021, 8, 2))
        self.decide(application, Status.ADMISSIBLE, at=at_brussels(D(2021, 8, 20)))
        with self.assertRaisesMessage(ValidationError, "The history stays in order"):
            self.decide(application, Status.ACCEPTED, at=at_brussels(D(2021, 8, 19)))
        self.decide(application, Status.ACCEPTED, at=at_brussels(D(2021, 8, 20)))
        application.refresh_from_db()
        self.assertEqual(application.status, Status.ACCEPTED)

    def test_the_message_names_the_effective_date_and_is_sent_now(self):
        application = self.submit(day=D(2021, 8, 2))
        self.decide(
            application, Status.INADMISSIBLE, reason="Onvolledig.", at=at_brussels(D(2021, 8, 20))
        )
        message = Message.objects.get(application=application, subject__contains="onontvankelijk")
        self.assertIn("(beslissing van 20 augustus 2021)", message.body)

    def test_a_municipality_cannot_backdate_its_withdrawal(self):
        application = self.submit(day=D(2021, 8, 2))
        with self.assertRaises(PermissionDenied):
            self.decide(application, Status.WITHDRAWN, by=self.alice, at=at_brussels(D(2021, 8, 3)))


class WithdrawalOnPaperTests(DatedTestCase):
    def test_staff_record_a_withdrawal_by_letter_on_its_date(self):
        application = self.submit(day=D(2021, 8, 2))

        self.decide(
            application,
            Status.WITHDRAWN,
            channel=Transition.Channel.LETTER,
            at=at_brussels(D(2021, 8, 9)),
        )

        step = application.transitions.get(to_status=Status.WITHDRAWN)
        self.assertEqual((step.by, step.channel), (self.staff, "letter"))
        self.assertEqual(step.at, at_brussels(D(2021, 8, 9)))
        body = Message.objects.get(application=application, subject__contains="ingetrokken").body
        self.assertIn("op 9 augustus 2021 ingetrokken", body)

    def test_staff_must_say_how_the_withdrawal_came_in(self):
        application = self.submit(day=D(2021, 8, 2))
        with self.assertRaisesMessage(ValidationError, "Say how the municipality's withdrawal"):
            self.decide(application, Status.WITHDRAWN)

    def test_the_municipality_gives_no_channel(self):
        application = self.submit(day=D(2021, 8, 2))
        with self.assertRaisesMessage(ValidationError, "Only a withdrawal recorded by programme"):
            self.decide(application, Status.WITHDRAWN, by=self.alice, channel="letter")

    def test_a_withdrawal_after_the_admissibility_check_is_still_refused(self):
        application = self.submit(day=D(2021, 8, 2))
        self.decide(application, Status.ADMISSIBLE, at=at_brussels(D(2021, 8, 5)))
        with self.assertRaisesMessage(ValidationError, "cannot become withdrawn"):
            self.decide(application, Status.WITHDRAWN, channel="email")

    def test_staff_record_it_on_the_page(self):
        application = self.submit(day=D(2021, 8, 2))
        self.client.force_login(self.staff)
        page = self.client.get(reverse("applications:detail", args=[application.pk]))
        self.assertContains(page, "Withdrawal received by letter, email or phone")

        response = self.client.post(
            reverse("applications:withdraw", args=[application.pk]),
            {"version": 1, "channel": "phone", "at_0": "2021-08-09", "at_1": "11:30"},
            follow=True,
        )

        self.assertContains(response, "The withdrawal was recorded.")
        step = application.transitions.get(to_status=Status.WITHDRAWN)
        self.assertEqual(step.at, at_brussels(D(2021, 8, 9), 11, 30))
        self.assertEqual(step.channel, "phone")
        self.assertContains(response, "received by phone")
        self.assertContains(response, "on 9 August 2021, recorded on 29 November 2026 by Sam Staff")

    def test_a_withdrawal_before_receipt_on_the_page_gives_the_rule_on_the_field(self):
        application = self.submit(day=D(2021, 8, 2))
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("applications:withdraw", args=[application.pk]),
            {"version": 1, "channel": "letter", "at_0": "2021-07-30"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "before the application was received", status_code=400)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)


class DecisionPageTests(DatedTestCase):
    def test_staff_give_the_date_and_time_of_a_decision_on_the_page(self):
        application = self.submit(day=D(2021, 8, 2))
        self.client.force_login(self.staff)

        response = self.client.post(
            reverse("applications:decide", args=[application.pk]),
            {"to_status": "admissible", "version": 1, "at_0": "2025-03-05", "at_1": "14:15"},
            follow=True,
        )

        step = application.transitions.get(to_status=Status.ADMISSIBLE)
        self.assertEqual(step.at, at_brussels(D(2025, 3, 5), 14, 15))
        self.assertContains(response, "on 5 March 2025, recorded on 29 November 2026 by Sam Staff")

    def test_a_date_without_a_time_counts_at_noon_and_no_date_means_now(self):
        application = self.submit(day=D(2021, 8, 2))
        self.client.force_login(self.staff)
        self.client.post(
            reverse("applications:decide", args=[application.pk]),
            {"to_status": "admissible", "version": 1, "at_0": "2021-08-20"},
        )
        self.client.post(
            reverse("applications:decide", args=[application.pk]),
            {"to_status": "accepted", "version": 2},
        )
        steps = list(application.transitions.values_list("at", flat=True))
        self.assertEqual(steps[1:], [at_brussels(D(2021, 8, 20), 12), at_brussels(TODAY, 15)])

    def test_a_future_decision_on_the_page_shows_the_rule_and_changes_nothing(self):
        application = self.submit(day=D(2021, 8, 2))
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("applications:decide", args=[application.pk]),
            {"to_status": "admissible", "version": 1, "at_0": "2026-12-01"},
        )
        self.assertContains(response, "cannot take effect in the future")
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)


class OverCapacityTests(DatedTestCase):
    def setUp(self):
        super().setUp()
        self.small = make_programme(title="Klein", capacity=1)
        make_round(self.small, opens_on=D(2022, 1, 3), deadline=D(2022, 3, 31))

    def admissible(self, municipality, day=None):
        day = day or D(2022, 2, 1)
        application = services.submit_application(
            programme=self.small,
            municipality=municipality,
            submitted_by=self.staff,
            contact_name="C",
            contact_email="c@example.be",
            question="Vraag",
            received_at=at_brussels(day),
        )
        return self.decide(application, Status.ADMISSIBLE, at=at_brussels(day, 11))

    def test_accepting_beyond_capacity_is_refused_without_a_confirmation(self):
        first = self.admissible(self.lier)
        second = self.admissible(self.brugge)
        self.decide(first, Status.ACCEPTED, at=at_brussels(D(2022, 2, 10)))

        with self.assertRaises(services.OverCapacityError) as refused:
            self.decide(second, Status.ACCEPTED, at=at_brussels(D(2022, 2, 11)))
        self.assertIn("1 accepted applications for a capacity of 1", refused.exception.messages[0])

        with self.assertRaisesMessage(ValidationError, "Give the reason for accepting over"):
            self.decide(
                second, Status.ACCEPTED, at=at_brussels(D(2022, 2, 11)), confirm_over_capacity=True
            )
        self.decide(
            second,
            Status.ACCEPTED,
            at=at_brussels(D(2022, 2, 11)),
            confirm_over_capacity=True,
            reason="Extra budget toegezegd door de minister.",
        )
        step = second.transitions.get(to_status=Status.ACCEPTED)
        self.assertTrue(step.over_capacity)
        self.assertEqual(step.reason, "Extra budget toegezegd door de minister.")
        self.assertFalse(first.transitions.get(to_status=Status.ACCEPTED).over_capacity)

    def test_capacity_counts_the_accepted_applications_on_the_decision_date(self):
        first = self.admissible(self.lier)
        second = self.admissible(self.brugge)
        self.decide(first, Status.ACCEPTED, at=at_brussels(D(2022, 2, 10)))
        # On 5 February nothing was accepted yet: within capacity on that date.
        self.decide(second, Status.ACCEPTED, at=at_brussels(D(2022, 2, 5)))
        self.assertFalse(second.transitions.get(to_status=Status.ACCEPTED).over_capacity)

    def test_the_offer_in_force_on_the_date_sets_the_capacity(self):
        from decimal import Decimal

        from profploeg.trajectories import services as trajectory_services

        offer = trajectory_services.create_offer(
            by=self.staff,
            programme=self.small,
            total_eur=Decimal("100000"),
            capacity=1,
            average_person_days=Decimal("10"),
            valid_from=D(2022, 1, 1),
        )
        trajectory_services.amend_offer(
            by=self.staff,
            offer=offer,
            effective_on=D(2022, 3, 1),
            total_eur=Decimal("200000"),
            capacity=2,
            reason="Derde ronde",
        )
        first = self.admissible(self.lier)
        second = self.admissible(self.brugge)
        self.decide(first, Status.ACCEPTED, at=at_brussels(D(2022, 2, 10)))
        with self.assertRaises(services.OverCapacityError):
            self.decide(second, Status.ACCEPTED, at=at_brussels(D(2022, 2, 28)))
        self.decide(second, Status.ACCEPTED, at=at_brussels(D(2022, 3, 1)))
        self.assertFalse(second.transitions.get(to_status=Status.ACCEPTED).over_capacity)

    def test_the_page_warns_and_asks_for_the_confirmation(self):
        first = self.admissible(self.lier)
        second = self.admissible(self.brugge)
        self.decide(first, Status.ACCEPTED, at=at_brussels(D(2022, 2, 10)))
        self.client.force_login(self.staff)
        url = reverse("applications:detail", args=[second.pk])

        page = self.client.get(url)
        self.assertContains(page, "accepting this one goes over capacity")
        self.assertContains(page, 'name="confirm_over_capacity"')

        decide = reverse("applications:decide", args=[second.pk])
        refused = self.client.post(decide, {"to_status": "accepted", "version": 2})
        self.assertContains(refused, "Confirm that you accept over capacity")
        self.client.post(
            decide,
            {
                "to_status": "accepted",
                "version": 2,
                "confirm_over_capacity": "on",
                "reason": "Minister keurt goed.",
            },
        )
        second.refresh_from_db()
        self.assertEqual(second.status, Status.ACCEPTED)
        self.assertContains(self.client.get(url), "over capacity, confirmed")


class PaperApplicationTests(DatedTestCase):
    def url(self):
        return reverse("applications:record", args=[self.programme.pk])

    def body(self, **kw):
        body = {
            "municipality": self.lier.pk,
            "received_at_0": "2021-08-20",
            "received_at_1": "09:30",
            "contact_name": "Lien Peeters",
            "contact_email": "lien@lier.be",
            "question": "Onze kern heeft leegstand.",
        }
        body.update(kw)
        return body

    def test_staff_record_a_late_paper_application_in_the_next_round(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(self.url()).status_code, 200)

        response = self.client.post(self.url(), self.body(), follow=True)

        application = Application.objects.get()
        self.assertEqual(application.round, self.round2)
        self.assertEqual(application.submitted_at, at_brussels(D(2021, 8, 20), 9, 30))
        self.assertContains(response, "The application of Lier was recorded")
        self.assertContains(response, "placed in the next round, round 2")
        self.assertContains(response, "on 20 August 2021, recorded on 29 November 2026 by Sam")
        body = Message.objects.get(application=application).body
        self.assertIn("goed ontvangen op 20 augustus 2021", body)

    def test_a_paper_application_received_in_the_future_is_refused(self):
        self.client.force_login(self.staff)
        response = self.client.post(self.url(), self.body(received_at_0="2026-12-24"))
        self.assertContains(response, "An application cannot be received in the future.")
        self.assertFalse(Application.objects.exists())

    def test_only_staff_record_paper_applications(self):
        for user in (self.alice, self.expert, self.paula):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 403)
