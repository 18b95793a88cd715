"""What the API tests share: a token per named user and JSON requests read in English."""

import datetime
from decimal import Decimal

import time_machine
from django.core.cache import cache
from django.utils import translation

from profploeg.accounts.models import User
from profploeg.api import services
from profploeg.lib.dates import at_brussels
from profploeg.test import BaseTestCase


class ApiTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        # Tokens are rows, rolled back after each test; rate-limit windows live in the cache.
        self.tokens: dict[str, str] = {}
        cache.clear()
        # Services called directly answer in the active language: the assertions read the
        # English message ids, as the requests ask with Accept-Language.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def token_for(self, user: User) -> str:
        if user.username not in self.tokens:
            _token, plaintext = services.create_token(user=user, name="test")
            self.tokens[user.username] = plaintext
        return self.tokens[user.username]

    def headers(self, user: User | None, **extra) -> dict:
        headers = {"Accept-Language": "en", **extra}
        if user is not None:
            headers["Authorization"] = f"Bearer {self.token_for(user)}"
        return headers

    def api_get(self, path: str, user: User | None = None, **params):
        return self.client.get(path, params, headers=self.headers(user))

    def api_post(self, path: str, data: dict, user: User | None = None, **headers):
        return self.client.post(
            path, data, content_type="application/json", headers=self.headers(user, **headers)
        )


def build_guidance(cls) -> None:
    """A programme of 2020 in guidance, through the services, on `cls`:

    Lier's trajectory runs in phase 3 with a day of Eva's; Mechelen's runs in phase 1 with half a
    day of Ed's; Brugge's is planned; Boom's intake is planned; Duffel is accepted without an
    intake. Eva (`cls.eva`) is the expert user `eva`; Ed has no login. Lier filled in its intake
    form. Everything happened before August 2021, when the API tests run."""
    # Imported here: the trajectories app builds on applications, and most API tests need neither.
    from profploeg.applications import services as application_services
    from profploeg.test import make_programme, make_round, municipality
    from profploeg.trajectories import services

    def travel(day: datetime.date):
        return time_machine.travel(at_brussels(day), tick=False)

    staff = cls.staff
    cls.guidance_programme = make_programme(
        title="Profploeg 2020",
        published_on=datetime.date(2020, 1, 6),
        capacity=10,
        budget_eur=Decimal("400000.00"),
    )
    make_round(
        cls.guidance_programme,
        opens_on=datetime.date(2020, 1, 6),
        deadline=datetime.date(2020, 2, 28),
    )
    with travel(datetime.date(2020, 1, 10)):
        cls.eva = services.create_expert(
            by=staff,
            name="Eva Expert",
            organisation="Stedenbouw BV",
            email="eva@consortium.be",
            day_rate_eur=Decimal("800.00"),
            rate_valid_from=datetime.date(2020, 1, 1),
            user=cls.expert,
        )
        cls.ed = services.create_expert(
            by=staff,
            name="Ed Detail",
            organisation="Retail NV",
            day_rate_eur=Decimal("1000.00"),
            rate_valid_from=datetime.date(2020, 1, 1),
        )
        cls.offer = services.create_offer(
            by=staff,
            programme=cls.guidance_programme,
            total_eur=Decimal("400000.00"),
            capacity=10,
            average_person_days=Decimal("20.0"),
            valid_from=datetime.date(2020, 1, 6),
        )
    applications = {}
    for name in ("Lier", "Brugge", "Mechelen", "Boom", "Duffel"):
        application = application_services.submit_application(
            programme=cls.guidance_programme,
            municipality=municipality(name),
            submitted_by=staff,
            received_at=at_brussels(datetime.date(2020, 1, 20)),
            contact_name="Contact",
            contact_email=f"centrum@{name.lower()}.be",
            question="Hoe versterken we ons centrum?",
        )
        for version, status in enumerate(("admissible", "accepted"), start=1):
            application_services.change_status(
                application=application,
                to_status=status,
                by=staff,
                expected_version=version,
                at=at_brussels(datetime.date(2020, 2, 10)),
            )
        applications[name] = application
    cls.duffel_application = applications["Duffel"]
    intakes = {}
    with travel(datetime.date(2020, 2, 15)):
        for name in ("Lier", "Brugge", "Mechelen", "Boom"):
            intakes[name] = services.plan_intake(
                by=staff,
                application=applications[name],
                planned_at=at_brussels(datetime.date(2020, 3, 2)),
                location="Stadhuis",
                experts=[cls.eva, cls.ed],
            )
    cls.boom_intake = intakes["Boom"]
    with travel(datetime.date(2020, 2, 20)):
        services.submit_intake_form(
            by=cls.alice,
            application=applications["Lier"],
            scores={name: 3 for name in services.FIVE_B_NAMES},
            comments={"awareness": "Weinig gekend."},
        )
    trajectories = {}
    with travel(datetime.date(2020, 3, 3)):
        for name in ("Lier", "Brugge", "Mechelen"):
            trajectories[name] = services.record_intake_outcome(
                by=staff,
                intake=intakes[name],
                held_on=datetime.date(2020, 3, 2),
                agreed_question=f"Leegstand in {name} aanpakken",
                assignments=[
                    services.PlannedAssignment(cls.eva, Decimal("10")),
                    services.PlannedAssignment(cls.ed, Decimal("5")),
                ],
                planned_start=datetime.date(2020, 3, 9),
                planned_end=datetime.date(2020, 10, 30),
            )
    on = datetime.date(2020, 3, 9)
    with travel(datetime.date(2020, 3, 10)):
        for name in ("Lier", "Mechelen"):
            trajectories[name] = services.start_trajectory(
                by=staff, trajectory=trajectories[name], on=on
            )
        for _step in range(2):
            trajectories["Lier"] = services.advance_phase(
                by=staff, trajectory=trajectories["Lier"], on=on
            )
    with travel(datetime.date(2020, 4, 1)):
        cls.lier_entry = services.register_person_days(
            by=cls.expert,
            expert=cls.eva,
            trajectory=trajectories["Lier"],
            day=datetime.date(2020, 3, 10),
            days=Decimal("1.0"),
            activity="analysis",
        )
        services.register_person_days(
            by=staff,
            expert=cls.ed,
            trajectory=trajectories["Mechelen"],
            day=datetime.date(2020, 3, 11),
            days=Decimal("0.5"),
            activity="workshop",
            note="Werksessie",
        )
    cls.lier_trajectory = trajectories["Lier"]
    cls.brugge_trajectory = trajectories["Brugge"]
    cls.mechelen_trajectory = trajectories["Mechelen"]
