"""`profploeg createstaff`: the first account of an installation without the demo."""

import io
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

from profploeg.accounts.models import AccountEvent, User

GOOD = "Een-lang-wachtwoord-42"


def run(*args, passwords: list[str] | None = None, **env) -> str:
    out = io.StringIO()
    with (
        mock.patch("getpass.getpass", side_effect=passwords or []),
        mock.patch.dict("os.environ", env),
    ):
        call_command("createstaff", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


class CreateStaffTests(TestCase):
    def test_it_creates_programme_staff_who_may_use_the_admin(self):
        output = run("vera", "--email", "vera@vlaio.be", passwords=[GOOD, GOOD])

        user = User.objects.get(username="vera")
        self.assertEqual(user.role, User.Role.STAFF)
        self.assertTrue(user.is_staff and user.is_superuser and user.is_active)
        self.assertEqual(user.email, "vera@vlaio.be")
        self.assertTrue(user.check_password(GOOD))
        self.assertIn("vera", output)
        self.assertTrue(
            AccountEvent.objects.filter(user=user, kind=AccountEvent.Kind.CREATED).exists()
        )

    def test_noinput_reads_the_password_from_the_environment(self):
        run("vera", "--email", "vera@vlaio.be", "--noinput", DJANGO_SUPERUSER_PASSWORD=GOOD)
        self.assertTrue(User.objects.get(username="vera").check_password(GOOD))

    def test_noinput_without_a_password_says_which_variable_to_set(self):
        with mock.patch.dict("os.environ", {}, clear=True):
            with self.assertRaisesMessage(CommandError, "DJANGO_SUPERUSER_PASSWORD"):
                call_command("createstaff", "vera", "--noinput")
        self.assertFalse(User.objects.filter(username="vera").exists())

    def test_an_existing_username_is_refused_before_the_password_is_asked(self):
        User.objects.create_user(username="vera", password=GOOD)
        with self.assertRaisesMessage(CommandError, "A user named vera already exists."):
            run("vera", passwords=[])
        self.assertEqual(User.objects.filter(username="vera").count(), 1)

    def test_a_weak_password_is_refused_by_djangos_validators(self):
        with self.assertRaisesMessage(CommandError, "password"):
            run("vera", "--noinput", DJANGO_SUPERUSER_PASSWORD="vera")
        self.assertFalse(User.objects.filter(username="vera").exists())

    def test_two_different_passwords_ask_again(self):
        run("vera", passwords=[GOOD, "something-else-12", GOOD, GOOD])
        self.assertTrue(User.objects.get(username="vera").check_password(GOOD))

    def test_three_bad_attempts_give_up(self):
        with self.assertRaises(CommandError):
            run("vera", passwords=["a", "b"] * 3)
        self.assertFalse(User.objects.filter(username="vera").exists())

    def test_the_new_user_sees_the_programme_pages(self):
        run("vera", "--noinput", DJANGO_SUPERUSER_PASSWORD=GOOD)
        self.client.force_login(User.objects.get(username="vera"))
        with self.settings(OTP_REQUIRED=False):
            self.assertEqual(self.client.get("/programmes/").status_code, 200)
            self.assertEqual(self.client.get("/api/me").json()["role"], "staff")
