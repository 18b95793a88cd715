import datetime
from decimal import Decimal

from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Round
from profploeg.test import make_programme, municipality

from .base import TrajectoryTestCase


class ProgrammeFilterTests(TrajectoryTestCase):
    """The lists that span programmes keep one with ?programme=, as the API's lists do."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.register(cls.lier_trajectory, datetime.date(2022, 2, 1), note="In het eerste")
        cls.other = make_programme(title="Profploeg 2", published_on=datetime.date(2024, 3, 1))
        Round.objects.create(
            programme=cls.other,
            number=1,
            opens_on=datetime.date(2024, 3, 1),
            deadline=datetime.date(2024, 5, 1),
        )
        cls.gent_waiting = cls.submit(
            cls, municipality=municipality("Gent"), day=datetime.date(2021, 8, 3)
        )
        for status in (Application.Status.ADMISSIBLE, Application.Status.ACCEPTED):
            cls.decide(cls, cls.gent_waiting, status, at=at_brussels(datetime.date(2021, 8, 3)))

    def test_the_trajectory_list_keeps_the_programme_asked_for(self):
        self.client.force_login(self.staff)
        everything = self.client.get("/trajectories/")
        self.assertEqual(list(everything.context["trajectories"]), [self.lier_trajectory])
        self.assertEqual(list(everything.context["awaiting_intake"]), [self.gent_waiting])
        kept = self.client.get("/trajectories/", {"programme": self.other.pk})
        self.assertEqual(list(kept.context["trajectories"]), [])
        self.assertEqual(list(kept.context["awaiting_intake"]), [])
        self.assertEqual(list(kept.context["planned_intakes"]), [])
        self.assertContains(kept, f'<option value="{self.other.pk}" selected>', html=False)
        same = self.client.get("/trajectories/", {"programme": self.programme.pk})
        self.assertEqual(list(same.context["trajectories"]), [self.lier_trajectory])

    def test_an_unknown_programme_shows_everything_with_an_error(self):
        self.client.force_login(self.staff)
        page = self.client.get("/trajectories/", {"programme": 9999})
        self.assertEqual(list(page.context["trajectories"]), [self.lier_trajectory])
        self.assertTrue(page.context["filters"].errors)

    def test_the_person_day_list_keeps_the_programme_asked_for(self):
        self.client.force_login(self.expert)
        page = self.client.get("/trajectories/days/")
        self.assertEqual([e.note for e in page.context["entries"]], ["In het eerste"])
        page = self.client.get("/trajectories/days/", {"programme": self.other.pk})
        self.assertEqual(list(page.context["entries"]), [])

    def test_staff_keep_the_expert_when_they_filter_person_days(self):
        self.client.force_login(self.staff)
        page = self.client.get(
            "/trajectories/days/", {"expert": self.eva.pk, "programme": self.programme.pk}
        )
        self.assertEqual(page.context["entries"][0].days, Decimal("1.0"))
        self.assertContains(
            page, f'<input type="hidden" name="expert" value="{self.eva.pk}">', html=True
        )

    def test_the_api_lists_use_the_same_parameter(self):
        self.client.force_login(self.staff)
        for path in ("/api/trajectories", "/api/intakes", "/api/person-days"):
            with self.subTest(path=path):
                everything = self.client.get(path).json()
                self.assertGreater(everything["count"], 0)
                kept = self.client.get(path, {"programme": self.other.pk}).json()
                self.assertEqual(kept["count"], 0)
