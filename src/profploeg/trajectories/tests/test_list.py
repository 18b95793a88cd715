"""The trajectory list: a page at a time, filtered as the API's list, within what a user sees."""

import datetime
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from profploeg.test import municipality
from profploeg.trajectories import views
from profploeg.trajectories.models import PersonDayEntry

from .base import TrajectoryTestCase


class TrajectoryListTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gent = municipality("Gent")
        cls.lier_trajectory = cls.trajectory(cls.lier)
        # Planned, not started; only Eva on it.
        cls.brugge_trajectory = cls.trajectory(cls.brugge, start=None, ed_days=None)
        cls.gent_trajectory = cls.trajectory(cls.gent)

    def names(self, response) -> list[str]:
        return [t.application.municipality.name for t in response.context["trajectories"]]

    def test_the_second_page_shows_the_rest_and_says_how_many(self):
        self.client.force_login(self.staff)
        with mock.patch.object(views, "TRAJECTORY_PAGE_SIZE", 2):
            first = self.client.get("/trajectories/")
            second = self.client.get("/trajectories/", {"page": 2})
        self.assertEqual(len(self.names(first)), 2)
        self.assertEqual(len(self.names(second)), 1)
        self.assertCountEqual(self.names(first) + self.names(second), ["Lier", "Brugge", "Gent"])
        self.assertContains(first, "Page 1 of 2 (1–2 of 3)")
        self.assertContains(first, 'href="?page=2" rel="next"', html=False)
        self.assertContains(second, "Page 2 of 2 (3–3 of 3)")
        self.assertContains(second, 'href="?page=1" rel="prev"', html=False)

    def test_filters_stay_in_the_links_between_pages(self):
        self.client.force_login(self.staff)
        query = {"status": "running", "programme": self.programme.pk}
        with mock.patch.object(views, "TRAJECTORY_PAGE_SIZE", 1):
            first = self.client.get("/trajectories/", query)
            second = self.client.get("/trajectories/", {**query, "page": 2})
        self.assertContains(
            first,
            f'href="?status=running&amp;programme={self.programme.pk}&amp;page=2"',
            html=False,
        )
        self.assertCountEqual(self.names(first) + self.names(second), ["Lier", "Gent"])
        self.assertEqual(second.context["trajectories"].paginator.num_pages, 2)

    def test_each_filter_keeps_only_the_trajectories_it_names(self):
        self.client.force_login(self.staff)
        cases = [
            ({"status": "planned"}, ["Brugge"]),
            ({"municipality": "brug"}, ["Brugge"]),
            ({"municipality": self.gent.refnis}, ["Gent"]),
            ({"expert": self.ed.pk}, ["Gent", "Lier"]),
            ({"expert": self.eva.pk, "status": "running"}, ["Gent", "Lier"]),
            ({"municipality": "nergens"}, []),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                response = self.client.get("/trajectories/", query)
                self.assertEqual(sorted(self.names(response)), expected)
        self.assertContains(response, "No trajectory matches these filters.")

    def test_an_invalid_filter_is_shown_and_the_others_still_apply(self):
        self.client.force_login(self.staff)
        response = self.client.get("/trajectories/", {"status": "lost", "municipality": "Lier"})
        self.assertTrue(response.context["filters"].errors["status"])
        self.assertEqual(self.names(response), ["Lier"])

    def test_a_municipality_sees_only_its_own_whatever_it_asks(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.names(self.client.get("/trajectories/")), ["Lier"])
        other = self.client.get("/trajectories/", {"municipality": "Gent"})
        self.assertEqual(self.names(other), [])
        self.assertNotContains(other, f"/trajectories/{self.gent_trajectory.pk}/")
        # Who works on which trajectory is not a municipality's filter.
        self.assertNotIn("expert", other.context["filters"].fields)
        asked = self.client.get("/trajectories/", {"expert": self.ed.pk})
        self.assertEqual(self.names(asked), ["Lier"])

    def test_a_province_sees_only_its_municipalities(self):
        self.client.force_login(self.paula)
        self.assertEqual(self.names(self.client.get("/trajectories/")), ["Lier"])

    def test_the_api_filters_by_the_same_names_with_the_same_result(self):
        self.client.force_login(self.staff)
        for query in (
            {"expert": self.ed.pk},
            {"status": "planned"},
            {"municipality": self.gent.refnis},
            {"programme": self.programme.pk, "status": "running"},
        ):
            with self.subTest(query=query):
                page = self.client.get("/trajectories/", query)
                api = self.client.get("/api/trajectories", query).json()
                self.assertEqual(
                    sorted(t.pk for t in page.context["trajectories"]),
                    sorted(item["id"] for item in api["items"]),
                )
                self.assertEqual(page.context["trajectories"].paginator.count, api["count"])

    def test_the_page_costs_the_same_number_of_queries_at_any_length(self):
        self.client.force_login(self.staff)
        self.client.get("/trajectories/")
        with CaptureQueriesContext(connection) as small:
            self.client.get("/trajectories/", {"status": "running"})
        for name in ("Mechelen", "Turnhout", "Leuven"):
            self.trajectory(municipality(name), start=datetime.date(2022, 2, 1))
        with self.assertNumQueries(len(small)):
            response = self.client.get("/trajectories/", {"status": "running"})
        self.assertEqual(len(self.names(response)), 5)
        with (
            mock.patch.object(views, "TRAJECTORY_PAGE_SIZE", 2),
            self.assertNumQueries(len(small)),
        ):
            self.client.get("/trajectories/", {"status": "running", "page": 2})


class TrajectoryEntriesTests(TrajectoryTestCase):
    def test_every_registered_day_of_a_trajectory_is_a_page_away(self):
        trajectory = self.trajectory(self.lier)
        PersonDayEntry.objects.bulk_create(
            PersonDayEntry(
                expert=self.eva,
                trajectory=trajectory,
                date=datetime.date(2022, 1, 10) + datetime.timedelta(days=n),
                days=Decimal("0.5"),
                activity="analysis",
                rate_eur=Decimal("800.00"),
            )
            for n in range(105)
        )
        self.client.force_login(self.staff)
        first = self.client.get(f"/trajectories/{trajectory.pk}/")
        self.assertEqual(len(first.context["entries"].object_list), 100)
        self.assertContains(first, 'href="?entries_page=2" rel="next"', html=False)
        second = self.client.get(f"/trajectories/{trajectory.pk}/", {"entries_page": 2})
        # The newest first: the oldest days are on the second page.
        self.assertEqual(
            [entry.date for entry in second.context["entries"]][-1], datetime.date(2022, 1, 10)
        )
        self.assertEqual(len(second.context["entries"].object_list), 5)
