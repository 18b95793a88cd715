"""A round's table comes from the cache until the data changes: a committed decision shows at
once, and each filter, sort and page has its own entry."""

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from profploeg.operations import versioning
from profploeg.test import BaseTestCase, municipality


def commit() -> None:
    """What a commit does to the data version (a TestCase never commits)."""
    for _, callback, _ in connection.run_on_commit:
        if isinstance(getattr(callback, "__self__", None), versioning.Watcher):
            callback()


@override_settings(REPORT_CACHE_SECONDS=600)
class RoundTableCacheTests(BaseTestCase):
    def setUp(self):
        cache.clear()
        self.client.force_login(self.staff)
        self.lier = self.submit(municipality=municipality("Lier"))
        self.geel = self.submit(municipality=municipality("Geel"))
        commit()
        self.url = reverse("applications:round", args=[self.round1.pk])

    def test_a_committed_decision_shows_at_once(self):
        self.assertContains(self.client.get(self.url, {"status": "submitted"}), "Lier")
        self.decide(self.lier, "admissible")
        commit()
        submitted = self.client.get(self.url, {"status": "submitted"})
        self.assertNotContains(submitted, "Lier")
        self.assertContains(submitted, "Geel")
        self.assertContains(self.client.get(self.url, {"status": "admissible"}), "Lier")

    def test_a_second_request_reads_the_cache(self):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            computed = self.client.get(self.url)
        with CaptureQueriesContext(connection) as second:
            cached = self.client.get(self.url)
        self.assertContains(cached, "Lier")
        self.assertContains(cached, "Geel")
        self.assertEqual(computed.content.count(b"<tr"), cached.content.count(b"<tr"))
        self.assertLess(len(second), len(first))
