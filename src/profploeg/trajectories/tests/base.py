import datetime
from decimal import Decimal

import time_machine
from django.conf import settings
from django.utils import translation

from profploeg.accounts.models import User
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.test import BaseTestCase, make_user
from profploeg.trajectories import services
from profploeg.trajectories.models import Expert, Offer, Trajectory

Accepted = Application.Status.ACCEPTED


class TrajectoryTestCase(BaseTestCase):
    """BaseTestCase plus the offer, two experts with day rates (eva has a login, ed has another
    organisation and a login as `ed`), and helpers that walk an application to a trajectory."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.expert.email = "eva@consortium.be"
        cls.expert.save()
        cls.ed_user = make_user("ed", User.Role.EXPERT, email="ed@retail.be")
        cls.eva = services.create_expert(
            by=cls.staff,
            name="Eva Expert",
            organisation="Stedenbouw BV",
            day_rate_eur=Decimal("800.00"),
            rate_valid_from=datetime.date(2021, 6, 1),
            user=cls.expert,
        )
        cls.ed = services.create_expert(
            by=cls.staff,
            name="Ed Detail",
            organisation="Retail NV",
            day_rate_eur=Decimal("1000.00"),
            rate_valid_from=datetime.date(2021, 6, 1),
            user=cls.ed_user,
        )
        cls.offer = Offer.objects.create(
            programme=cls.programme,
            total_eur=Decimal("1500000.00"),
            capacity=83,
            average_person_days=Decimal("20.0"),
            valid_from=datetime.date(2021, 6, 28),
        )

    def setUp(self):
        super().setUp()
        # The assertions read the English message ids; the interface itself is Dutch first.
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    @classmethod
    def accepted(cls, municipality=None, day=datetime.date(2021, 8, 2)) -> Application:
        municipality = municipality or cls.lier
        application = cls.submit(cls, municipality=municipality, day=day)
        for status in (Application.Status.ADMISSIBLE, Accepted):
            cls.decide(cls, application, status, at=at_brussels(day))
        application.refresh_from_db()
        return application

    @classmethod
    def plan(cls, application, when=datetime.datetime(2021, 10, 5, 14, 0), **kw):
        fields = {"location": "Stadhuis", "experts": [cls.eva]}
        fields.update(kw)
        with time_machine.travel(datetime.datetime(2021, 9, 20, 9, 0), tick=False):
            return services.plan_intake(
                by=cls.staff,
                application=application,
                planned_at=when.replace(tzinfo=at_brussels(when.date()).tzinfo),
                **fields,
            )

    @classmethod
    def trajectory(
        cls,
        municipality=None,
        start: datetime.date | None = datetime.date(2022, 1, 10),
        eva_days=Decimal("10"),
        ed_days=Decimal("5"),
    ) -> Trajectory:
        """A trajectory held on 5 October 2021, running from `start` (None: still planned)."""
        application = cls.accepted(municipality)
        intake = cls.plan(application)
        assignments = [services.PlannedAssignment(cls.eva, eva_days)]
        if ed_days:
            assignments.append(services.PlannedAssignment(cls.ed, ed_days))
        trajectory = services.record_intake_outcome(
            by=cls.staff,
            intake=intake,
            held_on=datetime.date(2021, 10, 5),
            agreed_question="Leegstand in de winkelstraat aanpakken",
            assignments=assignments,
            planned_start=datetime.date(2022, 1, 10),
            planned_end=datetime.date(2022, 9, 30),
        )
        if start:
            trajectory = services.start_trajectory(by=cls.staff, trajectory=trajectory, on=start)
        return trajectory

    @classmethod
    def register(cls, trajectory, day, days="1.0", expert: Expert | None = None, **kw):
        expert = expert or cls.eva
        return services.register_person_days(
            by=cls.staff,
            expert=expert,
            trajectory=trajectory,
            day=day,
            days=Decimal(days),
            activity=kw.pop("activity", "analysis"),
            **kw,
        )
