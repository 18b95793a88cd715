import csv
import datetime
import io
import json

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from profploeg.programmes.models import Theme
from profploeg.showcase import services
from profploeg.showcase.models import Case
from profploeg.test import PASSWORD, municipality
from profploeg.trajectories.models import Trajectory

from .base import ShowcaseTestCase, jpeg
from .test_services import edit

PUBLIC_URLS = [
    "showcase:home",
    "showcase:cases",
    "showcase:map",
    "showcase:open_data",
    "showcase:cases_json",
    "showcase:cases_csv",
    "showcase:figures_json",
    "showcase:figures_csv",
    "showcase:sitemap",
]


class PublicTestCase(ShowcaseTestCase):
    def everything_public(self, **query) -> str:
        """Every public page and feed, as one text (search with `query` on the list)."""
        texts = []
        for name in PUBLIC_URLS:
            response = self.client.get(reverse(name), query if name == "showcase:cases" else None)
            self.assertEqual(response.status_code, 200, name)
            texts.append(response.content.decode())
        return "\n".join(texts)


class VisibilityTests(PublicTestCase):
    def test_public_pages_need_no_login(self):
        self.published()
        self.everything_public()

    def test_a_published_case_is_on_every_public_output(self):
        case = self.published()
        photo = services.add_photo(by=self.staff, case=case, image=jpeg(), alt_text="Gevels")
        case = services.approve_case(by=self.alice, case=case, version=case.content_version + 1)
        case = services.publish_case(by=self.staff, case=case)
        text = self.everything_public()
        self.assertIn(case.slug, text)
        self.assertIn("Leegstand wordt pop-up", text)
        detail = self.client.get(reverse("showcase:case", args=[case.slug]))
        self.assertContains(detail, 'alt="Gevels"')
        self.assertEqual(
            self.client.get(reverse("showcase:photo", args=[photo.pk])).status_code, 200
        )

    def test_draft_review_and_withdrawn_cases_are_never_public(self):
        cases = [
            self.draft(title="Geheim ontwerp"),
            services.submit_for_review(
                by=self.staff, case=self.draft(self.brugge, title="Geheim ter goedkeuring")
            ),
            self.withdrawn(
                municipality=municipality("Gent"),
                approver=self.gent_user,
                title="Geheim ingetrokken",
            ),
        ]
        photo = services.add_photo(by=self.staff, case=cases[0], image=jpeg(), alt_text="Iets")
        for case in cases:
            with self.subTest(case.status):
                detail = self.client.get(reverse("showcase:case", args=[case.slug]))
                self.assertEqual(detail.status_code, 404)
                for text in (self.everything_public(), self.everything_public(q="Geheim")):
                    self.assertNotIn(case.slug, text)
                    self.assertNotIn(case.title, text)
        self.assertEqual(
            self.client.get(reverse("showcase:photo", args=[photo.pk])).status_code, 404
        )
        payload = json.loads(self.client.get(reverse("showcase:cases_json")).content)
        self.assertEqual(payload["count"], 0)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gent_user = get_user_model().objects.create_user(
            "gerda", password=PASSWORD, role="municipality", municipality=municipality("Gent")
        )

    def test_a_case_taken_offline_for_a_text_change_leaves_the_public_site(self):
        case = self.published()
        self.assertEqual(
            self.client.get(reverse("showcase:case", args=[case.slug])).status_code, 200
        )
        edit(case, self.staff, results="Intussen acht panden.")
        self.assertEqual(
            self.client.get(reverse("showcase:case", args=[case.slug])).status_code, 404
        )

    def test_the_team_previews_a_draft_but_the_public_does_not(self):
        case = self.draft()
        url = reverse("showcase:preview", args=[case.pk])
        self.assertEqual(self.client.get(url).status_code, 302)
        self.client.login(username="bob", password=PASSWORD)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.login(username="alice", password=PASSWORD)
        self.assertContains(self.client.get(url), "Preview")


class PersonalDataTests(PublicTestCase):
    def test_no_contact_person_expert_or_approver_appears_publicly(self):
        case = self.published(phone="+32 3 123 45 67")
        services.add_photo(by=self.staff, case=case, image=jpeg(), alt_text="Gevels")
        case = services.approve_case(by=self.alice, case=case, version=case.content_version + 1)
        services.publish_case(by=self.staff, case=case)
        self.alice.first_name, self.alice.last_name, self.alice.email = (
            "Alice",
            "Aerts",
            "alice@lier.be",
        )
        self.alice.save()
        text = (
            self.everything_public()
            + self.client.get(reverse("showcase:case", args=[case.slug])).content.decode()
        )
        # The organisations of the experts are public, their names are not.
        self.assertIn("Stedenbouw BV", text)
        for personal in (
            "Contact Persoon",
            "contact@example.be",
            "123 45 67",
            "Eva Expert",
            "Ed Detail",
            "eva@consortium.be",
            "ed@retail.be",
            "Sam Staff",
            "Alice",
            "alice@lier.be",
        ):
            self.assertNotIn(personal, text)

    def published(self, phone: str = "", **kw) -> Case:
        case = super().published(**kw)
        application = case.trajectory.application
        application.contact_phone = phone
        application.save()
        return case


class CacheTests(PublicTestCase):
    def test_a_publication_shows_at_once_on_cached_pages(self):
        case = self.reviewed()
        list_url, json_url = reverse("showcase:cases"), reverse("showcase:cases_json")
        self.assertNotContains(self.client.get(list_url), case.title)
        self.assertNotContains(self.client.get(json_url), case.title)
        services.publish_case(by=self.staff, case=case)
        self.assertContains(self.client.get(list_url), case.title)
        self.assertContains(self.client.get(json_url), case.title)

    def test_a_withdrawal_shows_at_once_on_cached_pages(self):
        case = self.published()
        detail = reverse("showcase:case", args=[case.slug])
        self.assertEqual(self.client.get(detail).status_code, 200)
        self.assertContains(self.client.get(reverse("showcase:sitemap")), case.slug)
        services.withdraw_case(by=self.staff, case=case, reason="Op vraag van de gemeente.")
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.assertNotContains(self.client.get(reverse("showcase:sitemap")), case.slug)

    def test_a_change_to_a_published_case_updates_the_feed(self):
        case = self.published()
        theme = Theme.objects.create(slug="horeca", name="Horeca en terrassen")
        self.assertNotContains(
            self.client.get(reverse("showcase:cases_json")), "Horeca en terrassen"
        )
        edit(case, self.staff, themes=[theme])
        self.assertContains(self.client.get(reverse("showcase:cases_json")), "Horeca en terrassen")

    def test_a_cached_page_costs_one_query(self):
        case = self.published()
        url = reverse("showcase:case", args=[case.slug])
        self.client.get(url)
        # The version of the cache: the page itself is not rendered again.
        with self.assertNumQueries(1):
            self.assertEqual(self.client.get(url).status_code, 200)


class PublicChromeTests(PublicTestCase):
    def test_visitors_see_no_staff_links_and_the_team_does(self):
        manage = reverse("showcase:manage")
        self.assertNotContains(self.client.get(reverse("showcase:home")), manage)
        self.client.force_login(self.staff)
        self.assertContains(self.client.get(reverse("showcase:home")), manage)

    def test_pages_have_a_favicon(self):
        self.assertContains(self.client.get(reverse("showcase:home")), 'rel="icon"')


class OpenDataTests(PublicTestCase):
    def test_the_feeds_state_the_licence_in_payload_and_headers(self):
        self.published()
        for name in ("showcase:cases_json", "showcase:figures_json"):
            response = self.client.get(reverse(name))
            payload = json.loads(response.content)
            self.assertEqual(payload["licence"]["name"], "Modellicentie Gratis Hergebruik")
            self.assertIn('rel="license"', response["Link"])
            self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        for name in ("showcase:cases_csv", "showcase:figures_csv"):
            response = self.client.get(reverse(name))
            self.assertIn("Modellicentie Gratis Hergebruik", response.content.decode())
            self.assertIn('rel="license"', response["Link"])

    def test_case_text_that_looks_like_a_formula_is_text_in_the_csv(self):
        self.published(title='=HYPERLINK("http://evil.example")')
        rows = list(
            csv.reader(io.StringIO(self.client.get(reverse("showcase:cases_csv")).content.decode()))
        )
        self.assertTrue(rows[1][2].startswith("'="), rows[1][2])

    def test_open_data_csv_is_for_programs_by_default(self):
        self.published()
        text = self.client.get(reverse("showcase:cases_csv")).content.decode()
        self.assertTrue(text.startswith("id,url,title,municipality"))
        row = next(csv.DictReader(io.StringIO(text)))
        self.assertRegex(row["published_on"], r"^\d{4}-\d\d-\d\d$")

    def test_open_data_csv_for_excel_on_request(self):
        self.published()
        for name, header in (
            ("showcase:cases_csv", "Id;Url;Titel;Gemeente"),
            ("showcase:figures_csv", "Programma;Gepubliceerd op;Aanvragen"),
        ):
            with self.subTest(name=name):
                text = self.client.get(reverse(name), {"dialect": "excel"}).content.decode()
                self.assertTrue(text.startswith("\ufeff" + header), text[:80])
                row = next(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
                self.assertRegex(row["Gepubliceerd op"], r"^\d\d/\d\d/\d{4}$")
        response = self.client.get(reverse("showcase:cases_csv"), {"dialect": "tsv"})
        self.assertEqual(response.status_code, 400)

    def test_a_published_case_in_json_has_its_public_fields(self):
        case = self.published()
        record = json.loads(self.client.get(reverse("showcase:cases_json")).content)["cases"][0]
        self.assertEqual(record["municipality"]["name"], "Lier")
        self.assertEqual(record["municipality"]["province"], "Antwerpen")
        self.assertEqual(record["organisations"], ["Retail NV", "Stedenbouw BV"])
        self.assertEqual(record["measures"][0], "Kernwinkelgebied afbakenen")
        self.assertEqual(record["url"], f"http://127.0.0.1:8000/vitrine/cases/{case.slug}/")

    def test_figures_are_computed_from_the_data(self):
        self.published()
        self.complete(self.brugge, send=False)
        figures = json.loads(self.client.get(reverse("showcase:figures_json")).content)
        self.assertEqual(figures["total"]["applications"], 2)
        self.assertEqual(figures["total"]["municipalities_guided"], 2)
        self.assertEqual(figures["total"]["trajectories_completed"], 2)
        self.assertEqual(figures["total"]["published_cases"], 1)


class SearchTests(PublicTestCase):
    def test_search_and_filters_find_the_right_cases(self):
        lier = self.published(title="Leegstand wordt pop-up")
        brugge = self.published(
            self.brugge, approver=self.bob, title="Marktplein als ontmoetingsplek"
        )
        Case.objects.filter(pk=brugge.pk).update(size_class="city")
        Trajectory.objects.filter(pk=brugge.trajectory_id).update(
            ended_on=datetime.date(2023, 3, 1)
        )
        url = reverse("showcase:cases")
        for query, expected in (
            ({"q": "marktplein"}, brugge),
            ({"q": "lier"}, lier),
            ({"province": "30000"}, brugge),
            ({"size": "medium"}, lier),
            ({"year": "2022"}, lier),
            ({"year": "2023"}, brugge),
        ):
            with self.subTest(query):
                response = self.client.get(url, query)
                other = brugge if expected == lier else lier
                self.assertContains(response, expected.title)
                self.assertNotContains(response, other.title)

    def test_the_language_link_only_goes_back_to_this_site(self):
        response = self.client.get(
            reverse("showcase:language", args=["en"]), {"next": "https://evil.example/"}
        )
        self.assertEqual(response["Location"], reverse("showcase:home"))
        self.assertEqual(response.cookies["django_language"].value, "en")


@override_settings(LANGUAGE_CODE="nl-be")
class DutchTests(PublicTestCase):
    def test_the_case_page_reads_in_dutch(self):
        case = self.published()
        self.client.cookies.pop("django_language", None)
        response = self.client.get(
            reverse("showcase:case", args=[case.slug]), HTTP_ACCEPT_LANGUAGE="nl-be"
        )
        self.assertContains(response, 'lang="nl"')


class NavigationTests(ShowcaseTestCase):
    def test_every_page_links_to_de_vitrine_also_for_visitors(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, f'href="{reverse("showcase:home")}"')
