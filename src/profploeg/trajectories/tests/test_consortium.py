"""Setting up the consortium: organisations, expertise areas, experts and the offer's figures."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from profploeg.test import BaseTestCase, make_programme
from profploeg.trajectories import services
from profploeg.trajectories.models import DayRate, Expert, Organisation

D = datetime.date


class OrganisationTests(BaseTestCase):
    def test_staff_add_an_organisation_and_make_it_the_lead_partner(self):
        organisation = services.create_organisation(by=self.staff, name=" Kernadvies BV ")
        services.update_organisation(by=self.staff, organisation=organisation, is_lead_partner=True)
        organisation.refresh_from_db()
        self.assertEqual((organisation.name, organisation.is_lead_partner), ("Kernadvies BV", True))

    def test_the_consortium_has_one_lead_partner(self):
        services.create_organisation(by=self.staff, name="Kernadvies BV", is_lead_partner=True)
        other = services.create_organisation(by=self.staff, name="Retail NV")
        with self.assertRaises(ValidationError) as caught:
            services.update_organisation(by=self.staff, organisation=other, is_lead_partner=True)
        self.assertIn("Kernadvies BV", caught.exception.message_dict["is_lead_partner"][0])
        other.refresh_from_db()
        self.assertFalse(other.is_lead_partner)

    def test_a_name_is_unique_whatever_its_case(self):
        services.create_organisation(by=self.staff, name="Retail NV")
        with self.assertRaises(ValidationError) as caught:
            services.create_organisation(by=self.staff, name="RETAIL nv")
        self.assertIn("name", caught.exception.message_dict)

    def test_only_staff_add_organisations(self):
        for user in (self.expert, self.alice, self.paula):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.create_organisation(by=user, name="Eigen BV")
        self.assertFalse(Organisation.objects.exists())


class ExpertSetupTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.retail = Organisation.objects.create(name="Retail NV")
        cls.lead = Organisation.objects.create(name="Kernadvies BV", is_lead_partner=True)

    def test_an_expert_may_be_registered_before_their_day_rate_is_known(self):
        expert = services.create_expert(by=self.staff, name="Bert", organisation=self.retail)
        self.assertFalse(DayRate.objects.filter(expert=expert).exists())
        self.assertEqual(expert.organisation, self.retail)

    def test_a_day_rate_needs_its_date(self):
        with self.assertRaises(ValidationError) as caught:
            services.create_expert(
                by=self.staff, name="Bert", organisation=self.retail, day_rate_eur=Decimal("800")
            )
        self.assertIn("rate_valid_from", caught.exception.message_dict)
        self.assertFalse(Expert.objects.exists())

    def test_staff_move_an_expert_to_another_organisation_and_deactivate_them(self):
        expert = services.create_expert(by=self.staff, name="Bert", organisation=self.retail)
        services.update_expert(
            by=self.staff, expert=expert, organisation=self.lead, is_active=False, name=" Bert C "
        )
        expert.refresh_from_db()
        self.assertEqual(
            (expert.organisation, expert.is_active, expert.name), (self.lead, False, "Bert C")
        )

    def test_only_a_user_with_the_expert_role_is_linked_once(self):
        eva = services.create_expert(by=self.staff, name="Eva", organisation=self.retail)
        bert = services.create_expert(by=self.staff, name="Bert", organisation=self.retail)
        with self.assertRaises(ValidationError):
            services.update_expert(by=self.staff, expert=eva, user=self.alice)
        services.update_expert(by=self.staff, expert=eva, user=self.expert)
        with self.assertRaises(ValidationError) as caught:
            services.update_expert(by=self.staff, expert=bert, user=self.expert)
        self.assertIn("andere expert", caught.exception.message_dict["user"][0])

    def test_an_expert_cannot_change_an_expert(self):
        expert = services.create_expert(by=self.staff, name="Bert", organisation=self.retail)
        with self.assertRaises(PermissionDenied):
            services.update_expert(by=self.expert, expert=expert, name="Anders")

    def test_staff_add_an_expertise_area_with_a_slug_from_its_name(self):
        area = services.create_expertise_area(by=self.staff, name="Stedelijke logistiek")
        self.assertEqual(area.slug, "stedelijke-logistiek")
        with self.assertRaises(ValidationError):
            services.create_expertise_area(by=self.staff, name="Logistiek", slug=area.slug)


class OfferRulesTests(BaseTestCase):
    def offer(self, programme=None, **kw):
        fields = {
            "total_eur": Decimal("1500000"),
            "capacity": 83,
            "average_person_days": Decimal("15"),
            "valid_from": D(2021, 6, 28),
        }
        return services.create_offer(
            by=self.staff, programme=programme or self.programme, **{**fields, **kw}
        )

    def test_a_negative_total_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.offer(total_eur=Decimal("-0.01"))
        self.assertIn("negatief", caught.exception.message_dict["total_eur"][0])

    def test_an_offer_covers_at_least_one_trajectory(self):
        with self.assertRaises(ValidationError) as caught:
            self.offer(capacity=0)
        self.assertIn("meer dan nul", caught.exception.message_dict["capacity"][0])

    def test_an_offer_cannot_end_before_it_starts(self):
        with self.assertRaises(ValidationError) as caught:
            self.offer(valid_until=D(2021, 6, 1))
        self.assertIn("valid_until", caught.exception.message_dict)

    def test_an_amendment_takes_effect_within_the_offer(self):
        offer = self.offer(valid_until=D(2023, 12, 31))
        for day in (D(2021, 6, 27), D(2024, 1, 1)):
            with self.subTest(day=day), self.assertRaises(ValidationError) as caught:
                services.amend_offer(
                    by=self.staff,
                    offer=offer,
                    effective_on=day,
                    total_eur=Decimal("2000000"),
                    capacity=113,
                    reason="Derde ronde",
                )
            self.assertIn("effective_on", caught.exception.message_dict)

    def test_an_amendment_keeps_at_least_one_trajectory(self):
        offer = self.offer(programme=make_programme(title="Ander"))
        with self.assertRaises(ValidationError) as caught:
            services.amend_offer(
                by=self.staff,
                offer=offer,
                effective_on=D(2022, 5, 1),
                total_eur=Decimal("0"),
                capacity=0,
                reason="Stopgezet",
            )
        self.assertIn("capacity", caught.exception.message_dict)


class ConsortiumPagesTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.staff)

    def test_staff_add_an_organisation_and_an_expertise_area_through_the_pages(self):
        response = self.client.post(
            reverse("trajectories:organisations"),
            {"name": "Kernadvies BV", "is_lead_partner": "on"},
        )
        self.assertRedirects(response, reverse("trajectories:organisations"))
        self.assertTrue(Organisation.objects.get(name="Kernadvies BV").is_lead_partner)
        response = self.client.post(reverse("trajectories:expertise_areas"), {"name": "Stedenbouw"})
        self.assertRedirects(response, reverse("trajectories:expertise_areas"))
        self.assertContains(self.client.get(reverse("trajectories:expertise_areas")), "stedenbouw")

    def test_a_second_lead_partner_shows_its_rule_on_the_form(self):
        Organisation.objects.create(name="Kernadvies BV", is_lead_partner=True)
        retail = Organisation.objects.create(name="Retail NV")
        response = self.client.post(
            reverse("trajectories:organisation_edit", args=[retail.pk]),
            {"name": "Retail NV", "is_lead_partner": "on"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kernadvies BV is al hoofdpartner van het consortium")

    def test_staff_register_an_expert_without_a_rate_then_edit_them(self):
        retail = Organisation.objects.create(name="Retail NV")
        lead = Organisation.objects.create(name="Kernadvies BV")
        response = self.client.post(
            reverse("trajectories:experts"), {"name": "Bert Claes", "organisation": "Retail NV"}
        )
        self.assertRedirects(response, reverse("trajectories:experts"))
        expert = Expert.objects.get(name="Bert Claes")
        self.assertEqual(expert.organisation, retail)
        response = self.client.post(
            reverse("trajectories:expert_edit", args=[expert.pk]),
            {"name": "Bert Claes", "email": "bert@kernadvies.be", "organisation": lead.pk},
        )
        self.assertRedirects(response, reverse("trajectories:expert", args=[expert.pk]))
        expert.refresh_from_db()
        self.assertEqual(
            (expert.organisation, expert.email, expert.is_active),
            (lead, "bert@kernadvies.be", False),
        )
        self.assertContains(
            self.client.get(reverse("trajectories:expert", args=[expert.pk])), "bert@kernadvies.be"
        )
