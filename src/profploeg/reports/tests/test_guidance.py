import datetime
from decimal import Decimal

from django.urls import reverse

from profploeg.reports.status import status_report
from profploeg.trajectories import services
from profploeg.trajectories.tests.base import TrajectoryTestCase

D = datetime.date


class GuidanceInStatusReportTests(TrajectoryTestCase):
    """Lier's trajectory: intake 5 October 2021, start 10 January 2022, one day of Eva."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.register(cls.lier_trajectory, D(2022, 2, 1))

    def test_round_has_intakes_trajectories_person_days_and_cost_on_the_date(self):
        report = status_report(programme=self.programme, as_of=D(2022, 2, 28))
        round1 = report.rounds[0]
        self.assertEqual(
            (
                round1.intakes_held,
                round1.first_intake,
                round1.trajectories_started,
                round1.trajectories_completed,
                round1.person_days_planned,
                round1.person_days_consumed,
                round1.consumed_eur,
            ),
            (1, D(2021, 10, 5), 1, 0, Decimal("15.0"), Decimal("1.0"), Decimal("800.00")),
        )
        self.assertIsNotNone(round1.expected_completion_p50)

    def test_municipality_row_has_its_trajectory(self):
        report = status_report(programme=self.programme, as_of=D(2022, 2, 28))
        row = report.rounds[0].municipalities[0]
        self.assertEqual(row.trajectory_state, "running")
        self.assertEqual(row.consumed_eur, Decimal("800.00"))
        self.assertEqual([e.name for e in row.experts], ["Ed Detail", "Eva Expert"])

    def test_programme_budget_on_the_date(self):
        budget = status_report(programme=self.programme, as_of=D(2022, 2, 28)).budget
        self.assertEqual(
            (
                budget.total_eur,
                budget.committed_eur,
                budget.consumed_eur,
                budget.remaining_eur,
                budget.forecast_at_completion_eur,
            ),
            (
                Decimal("1500000.00"),
                Decimal("13000.00"),
                Decimal("800.00"),
                Decimal("1487000.00"),
                Decimal("13000.00"),
            ),
        )

    def test_before_the_intake_nothing_is_held_or_spent(self):
        round1 = status_report(programme=self.programme, as_of=D(2021, 9, 30)).rounds[0]
        self.assertEqual((round1.intakes_held, round1.consumed_eur), (0, 0))


class ExpectedEndInStatusReportTests(TrajectoryTestCase):
    def test_an_expected_end_set_by_staff_wins_visibly_from_its_date_on(self):
        trajectory = self.trajectory(self.lier)
        services.set_expected_end(
            by=self.staff,
            trajectory=trajectory,
            expected_end=D(2022, 12, 15),
            reason="Gemeenteraad pas in december",
            on=D(2022, 6, 1),
        )
        before = status_report(programme=self.programme, as_of=D(2022, 5, 31))
        after = status_report(programme=self.programme, as_of=D(2022, 6, 30))
        row = before.rounds[0].municipalities[0]
        self.assertEqual((row.expected_end_set_by_staff, row.expected_end_reason), (False, ""))
        row = after.rounds[0].municipalities[0]
        self.assertEqual(
            (row.expected_end_set_by_staff, row.expected_end_reason, row.expected_completion_p50),
            (True, "Gemeenteraad pas in december", D(2022, 12, 15)),
        )
        self.client.force_login(self.staff)
        page = self.client.get(
            reverse("reports:status", args=[self.programme.pk]), {"as_of": "2022-06-30"}
        )
        self.assertContains(page, "Gemeenteraad pas in december")
