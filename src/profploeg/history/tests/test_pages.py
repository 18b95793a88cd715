import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profploeg.api import services as api_services
from profploeg.programmes.models import Programme
from profploeg.test import BaseTestCase

from .test_import import small_history, workbook


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("history.xlsx", content)


class HistoryPageTests(BaseTestCase):
    def test_staff_preview_then_confirm_the_import(self):
        self.client.force_login(self.staff)
        url = reverse("history:import")

        preview = self.client.post(url, {"file": upload(workbook(small_history()))})

        self.assertEqual(preview.status_code, 200)
        self.assertIsNotNone(preview.context["preview"])
        self.assertFalse(Programme.objects.filter(title="Kernen 2030").exists())
        confirmed = self.client.post(url, {"confirm": preview.context["pending"]})
        programme = Programme.objects.get(title="Kernen 2030")
        self.assertRedirects(confirmed, reverse("programmes:detail", args=[programme.pk]))

    def test_every_problem_is_shown_with_its_sheet_and_row(self):
        history = small_history()
        history["decisions"][1]["to_status"] = "deferred"
        self.client.force_login(self.staff)

        response = self.client.post(reverse("history:import"), {"file": upload(workbook(history))})

        self.assertContains(response, "Beslissingen")
        self.assertEqual(
            [(e.sheet, e.row) for e in response.context["row_errors"]][0], ("Beslissingen", 3)
        )
        self.assertNotContains(response, 'name="confirm"')

    def test_the_template_downloads_as_a_workbook(self):
        self.client.force_login(self.staff)

        response = self.client.get(reverse("history:template"))

        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertIn("Aanvragen", book.sheetnames)
        self.assertIn("attachment", response["Content-Disposition"])

    def test_an_expert_cannot_open_the_page(self):
        self.client.force_login(self.expert)
        self.assertEqual(self.client.get(reverse("history:import")).status_code, 403)


class HistoryApiTests(BaseTestCase):
    def headers(self, user) -> dict:
        _token, secret = api_services.create_token(user=user, name="test")
        return {"Authorization": f"Bearer {secret}"}

    def test_a_dry_run_through_the_api_counts_the_rows_and_writes_nothing(self):
        response = self.client.post(
            "/api/imports/history",
            {"dry_run": "true", "file": upload(workbook(small_history()))},
            headers=self.headers(self.staff),
        )

        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["counts"]["Mensdagen"], 1)
        self.assertIsNone(response.json()["programme"])
        self.assertFalse(Programme.objects.filter(title="Kernen 2030").exists())

    def test_a_bad_workbook_answers_422_with_every_row(self):
        history = small_history()
        history["decisions"][1]["to_status"] = "deferred"

        response = self.client.post(
            "/api/imports/history",
            {"file": upload(workbook(history))},
            headers=self.headers(self.staff),
        )

        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertEqual(body["code"], "import_failed")
        self.assertEqual(
            (body["rows"][0]["sheet"], body["rows"][0]["row"], body["rows"][0]["column"]),
            ("Beslissingen", 3, "Reden"),
        )
