"""The interface speaks Dutch (nl-BE) first; English is one click away."""

from django.conf import settings
from django.urls import reverse

from profploeg.test import BaseTestCase


class LanguageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.application = cls.submit(cls)

    def setUp(self):
        self.client.force_login(self.alice)
        self.url = reverse("applications:detail", args=[self.application.pk])

    def test_a_page_is_in_dutch_by_default(self):
        response = self.client.get(self.url)

        self.assertContains(response, '<html lang="nl">')
        self.assertContains(response, ">Mijn aanvragen</a>")
        self.assertContains(response, "ronde 1 (indieningsdatum 13 augustus 2021)")
        self.assertContains(response, "Ingediend</span>")
        self.assertContains(response, "Berichten aan de gemeente")
        self.assertContains(response, ">Afmelden</button>")
        self.assertNotContains(response, "My applications")

    def test_the_same_page_with_the_english_cookie_is_in_english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

        response = self.client.get(self.url)

        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, ">My applications</a>")
        self.assertContains(response, "round 1 (deadline 13 August 2021)")
        self.assertContains(response, "Submitted</span>")
        self.assertContains(response, "Messages to the municipality")
        self.assertContains(response, ">Log out</button>")
        self.assertNotContains(response, "Mijn aanvragen")

    def test_a_browser_that_asks_for_english_gets_english(self):
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="en")

        self.assertContains(response, ">My applications</a>")

    def test_the_switch_in_the_header_changes_the_language_and_goes_back_to_the_page(self):
        page = self.client.get(self.url)
        self.assertContains(page, 'name="language" value="en"')

        response = self.client.post(reverse("set_language"), {"language": "en", "next": self.url})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertContains(self.client.get(self.url), ">My applications</a>")

        self.client.post(reverse("set_language"), {"language": "nl-be", "next": self.url})
        self.assertContains(self.client.get(self.url), ">Mijn aanvragen</a>")

    def test_django_own_messages_fall_back_to_its_dutch(self):
        self.client.logout()

        response = self.client.post(
            reverse("accounts:login"), {"username": "alice", "password": "wrong"}
        )

        self.assertContains(response, "Voer een juiste gebruikersnaam en wachtwoord in")
