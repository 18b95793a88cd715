"""A crawl of the pages every role can reach, in Dutch, with Django's test client (no browser):
no page may answer 5xx, and no English status word may show on a Dutch page."""

import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.test import TestCase, override_settings

from profploeg.accounts.models import User
from profploeg.evaluations.models import Invitation
from profploeg.municipalities.models import Province
from profploeg.test import make_user, municipality

from ..world import World

# Pages per role: enough to reach every kind of page in the small world, small enough to
# keep the crawl under a minute.
MAX_PAGES = 150
# Query-string variants (pages, filters, sorting) of one kind of page that are worth a visit.
MAX_PER_KIND = 3
# Downloads, Django's admin (its own catalogue), the API's docs and files are not pages.
SKIP = re.compile(
    r"^/(static|media|admin|api)/|/(export|download)s?/|\.(pdf|docx|xlsx|csv|ics|zip|png|svg|json)$"
)
# Status words that must read in Dutch on a Dutch page.
STATUS_WORDS = re.compile(
    r"\b(planned|running|completed|stopped|submitted|admissible|inadmissible|accepted|deferred"
    r"|withdrawn|overdue|inactive)\b",
    re.IGNORECASE,
)

# Dates and numbers that are not Belgian Dutch: ISO or Dutch-from-the-Netherlands dates
# (2022-02-07, 7-2-2022), English thousands (1,500,000), "EUR 1" and Python's None.
FOREIGN_FORMATS = re.compile(
    r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}-\d{1,2}-\d{4}\b|\b\d{1,3}(?:,\d{3})+\b(?![,.]\d)"
    r"|\bEUR \d|\bNone\b"
)


class Page(HTMLParser):
    """The links of a page (not those marked `download`) and its visible text, without the
    contents of <code>, <pre>, <script>, <style> and <template>."""

    HIDDEN = {"code", "pre", "script", "style", "template", "kbd", "samp"}

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.hidden = 0
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.links.append(attributes["href"])
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def kind(url: str) -> str:
    """Pages that differ only in their ids or query values are one kind of page."""
    parts = urlsplit(url)
    keys = sorted({key for key, _value in parse_qsl(parts.query)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def internal(href: str, base: str) -> str | None:
    """The link as a local path with its query, or None for another site, a fragment, mail."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not (parts.path or parts.query):
        if parts.netloc in ("testserver", "127.0.0.1:8000") and parts.path:
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return None
    path = parts.path or urlsplit(base).path
    if not path.startswith("/"):
        path = base.rsplit("/", 1)[0] + "/" + path
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return path + (f"?{query}" if query else "")


def without_urls(text: str) -> str:
    return re.sub(r"\S*(://|/[a-z])\S*", " ", text)


def visible_words(text: str) -> set[str]:
    """English status words in the text, URLs left out."""
    return {match.lower() for match in STATUS_WORDS.findall(without_urls(text))}


def foreign_formats(text: str) -> set[str]:
    return set(FOREIGN_FORMATS.findall(without_urls(text)))


# The crawl walks the pages, not the second factor (accounts/tests covers that one).
@override_settings(OTP_REQUIRED=False)
class CrawlTests(TestCase):
    """A small but complete world: an open call, submitted and accepted applications, a running
    and a completed trajectory, a published case and one waiting for approval."""

    found: tuple[dict, str] | None = None

    @classmethod
    def setUpTestData(cls):
        world = World()
        world.open_call()
        world.submitted(municipality("Gent"))
        world.accepted(municipality("Mechelen"))
        world.running(world.brugge)
        cls.case = world.published_case(world.lier)
        world.case_in_review(municipality("Turnhout"), title="Een markt die werkt")
        cls.invitation = Invitation.objects.filter(trajectory=cls.case.trajectory).first()
        cls.world = world
        cls.province = make_user(
            "paula", User.Role.PROVINCE, province=Province.objects.get(refnis="10000")
        )

    def crawl(self, user, starts: list[str]) -> dict:
        """Visit the pages reachable from `starts`; return what was found."""
        self.client.logout()
        if user is not None:
            self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
        queue = deque(starts)
        seen = set(starts)
        per_kind: dict[str, int] = {}
        errors, english, formats, visited = [], {}, {}, 0
        while queue and visited < MAX_PAGES:
            url = queue.popleft()
            response = self.client.get(url, headers={"Accept-Language": "nl-BE"})
            visited += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {url}")
                continue
            if response.status_code in (301, 302, 303, 307, 308):
                target = internal(response["Location"], url)
                if target and target not in seen and not SKIP.search(urlsplit(target).path):
                    seen.add(target)
                    queue.append(target)
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            page = Page()
            page.feed(response.content.decode("utf-8", "replace"))
            if page.lang.startswith("nl"):
                text = " ".join(page.text)
                for word in visible_words(text):
                    english.setdefault(word, []).append(url)
                for value in foreign_formats(text):
                    formats.setdefault(value, []).append(url)
            for href in page.links:
                link = internal(href, url)
                if link is None or link in seen or SKIP.search(urlsplit(link).path):
                    continue
                seen.add(link)
                if per_kind.get(kind(link), 0) >= MAX_PER_KIND:
                    continue
                per_kind[kind(link)] = per_kind.get(kind(link), 0) + 1
                queue.append(link)
        return {"errors": errors, "english": english, "formats": formats, "visited": visited}

    def crawl_every_role(self) -> tuple[dict, str]:
        """The crawl of every role, run once for the tests of this class; and its report."""
        if CrawlTests.found is not None:
            return CrawlTests.found

        world = self.world
        programme = world.programme.pk
        roles = {
            "anonymous": (
                None,
                [
                    "/",
                    "/vitrine/",
                    "/accounts/login/",
                    f"/evaluations/answer/{self.invitation.token}/",
                ]
                if self.invitation
                else ["/", "/vitrine/", "/accounts/login/"],
            ),
            "staff": (
                world.staff,
                [
                    "/",
                    "/programmes/",
                    f"/programmes/{programme}/",
                    "/trajectories/",
                    f"/trajectories/budget/{programme}/",
                    f"/reports/programmes/{programme}/status/",
                    f"/evaluations/programmes/{programme}/",
                ],
            ),
            "expert": (world.expert_user, ["/", "/trajectories/", "/trajectories/days/"]),
            "municipality": (world.alice, ["/", "/applications/mine/", "/trajectories/"]),
            "province": (self.province, ["/"]),
        }
        started = time.monotonic()
        found = {}
        for role, (user, starts) in roles.items():
            found[role] = self.crawl(user, starts)
        elapsed = time.monotonic() - started
        report = "\n".join(
            f"{role}: {result['visited']} pages"
            + "".join(f"\n  server error: {error}" for error in result["errors"])
            + "".join(
                f"\n  English “{word}” on {len(urls)} page(s), e.g. {', '.join(sorted(urls)[:3])}"
                for word, urls in sorted(result["english"].items())
            )
            + "".join(
                f"\n  “{value}” on {len(urls)} page(s), e.g. {', '.join(sorted(urls)[:3])}"
                for value, urls in sorted(result["formats"].items())
            )
            for role, result in found.items()
        )
        print(f"\nCrawl in {elapsed:.1f} s\n{report}")
        CrawlTests.found = found, report
        return CrawlTests.found

    def test_no_page_answers_a_server_error(self):
        found, report = self.crawl_every_role()
        self.assertEqual([e for r in found.values() for e in r["errors"]], [], report)

    def test_dates_and_numbers_read_as_belgian_dutch(self):
        found, report = self.crawl_every_role()
        self.assertEqual({v for r in found.values() for v in r["formats"]}, set(), report)

    def test_no_english_status_word_shows_on_a_dutch_page(self):
        found, report = self.crawl_every_role()
        self.assertEqual({w for r in found.values() for w in r["english"]}, set(), report)
