"""Shared test fixtures: named users of every role and small builders."""

import datetime
from decimal import Decimal

from django.test import TestCase
from django.utils import translation

from profploeg.accounts.models import User
from profploeg.applications import services as application_services
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.municipalities.models import Municipality, Province
from profploeg.programmes.models import Programme, Round

PASSWORD = "correct-horse-battery"


def make_user(username: str, role: str, **kw) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, **kw)


def make_programme(**kw) -> Programme:
    fields = {
        "title": "Profploeg",
        "published_on": datetime.date(2021, 6, 28),
        "capacity": 83,
        "budget_eur": Decimal("1500000.00"),
    }
    fields.update(kw)
    return Programme.objects.create(**fields)


def make_round(programme: Programme, **kw) -> Round:
    last = programme.rounds.order_by("-number").first()
    fields = {
        "number": (last.number + 1) if last else 1,
        "opens_on": datetime.date(2021, 6, 28),
        "deadline": datetime.date(2021, 8, 13),
    }
    fields.update(kw)
    return Round.objects.create(programme=programme, **fields)


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name, valid_until__isnull=True)


class BaseTestCase(TestCase):
    """A programme with two rounds and a user of every role.

    Round 1 runs from 28 June to 13 August 2021; round 2 opens on 1 September and closes on
    12 November 2021, so an application of late August is a late one placed in round 2.

    alice and bob work for two different municipalities in two different provinces
    (Lier in Antwerpen, Brugge in West-Vlaanderen); paula works for the province of Antwerpen."""

    def setUp(self):
        super().setUp()
        # A request through the test client leaves its language active in the thread: every test
        # starts in the default language (Dutch), whatever the test before it asked for.
        translation.deactivate()
        self.addCleanup(translation.deactivate)

    @classmethod
    def setUpTestData(cls):
        cls.lier = municipality("Lier")
        cls.brugge = municipality("Brugge")
        cls.antwerpen_province = Province.objects.get(refnis="10000")
        cls.staff = make_user("sam", User.Role.STAFF, first_name="Sam", last_name="Staff")
        cls.staff2 = make_user("sofie", User.Role.STAFF)
        cls.expert = make_user("eva", User.Role.EXPERT)
        cls.alice = make_user("alice", User.Role.MUNICIPALITY, municipality=cls.lier)
        cls.bob = make_user("bob", User.Role.MUNICIPALITY, municipality=cls.brugge)
        cls.paula = make_user("paula", User.Role.PROVINCE, province=cls.antwerpen_province)
        cls.outsider = make_user("oscar", "")
        cls.programme = make_programme()
        cls.round1 = make_round(cls.programme)
        cls.round2 = make_round(
            cls.programme, opens_on=datetime.date(2021, 9, 1), deadline=datetime.date(2021, 11, 12)
        )

    def submit(
        self,
        municipality: Municipality | None = None,
        day: datetime.date = datetime.date(2021, 8, 2),
        by: User | None = None,
        **kw,
    ) -> Application:
        municipality = municipality or self.lier
        fields = {
            "contact_name": "Contact Persoon",
            "contact_email": "contact@example.be",
            "question": "Hoe maken we onze kern bedrijviger?",
        }
        fields.update(kw)
        return application_services.submit_application(
            programme=self.programme,
            municipality=municipality,
            submitted_by=by or self.staff,
            received_at=at_brussels(day),
            **fields,
        )

    def decide(self, application: Application, to_status: str, reason: str = "", by=None, **kw):
        application.refresh_from_db()
        return application_services.change_status(
            application=application,
            to_status=to_status,
            by=by or self.staff,
            expected_version=application.version,
            reason=reason,
            **kw,
        )
