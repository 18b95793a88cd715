"""The status page's figures and downloads come from the cache until the data changes: a
committed write raises the data version, and the next request computes them afresh."""

import csv
import datetime
import io
import re

from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profploeg.operations import versioning
from profploeg.reports.views import csrf_placeholder
from profploeg.test import municipality
from profploeg.trajectories.tests.base import TrajectoryTestCase


@override_settings(REPORT_CACHE_SECONDS=600)
class ReportCacheTests(TrajectoryTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.force_login(self.staff)
        self.trajectory_ = self.trajectory(municipality("Lier"))
        self.register(self.trajectory_, datetime.date(2022, 2, 7), days="1.0")
        self.commit()
        self.url = reverse("reports:status", args=[self.programme.pk])

    @staticmethod
    def commit() -> None:
        """What a commit does to the data version (a TestCase never commits: the version's own
        tests, in operations, commit for real)."""
        for _, callback, _ in connection.run_on_commit:
            if isinstance(getattr(callback, "__self__", None), versioning.Watcher):
                callback()

    def get(self, **params):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, {"as_of": "2022-03-31", **params})
        self.assertEqual(response.status_code, 200)
        return response, len(queries)

    def consumed(self) -> str:
        response, _ = self.get(format="csv", dialect="machine")
        return next(csv.DictReader(io.StringIO(response.content.decode())))["person_days_consumed"]

    @staticmethod
    def figures(response) -> str:
        """The page's figures without their per-request part: the CSRF token of the forms."""
        html = response.content.decode()
        html = html[html.index('aria-labelledby="applications-title"') :]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    def test_a_second_request_reads_the_cache(self):
        first, computed = self.get()
        second, cached = self.get()
        self.assertEqual(self.figures(first), self.figures(second))
        self.assertLess(cached, computed / 2)

    def test_the_cached_annex_forms_carry_each_requesters_own_csrf_token(self):
        self.get()
        response, _ = self.get()
        html = response.content.decode()
        self.assertNotIn(csrf_placeholder(), html)
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        # The header's download form and each round's annex form.
        self.assertGreater(len(tokens), 2)
        cookie = self.client.cookies["csrftoken"].value
        for token in tokens:
            self.assertEqual(_unmask_cipher_token(token), cookie)

    def test_a_committed_write_shows_at_once_on_the_page_and_in_the_downloads(self):
        self.assertEqual(self.consumed(), "1.0")
        before, _ = self.get()
        self.register(self.trajectory_, datetime.date(2022, 2, 8), days="0.5")
        self.commit()
        self.assertEqual(self.consumed(), "1.5")
        after, _ = self.get()
        self.assertNotEqual(self.figures(before), self.figures(after))

    def test_each_language_and_date_has_its_own_entry(self):
        english, _ = self.get()
        self.client.cookies["django_language"] = "nl-be"
        dutch, _ = self.get()
        self.assertIn("Applications and decisions", self.figures(english))
        self.assertIn("Aanvragen en beslissingen", self.figures(dutch))
        earlier, _ = self.get(as_of="2022-02-07")
        self.assertNotEqual(self.figures(earlier), self.figures(dutch))
