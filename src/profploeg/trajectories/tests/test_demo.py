import datetime

from django.db.models import F, Max, Sum
from django.test import TestCase

from profploeg.demo import applications, trajectories
from profploeg.trajectories.models import PersonDayEntry, Trajectory
from profploeg.trajectories.monitor import budget_monitor

D = datetime.date


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = applications.load_seed_programme()
        cls.offer = trajectories.load_trajectories(cls.programme)

    def test_loading_twice_changes_nothing(self):
        count = PersonDayEntry.objects.count()
        self.assertEqual(trajectories.load_trajectories(self.programme), self.offer)
        self.assertEqual(PersonDayEntry.objects.count(), count)

    def test_no_expert_has_more_than_one_day_on_a_date(self):
        busiest = (
            PersonDayEntry.objects.values("expert", "date")
            .annotate(total=Sum("days"))
            .aggregate(most=Max("total"))["most"]
        )
        self.assertLessEqual(busiest, 1)

    def test_every_entry_lies_within_its_trajectory(self):
        entries = PersonDayEntry.objects.all()
        self.assertFalse(entries.filter(date__lt=F("trajectory__started_on")).exists())
        self.assertFalse(entries.filter(date__gt=F("trajectory__ended_on")).exists())
        self.assertFalse(entries.filter(date__gt=D(2023, 12, 31)).exists())

    def test_round_1_intakes_in_october_with_a_few_still_open_at_the_end_of_2021(self):
        monitor = budget_monitor(programme=self.programme, as_of=D(2021, 12, 31))
        round1 = monitor.rounds[0]
        self.assertEqual(round1.first_intake.month, 10)
        self.assertTrue(25 <= round1.intakes_held < 33)
        self.assertEqual(monitor.totals.started, 0)

    def test_budget_stays_close_to_but_within_the_total(self):
        end = budget_monitor(programme=self.programme, as_of=D(2024, 1, 1))
        self.assertEqual(end.totals.trajectories, 83)
        self.assertGreater(end.totals.completed, 0)
        self.assertTrue(Trajectory.objects.filter(status="completed").exclude(findings="").exists())
        self.assertTrue(1_300_000 < end.forecast_at_completion_eur < 1_500_000)
        before_amendment = budget_monitor(programme=self.programme, as_of=D(2021, 12, 31))
        self.assertFalse(before_amendment.forecast_exceeds_total)
        self.assertEqual(end.capacity, 113)
