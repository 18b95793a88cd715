import datetime

from django.urls import reverse

from profploeg.downloads import services
from profploeg.downloads.models import Download
from profploeg.test import PASSWORD

from .base import DownloadTestCase, contents


class StatusReportFlowTests(DownloadTestCase):
    """The report page's XLSX, DOCX and PDF buttons start a background download and lead to
    its page; the file is the one the direct link gives."""

    def setUp(self):
        super().setUp()
        self.client.login(username="sam", password=PASSWORD)
        self.report_url = reverse("reports:status", args=[self.programme.pk])

    def start(self, **fields):
        data = {
            "kind": "status_report",
            "programme": self.programme.pk,
            "as_of": "2021-12-31",
            "format": "xlsx",
        } | fields
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("downloads:start"), data)

    def test_the_report_page_offers_forms_that_start_a_download(self):
        response = self.client.get(self.report_url, {"as_of": "2021-12-31", "province": "30000"})
        start = reverse("downloads:start")
        self.assertContains(response, f'action="{start}"', count=3)
        for hidden in (
            '<input type="hidden" name="kind" value="status_report">',
            f'<input type="hidden" name="programme" value="{self.programme.pk}">',
            '<input type="hidden" name="as_of" value="2021-12-31">',
            '<input type="hidden" name="province" value="30000">',
            '<input type="hidden" name="annex" value="true">',
        ):
            self.assertContains(response, hidden, html=True)
        for format in ("xlsx", "docx", "pdf"):
            self.assertContains(
                response, f'<button class="button" name="format" value="{format}">', html=False
            )
        # The quick text downloads stay links.
        self.assertContains(response, "format=csv&amp;table=rounds")

    def test_each_format_is_the_file_of_the_direct_link(self):
        for format in ("xlsx", "docx", "pdf"):
            with self.subTest(format=format):
                response = self.start(format=format, province="30000")
                download = Download.objects.latest("pk")
                self.assertRedirects(response, reverse("downloads:detail", args=[download.pk]))
                page = self.client.get(response["Location"])
                self.assertContains(page, download.filename)
                self.assertContains(page, reverse("downloads:file", args=[download.pk]))
                self.assertNotContains(page, "<progress")
                file = self.client.get(reverse("downloads:file", args=[download.pk]))
                direct = self.client.get(
                    self.report_url, {"as_of": "2021-12-31", "province": "30000", "format": format}
                )
                self.assertEqual(
                    contents(b"".join(file.streaming_content)), contents(direct.content)
                )
                self.assertEqual(file["Content-Disposition"], direct["Content-Disposition"])
                self.assertEqual(file["Content-Type"], direct["Content-Type"])
                self.assertIn("no-store", file["Cache-Control"])

    def test_the_annex_button_makes_the_annex_of_its_round(self):
        self.start(format="pdf", round=2, annex="true")
        download = Download.objects.latest("pk")
        self.assertTrue(download.filename.startswith("bijlage-gemeenten-ronde-2-"))

    def test_a_download_in_preparation_shows_progress_and_works_without_javascript(self):
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(
                reverse("downloads:start"),
                {
                    "kind": "status_report",
                    "programme": self.programme.pk,
                    "format": "pdf",
                    "as_of": "2021-12-31",
                },
            )
        download = Download.objects.latest("pk")
        page = self.client.get(response["Location"])
        self.assertContains(page, '<progress id="download-progress" max="100" value="0">')
        self.assertContains(page, '<noscript><meta http-equiv="refresh" content="2"></noscript>')
        self.assertContains(page, "downloads/progress.js")
        self.assertContains(
            page, f'data-status-url="{reverse("downloads:status", args=[download.pk])}"'
        )
        self.assertEqual(
            self.client.get(reverse("downloads:file", args=[download.pk])).status_code, 404
        )
        status = self.client.get(reverse("downloads:status", args=[download.pk])).json()
        self.assertEqual(
            (status["status"], status["progress"], status["finished"]), ("queued", 0, False)
        )
        services.run_download(download.pk)
        status = self.client.get(reverse("downloads:status", args=[download.pk])).json()
        self.assertEqual(
            (status["status"], status["progress"], status["finished"]), ("done", 100, True)
        )

    def test_a_failed_download_says_why(self):
        with self.captureOnCommitCallbacks(execute=False):
            self.start()
        download = Download.objects.latest("pk")
        Download.objects.filter(pk=download.pk).update(
            status=Download.Status.FAILED, error="Dit programma bestaat niet."
        )
        page = self.client.get(reverse("downloads:detail", args=[download.pk]))
        self.assertContains(page, 'role="alert"')
        self.assertContains(page, "Dit programma bestaat niet.")
        self.assertNotContains(page, "<progress")

    def test_bad_parameters_go_back_with_a_message(self):
        response = self.start(format="csv")
        self.assertRedirects(response, reverse("downloads:list"), fetch_redirect_response=False)
        self.assertFalse(Download.objects.exists())
        page = self.client.get(response["Location"])
        self.assertContains(page, 'class="alert error"')

    def test_the_list_shows_only_ones_own_downloads(self):
        self.start()
        mine = Download.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            services.request_download(
                user=self.staff2,
                kind="status_report",
                params={"programme": self.programme.pk, "as_of": "2021-12-31", "format": "pdf"},
            )
        page = self.client.get(reverse("downloads:list"))
        self.assertContains(page, reverse("downloads:detail", args=[mine.pk]))
        self.assertContains(page, mine.filename)
        self.assertEqual(page.context["downloads"].count(), 1)


class PermissionTests(DownloadTestCase):
    def setUp(self):
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            self.download = services.request_download(
                user=self.staff,
                kind="status_report",
                params={"programme": self.programme.pk, "as_of": "2021-12-31", "format": "xlsx"},
            )

    def test_another_user_gets_404_on_the_page_its_status_and_its_file(self):
        for user in (self.staff2, self.expert, self.alice, self.bob, self.paula):
            self.client.force_login(user)
            for name in ("downloads:detail", "downloads:status", "downloads:file"):
                with self.subTest(user=user.username, url=name):
                    response = self.client.get(reverse(name, args=[self.download.pk]))
                    self.assertEqual(response.status_code, 404)
        self.client.force_login(self.staff)
        self.assertEqual(
            self.client.get(reverse("downloads:file", args=[self.download.pk])).status_code, 200
        )

    def test_a_requester_whose_role_changed_no_longer_sees_it(self):
        self.staff.role = "municipality"
        self.staff.municipality = self.lier
        self.staff.save()
        self.client.force_login(self.staff)
        response = self.client.get(reverse("downloads:file", args=[self.download.pk]))
        self.assertEqual(response.status_code, 404)

    def test_a_municipality_cannot_start_a_report(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("downloads:start"),
            {
                "kind": "status_report",
                "programme": self.programme.pk,
                "format": "xlsx",
                "as_of": "2021-12-31",
            },
        )
        self.assertEqual(response.status_code, 403)

    def test_the_pages_need_a_login(self):
        response = self.client.get(reverse("downloads:detail", args=[self.download.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])


class HistoryFlowTests(DownloadTestCase):
    def test_the_history_page_exports_in_the_background(self):
        self.client.force_login(self.staff)
        page = self.client.get(reverse("history:import"))
        self.assertContains(page, '<input type="hidden" name="kind" value="history">', html=True)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("downloads:start"), {"kind": "history", "programme": self.programme.pk}
            )
        download = Download.objects.get()
        self.assertRedirects(response, reverse("downloads:detail", args=[download.pk]))
        file = self.client.get(reverse("downloads:file", args=[download.pk]))
        direct = self.client.get(reverse("history:export", args=[self.programme.pk]))
        self.assertEqual(contents(b"".join(file.streaming_content)), contents(direct.content))
        self.assertEqual(download.filename, f"profploeg-history-{self.programme.pk}.xlsx")

    def test_an_expert_cannot_export_the_history(self):
        self.client.force_login(self.expert)
        response = self.client.post(
            reverse("downloads:start"), {"kind": "history", "programme": self.programme.pk}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Download.objects.exists())


class ExpiryTests(DownloadTestCase):
    def test_the_page_says_when_the_file_goes(self):
        self.client.force_login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("downloads:start"), {"kind": "history", "programme": self.programme.pk}
            )
        download = Download.objects.get()
        self.assertEqual(download.expires_at - download.finished_at, datetime.timedelta(hours=24))


class AdminTests(DownloadTestCase):
    def test_the_admin_follows_downloads_without_linking_their_files(self):
        with self.captureOnCommitCallbacks(execute=True):
            download = services.request_download(
                user=self.staff, kind="history", params={"programme": self.programme.pk}
            )
        download.refresh_from_db()
        self.staff.is_staff = self.staff.is_superuser = True
        self.staff.save()
        self.client.force_login(self.staff)
        listing = self.client.get(reverse("admin:downloads_download_changelist"))
        self.assertContains(listing, download.title)
        page = self.client.get(reverse("admin:downloads_download_change", args=[download.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, download.filename)
        self.assertNotContains(page, download.file.name)
