import datetime
from decimal import Decimal

from django.db.models import Count, F, Max, Sum
from django.test import TestCase

from profploeg.demo import applications, trajectories
from profploeg.trajectories.models import (
    ExpectedEnd,
    Intake,
    PersonDayEntry,
    PlanChange,
    Trajectory,
    TrajectoryEvent,
)
from profploeg.trajectories.monitor import budget_monitor

D = datetime.date
AFTER_THE_END = D(2025, 6, 30)


class DemoGuidanceTests(TestCase):
    """The demo's guidance history reads like the real programme, from intakes to its end."""

    @classmethod
    def setUpTestData(cls):
        cls.programme = applications.load_seed_programme()
        cls.offer = trajectories.load_offer(cls.programme)
        applications.load_third_round(cls.programme)
        trajectories.load_trajectories(cls.programme)
        cls.trajectories = Trajectory.objects.in_programme(cls.programme)

    def test_loading_twice_changes_nothing(self):
        counts = [model.objects.count() for model in (Intake, Trajectory, PersonDayEntry)]
        applications.load_third_round(self.programme)
        self.assertEqual(trajectories.load_trajectories(self.programme), self.offer)
        after = [model.objects.count() for model in (Intake, Trajectory, PersonDayEntry)]
        self.assertEqual(after, counts)

    def test_every_accepted_application_of_the_three_rounds_has_a_trajectory(self):
        per_round = dict(
            self.trajectories.values_list("application__round__number")
            .annotate(n=Count("pk"))
            .order_by()
        )
        self.assertEqual(per_round, {1: 33, 2: 50, 3: 30})

    def test_rounds_1_and_2_end_in_2023_at_the_latest_and_round_3_in_2024(self):
        self.assertFalse(self.trajectories.exclude(status__in=Trajectory.ENDED).exists())
        last = dict(
            self.trajectories.values_list("application__round__number")
            .annotate(last=Max("ended_on"))
            .order_by()
        )
        self.assertLessEqual(max(last[1], last[2]), D(2023, 12, 31))
        self.assertLessEqual(last[3], D(2024, 12, 31))

    def test_one_or_two_are_stopped_with_a_reason_and_the_others_have_a_closing_report(self):
        stopped = self.trajectories.filter(status=Trajectory.Status.STOPPED)
        self.assertIn(stopped.count(), (1, 2))
        self.assertFalse(stopped.filter(stop_reason="").exists())
        completed = self.trajectories.filter(status=Trajectory.Status.COMPLETED)
        self.assertFalse(completed.filter(findings="").exists())
        self.assertFalse(completed.filter(measures="").exists())
        self.assertFalse(completed.exclude(phase=Trajectory.Phase.REPORT).exists())

    def test_trajectories_last_6_to_9_months_and_some_overrun_by_at_most_4_months(self):
        overruns = []
        for trajectory in self.trajectories:
            planned = (trajectory.planned_end - trajectory.started_on).days
            self.assertTrue(6 * 28 <= planned <= 9 * 31, trajectory)
            if trajectory.status == Trajectory.Status.COMPLETED:
                overruns.append((trajectory.ended_on - trajectory.planned_end).days)
        self.assertGreater(sum(days > 30 for days in overruns), 10)
        self.assertTrue(any(days > 90 for days in overruns))
        self.assertLessEqual(max(overruns), 4 * 31)

    def test_staff_set_the_expected_end_and_extra_days_of_a_long_overrun_before_it_happens(self):
        late = [
            t
            for t in self.trajectories.filter(status=Trajectory.Status.COMPLETED)
            if (t.ended_on - t.planned_end).days > 30
        ]
        self.assertTrue(late)
        for trajectory in late:
            expected = ExpectedEnd.objects.get(trajectory=trajectory)
            self.assertLessEqual(expected.effective_on, trajectory.planned_end)
            self.assertGreaterEqual(expected.expected_end, trajectory.ended_on)
            self.assertTrue(expected.reason)
            self.assertEqual(
                PlanChange.objects.filter(
                    assignment__trajectory=trajectory, effective_on=expected.effective_on
                ).count(),
                1,
            )
        on_time = self.trajectories.exclude(pk__in=[t.pk for t in late])
        self.assertFalse(ExpectedEnd.objects.filter(trajectory__in=on_time).exists())

    def test_the_plan_of_the_intake_is_kept_for_earlier_dates(self):
        change = (
            PlanChange.objects.filter(
                assignment__trajectory__in=self.trajectories, reason__isnull=False
            )
            .exclude(effective_on=F("assignment__trajectory__created_on"))
            .first()
        )
        first = change.assignment.plan_changes.order_by("effective_on").first()
        self.assertLess(first.planned_days, change.planned_days)
        self.assertEqual(change.assignment.planned_days, change.planned_days)
        self.assertEqual(first.recorded_at.date(), first.effective_on)

    def test_steps_follow_each_other_in_time(self):
        last: dict[int, datetime.date] = {}
        for event in TrajectoryEvent.objects.filter(trajectory__in=self.trajectories).order_by(
            "trajectory", "pk"
        ):
            self.assertGreaterEqual(event.effective_on, last.get(event.trajectory_id, D.min))
            self.assertEqual(event.recorded_at.date(), event.effective_on)
            last[event.trajectory_id] = event.effective_on

    def test_every_entry_lies_within_its_trajectory_and_the_offer(self):
        entries = PersonDayEntry.objects.filter(trajectory__in=self.trajectories)
        self.assertFalse(entries.filter(date__lt=F("trajectory__started_on")).exists())
        self.assertFalse(entries.filter(date__gt=F("trajectory__ended_on")).exists())
        self.assertFalse(entries.filter(date__gt=self.offer.valid_until).exists())
        self.assertFalse(entries.filter(date__week_day__in=[1, 7]).exists())

    def test_no_expert_has_more_than_one_day_on_a_date(self):
        busiest = (
            PersonDayEntry.objects.values("expert", "date")
            .annotate(total=Sum("days"))
            .aggregate(most=Max("total"))["most"]
        )
        self.assertLessEqual(busiest, 1)

    def test_a_completed_trajectory_has_8_to_25_days_of_experts_of_several_organisations(self):
        completed = self.trajectories.filter(status=Trajectory.Status.COMPLETED).annotate(
            days=Sum("entries__days"),
            organisations=Count("entries__expert__organisation", distinct=True),
        )
        for trajectory in completed:
            self.assertTrue(8 <= trajectory.days <= 25, (trajectory, trajectory.days))
            self.assertGreaterEqual(trajectory.organisations, 3, trajectory)

    def test_round_1_intakes_in_october_with_a_few_still_open_at_the_end_of_2021(self):
        monitor = budget_monitor(programme=self.programme, as_of=D(2021, 12, 31))
        round1 = monitor.rounds[0]
        self.assertEqual(round1.first_intake.month, 10)
        self.assertTrue(25 <= round1.intakes_held < 33)
        self.assertEqual(monitor.totals.started, 0)

    def test_the_programme_ends_within_but_close_to_its_amended_budget(self):
        end = budget_monitor(programme=self.programme, as_of=AFTER_THE_END)
        self.assertEqual(end.capacity, 113)
        self.assertEqual(end.total_eur, Decimal("2040000.00"))
        self.assertEqual(end.totals.trajectories, 113)
        self.assertEqual(end.totals.completed + end.totals.stopped, 113)
        self.assertTrue(1_850_000 < end.totals.consumed_eur < 2_040_000)
        self.assertEqual(end.forecast_at_completion_eur, end.totals.consumed_eur)
        first_two = sum(group.consumed_eur for group in end.rounds if group.key in (1, 2))
        self.assertLess(first_two, 1_500_000)
        before_amendment = budget_monitor(programme=self.programme, as_of=D(2021, 12, 31))
        self.assertEqual(before_amendment.capacity, 83)
        self.assertFalse(before_amendment.forecast_exceeds_total)
