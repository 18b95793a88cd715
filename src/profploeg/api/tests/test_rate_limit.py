import datetime

import time_machine
from django.test import override_settings

from profploeg.api import services

from .base import ApiTestCase

START = datetime.datetime(2026, 3, 2, 9, 0, 5, tzinfo=datetime.UTC)


@override_settings(API_RATE_LIMIT="3/minute")
class RateLimitTests(ApiTestCase):
    def test_the_request_over_the_limit_gets_429_with_retry_after(self):
        with time_machine.travel(START, tick=False):
            for _ in range(3):
                self.assertEqual(self.api_get("/api/me", self.alice).status_code, 200)
            response = self.api_get("/api/me", self.alice)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["code"], "rate_limited")
        self.assertEqual(response["Retry-After"], "55")

    def test_the_next_window_starts_afresh(self):
        with time_machine.travel(START, tick=False) as traveller:
            for _ in range(4):
                self.api_get("/api/me", self.alice)
            traveller.shift(datetime.timedelta(seconds=55))
            self.assertEqual(self.api_get("/api/me", self.alice).status_code, 200)

    def test_each_token_has_its_own_limit(self):
        _token, second = services.create_token(user=self.alice, name="second")
        with time_machine.travel(START, tick=False):
            for _ in range(4):
                self.api_get("/api/me", self.alice)
            other = self.client.get("/api/me", headers={"Authorization": f"Bearer {second}"})
            self.assertEqual(other.status_code, 200)
            self.assertEqual(self.api_get("/api/me", self.bob).status_code, 200)

    def test_a_browser_session_is_limited_per_user(self):
        self.client.force_login(self.alice)
        with time_machine.travel(START, tick=False):
            statuses = [self.client.get("/api/me").status_code for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 200, 429])
