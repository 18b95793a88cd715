import datetime
import json

from profploeg.test import make_programme

from ..browser import PHONE, BrowserTestCase, expect
from ..world import World

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


class NavigationTests(BrowserTestCase):
    """The header's main places, the staff's to-do page and the programme switch, on a phone."""

    def test_staff_find_the_budget_of_another_programme_through_the_header_and_the_switch(self):
        world = World()
        world.running(world.brugge)
        newer = make_programme(title="Profploeg 2", published_on=datetime.date(2024, 3, 1))
        page = self.open(world.staff, viewport=PHONE)
        self.go(page, "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("To do")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
        self.assertLessEqual(page.evaluate(OVERFLOW), 0)

        nav.get_by_role("link", name="Budget").click()
        self.assertIn(f"/trajectories/budget/{newer.pk}/", page.url)
        expect(nav.get_by_role("link", name="Budget")).to_have_attribute("aria-current", "page")
        page.get_by_label("Other programme").select_option(str(world.programme.pk))
        page.get_by_role("button", name="Switch").click()
        self.assertIn(f"/trajectories/budget/{world.programme.pk}/", page.url)
        expect(page.get_by_role("link", name=world.programme.title)).to_be_visible()

    def test_no_role_gets_a_header_that_scrolls_sideways_on_a_phone(self):
        world = World()
        for user, path in (
            (world.staff, f"/programmes/{world.programme.pk}/"),
            (world.expert_user, "/trajectories/"),
            (world.alice, "/applications/mine/"),
        ):
            with self.subTest(user=user.username):
                page = self.open(user, viewport=PHONE, language="nl-be")
                self.go(page, path)
                self.assertLessEqual(page.evaluate(OVERFLOW), 0)

    def test_the_new_pages_have_no_serious_or_critical_violations(self):
        world = World()
        world.submitted(world.lier)
        for viewport in (PHONE, None):
            page = self.open(
                world.staff,
                language="nl-be",
                bypass_csp=True,
                **({"viewport": viewport} if viewport else {}),
            )
            for path in ("/todo/", f"/programmes/{world.programme.pk}/", "/vitrine/manage/"):
                with self.subTest(path=path, viewport=page.viewport_size["width"]):
                    self.go(page, path)
                    violations = self.axe(page)
                    self.assertEqual(violations, [], json.dumps(violations, indent=2))
