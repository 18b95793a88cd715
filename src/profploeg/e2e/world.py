"""Small worlds for the browser tests, built through the same services as the pages.

The 2021 programme of profploeg.test (rounds closing 13 August and 12 November 2021) carries the
guidance: trajectories run from January 2022, so experts can register days on them today. A call
that is open today takes new applications."""

import datetime
from decimal import Decimal

import time_machine
from django.utils import timezone

from profploeg.accounts.models import User
from profploeg.applications import services as application_services
from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme, Theme
from profploeg.showcase import services as showcase_services
from profploeg.showcase.models import Case
from profploeg.test import make_programme, make_round, make_user, municipality
from profploeg.trajectories import services as trajectory_services
from profploeg.trajectories.models import Trajectory

D = datetime.date
Status = Application.Status
RECEIVED = D(2021, 8, 2)
TRAJECTORY_START = D(2022, 1, 10)


class World:
    """A user of every role, the 2021 programme with its offer, and an expert with a day rate.

    alice works for Lier (province of Antwerpen), bob for Brugge; eva is the expert `eva` logs
    in as; paula follows up the province of Antwerpen."""

    def __init__(self):
        self.lier = municipality("Lier")
        self.brugge = municipality("Brugge")
        self.staff = make_user(
            "sam", User.Role.STAFF, first_name="Sam", last_name="Staf", email="sam@vlaio.be"
        )
        self.expert_user = make_user(
            "eva", User.Role.EXPERT, first_name="Eva", last_name="Expert", email="eva@example.be"
        )
        self.alice = make_user(
            "alice",
            User.Role.MUNICIPALITY,
            municipality=self.lier,
            first_name="Alice",
            last_name="Aerts",
            email="alice@lier.be",
        )
        self.bob = make_user(
            "bob", User.Role.MUNICIPALITY, municipality=self.brugge, email="bob@brugge.be"
        )
        self.programme = make_programme(title="Profploeg: bedrijvige kernen")
        self.round1 = make_round(self.programme)
        self.round2 = make_round(self.programme, opens_on=D(2021, 9, 1), deadline=D(2021, 11, 12))
        trajectory_services.create_offer(
            by=self.staff,
            programme=self.programme,
            total_eur=Decimal("1500000.00"),
            capacity=83,
            average_person_days=Decimal("20.0"),
            valid_from=D(2021, 6, 28),
        )
        self.eva = trajectory_services.create_expert(
            by=self.staff,
            name="Eva Expert",
            organisation="Stedenbouw BV",
            day_rate_eur=Decimal("800.00"),
            rate_valid_from=D(2021, 6, 1),
            user=self.expert_user,
        )

    def open_call(self) -> Programme:
        """A call that takes applications today."""
        today = timezone.localdate()
        programme = make_programme(
            title="Profploeg: nieuwe oproep", published_on=today - datetime.timedelta(days=45)
        )
        make_round(
            programme,
            opens_on=today - datetime.timedelta(days=40),
            deadline=today + datetime.timedelta(days=50),
        )
        return programme

    def submitted(self, place=None, **kw) -> Application:
        fields = {
            "contact_name": "Contact Persoon",
            "contact_email": "contact@example.be",
            "question": "Hoe maken we onze kern bedrijviger?",
            "themes": Theme.objects.all()[:2],
        }
        fields.update(kw)
        return application_services.submit_application(
            programme=self.programme,
            municipality=place or self.lier,
            submitted_by=self.staff,
            received_at=at_brussels(RECEIVED),
            **fields,
        )

    def accepted(self, place=None) -> Application:
        application = self.submitted(place)
        for status in (Status.ADMISSIBLE, Status.ACCEPTED):
            application = application_services.change_status(
                application=application,
                to_status=status,
                by=self.staff,
                expected_version=application.version,
                at=at_brussels(D(2021, 8, 20)),
            )
        return application

    def running(self, place=None) -> Trajectory:
        """A trajectory after an intake of 5 October 2021, running since 10 January 2022, with
        eva assigned for 12 days."""
        # One day per date for an expert over all trajectories: each one gets its own dates.
        offset = datetime.timedelta(days=Trajectory.objects.count())
        application = self.accepted(place)
        with time_machine.travel(datetime.datetime(2021, 9, 20, 9, 0), tick=False):
            intake = trajectory_services.plan_intake(
                by=self.staff,
                application=application,
                planned_at=at_brussels(D(2021, 10, 5)).replace(hour=14),
                location="Stadhuis",
                experts=[self.eva],
            )
        trajectory = trajectory_services.record_intake_outcome(
            by=self.staff,
            intake=intake,
            held_on=D(2021, 10, 5),
            agreed_question="Leegstand in de winkelstraat aanpakken",
            assignments=[trajectory_services.PlannedAssignment(self.eva, Decimal("12"))],
            planned_start=TRAJECTORY_START,
            planned_end=D(2022, 9, 30),
        )
        trajectory = trajectory_services.start_trajectory(
            by=self.staff, trajectory=trajectory, on=TRAJECTORY_START
        )
        for day in (D(2022, 1, 17) + offset, D(2022, 2, 7) + offset):
            trajectory_services.register_person_days(
                by=self.staff,
                expert=self.eva,
                trajectory=trajectory,
                day=day,
                days=Decimal("1.0"),
                activity="analysis",
            )
        return trajectory

    def completed(self, place=None) -> Trajectory:
        trajectory = self.running(place)
        for day in (D(2022, 3, 1), D(2022, 6, 1)):
            trajectory = trajectory_services.advance_phase(
                by=self.staff, trajectory=trajectory, on=day
            )
        return trajectory_services.complete_trajectory(
            by=self.staff,
            trajectory=trajectory,
            on=D(2022, 9, 30),
            findings="De kern is compact maar versnipperd.",
            measures="Kernwinkelgebied afbakenen; pop-upcontracten met eigenaars.",
        )

    def case_in_review(self, place=None, title="Leegstand wordt pop-up") -> Case:
        """A case of a completed trajectory that waits for the municipality's approval."""
        trajectory = self.completed(place)
        case = showcase_services.create_case(
            by=self.staff,
            trajectory=trajectory,
            title=title,
            summary="De winkelstraat kreeg opnieuw invulling met pop-ups.",
            size_class="medium",
            themes=Theme.objects.all()[:1],
        )
        case = showcase_services.update_case(
            by=self.staff,
            case=case,
            title=case.title,
            summary=case.summary,
            question=case.question,
            approach="Werksessies met eigenaars en handelaars.",
            measures=case.measures,
            results="Zes panden kregen een nieuwe invulling.",
            size_class=case.size_class,
            themes=case.themes.all(),
        )
        return showcase_services.submit_for_review(by=self.staff, case=case)

    def published_case(self, place=None, approver=None, **kw) -> Case:
        case = self.case_in_review(place, **kw)
        case = showcase_services.approve_case(
            by=approver or self.alice, case=case, version=case.content_version
        )
        return showcase_services.publish_case(by=self.staff, case=case)
