from django.http import Http404
from django.urls import reverse

from profploeg.accounts.models import User
from profploeg.municipalities.models import Municipality
from profploeg.test import make_user

from ..models import Application, Referral
from ..permissions import get_visible_application
from .base import PageTestCase, pdf_upload

Status = Application.Status


class VisibleApplicationTests(PageTestCase):
    def test_each_role_fetches_only_what_it_may_see(self):
        lier = self.submit(self.lier)
        brugge = self.submit(self.brugge)

        for user in (self.staff, self.expert):
            self.assertEqual(get_visible_application(user, brugge.pk), brugge)
        self.assertEqual(get_visible_application(self.alice, lier.pk), lier)
        self.assertEqual(get_visible_application(self.paula, lier.pk), lier)
        for user, application in [
            (self.alice, brugge),
            (self.bob, lier),
            (self.paula, brugge),
            (self.outsider, lier),
        ]:
            with self.subTest(user=user.username), self.assertRaises(Http404):
                get_visible_application(user, application.pk)

    def test_municipality_sees_the_applications_of_the_municipality_it_merged_from(self):
        kortessem = self.submit(Municipality.objects.get(refnis="73040"))
        hasselt_user = make_user(
            "hanne", User.Role.MUNICIPALITY, municipality=Municipality.objects.get(refnis="71072")
        )
        self.client.force_login(hasselt_user)

        response = self.client.get(reverse("applications:detail", args=[kortessem.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kortessem (now Hasselt)")


class OtherMunicipalityTests(PageTestCase):
    def setUp(self):
        super().setUp()
        self.application = self.submit(self.lier, attachments=[pdf_upload()])
        self.attachment = self.application.attachments.get()
        self.client.force_login(self.bob)

    def test_other_municipality_gets_404_on_detail(self):
        response = self.client.get(reverse("applications:detail", args=[self.application.pk]))

        self.assertEqual(response.status_code, 404)

    def test_other_municipality_gets_404_on_attachment(self):
        response = self.client.get(
            reverse("applications:attachment", args=[self.application.pk, self.attachment.pk])
        )

        self.assertEqual(response.status_code, 404)

    def test_other_municipality_gets_404_on_withdraw_and_nothing_changes(self):
        response = self.client.post(
            reverse("applications:withdraw", args=[self.application.pk]), {"version": 1}
        )

        self.assertEqual(response.status_code, 404)
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.SUBMITTED)

    def test_attachment_of_another_application_gets_404_even_with_a_visible_one(self):
        own = self.submit(self.brugge)

        response = self.client.get(
            reverse("applications:attachment", args=[own.pk, self.attachment.pk])
        )

        self.assertEqual(response.status_code, 404)

    def test_other_municipality_does_not_see_it_on_its_own_page(self):
        response = self.client.get(reverse("applications:mine"))

        self.assertEqual(list(response.context["applications"]), [])
        self.assertEqual(list(response.context["inbox"]), [])


class DecisionPermissionTests(PageTestCase):
    def setUp(self):
        super().setUp()
        self.application = self.submit(self.lier)
        self.url = reverse("applications:decide", args=[self.application.pk])
        self.data = {"to_status": Status.ADMISSIBLE, "version": 1, "reason": ""}

    def assert_unchanged(self):
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.SUBMITTED)
        self.assertEqual(self.application.transitions.count(), 1)

    def test_expert_cannot_decide(self):
        self.client.force_login(self.expert)

        page = self.client.get(reverse("applications:detail", args=[self.application.pk]))
        response = self.client.post(self.url, self.data)

        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.context["decision_forms"], [])
        self.assertEqual(response.status_code, 403)
        self.assert_unchanged()

    def test_municipality_cannot_decide_on_its_own_application(self):
        self.client.force_login(self.alice)

        response = self.client.post(self.url, self.data)

        self.assertEqual(response.status_code, 403)
        self.assert_unchanged()

    def test_province_cannot_decide(self):
        self.client.force_login(self.paula)

        response = self.client.post(self.url, self.data)

        self.assertEqual(response.status_code, 403)
        self.assert_unchanged()

    def test_staff_cannot_withdraw_for_the_municipality_without_saying_how_it_came_in(self):
        self.client.force_login(self.staff)

        response = self.client.post(
            reverse("applications:withdraw", args=[self.application.pk]), {"version": 1}
        )

        self.assertEqual(response.status_code, 400)
        self.assert_unchanged()

    def test_staff_cannot_sneak_the_municipality_step_through_the_decision_form(self):
        self.client.force_login(self.staff)

        response = self.client.post(self.url, {**self.data, "to_status": Status.WITHDRAWN})

        self.assertEqual(response.status_code, 403)
        self.assert_unchanged()

    def test_decide_and_withdraw_refuse_get(self):
        self.client.force_login(self.staff)

        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertEqual(
            self.client.get(
                reverse("applications:withdraw", args=[self.application.pk])
            ).status_code,
            405,
        )


class RolePageTests(PageTestCase):
    def setUp(self):
        super().setUp()
        self.application = self.submit(self.lier)

    def test_outsider_gets_403_on_role_pages_and_404_on_an_application(self):
        self.client.force_login(self.outsider)
        role_pages = [
            reverse("applications:mine"),
            reverse("applications:province"),
            reverse("applications:apply", args=[self.programme.pk]),
            reverse("applications:round", args=[self.round1.pk]),
            reverse("applications:referral", args=[self.application.pk]),
        ]

        for url in role_pages:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("applications:detail", args=[self.application.pk])).status_code,
            404,
        )

    def test_anonymous_visitor_is_sent_to_log_in(self):
        url = reverse("applications:detail", args=[self.application.pk])

        response = self.client.get(url)

        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")

    def test_municipality_cannot_open_a_round_table(self):
        self.client.force_login(self.alice)

        response = self.client.get(reverse("applications:round", args=[self.round1.pk]))

        self.assertEqual(response.status_code, 403)

    def test_staff_and_province_cannot_apply_through_the_municipality_page(self):
        for user in (self.staff, self.paula, self.expert):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                response = self.client.get(reverse("applications:apply", args=[self.programme.pk]))
                self.assertEqual(response.status_code, 403)

    def test_province_gets_404_for_an_application_of_another_province(self):
        brugge = self.submit(self.brugge)
        self.decide(brugge, Status.INADMISSIBLE, reason="Onvolledig.")
        self.client.force_login(self.paula)

        detail = self.client.get(reverse("applications:detail", args=[brugge.pk]))
        referral = self.client.post(
            reverse("applications:referral", args=[brugge.pk]),
            {"contacted_on": "2021-08-30", "outcome": Referral.Outcome.DECLINED},
        )

        self.assertEqual(detail.status_code, 404)
        self.assertEqual(referral.status_code, 404)
        self.assertFalse(Referral.objects.exists())

    def test_municipality_and_expert_cannot_record_a_follow_up(self):
        self.decide(self.application, Status.INADMISSIBLE, reason="Onvolledig.")
        for user in (self.alice, self.expert):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                response = self.client.get(
                    reverse("applications:referral", args=[self.application.pk])
                )
                self.assertEqual(response.status_code, 403)
