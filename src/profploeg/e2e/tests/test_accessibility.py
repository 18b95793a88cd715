import json

from django.test import override_settings

from profploeg.applications.models import Application
from profploeg.downloads import services as download_services
from profploeg.evaluations.models import Invitation
from profploeg.test import municipality

from ..browser import PHONE, BrowserTestCase, expect
from ..world import World


class AccessibilityTests(BrowserTestCase):
    """axe-core on every main page, as each role sees it, in Dutch (the interface's default); a
    keyboard-only walk of the apply form."""

    def assertAccessible(self, page, path: str):
        with self.subTest(path=path, viewport=page.viewport_size["width"]):
            self.go(page, path)
            self.assertEqual(page.locator("html").get_attribute("lang"), "nl")
            violations = self.axe(page)
            self.assertEqual(violations, [], f"{path}:\n{json.dumps(violations, indent=2)}")

    def test_main_pages_have_no_serious_or_critical_violations(self):
        world = World()
        call = world.open_call()
        case = world.published_case(world.lier)
        running = world.running(world.brugge)
        submitted = world.submitted(municipality("Gent"))
        invitation = Invitation.objects.get(trajectory=case.trajectory)

        public = self.open(language="nl-be", bypass_csp=True)
        for path in (
            "/accounts/login/",
            "/vitrine/",
            "/vitrine/cases/",
            f"/vitrine/cases/{case.slug}/",
            "/vitrine/map/",
            f"/evaluations/answer/{invitation.token}/",
        ):
            self.assertAccessible(public, path)

        phone = self.open(language="nl-be", bypass_csp=True, viewport=PHONE)
        for path in ("/vitrine/", f"/vitrine/cases/{case.slug}/"):
            self.assertAccessible(phone, path)

        staff = self.open(world.staff, language="nl-be", bypass_csp=True)
        programme = world.programme.pk
        report = {"programme": programme, "as_of": "2022-01-31", "format": "pdf"}
        # One download waiting for a worker (none runs here), one made at once.
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        ):
            waiting = download_services.request_download(
                user=world.staff, kind="status_report", params=report
            )
        ready = download_services.request_download(
            user=world.staff, kind="status_report", params=report
        )
        for path in (
            "/downloads/",
            f"/downloads/{waiting.pk}/",
            f"/downloads/{ready.pk}/",
            "/programmes/",
            f"/programmes/{programme}/",
            f"/applications/rounds/{world.round1.pk}/",
            f"/applications/{submitted.pk}/",
            "/trajectories/",
            f"/trajectories/{running.pk}/",
            f"/trajectories/budget/{programme}/",
            f"/reports/programmes/{programme}/status/",
            f"/evaluations/programmes/{programme}/",
            f"/evaluations/trajectories/{case.trajectory_id}/",
            f"/vitrine/manage/{case.pk}/",
            "/vitrine/manage/",
            "/accounts/users/",
            "/trajectories/?status=running",
        ):
            self.assertAccessible(staff, path)

        expert = self.open(world.expert_user, language="nl-be", bypass_csp=True)
        self.assertAccessible(expert, "/trajectories/days/")

        town = self.open(world.bob, language="nl-be", bypass_csp=True)
        self.assertAccessible(town, "/applications/mine/")
        self.assertAccessible(town, f"/applications/programmes/{call.pk}/apply/")
        # The same form again, now with its error messages.
        town.locator("main form button[type=submit]").click()
        town.locator(".field-error").first.wait_for()
        with self.subTest(path="apply form with errors"):
            self.assertEqual(self.axe(town), [])

    def test_keyboard_only_walk_of_the_apply_form(self):
        world = World()
        call = world.open_call()
        page = self.open(world.bob)
        self.go(page, f"/applications/programmes/{call.pk}/apply/")
        typed = {
            "id_contact_name": "Bram Bulcke",
            "id_contact_email": "bram@brugge.be",
            "id_contact_phone": "050 44 80 00",
            "id_question": "Het Zand mist bezoekers na de middag.",
        }
        visited = []
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                """() => { const e = document.activeElement;
                           return {id: e.id, tag: e.tagName, type: e.type || "",
                                   text: e.innerText || ""}; }"""
            )
            visited.append(focused["id"] or focused["text"].strip())
            if focused["id"] in typed:
                page.keyboard.press("Control+A")
                page.keyboard.type(typed[focused["id"]])
            elif focused["id"] == "id_themes_0":
                page.keyboard.press("Space")
            elif focused["tag"] == "BUTTON" and focused["text"].strip() == "Submit application":
                break
        else:
            self.fail(f"Tab never reached the submit button: {visited}")

        fields = [name for name in visited if name.startswith("id_")]
        self.assertEqual(
            [name for name in fields if not name.startswith("id_themes_")],
            [*typed, "id_attachments"],
        )
        # The themes come between the question and the attachments, every one of them.
        themes = [name for name in fields if name.startswith("id_themes_")]
        self.assertEqual(themes, [f"id_themes_{i}" for i in range(len(themes))])
        self.assertGreater(len(themes), 0)
        self.assertLess(fields.index("id_question"), fields.index("id_themes_0"))
        self.assertLess(fields.index(themes[-1]), fields.index("id_attachments"))

        page.keyboard.press("Enter")
        expect(page.get_by_role("status").first).to_contain_text("Your application was received")
        application = Application.objects.get(round__programme=call)
        self.assertEqual(application.municipality, world.brugge)
        self.assertEqual(application.contact_name, "Bram Bulcke")
        self.assertEqual(application.contact_email, "bram@brugge.be")
        self.assertEqual(application.question, "Het Zand mist bezoekers na de middag.")
        self.assertEqual(application.themes.count(), 1)
