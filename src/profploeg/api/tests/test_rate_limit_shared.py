"""The API rate limit counts once for every app process when the cache is shared (Redis)."""

import os
import subprocess
import sys
import uuid

from django.test import SimpleTestCase

# Each process plays a gunicorn worker: it asks the throttle 15 times for the same token.
WORKER = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profploeg.settings")
django.setup()
from types import SimpleNamespace
from profploeg.api.throttling import FixedWindowThrottle
throttle = FixedWindowThrottle()
request = SimpleNamespace(api_token=SimpleNamespace(pk=1), auth=None)
print(sum(throttle.allow_request(request) for _ in range(15)))
"""


class SharedRateLimitTests(SimpleTestCase):
    def test_two_worker_processes_share_one_limit_on_redis(self):
        env = {
            **os.environ,
            "CACHE_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
            # A fresh key space: parallel test runs never count each other's requests.
            "CACHE_KEY_PREFIX": f"profploeg-test-{uuid.uuid4().hex}",
            "API_RATE_LIMIT": "20/day",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        allowed = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            self.assertEqual(worker.returncode, 0, err)
            allowed.append(int(out.strip().splitlines()[-1]))
        # 30 requests in all, 20 allowed in the window, however they were spread over the two.
        self.assertEqual(sum(allowed), 20, allowed)
