"""Import uploads previewed but never confirmed hold personal data: a timer removes them."""

import datetime
import io
import os
import shutil
import tempfile
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from profploeg.api.tests.base import ApiTestCase
from profploeg.api.tests.test_import import GOOD
from profploeg.history.tests.test_import import small_history, workbook


class UnconfirmedUploadTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.media = tempfile.mkdtemp(prefix="profploeg-uploads-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media, IMPORT_UPLOAD_HOURS=24)
        override.enable()
        self.addCleanup(override.disable)
        self.client.force_login(self.staff)

    def preview_applications(self) -> str:
        response = self.client.post(
            "/imports/applications/",
            {"programme": self.programme.pk, "file": SimpleUploadedFile("e.csv", GOOD.encode())},
        )
        return response.context["pending"]

    def preview_history(self) -> str:
        response = self.client.post(
            "/imports/history/",
            {"file": SimpleUploadedFile("h.xlsx", workbook(small_history()))},
        )
        return response.context["pending"]

    def waiting(self) -> list[str]:
        return sorted(
            path.name for path in Path(self.media, "imports").rglob("*") if path.is_file()
        )

    def remove(self, *args: str) -> str:
        out = io.StringIO()
        call_command("remove_unconfirmed_uploads", *args, stdout=out)
        return out.getvalue()

    def test_uploads_never_confirmed_are_deleted_after_the_hours_set(self):
        applications = self.preview_applications()
        history = self.preview_history()
        self.assertEqual(self.waiting(), sorted([applications, f"history-{history}"]))

        with time_machine.travel(timezone.now() + datetime.timedelta(hours=23)):
            self.assertIn("Deleted 0 ", self.remove())
        self.assertEqual(len(self.waiting()), 2)

        with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
            self.assertIn("Deleted 2 ", self.remove())
        self.assertEqual(self.waiting(), [])

    def test_a_newer_upload_of_the_same_user_is_kept(self):
        old = self.preview_applications()
        yesterday = (timezone.now() - datetime.timedelta(hours=25)).timestamp()
        os.utime(Path(self.media, "imports", str(self.staff.pk), old), (yesterday, yesterday))
        recent = self.preview_applications()
        self.remove()
        self.assertEqual(self.waiting(), [recent])

    def test_confirming_a_deleted_upload_asks_to_upload_again(self):
        pending = self.preview_applications()
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
            self.remove()
        response = self.client.post(
            "/imports/applications/",
            {"confirm": pending, "programme": self.programme.pk},
            follow=True,
            headers={"Accept-Language": "en"},
        )
        self.assertContains(response, "This upload is gone; upload the file again.")

    def test_the_hours_may_be_given_and_are_at_least_one(self):
        self.preview_applications()
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
            self.assertIn("Deleted 1 ", self.remove("--older-than", "2"))
        with self.assertRaises(CommandError):
            self.remove("--older-than", "0")
