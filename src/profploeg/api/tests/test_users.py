"""The users API: staff list and invite users, deactivate and reactivate them."""

import datetime
from decimal import Decimal

from django.core import mail

from profploeg.accounts.models import AccountEvent, User
from profploeg.trajectories import services as trajectory_services

from .base import ApiTestCase


class UsersApiTests(ApiTestCase):
    def invite(self, body: dict, user: User | None = None):
        with self.captureOnCommitCallbacks(execute=True):
            return self.api_post("/api/users/invitations", body, user or self.staff)

    def test_staff_list_users_with_role_organisation_and_last_login(self):
        body = self.api_get("/api/users", self.staff, role="municipality").json()
        rows = {row["username"]: row for row in body["items"]}
        self.assertEqual(set(rows), {"alice", "bob"})
        self.assertEqual(rows["alice"]["municipality"], "12021")
        self.assertEqual(rows["alice"]["organisation"], "Lier")
        self.assertIn("last_login", rows["alice"])
        self.assertTrue(rows["alice"]["is_active"])

    def test_others_may_not_list_users(self):
        for user in (self.alice, self.paula, self.expert):
            with self.subTest(user=user.username):
                self.assertEqual(self.api_get("/api/users", user).status_code, 403)

    def test_staff_invite_a_municipality_user(self):
        response = self.invite(
            {
                "email": "nina@lier.be",
                "role": "municipality",
                "municipality": "12021",
                "name": "Nina",
            }
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["username"], "nina@lier.be")
        self.assertTrue(body["invitation_pending"])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["nina@lier.be"])

    def test_staff_invite_a_province_user_and_an_expert(self):
        province = self.invite({"email": "p@provincie.be", "role": "province", "province": "10000"})
        self.assertEqual(province.json()["province"], "10000")
        expert = trajectory_services.create_expert(
            by=self.staff,
            name="Els",
            organisation="Retail BV",
            day_rate_eur=Decimal("800.00"),
            rate_valid_from=datetime.date(2021, 1, 1),
        )
        response = self.invite({"email": "els@retail.be", "role": "expert", "expert": expert.pk})
        self.assertEqual(response.json()["expert"], expert.pk)

    def test_a_missing_organisation_names_the_field(self):
        response = self.invite({"email": "nina@lier.be", "role": "municipality"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["code"], "invalid")
        self.assertIn("municipality", response.json()["fields"])

    def test_a_bad_address_and_an_address_in_use_are_refused(self):
        self.assertEqual(self.invite({"email": "nina", "role": "staff"}).status_code, 422)
        self.invite({"email": "nina@lier.be", "role": "staff"})
        again = self.invite({"email": "Nina@Lier.be", "role": "staff"})
        self.assertEqual(again.status_code, 422)
        self.assertIn("email", again.json()["fields"])

    def test_an_unknown_municipality_is_404(self):
        response = self.invite({"email": "n@x.be", "role": "municipality", "municipality": "99999"})
        self.assertEqual(response.status_code, 404)

    def test_deactivation_ends_the_users_tokens_and_is_recorded(self):
        self.assertEqual(self.api_get("/api/me", self.bob).status_code, 200)

        response = self.api_post(f"/api/users/{self.bob.pk}/deactivate", {}, self.staff)

        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["is_active"])
        self.assertEqual(self.api_get("/api/me", self.bob).status_code, 401)
        event = AccountEvent.objects.get(user=self.bob, kind="deactivated")
        self.assertEqual(event.by, self.staff)
        # Revoked, not suspended: reactivating the account does not bring old tokens back.
        self.api_post(f"/api/users/{self.bob.pk}/reactivate", {}, self.staff)
        self.assertEqual(self.api_get("/api/me", self.bob).status_code, 401)

    def test_staff_cannot_deactivate_themselves(self):
        response = self.api_post(f"/api/users/{self.staff.pk}/deactivate", {}, self.staff)
        self.assertEqual(response.status_code, 422)
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.is_active)

    def test_the_invitation_can_be_sent_again(self):
        user_id = self.invite({"email": "nina@lier.be", "role": "staff"}).json()["id"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api_post(f"/api/users/{user_id}/invitation", {}, self.staff)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(mail.outbox), 2)
