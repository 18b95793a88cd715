import datetime
from decimal import Decimal

import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from profploeg.test import municipality
from profploeg.trajectories import services
from profploeg.trajectories.models import (
    Intake,
    IntakeNotice,
    PersonDayCorrection,
    PersonDayEntry,
    PlanChange,
    Trajectory,
)

from .base import TrajectoryTestCase

D = datetime.date


class IntakeTests(TrajectoryTestCase):
    def test_intake_invitation_is_emailed_with_ics_to_municipality_and_experts(self):
        application = self.accepted()
        self.alice.email = "alice@lier.be"
        self.alice.save()
        with self.captureOnCommitCallbacks(execute=True):
            intake = self.plan(application, experts=[self.eva, self.ed])
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(
            set(message.to),
            {"contact@example.be", "alice@lier.be", "eva@consortium.be", "ed@retail.be"},
        )
        self.assertIn("Lier", message.subject)
        name, content, mimetype = message.attachments[0]
        self.assertEqual(name, "intake.ics")
        self.assertIn("method=REQUEST", mimetype)
        self.assertIn(f"UID:{intake.uid}@profploeg", content)
        self.assertIn("SEQUENCE:0", content)
        self.assertIn("DTSTART:20211005T120000Z", content)
        self.assertIsNotNone(IntakeNotice.objects.get(intake=intake).sent_at)

    def test_rescheduled_intake_sends_an_update_with_the_same_uid_and_next_sequence(self):
        intake = self.plan(self.accepted())
        with (
            time_machine.travel(datetime.datetime(2021, 9, 25, 9, 0), tick=False),
            self.captureOnCommitCallbacks(execute=True),
        ):
            services.reschedule_intake(
                by=self.expert,
                intake=intake,
                planned_at=timezone.make_aware(datetime.datetime(2021, 10, 7, 9, 30)),
                video_url="https://meet.example.be/lier",
            )
        content = mail.outbox[-1].attachments[0][1]
        self.assertIn(f"UID:{intake.uid}@profploeg", content)
        self.assertIn("SEQUENCE:1", content)
        self.assertIn("LOCATION:https://meet.example.be/lier", content)
        self.assertTrue(mail.outbox[-1].subject.startswith("Gewijzigd"))

    def test_cancelled_intake_sends_a_cancellation_and_frees_the_application(self):
        application = self.accepted()
        intake = self.plan(application)
        with (
            time_machine.travel(datetime.datetime(2021, 9, 25, 9, 0), tick=False),
            self.captureOnCommitCallbacks(execute=True),
        ):
            services.cancel_intake(by=self.staff, intake=intake, reason="Burgemeester ziek")
        name, content, mimetype = mail.outbox[-1].attachments[0]
        self.assertIn("METHOD:CANCEL", content)
        self.assertIn("STATUS:CANCELLED", content)
        self.assertIn("SEQUENCE:1", content)
        self.assertIn("Burgemeester ziek", mail.outbox[-1].body)
        self.plan(application, when=datetime.datetime(2021, 10, 12, 10, 0))
        self.assertEqual(application.intakes.live().count(), 1)

    def test_intake_for_an_application_that_is_not_accepted_is_refused(self):
        application = self.submit()
        with self.assertRaisesMessage(ValidationError, "accepted"):
            self.plan(application)

    def test_second_live_intake_for_the_same_application_is_refused(self):
        application = self.accepted()
        self.plan(application)
        with self.assertRaisesMessage(ValidationError, "already has an intake"):
            self.plan(application)

    def test_intake_in_the_past_or_without_a_place_is_refused(self):
        application = self.accepted()
        with self.assertRaisesMessage(ValidationError, "future"):
            self.plan(application, when=datetime.datetime(2021, 9, 1, 10, 0))
        with self.assertRaisesMessage(ValidationError, "place or a video link"):
            self.plan(application, location="")

    def test_municipality_cannot_plan_an_intake(self):
        with self.assertRaises(PermissionDenied):
            services.plan_intake(
                by=self.alice,
                application=self.accepted(),
                planned_at=timezone.now() + datetime.timedelta(days=3),
                location="Stadhuis",
            )

    def test_municipality_fills_in_its_intake_form_with_the_five_bs(self):
        application = self.accepted()
        scores = {name: 3 for name in services.FIVE_B_NAMES} | {"policy": 5}
        form = services.submit_intake_form(
            by=self.alice,
            application=application,
            scores=scores,
            comments={"policy": "Sterk centrumbeleid"},
        )
        self.assertEqual(form.scores[4], ("Beleid", "Policy", 5, "Sterk centrumbeleid"))

    def test_other_municipality_cannot_fill_in_the_intake_form(self):
        scores = {name: 3 for name in services.FIVE_B_NAMES}
        with self.assertRaises(PermissionDenied):
            services.submit_intake_form(
                by=self.bob, application=self.accepted(), scores=scores, comments={}
            )

    def test_intake_form_score_outside_1_to_5_is_refused(self):
        scores = {name: 3 for name in services.FIVE_B_NAMES} | {"awareness": 6}
        with self.assertRaisesMessage(ValidationError, "from 1 to 5"):
            services.submit_intake_form(
                by=self.alice, application=self.accepted(), scores=scores, comments={}
            )

    def test_held_intake_becomes_a_planned_trajectory_with_its_experts(self):
        trajectory = self.trajectory(start=None)
        self.assertEqual(trajectory.status, Trajectory.Status.PLANNED)
        self.assertEqual(trajectory.intake.status, Intake.Status.HELD)
        self.assertEqual(
            {(a.expert.name, a.planned_days) for a in trajectory.assignments.all()},
            {("Eva Expert", Decimal("10.0")), ("Ed Detail", Decimal("5.0"))},
        )

    def test_intake_outcome_without_experts_or_with_a_start_before_the_intake_is_refused(self):
        intake = self.plan(self.accepted())
        fields = {
            "by": self.staff,
            "intake": intake,
            "held_on": D(2021, 10, 5),
            "agreed_question": "Vraag",
            "planned_end": D(2022, 9, 30),
        }
        with self.assertRaisesMessage(ValidationError, "at least one expert"):
            services.record_intake_outcome(assignments=[], planned_start=D(2022, 1, 10), **fields)
        with self.assertRaisesMessage(ValidationError, "before its intake"):
            services.record_intake_outcome(
                assignments=[services.PlannedAssignment(self.eva, Decimal("3"))],
                planned_start=D(2021, 10, 1),
                **fields,
            )


class TrajectoryLifecycleTests(TrajectoryTestCase):
    def test_trajectory_runs_through_three_phases_and_completes_with_a_closing_report(self):
        trajectory = self.trajectory()
        for day in (D(2022, 3, 1), D(2022, 6, 1)):
            trajectory = services.advance_phase(by=self.expert, trajectory=trajectory, on=day)
        self.assertEqual(trajectory.phase, Trajectory.Phase.REPORT)
        trajectory = services.complete_trajectory(
            by=self.expert,
            trajectory=trajectory,
            on=D(2022, 9, 15),
            findings="Te veel leegstand aan de rand van de kern.",
            measures="Kernversterking, pop-upbeleid.",
        )
        self.assertEqual(trajectory.status, Trajectory.Status.COMPLETED)
        self.assertEqual(trajectory.ended_on, D(2022, 9, 15))

    def test_completion_without_a_closing_report_is_refused(self):
        trajectory = self.trajectory()
        for day in (D(2022, 3, 1), D(2022, 6, 1)):
            trajectory = services.advance_phase(by=self.staff, trajectory=trajectory, on=day)
        with self.assertRaisesMessage(ValidationError, "recommended measures"):
            services.complete_trajectory(
                by=self.staff, trajectory=trajectory, on=D(2022, 9, 15), findings="x", measures=""
            )

    def test_completion_before_phase_3_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "phase 3"):
            services.complete_trajectory(
                by=self.staff,
                trajectory=self.trajectory(),
                on=D(2022, 9, 15),
                findings="x",
                measures="y",
            )

    def test_trajectory_cannot_end_before_its_last_registered_day(self):
        trajectory = self.trajectory()
        self.register(trajectory, D(2022, 2, 1))
        with self.assertRaisesMessage(ValidationError, "registered up to"):
            services.stop_trajectory(
                by=self.staff, trajectory=trajectory, on=D(2022, 1, 20), reason="Gemeente stopt"
            )

    def test_stopping_needs_a_reason(self):
        with self.assertRaisesMessage(ValidationError, "reason"):
            services.stop_trajectory(
                by=self.staff, trajectory=self.trajectory(), on=D(2022, 2, 1), reason=" "
            )

    def test_status_on_a_past_date_comes_from_the_recorded_history(self):
        trajectory = self.trajectory()
        services.advance_phase(by=self.staff, trajectory=trajectory, on=D(2022, 3, 1))
        services.stop_trajectory(
            by=self.staff, trajectory=trajectory, on=D(2022, 4, 1), reason="Fusie"
        )

        def status_on(day):
            row = Trajectory.objects.with_status_on(day).filter(pk=trajectory.pk).first()
            return row and (row.status_on, row.phase_on)

        self.assertIsNone(status_on(D(2021, 10, 4)))
        self.assertEqual(status_on(D(2021, 12, 31)), ("planned", 1))
        self.assertEqual(status_on(D(2022, 2, 1)), ("running", 1))
        self.assertEqual(status_on(D(2022, 3, 15)), ("running", 2))
        self.assertEqual(status_on(D(2022, 4, 1)), ("stopped", 2))

    def test_a_step_dated_before_the_previous_one_is_refused(self):
        trajectory = self.trajectory()
        with self.assertRaisesMessage(ValidationError, "last step"):
            services.advance_phase(by=self.staff, trajectory=trajectory, on=D(2022, 1, 1))

    def test_municipality_cannot_start_a_trajectory(self):
        with self.assertRaises(PermissionDenied):
            services.start_trajectory(
                by=self.alice, trajectory=self.trajectory(start=None), on=D(2022, 1, 10)
            )


class PersonDayTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.brugge_trajectory = cls.trajectory(cls.brugge)

    def test_expert_registers_a_half_day_at_the_rate_of_that_date(self):
        entry = services.register_person_days(
            by=self.expert,
            expert=self.eva,
            trajectory=self.lier_trajectory,
            day=D(2022, 2, 1),
            days=Decimal("0.5"),
            activity="workshop",
            note="Werksessie handelaars",
        )
        self.assertEqual(entry.rate_eur, Decimal("800.00"))
        self.assertEqual(entry.cost_eur, Decimal("400.00"))

    def test_past_entries_keep_their_rate_after_a_rate_change(self):
        before = self.register(self.lier_trajectory, D(2022, 2, 1))
        services.set_day_rate(
            by=self.staff, expert=self.eva, valid_from=D(2022, 3, 1), rate_eur=Decimal("850")
        )
        after = self.register(self.lier_trajectory, D(2022, 3, 1))
        before.refresh_from_db()
        self.assertEqual((before.rate_eur, after.rate_eur), (Decimal("800"), Decimal("850")))

    def test_more_than_one_day_per_date_over_all_trajectories_is_refused(self):
        self.register(self.lier_trajectory, D(2022, 2, 1), "0.5")
        self.register(self.brugge_trajectory, D(2022, 2, 1), "0.5")
        with self.assertRaisesMessage(ValidationError, "at most 1 day per date"):
            self.register(self.brugge_trajectory, D(2022, 2, 1), "0.5")
        self.assertEqual(PersonDayEntry.objects.count(), 2)

    def test_another_expert_on_the_same_date_is_fine(self):
        self.register(self.lier_trajectory, D(2022, 2, 1))
        self.register(self.lier_trajectory, D(2022, 2, 1), expert=self.ed)
        self.assertEqual(PersonDayEntry.objects.count(), 2)

    def test_a_date_in_the_future_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "in the future"):
            self.register(self.lier_trajectory, timezone.localdate() + datetime.timedelta(days=1))

    def test_a_date_before_the_trajectory_started_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "started on 10 January 2022"):
            self.register(self.lier_trajectory, D(2022, 1, 9))

    def test_a_date_after_the_trajectory_ended_is_refused(self):
        services.stop_trajectory(
            by=self.staff, trajectory=self.lier_trajectory, on=D(2022, 5, 1), reason="Stop"
        )
        self.lier_trajectory.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "ended on 1 May 2022"):
            self.register(self.lier_trajectory, D(2022, 5, 2))

    def test_an_expert_not_assigned_to_the_trajectory_is_refused(self):
        trajectory = self.trajectory(municipality("Gent"), ed_days=None)
        with self.assertRaisesMessage(ValidationError, "Ed Detail is not assigned"):
            self.register(trajectory, D(2022, 2, 1), expert=self.ed)

    def test_an_expert_cannot_register_days_for_another_expert(self):
        with self.assertRaises(PermissionDenied):
            services.register_person_days(
                by=self.ed_user,
                expert=self.eva,
                trajectory=self.lier_trajectory,
                day=D(2022, 2, 1),
                days=Decimal("1"),
                activity="analysis",
            )

    def test_staff_correction_is_audited_with_old_and_new_values(self):
        entry = self.register(self.lier_trajectory, D(2022, 2, 1))
        services.correct_person_days(
            by=self.staff2, entry=entry, days=Decimal("0.5"), reason="Halve dag volgens agenda"
        )
        correction = PersonDayCorrection.objects.get()
        self.assertEqual(
            (correction.old_days, correction.new_days, correction.by, correction.reason),
            (Decimal("1.0"), Decimal("0.5"), self.staff2, "Halve dag volgens agenda"),
        )

    def test_correction_cannot_break_the_one_day_rule(self):
        self.register(self.brugge_trajectory, D(2022, 2, 2), "0.5")
        entry = self.register(self.lier_trajectory, D(2022, 2, 1))
        with self.assertRaisesMessage(ValidationError, "at most 1 day per date"):
            services.correct_person_days(by=self.staff, entry=entry, day=D(2022, 2, 2), reason="x")

    def test_an_expert_cannot_correct_entries(self):
        entry = self.register(self.lier_trajectory, D(2022, 2, 1))
        with self.assertRaises(PermissionDenied):
            services.correct_person_days(
                by=self.expert, entry=entry, days=Decimal("0.5"), reason="x"
            )

    def test_removal_keeps_what_the_entry_was(self):
        entry = self.register(self.lier_trajectory, D(2022, 2, 1))
        services.remove_person_days(by=self.staff, entry=entry, reason="Dubbel ingegeven")
        correction = PersonDayCorrection.objects.get()
        self.assertEqual((correction.old_date, correction.new_days), (D(2022, 2, 1), None))
        self.assertFalse(PersonDayEntry.objects.exists())


class OfferTests(TrajectoryTestCase):
    def test_every_date_uses_the_total_in_force_on_that_date(self):
        services.amend_offer(
            by=self.staff,
            offer=self.offer,
            effective_on=D(2022, 5, 20),
            total_eur=Decimal("2040000"),
            capacity=113,
            reason="Extra middelen voor ongeveer 30 gemeenten",
        )
        self.assertEqual(self.offer.in_force_on(D(2022, 5, 19)), (Decimal("1500000"), 83))
        self.assertEqual(self.offer.in_force_on(D(2022, 5, 20)), (Decimal("2040000"), 113))

    def test_amendment_moves_the_programme_to_the_figures_in_force_today(self):
        services.amend_offer(
            by=self.staff,
            offer=self.offer,
            effective_on=D(2022, 5, 20),
            total_eur=Decimal("2040000"),
            capacity=113,
            reason="Derde ronde",
        )
        self.programme.refresh_from_db()
        self.assertEqual((self.programme.budget_eur, self.programme.capacity), (2040000, 113))

    def test_amendment_needs_a_reason_and_staff(self):
        with self.assertRaisesMessage(ValidationError, "why"):
            services.amend_offer(
                by=self.staff,
                offer=self.offer,
                effective_on=D(2022, 5, 20),
                total_eur=Decimal("2"),
                capacity=1,
                reason="",
            )
        with self.assertRaises(PermissionDenied):
            services.amend_offer(
                by=self.expert,
                offer=self.offer,
                effective_on=D(2022, 5, 20),
                total_eur=Decimal("2"),
                capacity=1,
                reason="x",
            )

    def test_a_second_rate_on_the_same_date_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "already has a rate"):
            services.set_day_rate(
                by=self.staff, expert=self.eva, valid_from=D(2021, 6, 1), rate_eur=Decimal("900")
            )


class PlanHistoryTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)

    def assign(self, **kw):
        fields = {"by": self.staff, "trajectory": self.lier_trajectory, "expert": self.eva}
        return services.assign_expert(**{**fields, "planned_days": Decimal("12"), **kw})

    def test_the_intake_records_the_first_plan_of_each_expert(self):
        changes = PlanChange.objects.filter(assignment__trajectory=self.lier_trajectory)
        self.assertEqual(
            sorted((c.assignment.expert.name, c.planned_days, c.effective_on) for c in changes),
            [
                ("Ed Detail", Decimal("5.0"), D(2021, 10, 5)),
                ("Eva Expert", Decimal("10.0"), D(2021, 10, 5)),
            ],
        )

    def test_a_plan_change_is_kept_with_its_date_and_reason(self):
        assignment = self.assign(on=D(2022, 3, 1), reason="Extra workshop")
        self.assertEqual(assignment.planned_days, Decimal("12"))
        change = assignment.plan_changes.latest("effective_on")
        self.assertEqual(
            (change.effective_on, change.reason, change.by),
            (D(2022, 3, 1), "Extra workshop", self.staff),
        )
        self.assertEqual(assignment.plan_changes.count(), 2)

    def test_a_plan_cannot_take_effect_in_the_future(self):
        with self.assertRaisesMessage(ValidationError, "is in the future"):
            self.assign(on=timezone.localdate() + datetime.timedelta(days=1))

    def test_a_plan_cannot_take_effect_before_the_intake(self):
        with self.assertRaisesMessage(ValidationError, "a plan cannot take effect earlier"):
            self.assign(on=D(2021, 10, 4))

    def test_a_plan_cannot_take_effect_before_the_last_change(self):
        self.assign(on=D(2022, 3, 1))
        with self.assertRaisesMessage(ValidationError, "last changed on 1 March 2022"):
            self.assign(on=D(2022, 2, 1))

    def test_a_new_expert_is_assigned_from_the_date_given(self):
        third = services.create_expert(
            by=self.staff,
            name="Derde",
            organisation="Juridisch CV",
            day_rate_eur=Decimal("500"),
            rate_valid_from=D(2021, 6, 1),
        )
        assignment = self.assign(expert=third, on=D(2022, 4, 1))
        self.assertEqual(assignment.assigned_on, D(2022, 4, 1))

    def test_an_expert_cannot_change_planned_days_not_even_their_own(self):
        with self.assertRaises(PermissionDenied):
            self.assign(by=self.expert, planned_days=Decimal("99999.5"))

    def test_only_staff_set_the_expected_end(self):
        with self.assertRaises(PermissionDenied):
            services.set_expected_end(
                by=self.expert,
                trajectory=self.lier_trajectory,
                expected_end=D(2030, 1, 1),
                reason="x",
            )
        with self.assertRaisesMessage(ValidationError, "Say why"):
            services.set_expected_end(
                by=self.staff,
                trajectory=self.lier_trajectory,
                expected_end=D(2030, 1, 1),
                reason=" ",
            )


class ExpertPermissionTests(TrajectoryTestCase):
    """Eva and Ed are assigned to Lier; only Eva to Brugge."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.brugge_trajectory = cls.trajectory(cls.brugge, ed_days=None)

    def test_an_expert_cannot_register_days_for_another_expert(self):
        with self.assertRaisesMessage(PermissionDenied, "only register your own"):
            services.register_person_days(
                by=self.ed_user,
                expert=self.eva,
                trajectory=self.lier_trajectory,
                day=D(2022, 2, 1),
                days=Decimal("1"),
                activity="analysis",
            )

    def test_an_expert_cannot_register_days_on_a_trajectory_not_theirs(self):
        with self.assertRaisesMessage(ValidationError, "is not assigned to"):
            services.register_person_days(
                by=self.ed_user,
                expert=self.ed,
                trajectory=self.brugge_trajectory,
                day=D(2022, 2, 1),
                days=Decimal("1"),
                activity="analysis",
            )

    def test_an_expert_not_assigned_cannot_step_or_stop_a_trajectory(self):
        for step in (
            lambda: services.advance_phase(
                by=self.ed_user, trajectory=self.brugge_trajectory, on=D(2022, 2, 1)
            ),
            lambda: services.stop_trajectory(
                by=self.ed_user, trajectory=self.brugge_trajectory, on=D(2022, 2, 1), reason="Weg"
            ),
        ):
            with self.assertRaisesMessage(PermissionDenied, "experts assigned to this trajectory"):
                step()

    def test_an_assigned_expert_takes_the_steps_of_their_trajectory(self):
        trajectory = services.advance_phase(
            by=self.ed_user, trajectory=self.lier_trajectory, on=D(2022, 2, 1)
        )
        self.assertEqual(trajectory.phase, 2)

    def test_an_expert_not_invited_cannot_record_an_intake(self):
        intake = self.plan(self.accepted(municipality("Gent")), experts=[self.eva])
        with self.assertRaisesMessage(PermissionDenied, "experts invited to this intake"):
            services.record_intake_outcome(
                by=self.ed_user,
                intake=intake,
                held_on=D(2021, 10, 5),
                agreed_question="Vraag",
                assignments=[services.PlannedAssignment(self.ed, Decimal("99999.5"))],
                planned_start=D(2022, 1, 10),
                planned_end=D(2022, 9, 30),
            )


class ExpertPlanCeilingTests(TrajectoryTestCase):
    """Issue 12: an expert planned 99,999.5 days. The offer is priced on 20 days a trajectory."""

    def setUp(self):
        self.intake = self.plan(self.accepted(municipality("Gent")), experts=[self.eva, self.ed])

    def record(self, by, *planned: str):
        return services.record_intake_outcome(
            by=by,
            intake=self.intake,
            held_on=D(2021, 10, 5),
            agreed_question="Vraag",
            assignments=[
                services.PlannedAssignment(expert, Decimal(days))
                for expert, days in zip((self.eva, self.ed), planned, strict=False)
            ],
            planned_start=D(2022, 1, 10),
            planned_end=D(2022, 9, 30),
        )

    def test_an_invited_expert_plans_up_to_the_offers_average_trajectory(self):
        trajectory = self.record(self.ed_user, "12", "8")
        self.assertEqual(
            sum(a.planned_days for a in trajectory.assignments.all()),
            self.offer.average_person_days,
        )

    def test_a_larger_plan_of_an_expert_is_refused_and_nothing_is_written(self):
        for planned in (("99999.5",), ("12", "8.5")):
            with self.subTest(planned=planned):
                with self.assertRaisesMessage(
                    ValidationError, "een groter plan spreken programmamedewerkers af"
                ):
                    self.record(self.ed_user, *planned)
        self.assertFalse(Trajectory.objects.filter(intake=self.intake).exists())
        self.intake.refresh_from_db()
        self.assertEqual(self.intake.status, Intake.Status.PLANNED)

    def test_staff_may_agree_a_larger_plan(self):
        trajectory = self.record(self.staff, "30")
        self.assertEqual(trajectory.assignments.get().planned_days, Decimal("30"))


class RegistrationOutsideTheOfferTests(TrajectoryTestCase):
    """Lier is planned from 10 January to 30 September 2022."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)

    def register_on(self, day):
        return self.register(self.lier_trajectory, day)

    def test_a_day_after_the_offers_validity_is_refused(self):
        self.offer.valid_until = D(2022, 6, 30)
        self.offer.save()
        with self.assertRaisesMessage(
            ValidationError, "after the offer's validity (until 30 June 2022)"
        ):
            self.register_on(D(2022, 7, 1))
        self.register_on(D(2022, 6, 30))

    def test_a_day_before_the_start_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "started on 10 January 2022"):
            self.register_on(D(2022, 1, 9))

    def test_a_day_after_the_end_is_refused(self):
        services.stop_trajectory(
            by=self.staff, trajectory=self.lier_trajectory, on=D(2022, 3, 1), reason="Fusie"
        )
        self.lier_trajectory.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "ended on 1 March 2022"):
            self.register_on(D(2022, 3, 2))

    def test_a_day_long_after_the_planned_end_needs_an_expected_end_from_staff(self):
        self.register_on(D(2022, 12, 29))
        with self.assertRaisesMessage(
            ValidationError, "ask programme staff to set its expected end"
        ):
            self.register_on(D(2022, 12, 30))
        services.set_expected_end(
            by=self.staff,
            trajectory=self.lier_trajectory,
            expected_end=D(2023, 3, 31),
            reason="Participatietraject loopt uit",
            on=D(2022, 12, 1),
        )
        self.register_on(D(2022, 12, 30))

    def test_the_import_refuses_the_same_days_with_the_rule(self):
        row = services.ImportRow(
            number=2,
            day=D(2023, 1, 15),
            trajectory=self.lier_trajectory,
            days=Decimal("1"),
            activity="analysis",
            note="",
            problems=(),
        )
        with self.assertRaisesMessage(
            ValidationError, "Row 2: 15 January 2023 is more than 90 days"
        ):
            services.import_person_days(by=self.staff, expert=self.eva, rows=[row])

    def test_staff_correct_an_old_entry_on_its_own_date_after_the_offer_ended(self):
        entry = self.register_on(D(2022, 6, 1))
        self.offer.valid_until = D(2022, 5, 31)
        self.offer.save()
        corrected = services.correct_person_days(
            by=self.staff, entry=entry, reason="Halve dag", days=Decimal("0.5")
        )
        self.assertEqual(corrected.days, Decimal("0.5"))
        with self.assertRaisesMessage(ValidationError, "after the offer's validity"):
            services.correct_person_days(
                by=self.staff, entry=entry, reason="Andere dag", day=D(2022, 6, 2)
            )
