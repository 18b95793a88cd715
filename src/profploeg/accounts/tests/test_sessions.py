"""Logins: throttled against guessing, sessions that end, and logging out everywhere."""

import datetime

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from profploeg.test import PASSWORD, BaseTestCase


class LoginThrottlingTests(BaseTestCase):
    def log_in(self, password: str, client: Client | None = None, address: str = "192.0.2.10"):
        return (client or self.client).post(
            "/accounts/login/",
            {"username": "sam", "password": password},
            REMOTE_ADDR=address,
        )

    def test_five_wrong_passwords_lock_the_username_from_that_address_for_15_minutes(self):
        for _attempt in range(4):
            self.assertEqual(self.log_in("wrong").status_code, 200)
        self.assertEqual(self.log_in("wrong").status_code, 429)

        locked = self.log_in(PASSWORD)

        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Probeer het opnieuw over 15 minuten", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_another_address_can_still_log_in(self):
        for _attempt in range(5):
            self.log_in("wrong")
        response = self.log_in(PASSWORD, client=Client(), address="192.0.2.99")
        self.assertEqual(response.status_code, 302)

    def test_the_lock_ends_after_15_minutes(self):
        for _attempt in range(5):
            self.log_in("wrong")
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
            self.assertEqual(self.log_in(PASSWORD).status_code, 302)

    def test_a_good_login_resets_the_count(self):
        for _attempt in range(4):
            self.log_in("wrong")
        self.assertEqual(self.log_in(PASSWORD).status_code, 302)
        client = Client()
        for _attempt in range(4):
            self.log_in("wrong", client=client)
        self.assertEqual(self.log_in(PASSWORD, client=client).status_code, 302)

    def test_a_mangled_proxy_address_neither_breaks_the_login_nor_dodges_the_lock(self):
        with self.settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
            for forged in ("not-an-ip", "1.2.3.4, 5.6.7.8", "<script>", "", "999.1.1.1"):
                response = self.client.post(
                    "/accounts/login/",
                    {"username": "sam", "password": "wrong"},
                    REMOTE_ADDR="192.0.2.10",
                    HTTP_X_REAL_IP=forged,
                )
                self.assertIn(response.status_code, (200, 429))
            # Five failures, all counted against the connection's own address.
            self.assertEqual(self.log_in(PASSWORD).status_code, 429)


class AddressLockoutTests(BaseTestCase):
    """One address trying many usernames is locked out, with a limit of its own."""

    def fail_as(self, username: str, address: str = "192.0.2.10"):
        return Client().post(
            "/accounts/login/",
            {"username": username, "password": "wrong"},
            REMOTE_ADDR=address,
        )

    def log_in(self, address: str):
        return Client().post(
            "/accounts/login/", {"username": "sam", "password": PASSWORD}, REMOTE_ADDR=address
        )

    def test_failures_over_many_usernames_lock_the_address(self):
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        self.assertGreater(limit, settings.AXES_FAILURE_LIMIT)
        for number in range(limit - 1):
            self.assertEqual(self.fail_as(f"guess{number}").status_code, 200)
        # One short of the limit, a real user on the same address still gets in.
        self.assertEqual(self.log_in("192.0.2.10").status_code, 302)

        self.assertEqual(self.fail_as("guess-last").status_code, 429)

        locked = self.log_in("192.0.2.10")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Probeer het opnieuw over 15 minuten", status_code=429)
        self.assertEqual(self.log_in("192.0.2.99").status_code, 302)

    def test_a_good_login_does_not_forgive_the_failures_of_other_usernames(self):
        with self.settings(LOGIN_ADDRESS_FAILURE_LIMIT=8):
            for number in range(7):
                self.fail_as(f"guess{number}")
            self.assertEqual(self.log_in("192.0.2.10").status_code, 302)
            self.fail_as("guess-last")
            self.assertEqual(self.log_in("192.0.2.10").status_code, 429)

    def test_the_address_lock_ends_with_the_cool_off(self):
        with self.settings(LOGIN_ADDRESS_FAILURE_LIMIT=8):
            for number in range(8):
                self.fail_as(f"guess{number}")
            self.assertEqual(self.log_in("192.0.2.10").status_code, 429)
            with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
                self.assertEqual(self.log_in("192.0.2.10").status_code, 302)

    def test_the_per_username_limit_still_locks_first(self):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            self.fail_as("sam")
        self.assertEqual(self.log_in("192.0.2.10").status_code, 429)
        self.assertEqual(self.fail_as("alice").status_code, 200)


class SessionTests(BaseTestCase):
    def test_sessions_expire_after_a_working_day(self):
        self.client.force_login(self.alice)
        session = Session.objects.get()
        lifetime = session.expire_date - timezone.now()
        self.assertLessEqual(lifetime, datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))
        self.assertEqual(settings.SESSION_COOKIE_AGE, 8 * 60 * 60)

    def test_logout_everywhere_ends_every_session_of_the_user_only(self):
        laptop, phone, other = Client(), Client(), Client()
        laptop.force_login(self.alice)
        phone.force_login(self.alice)
        other.force_login(self.bob)

        response = laptop.post("/accounts/logout-everywhere/")

        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        for client in (laptop, phone):
            page = client.get("/applications/mine/")
            self.assertEqual(page.status_code, 302)
            self.assertTrue(page["Location"].startswith("/accounts/login/"))
        self.assertEqual(other.get("/applications/mine/").status_code, 200)

    def test_logout_everywhere_may_revoke_the_api_tokens_too(self):
        from profploeg.api.services import create_token

        _kept, kept_secret = create_token(user=self.alice, name="script")
        self.client.force_login(self.alice)
        self.client.post("/accounts/logout-everywhere/")
        api = Client()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {kept_secret}"}
        self.assertEqual(api.get("/api/me", **auth).status_code, 200)

        self.client.force_login(self.alice)
        self.client.post("/accounts/logout-everywhere/", {"revoke_tokens": "on"})
        self.assertEqual(api.get("/api/me", **auth).status_code, 401)

    def test_the_profile_page_offers_logout_everywhere(self):
        self.client.force_login(self.alice)
        response = self.client.get("/accounts/profile/")
        self.assertContains(response, 'action="/accounts/logout-everywhere/"')


class PrivateResponseTests(BaseTestCase):
    def test_pages_and_downloads_of_a_logged_in_user_are_never_stored(self):
        self.client.force_login(self.staff)
        status = f"/reports/programmes/{self.programme.pk}/status/"
        for url in ("/", "/programmes/", status, f"{status}?format=csv", f"{status}?format=xlsx"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn("no-store", response.get("Cache-Control", ""))
                self.assertIn("private", response.get("Cache-Control", ""))

    def test_public_pages_for_a_visitor_may_be_cached(self):
        response = self.client.get("/healthz")
        self.assertNotIn("no-store", response.get("Cache-Control", ""))
