"""A second programme of three rounds, built through the services with every event on its real
date, covers each rule of the report: late applications, over capacity confirmed with a reason,
inactive and overdue trajectories, and the completion range learned from completed ones."""

import datetime
from decimal import Decimal

from profploeg.applications import services as applications
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.municipalities.models import Municipality
from profploeg.programmes import services as programmes
from profploeg.reports.status import status_report
from profploeg.test import BaseTestCase
from profploeg.trajectories import services as guidance

D = datetime.date
Status = Application.Status


class SecondProgrammeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        staff = cls.staff
        cls.second = programmes.create_programme(
            by=staff,
            title="Kernversterking 2023",
            published_on=D(2023, 1, 2),
            capacity=7,
            budget_eur=Decimal("200000.00"),
        )
        for opens_on, deadline in [
            (D(2023, 1, 2), D(2023, 2, 28)),
            (D(2023, 3, 15), D(2023, 5, 31)),
            (D(2023, 9, 1), D(2023, 10, 31)),
        ]:
            programmes.add_round(
                programme=cls.second, by=staff, opens_on=opens_on, deadline=deadline
            )
        guidance.create_offer(
            by=staff,
            programme=cls.second,
            total_eur=Decimal("200000.00"),
            capacity=7,
            average_person_days=Decimal("10.0"),
            valid_from=D(2023, 1, 2),
            valid_until=D(2025, 12, 31),
        )
        cls.eva = guidance.create_expert(
            by=staff,
            name="Eva Expert",
            organisation="Stedenbouw BV",
            day_rate_eur=Decimal("900.00"),
            rate_valid_from=D(2023, 1, 1),
        )
        places = list(
            Municipality.objects.valid_on(D(2023, 1, 1))
            .filter(province__refnis="70000")
            .order_by("refnis")[:8]
        )

        def apply(municipality, day):
            return applications.submit_application(
                programme=cls.second,
                municipality=municipality,
                submitted_by=staff,
                contact_name="Contact",
                contact_email="contact@example.be",
                question="Hoe maken we de kern bedrijviger?",
                received_at=at_brussels(day),
            )

        def accept(application, day, **kw):
            for to_status in (Status.ADMISSIBLE, Status.ACCEPTED):
                application.refresh_from_db()
                applications.change_status(
                    application=application,
                    to_status=to_status,
                    by=staff,
                    expected_version=application.version,
                    at=at_brussels(day),
                    **(kw if to_status == Status.ACCEPTED else {}),
                )

        def trajectory(application, held_on, start, end):
            return guidance.record_held_intake(
                by=staff,
                application=application,
                held_on=held_on,
                agreed_question="Leegstand",
                assignments=[guidance.PlannedAssignment(expert=cls.eva, planned_days=Decimal("8"))],
                planned_start=start,
                planned_end=end,
            )

        # Round 1: five trajectories planned for six months, completed after 0.9 to 1.5 times
        # their planned duration (the reference class).
        cls.first = []
        for index, (place, ends) in enumerate(
            zip(
                places[:5],
                [D(2023, 9, 15), D(2023, 9, 30), D(2023, 10, 30), D(2023, 11, 29), D(2023, 12, 29)],
                strict=True,
            )
        ):
            application = apply(place, D(2023, 2, 1))
            accept(application, D(2023, 3, 10))
            t = trajectory(application, D(2023, 3, 20), D(2023, 4, 1), D(2023, 9, 30))
            t = guidance.start_trajectory(by=staff, trajectory=t, on=D(2023, 4, 1))
            guidance.register_person_days(
                by=staff,
                expert=cls.eva,
                trajectory=t,
                day=D(2023, 4, 3 + index),
                days=Decimal("1.0"),
                activity="workshop",
            )
            t = guidance.advance_phase(by=staff, trajectory=t, on=D(2023, 5, 1))
            t = guidance.advance_phase(by=staff, trajectory=t, on=D(2023, 8, 1))
            guidance.complete_trajectory(
                by=staff, trajectory=t, on=ends, findings="Bevindingen", measures="Maatregelen"
            )
            cls.first.append(t)
        # Round 2: one application arrives late for round 1 (5 March, before round 2 opens).
        # Two trajectories: one goes quiet after July, one runs past its planned end.
        cls.late = apply(places[5], D(2023, 3, 5))
        cls.busy_application = apply(places[6], D(2023, 4, 10))
        accept(cls.late, D(2023, 6, 15))
        accept(cls.busy_application, D(2023, 6, 15))
        cls.quiet = trajectory(cls.late, D(2023, 6, 20), D(2023, 7, 1), D(2023, 12, 31))
        cls.busy = trajectory(cls.busy_application, D(2023, 6, 20), D(2023, 7, 1), D(2023, 12, 31))
        cls.quiet = guidance.start_trajectory(by=staff, trajectory=cls.quiet, on=D(2023, 7, 1))
        cls.busy = guidance.start_trajectory(by=staff, trajectory=cls.busy, on=D(2023, 7, 1))
        guidance.register_person_days(
            by=staff,
            expert=cls.eva,
            trajectory=cls.quiet,
            day=D(2023, 7, 10),
            days=Decimal("1.0"),
            activity="workshop",
        )
        for day in (D(2023, 7, 12), D(2023, 10, 2), D(2024, 1, 15), D(2024, 2, 10)):
            guidance.register_person_days(
                by=staff,
                expert=cls.eva,
                trajectory=cls.busy,
                day=day,
                days=Decimal("0.5"),
                activity="analysis",
            )
        # Round 3: an eighth acceptance with capacity 7 needs a confirmation and its reason.
        cls.eighth = apply(places[7], D(2023, 9, 10))

    def report(self, day):
        return status_report(programme=self.second, as_of=day)

    def accept_eighth(self, **kw):
        self.eighth.refresh_from_db()
        if self.eighth.status == Status.SUBMITTED:
            applications.change_status(
                application=self.eighth,
                to_status=Status.ADMISSIBLE,
                by=self.staff,
                expected_version=self.eighth.version,
                at=at_brussels(D(2023, 10, 1)),
            )
            self.eighth.refresh_from_db()
        applications.change_status(
            application=self.eighth,
            to_status=Status.ACCEPTED,
            by=self.staff,
            expected_version=self.eighth.version,
            at=at_brussels(D(2023, 11, 1)),
            **kw,
        )

    def test_a_late_application_is_in_round_2_before_that_round_opens(self):
        rounds = {r.number: r for r in self.report(D(2023, 3, 10)).rounds}
        self.assertEqual((rounds[1].submitted, rounds[2].submitted), (5, 1))
        self.assertEqual(rounds[2].late_from_previous_round, 1)
        self.assertEqual(rounds[2].awaiting_admissibility, 1)

    def test_accepting_beyond_capacity_needs_a_reason_and_every_output_says_so(self):
        with self.assertRaises(applications.OverCapacityError):
            self.accept_eighth()
        self.accept_eighth(confirm_over_capacity=True, reason="Minister keurde uitbreiding goed")
        before, after = self.report(D(2023, 10, 31)), self.report(D(2023, 12, 1))
        self.assertEqual(
            (before.capacity.accepted, before.capacity.over_capacity, before.capacity.remaining),
            (7, 0, 0),
        )
        self.assertEqual(
            (after.capacity.planned, after.capacity.accepted, after.capacity.over_capacity),
            (7, 8, 1),
        )
        self.assertEqual(after.capacity.remaining, 0)
        transition = self.eighth.transitions.get(to_status=Status.ACCEPTED)
        self.assertTrue(transition.over_capacity)
        self.assertEqual(transition.reason, "Minister keurde uitbreiding goed")

    def test_a_trajectory_without_registrations_for_90_days_is_inactive(self):
        # The quiet one last registered on 10 July: inactive from 8 October on.
        refnis = self.quiet.application.municipality.refnis
        for day, inactive in ((D(2023, 10, 1), 0), (D(2023, 10, 15), 1)):
            report = self.report(day)
            round2 = {r.number: r for r in report.rounds}[2]
            self.assertEqual(round2.trajectories_inactive, inactive, day)
            row = next(m for m in round2.municipalities if m.refnis == refnis)
            self.assertEqual(row.inactive, bool(inactive), day)
            self.assertEqual(
                report.budget.trajectories_inactive,
                sum(r.trajectories_inactive for r in report.rounds),
            )

    def test_running_past_the_planned_end_is_overdue_by_so_many_days(self):
        report = self.report(D(2024, 2, 15))
        round2 = {r.number: r for r in report.rounds}[2]
        self.assertEqual(round2.trajectories_overdue, 2)
        busy = next(
            m
            for m in round2.municipalities
            if m.refnis == self.busy.application.municipality.refnis
        )
        self.assertEqual(busy.trajectory_state, "overdue")
        self.assertEqual(busy.overdue_days, (D(2024, 2, 15) - D(2023, 12, 31)).days)
        self.assertEqual(busy.last_activity, D(2024, 2, 10))

    def test_the_completion_range_falls_back_to_the_plan_with_too_few_completed(self):
        budget = self.report(D(2023, 8, 1)).budget
        self.assertEqual(budget.reference_trajectories, 0)
        self.assertIsNone(budget.reference_ratio_p50)
        self.assertEqual(budget.completion_p50, D(2023, 12, 31))

    def test_the_completion_range_is_learned_from_the_completed_trajectories(self):
        budget = self.report(D(2024, 1, 15)).budget
        self.assertEqual(budget.reference_trajectories, 5)
        self.assertGreater(budget.reference_ratio_p80, budget.reference_ratio_p50)
        self.assertGreater(budget.reference_ratio_p50, Decimal("1"))
        self.assertLessEqual(budget.completion_p50, budget.completion_p80)
        self.assertGreaterEqual(budget.completion_p50, D(2024, 1, 15))
        self.assertTrue(budget.completion_drivers)
