"""Every endpoint, as every role, with ids that belong to others.

alice works for Lier (province of Antwerpen), bob for Brugge (West-Vlaanderen), paula for the
province of Antwerpen. Lier's application is submitted; Brugge's was declared inadmissible and
followed up by staff. The guidance of 2020 (`build_guidance`) has trajectories for Lier (running,
phase 3), Mechelen (running, phase 1) and Brugge (planned), Boom's planned intake and Duffel's
accepted application. Each action runs in a savepoint that is rolled back, so that every role
meets the same data."""

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from profploeg.applications import services as application_services
from profploeg.downloads import services as download_services
from profploeg.history.export import append, new_workbook, save
from profploeg.history.layout import SHEETS_BY_KEY
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import InfoSession, Theme
from profploeg.showcase.models import Case

from .base import ApiTestCase, build_guidance

PUBLIC = {"anonymous": 200, "alice": 200, "bob": 200, "paula": 200, "expert": 200, "staff": 200}
ROLES = ("anonymous", "alice", "bob", "paula", "expert", "staff")
EVERYONE = {"anonymous": 401, "alice": 200, "bob": 200, "paula": 200, "expert": 200, "staff": 200}


def history_workbook() -> bytes:
    """A history workbook with only its programme: every sheet, one row."""
    book, sheets = new_workbook()
    append(
        sheets["programme"],
        SHEETS_BY_KEY["programme"],
        {
            "title": "Kernen",
            "published_on": datetime.date(2024, 1, 1),
            "capacity": 5,
            "budget_eur": 1000,
        },
    )
    return save(book)


IMPORT_CSV = "refnis;received_at;contact_name;contact_email;question\n44021;2021-08-03 10:00;C;c@gent.be;Vraag\n"


def expect(anonymous=401, **statuses) -> dict:
    return {"anonymous": anonymous, **statuses}


class PermissionWalkTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_guidance(cls)
        with time_machine.travel(at_brussels(datetime.date(2021, 8, 2)), tick=False):
            cls.lier_application = cls.submit_as_staff(cls.lier)
            cls.brugge_application = cls.submit_as_staff(cls.brugge)
            application_services.change_status(
                application=cls.brugge_application,
                to_status="inadmissible",
                by=cls.staff,
                expected_version=1,
                reason="Onvolledig.",
            )
            application_services.record_referral(
                application=cls.brugge_application,
                by=cls.staff,
                contacted_on=datetime.date(2021, 8, 2),
                outcome="pending",
            )
        # De Vitrine's public endpoints need a published case: made directly, on Brugge's trajectory.
        cls.case = Case.objects.create(
            trajectory=cls.brugge_trajectory,
            slug="brugge-kern",
            title="Brugge",
            summary="Samenvatting",
            question="Vraag",
            approach="Aanpak",
            measures="Maatregel",
            results="Resultaat",
            size_class="city",
            status=Case.Status.PUBLISHED,
            approved_version=1,
            first_published_at=at_brussels(datetime.date(2021, 8, 1)),
            public_changed_at=at_brussels(datetime.date(2021, 8, 1)),
        )

    @classmethod
    def submit_as_staff(cls, municipality):
        return application_services.submit_application(
            programme=cls.programme,
            municipality=municipality,
            submitted_by=cls.staff,
            contact_name="Contact",
            contact_email="contact@example.be",
            question="Vraag",
        )

    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(at_brussels(datetime.date(2021, 8, 3)), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)

    def endpoints(self) -> list[tuple[str, str, str, dict | None, dict]]:
        """(method, schema path, concrete path, body, expected status per role)."""
        lier, brugge = self.lier_application.pk, self.brugge_application.pk
        programme, round_ = self.programme.pk, self.round1.pk
        new_application = {
            "programme": programme,
            "municipality": "44021",
            "contact_name": "C",
            "contact_email": "c@gent.be",
            "question": "Vraag",
        }
        staff_only = expect(alice=403, bob=403, paula=403, expert=403, staff=200)
        return (
            self.application_endpoints(lier, brugge, programme, round_, new_application, staff_only)
            + self.guidance_endpoints()
            + self.evaluation_endpoints()
            + self.setup_endpoints()
            + self.user_endpoints()
            + self.download_endpoints()
        )

    def download_endpoints(self) -> list[tuple[str, str, str, dict | None, dict]]:
        """A download is its requester's alone (staff's here, still queued: its file is 409)."""
        download = download_services.request_download(
            user=self.staff,
            kind="status_report",
            params={"programme": self.programme.pk, "as_of": "2021-08-03", "format": "pdf"},
        )
        requester = expect(alice=404, bob=404, paula=404, expert=404)
        return [
            (
                "POST",
                "/api/programmes/{programme_id}/status/exports",
                f"/api/programmes/{self.programme.pk}/status/exports",
                {"format": "xlsx"},
                expect(alice=403, bob=403, paula=403, expert=202, staff=202),
            ),
            (
                "GET",
                "/api/downloads/{download_id}",
                f"/api/downloads/{download.pk}",
                None,
                {**requester, "staff": 200},
            ),
            (
                "GET",
                "/api/downloads/{download_id}/file",
                f"/api/downloads/{download.pk}/file",
                None,
                {**requester, "staff": 409},
            ),
        ]

    def setup_endpoints(self) -> list[tuple[str, str, str, dict | None, dict]]:
        """Programme set-up: staff only, but for the reads the pages also show others."""
        programme, round2, eva = self.programme.pk, self.round2.pk, self.eva
        session, _created = InfoSession.objects.get_or_create(
            programme=self.programme, title="Infowebinar", held_on=datetime.date(2021, 6, 25)
        )
        theme = Theme.objects.order_by("pk").first().pk
        staff_creates = expect(alice=403, bob=403, paula=403, expert=403, staff=201)
        staff_changes = expect(alice=403, bob=403, paula=403, expert=403, staff=200)
        team = expect(alice=403, bob=403, paula=403, expert=200, staff=200)
        new_programme = {
            "title": "Nieuw",
            "published_on": "2021-08-01",
            "capacity": 10,
            "budget_eur": "1000",
        }
        offer = {
            "total_eur": "1500000",
            "capacity": 83,
            "average_person_days": "15",
            "valid_from": "2021-06-28",
        }
        dates = {"opens_on": "2022-01-01", "deadline": "2022-03-01"}
        return [
            ("POST", "/api/programmes", "/api/programmes", new_programme, staff_creates),
            (
                "PATCH",
                "/api/programmes/{programme_id}",
                f"/api/programmes/{programme}",
                {"capacity": 90},
                staff_changes,
            ),
            (
                "POST",
                "/api/programmes/{programme_id}/rounds",
                f"/api/programmes/{programme}/rounds",
                dates,
                staff_creates,
            ),
            (
                "PATCH",
                "/api/rounds/{round_id}",
                f"/api/rounds/{round2}",
                {"deadline": "2021-11-19"},
                staff_changes,
            ),
            (
                "POST",
                "/api/programmes/{programme_id}/info-sessions",
                f"/api/programmes/{programme}/info-sessions",
                {"title": "Webinar", "held_on": "2021-06-30", "attendees": 40},
                staff_creates,
            ),
            (
                "GET",
                "/api/info-sessions/{session_id}",
                f"/api/info-sessions/{session.pk}",
                None,
                EVERYONE,
            ),
            (
                "PATCH",
                "/api/info-sessions/{session_id}",
                f"/api/info-sessions/{session.pk}",
                {"attendees": 122},
                staff_changes,
            ),
            ("GET", "/api/themes", "/api/themes", None, EVERYONE),
            ("POST", "/api/themes", "/api/themes", {"name": "Nieuw thema"}, staff_creates),
            (
                "PATCH",
                "/api/themes/{theme_id}",
                f"/api/themes/{theme}",
                {"name": "Ander thema"},
                staff_changes,
            ),
            (
                "POST",
                "/api/programmes/{programme_id}/offer",
                f"/api/programmes/{programme}/offer",
                offer,
                staff_creates,
            ),
            ("GET", "/api/organisations", "/api/organisations", None, team),
            (
                "POST",
                "/api/organisations",
                "/api/organisations",
                {"name": "Nieuw BV"},
                staff_creates,
            ),
            (
                "PATCH",
                "/api/organisations/{organisation_id}",
                f"/api/organisations/{eva.organisation_id}",
                {"name": "Stedenbouw NV"},
                staff_changes,
            ),
            ("GET", "/api/expertise-areas", "/api/expertise-areas", None, team),
            (
                "POST",
                "/api/expertise-areas",
                "/api/expertise-areas",
                {"name": "Logistiek"},
                staff_creates,
            ),
            (
                "POST",
                "/api/experts",
                "/api/experts",
                {"name": "Nieuwe expert", "organisation": eva.organisation_id},
                staff_creates,
            ),
            (
                "PATCH",
                "/api/experts/{expert_id}",
                f"/api/experts/{eva.pk}",
                {"email": "eva@stedenbouw.be"},
                staff_changes,
            ),
        ]

    def user_endpoints(self) -> list[tuple[str, str, str, dict | None, dict]]:
        staff_only = expect(alice=403, bob=403, paula=403, expert=403)
        bob = self.bob.pk
        invitation = {"email": "nieuw@lier.be", "role": "municipality", "municipality": "12021"}
        return [
            ("GET", "/api/users", "/api/users", None, {**staff_only, "staff": 200}),
            (
                "GET",
                "/api/users/{user_id}",
                f"/api/users/{bob}",
                None,
                {**staff_only, "staff": 200},
            ),
            (
                "POST",
                "/api/users/invitations",
                "/api/users/invitations",
                invitation,
                {**staff_only, "staff": 201},
            ),
            (
                "POST",
                "/api/users/{user_id}/deactivate",
                f"/api/users/{bob}/deactivate",
                {},
                {**staff_only, "staff": 200},
            ),
            (
                "POST",
                "/api/users/{user_id}/reactivate",
                f"/api/users/{bob}/reactivate",
                {},
                {**staff_only, "staff": 200},
            ),
            # bob chose a password long ago: there is no invitation to send again.
            (
                "POST",
                "/api/users/{user_id}/invitation",
                f"/api/users/{bob}/invitation",
                {},
                {**staff_only, "staff": 422},
            ),
        ]

    def evaluation_endpoints(self) -> list[tuple[str, str, str, dict | None, dict]]:
        guidance = self.guidance_programme.pk
        return [
            ("GET", "/api/showcase/cases", "/api/showcase/cases", None, PUBLIC),
            (
                "GET",
                "/api/showcase/cases/{slug}",
                f"/api/showcase/cases/{self.case.slug}",
                None,
                PUBLIC,
            ),
            ("GET", "/api/showcase/figures", "/api/showcase/figures", None, PUBLIC),
            (
                "GET",
                "/api/programmes/{programme_id}/evaluation",
                f"/api/programmes/{guidance}/evaluation?as_of=2021-08-03",
                None,
                expect(alice=403, bob=403, paula=403, expert=200, staff=200),
            ),
        ]

    def application_endpoints(self, lier, brugge, programme, round_, new_application, staff_only):
        return [
            ("GET", "/api/me", "/api/me", None, EVERYONE),
            ("GET", "/api/programmes", "/api/programmes", None, EVERYONE),
            (
                "GET",
                "/api/programmes/{programme_id}",
                f"/api/programmes/{programme}",
                None,
                EVERYONE,
            ),
            (
                "GET",
                "/api/programmes/{programme_id}/status",
                f"/api/programmes/{programme}/status",
                None,
                expect(alice=403, bob=403, paula=403, expert=200, staff=200),
            ),
            ("GET", "/api/rounds", "/api/rounds", None, EVERYONE),
            ("GET", "/api/rounds/{round_id}", f"/api/rounds/{round_}", None, EVERYONE),
            ("GET", "/api/info-sessions", "/api/info-sessions", None, EVERYONE),
            ("GET", "/api/provinces", "/api/provinces", None, EVERYONE),
            ("GET", "/api/municipalities", "/api/municipalities", None, EVERYONE),
            ("GET", "/api/municipalities/{refnis}", "/api/municipalities/31005", None, EVERYONE),
            ("GET", "/api/applications", "/api/applications", None, EVERYONE),
            (
                "GET",
                "/api/applications/{application_id}",
                f"/api/applications/{brugge}",
                None,
                expect(alice=404, bob=200, paula=404, expert=200, staff=200),
            ),
            (
                "GET",
                "/api/applications/{application_id}/transitions",
                f"/api/applications/{lier}/transitions",
                None,
                expect(alice=200, bob=404, paula=200, expert=200, staff=200),
            ),
            ("GET", "/api/referrals", "/api/referrals", None, EVERYONE),
            (
                "GET",
                "/api/applications/{application_id}/referral",
                f"/api/applications/{brugge}/referral",
                None,
                expect(alice=404, bob=200, paula=404, expert=200, staff=200),
            ),
            (
                "POST",
                "/api/applications",
                "/api/applications",
                new_application,
                expect(alice=403, bob=403, paula=403, expert=403, staff=201),
            ),
            (
                "POST",
                "/api/applications/multipart",
                "/api/applications/multipart",
                {"multipart": new_application},
                expect(alice=403, bob=403, paula=403, expert=403, staff=201),
            ),
            (
                "POST",
                "/api/applications/{application_id}/decision",
                f"/api/applications/{lier}/decision",
                {"to_status": "admissible", "expected_version": 1},
                expect(alice=403, bob=404, paula=403, expert=403, staff=200),
            ),
            (
                "POST",
                "/api/applications/{application_id}/withdraw",
                f"/api/applications/{lier}/withdraw",
                {"expected_version": 1},
                # Staff record a withdrawal only with how it came in (a channel).
                expect(alice=200, bob=404, paula=403, expert=403, staff=422),
            ),
            (
                "POST",
                "/api/applications/{application_id}/referral",
                f"/api/applications/{brugge}/referral",
                {"contacted_on": "2021-08-03", "outcome": "declined"},
                expect(alice=404, bob=403, paula=404, expert=403, staff=200),
            ),
            (
                "POST",
                "/api/imports/applications",
                "/api/imports/applications",
                {"multipart": {"programme": programme, "dry_run": "true"}, "csv": IMPORT_CSV},
                staff_only,
            ),
            (
                "POST",
                "/api/imports/history",
                "/api/imports/history",
                {"multipart": {"dry_run": "true"}, "xlsx": history_workbook()},
                staff_only,
            ),
        ]

    def guidance_endpoints(self) -> list[tuple[str, str, str, dict | None, dict]]:
        guidance = self.guidance_programme.pk
        eva, lier_entry = self.eva.pk, self.lier_entry.pk
        lier, mechelen = self.lier_trajectory.pk, self.mechelen_trajectory.pk
        brugge, boom = self.brugge_trajectory.pk, self.boom_intake.pk
        team = expect(alice=403, bob=403, paula=403, expert=200, staff=200)
        staff_creates = expect(alice=403, bob=403, paula=403, expert=403, staff=201)
        # Boom and Mechelen lie in alice's province, not in her municipality.
        antwerp_team = expect(alice=404, bob=404, paula=403, expert=200, staff=200)
        lier_team = expect(alice=403, bob=404, paula=403, expert=200, staff=200)
        meeting = {"planned_at": "2021-09-06T14:00:00+02:00", "location": "Gemeentehuis"}
        return [
            ("GET", "/api/experts", "/api/experts", None, team),
            ("GET", "/api/experts/{expert_id}", f"/api/experts/{eva}", None, team),
            (
                "POST",
                "/api/experts/{expert_id}/day-rates",
                f"/api/experts/{eva}/day-rates",
                {"valid_from": "2021-08-01", "rate_eur": "850.00"},
                staff_creates,
            ),
            (
                "GET",
                "/api/programmes/{programme_id}/offer",
                f"/api/programmes/{guidance}/offer",
                None,
                team,
            ),
            (
                "POST",
                "/api/programmes/{programme_id}/offer/amendments",
                f"/api/programmes/{guidance}/offer/amendments",
                {
                    "effective_on": "2021-08-01",
                    "total_eur": "450000",
                    "capacity": 11,
                    "reason": "Besluit",
                },
                staff_creates,
            ),
            (
                "GET",
                "/api/programmes/{programme_id}/budget",
                f"/api/programmes/{guidance}/budget",
                None,
                team,
            ),
            ("GET", "/api/intakes", "/api/intakes", None, EVERYONE),
            (
                "GET",
                "/api/intakes/{intake_id}",
                f"/api/intakes/{boom}",
                None,
                expect(alice=404, bob=404, paula=200, expert=200, staff=200),
            ),
            (
                "POST",
                "/api/intakes",
                "/api/intakes",
                {"application": self.duffel_application.pk, **meeting},
                expect(alice=403, bob=403, paula=403, expert=201, staff=201),
            ),
            (
                "POST",
                "/api/intakes/{intake_id}/reschedule",
                f"/api/intakes/{boom}/reschedule",
                meeting,
                antwerp_team,
            ),
            (
                "POST",
                "/api/intakes/{intake_id}/cancel",
                f"/api/intakes/{boom}/cancel",
                {"reason": "Verkiezingen"},
                antwerp_team,
            ),
            (
                "POST",
                "/api/intakes/{intake_id}/outcome",
                f"/api/intakes/{boom}/outcome",
                {
                    "held_on": "2021-08-02",
                    "agreed_question": "Vraag",
                    "planned_start": "2021-09-01",
                    "planned_end": "2022-04-30",
                    "assignments": [{"expert": eva, "planned_days": "10"}],
                },
                expect(alice=404, bob=404, paula=403, expert=201, staff=201),
            ),
            (
                "POST",
                "/api/intakes/held",
                "/api/intakes/held",
                {
                    "application": self.duffel_application.pk,
                    "held_on": "2021-08-02",
                    "agreed_question": "Vraag",
                    "planned_start": "2021-09-01",
                    "planned_end": "2022-04-30",
                    "assignments": [{"expert": eva, "planned_days": "10"}],
                },
                expect(alice=403, bob=403, paula=403, expert=201, staff=201),
            ),
            ("GET", "/api/trajectories", "/api/trajectories", None, EVERYONE),
            (
                "GET",
                "/api/trajectories/{trajectory_id}",
                f"/api/trajectories/{lier}",
                None,
                expect(alice=200, bob=404, paula=200, expert=200, staff=200),
            ),
            (
                "POST",
                "/api/trajectories/{trajectory_id}/start",
                f"/api/trajectories/{brugge}/start",
                {"on": "2021-08-02"},
                expect(alice=404, bob=403, paula=404, expert=200, staff=200),
            ),
            (
                "POST",
                "/api/trajectories/{trajectory_id}/advance",
                f"/api/trajectories/{mechelen}/advance",
                {"on": "2021-08-02"},
                antwerp_team,
            ),
            (
                "POST",
                "/api/trajectories/{trajectory_id}/complete",
                f"/api/trajectories/{lier}/complete",
                {"on": "2021-08-02", "findings": "Bevindingen", "measures": "Maatregelen"},
                lier_team,
            ),
            (
                "POST",
                "/api/trajectories/{trajectory_id}/stop",
                f"/api/trajectories/{lier}/stop",
                {"on": "2021-08-02", "reason": "Geen tijd"},
                lier_team,
            ),
            (
                "POST",
                "/api/trajectories/{trajectory_id}/assign",
                f"/api/trajectories/{lier}/assign",
                {"expert": eva, "planned_days": "12"},
                expect(alice=403, bob=404, paula=403, expert=403, staff=200),
            ),
            (
                "POST",
                "/api/trajectories/{trajectory_id}/expected-end",
                f"/api/trajectories/{lier}/expected-end",
                {"expected_end": "2099-06-30", "reason": "Gemeenteraad beslist later"},
                expect(alice=403, bob=404, paula=403, expert=403, staff=200),
            ),
            ("GET", "/api/person-days", "/api/person-days", None, EVERYONE),
            (
                "GET",
                "/api/person-days/{entry_id}",
                f"/api/person-days/{lier_entry}",
                None,
                expect(alice=200, bob=404, paula=200, expert=200, staff=200),
            ),
            (
                "POST",
                "/api/person-days",
                "/api/person-days",
                {
                    "expert": eva,
                    "trajectory": lier,
                    "date": "2020-10-15",
                    "days": "1",
                    "activity": "workshop",
                },
                expect(alice=403, bob=403, paula=403, expert=201, staff=201),
            ),
            (
                "POST",
                "/api/person-days/{entry_id}/correction",
                f"/api/person-days/{lier_entry}/correction",
                {"days": "0.5", "reason": "Halve dag"},
                expect(alice=403, bob=404, paula=403, expert=403, staff=200),
            ),
        ]

    def send(self, method: str, path: str, body: dict | None, role: str):
        headers = self.headers(self.user(role))
        if method == "GET":
            return self.client.get(path, headers=headers)
        if method == "PATCH":
            return self.client.patch(path, body, content_type="application/json", headers=headers)
        if "multipart" in body:
            data = dict(body["multipart"])
            if "csv" in body:
                data["file"] = SimpleUploadedFile("export.csv", body["csv"].encode())
            if "xlsx" in body:
                data["file"] = SimpleUploadedFile("history.xlsx", body["xlsx"])
            return self.client.post(path, data, headers=headers)
        return self.client.post(path, body, content_type="application/json", headers=headers)

    def test_the_walk_covers_every_endpoint_of_the_schema(self):
        schema = self.client.get("/api/openapi.json").json()
        documented = {
            (method.upper(), path) for path, item in schema["paths"].items() for method in item
        }
        walked = {(method, path) for method, path, _concrete, _body, _expected in self.endpoints()}
        self.assertEqual(documented, walked)

    def test_every_endpoint_as_every_role(self):
        # Tokens first: a token made inside a rolled-back savepoint would be gone.
        for role in ROLES[1:]:
            self.token_for(self.user(role))
        for method, _path, concrete, body, expected in self.endpoints():
            for role in ROLES:
                with self.subTest(endpoint=f"{method} {concrete}", role=role):
                    savepoint = transaction.savepoint()
                    try:
                        response = self.send(method, concrete, body, role)
                    finally:
                        transaction.savepoint_rollback(savepoint)
                    self.assertEqual(response.status_code, expected[role], response.content[:300])
                    self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")

    def test_lists_hold_only_what_each_role_may_see(self):
        lier, brugge = self.lier_application.pk, self.brugge_application.pk
        visible = {
            "alice": {lier},
            "bob": {brugge},
            "paula": {lier},
            "expert": {lier, brugge},
            "staff": {lier, brugge},
        }
        for role, ids in visible.items():
            with self.subTest(role=role):
                body = self.api_get(
                    "/api/applications", self.user(role), programme=self.programme.pk
                ).json()
                self.assertEqual({a["id"] for a in body["items"]}, ids)
                referrals = self.api_get("/api/referrals", self.user(role)).json()
                self.assertEqual({r["application"] for r in referrals["items"]}, ids & {brugge})

    def test_filters_cannot_widen_what_a_role_sees(self):
        body = self.api_get(
            "/api/applications", self.alice, municipality="31005", province="30000"
        ).json()
        self.assertEqual(body["count"], 0)
