import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from profploeg.test import PASSWORD, municipality
from profploeg.trajectories import services
from profploeg.trajectories.models import (
    Intake,
    IntakeForm,
    OfferAmendment,
    PersonDayCorrection,
    PersonDayEntry,
    PlanChange,
    Trajectory,
)

from .base import TrajectoryTestCase

D = datetime.date


class TrajectoryPageTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.register(cls.lier_trajectory, D(2022, 2, 1))

    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def test_municipality_sees_its_own_trajectory_with_experts_and_days(self):
        self.login(self.alice)
        response = self.client.get(reverse("trajectories:detail", args=[self.lier_trajectory.pk]))
        self.assertContains(response, "Eva Expert")
        self.assertContains(response, "Leegstand in de winkelstraat")
        self.assertNotContains(response, "Start trajectory")

    def test_stopping_needs_the_box_ticked(self):
        self.login(self.staff)
        url = reverse("trajectories:step", args=[self.lier_trajectory.pk, "stop"])
        data = {"on": "2022-03-01", "reason": "De gemeente trekt zich terug"}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "Tick the box to confirm stopping")
        self.lier_trajectory.refresh_from_db()
        self.assertEqual(self.lier_trajectory.status, "running")
        self.client.post(url, {**data, "confirm": "on"})
        self.lier_trajectory.refresh_from_db()
        self.assertEqual(self.lier_trajectory.status, "stopped")

    def test_other_municipality_gets_404(self):
        self.login(self.bob)
        response = self.client.get(reverse("trajectories:detail", args=[self.lier_trajectory.pk]))
        self.assertEqual(response.status_code, 404)

    def test_outsider_gets_403_on_the_list(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("trajectories:list")).status_code, 403)

    def test_province_sees_the_trajectories_of_its_municipalities(self):
        self.login(self.paula)
        response = self.client.get(reverse("trajectories:list"))
        self.assertContains(response, "Lier")

    def test_closing_report_is_shown_to_the_municipality(self):
        trajectory = self.lier_trajectory
        for day in (D(2022, 3, 1), D(2022, 6, 1)):
            trajectory = services.advance_phase(by=self.staff, trajectory=trajectory, on=day)
        services.complete_trajectory(
            by=self.staff,
            trajectory=trajectory,
            on=D(2022, 9, 1),
            findings="Sterke handelskern",
            measures="Leegstandsheffing",
        )
        self.login(self.alice)
        response = self.client.get(reverse("trajectories:detail", args=[trajectory.pk]))
        self.assertContains(response, "Leegstandsheffing")

    def test_expert_advances_the_phase_from_the_page(self):
        self.login(self.expert)
        url = reverse("trajectories:step", args=[self.lier_trajectory.pk, "advance"])
        response = self.client.post(url, {"on": "2022-03-01"})
        self.assertRedirects(
            response, reverse("trajectories:detail", args=[self.lier_trajectory.pk])
        )
        self.assertEqual(Trajectory.objects.get(pk=self.lier_trajectory.pk).phase, 2)

    def test_a_refused_step_shows_the_reason(self):
        self.login(self.staff)
        url = reverse("trajectories:step", args=[self.lier_trajectory.pk, "complete"])
        response = self.client.post(url, {"on": "2022-03-01"}, follow=True)
        self.assertContains(response, "phase 3")

    def test_staff_change_a_plan_from_a_date_on_the_page(self):
        self.login(self.staff)
        url = reverse("trajectories:assign", args=[self.lier_trajectory.pk])
        response = self.client.post(
            url,
            {"expert": self.eva.pk, "planned_days": "14", "on": "2022-03-01", "reason": "Extra"},
            follow=True,
        )
        self.assertContains(response, "The planned person-days were saved.")
        self.assertContains(response, "Plan changes")
        change = PlanChange.objects.filter(assignment__expert=self.eva).latest("effective_on")
        self.assertEqual((change.planned_days, change.effective_on), (Decimal("14"), D(2022, 3, 1)))

    def test_an_expert_cannot_change_planned_days_on_the_page(self):
        self.login(self.expert)
        url = reverse("trajectories:assign", args=[self.lier_trajectory.pk])
        response = self.client.post(url, {"expert": self.eva.pk, "planned_days": "99999.5"})
        self.assertEqual(response.status_code, 403)

    def test_staff_set_the_expected_end_on_the_page(self):
        self.login(self.staff)
        url = reverse("trajectories:expected_end", args=[self.lier_trajectory.pk])
        response = self.client.post(
            url, {"expected_end": "2030-01-31", "reason": "Raad beslist later"}, follow=True
        )
        self.assertContains(response, "The expected end was saved.")
        self.assertContains(response, "Raad beslist later")

    def test_an_expert_not_assigned_sees_no_steps(self):
        other = self.trajectory(municipality("Gent"), ed_days=None)
        self.login(self.ed_user)
        response = self.client.get(reverse("trajectories:detail", args=[other.pk]))
        self.assertNotContains(response, "Move to the next phase")
        url = reverse("trajectories:step", args=[other.pk, "advance"])
        self.assertEqual(self.client.post(url, {"on": "2022-03-01"}).status_code, 403)

    def test_municipality_cannot_post_a_step(self):
        self.login(self.alice)
        url = reverse("trajectories:step", args=[self.lier_trajectory.pk, "advance"])
        self.assertEqual(self.client.post(url, {"on": "2022-03-01"}).status_code, 403)


class IntakePageTests(TrajectoryTestCase):
    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def test_cancelling_an_intake_needs_the_box_ticked(self):
        intake = self.plan(self.accepted())
        self.login(self.staff)
        url = reverse("trajectories:intake_cancel", args=[intake.pk])
        response = self.client.post(url, {"reason": "Ziekte"}, follow=True)
        self.assertContains(response, "Tick the box to confirm the cancellation")
        intake.refresh_from_db()
        self.assertEqual(intake.status, "planned")
        self.client.post(url, {"reason": "Ziekte", "confirm": "on"})
        intake.refresh_from_db()
        self.assertEqual(intake.status, "cancelled")

    def test_staff_plans_an_intake_and_the_invitation_goes_out(self):
        application = self.accepted()
        self.login(self.staff)
        when = timezone.localtime() + datetime.timedelta(days=10)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("trajectories:intake_plan", args=[application.pk]),
                {
                    "planned_at": when.strftime("%Y-%m-%dT%H:%M"),
                    "duration_minutes": 90,
                    "location": "Stadhuis Lier",
                    "experts": [self.eva.pk],
                },
            )
        intake = Intake.objects.get()
        self.assertRedirects(response, reverse("trajectories:intake", args=[intake.pk]))
        self.assertEqual(len(mail.outbox), 1)
        ics = self.client.get(reverse("trajectories:intake_ics", args=[intake.pk]))
        self.assertIn(b"BEGIN:VCALENDAR", ics.content)

    def test_recording_the_outcome_plans_the_trajectory(self):
        intake = self.plan(self.accepted())
        self.login(self.expert)
        response = self.client.post(
            reverse("trajectories:intake_outcome", args=[intake.pk]),
            {
                "held_on": "2021-10-05",
                "agreed_question": "Meer beleving in de kern",
                "planned_start": "2022-01-10",
                "planned_end": "2022-09-30",
                "form-TOTAL_FORMS": "2",
                "form-INITIAL_FORMS": "0",
                "form-0-expert": self.eva.pk,
                "form-0-planned_days": "12",
                "form-1-expert": "",
                "form-1-planned_days": "",
            },
        )
        trajectory = Trajectory.objects.get()
        self.assertRedirects(response, reverse("trajectories:detail", args=[trajectory.pk]))
        self.assertEqual(trajectory.assignments.get().planned_days, Decimal("12"))

    def test_municipality_fills_in_its_intake_form_on_the_page(self):
        application = self.accepted()
        self.login(self.alice)
        data = {}
        for name in services.FIVE_B_NAMES:
            data[f"{name}_score"] = 4
            data[f"{name}_comment"] = f"over {name}"
        response = self.client.post(
            reverse("trajectories:intake_form", args=[application.pk]), data
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(IntakeForm.objects.get().policy_comment, "over policy")

    def test_the_intake_form_preselects_no_score_and_requires_each(self):
        application = self.accepted()
        self.login(self.alice)
        url = reverse("trajectories:intake_form", args=[application.pk])
        page = self.client.get(url).content.decode()
        # A browser shows the first option of a select: for every B that is "no score yet".
        self.assertEqual(page.count('<option value="" selected>'), 5)
        response = self.client.post(url, {"policy_score": 3})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(IntakeForm.objects.exists())

    def test_other_municipality_cannot_open_the_intake_form(self):
        application = self.accepted()
        self.login(self.bob)
        response = self.client.get(reverse("trajectories:intake_form", args=[application.pk]))
        self.assertEqual(response.status_code, 404)

    def test_other_municipality_gets_404_for_the_intake(self):
        intake = self.plan(self.accepted())
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("trajectories:intake", args=[intake.pk])).status_code, 404
        )


class PersonDayPageTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)

    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def test_every_entry_is_reachable_a_hundred_a_page(self):
        PersonDayEntry.objects.bulk_create(
            PersonDayEntry(
                expert=self.eva,
                trajectory=self.lier_trajectory,
                date=D(2022, 1, 10) + datetime.timedelta(days=n),
                days=Decimal("0.5"),
                activity="analysis",
                rate_eur=Decimal("800.00"),
            )
            for n in range(105)
        )
        self.login(self.expert)
        first = self.client.get(reverse("trajectories:days"))
        self.assertContains(first, "Page 1 of 2 (1–100 of 105)")
        self.assertEqual(len(first.context["entries"].object_list), 100)
        second = self.client.get(reverse("trajectories:days"), {"page": 2})
        self.assertEqual(len(second.context["entries"].object_list), 5)

    def test_expert_registers_a_day_on_the_page(self):
        self.login(self.expert)
        response = self.client.post(
            reverse("trajectories:days"),
            {
                "trajectory": self.lier_trajectory.pk,
                "day": "2022-02-01",
                "days": "0.5",
                "activity": "workshop",
                "note": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(PersonDayEntry.objects.get().days, Decimal("0.5"))

    def test_a_second_day_on_the_same_date_shows_the_refusal(self):
        self.register(self.lier_trajectory, D(2022, 2, 1))
        self.login(self.expert)
        response = self.client.post(
            reverse("trajectories:days"),
            {
                "trajectory": self.lier_trajectory.pk,
                "day": "2022-02-01",
                "days": "0.5",
                "activity": "workshop",
            },
        )
        self.assertContains(response, "at most 1 day per date")

    def test_import_page_reports_bad_rows_and_writes_nothing(self):
        self.login(self.expert)
        upload = io.BytesIO(
            b"date,municipality,days,activity\n2022-02-01,Lier,1,analysis\n2022-02-02,Lier,3,analysis\n"
        )
        upload.name = "dagen.csv"
        response = self.client.post(reverse("trajectories:days_import"), {"file": upload})
        self.assertContains(response, "Row 3")
        self.assertFalse(PersonDayEntry.objects.exists())

    def test_import_page_imports_good_rows(self):
        self.login(self.expert)
        upload = io.BytesIO(b"date,municipality,days,activity\n2022-02-01,Lier,1,analysis\n")
        upload.name = "dagen.csv"
        response = self.client.post(reverse("trajectories:days_import"), {"file": upload})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(PersonDayEntry.objects.count(), 1)

    def test_staff_correct_an_entry_with_a_reason(self):
        entry = self.register(self.lier_trajectory, D(2022, 2, 1))
        self.login(self.staff)
        response = self.client.post(
            reverse("trajectories:entry_correct", args=[entry.pk]),
            {
                "day": "2022-02-01",
                "days": "0.5",
                "activity": "analysis",
                "reason": "Halve dag",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(PersonDayCorrection.objects.get().new_days, Decimal("0.5"))

    def test_expert_cannot_open_the_correction_page(self):
        entry = self.register(self.lier_trajectory, D(2022, 2, 1))
        self.login(self.expert)
        response = self.client.get(reverse("trajectories:entry_correct", args=[entry.pk]))
        self.assertEqual(response.status_code, 403)


class BudgetPageTests(TrajectoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lier_trajectory = cls.trajectory(cls.lier)
        cls.register(cls.lier_trajectory, D(2022, 2, 1))

    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def test_expert_sees_the_budget_monitor_with_chart_and_method(self):
        self.login(self.expert)
        url = reverse("trajectories:budget", args=[self.programme.pk])
        response = self.client.get(url, {"as_of": "2022-02-28"})
        self.assertContains(response, "<svg")
        self.assertContains(response, "Burn-up data")
        self.assertContains(response, "P50 – P80")
        self.assertContains(response, "Days already worked are never priced again")
        self.assertContains(response, "Lier")

    def test_the_burn_up_axis_shows_euro_amounts_in_belgian_dutch(self):
        self.login(self.staff)
        url = reverse("trajectories:budget", args=[self.programme.pk])
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
        response = self.client.get(url, {"as_of": "2022-02-28"})
        chart = str(response.context["chart"])
        self.assertIn(">€ 500.000<", chart)
        self.assertIn(">€ 1,5 mln<", chart)
        self.assertNotIn("EUR", chart)
        self.assertNotRegex(chart, r"€ [0-9,]+k")
        self.assertIn(">02/2022<", chart)

    def test_municipality_cannot_see_the_budget_monitor(self):
        self.login(self.alice)
        url = reverse("trajectories:budget", args=[self.programme.pk])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_staff_amend_the_offer_on_the_page(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("trajectories:offer", args=[self.programme.pk]),
            {
                "effective_on": "2022-05-20",
                "total_eur": "2040000",
                "capacity": "113",
                "reason": "Bijkomende middelen voor een derde ronde",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(OfferAmendment.objects.get().capacity, 113)

    def test_staff_register_an_expert_with_a_day_rate(self):
        self.login(self.staff)
        response = self.client.post(
            reverse("trajectories:experts"),
            {
                "name": "Nora Nieuw",
                "organisation": "Universiteit",
                "day_rate_eur": "950",
                "rate_valid_from": "2021-09-01",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(reverse("trajectories:experts")), "Nora Nieuw")


class IntakeOutcomeFormTests(TrajectoryTestCase):
    def test_the_outcome_form_lists_the_invited_experts_with_real_inputs(self):
        intake = self.plan(self.accepted())
        self.client.force_login(self.staff)
        page = self.client.get(reverse("trajectories:intake", args=[intake.pk]))
        self.assertContains(page, f'<option value="{self.eva.pk}" selected>')
        self.assertNotContains(page, "&lt;input")
