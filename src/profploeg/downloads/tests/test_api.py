import datetime

import time_machine
from django.urls import reverse

from profploeg.api.tests.base import ApiTestCase
from profploeg.downloads import services
from profploeg.downloads.models import Download

from .base import NOW


class ApiFlowTests(ApiTestCase):
    """Ask for the report's PDF (202), follow it, fetch the file: the direct download's."""

    def setUp(self):
        super().setUp()
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.url = f"/api/programmes/{self.programme.pk}/status/exports"

    def ask(self, body: dict, user=None, execute=True, **headers):
        with self.captureOnCommitCallbacks(execute=execute):
            return self.api_post(self.url, body, user or self.expert, **headers)

    def test_202_then_the_status_then_the_file(self):
        response = self.ask({"format": "pdf", "as_of": "2021-12-31", "round": 1})
        self.assertEqual(response.status_code, 202)
        body = response.json()
        self.assertEqual(body["status"], "queued")
        self.assertIsNone(body["file_url"])
        self.assertEqual(body["status_url"], f"/api/downloads/{body['id']}")
        status = self.api_get(body["status_url"], self.expert).json()
        self.assertEqual((status["status"], status["progress"]), ("done", 100))
        self.assertEqual(status["file_url"], f"/api/downloads/{body['id']}/file")
        file = self.api_get(status["file_url"], self.expert)
        self.assertEqual(file.status_code, 200)
        self.client.force_login(self.expert)
        direct = self.client.get(
            reverse("reports:status", args=[self.programme.pk]),
            {"as_of": "2021-12-31", "round": 1, "format": "pdf"},
        )
        self.assertEqual(b"".join(file.streaming_content), direct.content)
        self.assertEqual(status["filename"], f"statusrapport-{self.programme.pk}-2021-12-31.pdf")
        self.assertEqual(status["size"], len(direct.content))

    def test_the_date_defaults_to_today(self):
        body = self.ask({"format": "xlsx"}).json()
        download = Download.objects.get(pk=body["id"])
        self.assertEqual(download.params["as_of"], "2022-01-31")

    def test_a_file_not_ready_is_409(self):
        body = self.ask({"format": "xlsx"}, execute=False).json()
        response = self.api_get(f"/api/downloads/{body['id']}/file", self.expert)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "not_ready")

    def test_bad_input_is_4xx_with_a_reason(self):
        for body in (
            {"format": "csv"},
            {"format": "pdf", "as_of": "yesterday"},
            {"format": "pdf", "annex": True},
            {"format": "pdf", "province": "Antwerpen"},
            {"format": "pdf", "status": "lost"},
            {"format": "pdf", "round": 0},
            {},
        ):
            with self.subTest(body=body):
                response = self.ask(body)
                self.assertEqual(response.status_code, 422, response.content)
                self.assertTrue(response.json()["message"])
        self.assertFalse(Download.objects.exists())
        response = self.api_post(
            "/api/programmes/999999/status/exports", {"format": "pdf"}, self.expert
        )
        self.assertEqual(response.status_code, 404)
        response = self.client.post(
            self.url,
            "{not json",
            content_type="application/json",
            headers=self.headers(self.expert),
        )
        self.assertEqual(response.status_code, 400)

    def test_only_staff_and_experts_ask_and_only_the_requester_follows(self):
        for user in (self.alice, self.bob, self.paula):
            with self.subTest(user=user.username):
                self.assertEqual(self.ask({"format": "pdf"}, user=user).status_code, 403)
        body = self.ask({"format": "pdf"}).json()
        for user in (self.staff, self.alice, self.bob, self.paula):
            for path in (body["status_url"], f"{body['status_url']}/file"):
                with self.subTest(user=user.username, path=path):
                    self.assertEqual(self.api_get(path, user).status_code, 404)
        self.assertEqual(self.api_get(body["status_url"]).status_code, 401)

    def test_a_retry_with_the_same_idempotency_key_asks_once(self):
        first = self.ask({"format": "pdf"}, **{"Idempotency-Key": "export-1"})
        again = self.ask({"format": "pdf"}, **{"Idempotency-Key": "export-1"})
        self.assertEqual(again.status_code, 202)
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(Download.objects.count(), 1)

    def test_a_failed_download_says_why(self):
        body = self.ask({"format": "pdf"}, execute=False).json()
        Download.objects.filter(pk=body["id"]).update(
            status=Download.Status.FAILED, error="This programme does not exist."
        )
        status = self.api_get(body["status_url"], self.expert).json()
        self.assertEqual(
            (status["status"], status["error"]), ("failed", "This programme does not exist.")
        )
        self.assertEqual(self.api_get(f"{body['status_url']}/file", self.expert).status_code, 409)

    def test_five_waiting_is_the_most(self):
        for _ in range(services.MAX_UNFINISHED):
            self.assertEqual(self.ask({"format": "pdf"}, execute=False).status_code, 202)
        response = self.ask({"format": "pdf"}, execute=False)
        self.assertEqual(response.status_code, 422)
