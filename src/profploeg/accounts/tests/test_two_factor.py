"""Two-factor authentication as production enforces it (OTP_REQUIRED on)."""

import re

from django.core import mail
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from profploeg.accounts import services
from profploeg.accounts.permissions import may_use_email_code
from profploeg.test import PASSWORD, BaseTestCase


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    device = services.start_totp_enrolment(user=user)
    services.confirm_totp_device(user=user, device=device, token=current_code(device))
    device.refresh_from_db()
    # The next code must come from a later time step than the one just used.
    device.last_t = -1
    device.save()
    return device


@override_settings(OTP_REQUIRED=True)
class TwoFactorTests(BaseTestCase):
    def log_in(self, username: str, **extra):
        return self.client.post(
            "/accounts/login/", {"username": username, "password": PASSWORD, "next": "/"}, **extra
        )

    def test_staff_without_an_authenticator_is_sent_to_set_one_up(self):
        response = self.log_in("sam")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        response = self.client.get("/programmes/")
        self.assertRedirects(
            response, "/accounts/verify/?next=%2Fprogrammes%2F", fetch_redirect_response=False
        )
        response = self.client.get(response["Location"])
        self.assertRedirects(
            response, "/accounts/two-factor/?next=%2Fprogrammes%2F", fetch_redirect_response=False
        )

    def test_staff_set_up_the_app_and_keep_ten_recovery_codes(self):
        self.client.force_login(self.staff)
        page = self.client.get("/accounts/two-factor/")
        self.assertContains(page, '<svg class="qr"')
        device = TOTPDevice.objects.get(user=self.staff, confirmed=False)
        self.assertContains(page, services.totp_secret(device))

        response = self.client.post(
            "/accounts/two-factor/", {"token": current_code(device), "next": "/programmes/"}
        )

        self.assertEqual(len(response.context["codes"]), 10)
        self.assertTrue(TOTPDevice.objects.get(pk=device.pk).confirmed)
        self.assertEqual(self.client.get("/programmes/").status_code, 200)

    def test_a_wrong_code_confirms_nothing(self):
        self.client.force_login(self.staff)
        self.client.get("/accounts/two-factor/")
        response = self.client.post("/accounts/two-factor/", {"token": "000000"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(TOTPDevice.objects.filter(user=self.staff, confirmed=True).exists())
        self.assertEqual(self.client.get("/programmes/").status_code, 302)

    def test_every_page_waits_for_the_code_after_the_password(self):
        device = enrolled(self.expert)
        self.client.force_login(self.expert)
        for path in ("/programmes/", "/trajectories/", "/api/tokens/", "/accounts/profile/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/accounts/verify/"))

        response = self.client.post(
            "/accounts/verify/", {"token": current_code(device), "next": "/trajectories/"}
        )

        self.assertRedirects(response, "/trajectories/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/trajectories/").status_code, 200)

    def test_the_admin_waits_for_the_code_too(self):
        self.staff.is_staff = self.staff.is_superuser = True
        self.staff.save()
        self.client.force_login(self.staff)
        response = self.client.get("/admin/")
        self.assertTrue(response["Location"].startswith("/accounts/verify/"))

    def test_a_recovery_code_works_once(self):
        enrolled(self.paula)
        code = StaticToken.objects.filter(device__user=self.paula).first().token
        self.client.force_login(self.paula)
        response = self.client.post("/accounts/verify/", {"token": code, "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)

        self.client.logout()
        self.client.force_login(self.paula)
        response = self.client.post("/accounts/verify/", {"token": code, "next": "/"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Die code klopt niet")

    def test_an_emailed_code_is_not_enough_for_an_expert(self):
        enrolled(self.expert)
        device = EmailDevice.objects.create(user=self.expert, name="Email", email="e@x.be")
        device.generate_token()
        self.client.force_login(self.expert)
        response = self.client.post("/accounts/verify/", {"token": device.token, "next": "/"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get("/trajectories/").status_code, 302)

    def test_a_password_alone_cannot_add_a_second_authenticator(self):
        enrolled(self.staff)
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get("/accounts/two-factor/").status_code, 403)

    def test_municipality_users_log_in_with_a_code_by_email(self):
        self.alice.email = "alice@lier.be"
        self.alice.save()
        self.log_in("alice")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["alice@lier.be"])
        code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)

        verify = self.client.get("/accounts/verify/?next=/applications/mine/")
        self.assertContains(verify, "alice@lier.be")
        response = self.client.post(
            "/accounts/verify/", {"token": code, "next": "/applications/mine/"}
        )

        self.assertRedirects(response, "/applications/mine/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/applications/mine/").status_code, 200)

    def test_an_emailed_code_works_once(self):
        self.alice.email = "alice@lier.be"
        self.alice.save()
        self.log_in("alice")
        code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
        self.client.post("/accounts/verify/", {"token": code, "next": "/"})
        self.client.logout()
        self.client.force_login(self.alice)
        response = self.client.post("/accounts/verify/", {"token": code, "next": "/"})
        self.assertEqual(response.status_code, 200)

    def test_the_api_answers_401_to_a_session_without_the_second_factor(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get("/api/me").status_code, 401)

    def test_public_pages_stay_public_between_password_and_code(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get("/healthz").status_code, 200)

    def test_without_otp_required_the_password_is_enough(self):
        self.client.force_login(self.staff)
        with self.settings(OTP_REQUIRED=False):
            self.assertEqual(self.client.get("/programmes/").status_code, 200)

    def test_a_redirect_after_the_code_stays_on_this_site(self):
        device = enrolled(self.staff)
        self.client.force_login(self.staff)
        response = self.client.post(
            "/accounts/verify/", {"token": current_code(device), "next": "https://evil.example/"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)


@override_settings(OTP_REQUIRED=True)
class EnrolmentNeedsAVerifiedSessionTests(BaseTestCase):
    """Issue 12 (High): a password alone can neither set up nor change a second factor."""

    def setUp(self):
        super().setUp()
        self.alice.email = "alice@lier.be"
        self.alice.save()

    def log_in(self, client, username: str):
        return client.post(
            "/accounts/login/", {"username": username, "password": PASSWORD, "next": "/"}
        )

    def test_a_password_only_session_of_a_municipality_user_cannot_enrol(self):
        self.log_in(self.client, "alice")

        page = self.client.get("/accounts/two-factor/")
        self.assertEqual(page.status_code, 302)
        self.assertTrue(page["Location"].startswith("/accounts/verify/"))
        posted = self.client.post("/accounts/two-factor/", {"token": "123456"})
        self.assertEqual(posted.status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(user=self.alice).exists())
        # The real user still gets mailed codes.
        self.assertTrue(may_use_email_code(self.alice))
        self.assertFalse(services.has_authenticator(self.alice))

    def test_after_the_mailed_code_a_municipality_user_may_enrol(self):
        self.log_in(self.client, "alice")
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        self.client.post("/accounts/verify/", {"token": code, "next": "/accounts/two-factor/"})

        page = self.client.get("/accounts/two-factor/")

        self.assertEqual(page.status_code, 200)
        device = TOTPDevice.objects.get(user=self.alice, confirmed=False)
        response = self.client.post("/accounts/two-factor/", {"token": current_code(device)})
        self.assertEqual(len(response.context["codes"]), 10)

    def test_the_invitation_link_counts_as_the_mailed_code(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.invite_user(
                by=self.staff, email="nina@lier.be", role="municipality", municipality=self.lier
            )
        path = "/" + re.search(r"https?://\S+", mail.outbox[-1].body).group(0).split("/", 3)[3]
        password = "Een-nieuw-wachtwoord-42"
        self.client.post(path, {"new_password1": password, "new_password2": password})

        self.assertEqual(self.client.get("/accounts/two-factor/").status_code, 200)

    def test_two_sessions_never_see_the_same_secret(self):
        laptop, phone = Client(), Client()
        laptop.force_login(self.staff)
        phone.force_login(self.staff)

        first = laptop.get("/accounts/two-factor/").context["secret"]
        second = phone.get("/accounts/two-factor/").context["secret"]
        again = laptop.get("/accounts/two-factor/").context["secret"]

        self.assertEqual(len({first, second, again}), 3)

    def test_a_wrong_code_keeps_the_secret_of_this_attempt(self):
        self.client.force_login(self.staff)
        first = self.client.get("/accounts/two-factor/").context["secret"]
        retry = self.client.post("/accounts/two-factor/", {"token": "000000"})
        self.assertEqual(retry.context["secret"], first)

    def test_recovery_codes_are_shown_once(self):
        self.client.force_login(self.staff)
        self.client.get("/accounts/two-factor/")
        device = TOTPDevice.objects.get(user=self.staff, confirmed=False)

        response = self.client.post("/accounts/two-factor/", {"token": current_code(device)})

        codes = response.context["codes"]
        self.assertIn("no-store", response["Cache-Control"])
        for path in ("/accounts/profile/", "/accounts/two-factor/"):
            page = self.client.get(path).content.decode()
            with self.subTest(path=path):
                self.assertFalse([code for code in codes if code in page])

    def test_a_verified_session_may_replace_the_authenticator(self):
        device = enrolled(self.staff)
        self.client.force_login(self.staff)
        self.client.post("/accounts/verify/", {"token": current_code(device), "next": "/"})
        self.assertEqual(self.client.get("/accounts/two-factor/").status_code, 200)
