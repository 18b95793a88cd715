import datetime
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.test import override_settings
from django.utils import timezone
from fpdf import FPDF
from pypdf import PdfReader

from profploeg.applications.models import Application
from profploeg.downloads import services as download_services
from profploeg.showcase.models import Case
from profploeg.test import PASSWORD
from profploeg.trajectories import services as trajectory_services
from profploeg.trajectories.models import Intake, PersonDayEntry

from ..browser import BrowserTestCase, expect
from ..world import World

Status = Application.Status


def small_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Kernversterking Lier: plan van aanpak")
    return bytes(pdf.output())


class JourneyTests(BrowserTestCase):
    """The main journeys, clicked through in Chromium as each role would."""

    def setUp(self):
        super().setUp()
        self.world = World()

    def test_municipality_logs_in_and_applies_with_a_pdf(self):
        call = self.world.open_call()
        page = self.open()
        self.go(page, "/accounts/login/")
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="My applications"
        ).click()
        page.get_by_role("link", name="Apply", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(call.title)
        # The form comes filled in with the user's own name and address.
        expect(page.get_by_label("Contact person")).to_have_value("Alice Aerts")
        page.get_by_label("Contact phone").fill("03 800 05 11")
        page.get_by_label("Your question or need").fill("De Antwerpsestraat loopt leeg.")
        page.locator("input[name=themes]").first.check()
        page.get_by_label("Attachments (PDF)").set_input_files(
            {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}
        )
        page.get_by_role("button", name="Submit application").click()

        expect(
            page.get_by_role("status").filter(has_text="Your application was received")
        ).to_be_visible()
        expect(page.get_by_role("link", name="plan.pdf")).to_be_visible()
        application = Application.objects.get(round__programme=call)
        self.assertEqual(application.municipality, self.world.lier)
        self.assertEqual(application.submitted_by, self.world.alice)
        self.assertEqual(application.contact_phone, "03 800 05 11")
        self.assertEqual(application.themes.count(), 1)
        self.assertEqual(application.attachments.count(), 1)
        self.assertIn(f"/applications/{application.pk}/", page.url)

    def test_staff_declare_an_application_admissible_then_accept_it(self):
        application = self.world.submitted(self.world.brugge)
        page = self.open(self.world.staff)
        self.go(page, f"/applications/rounds/{self.world.round1.pk}/")
        page.get_by_role("link", name=re.compile("Brugge")).click()
        expect(page.locator("h1 .badge")).to_have_text("Submitted")

        page.get_by_role("button", name="Declare admissible").click()
        expect(page.locator("h1 .badge")).to_have_text("Admissible")
        page.get_by_role("button", name="Accept: guidance can start").click()
        expect(page.locator("h1 .badge")).to_have_text("Accepted")
        expect(page.get_by_role("button", name="Accept: guidance can start")).to_have_count(0)

        application.refresh_from_db()
        self.assertEqual(application.status, Status.ACCEPTED)
        self.assertEqual(
            list(application.transitions.order_by("pk").values_list("to_status", flat=True)),
            [Status.SUBMITTED, Status.ADMISSIBLE, Status.ACCEPTED],
        )

    def test_staff_plan_an_intake_for_an_accepted_application(self):
        application = self.world.accepted(self.world.brugge)
        when = timezone.localdate() + datetime.timedelta(days=7)
        page = self.open(self.world.staff)
        self.go(page, "/trajectories/")
        page.get_by_role("row", name=re.compile("Brugge")).get_by_role(
            "link", name="Plan intake"
        ).click()
        page.get_by_label("Date and time").fill(f"{when:%Y-%m-%d}T10:30")
        page.get_by_label("Place").fill("Stadhuis Brugge, Burg 12")
        page.get_by_label(re.compile("Eva Expert")).check()
        page.get_by_role("button", name="Plan and invite").click()

        expect(page.get_by_role("status").first).to_contain_text("The intake was planned")
        intake = Intake.objects.get(application=application)
        self.assertEqual(timezone.localtime(intake.planned_at).date(), when)
        self.assertEqual(intake.location, "Stadhuis Brugge, Burg 12")
        self.assertEqual(list(intake.experts.all()), [self.world.eva])
        self.assertIn(f"/trajectories/intakes/{intake.pk}/", page.url)

    def test_expert_registers_a_day_today(self):
        trajectory = self.world.running()
        # Planned to end in 2022: days this late need the expected end that staff set.
        trajectory_services.set_expected_end(
            by=self.world.staff,
            trajectory=trajectory,
            expected_end=timezone.localdate() + datetime.timedelta(days=60),
            reason="De gemeente vroeg een tweede werksessie",
        )
        page = self.open(self.world.expert_user)
        self.go(page, "/trajectories/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Person-days").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Person-days: Eva Expert")
        page.get_by_label("Trajectory").select_option(str(trajectory.pk))
        expect(page.get_by_label("Date")).to_have_value(f"{timezone.localdate():%Y-%m-%d}")
        page.get_by_label("Person-days").select_option("0.5")
        page.get_by_label("Note").fill("Werksessie met de handelaars")
        page.get_by_role("button", name="Register", exact=True).click()

        expect(page.get_by_role("status").first).to_contain_text("The person-days were registered")
        expect(page.get_by_role("cell", name="Werksessie met de handelaars")).to_be_visible()
        entry = PersonDayEntry.objects.get(note="Werksessie met de handelaars")
        self.assertEqual(entry.date, timezone.localdate())
        self.assertEqual(entry.days, Decimal("0.5"))
        self.assertEqual(entry.expert, self.world.eva)
        self.assertEqual(entry.trajectory, trajectory)

    def test_staff_download_the_status_report_as_xlsx_and_pdf(self):
        self.world.running()
        self.world.submitted(self.world.brugge)
        page = self.open(self.world.staff)
        self.go(page, f"/programmes/{self.world.programme.pk}/")
        page.get_by_role("link", name="Status report").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Status report")

        report = page.url
        folder = Path(tempfile.mkdtemp(prefix="profploeg-e2e-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        files = {}
        for name in ("XLSX", "PDF"):
            self.go(page, report.removeprefix(self.live_server_url))
            downloads = page.get_by_role("region", name="Downloads")
            # The button starts a background download and leads to its page (development runs
            # the task at once, so the file is ready there).
            downloads.get_by_role("button", name=name, exact=True).click()
            expect(page).to_have_url(re.compile(r"/downloads/\d+/$"))
            with page.expect_download() as download:
                page.get_by_role("link", name=re.compile(r"^Download ")).click()
            files[name] = folder / download.value.suggested_filename
            download.value.save_as(files[name])
            self.assertGreater(files[name].stat().st_size, 0)

        self.assertEqual(files["XLSX"].suffix, ".xlsx")
        workbook = openpyxl.load_workbook(files["XLSX"], read_only=True)
        cells = {
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        }
        self.assertIn("Lier", cells)
        self.assertIn("Brugge", cells)
        self.assertEqual(files["PDF"].suffix, ".pdf")
        reader = PdfReader(files["PDF"])
        self.assertGreater(len(reader.pages), 0)
        text = " ".join(page.extract_text() for page in reader.pages)
        self.assertIn("Lier", text)

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_the_download_page_follows_the_progress_and_offers_the_file(self):
        """With a worker elsewhere: the page's script polls the status and shows the link."""
        self.world.running()
        download = download_services.request_download(
            user=self.world.staff,
            kind="status_report",
            params={
                "programme": self.world.programme.pk,
                "as_of": timezone.localdate().isoformat(),
                "format": "xlsx",
            },
        )
        page = self.open(self.world.staff)
        self.go(page, f"/downloads/{download.pk}/")
        expect(page.locator("progress")).to_have_attribute("value", "0")
        expect(page.get_by_role("status")).to_contain_text("Waiting for the worker")
        self.assertTrue(download_services.run_download(download.pk))
        link = page.get_by_role("link", name=re.compile(r"^Download statusrapport-"))
        expect(link).to_be_visible(timeout=10_000)
        expect(page.locator("progress")).to_have_count(0)

    def test_a_case_approved_and_published_appears_in_de_vitrine(self):
        case = self.world.case_in_review(title="Leegstand wordt pop-up")
        municipality = self.open(self.world.alice)
        self.go(municipality, f"/vitrine/manage/{case.pk}/")
        municipality.get_by_role("button", name="Approve this text for publication").click()
        expect(municipality.get_by_role("status").first).to_be_visible()

        staff = self.open(self.world.staff)
        self.go(staff, "/vitrine/manage/")
        staff.get_by_role("link", name="Leegstand wordt pop-up").click()
        staff.get_by_role("button", name="Publish on De Vitrine").click()
        expect(staff.get_by_role("link", name="Public page")).to_be_visible()
        case.refresh_from_db()
        self.assertEqual(case.status, Case.Status.PUBLISHED)

        public = self.open()
        self.go(public, "/vitrine/")
        public.get_by_role("link", name=re.compile("Leegstand wordt pop-up")).first.click()
        expect(public.get_by_role("heading", level=1)).to_have_text("Leegstand wordt pop-up")
        expect(public.get_by_text("Zes panden kregen een nieuwe invulling.")).to_be_visible()
        self.assertIn(f"/vitrine/cases/{case.slug}/", public.url)
