import datetime

from django.conf import settings
from django.utils import translation

from profploeg.test import BaseTestCase, make_programme


class HubTests(BaseTestCase):
    """The programme page leads to every page of the programme; those pages name it and let
    the team switch to the same page of another programme."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.newer = make_programme(title="Profploeg 2", published_on=datetime.date(2024, 3, 1))

    def setUp(self):
        super().setUp()
        translation.activate("en")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.client.force_login(self.staff)

    def test_the_programme_page_links_every_page_of_the_programme(self):
        page = self.client.get(f"/programmes/{self.programme.pk}/")
        pk = self.programme.pk
        for url in (
            f"/reports/programmes/{pk}/status/",
            f"/trajectories/budget/{pk}/",
            f"/trajectories/offer/{pk}/",
            f"/trajectories/?programme={pk}",
            f"/evaluations/programmes/{pk}/",
            f"/vitrine/manage/?programme={pk}",
            f"/applications/rounds/{self.round1.pk}/",
        ):
            with self.subTest(url=url):
                self.assertContains(page, f'href="{url}"')

    def test_an_expert_gets_no_staff_only_links(self):
        self.client.force_login(self.expert)
        page = self.client.get(f"/programmes/{self.programme.pk}/")
        self.assertContains(page, f'href="/trajectories/budget/{self.programme.pk}/"')
        self.assertNotContains(page, f'href="/evaluations/programmes/{self.programme.pk}/"')
        self.assertNotContains(page, f'href="/trajectories/offer/{self.programme.pk}/"')

    def test_every_programme_page_names_its_programme_and_offers_the_switch(self):
        pk = self.programme.pk
        for url, page_key in (
            (f"/programmes/{pk}/", "programme"),
            (f"/reports/programmes/{pk}/status/", "status"),
            (f"/trajectories/budget/{pk}/", "budget"),
            (f"/trajectories/offer/{pk}/", "offer"),
            (f"/evaluations/programmes/{pk}/", "evaluation"),
            (f"/applications/rounds/{self.round1.pk}/", "programme"),
            (f"/programmes/rounds/{self.round1.pk}/edit/", "programme"),
        ):
            with self.subTest(url=url):
                page = self.client.get(url)
                self.assertContains(page, f'<a href="/programmes/{pk}/">Profploeg</a>', html=True)
                self.assertContains(page, 'action="/programmes/switch/"')
                self.assertContains(
                    page, f'<input type="hidden" name="to" value="{page_key}">', html=True
                )
                self.assertContains(
                    page, f'<option value="{pk}" selected>Profploeg</option>', html=True
                )
                self.assertContains(
                    page, f'<option value="{self.newer.pk}">Profploeg 2</option>', html=True
                )

    def test_the_switch_goes_to_the_same_page_of_the_programme_chosen(self):
        for page_key, url in (
            ("budget", f"/trajectories/budget/{self.newer.pk}/"),
            ("evaluation", f"/evaluations/programmes/{self.newer.pk}/"),
            ("status", f"/reports/programmes/{self.newer.pk}/status/"),
            ("offer", f"/trajectories/offer/{self.newer.pk}/"),
            ("programme", f"/programmes/{self.newer.pk}/"),
        ):
            with self.subTest(page=page_key):
                response = self.client.get(
                    "/programmes/switch/", {"to": page_key, "programme": self.newer.pk}
                )
                self.assertRedirects(response, url, fetch_redirect_response=False)

    def test_the_switch_keeps_the_date_a_page_is_read_on(self):
        response = self.client.get(
            "/programmes/switch/",
            {"to": "status", "programme": self.newer.pk, "as_of": "2022-01-31"},
        )
        self.assertRedirects(
            response,
            f"/reports/programmes/{self.newer.pk}/status/?as_of=2022-01-31",
            fetch_redirect_response=False,
        )
        page = self.client.get(f"/reports/programmes/{self.newer.pk}/status/?as_of=2022-01-31")
        self.assertContains(page, '<input type="hidden" name="as_of" value="2022-01-31">')

    def test_an_unknown_programme_or_page_is_not_found(self):
        for query in (
            {"to": "budget", "programme": 9999},
            {"to": "budget", "programme": "x"},
            {"to": "../admin", "programme": self.newer.pk},
        ):
            with self.subTest(query=query):
                self.assertEqual(self.client.get("/programmes/switch/", query).status_code, 404)

    def test_the_budget_and_evaluation_entries_open_the_newest_programme_with_the_switch(self):
        for entry, url in (
            ("/trajectories/budget/", f"/trajectories/budget/{self.newer.pk}/"),
            ("/evaluations/", f"/evaluations/programmes/{self.newer.pk}/"),
        ):
            with self.subTest(entry=entry):
                response = self.client.get(entry, follow=True)
                self.assertEqual(response.redirect_chain[-1][0], url)
                self.assertContains(response, 'action="/programmes/switch/"')

    def test_with_one_programme_there_is_nothing_to_switch_to(self):
        self.newer.delete()
        page = self.client.get(f"/trajectories/budget/{self.programme.pk}/")
        self.assertContains(
            page, f'<a href="/programmes/{self.programme.pk}/">Profploeg</a>', html=True
        )
        self.assertNotContains(page, 'action="/programmes/switch/"')

    def test_a_municipality_may_not_switch(self):
        self.client.force_login(self.alice)
        response = self.client.get("/programmes/switch/", {"to": "budget", "programme": 1})
        self.assertEqual(response.status_code, 403)
