import os
import shutil
import tempfile
from unittest import skipUnless

from django.core.management import call_command
from django.test import override_settings

from profploeg.accounts.models import User
from profploeg.applications.models import Application
from profploeg.demo.applications import SEED_TITLE
from profploeg.programmes.models import Programme
from profploeg.showcase.models import Case

from ..browser import PHONE, REPO, BrowserTestCase

SCREENSHOTS = REPO / "docs" / "screenshots"
MAX_BYTES = 300 * 1024


@skipUnless(
    os.environ.get("PROFPLOEG_SCREENSHOTS"),
    "writes docs/screenshots from the demo: run `make screenshots`",
)
class ReadmeScreenshotTests(BrowserTestCase):
    """The README's screenshots, taken of the demo in English at 1280×900 (and a phone)."""

    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.mkdtemp(prefix="profploeg-screenshots-media-")
        cls.media_override = override_settings(MEDIA_ROOT=cls.media)
        cls.media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.media_override.disable()
        shutil.rmtree(cls.media, ignore_errors=True)

    def shoot(self, page, path: str, name: str):
        self.go(page, path)
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=target, full_page=False, animations="disabled", caret="hide")
        self.assertLess(target.stat().st_size, MAX_BYTES, f"{target.name} is too large")

    def test_it_takes_the_readme_screenshots(self):
        call_command("demo", stdout=open(os.devnull, "w"))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        programme = Programme.objects.get(title=SEED_TITLE)
        round1 = programme.rounds.get(number=1)
        refused = Application.objects.filter(round=round1, status="inadmissible").get()
        case = Case.objects.published().first()

        staff = self.open(User.objects.get(username="vlaio"))
        self.shoot(staff, f"/reports/programmes/{programme.pk}/status/", "status-report")
        self.shoot(staff, f"/applications/rounds/{round1.pk}/", "round-table")
        self.shoot(staff, f"/applications/{refused.pk}/", "application-detail")
        self.shoot(staff, f"/trajectories/budget/{programme.pk}/", "budget-monitor")

        public = self.open()
        self.shoot(public, "/vitrine/", "vitrine-home")
        self.shoot(public, f"/vitrine/cases/{case.slug}/", "vitrine-case")
        phone = self.open(viewport=PHONE)
        self.shoot(phone, "/vitrine/", "vitrine-phone")
