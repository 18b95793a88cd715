"""A whole programme built through the API only, run through it, and read back in the status
report on past dates: what a new agency does without the demo or Django admin."""

import datetime
from decimal import Decimal

import time_machine

from profploeg.lib.dates import at_brussels

from .base import ApiTestCase

D = datetime.date


class WholeProgrammeThroughTheApiTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.traveller = None
        self.addCleanup(lambda: self.traveller and self.traveller.stop())

    def at(self, day: datetime.date, hour: int = 10) -> None:
        """From now on the clock shows that day (the one before stops)."""
        if self.traveller is not None:
            self.traveller.stop()
        self.traveller = time_machine.travel(at_brussels(day, hour), tick=False)
        self.traveller.start()

    def post(self, path: str, data: dict, user=None, status: int = 201) -> dict:
        response = self.api_post(path, data, user or self.staff)
        self.assertEqual(response.status_code, status, f"{path}: {response.content[:500]}")
        return response.json()

    def patch(self, path: str, data: dict) -> dict:
        response = self.client.patch(
            path, data, content_type="application/json", headers=self.headers(self.staff)
        )
        self.assertEqual(response.status_code, 200, f"{path}: {response.content[:500]}")
        return response.json()

    def status(self, programme: int, as_of: str) -> dict:
        response = self.api_get(f"/api/programmes/{programme}/status", self.staff, as_of=as_of)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.json()

    def decide(self, application: dict, to_status: str, reason: str = "") -> dict:
        return self.post(
            f"/api/applications/{application['id']}/decision",
            {"to_status": to_status, "expected_version": application["version"], "reason": reason},
            status=200,
        )

    def build(self) -> dict:
        """Staff set up the programme of 2023 in the first week of January, through the API."""
        self.at(D(2023, 1, 5))
        programme = self.post(
            "/api/programmes",
            {
                "title": "Kernversterking 2023",
                "description": "Open oproep voor bedrijvige kernen.",
                "published_on": "2023-01-09",
                "capacity": 3,
                "budget_eur": "90000.00",
            },
        )
        pid = programme["id"]
        self.post(
            f"/api/programmes/{pid}/rounds", {"opens_on": "2023-01-09", "deadline": "2023-02-28"}
        )
        round2 = self.post(
            f"/api/programmes/{pid}/rounds", {"opens_on": "2023-03-15", "deadline": "2023-06-30"}
        )
        # The deadline moves before anyone applied in round 2.
        self.patch(f"/api/rounds/{round2['id']}", {"deadline": "2023-05-31"})
        session = self.post(
            f"/api/programmes/{pid}/info-sessions",
            {"title": "Infowebinar", "held_on": "2023-01-12"},
        )
        self.post("/api/themes", {"name": "Marktplein"})
        lead = self.post("/api/organisations", {"name": "Kernadvies BV", "lead_partner": True})
        retail = self.post("/api/organisations", {"name": "Retail NV"})
        self.post("/api/expertise-areas", {"name": "Stedenbouw"})
        self.post("/api/expertise-areas", {"name": "Detailhandel"})
        self.post(
            "/api/experts",
            {
                "name": "Ann Peeters",
                "email": "ann@kernadvies.be",
                "organisation": lead["id"],
                "expertise_areas": ["stedenbouw"],
                "day_rate": {"valid_from": "2023-01-01", "rate_eur": "950.00"},
            },
        )
        bert = self.post(
            "/api/experts",
            {
                "name": "Bert Claes",
                "organisation": retail["id"],
                "expertise_areas": ["detailhandel"],
            },
        )
        self.post(
            f"/api/experts/{bert['id']}/day-rates", {"valid_from": "2023-01-01", "rate_eur": "800"}
        )
        self.post(
            f"/api/programmes/{pid}/offer",
            {
                "total_eur": "90000.00",
                "capacity": 3,
                "average_person_days": "10.0",
                "valid_from": "2023-01-09",
            },
        )
        # After the webinar: its attendees are known, its registrations were never counted.
        self.at(D(2023, 1, 13))
        self.patch(f"/api/info-sessions/{session['id']}", {"attendees": 45})
        return programme

    def run_programme(self, pid: int) -> None:
        """Two municipalities apply in round 1, a third after its deadline; staff decide; the
        offer grows from April on."""
        self.at(D(2023, 2, 1))
        lier = self.post(
            "/api/applications",
            {
                "programme": pid,
                "contact_name": "Lien",
                "contact_email": "centrum@lier.be",
                "question": "Hoe vullen we de leegstaande winkels?",
                "themes": ["marktplein"],
            },
            user=self.alice,
        )
        self.at(D(2023, 2, 10))
        brugge = self.post(
            "/api/applications",
            {
                "programme": pid,
                "contact_name": "Bram",
                "contact_email": "kern@brugge.be",
                "question": "Hoe maken we de Markt levendiger?",
            },
            user=self.bob,
        )
        # Received by staff between the rounds: it goes into round 2.
        self.at(D(2023, 3, 1))
        gent = self.post(
            "/api/applications",
            {
                "programme": pid,
                "municipality": "44021",
                "contact_name": "Greet",
                "contact_email": "kernen@gent.be",
                "question": "Hoe versterken we onze wijkkernen?",
            },
        )
        self.assertEqual(gent["round_number"], 2)
        self.at(D(2023, 3, 6))
        lier = self.decide(lier, "admissible")
        self.decide(lier, "accepted")
        self.decide(brugge, "inadmissible", "De vraag ontbreekt.")
        self.at(D(2023, 4, 3))
        self.post(
            f"/api/programmes/{pid}/offer/amendments",
            {
                "effective_on": "2023-04-01",
                "total_eur": "150000.00",
                "capacity": 5,
                "reason": "Bijkomend budget voor twee gemeenten.",
            },
        )
        self.at(D(2023, 4, 20))
        self.decide(gent, "admissible")

    def test_a_programme_built_and_run_through_the_api_reports_its_history(self):
        programme = self.build()
        pid = programme["id"]
        self.run_programme(pid)
        self.at(D(2023, 6, 1))

        february = self.status(pid, "2023-02-15")
        self.assertEqual(
            february["info_sessions"],
            [{"date": "2023-01-12", "title": "Infowebinar", "registrations": 0, "attendees": 45}],
        )
        self.assertEqual([r["number"] for r in february["rounds"]], [1])
        self.assertEqual(self.figures(february["rounds"][0]), figures(submitted=2, waiting=2))

        march = self.status(pid, "2023-03-31")
        round1, round2 = march["rounds"]
        self.assertEqual(
            self.figures(round1), figures(submitted=2, admissible=1, inadmissible=1, accepted=1)
        )
        self.assertEqual(
            {m["name"]: m["status"] for m in round1["municipalities"]},
            {"Lier": "accepted", "Brugge": "inadmissible"},
        )
        self.assertEqual(
            {m["name"]: m["reason"] for m in round1["municipalities"]}["Brugge"],
            "De vraag ontbreekt.",
        )
        self.assertEqual((round2["opens_on"], round2["deadline"]), ("2023-03-15", "2023-05-31"))
        self.assertEqual(self.figures(round2), figures(submitted=1, waiting=1))
        self.assertEqual(round2["late_from_previous_round"], 1)
        # Before the amendment took effect: the offer as first recorded.
        self.assertEqual((march["capacity"]["planned"], march["capacity"]["accepted"]), (3, 1))
        self.assertEqual(Decimal(march["budget"]["total_eur"]), Decimal("90000.00"))

        may = self.status(pid, "2023-05-01")
        self.assertEqual(
            self.figures(may["rounds"][1]), figures(submitted=1, admissible=1, assessing=1)
        )
        self.assertEqual(
            (may["capacity"]["planned"], may["capacity"]["accepted"], may["capacity"]["remaining"]),
            (5, 1, 4),
        )
        self.assertEqual(Decimal(may["budget"]["total_eur"]), Decimal("150000.00"))

        # The programme shows the offer in force; its set-up reads back through the API.
        self.assertEqual(
            self.api_get(f"/api/programmes/{pid}", self.alice).json()["budget_eur"], "150000.00"
        )
        experts = self.api_get("/api/experts", self.staff, sort="name").json()["items"]
        self.assertEqual(
            [(e["name"], e["organisation"], e["day_rate_eur"]) for e in experts],
            [("Ann Peeters", "Kernadvies BV", "950.00"), ("Bert Claes", "Retail NV", "800.00")],
        )

    @staticmethod
    def figures(round_: dict) -> dict:
        return {key: round_[key] for key in FIGURES}


FIGURES = (
    "submitted",
    "ever_admissible",
    "inadmissible",
    "accepted",
    "awaiting_admissibility",
    "awaiting_assessment",
)


def figures(
    *, submitted=0, admissible=0, inadmissible=0, accepted=0, waiting=0, assessing=0
) -> dict:
    """A round's decision figures: `waiting` for the admissibility check, `assessing` admissible
    and waiting for the assessment."""
    values = (submitted, admissible, inadmissible, accepted, waiting, assessing)
    return dict(zip(FIGURES, values, strict=True))
