"""Users in the app: staff invite, the one-time link, deactivation, the list, password reset."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import time_machine
from django.contrib.auth import get_user
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from profploeg.accounts import services
from profploeg.accounts.models import AccountEvent, Invitation, User
from profploeg.api import services as api_services
from profploeg.test import PASSWORD, BaseTestCase
from profploeg.trajectories import services as trajectory_services

NEW_PASSWORD = "Een-nieuw-wachtwoord-42"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@override_settings(SITE_URL="https://profploeg.example.be")
class InvitationTests(BaseTestCase):
    def invite(self, **kw) -> User:
        fields = {
            "by": self.staff,
            "email": "Nina@Lier.be",
            "role": User.Role.MUNICIPALITY,
            "name": "Nina Nys",
            "municipality": self.lier,
        }
        fields.update(kw)
        with self.captureOnCommitCallbacks(execute=True):
            return services.invite_user(**fields)

    def test_staff_invite_a_municipality_user_with_a_mail_in_dutch(self):
        user = self.invite()

        self.assertEqual(user.username, "nina@lier.be")
        self.assertEqual((user.first_name, user.last_name), ("Nina", "Nys"))
        self.assertEqual(user.municipality, self.lier)
        self.assertFalse(user.has_usable_password())
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["nina@lier.be"])
        self.assertIn("uitnodiging", message.subject.lower())
        self.assertIn("Kies uw wachtwoord", message.body)
        self.assertTrue(link_in(message).startswith("https://profploeg.example.be/accounts/"))
        event = AccountEvent.objects.get(user=user, kind=AccountEvent.Kind.INVITED)
        self.assertEqual(event.by, self.staff)
        self.assertEqual(Invitation.objects.get(user=user).invited_by, self.staff)

    def test_the_link_sets_the_password_once_and_logs_in(self):
        self.invite()
        path = path_of(link_in(mail.outbox[0]))
        self.assertContains(self.client.get(path), "nina@lier.be")

        response = self.client.post(
            path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

        self.assertRedirects(response, "/", fetch_redirect_response=False)
        user = User.objects.get(username="nina@lier.be")
        self.assertTrue(user.check_password(NEW_PASSWORD))
        self.assertEqual(get_user(self.client).pk, user.pk)
        self.client.logout()
        again = self.client.post(path, {"new_password1": "x" * 20, "new_password2": "x" * 20})
        self.assertEqual(again.status_code, 404)
        self.assertTrue(User.objects.get(pk=user.pk).check_password(NEW_PASSWORD))

    def test_a_weak_password_is_refused_and_the_link_keeps_working(self):
        self.invite()
        path = path_of(link_in(mail.outbox[0]))
        response = self.client.post(path, {"new_password1": "nina", "new_password2": "nina"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(self.client.get(path).status_code, 200)

    def test_the_link_expires_after_seven_days(self):
        self.invite()
        path = path_of(link_in(mail.outbox[0]))
        with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
            self.assertEqual(self.client.get(path).status_code, 404)

    def test_a_new_invitation_ends_the_old_link(self):
        user = self.invite()
        old = path_of(link_in(mail.outbox[0]))
        with self.captureOnCommitCallbacks(execute=True):
            services.reinvite_user(by=self.staff, user=user)
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.client.get(path_of(link_in(mail.outbox[1]))).status_code, 200)

    def test_a_province_user_gets_their_province(self):
        user = self.invite(
            email="pieter@provincie.be",
            role=User.Role.PROVINCE,
            municipality=None,
            province=self.antwerpen_province,
        )
        self.assertEqual(user.province, self.antwerpen_province)

    def test_an_expert_is_linked_to_their_profile_and_sets_up_the_app_next(self):
        expert = trajectory_services.create_expert(
            by=self.staff,
            name="Els Expert",
            organisation="Retail BV",
            email="els@retail.be",
            day_rate_eur=Decimal("800.00"),
            rate_valid_from=datetime.date(2021, 1, 1),
        )
        user = self.invite(
            email="els@retail.be", role=User.Role.EXPERT, municipality=None, expert=expert
        )
        expert.refresh_from_db()
        self.assertEqual(expert.user, user)

        response = self.client.post(
            path_of(link_in(mail.outbox[0])),
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertRedirects(response, "/accounts/two-factor/", fetch_redirect_response=False)

    def test_an_expert_profile_with_a_user_cannot_get_a_second_one(self):
        expert = trajectory_services.create_expert(
            by=self.staff,
            name="Eva",
            organisation="Retail BV",
            user=self.expert,
            day_rate_eur=Decimal("800.00"),
            rate_valid_from=datetime.date(2021, 1, 1),
        )
        with self.assertRaisesMessage(ValidationError, "heeft al een gebruikersaccount"):
            self.invite(
                email="x@retail.be", role=User.Role.EXPERT, municipality=None, expert=expert
            )

    def test_each_role_needs_its_organisation(self):
        cases = [
            ({"role": User.Role.MUNICIPALITY, "municipality": None}, "municipality"),
            ({"role": User.Role.PROVINCE, "municipality": None}, "province"),
            ({"role": User.Role.EXPERT, "municipality": None}, "expert"),
            ({"role": User.Role.STAFF}, "municipality"),
            ({"role": ""}, "role"),
        ]
        for fields, field in cases:
            with self.subTest(fields=fields), self.assertRaises(ValidationError) as raised:
                self.invite(**fields)
            self.assertIn(field, raised.exception.message_dict)
        self.assertFalse(User.objects.filter(email="nina@lier.be").exists())

    def test_an_address_in_use_is_refused(self):
        self.invite()
        with self.assertRaisesMessage(ValidationError, "bestaat al een gebruiker"):
            self.invite(email="NINA@lier.be")

    def test_only_staff_invite(self):
        for user in (self.alice, self.paula, self.expert):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.invite(by=user)

    def test_staff_invite_from_the_users_page(self):
        self.client.force_login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/accounts/users/",
                {"email": "nina@lier.be", "role": "municipality", "municipality": self.lier.pk},
            )
        self.assertRedirects(response, "/accounts/users/", fetch_redirect_response=False)
        self.assertEqual(len(mail.outbox), 1)
        page = self.client.get("/accounts/users/")
        self.assertContains(page, "nina@lier.be")
        self.assertContains(page, "Lier")

    def test_the_users_page_shows_what_is_missing(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            "/accounts/users/", {"email": "nina@lier.be", "role": "province"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["province"])
        self.assertEqual(mail.outbox, [])


class DeactivationTests(BaseTestCase):
    def test_a_deactivated_user_cannot_log_in_and_loses_sessions_and_tokens(self):
        self.client.force_login(self.alice)
        _token, plaintext = api_services.create_token(user=self.alice, name="script")
        headers = {"Authorization": f"Bearer {plaintext}"}
        self.assertEqual(self.client.get("/api/me", headers=headers).status_code, 200)

        services.deactivate_user(by=self.staff, user=self.alice)

        self.assertEqual(self.client.get("/applications/mine/").status_code, 302)
        self.assertEqual(self.client.get("/api/me", headers=headers).status_code, 401)
        response = self.client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 200)
        event = AccountEvent.objects.get(user=self.alice, kind=AccountEvent.Kind.DEACTIVATED)
        self.assertEqual(event.by, self.staff)

    def test_a_reactivated_user_logs_in_again(self):
        services.deactivate_user(by=self.staff, user=self.alice)
        services.reactivate_user(by=self.staff, user=self.alice)
        response = self.client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            AccountEvent.objects.filter(user=self.alice, kind=AccountEvent.Kind.REACTIVATED)
        )

    def test_staff_cannot_deactivate_themselves(self):
        with self.assertRaisesMessage(ValidationError, "uw eigen account"):
            services.deactivate_user(by=self.staff, user=self.staff)
        self.client.force_login(self.staff)
        self.client.post(f"/accounts/users/{self.staff.pk}/deactivate/")
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.is_active)

    def test_staff_deactivate_from_the_users_page(self):
        self.client.force_login(self.staff)
        response = self.client.post(f"/accounts/users/{self.bob.pk}/deactivate/")
        self.assertRedirects(response, "/accounts/users/", fetch_redirect_response=False)
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.is_active)

    def test_others_cannot_deactivate(self):
        for user in (self.alice, self.paula, self.expert):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.deactivate_user(by=user, user=self.bob)

    def test_the_list_shows_role_organisation_last_login_and_state(self):
        self.bob.last_login = timezone.now()
        self.bob.save()
        services.deactivate_user(by=self.staff, user=self.alice)
        self.client.force_login(self.staff)
        response = self.client.get("/accounts/users/")
        row = re.search(r"<tr>\s*<td>bob.*?</tr>", response.content.decode(), re.S).group(0)
        self.assertIn("Brugge", row)
        self.assertIn(str(timezone.localdate().year), row)
        alice = re.search(r"<tr>\s*<td>alice.*?</tr>", response.content.decode(), re.S).group(0)
        self.assertIn("/reactivate/", alice)


@override_settings(SITE_URL="https://profploeg.example.be")
class PasswordResetTests(BaseTestCase):
    def test_a_known_address_gets_a_link_that_works_once(self):
        self.alice.email = "alice@lier.be"
        self.alice.save()
        response = self.client.post("/accounts/password-reset/", {"email": "alice@lier.be"})
        self.assertRedirects(response, "/accounts/password-reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        link = link_in(mail.outbox[0])
        self.assertTrue(link.startswith("https://profploeg.example.be/accounts/reset/"))

        form = self.client.get(path_of(link), follow=True)
        self.assertTrue(form.context["validlink"])
        done = self.client.post(
            form.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertRedirects(done, "/accounts/reset/done/")
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(NEW_PASSWORD))
        again = self.client.get(path_of(link), follow=True)
        self.assertFalse(again.context["validlink"])

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self):
        self.alice.email = "alice@lier.be"
        self.alice.save()
        known = self.client.post("/accounts/password-reset/", {"email": "alice@lier.be"})
        unknown = self.client.post("/accounts/password-reset/", {"email": "nobody@lier.be"})
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known["Location"], unknown["Location"])
        self.assertEqual(len(mail.outbox), 1)

    def test_the_login_page_links_to_the_reset(self):
        self.assertContains(self.client.get("/accounts/login/"), "/accounts/password-reset/")


@override_settings(SITE_URL="https://profploeg.example.be")
class FirstAccountToFirstUserTests(BaseTestCase):
    def test_createstaff_then_an_invitation_through_the_api_gives_a_working_login(self):
        with mock.patch.dict("os.environ", {"DJANGO_SUPERUSER_PASSWORD": NEW_PASSWORD}):
            call_command("createstaff", "vera", "--email", "vera@vlaio.be", "--noinput")
        vera = User.objects.get(username="vera")
        _token, plaintext = api_services.create_token(user=vera, name="set-up")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/api/users/invitations",
                {"email": "nina@lier.be", "role": "municipality", "municipality": "12021"},
                content_type="application/json",
                headers={"Authorization": f"Bearer {plaintext}"},
            )
        self.assertEqual(response.status_code, 201, response.content)

        path = path_of(link_in(mail.outbox[-1]))
        self.client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        self.client.logout()
        login = self.client.post(
            "/accounts/login/", {"username": "nina@lier.be", "password": PASSWORD}
        )

        self.assertEqual(login.status_code, 302)
        me = self.client.get("/api/me").json()
        self.assertEqual((me["role"], me["municipality"]), ("municipality", "12021"))
        event = AccountEvent.objects.get(user__username="nina@lier.be", kind="invited")
        self.assertEqual(event.by, vera)
