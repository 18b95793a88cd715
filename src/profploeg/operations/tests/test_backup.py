"""A backup restored gives back the same programme: the same status report, files and history."""

import datetime
import io
import json
import shutil
import stat
import tempfile
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase

from profploeg.applications.models import Application, Attachment
from profploeg.operations.backup import back_up, back_up_dated, restore
from profploeg.showcase.tests.base import ShowcaseTestCase
from profploeg.test import PASSWORD

D = datetime.date


def status_report() -> dict:
    out = io.StringIO()
    call_command("report", "status", "--as-of", "2022-12-31", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


class BackupRestoreTests(ShowcaseTestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="profploeg-backup-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.case = self.published(self.brugge, approver=self.bob)
        self.register(self.case.trajectory, D(2022, 2, 1), days="0.5")
        application = self.submit(self.lier)
        self.attachment = Attachment.objects.create(
            application=application,
            file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 het plan"),
            original_name="plan.pdf",
            size=17,
        )

    def test_a_restored_backup_gives_the_same_status_report_files_and_history(self):
        report = status_report()
        history = LogEntry.objects.count()
        back_up(output=self.folder / "b")

        # Everything changes after the backup...
        Application.objects.get(pk=self.attachment.application_id).delete()
        Path(settings.MEDIA_ROOT, self.attachment.file.name).unlink()
        self.assertNotEqual(status_report(), report)

        restore(source=self.folder / "b")

        self.assertEqual(status_report(), report)
        self.assertEqual(LogEntry.objects.count(), history)
        restored = Attachment.objects.get(pk=self.attachment.pk)
        self.assertEqual(restored.file.read(), b"%PDF-1.4 het plan")
        self.assertTrue(self.client.login(username="bob", password=PASSWORD))

    def test_the_commands_make_and_read_a_backup(self):
        out = io.StringIO()
        call_command("backup", "--output", str(self.folder / "c"), stdout=out)
        self.assertIn("Backed up", out.getvalue())
        manifest = json.loads((self.folder / "c" / "manifest.json").read_text())
        self.assertEqual(manifest["rows"]["applications.application"], 2)
        self.assertGreaterEqual(manifest["files"], 1)
        out = io.StringIO()
        call_command("restore", str(self.folder / "c"), "--yes", stdout=out)
        self.assertIn("Restored", out.getvalue())

    def test_a_backup_never_overwrites_a_folder_in_use(self):
        (self.folder / "d").mkdir()
        (self.folder / "d" / "something").write_text("x")
        with self.assertRaises(CommandError):
            call_command("backup", "--output", str(self.folder / "d"))

    def test_restore_refuses_a_folder_that_is_no_backup(self):
        with self.assertRaises(CommandError):
            call_command("restore", str(self.folder), "--yes")


class DatedBackupTests(ShowcaseTestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="profploeg-backup-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def test_every_night_gets_its_own_folder_and_only_the_newest_stay(self):
        for night in range(1, 5):
            back_up_dated(
                into=self.folder,
                keep=3,
                now=datetime.datetime(2026, 11, night, 3, 15, tzinfo=datetime.UTC),
            )
        self.assertEqual(
            sorted(p.name for p in self.folder.iterdir()),
            ["2026-11-02T031500Z", "2026-11-03T031500Z", "2026-11-04T031500Z"],
        )

    def test_a_backup_is_readable_by_its_owner_only(self):
        output, _manifest = back_up_dated(into=self.folder, keep=1)
        self.assertEqual(stat.S_IMODE(output.stat().st_mode), 0o700)
        for path in output.rglob("*"):
            expected = 0o700 if path.is_dir() else 0o600
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), expected, path)

    def test_the_nightly_command_writes_a_dated_folder(self):
        out = io.StringIO()
        call_command("backup", "--into", str(self.folder), "--keep", "2", stdout=out)
        call_command("backup", "--into", str(self.folder), "--keep", "2", stdout=out)
        self.assertEqual(out.getvalue().count("Backed up"), 2)
        self.assertGreaterEqual(len(list(self.folder.iterdir())), 1)
        self.assertLessEqual(len(list(self.folder.iterdir())), 2)


class SnapshotTests(TransactionTestCase):
    """Outside a test's own transaction, as the command runs: the dump is its own transaction."""

    # The municipalities come from a data migration: put them back after the flush.
    serialized_rollback = True

    def test_the_dump_reads_one_snapshot(self):
        folder = Path(tempfile.mkdtemp(prefix="profploeg-backup-test-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        seen = []

        def spy(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(spy):
            back_up(output=folder / "snap")
        if connection.vendor == "postgresql":
            self.assertIn("REPEATABLE READ", seen[0])
        self.assertTrue((folder / "snap" / "data.json").exists())
