import datetime
import io

from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _

from profploeg.applications import services as application_services
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import InfoSession

from .base import ApiTestCase


class ResourceTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_application = cls.submit_for(cls.lier, datetime.date(2021, 8, 2))
        cls.brugge_application = cls.submit_for(cls.brugge, datetime.date(2021, 8, 20))
        InfoSession.objects.create(
            programme=cls.programme,
            title="Infowebinar",
            held_on=datetime.date(2021, 6, 25),
            registrations=130,
            attendees=122,
        )

    @classmethod
    def submit_for(cls, municipality, day):
        return application_services.submit_application(
            programme=cls.programme,
            municipality=municipality,
            submitted_by=cls.staff,
            received_at=at_brussels(day),
            contact_name="Contact",
            contact_email="contact@example.be",
            question="Hoe maken we onze kern bedrijviger?",
        )


class ProgrammeEndpointTests(ResourceTestCase):
    def test_programmes_rounds_and_info_sessions_are_listed(self):
        programmes = self.api_get("/api/programmes", self.alice).json()
        self.assertEqual(programmes["count"], 1)
        self.assertEqual(programmes["items"][0]["budget_eur"], "1500000.00")
        # Without an offer, the programme's own figures are the ones in force.
        self.assertEqual(
            (
                programmes["items"][0]["capacity_in_force"],
                programmes["items"][0]["total_in_force_eur"],
            ),
            (83, "1500000.00"),
        )
        rounds = self.api_get("/api/rounds", self.alice, programme=self.programme.pk).json()
        self.assertEqual([r["deadline"] for r in rounds["items"]], ["2021-08-13", "2021-11-12"])
        sessions = self.api_get("/api/info-sessions", self.paula).json()
        self.assertEqual(sessions["items"][0]["attendees"], 122)

    def test_rounds_sort_and_paginate(self):
        response = self.api_get("/api/rounds", self.staff, sort="-deadline", page_size=1, page=2)
        body = response.json()
        self.assertEqual((body["count"], body["page"], body["page_size"]), (2, 2, 1))
        self.assertEqual(body["items"][0]["number"], 1)

    def test_the_status_report_is_the_same_json_as_the_cli(self):
        out = io.StringIO()
        # In the language the API is asked in (labels are translated).
        with translation.override("en"):
            call_command(
                "report",
                "status",
                "--as-of",
                "2021-09-01",
                "--programme",
                str(self.programme.pk),
                "--round",
                "2",
                stdout=out,
            )
        response = self.api_get(
            f"/api/programmes/{self.programme.pk}/status", self.staff, as_of="2021-09-01", round=2
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode(), out.getvalue())
        self.assertEqual(response.json()["rounds"][0]["municipalities"][0]["name"], "Brugge")

    def test_the_status_report_as_csv_is_the_clis_in_either_dialect(self):
        path = f"/api/programmes/{self.programme.pk}/status"
        for dialect in ("excel", "machine"):
            with self.subTest(dialect=dialect):
                out = io.StringIO()
                call_command(
                    "report", "status", "--as-of", "2021-09-01", "--format", "csv",
                    "--programme", str(self.programme.pk), "--table", "rounds",
                    "--dialect", dialect, stdout=out,
                )  # fmt: skip
                response = self.api_get(
                    path, self.staff, as_of="2021-09-01", format="csv", table="rounds",
                    dialect=dialect,
                )  # fmt: skip
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                self.assertEqual(response.content.decode(), out.getvalue())
        excel = self.api_get(path, self.staff, as_of="2021-09-01", format="csv").content
        self.assertTrue(excel.decode().startswith("\ufeffRonde;NIS-code"))
        response = self.api_get(path, self.staff, format="csv", dialect="tsv")
        self.assertEqual(response.status_code, 422)
        self.assertIn("dialect", response.json()["fields"])

    def test_the_status_report_is_for_staff_and_experts_only(self):
        path = f"/api/programmes/{self.programme.pk}/status"
        self.assertEqual(self.api_get(path, self.expert).status_code, 200)
        response = self.api_get(path, self.alice)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "permission_denied")

    def test_a_bad_date_names_the_field(self):
        response = self.api_get(
            f"/api/programmes/{self.programme.pk}/status", self.staff, as_of="31/01/2022"
        )
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertEqual(body["code"], "invalid")
        self.assertEqual(body["fields"], {"as_of": ["Enter a valid date."]})

    def test_errors_are_in_dutch_by_default_and_english_when_asked(self):
        path = "/api/applications?round=abc"
        token = self.token_for(self.staff)
        dutch = self.client.get(path, headers={"Authorization": f"Bearer {token}"}).json()
        with translation.override("nl-be"):
            # Our catalogue's Dutch, or else Django's ("Voer een geheel getal in.").
            expected = _("Enter a whole number.")
        self.assertNotEqual(expected, "Enter a whole number.")
        self.assertEqual(dutch["fields"]["round"], [expected])
        english = self.client.get(
            path, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        ).json()
        self.assertEqual(english["fields"]["round"], ["Enter a whole number."])


class MunicipalityEndpointTests(ResourceTestCase):
    def test_a_merged_municipality_links_to_the_one_it_became(self):
        kortessem = self.api_get("/api/municipalities/73040", self.alice).json()
        self.assertEqual(kortessem["name"], "Kortessem")
        self.assertEqual(kortessem["valid_until"], "2024-12-31")
        new_hasselt = kortessem["merged_into"]
        self.assertEqual(kortessem["current"], new_hasselt)
        hasselt = self.api_get(f"/api/municipalities/{new_hasselt}", self.alice).json()
        self.assertIn("73040", hasselt["merged_from"])
        self.assertIsNone(hasselt["merged_into"])

    def test_municipalities_filter_by_province_and_day(self):
        body = self.api_get(
            "/api/municipalities",
            self.staff,
            province="70000",
            valid_on="2021-06-01",
            name="kortes",
        ).json()
        self.assertEqual([m["name"] for m in body["items"]], ["Kortessem"])
        body = self.api_get(
            "/api/municipalities",
            self.staff,
            province="70000",
            valid_on="2025-06-01",
            name="kortes",
        ).json()
        self.assertEqual(body["count"], 0)

    def test_an_unknown_refnis_is_404(self):
        response = self.api_get("/api/municipalities/99999", self.staff)
        self.assertEqual(response.status_code, 404)


class ApplicationEndpointTests(ResourceTestCase):
    def test_staff_see_every_application_filtered_and_sorted(self):
        body = self.api_get("/api/applications", self.staff, sort="municipality").json()
        self.assertEqual([a["municipality"]["name"] for a in body["items"]], ["Brugge", "Lier"])
        body = self.api_get("/api/applications", self.staff, round=self.round2.pk).json()
        self.assertEqual([a["municipality"]["name"] for a in body["items"]], ["Brugge"])
        body = self.api_get(
            "/api/applications",
            self.staff,
            received_from="2021-08-02",
            received_until="2021-08-02",
        ).json()
        self.assertEqual([a["municipality"]["name"] for a in body["items"]], ["Lier"])
        body = self.api_get("/api/applications", self.staff, province="30000").json()
        self.assertEqual([a["municipality"]["name"] for a in body["items"]], ["Brugge"])
        body = self.api_get("/api/applications", self.staff, status="admissible").json()
        self.assertEqual(body["count"], 0)

    def test_a_municipality_sees_only_its_own(self):
        body = self.api_get("/api/applications", self.alice).json()
        self.assertEqual([a["id"] for a in body["items"]], [self.lier_application.pk])
        response = self.api_get(f"/api/applications/{self.brugge_application.pk}", self.alice)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "not_found")

    def test_a_province_sees_its_municipalities(self):
        body = self.api_get("/api/applications", self.paula).json()
        self.assertEqual([a["municipality"]["refnis"] for a in body["items"]], ["12021"])

    def test_transitions_tell_who_when_and_why(self):
        self.decide(self.lier_application, "inadmissible", reason="Geen projectplan.")
        body = self.api_get(
            f"/api/applications/{self.lier_application.pk}/transitions", self.alice
        ).json()
        self.assertEqual(
            [(t["from_status"], t["to_status"], t["reason"]) for t in body],
            [("", "submitted", ""), ("submitted", "inadmissible", "Geen projectplan.")],
        )
        self.assertEqual(body[1]["by"], "sam")

    def test_referrals_are_visible_to_the_province_and_the_municipality(self):
        self.decide(self.lier_application, "inadmissible", reason="Geen projectplan.")
        application_services.record_referral(
            application=self.lier_application,
            by=self.paula,
            contacted_on=datetime.date(2021, 9, 1),
            outcome="pending",
        )
        for user in (self.paula, self.alice, self.staff):
            body = self.api_get("/api/referrals", user).json()
            self.assertEqual([r["application"] for r in body["items"]], [self.lier_application.pk])
        self.assertEqual(self.api_get("/api/referrals", self.bob).json()["count"], 0)
        single = self.api_get(f"/api/applications/{self.lier_application.pk}/referral", self.paula)
        self.assertEqual(single.json()["contacted_by"], "paula")


class QueryCountTests(ResourceTestCase):
    def count_queries(self, path: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.api_get(path, self.staff)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_a_list_costs_the_same_queries_however_many_items_it_holds(self):
        path = "/api/applications?page_size=200"
        # The first use of a token also notes when it was used: leave that write out.
        self.api_get(path, self.staff)
        few = self.count_queries(path)
        for name in ("Mechelen", "Gent", "Aalst", "Leuven"):
            self.submit_for(municipality_named(name), datetime.date(2021, 8, 3))
        self.assertEqual(self.count_queries(path), few)
        self.assertEqual(self.api_get(path, self.staff).json()["count"], 6)


def municipality_named(name: str):
    from profploeg.test import municipality

    return municipality(name)
