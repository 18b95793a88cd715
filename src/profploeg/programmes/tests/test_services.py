import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from profploeg.programmes import services
from profploeg.programmes.models import InfoSession, Programme
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
