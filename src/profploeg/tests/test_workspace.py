import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from profploeg.applications.models import Application, Message
from profploeg.test import municipality
from profploeg.trajectories.models import Trajectory
from profploeg.trajectories.monitor import budget_monitor
from profploeg.trajectories.tests.base import TrajectoryTestCase

Status = Application.Status
NOW = datetime.datetime(2022, 12, 1, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
class WorkspaceTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.to_check = cls.submit(cls, municipality=cls.lier)
        cls.to_assess = cls.submit(cls, municipality=municipality("Gent"))
        cls.decide(cls, cls.to_assess, Status.ADMISSIBLE)
        cls.refused = cls.submit(cls, municipality=municipality("Aalst"))
        cls.decide(cls, cls.refused, Status.INADMISSIBLE, reason="Te laat")
        # Held 5 October 2021, running from 10 January, planned to end 30 September 2022.
        cls.late = cls.trajectory(cls.brugge)

    def page(self):
        self.client.force_login(self.staff)
        return self.client.get("/todo/")

    def test_staff_land_on_what_needs_doing(self):
        self.client.force_login(self.staff)
        self.assertRedirects(self.client.get("/"), "/todo/")

    def test_each_pile_counts_and_links_its_oldest(self):
        page = self.page()
        piles = {str(pile.title): pile for pile in page.context["piles"]}
        checking = piles["Applications awaiting the admissibility check"]
        self.assertEqual((checking.count, checking.oldest), (1, self.to_check))
        self.assertContains(page, f'href="/applications/{self.to_check.pk}/"')
        assessing = piles["Applications awaiting the assessment"]
        self.assertEqual((assessing.count, assessing.oldest), (1, self.to_assess))
        follow_up = piles["Follow-ups the province has not recorded yet"]
        self.assertEqual((follow_up.count, follow_up.oldest), (1, self.refused))

    def test_an_accepted_application_without_intake_is_an_intake_to_plan(self):
        accepted = self.accepted(municipality("Mechelen"))
        page = self.page()
        piles = {str(pile.title): pile for pile in page.context["piles"]}
        pile = piles["Intakes to plan"]
        self.assertEqual((pile.count, pile.oldest), (1, accepted))
        self.assertContains(page, f'href="/trajectories/intakes/plan/{accepted.pk}/"')

    def test_an_overdue_trajectory_is_listed_with_a_link(self):
        page = self.page()
        self.assertEqual(page.context["attention"], [self.late])
        self.assertContains(page, f'href="/trajectories/{self.late.pk}/"')

    def test_a_running_trajectory_without_registrations_for_90_days_is_inactive(self):
        self.late.planned_end = datetime.date(2023, 6, 30)
        self.late.save()
        self.register(self.late, datetime.date(2022, 9, 1))
        self.assertEqual(list(Trajectory.objects.needing_attention(NOW.date())), [self.late])
        self.register(self.late, datetime.date(2022, 9, 15))
        in_time = datetime.date(2022, 12, 13)
        self.assertEqual(list(Trajectory.objects.needing_attention(in_time)), [])
        self.assertEqual(
            list(Trajectory.objects.needing_attention(datetime.date(2022, 12, 14))), [self.late]
        )

    def test_a_message_unsent_after_ten_minutes_has_failed_and_can_be_sent_again(self):
        Message.objects.update(sent_at=timezone.now())
        message = Message.objects.create(
            municipality=self.lier,
            application=self.to_check,
            recipient_email="lier@example.be",
            subject="Ontvangen",
            body="…",
            created_at=NOW - datetime.timedelta(minutes=11),
        )
        Message.objects.create(
            municipality=self.lier,
            recipient_email="lier@example.be",
            subject="Net gemaakt",
            body="…",
            created_at=NOW - datetime.timedelta(minutes=2),
        )
        page = self.page()
        messages = page.context["notifications"][0]
        self.assertEqual((messages.count, messages.oldest), (1, message))
        self.assertContains(page, "/todo/retry-notifications/")
        retried = self.client.post("/todo/retry-notifications/")
        self.assertRedirects(retried, "/todo/")

    def test_the_page_costs_the_same_queries_with_more_work(self):
        self.accepted(municipality("Mechelen"))
        self.client.force_login(self.staff)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get("/todo/").status_code, 200)
        for name in ("Leuven", "Kortrijk"):
            self.trajectory(municipality(name))
        self.submit(municipality=municipality("Oostende"))
        self.accepted(municipality("Genk"))
        with CaptureQueriesContext(connection) as more:
            self.assertEqual(self.client.get("/todo/").status_code, 200)
        self.assertEqual(len(more), len(few))
        # The session and the user, then two per pile (count and oldest) and two for the
        # trajectories (the first ten and the count).
        self.assertEqual(len(few), 2 + 6 * 2 + 2)

    def test_other_roles_may_not_see_it(self):
        for user in (self.expert, self.alice, self.paula):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/todo/").status_code, 403)


class AttentionAgreesWithTheMonitorTests(TrajectoryTestCase):
    def test_the_cheap_read_flags_what_the_budget_monitor_flags(self):
        inactive = self.trajectory(self.lier)
        active = self.trajectory(municipality("Gent"))
        self.register(active, datetime.date(2022, 5, 1))
        overdue = self.trajectory(self.brugge)
        Trajectory.objects.filter(pk=overdue.pk).update(planned_end=datetime.date(2022, 5, 1))
        self.trajectory(municipality("Aalst"), start=None)
        day = datetime.date(2022, 6, 1)
        with time_machine.travel(datetime.datetime(2022, 6, 1, 12, 0, tzinfo=datetime.UTC)):
            monitor = budget_monitor(programme=self.programme, as_of=day)
            flagged = {line.pk for line in monitor.lines if line.overdue_days or line.inactive}
            cheap = set(Trajectory.objects.needing_attention(day).values_list("pk", flat=True))
        self.assertEqual(flagged, {inactive.pk, overdue.pk})
        self.assertEqual(cheap, flagged)
