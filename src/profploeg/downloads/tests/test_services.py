import datetime
import io
import os
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import F
from django.utils import translation

from profploeg.downloads import kinds, services
from profploeg.downloads.models import KEEP_FOR, MAX_ATTEMPTS, Download
from profploeg.lib.delivery import CLAIM_TTL
from profploeg.reports import exports
from profploeg.test import make_programme

from .base import NOW, DownloadTestCase, contents

AS_OF = datetime.date(2021, 12, 31)


def replaced_kind(key: str, make):
    """The kind with another function to make its file: to watch it, or make it fail."""
    spec = kinds.KINDS[key]
    return mock.patch.dict(kinds.KINDS, {key: kinds.Kind(spec.params, spec.title, make)})


class RequestTests(DownloadTestCase):
    def ask(self, user=None, **params):
        params = {"programme": self.programme.pk, "as_of": "2021-12-31", "format": "xlsx"} | params
        return services.request_download(
            user=user or self.staff, kind="status_report", params=params
        )

    def test_a_request_is_queued_and_made_after_the_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            download = self.ask()
        self.assertEqual(download.status, Download.Status.QUEUED)
        self.assertEqual(download.expires_at, NOW + KEEP_FOR)
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        download.refresh_from_db()
        self.assertEqual(download.status, Download.Status.DONE)

    def test_the_parameters_are_checked_when_asked(self):
        for params in (
            {"format": "csv"},
            {"as_of": "31/12/2021"},
            {"status": "lost"},
            {"annex": "true"},
            {"theme": "<script>"},
            {"unknown": "1"},
        ):
            with self.subTest(params=params), self.assertRaises(ValidationError):
                self.ask(**params)
        with self.assertRaisesMessage(ValidationError, "Onbekend soort download"):
            services.request_download(user=self.staff, kind="everything", params={})

    def test_an_unknown_programme_is_refused(self):
        with self.assertRaises(ValidationError):
            self.ask(programme=999999)

    def test_only_the_roles_of_the_page_may_ask(self):
        self.ask(user=self.expert)
        for user in (self.alice, self.paula, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.ask(user=user)
        with self.assertRaises(PermissionDenied):
            services.request_download(
                user=self.expert, kind="history", params={"programme": self.programme.pk}
            )

    def test_one_user_has_at_most_five_waiting(self):
        with self.captureOnCommitCallbacks(execute=False):
            for _ in range(services.MAX_UNFINISHED):
                self.ask()
            with self.assertRaisesMessage(ValidationError, "5"):
                self.ask()
            # Someone else's queue is their own.
            self.ask(user=self.staff2)


class RunTests(DownloadTestCase):
    def queued(self, **params) -> Download:
        params = {"programme": self.programme.pk, "as_of": "2021-12-31", "format": "xlsx"} | params
        with self.captureOnCommitCallbacks(execute=False):
            return services.request_download(user=self.staff, kind="status_report", params=params)

    def test_the_file_is_the_direct_download(self):
        for format in ("xlsx", "docx", "pdf"):
            with self.subTest(format=format):
                download = self.queued(format=format)
                self.assertTrue(services.run_download(download.pk))
                download.refresh_from_db()
                direct = exports.export_status(self.programme, as_of=AS_OF, format=format)
                with download.file.open("rb") as handle:
                    self.assertEqual(contents(handle.read()), contents(direct.content))
                self.assertEqual(download.filename, direct.filename)
                self.assertEqual(download.size, len(direct.content))
                self.assertEqual((download.progress, download.step), (100, "Ready"))

    def test_the_annex_with_filters_is_the_direct_download(self):
        download = self.queued(format="pdf", round=2, annex=True, province="30000")
        services.run_download(download.pk)
        download.refresh_from_db()
        direct = exports.export_status(
            self.programme,
            as_of=AS_OF,
            format="pdf",
            round_number=2,
            annex=True,
            filters={"province": "30000"},
        )
        self.assertEqual(download.filename, direct.filename)
        self.assertEqual(download.file.read(), direct.content)

    def test_progress_is_written_while_the_file_is_made(self):
        download = self.queued(format="docx")
        seen = []
        original = kinds.make_status_report

        def watching(params, progress):
            def told(percent, step):
                progress(percent, step)
                row = Download.objects.get(pk=download.pk)
                seen.append((row.status, row.progress, row.step))

            return original(params, told)

        with replaced_kind("status_report", watching):
            services.run_download(download.pk)
        self.assertEqual(seen[0], (Download.Status.RUNNING, 0, "Computing the report"))
        percents = [percent for _status, percent, _step in seen]
        self.assertEqual(percents, sorted(percents))
        self.assertGreaterEqual(percents[-1], 90)
        self.assertIn("Writing the tables", {step for *_rest, step in seen})
        download.refresh_from_db()
        self.assertEqual(download.progress, 100)

    def test_a_programme_gone_meanwhile_fails_with_a_message_in_the_requesters_language(self):
        empty = make_programme(title="Leeg")
        with translation.override("en"):
            download = self.queued(programme=empty.pk)
        self.assertEqual(download.language, "en")
        empty.delete()
        self.assertFalse(services.run_download(download.pk))
        download.refresh_from_db()
        self.assertEqual(download.status, Download.Status.FAILED)
        self.assertEqual(download.error, "This programme does not exist.")
        self.assertFalse(download.file)

    def test_an_unexpected_error_fails_without_showing_internals(self):
        with translation.override("en"):
            download = self.queued()

        def broken(params, progress):
            raise RuntimeError("secret internals")

        with (
            replaced_kind("status_report", broken),
            self.assertLogs("profploeg.downloads.services", "ERROR"),
        ):
            services.run_download(download.pk)
        download.refresh_from_db()
        self.assertEqual(download.status, Download.Status.FAILED)
        self.assertNotIn("secret", download.error)
        self.assertIn("Try again", download.error)

    def test_a_finished_download_is_not_made_again(self):
        download = self.queued()
        self.assertTrue(services.run_download(download.pk))
        self.assertFalse(services.run_download(download.pk))
        download.refresh_from_db()
        self.assertEqual(download.attempts, 1)


class ReclaimTests(DownloadTestCase):
    def running(self, *, silent_for: datetime.timedelta, attempts: int = 1) -> Download:
        with self.captureOnCommitCallbacks(execute=False):
            download = services.request_download(
                user=self.staff,
                kind="history",
                params={"programme": self.programme.pk},
            )
        Download.objects.filter(pk=download.pk).update(
            status=Download.Status.RUNNING,
            attempts=attempts,
            started_at=NOW - silent_for,
            heartbeat_at=NOW - silent_for,
        )
        return download

    def test_a_download_left_running_by_a_dead_worker_is_made_again(self):
        download = self.running(silent_for=CLAIM_TTL + datetime.timedelta(minutes=1))
        self.assertEqual(services.retry_stale_downloads(), {"retried": 1, "failed": 0})
        download.refresh_from_db()
        self.assertEqual(download.status, Download.Status.DONE)
        self.assertEqual(download.attempts, 2)
        self.assertTrue(download.file.read().startswith(b"PK"))

    def test_a_live_worker_keeps_its_download(self):
        download = self.running(silent_for=datetime.timedelta(minutes=1))
        self.assertEqual(services.retry_stale_downloads(), {"retried": 0, "failed": 0})
        self.assertFalse(services.run_download(download.pk))
        download.refresh_from_db()
        self.assertEqual((download.status, download.attempts), (Download.Status.RUNNING, 1))

    def test_a_worker_taken_over_stops_without_writing(self):
        with self.captureOnCommitCallbacks(execute=False):
            download = services.request_download(
                user=self.staff, kind="history", params={"programme": self.programme.pk}
            )

        def taken_over(params, progress):
            progress(10, "Reading the history")
            # Meanwhile this worker was thought dead and another took the download over.
            Download.objects.filter(pk=download.pk).update(attempts=F("attempts") + 1, progress=3)
            progress(50, "Writing the workbook")
            raise AssertionError("never reached")

        with replaced_kind("history", taken_over):
            self.assertFalse(services.run_download(download.pk))
        download.refresh_from_db()
        self.assertEqual(
            (download.status, download.attempts, download.progress),
            (Download.Status.RUNNING, 2, 3),
        )

    def test_a_download_that_stopped_too_often_fails(self):
        download = self.running(
            silent_for=CLAIM_TTL + datetime.timedelta(minutes=1), attempts=MAX_ATTEMPTS
        )
        self.assertEqual(services.retry_stale_downloads(), {"retried": 0, "failed": 1})
        download.refresh_from_db()
        self.assertEqual(download.status, Download.Status.FAILED)
        self.assertIn(str(MAX_ATTEMPTS), download.error)

    def test_a_download_whose_task_was_lost_is_enqueued_again(self):
        with self.captureOnCommitCallbacks(execute=False):
            download = services.request_download(
                user=self.staff, kind="history", params={"programme": self.programme.pk}
            )
        Download.objects.filter(pk=download.pk).update(created_at=NOW - CLAIM_TTL * 2)
        self.assertEqual(services.retry_stale_downloads()["retried"], 1)
        download.refresh_from_db()
        self.assertEqual(download.status, Download.Status.DONE)


class PruneTests(DownloadTestCase):
    def test_expired_downloads_go_with_their_files_and_so_do_old_orphans(self):
        with self.captureOnCommitCallbacks(execute=True):
            old = services.request_download(
                user=self.staff, kind="history", params={"programme": self.programme.pk}
            )
            fresh = services.request_download(
                user=self.staff, kind="history", params={"programme": self.programme.pk}
            )
        old.refresh_from_db()
        fresh.refresh_from_db()
        Download.objects.filter(pk=old.pk).update(expires_at=NOW - datetime.timedelta(seconds=1))
        # Files no download names: one left a day and a half ago, one just now.
        stray = default_storage.save("downloads/stray.xlsx", ContentFile(b"PK"))
        recent = default_storage.save("downloads/recent.xlsx", ContentFile(b"PK"))
        long_ago = (NOW - KEEP_FOR * 1.5).timestamp()
        os.utime(default_storage.path(stray), (long_ago, long_ago))
        os.utime(default_storage.path(recent), (NOW.timestamp(), NOW.timestamp()))
        self.assertEqual(services.prune_downloads(), {"downloads": 1, "orphan_files": 1})
        self.assertFalse(Download.objects.filter(pk=old.pk).exists())
        self.assertFalse(default_storage.exists(old.file.name))
        self.assertTrue(default_storage.exists(fresh.file.name))
        self.assertFalse(default_storage.exists(stray))
        self.assertTrue(default_storage.exists(recent))
        default_storage.delete(recent)

    def test_the_command_prunes(self):
        out = io.StringIO()
        call_command("prune_downloads", stdout=out)
        self.assertIn("Removed 0 expired download(s)", out.getvalue())
