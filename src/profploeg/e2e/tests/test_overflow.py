from profploeg.evaluations.models import Invitation
from profploeg.municipalities.models import Province
from profploeg.test import make_user, municipality

from ..browser import DESKTOP, PHONE, BrowserTestCase
from ..world import World

# What sticks out, so that a failure says where to look: elements and text (a long word, a
# no-wrap label) past the right edge, outside the boxes that scroll on purpose.
WIDTH = """() => {
    const inScrollBox = e => e.closest(".table-scroll, .chart-scroll, .scroll-box, table, pre");
    const past = box => box.right > window.innerWidth + 1;
    const name = e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "");
    const elements = [...document.querySelectorAll("body *")]
        .filter(e => past(e.getBoundingClientRect()) && !inScrollBox(e)).map(name);
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        if (past(range.getBoundingClientRect()) && !inScrollBox(node.parentElement)) {
            texts.push(`“${node.textContent.trim().slice(0, 40)}” in ${name(node.parentElement)}`);
        }
    }
    return {page: document.documentElement.scrollWidth, viewport: window.innerWidth,
            widest: elements.slice(0, 3), texts: texts.slice(0, 3)};
}"""


class OverflowTests(BrowserTestCase):
    """No main page of any role scrolls sideways on a phone (390 px) or a laptop (1280 px):
    wide tables scroll inside their own box, the page itself does not."""

    def assertFits(self, page, path: str):
        width = page.viewport_size["width"]
        with self.subTest(path=path, width=width):
            self.go(page, path)
            found = page.evaluate(WIDTH)
            self.assertLessEqual(
                found["page"],
                found["viewport"],
                f"{path} is {found['page']} px wide at {width} px: {found['widest']} {found['texts']}",
            )

    def test_main_pages_of_every_role_fit_the_screen(self):
        world = World()
        call = world.open_call()
        case = world.published_case(world.lier)
        running = world.running(world.brugge)
        submitted = world.submitted(municipality("Gent"))
        invitation = Invitation.objects.get(trajectory=case.trajectory)
        paula = make_user("paula", "province", province=Province.objects.get(refnis="10000"))
        programme = world.programme.pk
        pages = {
            None: [
                "/accounts/login/",
                "/vitrine/",
                "/vitrine/cases/",
                f"/vitrine/cases/{case.slug}/",
                f"/evaluations/answer/{invitation.token}/",
            ],
            world.staff: [
                "/",
                "/todo/",
                "/programmes/",
                f"/programmes/{programme}/",
                f"/applications/rounds/{world.round1.pk}/",
                f"/applications/{submitted.pk}/",
                "/trajectories/",
                f"/trajectories/{running.pk}/",
                f"/trajectories/budget/{programme}/",
                f"/evaluations/programmes/{programme}/",
                f"/audit/applications/application/{submitted.pk}/",
                "/accounts/users/",
                "/vitrine/manage/",
            ],
            world.expert_user: ["/", "/trajectories/", "/trajectories/days/"],
            world.bob: [
                "/",
                "/applications/mine/",
                f"/applications/programmes/{call.pk}/apply/",
                f"/trajectories/{running.pk}/",
            ],
            paula: ["/", "/trajectories/", "/applications/province/"],
        }
        # The status report (/reports/programmes/<pk>/status/) is being restructured for
        # issue 11 item 2 and joins this list when that lands.
        for user, paths in pages.items():
            for viewport in (PHONE, DESKTOP):
                page = self.open(user, language="nl-be", viewport=viewport)
                for path in paths:
                    self.assertFits(page, path)
