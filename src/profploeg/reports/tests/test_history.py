"""Every figure of a date comes from recorded history: what happens later never changes the
report of an earlier date."""

import datetime
from decimal import Decimal

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.reports.status import status_report
from profploeg.test import BaseTestCase, municipality
from profploeg.trajectories import services as trajectory_services
from profploeg.trajectories.tests.base import TrajectoryTestCase

Status = Application.Status
D = datetime.date
FIRST_DAY = D(2021, 7, 1)
# Round 2 closes on 12 November 2021: every application is received before then.
LAST_RECEIPT = D(2021, 11, 10)
TOWNS = ["Lier", "Brugge", "Gent", "Mechelen", "Leuven", "Aalst"]
# The paths an application can take, step by step.
PATHS = [
    [],
    [Status.ADMISSIBLE],
    [Status.ADMISSIBLE, Status.ACCEPTED],
    [Status.ADMISSIBLE, Status.DEFERRED],
    [Status.INADMISSIBLE],
    [Status.WITHDRAWN],
]


@st.composite
def histories(draw):
    """A few applications, each received on a day and then decided step by step, later."""
    towns = draw(st.lists(st.sampled_from(TOWNS), min_size=1, max_size=4, unique=True))
    events = []
    for town in towns:
        day = FIRST_DAY + datetime.timedelta(
            days=draw(st.integers(0, (LAST_RECEIPT - FIRST_DAY).days))
        )
        events.append((day, 10, town, "submit"))
        for step in draw(st.sampled_from(PATHS)):
            day += datetime.timedelta(days=draw(st.integers(0, 60)))
            events.append((day, 14, town, step))
    cut = FIRST_DAY + datetime.timedelta(days=draw(st.integers(-5, 200)))
    return sorted(events, key=lambda event: (event[0], event[1])), cut


class TimeMachineTests(BaseTestCase, HypothesisTestCase):
    def happen(self, event, applications: dict) -> None:
        day, hour, town, step = event
        moment = at_brussels(day, hour)
        with time_machine.travel(moment, tick=False):
            if step == "submit":
                applications[town] = self.submit(municipality(town), day=day)
            elif step == Status.WITHDRAWN:
                self.decide(applications[town], step, channel="letter", at=moment)
            else:
                reason = "Onvolledig." if step in (Status.INADMISSIBLE, Status.DEFERRED) else ""
                self.decide(applications[town], step, reason=reason, at=moment)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(histories())
    def test_the_report_of_a_date_computed_later_equals_the_one_computed_that_day(self, history):
        events, cut = history
        applications: dict[str, Application] = {}
        for event in (event for event in events if event[0] <= cut):
            self.happen(event, applications)
        with time_machine.travel(at_brussels(cut, 23), tick=False):
            that_day = status_report(programme=self.programme, as_of=cut).to_json()
        for event in (event for event in events if event[0] > cut):
            self.happen(event, applications)
        with time_machine.travel(at_brussels(D(2023, 1, 1)), tick=False):
            later = status_report(programme=self.programme, as_of=cut).to_json()
        self.assertEqual(later, that_day)


class PlanHistoryTests(TrajectoryTestCase):
    def test_a_plan_changed_today_leaves_the_report_of_a_year_ago_byte_identical(self):
        trajectory = self.trajectory(self.lier)
        self.register(trajectory, D(2022, 2, 1))
        today = datetime.date.today()
        year_ago = today - datetime.timedelta(days=365)
        before = {
            day: status_report(programme=self.programme, as_of=day).to_json()
            for day in (year_ago, D(2022, 3, 31))
        }
        today_before = status_report(programme=self.programme, as_of=today).to_json()
        trajectory_services.assign_expert(
            by=self.staff, trajectory=trajectory, expert=self.eva, planned_days=Decimal("25")
        )
        for day, report in before.items():
            with self.subTest(day=day):
                self.assertEqual(
                    status_report(programme=self.programme, as_of=day).to_json(), report
                )
        # The change is there today: the test above proves something.
        self.assertNotEqual(
            status_report(programme=self.programme, as_of=today).to_json(), today_before
        )
