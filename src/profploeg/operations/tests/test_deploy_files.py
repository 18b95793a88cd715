"""What the files in deploy/ and the Procfile promise: read as a server would start them."""

import re
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[4]


def read(name: str) -> str:
    return (ROOT / name).read_text()


class DeployFileTests(SimpleTestCase):
    def test_gunicorn_trusts_forwarded_headers_from_the_proxy_on_this_machine_only(self):
        for name in ("Procfile", "deploy/profploeg-web.service"):
            with self.subTest(file=name):
                allowed = re.search(
                    r"--forwarded-allow-ips[ =]\"?(\$\{\w+:-)?([^\s\"}]+)", read(name)
                )
                self.assertIsNotNone(allowed)
                self.assertEqual(allowed.group(2), "127.0.0.1")

    def test_the_proxy_overwrites_the_address_headers_it_passes_on(self):
        nginx = read("deploy/nginx.conf")
        self.assertIn("proxy_set_header X-Real-IP $remote_addr;", nginx)
        self.assertIn("proxy_set_header X-Forwarded-For $remote_addr;", nginx)
        self.assertIn("CLIENT_IP_HEADER=HTTP_X_REAL_IP", read("deploy/profploeg.env.example"))

    def test_notifications_are_retried_every_10_minutes(self):
        self.assertIn("OnUnitActiveSec=10min", read("deploy/profploeg-retry.timer"))
        self.assertIn("retry_messages --older-than 10", read("deploy/profploeg-retry.service"))

    def test_the_nightly_unit_prunes_keys_and_uploads_and_backs_up_owner_only(self):
        unit = read("deploy/profploeg-maintenance.service")
        for command in (
            "clearsessions",
            "prune_idempotency_keys",
            "remove_unconfirmed_uploads",
            "backup --into",
        ):
            with self.subTest(command=command):
                self.assertIn(f"/profploeg {command}", unit)
        self.assertIn("UMask=0077", unit)
