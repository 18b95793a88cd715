from django.conf import settings
from django.utils import translation

from profploeg.test import BaseTestCase


class HeaderTests(BaseTestCase):
    """The header gives each role its few main places and marks where the user is."""

    def setUp(self):
        super().setUp()
        translation.activate("en")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def places(self, user, url="/programmes/"):
        self.client.force_login(user)
        page = self.client.get(url, follow=True)
        return [str(place["label"]) for place in page.context["main_places"]], page

    def test_each_role_sees_its_main_places(self):
        expected = {
            self.staff: [
                "Home",
                "Programmes",
                "Trajectories",
                "Budget",
                "Evaluation",
                "De Vitrine",
                "Users",
            ],
            self.expert: ["Programmes", "Trajectories", "Person-days", "Budget"],
            self.alice: ["My applications", "Trajectories"],
            self.paula: ["My province"],
        }
        for user, labels in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(self.places(user, "/")[0], labels)

    def test_the_current_place_is_marked(self):
        for url, current in (
            ("/todo/", "/todo/"),
            ("/programmes/", "/programmes/"),
            (f"/programmes/{self.programme.pk}/", "/programmes/"),
            ("/trajectories/", "/trajectories/"),
            (f"/trajectories/budget/{self.programme.pk}/", "/trajectories/budget/"),
            ("/vitrine/manage/", "/vitrine/manage/"),
            ("/accounts/users/", "/accounts/users/"),
        ):
            with self.subTest(url=url):
                page = self.places(self.staff, url)[1]
                self.assertContains(page, 'aria-current="page"', count=1)
                self.assertContains(page, f'<a href="{current}" aria-current="page">', html=False)

    def test_the_header_is_a_labelled_navigation_landmark(self):
        page = self.places(self.expert)[1]
        self.assertContains(page, '<nav class="main-nav" aria-label="Main">')

    def test_anonymous_visitors_get_no_main_places(self):
        page = self.client.get("/vitrine/")
        self.assertNotIn("main_places", page.context)
        self.assertNotContains(page, "/vitrine/manage/")
