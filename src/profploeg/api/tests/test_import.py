import io
import shutil
import tempfile

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from openpyxl import Workbook

from profploeg.applications.imports import ImportFailed, import_applications
from profploeg.applications.models import Application, Message

from .base import ApiTestCase

HEADER = "NIS-code;Ontvangen op;Contactpersoon;E-mail;Telefoon;Vraag;Thema's\n"
GOOD = (
    HEADER
    + "12021;2021-08-02 10:15;An Peeters;an@lier.be;;Leegstand in de kern;\n"
    + "31005;13/08/2021 23:30;Bart Claes;bart@brugge.be;050 12 34 56;Meer beleving;\n"
    + "44021;2021-08-20;Chris Maes;chris@gent.be;;Te laat voor ronde 1;\n"
)
BAD = (
    HEADER
    + "12021;2021-08-02 10:15;An Peeters;an@lier.be;;Leegstand;\n"
    + "99999;2021-08-02;Bart;bart@brugge.be;;Vraag;\n"
    + "31005;gisteren;Bart;geen-mail;;Vraag;\n"
    + "12021;2021-08-03;An Peeters;an@lier.be;;Nog eens Lier;\n"
)


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


class ImportServiceTests(ApiTestCase):
    def run_import(self, text: str, **kw):
        return import_applications(
            programme=self.programme,
            upload=csv_file(text),
            filename="export.csv",
            by=self.staff,
            **kw,
        )

    def test_every_row_becomes_an_application_in_its_round(self):
        result = self.run_import(GOOD)
        self.assertEqual(result.created, 3)
        self.assertEqual([row.round_number for row in result.rows], [1, 1, 2])
        self.assertEqual(Application.objects.count(), 3)

    def test_one_bad_row_imports_nothing_and_every_problem_is_named(self):
        with self.assertRaises(ImportFailed) as failed:
            self.run_import(BAD)
        self.assertEqual(Application.objects.count(), 0)
        self.assertEqual(Message.objects.count(), 0)
        problems = [(e.row, e.column) for e in failed.exception.row_errors]
        self.assertEqual(
            problems,
            [(3, "refnis"), (4, "received_at"), (4, "contact_email"), (5, "refnis")],
        )
        self.assertIn(
            "already has an application in round 1", failed.exception.row_errors[-1].message
        )
        self.assertIn("3 of 4 rows", failed.exception.messages[0])

    def test_a_dry_run_checks_everything_and_keeps_nothing(self):
        result = self.run_import(GOOD, dry_run=True)
        self.assertEqual((len(result.rows), result.created), (3, 0))
        self.assertFalse(Application.objects.exists())
        self.assertFalse(Message.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_a_missing_column_is_named(self):
        with self.assertRaisesMessage(Exception, "missing: question"):
            self.run_import(
                "NIS-code;Ontvangen op;Contactpersoon;E-mail\n12021;2021-08-02;A;a@b.be\n"
            )

    def test_an_xlsx_export_is_read_too(self):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["refnis", "received_at", "contact_name", "contact_email", "question"])
        sheet.append([12021, "2021-08-02 10:00", "An", "an@lier.be", "Leegstand"])
        data = io.BytesIO()
        workbook.save(data)
        data.seek(0)
        result = import_applications(
            programme=self.programme, upload=data, filename="export.xlsx", by=self.staff
        )
        self.assertEqual(result.rows[0].municipality, "Lier")

    def test_only_staff_import(self):
        with self.assertRaises(Exception) as refused:
            import_applications(
                programme=self.programme, upload=csv_file(GOOD), filename="e.csv", by=self.alice
            )
        self.assertEqual(type(refused.exception).__name__, "PermissionDenied")


class ImportApiTests(ApiTestCase):
    def post_import(self, text: str, user=None, dry_run=False, **headers):
        return self.client.post(
            "/api/imports/applications",
            {
                "programme": self.programme.pk,
                "dry_run": "true" if dry_run else "false",
                "file": SimpleUploadedFile("export.csv", text.encode()),
            },
            headers=self.headers(user or self.staff, **headers),
        )

    def test_the_api_imports_and_reports_the_rows(self):
        response = self.post_import(GOOD)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["created"], 3)
        self.assertEqual(body["rows"][2]["round_number"], 2)

    def test_bad_rows_come_back_as_a_422_with_row_column_and_reason(self):
        response = self.post_import(BAD)
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertEqual(body["code"], "import_failed")
        self.assertEqual(
            body["rows"][0],
            {
                "row": 3,
                "column": "refnis",
                "message": "'99999' is not a REFNIS code of a municipality.",
            },
        )

    def test_a_retried_import_with_its_key_imports_once(self):
        first = self.post_import(GOOD, **{"Idempotency-Key": "import-1"})
        retry = self.post_import(GOOD, **{"Idempotency-Key": "import-1"})
        self.assertEqual(retry.content, first.content)
        self.assertEqual(Application.objects.count(), 3)

    def test_a_municipality_cannot_import(self):
        self.assertEqual(self.post_import(GOOD, self.alice).status_code, 403)


class ImportPageTests(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.media = tempfile.mkdtemp(prefix="profploeg-import-")
        cls.addClassCleanup(shutil.rmtree, cls.media, ignore_errors=True)

    def setUp(self):
        super().setUp()
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.client.cookies["django_language"] = "en"
        self.client.force_login(self.staff)

    def upload(self, text: str):
        return self.client.post(
            "/imports/applications/",
            {
                "programme": self.programme.pk,
                "file": SimpleUploadedFile("export.csv", text.encode()),
            },
        )

    def test_upload_preview_and_confirm(self):
        preview = self.upload(GOOD)
        self.assertContains(preview, "Preview: 3 applications, all rows good")
        self.assertFalse(Application.objects.exists())
        confirm = self.client.post(
            "/imports/applications/",
            {"confirm": preview.context["pending"], "programme": self.programme.pk},
            follow=True,
        )
        self.assertContains(confirm, "Imported 3 applications")
        self.assertEqual(Application.objects.count(), 3)

    def test_the_preview_lists_the_bad_rows(self):
        response = self.upload(BAD)
        self.assertContains(response, "nothing was imported")
        self.assertContains(response, "is not a REFNIS code")
        self.assertNotContains(response, "Import them into")

    def test_a_forged_pending_name_is_404(self):
        response = self.client.post(
            "/imports/applications/",
            {"confirm": "../../etc/passwd", "programme": self.programme.pk},
        )
        self.assertEqual(response.status_code, 404)

    def test_the_page_is_for_staff(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/imports/applications/").status_code, 403)


class ImportCommandTests(ApiTestCase):
    def export_file(self, text: str) -> str:
        folder = tempfile.mkdtemp(prefix="profploeg-export-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        path = f"{folder}/export.csv"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_the_command_imports_with_a_progress_bar(self):
        path = self.export_file(GOOD)
        out, err = io.StringIO(), io.StringIO()
        call_command("import", "applications", path, stdout=out, stderr=err)
        self.assertIn("Imported 3 applications.", out.getvalue())
        self.assertIn("\r[" + "#" * 30 + "] 3/3 rows", err.getvalue())

    def test_a_dry_run_on_the_command_line_keeps_nothing(self):
        path = self.export_file(GOOD)
        out = io.StringIO()
        call_command("import", "applications", path, "--dry-run", stdout=out, stderr=io.StringIO())
        self.assertIn("nothing was imported", out.getvalue())
        self.assertFalse(Application.objects.exists())

    def test_bad_rows_fail_the_command_with_their_reasons(self):
        path = self.export_file(BAD)
        err = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("import", "applications", path, stdout=io.StringIO(), stderr=err)
        self.assertIn("row 3, refnis:", err.getvalue())
