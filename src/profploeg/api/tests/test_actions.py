import datetime
import shutil
import tempfile

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from profploeg.api.models import IdempotencyKey
from profploeg.applications.models import Application, Referral
from profploeg.lib.dates import at_brussels

from .base import ApiTestCase

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def application_body(programme, **kw) -> dict:
    body = {
        "programme": programme.pk,
        "contact_name": "An Peeters",
        "contact_email": "an@lier.be",
        "question": "Hoe maken we onze kern bedrijviger?",
    }
    body.update(kw)
    return body


class ActionTestCase(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        media = tempfile.mkdtemp(prefix="profploeg-api-media-")
        cls.addClassCleanup(shutil.rmtree, media, ignore_errors=True)
        media_override = override_settings(MEDIA_ROOT=media)
        media_override.enable()
        cls.addClassCleanup(media_override.disable)
        super().setUpClass()

    def setUp(self):
        super().setUp()
        # Round 1 of the test programme is open on this day.
        traveller = time_machine.travel(at_brussels(datetime.date(2021, 8, 2)), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)


class SubmitTests(ActionTestCase):
    def test_a_municipality_submits_for_itself(self):
        response = self.api_post("/api/applications", application_body(self.programme), self.alice)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["municipality"]["name"], "Lier")
        again = self.api_post("/api/applications", application_body(self.programme), self.alice)
        self.assertEqual(again.status_code, 422)
        self.assertEqual(again.json()["message"], "Lier already has an application in round 1.")

    def test_staff_submit_for_any_municipality_with_the_time_of_receipt(self):
        response = self.api_post(
            "/api/applications",
            application_body(
                self.programme, municipality="12021", received_at="2021-07-30T10:00:00+02:00"
            ),
            self.staff,
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["submitted_at"], "2021-07-30T08:00:00Z")

    def test_a_late_application_goes_into_the_next_round(self):
        # Recorded later: a moment of receipt cannot lie in the future.
        with time_machine.travel(at_brussels(datetime.date(2021, 9, 1)), tick=False):
            response = self.api_post(
                "/api/applications",
                application_body(
                    self.programme, municipality="31005", received_at="2021-08-20T09:00:00+02:00"
                ),
                self.staff,
            )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["round_number"], 2)

    def test_a_municipality_cannot_apply_for_another(self):
        response = self.api_post(
            "/api/applications", application_body(self.programme, municipality="31005"), self.alice
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["code"], "permission_denied")

    def test_only_staff_set_when_it_was_received(self):
        response = self.api_post(
            "/api/applications",
            application_body(self.programme, received_at="2021-08-02T10:00:00+02:00"),
            self.alice,
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("received_at", response.json()["fields"])

    def test_validation_errors_name_every_field(self):
        response = self.api_post(
            "/api/applications",
            {"programme": 999999, "municipality": "99999", "contact_email": "nope", "question": ""},
            self.staff,
        )
        self.assertEqual(response.status_code, 422)
        fields = response.json()["fields"]
        self.assertEqual(fields["contact_name"], ["This field is required."])
        self.assertEqual(fields["question"], ["This field cannot be blank."])
        response = self.api_post(
            "/api/applications",
            {
                **application_body(self.programme, contact_email="nope", themes=["x"]),
                "programme": 9,
            },
            self.staff,
        )
        self.assertEqual(
            set(response.json()["fields"]), {"programme", "municipality", "contact_email", "themes"}
        )

    def test_a_null_character_is_refused_not_a_server_error(self):
        response = self.api_post(
            "/api/applications", application_body(self.programme, question="a\x00b"), self.alice
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["fields"]["question"], ["Null characters are not allowed."]
        )

    def test_attachments_go_as_multipart(self):
        with self.settings(USE_TZ=True):
            response = self.client.post(
                "/api/applications/multipart",
                {
                    **application_body(self.programme),
                    "attachments": [
                        SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
                    ],
                },
                headers=self.headers(self.alice),
            )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["attachments"], [{"name": "plan.pdf", "size": len(PDF)}])

    def test_an_attachment_that_is_not_a_pdf_is_refused(self):
        response = self.client.post(
            "/api/applications/multipart",
            {
                **application_body(self.programme),
                "attachments": [SimpleUploadedFile("plan.pdf", b"MZ\x90\x00")],
            },
            headers=self.headers(self.alice),
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("is not a PDF file", response.json()["message"])
        self.assertFalse(Application.objects.exists())


class IdempotencyTests(ActionTestCase):
    def test_a_retry_replays_the_response_and_creates_nothing_more(self):
        body = application_body(self.programme)
        first = self.api_post("/api/applications", body, self.alice, **{"Idempotency-Key": "k-1"})
        self.assertEqual(first.status_code, 201)
        retry = self.api_post("/api/applications", body, self.alice, **{"Idempotency-Key": "k-1"})
        self.assertEqual(retry.status_code, 201)
        self.assertEqual(retry.content, first.content)
        self.assertEqual(retry["Idempotent-Replayed"], "true")
        self.assertEqual(Application.objects.count(), 1)

    def test_the_same_json_in_another_order_is_the_same_request(self):
        body = application_body(self.programme)
        self.api_post("/api/applications", body, self.alice, **{"Idempotency-Key": "k-1"})
        reordered = dict(reversed(list(body.items())))
        retry = self.api_post(
            "/api/applications", reordered, self.alice, **{"Idempotency-Key": "k-1"}
        )
        self.assertEqual(retry.status_code, 201)

    def test_the_same_key_with_another_body_is_refused(self):
        self.api_post(
            "/api/applications",
            application_body(self.programme),
            self.alice,
            **{"Idempotency-Key": "k-1"},
        )
        response = self.api_post(
            "/api/applications",
            application_body(self.programme, question="Iets anders"),
            self.alice,
            **{"Idempotency-Key": "k-1"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["code"], "idempotency_key_reused")
        self.assertEqual(Application.objects.count(), 1)

    def test_keys_belong_to_their_user(self):
        self.api_post(
            "/api/applications",
            application_body(self.programme),
            self.alice,
            **{"Idempotency-Key": "k"},
        )
        response = self.api_post(
            "/api/applications",
            application_body(self.programme),
            self.bob,
            **{"Idempotency-Key": "k"},
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["municipality"]["name"], "Brugge")

    def test_a_refused_request_stores_nothing_so_a_corrected_retry_may_reuse_the_key(self):
        bad = application_body(self.programme, contact_email="nope")
        self.api_post("/api/applications", bad, self.alice, **{"Idempotency-Key": "k"})
        self.assertFalse(IdempotencyKey.objects.exists())
        good = self.api_post(
            "/api/applications",
            application_body(self.programme),
            self.alice,
            **{"Idempotency-Key": "k"},
        )
        self.assertEqual(good.status_code, 201)

    def test_a_multipart_retry_with_another_boundary_is_the_same_request(self):
        def send():
            return self.client.post(
                "/api/applications/multipart",
                {
                    **application_body(self.programme),
                    "attachments": [SimpleUploadedFile("plan.pdf", PDF)],
                },
                headers=self.headers(self.alice, **{"Idempotency-Key": "m-1"}),
            )

        first = send()
        self.assertEqual(first.status_code, 201, first.content)
        retry = send()
        self.assertEqual(retry.content, first.content)
        self.assertEqual(Application.objects.count(), 1)


class DecisionTests(ActionTestCase):
    def setUp(self):
        super().setUp()
        self.application = self.submit()

    def decide_by_api(self, user, **body):
        return self.api_post(f"/api/applications/{self.application.pk}/decision", body, user)

    def test_staff_decide_and_the_version_moves_on(self):
        response = self.decide_by_api(self.staff, to_status="admissible", expected_version=1)
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json()["status"], response.json()["version"]), ("admissible", 2))

    def test_a_decision_on_a_stale_version_is_a_409_conflict(self):
        self.decide_by_api(self.staff, to_status="admissible", expected_version=1)
        response = self.decide_by_api(
            self.staff2, to_status="inadmissible", expected_version=1, reason="Onvolledig."
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "conflict")

    def test_a_negative_decision_needs_a_reason(self):
        response = self.decide_by_api(self.staff, to_status="inadmissible", expected_version=1)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(list(response.json()["fields"]), ["reason"])

    def test_an_impossible_step_is_refused_with_the_pages_message(self):
        response = self.decide_by_api(self.staff, to_status="accepted", expected_version=1)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["message"], "An application that is submitted cannot become accepted."
        )

    def test_a_municipality_cannot_decide_on_its_own_application(self):
        response = self.decide_by_api(self.alice, to_status="admissible", expected_version=1)
        self.assertEqual(response.status_code, 403)

    def test_the_municipality_withdraws_before_a_decision(self):
        path = f"/api/applications/{self.application.pk}/withdraw"
        self.assertEqual(self.api_post(path, {"expected_version": 1}, self.bob).status_code, 404)
        response = self.api_post(path, {"expected_version": 1}, self.alice)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "withdrawn")

    def test_the_province_records_its_follow_up(self):
        self.decide(self.application, "inadmissible", reason="Onvolledig.")
        path = f"/api/applications/{self.application.pk}/referral"
        body = {"contacted_on": "2021-08-02", "outcome": "reapplied", "note": "Gebeld."}
        response = self.api_post(path, body, self.paula)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Referral.objects.get().outcome, "reapplied")
        future = {"contacted_on": "2021-08-05"}
        response = self.api_post(path, future, self.paula)
        self.assertEqual(
            response.json()["fields"],
            {"contacted_on": ["The contact date cannot be in the future."]},
        )

    def test_a_browser_session_must_send_the_csrf_token(self):
        self.client.force_login(self.staff)
        self.client.handler.enforce_csrf_checks = True
        response = self.client.post(
            f"/api/applications/{self.application.pk}/decision",
            {"to_status": "admissible", "expected_version": 1},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["message"])

    def test_a_wrong_method_is_a_json_405(self):
        response = self.client.delete(
            f"/api/applications/{self.application.pk}", headers=self.headers(self.staff)
        )
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json()["code"], "method_not_allowed")


class DatedEventTests(ActionTestCase):
    """Decisions and withdrawals on their real date, through the API (today is 2 August 2021)."""

    def setUp(self):
        super().setUp()
        self.application = self.submit(day=datetime.date(2021, 7, 20))
        self.path = f"/api/applications/{self.application.pk}"

    def test_staff_give_a_decision_its_effective_moment(self):
        body = {"to_status": "admissible", "expected_version": 1, "at": "2021-07-28T14:00:00+02:00"}
        response = self.api_post(f"{self.path}/decision", body, self.staff)
        self.assertEqual(response.status_code, 200, response.content)
        steps = self.api_get(f"{self.path}/transitions", self.staff).json()
        self.assertEqual(steps[-1]["at"], "2021-07-28T12:00:00Z")
        self.assertEqual(steps[-1]["recorded_at"], "2021-08-02T08:00:00Z")

    def test_each_dated_rule_is_refused_on_the_at_field(self):
        for at, rule in (
            ("2021-08-03T10:00:00+02:00", "cannot take effect in the future"),
            ("2021-07-19T10:00:00+02:00", "before the application was received"),
        ):
            with self.subTest(at=at):
                body = {"to_status": "admissible", "expected_version": 1, "at": at}
                response = self.api_post(f"{self.path}/decision", body, self.staff)
                self.assertEqual(response.status_code, 422)
                self.assertIn(rule, response.json()["fields"]["at"][0])
        self.decide(self.application, "admissible", at=at_brussels(datetime.date(2021, 7, 28)))
        body = {"to_status": "accepted", "expected_version": 2, "at": "2021-07-27T10:00:00+02:00"}
        response = self.api_post(f"{self.path}/decision", body, self.staff)
        self.assertIn("The history stays in order", response.json()["fields"]["at"][0])

    def test_staff_record_a_withdrawal_by_email_with_its_date(self):
        body = {"expected_version": 1, "channel": "email", "at": "2021-07-25T09:00:00+02:00"}
        response = self.api_post(f"{self.path}/withdraw", body, self.staff)
        self.assertEqual(response.status_code, 200, response.content)
        step = self.api_get(f"{self.path}/transitions", self.staff).json()[-1]
        self.assertEqual((step["to_status"], step["channel"]), ("withdrawn", "email"))
        self.assertEqual(step["at"], "2021-07-25T07:00:00Z")

    def test_the_municipality_cannot_backdate_or_give_a_channel(self):
        early = {"expected_version": 1, "at": "2021-07-25T09:00:00+02:00"}
        self.assertEqual(self.api_post(f"{self.path}/withdraw", early, self.alice).status_code, 403)
        letter = {"expected_version": 1, "channel": "letter"}
        self.assertEqual(
            self.api_post(f"{self.path}/withdraw", letter, self.alice).status_code, 422
        )

    def test_over_capacity_needs_a_confirmation_with_a_reason(self):
        self.programme.capacity = 0
        self.programme.save()
        self.decide(self.application, "admissible")
        body = {"to_status": "accepted", "expected_version": 2}
        response = self.api_post(f"{self.path}/decision", body, self.staff)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["code"], "over_capacity")
        body.update(confirm_over_capacity=True, reason="Extra budget.")
        response = self.api_post(f"{self.path}/decision", body, self.staff)
        self.assertEqual(response.status_code, 200, response.content)
        step = self.api_get(f"{self.path}/transitions", self.staff).json()[-1]
        self.assertTrue(step["over_capacity"])
