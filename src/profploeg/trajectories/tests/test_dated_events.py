"""Intakes held and trajectory steps taken before they were recorded here keep their real date."""

import datetime
from decimal import Decimal

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from profploeg.lib.dates import at_brussels
from profploeg.trajectories import services
from profploeg.trajectories.models import Intake, IntakeNotice, Trajectory

from .base import TrajectoryTestCase

D = datetime.date
TODAY = D(2022, 3, 15)


class HeldIntakeTests(TrajectoryTestCase):
    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(at_brussels(TODAY, 15), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        # Accepted on 2 August 2021.
        self.application = self.accepted()

    def record(self, **kw):
        fields = {
            "by": self.staff,
            "application": self.application,
            "held_on": D(2022, 2, 14),
            "agreed_question": "Leegstand aanpakken",
            "assignments": [services.PlannedAssignment(self.eva, Decimal("8"))],
            "planned_start": D(2022, 3, 1),
            "planned_end": D(2022, 10, 31),
        }
        fields.update(kw)
        return services.record_held_intake(**fields)

    def test_an_intake_held_last_month_plans_the_trajectory_from_that_day(self):
        trajectory = self.record(location="Stadhuis")

        intake = trajectory.intake
        self.assertEqual((intake.status, intake.held_on), (Intake.Status.HELD, D(2022, 2, 14)))
        self.assertEqual(intake.location, "Stadhuis")
        self.assertEqual(list(intake.experts.all()), [self.eva])
        self.assertEqual(trajectory.created_on, D(2022, 2, 14))
        self.assertEqual(trajectory.status, Trajectory.Status.PLANNED)
        self.assertEqual(trajectory.events.get().effective_on, D(2022, 2, 14))
        self.assertEqual(trajectory.assignments.get().assigned_on, D(2022, 2, 14))
        self.assertFalse(IntakeNotice.objects.exists())
        self.assertTrue(Trajectory.objects.existing_on(D(2022, 2, 14)).filter(pk=trajectory.pk))

    def test_an_intake_held_in_the_future_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "is in the future"):
            self.record(held_on=D(2022, 3, 16), planned_start=D(2022, 4, 1))
        self.assertFalse(Intake.objects.exists())

    def test_an_intake_before_the_acceptance_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "before the application was accepted"):
            self.record(held_on=D(2021, 8, 1))
        self.assertFalse(Intake.objects.exists())

    def test_the_outcome_rules_still_hold_and_nothing_is_kept(self):
        with self.assertRaisesMessage(ValidationError, "Assign at least one expert"):
            self.record(assignments=[])
        with self.assertRaisesMessage(ValidationError, "cannot start before its intake"):
            self.record(planned_start=D(2022, 2, 1))
        self.assertFalse(Intake.objects.exists())

    def test_an_application_with_a_planned_intake_records_its_outcome_there(self):
        self.plan(self.application)
        with self.assertRaisesMessage(ValidationError, "already has an intake"):
            self.record()

    def test_only_accepted_applications_get_an_intake(self):
        other = self.submit(self.brugge)
        with self.assertRaisesMessage(ValidationError, "Only an accepted application"):
            self.record(application=other)

    def test_the_team_records_it_on_the_page(self):
        self.client.force_login(self.expert)
        url = reverse("trajectories:intake_held", args=[self.application.pk])
        self.assertContains(self.client.get(url), "Record an intake already held")
        body = {
            "held_on": "2022-02-14",
            "agreed_question": "Leegstand aanpakken",
            "planned_start": "2022-03-01",
            "planned_end": "2022-10-31",
            "location": "Stadhuis",
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-expert": self.eva.pk,
            "form-0-planned_days": "8",
        }
        refused = self.client.post(url, {**body, "held_on": "2021-08-01"})
        self.assertContains(refused, "before the application was accepted", status_code=400)

        response = self.client.post(url, body)

        trajectory = Trajectory.objects.get()
        self.assertRedirects(response, reverse("trajectories:detail", args=[trajectory.pk]))
        self.assertEqual(trajectory.created_on, D(2022, 2, 14))

    def test_the_api_records_it(self):
        from profploeg.api import services as api_services

        _token, plaintext = api_services.create_token(user=self.staff, name="t")
        body = {
            "application": self.application.pk,
            "held_on": "2022-02-14",
            "agreed_question": "Leegstand aanpakken",
            "planned_start": "2022-03-01",
            "planned_end": "2022-10-31",
            "assignments": [{"expert": self.eva.pk, "planned_days": "8"}],
        }
        headers = {"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"}
        future = self.client.post(
            "/api/intakes/held",
            {**body, "held_on": "2022-03-16"},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(future.status_code, 422)
        self.assertIn("held_on", future.json()["fields"])

        response = self.client.post(
            "/api/intakes/held", body, content_type="application/json", headers=headers
        )

        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["created_on"], "2022-02-14")


class BackdatedStepTests(TrajectoryTestCase):
    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(at_brussels(D(2022, 11, 29), 15), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def test_every_step_can_take_its_real_past_date(self):
        trajectory = self.trajectory(start=D(2022, 1, 10))
        trajectory = services.advance_phase(by=self.staff, trajectory=trajectory, on=D(2022, 3, 1))
        trajectory = services.advance_phase(by=self.staff, trajectory=trajectory, on=D(2022, 6, 1))
        trajectory = services.complete_trajectory(
            by=self.staff, trajectory=trajectory, on=D(2022, 9, 30), findings="F", measures="M"
        )
        self.assertEqual(
            [(e.effective_on, e.to_status) for e in trajectory.events.all()],
            [
                (D(2021, 10, 5), "planned"),
                (D(2022, 1, 10), "running"),
                (D(2022, 3, 1), "running"),
                (D(2022, 6, 1), "running"),
                (D(2022, 9, 30), "completed"),
            ],
        )
        self.assertEqual(
            Trajectory.objects.filter(pk=trajectory.pk)
            .with_status_on(D(2022, 4, 1))
            .values_list("status_on", "phase_on")
            .get(),
            ("running", 2),
        )

    def test_a_start_before_the_intake_is_refused(self):
        trajectory = self.trajectory(start=None)
        with self.assertRaisesMessage(ValidationError, "last step was on"):
            services.start_trajectory(by=self.staff, trajectory=trajectory, on=D(2021, 10, 4))

    def test_a_completion_before_the_start_is_refused(self):
        trajectory = self.trajectory(start=D(2022, 1, 10))
        for _phase in (2, 3):
            trajectory = services.advance_phase(
                by=self.staff, trajectory=trajectory, on=D(2022, 1, 10)
            )
        with self.assertRaisesMessage(ValidationError, "last step was on"):
            services.complete_trajectory(
                by=self.staff, trajectory=trajectory, on=D(2022, 1, 9), findings="F", measures="M"
            )

    def test_a_stop_in_the_future_is_refused(self):
        trajectory = self.trajectory(start=D(2022, 1, 10))
        with self.assertRaisesMessage(ValidationError, "is in the future"):
            services.stop_trajectory(
                by=self.staff, trajectory=trajectory, on=D(2022, 11, 30), reason="Verkiezingen"
            )

    def test_a_person_day_before_the_start_is_refused(self):
        trajectory = self.trajectory(start=D(2022, 1, 10))
        with self.assertRaisesMessage(ValidationError, "started on"):
            self.register(trajectory, D(2022, 1, 7))

    def test_the_page_shows_when_a_step_took_effect_and_when_it_was_recorded(self):
        trajectory = self.trajectory(start=D(2022, 1, 10))
        self.client.force_login(self.staff)
        page = self.client.get(reverse("trajectories:detail", args=[trajectory.pk]))
        self.assertContains(page, "on 10 January 2022, recorded on 29 November 2022 by Sam Staff")
        self.assertContains(page, 'value="2022-11-29"')
