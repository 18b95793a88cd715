import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from profploeg.test import municipality
from profploeg.trajectories import services
from profploeg.trajectories.monitor import budget_monitor

from .base import TrajectoryTestCase

D = datetime.date


class BudgetMonitorTests(TrajectoryTestCase):
    """Lier and Brugge each plan 10 days of Eva (€ 800) and 5 of Ed (€ 1,000): € 13,000."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.brugge_trajectory = cls.trajectory(cls.brugge)
        cls.register(cls.lier_trajectory, D(2022, 2, 1), "1.0")
        cls.register(cls.lier_trajectory, D(2022, 2, 2), "0.5", expert=cls.ed)

    def monitor(self, day):
        return budget_monitor(programme=self.programme, as_of=day)

    def test_committed_consumed_and_remaining_on_a_date(self):
        monitor = self.monitor(D(2022, 2, 28))
        self.assertEqual(monitor.total_eur, Decimal("1500000.00"))
        self.assertEqual(monitor.totals.committed_eur, Decimal("26000.00"))
        self.assertEqual(monitor.totals.consumed_eur, Decimal("1300.00"))
        self.assertEqual(monitor.remaining_eur, Decimal("1474000.00"))
        self.assertEqual(monitor.totals.consumed_days, Decimal("1.5"))
        self.assertEqual(monitor.totals.planned_days, Decimal("30.0"))
        lier = next(m for m in monitor.municipalities if m.label == "Lier")
        self.assertEqual(
            (lier.consumed_eur, lier.committed_eur), (Decimal("1300"), Decimal("13000"))
        )

    def test_a_rate_change_moves_committed_but_not_consumed(self):
        services.set_day_rate(
            by=self.staff, expert=self.eva, valid_from=D(2022, 3, 1), rate_eur=Decimal("900")
        )
        before, after = self.monitor(D(2022, 2, 28)), self.monitor(D(2022, 3, 31))
        self.assertEqual(before.totals.committed_eur, Decimal("26000.00"))
        self.assertEqual(after.totals.committed_eur, Decimal("28000.00"))
        self.assertEqual(after.totals.consumed_eur, Decimal("1300.00"))

    def test_a_stopped_trajectory_frees_what_it_did_not_use(self):
        services.stop_trajectory(
            by=self.staff, trajectory=self.brugge_trajectory, on=D(2022, 3, 15), reason="Fusie"
        )
        self.assertEqual(self.monitor(D(2022, 3, 14)).totals.committed_eur, Decimal("26000"))
        monitor = self.monitor(D(2022, 3, 15))
        self.assertEqual(monitor.totals.committed_eur, Decimal("13000.00"))
        self.assertEqual(monitor.totals.stopped, 1)

    def test_the_total_in_force_on_the_date_is_used(self):
        services.amend_offer(
            by=self.staff,
            offer=self.offer,
            effective_on=D(2022, 5, 20),
            total_eur=Decimal("2040000"),
            capacity=113,
            reason="Derde ronde",
        )
        self.assertEqual(self.monitor(D(2022, 5, 19)).total_eur, Decimal("1500000"))
        monitor = self.monitor(D(2022, 6, 30))
        self.assertEqual((monitor.total_eur, monitor.capacity), (Decimal("2040000"), 113))
        self.assertEqual(monitor.burnup[-1].total_eur, Decimal("2040000"))
        self.assertEqual(monitor.burnup[0].total_eur, Decimal("1500000"))

    def test_before_the_intakes_there_is_nothing_committed(self):
        monitor = self.monitor(D(2021, 10, 4))
        self.assertEqual(monitor.lines, [])
        self.assertEqual(monitor.totals.committed_eur, Decimal("0"))

    def test_forecast_counts_an_average_trajectory_for_accepted_applications_without_one(self):
        self.accepted(municipality("Gent"))
        monitor = self.monitor(D(2022, 2, 28))
        self.assertEqual(monitor.without_trajectory, 1)
        # The offer's 20 average days at the average planned rate (26,000 / 30 days).
        self.assertEqual(monitor.average_trajectory_eur, Decimal("17333.33"))
        self.assertEqual(monitor.forecast_at_completion_eur, Decimal("43333.33"))
        self.assertFalse(monitor.forecast_exceeds_total)
        self.assertEqual(monitor.room_in_average_trajectories, 84)

    def test_a_forecast_over_the_total_raises_the_warning(self):
        services.amend_offer(
            by=self.staff,
            offer=self.offer,
            effective_on=D(2022, 2, 1),
            total_eur=Decimal("20000"),
            capacity=2,
            reason="Test",
        )
        monitor = self.monitor(D(2022, 2, 28))
        self.assertTrue(monitor.forecast_exceeds_total)
        self.assertEqual(monitor.room_in_average_trajectories, 0)

    def test_expected_completion_follows_the_observed_pace(self):
        monitor = self.monitor(D(2022, 2, 28))
        lier = next(line for line in monitor.lines if line.municipality == "Lier")
        brugge = next(line for line in monitor.lines if line.municipality == "Brugge")
        # Lier: 1.5 days in 50 calendar days; 13.5 left at 0.03 a day is 450 days.
        self.assertEqual(lier.expected_completion, D(2022, 2, 28) + datetime.timedelta(days=450))
        # Brugge registered nothing yet: the planned pace, 15 days over 263 calendar days.
        self.assertEqual(brugge.expected_completion, D(2022, 2, 28) + datetime.timedelta(days=263))
        self.assertEqual(monitor.expected_completion, lier.expected_completion)

    def test_per_round_figures_include_intakes(self):
        round1 = self.monitor(D(2022, 2, 28)).rounds[0]
        self.assertEqual((round1.key, round1.trajectories, round1.started), (1, 2, 2))
        self.assertEqual((round1.intakes_held, round1.first_intake), (2, D(2021, 10, 5)))

    def test_query_count_does_not_grow_with_trajectories_or_entries(self):
        with CaptureQueriesContext(connection) as small:
            self.monitor(D(2022, 12, 31))
        for month, name in enumerate(("Gent", "Leuven", "Mechelen"), start=3):
            trajectory = self.trajectory(municipality(name))
            for day in range(1, 20):
                self.register(trajectory, D(2022, month, day), "0.5")
                self.register(trajectory, D(2022, month + 3, day), "1.0", expert=self.ed)
        self.accepted(municipality("Aalst"))
        with CaptureQueriesContext(connection) as large:
            monitor = self.monitor(D(2022, 12, 31))
        self.assertEqual(len(monitor.lines), 5)
        self.assertEqual(len(large), len(small))
        self.assertLessEqual(len(large), 25)
