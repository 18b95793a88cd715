import datetime
import io

import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from profploeg.api import services
from profploeg.api.models import IdempotencyKey
from profploeg.lib.dates import at_brussels

from .base import ApiTestCase

NOW = at_brussels(datetime.date(2022, 3, 31), hour=3)


class PruneIdempotencyKeysTests(ApiTestCase):
    def remember(self, key: str, days_ago: float) -> IdempotencyKey:
        stored = services.remember_response(
            user=self.staff, key=key, request_hash="h", status_code=201, response_body="{}"
        )
        IdempotencyKey.objects.filter(pk=stored.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        return stored

    def prune(self, *args) -> str:
        out = io.StringIO()
        call_command("prune_idempotency_keys", *args, stdout=out)
        return out.getvalue()

    @time_machine.travel(NOW, tick=False)
    def test_keys_older_than_thirty_days_go_and_younger_ones_stay(self):
        self.remember("old", days_ago=31)
        self.remember("month", days_ago=29.9)
        self.remember("new", days_ago=0)
        output = self.prune()
        self.assertIn("Deleted 1 ", output)
        self.assertEqual(
            sorted(IdempotencyKey.objects.values_list("key", flat=True)), ["month", "new"]
        )

    @time_machine.travel(NOW, tick=False)
    def test_older_than_sets_the_period(self):
        self.remember("old", days_ago=8)
        self.remember("new", days_ago=6)
        self.prune("--older-than", "7")
        self.assertEqual(list(IdempotencyKey.objects.values_list("key", flat=True)), ["new"])

    def test_after_pruning_a_retry_with_the_key_acts_again(self):
        body = {
            "programme": self.programme.pk,
            "contact_name": "C",
            "contact_email": "c@lier.be",
            "question": "Vraag",
        }
        key = {"Idempotency-Key": "k-1"}
        with time_machine.travel(at_brussels(datetime.date(2021, 8, 2)), tick=False):
            first = self.api_post("/api/applications", body, self.alice, **key)
        with time_machine.travel(at_brussels(datetime.date(2021, 9, 2)), tick=False):
            self.prune()
            retry = self.api_post("/api/applications", body, self.alice, **key)
        self.assertEqual((first.status_code, retry.status_code), (201, 201))
        self.assertNotIn("Idempotent-Replayed", retry)
        self.assertNotEqual(retry.json()["id"], first.json()["id"])

    def test_less_than_a_day_is_refused(self):
        self.remember("new", days_ago=0)
        for days in ("0", "-3"):
            with (
                self.subTest(days=days),
                self.assertRaisesMessage(CommandError, "at least one day"),
            ):
                self.prune("--older-than", days)
        self.assertTrue(IdempotencyKey.objects.exists())

    def test_an_absurd_period_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "too many days"):
            self.prune("--older-than", "999999999999")
