"""The guidance endpoints: experts, the offer, the budget monitor, intakes, trajectories and
person-days, through the same services (and so the same messages) as the pages."""

import datetime
import io
import json
from decimal import Decimal

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from profploeg.lib.dates import at_brussels
from profploeg.test import PASSWORD, make_user
from profploeg.trajectories import services
from profploeg.trajectories.models import (
    IntakeNotice,
    PersonDayCorrection,
    PersonDayEntry,
    Trajectory,
)

from .base import ApiTestCase, build_guidance

TODAY = datetime.date(2021, 8, 3)


class GuidanceTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_guidance(cls)

    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(at_brussels(TODAY), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def post(self, path: str, data: dict, user, key: str | None = None):
        headers = {"Idempotency-Key": key} if key else {}
        return self.api_post(path, data, user, **headers)

    def assertRefused(self, response, status: int, message: str, field: str | None = None):
        self.assertEqual(response.status_code, status, response.content)
        body = response.json()
        self.assertEqual(body["message"], message)
        if field:
            self.assertEqual(body["fields"][field], [message])


class ExpertEndpointTests(GuidanceTestCase):
    def test_staff_see_the_day_rates(self):
        body = self.api_get("/api/experts", self.staff, sort="-name").json()
        self.assertEqual([e["name"] for e in body["items"]], ["Eva Expert", "Ed Detail"])
        self.assertEqual(body["items"][0]["day_rate_eur"], "800.00")
        detail = self.api_get(f"/api/experts/{self.eva.pk}", self.staff).json()
        self.assertEqual([r["rate_eur"] for r in detail["day_rates"]], ["800.00"])
        self.assertEqual(detail["username"], "eva")
        self.assertEqual(len(detail["assignments"]), 3)

    def test_experts_see_each_other_but_not_the_rates(self):
        body = self.api_get("/api/experts", self.expert, organisation="retail").json()
        self.assertEqual(
            [(e["name"], e["day_rate_eur"]) for e in body["items"]], [("Ed Detail", None)]
        )
        detail = self.api_get(f"/api/experts/{self.ed.pk}", self.expert).json()
        self.assertIsNone(detail["day_rates"])

    def test_municipalities_and_provinces_cannot_list_experts(self):
        for user in (self.alice, self.paula):
            with self.subTest(user=user.username):
                self.assertEqual(self.api_get("/api/experts", user).status_code, 403)

    def test_staff_add_a_day_rate_and_registered_days_keep_theirs(self):
        path = f"/api/experts/{self.eva.pk}/day-rates"
        response = self.post(path, {"valid_from": "2020-03-01", "rate_eur": "900"}, self.staff)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["rate_eur"], "900.00")
        self.lier_entry.refresh_from_db()
        self.assertEqual(self.lier_entry.rate_eur, Decimal("800.00"))
        again = self.post(path, {"valid_from": "2020-03-01", "rate_eur": "950"}, self.staff)
        self.assertRefused(
            again,
            422,
            "Eva Expert already has a rate from 1 March 2020; pick another date or ask an "
            "administrator to correct it.",
            field="valid_from",
        )

    def test_a_rate_of_zero_is_refused_with_the_services_message(self):
        response = self.post(
            f"/api/experts/{self.eva.pk}/day-rates",
            {"valid_from": "2021-01-01", "rate_eur": "0"},
            self.staff,
        )
        self.assertRefused(response, 422, "A day rate must be more than zero.", field="rate_eur")

    def test_too_many_decimals_get_the_forms_message(self):
        response = self.post(
            f"/api/experts/{self.eva.pk}/day-rates",
            {"valid_from": "2021-01-01", "rate_eur": "800.125"},
            self.staff,
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["fields"]["rate_eur"],
            ["Ensure that there are no more than 2 decimal places."],
        )
        response = self.post(
            f"/api/experts/{self.eva.pk}/day-rates",
            {"valid_from": "2021-01-01", "rate_eur": "12345678901"},
            self.staff,
        )
        self.assertEqual(
            response.json()["fields"]["rate_eur"],
            ["Ensure that there are no more than 10 digits before the decimal point."],
        )

    def test_an_expert_cannot_set_a_rate(self):
        response = self.post(
            f"/api/experts/{self.eva.pk}/day-rates",
            {"valid_from": "2021-01-01", "rate_eur": "2000"},
            self.expert,
        )
        self.assertRefused(response, 403, "Only programme staff can do this.")


class OfferAndBudgetTests(GuidanceTestCase):
    def test_the_offer_has_the_total_in_force_on_the_date_asked(self):
        path = f"/api/programmes/{self.guidance_programme.pk}/offer/amendments"
        amendment = {
            "effective_on": "2021-01-01",
            "total_eur": "480000.00",
            "capacity": 12,
            "reason": "Ministerieel besluit",
        }
        response = self.post(path, amendment, self.staff)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["by"], "sam")
        path = f"/api/programmes/{self.guidance_programme.pk}/offer"
        before = self.api_get(path, self.expert, as_of="2020-12-31").json()
        after = self.api_get(path, self.expert).json()
        self.assertEqual(before["in_force"]["total_eur"], "400000.00")
        self.assertEqual(
            (after["in_force"]["total_eur"], after["in_force"]["capacity"]), ("480000.00", 12)
        )
        self.assertEqual(len(after["amendments"]), 1)

    def test_an_amendment_needs_a_reason(self):
        response = self.post(
            f"/api/programmes/{self.guidance_programme.pk}/offer/amendments",
            {"effective_on": "2021-01-01", "total_eur": "480000", "capacity": 12},
            self.staff,
        )
        self.assertRefused(
            response, 422, "Say why the offer changes (e.g. the decision).", field="reason"
        )

    def test_only_staff_amend_and_municipalities_do_not_read_the_offer(self):
        response = self.post(
            f"/api/programmes/{self.guidance_programme.pk}/offer/amendments",
            {"effective_on": "2021-01-01", "total_eur": "1", "capacity": 1, "reason": "x"},
            self.expert,
        )
        self.assertRefused(response, 403, "Only programme staff can do this.")
        path = f"/api/programmes/{self.guidance_programme.pk}/offer"
        self.assertEqual(self.api_get(path, self.alice).status_code, 403)

    def test_a_programme_without_an_offer_has_none(self):
        response = self.api_get(f"/api/programmes/{self.programme.pk}/offer", self.staff)
        self.assertEqual(response.status_code, 404)

    def test_the_budget_has_the_figures_of_the_page(self):
        self.client.login(username="eva", password=PASSWORD)
        page = self.client.get(
            reverse("trajectories:budget", args=[self.guidance_programme.pk]),
            {"as_of": "2020-06-30"},
        )
        monitor = page.context["monitor"]
        self.client.logout()
        body = self.api_get(
            f"/api/programmes/{self.guidance_programme.pk}/budget", self.expert, as_of="2020-06-30"
        ).json()
        self.assertEqual(body["as_of"], "2020-06-30")
        for name in ("total_eur", "remaining_eur", "forecast_at_completion_eur", "room_eur"):
            self.assertEqual(Decimal(body[name]), getattr(monitor, name), name)
        self.assertEqual(Decimal(body["committed_eur"]), monitor.totals.committed_eur)
        self.assertEqual(Decimal(body["consumed_eur"]), Decimal("1300.00"))
        self.assertEqual(Decimal(body["consumed_eur"]), monitor.totals.consumed_eur)
        self.assertEqual(body["accepted"], monitor.accepted)
        self.assertEqual(body["without_trajectory"], 2)
        self.assertEqual(
            [
                (m["label"], m["refnis"], Decimal(m["consumed_days"]))
                for m in body["municipalities"]
            ],
            [
                (g.label, r, g.consumed_days)
                for g, r in zip(monitor.municipalities, ("31005", "12021", "12025"), strict=True)
            ],
        )
        self.assertEqual(
            [line["expected_completion"] for line in body["trajectories"]],
            [line.expected_completion.isoformat() for line in monitor.lines],
        )
        self.assertEqual(len(body["burnup"]), len(monitor.burnup))
        self.assertEqual(body["rounds"][0]["number"], 1)

    def test_the_budget_is_for_staff_and_experts(self):
        path = f"/api/programmes/{self.guidance_programme.pk}/budget"
        self.assertEqual(self.api_get(path, self.staff).status_code, 200)
        for user in (self.alice, self.paula):
            with self.subTest(user=user.username):
                self.assertEqual(self.api_get(path, user).status_code, 403)


class IntakeEndpointTests(GuidanceTestCase):
    def test_each_municipality_and_province_sees_its_own_intakes(self):
        visible = {
            self.alice: ["Lier"],
            self.bob: ["Brugge"],
            self.paula: ["Boom", "Lier", "Mechelen"],
            self.expert: ["Boom", "Brugge", "Lier", "Mechelen"],
        }
        for user, names in visible.items():
            with self.subTest(user=user.username):
                body = self.api_get("/api/intakes", user, sort="municipality").json()
                self.assertEqual([i["municipality"]["name"] for i in body["items"]], names)
        response = self.api_get(f"/api/intakes/{self.boom_intake.pk}", self.alice)
        self.assertEqual(response.status_code, 404)

    def test_an_intake_shows_its_experts_outcome_and_intake_form(self):
        intake = self.lier_trajectory.intake
        body = self.api_get(f"/api/intakes/{intake.pk}", self.alice).json()
        self.assertEqual(body["status"], "held")
        self.assertEqual(body["trajectory"], self.lier_trajectory.pk)
        self.assertEqual([e["name"] for e in body["experts"]], ["Ed Detail", "Eva Expert"])
        scores = {
            s["name"]: (s["dutch"], s["score"], s["comment"]) for s in body["intake_form"]["scores"]
        }
        self.assertEqual(scores["awareness"], ("Bekendheid", 3, "Weinig gekend."))

    def test_intakes_filter_by_status_and_province(self):
        body = self.api_get("/api/intakes", self.staff, status="planned").json()
        self.assertEqual([i["id"] for i in body["items"]], [self.boom_intake.pk])
        body = self.api_get("/api/intakes", self.staff, province="30000").json()
        self.assertEqual([i["municipality"]["name"] for i in body["items"]], ["Brugge"])

    def plan(self, user, **data):
        body = {
            "application": self.duffel_application.pk,
            "planned_at": "2021-09-06T14:00:00+02:00",
            "location": "Gemeentehuis Duffel",
            "experts": [self.eva.pk],
            **data,
        }
        return self.post("/api/intakes", body, user)

    def test_an_expert_plans_an_intake_and_the_invitation_goes_out(self):
        response = self.plan(self.expert)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["status"], body["sequence"]), ("planned", 0))
        self.assertEqual(body["ends_at"], "2021-09-06T13:30:00Z")
        notice = IntakeNotice.objects.get(intake=body["id"])
        self.assertEqual(notice.kind, "invitation")
        self.assertIn("centrum@duffel.be", notice.recipients)

    def test_planning_in_the_past_gets_the_pages_message(self):
        response = self.plan(self.staff, planned_at="2021-08-01T10:00:00+02:00")
        self.assertRefused(
            response, 422, "Plan the intake at a moment in the future.", field="planned_at"
        )

    def test_a_time_without_a_time_zone_is_refused(self):
        response = self.plan(self.staff, planned_at="2021-09-06T14:00:00")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["fields"]["planned_at"],
            ["Give a time zone, for example 2021-08-02T10:00:00+02:00."],
        )

    def test_an_unknown_expert_and_a_bad_link_name_their_fields(self):
        response = self.plan(self.staff, experts=[self.eva.pk, 999999])
        self.assertEqual(
            response.json()["fields"]["experts"],
            ["Select a valid choice. 999999 is not one of the available choices."],
        )
        response = self.plan(self.staff, video_url="not a link")
        self.assertEqual(response.json()["fields"]["video_url"], ["Enter a valid URL."])

    def test_a_municipality_cannot_plan(self):
        response = self.plan(self.alice)
        self.assertRefused(response, 403, "Only programme staff and experts can do this.")

    def test_rescheduling_sends_an_update_and_cancelling_needs_a_reason(self):
        path = f"/api/intakes/{self.boom_intake.pk}"
        response = self.post(
            f"{path}/reschedule",
            {"planned_at": "2021-09-07T09:30:00+02:00", "video_url": "https://meet.example/boom"},
            self.staff,
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["sequence"], 1)
        self.assertEqual(len(response.json()["experts"]), 2)
        refused = self.post(f"{path}/cancel", {"reason": "  "}, self.staff)
        self.assertRefused(
            refused, 422, "Give a reason: the municipality will read it.", field="reason"
        )
        cancelled = self.post(f"{path}/cancel", {"reason": "Verkiezingen"}, self.staff)
        self.assertEqual(cancelled.json()["status"], "cancelled")
        again = self.post(f"{path}/cancel", {"reason": "Nog eens"}, self.staff)
        self.assertRefused(again, 422, "This intake is cancelled: it can no longer be changed.")

    def outcome(self, user, **data):
        body = {
            "held_on": "2021-08-02",
            "agreed_question": "Wonen boven winkels",
            "planned_start": "2021-09-01",
            "planned_end": "2022-04-30",
            **data,
        }
        return self.post(f"/api/intakes/{self.boom_intake.pk}/outcome", body, user)

    def test_recording_the_outcome_plans_the_trajectory(self):
        response = self.outcome(
            self.expert, assignments=[{"expert": self.eva.pk, "planned_days": "12.5"}]
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["status"], body["phase"], body["planned_days"]), ("planned", 1, "12.5")
        )
        self.assertEqual(body["events"][0]["note"], "Intake held")

    def test_an_outcome_without_experts_gets_the_services_message(self):
        response = self.outcome(self.staff)
        self.assertRefused(response, 422, "Assign at least one expert with planned person-days.")


class TrajectoryEndpointTests(GuidanceTestCase):
    def test_a_municipality_sees_only_its_own_trajectory(self):
        body = self.api_get("/api/trajectories", self.alice).json()
        self.assertEqual([t["id"] for t in body["items"]], [self.lier_trajectory.pk])
        body = self.api_get("/api/trajectories", self.bob).json()
        self.assertEqual([t["id"] for t in body["items"]], [self.brugge_trajectory.pk])
        response = self.api_get(f"/api/trajectories/{self.brugge_trajectory.pk}", self.alice)
        self.assertEqual(response.status_code, 404)
        filtered = self.api_get("/api/trajectories", self.alice, municipality="31005").json()
        self.assertEqual(filtered["count"], 0)

    def test_the_municipality_sees_its_experts_days_and_history(self):
        body = self.api_get(f"/api/trajectories/{self.lier_trajectory.pk}", self.alice).json()
        self.assertEqual((body["status"], body["phase"]), ("running", 3))
        self.assertEqual((body["planned_days"], body["registered_days"]), ("15.0", "1.0"))
        self.assertEqual(
            [
                (a["expert"]["name"], a["planned_days"], a["registered_days"])
                for a in body["assignments"]
            ],
            [("Ed Detail", "5.0", "0.0"), ("Eva Expert", "10.0", "1.0")],
        )
        self.assertEqual(
            [e["to_status"] for e in body["events"]], ["planned", "running", "running", "running"]
        )
        self.assertIsNone(body["closing_report"])

    def test_trajectories_filter_and_sort(self):
        body = self.api_get(
            "/api/trajectories", self.staff, status="running", sort="-municipality"
        ).json()
        self.assertEqual([t["municipality"]["name"] for t in body["items"]], ["Mechelen", "Lier"])
        body = self.api_get("/api/trajectories", self.paula, phase=1).json()
        self.assertEqual([t["municipality"]["name"] for t in body["items"]], ["Mechelen"])
        body = self.api_get("/api/trajectories", self.staff, started_from="2020-03-10").json()
        self.assertEqual(body["count"], 0)

    def test_start_advance_and_complete_with_the_closing_report(self):
        brugge = f"/api/trajectories/{self.brugge_trajectory.pk}"
        started = self.post(f"{brugge}/start", {"on": "2021-08-02"}, self.expert)
        self.assertEqual((started.status_code, started.json()["started_on"]), (200, "2021-08-02"))
        for phase in (2, 3):
            advanced = self.post(f"{brugge}/advance", {"on": "2021-08-03"}, self.expert)
            self.assertEqual(advanced.json()["phase"], phase)
        last = self.post(f"{brugge}/advance", {"on": "2021-08-03"}, self.expert)
        self.assertRefused(last, 422, "The trajectory is in its last phase: complete it instead.")
        incomplete = self.post(
            f"{brugge}/complete", {"on": "2021-08-03", "findings": "Veel leegstand"}, self.staff
        )
        self.assertRefused(
            incomplete, 422, "The closing report needs recommended measures.", field="measures"
        )
        completed = self.post(
            f"{brugge}/complete",
            {"on": "2021-08-03", "findings": "Veel leegstand", "measures": "Premie"},
            self.staff,
        )
        self.assertEqual(
            completed.json()["closing_report"], {"findings": "Veel leegstand", "measures": "Premie"}
        )
        seen = self.api_get(brugge, self.bob).json()
        self.assertEqual(seen["status"], "completed")

    def test_a_step_in_the_future_or_before_the_last_is_refused(self):
        path = f"/api/trajectories/{self.mechelen_trajectory.pk}/advance"
        future = self.post(path, {"on": "2021-08-04"}, self.staff)
        self.assertRefused(future, 422, "4 August 2021 is in the future.", field="on")
        early = self.post(path, {"on": "2020-03-01"}, self.staff)
        self.assertRefused(
            early,
            422,
            "The trajectory's last step was on 9 March 2020; pick that date or later.",
            field="on",
        )

    def test_stopping_needs_a_reason_and_the_municipality_cannot(self):
        path = f"/api/trajectories/{self.lier_trajectory.pk}/stop"
        self.assertRefused(
            self.post(path, {"on": "2021-08-01"}, self.staff),
            422,
            "Give the reason for stopping.",
            field="reason",
        )
        self.assertRefused(
            self.post(path, {"on": "2021-08-01", "reason": "Geen tijd"}, self.alice),
            403,
            "Only programme staff and the experts assigned to this trajectory can do this.",
        )
        stopped = self.post(path, {"on": "2021-08-01", "reason": "Geen tijd"}, self.expert)
        self.assertEqual(
            (stopped.json()["status"], stopped.json()["stop_reason"]), ("stopped", "Geen tijd")
        )


class PlanEndpointTests(GuidanceTestCase):
    def test_staff_change_a_plan_from_a_date_and_the_history_is_kept(self):
        path = f"/api/trajectories/{self.lier_trajectory.pk}/assign"
        body = {
            "expert": self.eva.pk,
            "planned_days": "12.5",
            "on": "2020-06-01",
            "reason": "Extra",
        }
        response = self.post(path, body, self.staff)
        self.assertEqual(response.status_code, 200, response.content)
        changes = [
            (c["expert"]["name"], c["planned_days"], c["effective_on"])
            for c in response.json()["plan_changes"]
        ]
        self.assertEqual(
            changes,
            [
                ("Eva Expert", "10.0", "2020-03-02"),
                ("Ed Detail", "5.0", "2020-03-02"),
                ("Eva Expert", "12.5", "2020-06-01"),
            ],
        )
        self.assertEqual(response.json()["plan_changes"][-1]["reason"], "Extra")
        earlier = self.post(path, {**body, "on": "2020-05-01"}, self.staff)
        self.assertEqual(earlier.status_code, 422)
        self.assertIn("last changed on 1 June 2020", earlier.json()["message"])

    def test_an_expert_cannot_change_planned_days(self):
        path = f"/api/trajectories/{self.lier_trajectory.pk}/assign"
        response = self.post(path, {"expert": self.eva.pk, "planned_days": "99999.5"}, self.expert)
        self.assertRefused(response, 403, "Only programme staff can do this.")

    def test_staff_set_the_expected_end_and_it_is_shown(self):
        path = f"/api/trajectories/{self.lier_trajectory.pk}/expected-end"
        response = self.post(
            path, {"expected_end": "2099-06-30", "reason": "Raad beslist later"}, self.staff
        )
        self.assertEqual(response.status_code, 200, response.content)
        [row] = response.json()["expected_ends"]
        self.assertEqual((row["expected_end"], row["reason"]), ("2099-06-30", "Raad beslist later"))
        missing = self.post(path, {"expected_end": "2099-06-30"}, self.staff)
        self.assertRefused(
            missing, 422, "Say why the trajectory is expected to end then.", field="reason"
        )


class PersonDayEndpointTests(GuidanceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Planned to end on 30 October 2020: days in 2021 need an expected end set by staff.
        for trajectory in (cls.lier_trajectory, cls.brugge_trajectory):
            services.set_expected_end(
                by=cls.staff,
                trajectory=trajectory,
                expected_end=datetime.date(2021, 9, 30),
                reason="Loopt uit",
                on=datetime.date(2020, 10, 1),
            )

    def entry(self, **data) -> dict:
        return {
            "trajectory": self.lier_trajectory.pk,
            "date": "2021-08-02",
            "days": "0.5",
            "activity": "workshop",
            "note": "Werksessie",
            **data,
        }

    def test_an_expert_registers_their_own_days_and_a_retry_adds_nothing(self):
        first = self.post("/api/person-days", self.entry(), self.expert, key="eva-2021-08-02")
        self.assertEqual(first.status_code, 201, first.content)
        body = first.json()
        self.assertEqual(
            (body["expert"]["name"], body["days"], body["rate_eur"]), ("Eva Expert", "0.5", None)
        )
        retry = self.post("/api/person-days", self.entry(), self.expert, key="eva-2021-08-02")
        self.assertEqual(retry.status_code, 201)
        self.assertEqual(retry["Idempotent-Replayed"], "true")
        self.assertEqual(retry.content, first.content)
        self.assertEqual(PersonDayEntry.objects.filter(date=datetime.date(2021, 8, 2)).count(), 1)

    def test_more_than_a_day_per_date_gets_the_same_message_as_the_page(self):
        self.post("/api/person-days", self.entry(days="1"), self.expert)
        response = self.post("/api/person-days", self.entry(days="0.5"), self.expert)
        message = (
            "Eva Expert already has 1 day registered on 2 August 2021; at most 1 day per date "
            "over all trajectories."
        )
        self.assertRefused(response, 422, message)
        self.client.login(username="eva", password=PASSWORD)
        page = self.client.post(
            reverse("trajectories:days"),
            {
                "trajectory": self.lier_trajectory.pk,
                "day": "2021-08-02",
                "days": "0.5",
                "activity": "workshop",
            },
            headers={"Accept-Language": "en"},
        )
        self.assertContains(page, message)

    def test_a_date_before_the_start_or_an_unassigned_trajectory_is_refused(self):
        response = self.post("/api/person-days", self.entry(date="2020-03-01"), self.expert)
        self.assertRefused(
            response, 422, "The trajectory started on 9 March 2020, after 1 March 2020."
        )
        response = self.post(
            "/api/person-days", self.entry(trajectory=self.brugge_trajectory.pk), self.expert
        )
        self.assertRefused(response, 422, "The trajectory has not started yet.")

    def test_an_expert_registers_only_their_own_days(self):
        response = self.post("/api/person-days", self.entry(expert=self.ed.pk), self.expert)
        self.assertRefused(response, 403, "You can only register your own person-days.")
        staff = self.post("/api/person-days", self.entry(expert=self.ed.pk), self.staff)
        self.assertEqual(staff.status_code, 201, staff.content)
        self.assertEqual(staff.json()["rate_eur"], "1000.00")
        missing = self.post("/api/person-days", self.entry(), self.staff)
        self.assertRefused(missing, 422, "This field is required.", field="expert")

    def test_an_expert_without_a_linked_profile_is_told_so(self):
        newcomer = make_user("nina", "expert")
        response = self.post("/api/person-days", self.entry(), newcomer)
        self.assertRefused(
            response,
            422,
            "Your account is not linked to an expert of the consortium: ask programme staff to "
            "link it.",
            field="expert",
        )

    def test_a_municipality_cannot_register(self):
        response = self.post("/api/person-days", self.entry(expert=self.eva.pk), self.alice)
        self.assertRefused(response, 403, "Only programme staff and experts can do this.")

    def test_entries_filter_by_trajectory_expert_and_dates(self):
        body = self.api_get("/api/person-days", self.staff, expert=self.ed.pk).json()
        self.assertEqual([e["municipality"] for e in body["items"]], ["Mechelen"])
        body = self.api_get(
            "/api/person-days",
            self.staff,
            trajectory=self.lier_trajectory.pk,
            date_from="2020-03-10",
            date_until="2020-03-10",
        ).json()
        self.assertEqual([e["id"] for e in body["items"]], [self.lier_entry.pk])
        body = self.api_get("/api/person-days", self.staff, date_from="2020-03-12").json()
        self.assertEqual(body["count"], 0)
        body = self.api_get("/api/person-days", self.staff, sort="date").json()
        self.assertEqual([e["date"] for e in body["items"]], ["2020-03-10", "2020-03-11"])

    def test_a_municipality_sees_the_days_on_its_own_trajectory_without_rates(self):
        body = self.api_get("/api/person-days", self.alice).json()
        self.assertEqual(
            [(e["id"], e["cost_eur"]) for e in body["items"]], [(self.lier_entry.pk, None)]
        )
        staff = self.api_get(f"/api/person-days/{self.lier_entry.pk}", self.staff).json()
        self.assertEqual(staff["cost_eur"], "800.00")
        self.assertEqual(
            self.api_get(f"/api/person-days/{self.lier_entry.pk}", self.bob).status_code, 404
        )

    def test_staff_correct_an_entry_and_the_correction_is_kept(self):
        path = f"/api/person-days/{self.lier_entry.pk}/correction"
        refused = self.post(path, {"days": "0.5"}, self.staff)
        self.assertRefused(refused, 422, "Say why the entry is corrected.", field="reason")
        response = self.post(path, {"days": "0.5", "reason": "Halve dag"}, self.staff)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(
            (body["entry"], body["old_days"], body["new_days"], body["by"]),
            (self.lier_entry.pk, "1.0", "0.5", "sam"),
        )
        self.lier_entry.refresh_from_db()
        self.assertEqual(self.lier_entry.days, Decimal("0.5"))

    def test_staff_remove_an_entry_with_a_reason(self):
        path = f"/api/person-days/{self.lier_entry.pk}/correction"
        response = self.post(path, {"remove": True, "reason": "Dubbel"}, self.staff)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["entry"], response.json()["new_days"]), (None, None))
        self.assertFalse(PersonDayEntry.objects.filter(pk=self.lier_entry.pk).exists())
        self.assertEqual(PersonDayCorrection.objects.get().reason, "Dubbel")

    def test_an_expert_cannot_correct(self):
        path = f"/api/person-days/{self.lier_entry.pk}/correction"
        response = self.post(path, {"days": "0.5", "reason": "Oeps"}, self.expert)
        self.assertRefused(response, 403, "Only programme staff can do this.")


class GuidanceQueryCountTests(GuidanceTestCase):
    def count_queries(self, path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.api_get(path, self.staff)
        self.assertEqual(response.status_code, 200, response.content)
        return len(queries)

    def test_lists_cost_the_same_queries_however_many_items_they_hold(self):
        paths = ["/api/trajectories", "/api/intakes", "/api/person-days", "/api/experts"]
        # The first use of a token also notes when it was used: leave that write out.
        self.api_get("/api/me", self.staff)
        few = {path: self.count_queries(path) for path in paths}
        with time_machine.travel(at_brussels(datetime.date(2020, 5, 1)), tick=False):
            services.start_trajectory(
                by=self.staff, trajectory=self.brugge_trajectory, on=datetime.date(2020, 4, 1)
            )
            services.register_person_days(
                by=self.staff,
                expert=self.ed,
                trajectory=Trajectory.objects.get(pk=self.brugge_trajectory.pk),
                day=datetime.date(2020, 4, 2),
                days=Decimal("1.0"),
                activity="report",
            )
            services.create_expert(
                by=self.staff,
                name="Nina Nieuw",
                organisation="Mobiliteit CV",
                day_rate_eur=Decimal("700"),
                rate_valid_from=datetime.date(2020, 1, 1),
            )
        self.assertEqual({path: self.count_queries(path) for path in paths}, few)


def undescribed(value, schema: dict, components: dict, path: str = "") -> list[str]:
    """The paths in a JSON value that the OpenAPI schema does not describe."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        # The first alternative that describes the value (null, a number, an object...).
        options = [undescribed(value, option, components, path) for option in schema["anyOf"]]
        return min(options, key=len)
    if isinstance(value, dict):
        if "properties" not in schema and "additionalProperties" not in schema:
            return [path or "/"] if schema.get("type") != "object" else []
        missing = []
        for key, item in value.items():
            described = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            if not isinstance(described, dict):
                missing.append(f"{path}/{key}")
            else:
                missing += undescribed(item, described, components, f"{path}/{key}")
        return missing
    if isinstance(value, list):
        if "items" not in schema:
            return [path]
        return [
            m
            for i, item in enumerate(value)
            for m in undescribed(item, schema["items"], components, f"{path}/{i}")
        ]
    kinds = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    expected = kinds.get(schema.get("type"))
    return [] if expected is None or isinstance(value, expected) else [path]


class StatusReportSchemaTests(GuidanceTestCase):
    def report(self, *args, **params) -> tuple[str, str]:
        out = io.StringIO()
        # In the language the API is asked in (labels are translated).
        with translation.override("en"):
            call_command(
                "report",
                "status",
                "--programme",
                str(self.guidance_programme.pk),
                "--as-of",
                "2021-08-03",
                *args,
                stdout=out,
            )
        response = self.api_get(
            f"/api/programmes/{self.guidance_programme.pk}/status",
            self.staff,
            as_of="2021-08-03",
            **params,
        )
        self.assertEqual(response.status_code, 200, response.content)
        return out.getvalue(), response.content.decode()

    def assertDescribed(self, text: str):
        openapi = self.client.get("/api/openapi.json").json()
        components = openapi["components"]["schemas"]
        self.assertEqual(undescribed(json.loads(text), components["StatusReport"], components), [])

    def test_the_guidance_figures_are_the_clis_bytes_and_all_described(self):
        cli, api = self.report()
        self.assertEqual(api, cli)
        self.assertIn('"budget"', api)
        # Planned to end on 30 October 2020, the running trajectories are overdue in August 2021.
        self.assertIn('"trajectory_state": "overdue"', api)
        self.assertDescribed(api)

    def test_a_filtered_report_is_the_clis_too_and_described(self):
        cli, api = self.report(
            "--province", "10000", "--expert", str(self.ed.pk), province="10000", expert=self.ed.pk
        )
        self.assertEqual(api, cli)
        self.assertIn('"filters"', api)
        self.assertDescribed(api)

    def test_every_field_of_the_schema_has_one_exact_type(self):
        components = self.client.get("/api/openapi.json").json()["components"]["schemas"]
        mixed = []

        def walk(schema: dict, path: str) -> None:
            while "$ref" in schema:
                schema = components[schema["$ref"].rsplit("/", 1)[-1]]
            options = schema.get("anyOf", [])
            kinds = {option.get("type") or option.get("$ref") for option in options} - {"null"}
            if len(kinds) > 1:
                mixed.append(path)
            for option in options:
                if option.get("type") != "null":
                    walk(option, path)
            for key, item in schema.get("properties", {}).items():
                walk(item, f"{path}/{key}")
            if "items" in schema:
                walk(schema["items"], f"{path}/*")
            if isinstance(schema.get("additionalProperties"), dict):
                walk(schema["additionalProperties"], f"{path}/*")

        walk(components["StatusReport"], "")
        self.assertEqual(mixed, [])
        budget = components["ReportBudget"]["properties"]
        self.assertEqual(
            (budget["committed_eur"]["type"], budget["committed_eur"]["pattern"]),
            ("string", r"^-?\d+\.\d{2}$"),
        )

    def test_money_has_two_places_and_person_days_one_whatever_the_value(self):
        _cli, api = self.report()
        data = json.loads(api)
        round_ = data["rounds"][0]
        for value in (data["budget"]["consumed_eur"], round_["committed_eur"]):
            self.assertRegex(value, r"^-?\d+\.\d{2}$")
        for value in (round_["person_days_planned"], round_["person_days_consumed"]):
            self.assertRegex(value, r"^\d+\.\d$")
        row = next(m for m in round_["municipalities"] if m["trajectory_state"] is None)
        self.assertEqual(
            (row["consumed_eur"], row["person_days_planned"], row["overdue_days"]),
            ("0.00", "0.0", 0),
        )

    def test_the_check_finds_a_field_nobody_described(self):
        components = {"Out": {"type": "object", "properties": {"a": {"type": "integer"}}}}
        self.assertEqual(
            undescribed({"a": 1, "b": 2}, {"$ref": "#/components/schemas/Out"}, components), ["/b"]
        )
