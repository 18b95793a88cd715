"""The base class of the real-browser tests: a live server, Chromium through Playwright, axe-core.

Without Chromium or the playwright package the tests are skipped, so that `make test` passes on
any machine; with PROFPLOEG_E2E=1 (set by .ci/run) a missing browser fails them instead."""

import os
from pathlib import Path
from unittest import SkipTest, skipIf

from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.cache import cache
from django.db import connections
from django.test import override_settings

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    expect = sync_playwright = None

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = os.environ.get("PROFPLOEG_CHROMIUM", "/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = os.environ.get("PROFPLOEG_E2E", "").lower() in ("1", "true", "yes", "on")
# Chromium without the services a test does not need; no sandbox, as CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous: the tests share a loaded machine with other test runs.
TIMEOUT_MS = 30_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# WCAG 2.1 AA, which Flemish public websites must meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing_browser() -> str:
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)"
    return ""


MISSING = missing_browser()


@skipIf(MISSING and not REQUIRED, f"real-browser tests need Chromium and Playwright: {MISSING}")
# The browser tests walk the pages, not the second factor (accounts/tests covers that one).
@override_settings(OTP_REQUIRED=False)
class BrowserTestCase(StaticLiveServerTestCase):
    """A live server and one Chromium per class; each `open()` is a fresh browser context."""

    # The municipalities and themes come from data migrations: put them back after each flush.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        if MISSING:
            raise AssertionError(f"PROFPLOEG_E2E is set, but {MISSING}")
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        # The sync Playwright API runs this thread inside an event loop; the test's own ORM
        # calls stay synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        # Inside that loop Django hands out new connection objects: give them the serialized
        # data that serialized_rollback restores, and start Playwright before the live server,
        # which shares the test's in-memory SQLite connection.
        serialized = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        cls.playwright = sync_playwright().start()
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        try:
            cls.browser = cls.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000
            )
            super().setUpClass()
        except BaseException:
            cls.stop_playwright()
            raise
        expect.set_options(timeout=TIMEOUT_MS)

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.stop_playwright()

    @classmethod
    def stop_playwright(cls):
        # The connections opened inside the event loop (a no-op for in-memory SQLite).
        connections.close_all()
        if hasattr(cls, "browser"):
            cls.browser.close()
        cls.playwright.stop()
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe

    def setUp(self):
        super().setUp()
        # De Vitrine caches whole pages; ids are reused after each flush.
        cache.clear()

    def open(self, user=None, *, viewport=DESKTOP, bypass_csp=False, language="en"):
        """A new page in a fresh context, logged in as `user` (or not), in English by default
        (stable selectors) or "nl-be"; the test fails on any Content Security Policy violation."""
        context = self.browser.new_context(
            viewport=viewport,
            accept_downloads=True,
            bypass_csp=bypass_csp,
            # The browser's own language too (Accept-Language), matching the cookie.
            locale={"en": "en-GB", "nl-be": "nl-BE"}[language],
        )
        self.addCleanup(context.close)
        # Chromium asks for one; the app has none, and a 404 in the log is noise.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        url = self.live_server_url
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}]
        if user is not None:
            self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            session = self.client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url})
            self.client.cookies.clear()
        context.add_cookies(cookies)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(2 * TIMEOUT_MS)
        blocked = []

        def note_blocked(message):
            if "Content Security Policy" in message.text:
                blocked.append(message.text)

        page.on("console", note_blocked)
        self.addCleanup(lambda: self.assertEqual(blocked, [], "blocked by the CSP"))
        return page

    def go(self, page, path: str):
        response = page.goto(self.live_server_url + path)
        self.assertLess(response.status, 400, f"{path} answered {response.status}")
        return response

    def axe(self, page) -> list[dict]:
        """The serious and critical WCAG 2.1 AA violations axe-core finds on the page."""
        if not AXE_JS.exists():
            message = f"no {AXE_JS.relative_to(REPO)}: run `npm ci` (make test does)"
            if REQUIRED:
                raise AssertionError(message)
            raise SkipTest(message)
        page.add_script_tag(path=AXE_JS)
        violations = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]})
                .then(result => result.violations)""",
            WCAG_TAGS,
        )
        return [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "where": [" ".join(node["target"]) for node in v["nodes"][:5]],
            }
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
