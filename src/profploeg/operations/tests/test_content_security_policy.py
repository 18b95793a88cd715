"""The Content Security Policy allows our own files only, so nothing may be written inline."""

import re
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from profploeg.test import BaseTestCase

PACKAGE_DIR = Path(settings.PACKAGE_DIR)

# An executable <script> without src (JSON data blocks are not executed and stay allowed),
# an event handler attribute, a style attribute or element, or a javascript: URL.
INLINE = {
    "inline script": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/(ld\+)?json)[^>]*>", re.I
    ),
    "event handler attribute": re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-z][^<>]*\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def offences(text: str) -> list[str]:
    return [name for name, pattern in INLINE.items() if pattern.search(text)]


class PolicyHeaderTests(BaseTestCase):
    def assertStrictPolicy(self, response):
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
        )
        self.assertEqual(directives["default-src"], "'self'")
        self.assertEqual(directives["script-src"], "'self'")
        self.assertEqual(directives["style-src"], "'self'")
        self.assertEqual(directives["object-src"], "'none'")
        self.assertEqual(directives["frame-ancestors"], "'none'")
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)

    def test_the_login_page_sends_the_policy(self):
        response = self.client.get("/accounts/login/")
        self.assertEqual(response.status_code, 200)
        self.assertStrictPolicy(response)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_pages_behind_the_login_send_the_policy(self):
        self.client.force_login(self.staff)
        response = self.client.get("/programmes/")
        self.assertEqual(response.status_code, 200)
        self.assertStrictPolicy(response)
        self.assertEqual(offences(response.content.decode()), [])

    def test_api_responses_and_docs_send_the_policy(self):
        self.client.force_login(self.staff)
        self.assertStrictPolicy(self.client.get("/api/me"))
        docs = self.client.get("/api/docs")
        self.assertStrictPolicy(docs)
        self.assertEqual(offences(docs.content.decode()), [])


class NoInlineCodeTests(TestCase):
    def test_no_template_has_inline_scripts_handlers_or_styles(self):
        templates = [
            path
            for pattern in ("**/templates/**/*.html", "**/templates/**/*.svg")
            for path in PACKAGE_DIR.glob(pattern)
        ]
        self.assertGreater(len(templates), 20)
        found = {
            str(path.relative_to(PACKAGE_DIR)): offences(path.read_text())
            for path in templates
            if offences(path.read_text())
        }
        self.assertEqual(found, {})

    def test_no_python_module_writes_inline_scripts_handlers_or_styles(self):
        modules = [
            path
            for path in PACKAGE_DIR.rglob("*.py")
            if "tests" not in path.parts and "migrations" not in path.parts
        ]
        found = {
            str(path.relative_to(PACKAGE_DIR)): offences(path.read_text())
            for path in modules
            if offences(path.read_text())
        }
        self.assertEqual(found, {})
