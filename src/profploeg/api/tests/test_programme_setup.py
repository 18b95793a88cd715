"""Programme set-up through the API: programme, rounds, info sessions, themes, organisations,
expertise areas, experts with their day rates, the offer and its amendments."""

import datetime

import time_machine

from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme, Theme
from profploeg.trajectories.models import Expert, Offer, Organisation

from .base import ApiTestCase


def travel(day: datetime.date, hour: int = 12):
    return time_machine.travel(at_brussels(day, hour), tick=False)


class SetupTestCase(ApiTestCase):
    def api_patch(self, path: str, data: dict, user=None, **headers):
        return self.client.patch(
            path, data, content_type="application/json", headers=self.headers(user, **headers)
        )

    def created(self, path: str, data: dict, user=None) -> dict:
        response = self.api_post(path, data, user or self.staff)
        self.assertEqual(response.status_code, 201, response.content[:500])
        return response.json()

    def refused(self, response, field: str, status: int = 422) -> str:
        self.assertEqual(response.status_code, status, response.content[:500])
        body = response.json()
        self.assertEqual(set(body), {"code", "message", "fields"})
        self.assertIn(field, body["fields"], body)
        return body["fields"][field][0]


class ProgrammeEndpointTests(SetupTestCase):
    new_programme = {
        "title": "Bedrijvige kernen 2023",
        "published_on": "2023-01-09",
        "capacity": 30,
        "budget_eur": "600000.00",
    }

    def test_staff_create_a_programme(self):
        body = self.created("/api/programmes", self.new_programme)
        programme = Programme.objects.get(pk=body["id"])
        self.assertEqual(programme.title, "Bedrijvige kernen 2023")
        self.assertEqual(body["budget_eur"], "600000.00")
        self.assertEqual(body["description"], "")
        # Without an offer, the programme's own figures are the ones in force.
        self.assertEqual(body["capacity_in_force"], body["capacity"])

    def test_a_retry_with_the_same_key_creates_one_programme(self):
        for _attempt in range(2):
            response = self.api_post(
                "/api/programmes", self.new_programme, self.staff, **{"Idempotency-Key": "p-1"}
            )
            self.assertEqual(response.status_code, 201)
        self.assertEqual(Programme.objects.filter(title="Bedrijvige kernen 2023").count(), 1)
        self.assertEqual(response["Idempotent-Replayed"], "true")

    def test_only_staff_create_a_programme(self):
        for user in (self.expert, self.alice, self.paula):
            with self.subTest(user=user.username):
                response = self.api_post("/api/programmes", self.new_programme, user)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response.json()["code"], "permission_denied")
        self.assertFalse(Programme.objects.filter(title="Bedrijvige kernen 2023").exists())

    def test_a_capacity_of_zero_is_refused_with_its_rule(self):
        message = self.refused(
            self.api_post("/api/programmes", {**self.new_programme, "capacity": 0}, self.staff),
            "capacity",
        )
        self.assertIn("more than zero", message)

    def test_every_missing_field_is_named(self):
        response = self.api_post("/api/programmes", {}, self.staff)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            set(response.json()["fields"]), {"title", "published_on", "capacity", "budget_eur"}
        )

    def test_a_patch_changes_only_the_fields_it_names(self):
        response = self.api_patch(
            f"/api/programmes/{self.programme.pk}", {"capacity": 113}, self.staff
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.programme.refresh_from_db()
        self.assertEqual((self.programme.capacity, self.programme.title), (113, "Profploeg"))

    def test_a_patch_cannot_blank_the_title_or_send_null(self):
        url = f"/api/programmes/{self.programme.pk}"
        self.refused(self.api_patch(url, {"title": ""}, self.staff), "title")
        self.refused(self.api_patch(url, {"capacity": None}, self.staff), "capacity")
        self.programme.refresh_from_db()
        self.assertEqual(self.programme.title, "Profploeg")


class RoundEndpointTests(SetupTestCase):
    def test_staff_add_the_next_round(self):
        body = self.created(
            f"/api/programmes/{self.programme.pk}/rounds",
            {"opens_on": "2022-03-01", "deadline": "2022-05-31"},
        )
        self.assertEqual((body["number"], body["deadline"]), (3, "2022-05-31"))

    def test_a_round_overlapping_the_previous_one_is_refused(self):
        message = self.refused(
            self.api_post(
                f"/api/programmes/{self.programme.pk}/rounds",
                {"opens_on": "2021-11-01", "deadline": "2022-02-28"},
                self.staff,
            ),
            "opens_on",
        )
        self.assertIn("Round 2 is open until", message)
        self.assertEqual(self.programme.rounds.count(), 2)

    def test_a_deadline_before_the_opening_is_refused(self):
        message = self.refused(
            self.api_post(
                f"/api/programmes/{self.programme.pk}/rounds",
                {"opens_on": "2022-05-01", "deadline": "2022-04-01"},
                self.staff,
            ),
            "deadline",
        )
        self.assertIn("after its opening date", message)

    def test_a_patch_moves_an_empty_rounds_deadline(self):
        response = self.api_patch(
            f"/api/rounds/{self.round2.pk}", {"deadline": "2021-11-19"}, self.staff
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["opens_on"], "2021-09-01")
        self.round2.refresh_from_db()
        self.assertEqual(self.round2.deadline, datetime.date(2021, 11, 19))

    def test_a_deadline_cannot_move_past_the_next_rounds_opening(self):
        message = self.refused(
            self.api_patch(f"/api/rounds/{self.round1.pk}", {"deadline": "2021-09-05"}, self.staff),
            "deadline",
        )
        self.assertIn("Round 2 opens on", message)


class InfoSessionEndpointTests(SetupTestCase):
    def test_more_attendees_than_registrations_is_fine(self):
        body = self.created(
            f"/api/programmes/{self.programme.pk}/info-sessions",
            {"title": "Infowebinar", "held_on": "2021-06-25", "attendees": 122},
        )
        self.assertEqual((body["registrations"], body["attendees"]), (0, 122))

    def test_a_patch_corrects_the_registrations(self):
        session = self.created(
            f"/api/programmes/{self.programme.pk}/info-sessions",
            {"title": "Infowebinar", "held_on": "2021-06-25", "attendees": 122},
        )
        response = self.api_patch(
            f"/api/info-sessions/{session['id']}", {"registrations": 150}, self.staff
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            self.api_get(f"/api/info-sessions/{session['id']}", self.alice).json(),
            {**session, "registrations": 150},
        )

    def test_negative_attendees_are_refused(self):
        self.refused(
            self.api_post(
                f"/api/programmes/{self.programme.pk}/info-sessions",
                {"title": "Webinar", "held_on": "2021-06-25", "attendees": -1},
                self.staff,
            ),
            "attendees",
        )


class ThemeEndpointTests(SetupTestCase):
    def test_staff_add_a_theme_whose_slug_comes_from_its_name(self):
        body = self.created("/api/themes", {"name": "Marktplein en kermis"})
        self.assertEqual(body["slug"], "marktplein-en-kermis")
        slugs = {
            t["slug"]
            for t in self.api_get("/api/themes", self.alice, page_size=200).json()["items"]
        }
        self.assertIn("marktplein-en-kermis", slugs)

    def test_a_slug_already_taken_is_refused(self):
        taken = Theme.objects.first()
        message = self.refused(
            self.api_post("/api/themes", {"name": "Dubbel", "slug": taken.slug}, self.staff), "slug"
        )
        self.assertIn("already", message)

    def test_a_patch_renames_a_theme(self):
        theme = self.created("/api/themes", {"name": "Markt"})
        response = self.api_patch(f"/api/themes/{theme['id']}", {"name": "Markten"}, self.staff)
        self.assertEqual(response.json(), {**theme, "name": "Markten"})


class OfferEndpointTests(SetupTestCase):
    offer = {
        "total_eur": "1500000.00",
        "capacity": 83,
        "average_person_days": "15.0",
        "valid_from": "2021-06-28",
    }

    def test_staff_record_the_offer_once(self):
        with travel(datetime.date(2021, 7, 1)):
            body = self.created(f"/api/programmes/{self.programme.pk}/offer", self.offer)
            self.assertEqual(body["in_force"]["capacity"], 83)
            again = self.api_post(
                f"/api/programmes/{self.programme.pk}/offer", self.offer, self.staff
            )
        self.assertEqual(again.status_code, 422)
        self.assertIn("amend it instead", again.json()["message"])
        self.assertEqual(Offer.objects.filter(programme=self.programme).count(), 1)

    def test_a_negative_total_or_no_capacity_is_refused(self):
        url = f"/api/programmes/{self.programme.pk}/offer"
        self.refused(self.api_post(url, {**self.offer, "total_eur": "-1"}, self.staff), "total_eur")
        self.refused(self.api_post(url, {**self.offer, "capacity": 0}, self.staff), "capacity")
        self.refused(
            self.api_post(url, {**self.offer, "valid_until": "2021-06-01"}, self.staff),
            "valid_until",
        )

    def test_an_amendment_cannot_take_effect_before_the_offer(self):
        self.created(f"/api/programmes/{self.programme.pk}/offer", self.offer)
        message = self.refused(
            self.api_post(
                f"/api/programmes/{self.programme.pk}/offer/amendments",
                {
                    "effective_on": "2021-06-01",
                    "total_eur": "2000000",
                    "capacity": 113,
                    "reason": "Besluit",
                },
                self.staff,
            ),
            "effective_on",
        )
        self.assertIn("before the offer itself", message)


class ConsortiumEndpointTests(SetupTestCase):
    def test_staff_register_an_expert_with_a_first_day_rate(self):
        organisation = self.created(
            "/api/organisations", {"name": "Kernadvies BV", "lead_partner": True}
        )
        self.created("/api/expertise-areas", {"name": "Stedenbouw"})
        body = self.created(
            "/api/experts",
            {
                "name": "Ann Peeters",
                "email": "ann@kernadvies.be",
                "organisation": organisation["id"],
                "expertise_areas": ["stedenbouw"],
                "day_rate": {"valid_from": "2021-01-01", "rate_eur": "950.00"},
            },
        )
        self.assertEqual(body["organisation"], "Kernadvies BV")
        self.assertTrue(body["lead_partner"])
        self.assertEqual(body["expertise_areas"], ["stedenbouw"])
        self.assertEqual([r["rate_eur"] for r in body["day_rates"]], ["950.00"])

    def test_an_expert_without_a_day_rate_gets_one_later(self):
        organisation = self.created("/api/organisations", {"name": "Retail NV"})
        expert = self.created("/api/experts", {"name": "Bert", "organisation": organisation["id"]})
        self.assertEqual(expert["day_rates"], [])
        self.created(
            f"/api/experts/{expert['id']}/day-rates",
            {"valid_from": "2021-01-01", "rate_eur": "800"},
        )

    def test_unknown_references_are_named_at_once(self):
        response = self.api_post(
            "/api/experts",
            {
                "name": "X",
                "organisation": 999,
                "expertise_areas": ["nope"],
                "email": "not-an-email",
            },
            self.staff,
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            set(response.json()["fields"]), {"organisation", "expertise_areas", "email"}
        )
        self.assertFalse(Expert.objects.exists())

    def test_a_second_lead_partner_is_refused(self):
        self.created("/api/organisations", {"name": "Kernadvies BV", "lead_partner": True})
        message = self.refused(
            self.api_post(
                "/api/organisations", {"name": "Ander BV", "lead_partner": True}, self.staff
            ),
            "is_lead_partner",
        )
        self.assertIn("Kernadvies BV already leads", message)

    def test_an_organisation_name_is_unique_whatever_its_case(self):
        self.created("/api/organisations", {"name": "Retail NV"})
        self.refused(self.api_post("/api/organisations", {"name": "retail nv"}, self.staff), "name")
        self.assertEqual(Organisation.objects.count(), 1)

    def test_a_patch_moves_an_expert_and_deactivates_them(self):
        first = self.created("/api/organisations", {"name": "Retail NV"})
        second = self.created("/api/organisations", {"name": "Stad & Co"})
        expert = self.created("/api/experts", {"name": "Bert", "organisation": first["id"]})
        response = self.api_patch(
            f"/api/experts/{expert['id']}",
            {"organisation": second["id"], "is_active": False},
            self.staff,
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["organisation"], response.json()["is_active"]), ("Stad & Co", False)
        )
        self.assertEqual(response.json()["name"], "Bert")

    def test_experts_read_organisations_but_cannot_add_one(self):
        self.assertEqual(self.api_get("/api/organisations", self.expert).status_code, 200)
        self.assertEqual(
            self.api_post("/api/organisations", {"name": "Eigen BV"}, self.expert).status_code, 403
        )
        self.assertEqual(self.api_get("/api/organisations", self.alice).status_code, 403)


class SchemaNameTests(SetupTestCase):
    def test_no_two_schemas_of_the_endpoints_share_a_name(self):
        # The OpenAPI schema names components by class name: a second one would replace the first.
        from ninja import Schema

        from profploeg.api import endpoints

        names: dict[str, str] = {}
        for module in vars(endpoints).values():
            for value in vars(module).values() if hasattr(module, "router") else ():
                if isinstance(value, type) and issubclass(value, Schema) and value is not Schema:
                    if value.__module__ != module.__name__:
                        continue
                    with self.subTest(schema=value.__name__):
                        self.assertNotIn(value.__name__, names, module.__name__)
                    names[value.__name__] = module.__name__
        self.assertIn("ConsortiumOrganisationOut", names)
