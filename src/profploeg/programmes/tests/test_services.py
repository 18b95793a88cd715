import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from profploeg.programmes import services
from profploeg.programmes.models import InfoSession, Programme, Theme
from profploeg.test import BaseTestCase, make_programme

D = datetime.date


class ProgrammeServicesTests(BaseTestCase):
    def test_staff_creates_a_programme(self):
        programme = services.create_programme(
            by=self.staff,
            title="Bedrijvige kernen",
            published_on=D(2021, 6, 28),
            capacity=83,
            budget_eur=Decimal("1500000.00"),
        )
        programme.refresh_from_db()
        self.assertEqual(programme.title, "Bedrijvige kernen")
        self.assertEqual(programme.budget_eur, Decimal("1500000.00"))

    def test_non_staff_cannot_create_a_programme(self):
        for user in (self.expert, self.alice, self.paula, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.create_programme(
                    by=user,
                    title="Niet van mij",
                    published_on=D(2021, 6, 28),
                    capacity=10,
                    budget_eur=Decimal("1000"),
                )
        self.assertFalse(Programme.objects.filter(title="Niet van mij").exists())

    def test_inactive_staff_cannot_create_a_programme(self):
        self.staff.is_active = False
        with self.assertRaises(PermissionDenied):
            services.create_programme(
                by=self.staff,
                title="Oud",
                published_on=D(2021, 6, 28),
                capacity=1,
                budget_eur=Decimal("1"),
            )

    def test_budget_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            services.create_programme(
                by=self.staff,
                title="Min",
                published_on=D(2021, 6, 28),
                capacity=1,
                budget_eur=Decimal("-1"),
            )
        self.assertFalse(Programme.objects.filter(title="Min").exists())

    def test_staff_grows_capacity_and_budget_for_a_third_round(self):
        services.update_programme(
            programme=self.programme,
            by=self.staff,
            capacity=113,
            budget_eur=Decimal("2000000.00"),
        )
        self.programme.refresh_from_db()
        self.assertEqual(self.programme.capacity, 113)
        self.assertEqual(self.programme.budget_eur, Decimal("2000000.00"))

    def test_expert_cannot_update_a_programme(self):
        with self.assertRaises(PermissionDenied):
            services.update_programme(programme=self.programme, by=self.expert, capacity=1)
        self.programme.refresh_from_db()
        self.assertEqual(self.programme.capacity, 83)

    def test_first_round_of_a_programme_gets_number_one(self):
        programme = make_programme(title="Nieuw")
        round_ = services.add_round(
            programme=programme, by=self.staff, opens_on=D(2022, 5, 1), deadline=D(2022, 6, 30)
        )
        self.assertEqual(round_.number, 1)

    def test_next_round_gets_the_next_number(self):
        round3 = services.add_round(
            programme=self.programme,
            by=self.staff,
            opens_on=D(2022, 5, 1),
            deadline=D(2022, 9, 30),
        )
        self.assertEqual(round3.number, 3)
        self.assertEqual(list(self.programme.rounds.values_list("number", flat=True)), [1, 2, 3])

    def test_deadline_must_come_after_the_previous_rounds_deadline(self):
        with self.assertRaises(ValidationError) as caught:
            services.add_round(
                programme=self.programme,
                by=self.staff,
                opens_on=D(2021, 11, 1),
                deadline=D(2021, 11, 12),
            )
        self.assertIn("deadline", caught.exception.message_dict)
        self.assertEqual(self.programme.rounds.count(), 2)

    def test_round_cannot_open_before_the_previous_one(self):
        with self.assertRaises(ValidationError) as caught:
            services.add_round(
                programme=self.programme,
                by=self.staff,
                opens_on=D(2021, 8, 1),
                deadline=D(2022, 3, 1),
            )
        self.assertIn("opens_on", caught.exception.message_dict)

    def test_deadline_cannot_be_before_the_opening_date(self):
        with self.assertRaises(ValidationError) as caught:
            services.add_round(
                programme=self.programme,
                by=self.staff,
                opens_on=D(2022, 6, 1),
                deadline=D(2022, 5, 1),
            )
        self.assertIn("deadline", caught.exception.message_dict)

    def test_non_staff_cannot_add_a_round(self):
        for user in (self.expert, self.alice, self.paula, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.add_round(
                    programme=self.programme,
                    by=user,
                    opens_on=D(2022, 5, 1),
                    deadline=D(2022, 9, 30),
                )
        self.assertEqual(self.programme.rounds.count(), 2)

    def test_staff_moves_an_empty_rounds_deadline(self):
        services.update_round(
            round_=self.round2, by=self.staff, opens_on=D(2021, 8, 14), deadline=D(2021, 11, 19)
        )
        self.round2.refresh_from_db()
        self.assertEqual(self.round2.deadline, D(2021, 11, 19))

    def test_deadline_cannot_move_once_applications_were_placed_by_it(self):
        self.submit()
        with self.assertRaises(ValidationError) as caught:
            services.update_round(
                round_=self.round1,
                by=self.staff,
                opens_on=D(2021, 6, 28),
                deadline=D(2021, 8, 20),
            )
        self.assertIn("deadline", caught.exception.message_dict)
        self.round1.refresh_from_db()
        self.assertEqual(self.round1.deadline, D(2021, 8, 13))

    def test_opening_date_can_move_when_applications_were_placed(self):
        self.submit()
        services.update_round(
            round_=self.round1, by=self.staff, opens_on=D(2021, 6, 25), deadline=D(2021, 8, 13)
        )
        self.round1.refresh_from_db()
        self.assertEqual(self.round1.opens_on, D(2021, 6, 25))

    def test_expert_cannot_move_a_round(self):
        with self.assertRaises(PermissionDenied):
            services.update_round(
                round_=self.round2,
                by=self.expert,
                opens_on=D(2021, 8, 14),
                deadline=D(2021, 11, 19),
            )

    def test_staff_records_the_webinar(self):
        session = services.record_info_session(
            programme=self.programme,
            by=self.staff,
            title="Infowebinar",
            held_on=D(2021, 6, 25),
            registrations=150,
            attendees=122,
        )
        self.assertEqual(self.programme.info_sessions.get(), session)
        self.assertEqual(session.attendees, 122)

    def test_staff_corrects_a_recorded_session(self):
        session = services.record_info_session(
            programme=self.programme, by=self.staff, title="Webinar", held_on=D(2021, 6, 25)
        )
        services.record_info_session(
            programme=self.programme,
            by=self.staff,
            info_session=session,
            title="Infowebinar",
            held_on=D(2021, 6, 25),
            attendees=122,
        )
        session.refresh_from_db()
        self.assertEqual((session.title, session.attendees), ("Infowebinar", 122))
        self.assertEqual(InfoSession.objects.count(), 1)

    def test_non_staff_cannot_record_an_info_session(self):
        for user in (self.expert, self.alice, self.paula, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.record_info_session(
                    programme=self.programme, by=user, title="X", held_on=D(2021, 6, 25)
                )
        self.assertFalse(InfoSession.objects.exists())


class SetupRulesTests(BaseTestCase):
    """Round 1 runs 28 June – 13 August 2021, round 2 1 September – 12 November 2021."""

    def test_a_new_round_cannot_open_before_the_previous_deadline(self):
        with self.assertRaises(ValidationError) as caught:
            services.add_round(
                programme=self.programme,
                by=self.staff,
                opens_on=D(2021, 11, 12),
                deadline=D(2022, 2, 28),
            )
        self.assertIn("Ronde 2 loopt tot", caught.exception.message_dict["opens_on"][0])
        self.assertEqual(self.programme.rounds.count(), 2)

    def test_a_round_opening_on_its_deadline_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.add_round(
                programme=self.programme,
                by=self.staff,
                opens_on=D(2022, 3, 1),
                deadline=D(2022, 3, 1),
            )
        self.assertIn("na haar openingsdatum", caught.exception.message_dict["deadline"][0])

    def test_a_deadline_cannot_move_onto_the_next_rounds_opening(self):
        with self.assertRaises(ValidationError) as caught:
            services.update_round(
                round_=self.round1, by=self.staff, opens_on=D(2021, 6, 28), deadline=D(2021, 9, 1)
            )
        self.assertIn("Ronde 2 opent op", caught.exception.message_dict["deadline"][0])
        self.round1.refresh_from_db()
        self.assertEqual(self.round1.deadline, D(2021, 8, 13))

    def test_a_round_cannot_open_again_before_the_previous_deadline(self):
        with self.assertRaises(ValidationError) as caught:
            services.update_round(
                round_=self.round2, by=self.staff, opens_on=D(2021, 8, 1), deadline=D(2021, 11, 12)
            )
        self.assertIn("opens_on", caught.exception.message_dict)

    def test_a_deadline_cannot_move_before_the_previous_one(self):
        with self.assertRaises(ValidationError) as caught:
            services.update_round(
                round_=self.round2, by=self.staff, opens_on=D(2021, 6, 1), deadline=D(2021, 8, 1)
            )
        self.assertIn("2021", caught.exception.message_dict["deadline"][0])

    def test_a_programme_plans_at_least_one_trajectory(self):
        for capacity in (0, -1):
            with self.subTest(capacity=capacity), self.assertRaises(ValidationError) as caught:
                services.update_programme(
                    programme=self.programme, by=self.staff, capacity=capacity
                )
            self.assertIn("meer dan nul", caught.exception.message_dict["capacity"][0])

    def test_a_programme_field_that_does_not_exist_is_refused_not_ignored(self):
        with self.assertRaises(ValidationError) as caught:
            services.update_programme(programme=self.programme, by=self.staff, created_at=None)
        self.assertIn("created_at", caught.exception.messages[0])

    def test_an_info_session_may_have_more_attendees_than_registrations(self):
        session = services.record_info_session(
            programme=self.programme,
            by=self.staff,
            title="Infowebinar",
            held_on=D(2021, 6, 25),
            registrations=0,
            attendees=122,
        )
        self.assertEqual((session.registrations, session.attendees), (0, 122))

    def test_an_info_session_needs_a_title(self):
        with self.assertRaises(ValidationError) as caught:
            services.record_info_session(
                programme=self.programme, by=self.staff, title="  ", held_on=D(2021, 6, 25)
            )
        self.assertIn("title", caught.exception.message_dict)

    def test_an_info_session_stays_with_its_programme(self):
        session = services.record_info_session(
            programme=self.programme, by=self.staff, title="Webinar", held_on=D(2021, 6, 25)
        )
        with self.assertRaises(ValidationError):
            services.record_info_session(
                programme=make_programme(title="Ander"),
                by=self.staff,
                info_session=session,
                title="Webinar",
                held_on=D(2021, 6, 25),
            )
        session.refresh_from_db()
        self.assertEqual(session.programme, self.programme)


class ProgrammeWithOfferTests(BaseTestCase):
    def test_capacity_and_budget_follow_the_offer_once_it_is_recorded(self):
        from profploeg.trajectories import services as trajectory_services

        offer = trajectory_services.create_offer(
            by=self.staff,
            programme=self.programme,
            total_eur=Decimal("1500000.00"),
            capacity=83,
            average_person_days=Decimal("15"),
            valid_from=D(2021, 6, 28),
        )
        with self.assertRaises(ValidationError) as caught:
            services.update_programme(programme=self.programme, by=self.staff, capacity=113)
        self.assertIn("wijziging van de offerte", caught.exception.message_dict["capacity"][0])
        # The same figures, or other fields, are fine; an amendment moves them.
        services.update_programme(
            programme=self.programme, by=self.staff, capacity=83, title="Profploeg 2021"
        )
        trajectory_services.amend_offer(
            by=self.staff,
            offer=offer,
            effective_on=D(2021, 7, 1),
            total_eur=Decimal("2040000.00"),
            capacity=113,
            reason="Derde ronde",
        )
        self.programme.refresh_from_db()
        self.assertEqual((self.programme.capacity, self.programme.title), (113, "Profploeg 2021"))


class ThemeServicesTests(BaseTestCase):
    def test_staff_add_a_theme_with_a_slug_from_its_name(self):
        theme = services.create_theme(by=self.staff, name="Marktplein & kermis")
        self.assertEqual(theme.slug, "marktplein-kermis")

    def test_a_taken_slug_is_refused(self):
        taken = Theme.objects.first()
        with self.assertRaises(ValidationError) as caught:
            services.create_theme(by=self.staff, name="Dubbel", slug=taken.slug)
        self.assertIn("bestaat al", caught.exception.message_dict["slug"][0])

    def test_staff_rename_a_theme_and_keep_its_slug(self):
        theme = services.create_theme(by=self.staff, name="Markt")
        services.update_theme(by=self.staff, theme=theme, name="Markten")
        theme.refresh_from_db()
        self.assertEqual((theme.name, theme.slug), ("Markten", "markt"))

    def test_only_staff_add_themes(self):
        for user in (self.expert, self.alice, self.paula):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.create_theme(by=user, name="Niet van mij")
        self.assertFalse(Theme.objects.filter(name="Niet van mij").exists())
