import datetime
from decimal import Decimal

import time_machine
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

    def test_a_rate_change_prices_the_days_left_but_not_the_days_worked(self):
        services.set_day_rate(
            by=self.staff, expert=self.eva, valid_from=D(2022, 3, 1), rate_eur=Decimal("900")
        )
        before, after = self.monitor(D(2022, 2, 28)), self.monitor(D(2022, 3, 31))
        self.assertEqual(before.totals.committed_eur, Decimal("26000.00"))
        # Eva's day in Lier stays at € 800; her 9 + 10 days left cost € 900 each.
        self.assertEqual(after.totals.committed_eur, Decimal("27900.00"))
        self.assertEqual(after.totals.consumed_eur, Decimal("1300.00"))
        self.assertEqual(after.burnup[-1].committed_eur, after.totals.committed_eur)

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

    def test_with_few_completed_trajectories_the_planned_end_is_expected(self):
        monitor = self.monitor(D(2022, 2, 28))
        lier = next(line for line in monitor.lines if line.municipality == "Lier")
        self.assertEqual((lier.expected_end_p50, lier.expected_end_p80), (D(2022, 9, 30),) * 2)
        self.assertEqual(
            (lier.state, lier.phase, lier.last_activity), ("running", 1, D(2022, 2, 2))
        )
        self.assertEqual(monitor.expected_completion, D(2022, 9, 30))
        self.assertEqual((monitor.completion_p50, monitor.completion_p80), (D(2022, 9, 30),) * 2)
        self.assertIn("too few", monitor.completion_explanation)

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


class HistoryTests(TrajectoryTestCase):
    """The monitor of a date reads the plan, status and phase recorded as in force then."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.register(cls.lier_trajectory, D(2022, 2, 1), "1.0")
        cls.expert_three = services.create_expert(
            by=cls.staff,
            name="Derde Deskundige",
            organisation="Juridisch CV",
            day_rate_eur=Decimal("500.00"),
            rate_valid_from=D(2021, 6, 1),
        )

    def monitor(self, day):
        return budget_monitor(programme=self.programme, as_of=day)

    def snapshot(self, day) -> str:
        monitor = self.monitor(day)
        return repr(
            (monitor.totals, monitor.rounds, monitor.municipalities, monitor.lines, monitor.burnup)
        )

    def test_a_plan_changed_today_leaves_the_monitor_of_a_year_ago_identical(self):
        year_ago = D(2022, 3, 1)
        before = self.snapshot(year_ago)
        with time_machine.travel(datetime.datetime(2023, 3, 1, 12, 0), tick=False):
            services.assign_expert(
                by=self.staff,
                trajectory=self.lier_trajectory,
                expert=self.eva,
                planned_days=Decimal("40"),
                reason="Extra workshops",
            )
            services.assign_expert(
                by=self.staff,
                trajectory=self.lier_trajectory,
                expert=self.expert_three,
                planned_days=Decimal("3"),
            )
        self.assertEqual(self.snapshot(year_ago), before)
        later = self.monitor(D(2023, 3, 1))
        # 1 day worked at € 800, 39 left at € 800, 5 of Ed at € 1,000, 3 of the third at € 500.
        self.assertEqual(later.totals.committed_eur, Decimal("38500.00"))
        self.assertEqual(later.totals.planned_days, Decimal("48.0"))

    def test_a_plan_changed_today_leaves_the_status_report_of_a_year_ago_byte_identical(self):
        from profploeg.reports.status import status_report

        def report() -> str:
            return status_report(programme=self.programme, as_of=D(2022, 3, 1)).to_json()

        before = report()
        with time_machine.travel(datetime.datetime(2023, 3, 1, 12, 0), tick=False):
            services.assign_expert(
                by=self.staff,
                trajectory=self.lier_trajectory,
                expert=self.eva,
                planned_days=Decimal("40"),
            )
            services.set_expected_end(
                by=self.staff,
                trajectory=self.lier_trajectory,
                expected_end=D(2023, 6, 30),
                reason="Loopt uit",
            )
        self.assertEqual(report(), before)
        self.assertIn('"person_days_planned": "10.0"', before)

    def test_committed_never_exceeds_the_forecast(self):
        services.set_day_rate(
            by=self.staff, expert=self.eva, valid_from=D(2022, 3, 1), rate_eur=Decimal("1200")
        )
        for day in (D(2022, 2, 28), D(2022, 3, 31), D(2022, 12, 31)):
            monitor = self.monitor(day)
            self.assertLessEqual(monitor.totals.committed_eur, monitor.forecast_at_completion_eur)
            for line in monitor.lines:
                self.assertLessEqual(line.committed_eur, line.forecast_eur)

    def test_status_and_phase_on_a_date_come_from_the_trajectory_history(self):
        services.advance_phase(by=self.staff, trajectory=self.lier_trajectory, on=D(2022, 3, 1))
        services.stop_trajectory(
            by=self.staff, trajectory=self.lier_trajectory, on=D(2022, 4, 1), reason="Fusie"
        )
        [line] = self.monitor(D(2022, 3, 15)).lines
        self.assertEqual((line.status, line.phase, line.ended_on), ("running", 2, None))
        [line] = self.monitor(D(2022, 1, 5)).lines
        self.assertEqual((line.status, line.started_on, line.state), ("planned", None, "planned"))
        [line] = self.monitor(D(2022, 4, 1)).lines
        self.assertEqual(
            (line.status, line.state, line.ended_on), ("stopped",) * 2 + (D(2022, 4, 1),)
        )


class CompletionForecastTests(TrajectoryTestCase):
    """Five trajectories completed after 263 to 395 days of a planned 263 (ratios 1.0 to 1.5)."""

    DURATIONS = (263, 289, 316, 342, 395)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        names = ("Lier", "Gent", "Leuven", "Mechelen", "Aalst")
        for name, duration in zip(names, cls.DURATIONS, strict=True):
            trajectory = cls.trajectory(municipality(name))
            for day in (11, 12):
                trajectory = services.advance_phase(
                    by=cls.staff, trajectory=trajectory, on=D(2022, 1, day)
                )
            services.complete_trajectory(
                by=cls.staff,
                trajectory=trajectory,
                on=D(2022, 1, 10) + datetime.timedelta(days=duration),
                findings="Bevindingen",
                measures="Maatregelen",
            )
        cls.brugge_trajectory = cls.trajectory(cls.brugge, start=D(2022, 6, 1))
        cls.register(cls.brugge_trajectory, D(2022, 6, 2), "1.0")

    def monitor(self, day):
        return budget_monitor(programme=self.programme, as_of=day)

    def brugge_line(self, monitor):
        return next(line for line in monitor.lines if line.municipality == "Brugge")

    def test_the_range_is_learned_from_the_completed_trajectories(self):
        monitor = self.monitor(D(2023, 3, 1))
        self.assertEqual(monitor.reference.size, 5)
        self.assertEqual(
            (monitor.reference.ratio_p50, monitor.reference.ratio_p80),
            (Decimal("1.20"), Decimal("1.34")),
        )
        brugge = self.brugge_line(monitor)
        # 263 planned days × 1.20 = 316 and × 1.34 = 352 days from its start on 1 June 2022.
        self.assertEqual(brugge.expected_end_p50, D(2023, 4, 13))
        self.assertEqual(brugge.expected_end_p80, D(2023, 5, 19))
        self.assertEqual(
            (monitor.completion_p50, monitor.completion_p80), (D(2023, 4, 13), D(2023, 5, 19))
        )
        self.assertEqual(monitor.completion_drivers, [brugge])
        self.assertIn("5 completed trajectories", monitor.completion_explanation)

    def test_an_overdue_and_inactive_trajectory_is_flagged(self):
        monitor = self.monitor(D(2023, 3, 1))
        brugge = self.brugge_line(monitor)
        # Planned to end on 30 September 2022; last registration on 2 June 2022.
        self.assertEqual((brugge.overdue_days, brugge.inactive), (152, True))
        self.assertEqual((brugge.state, brugge.last_activity), ("overdue", D(2022, 6, 2)))
        self.assertEqual((monitor.overdue_count, monitor.inactive_count), (1, 1))
        on_track = self.brugge_line(self.monitor(D(2022, 7, 1)))
        self.assertEqual(
            (on_track.state, on_track.overdue_days, on_track.inactive), ("running", 0, False)
        )
        quiet = self.brugge_line(self.monitor(D(2022, 9, 1)))
        self.assertEqual((quiet.state, quiet.inactive), ("inactive", True))

    def test_a_forecast_never_lies_before_the_date(self):
        brugge = self.brugge_line(self.monitor(D(2023, 6, 1)))
        self.assertEqual((brugge.expected_end_p50, brugge.expected_end_p80), (D(2023, 6, 1),) * 2)

    def test_an_expected_end_set_by_staff_wins_from_its_date_on(self):
        with time_machine.travel(datetime.datetime(2023, 3, 1, 12, 0), tick=False):
            services.set_expected_end(
                by=self.staff,
                trajectory=self.brugge_trajectory,
                expected_end=D(2023, 12, 15),
                reason="Gemeenteraad beslist in december",
            )
        brugge = self.brugge_line(self.monitor(D(2023, 3, 1)))
        self.assertEqual(
            (brugge.expected_end_override, brugge.expected_end_p50, brugge.expected_end_p80),
            (D(2023, 12, 15),) * 3,
        )
        self.assertEqual(brugge.expected_end_override_reason, "Gemeenteraad beslist in december")
        before = self.brugge_line(self.monitor(D(2023, 2, 28)))
        self.assertIsNone(before.expected_end_override)
        self.assertEqual(before.expected_end_p50, D(2023, 4, 13))

    def test_with_four_completed_the_planned_end_or_the_date_is_expected(self):
        monitor = self.monitor(D(2022, 12, 20))
        self.assertEqual(monitor.reference.size, 4)
        self.assertFalse(monitor.reference.usable)
        brugge = self.brugge_line(monitor)
        self.assertEqual(brugge.expected_end_p50, D(2022, 12, 20))
        planned = self.brugge_line(self.monitor(D(2022, 7, 1)))
        self.assertEqual(planned.expected_end_p80, D(2022, 9, 30))
