import datetime
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.municipalities.models import Municipality
from profploeg.programmes.models import InfoSession, Programme, Theme
from profploeg.test import BaseTestCase, make_programme, make_round
from profploeg.trajectories import services as trajectory_services
from profploeg.trajectories.tests.base import TrajectoryTestCase

D = datetime.date
Status = Application.Status


class PagesTests(BaseTestCase):
    def test_staff_creates_programme_round_and_info_session_through_the_pages(self):
        self.client.force_login(self.staff)

        response = self.client.post(
            reverse("programmes:create"),
            {
                "title": "Bedrijvige kernen 2",
                "description": "Tweede oproep",
                "published_on": "2022-05-20",
                "capacity": "30",
                "budget_eur": "500000.00",
            },
        )
        programme = Programme.objects.get(title="Bedrijvige kernen 2")
        self.assertRedirects(response, reverse("programmes:round_add", args=[programme.pk]))
        self.assertEqual(programme.budget_eur, Decimal("500000.00"))
        self.assertEqual(programme.published_on, D(2022, 5, 20))

        response = self.client.post(
            reverse("programmes:round_add", args=[programme.pk]),
            {"opens_on": "2022-05-20", "deadline": "2022-09-30"},
        )
        self.assertRedirects(response, reverse("programmes:detail", args=[programme.pk]))
        round_ = programme.rounds.get()
        self.assertEqual((round_.number, round_.deadline), (1, D(2022, 9, 30)))

        response = self.client.post(
            reverse("programmes:session_add", args=[programme.pk]),
            {
                "title": "Infowebinar",
                "held_on": "2022-06-01",
                "registrations": "140",
                "attendees": "122",
            },
        )
        self.assertRedirects(response, reverse("programmes:detail", args=[programme.pk]))
        session = programme.info_sessions.get()
        self.assertEqual((session.registrations, session.attendees), (140, 122))

        response = self.client.get(reverse("programmes:detail", args=[programme.pk]))
        self.assertContains(response, "Bedrijvige kernen 2")
        self.assertContains(response, "Infowebinar")
        self.assertContains(response, "30 september 2022")

    def test_staff_edits_programme_round_and_info_session(self):
        self.client.force_login(self.staff)
        session = InfoSession.objects.create(
            programme=self.programme, title="Webinar", held_on=D(2021, 6, 25)
        )
        self.client.post(
            reverse("programmes:edit", args=[self.programme.pk]),
            {
                "title": "Profploeg",
                "published_on": "2021-06-28",
                "capacity": "113",
                "budget_eur": "2000000",
            },
        )
        self.client.post(
            reverse("programmes:round_edit", args=[self.round2.pk]),
            {"opens_on": "2021-08-14", "deadline": "2021-11-19"},
        )
        response = self.client.post(
            reverse("programmes:session_edit", args=[session.pk]),
            {
                "title": "Infowebinar",
                "held_on": "2021-06-25",
                "registrations": "0",
                "attendees": "122",
            },
        )
        self.assertRedirects(response, reverse("programmes:detail", args=[self.programme.pk]))
        self.programme.refresh_from_db()
        self.round2.refresh_from_db()
        session.refresh_from_db()
        self.assertEqual(self.programme.capacity, 113)
        self.assertEqual(self.round2.deadline, D(2021, 11, 19))
        self.assertEqual((session.title, session.attendees), ("Infowebinar", 122))

    def test_edit_form_shows_the_saved_values_with_iso_dates(self):
        self.client.force_login(self.staff)
        response = self.client.get(reverse("programmes:edit", args=[self.programme.pk]))
        self.assertContains(response, 'type="date"')
        self.assertContains(response, 'value="2021-06-28"')
        self.assertContains(response, 'value="1500000.00"')

    def test_empty_form_shows_field_errors(self):
        self.client.force_login(self.staff)
        response = self.client.post(reverse("programmes:create"), {})
        self.assertEqual(response.status_code, 200)
        self.assertFormError(response.context["form"], "title", "Dit veld is verplicht.")
        self.assertFormError(response.context["form"], "budget_eur", "Dit veld is verplicht.")
        self.assertContains(response, 'class="field-error"', count=4)

    def test_deadline_before_opening_date_is_refused_on_the_form(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("programmes:round_add", args=[self.programme.pk]),
            {"opens_on": "2022-06-01", "deadline": "2022-05-01"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].has_error("deadline"))
        self.assertEqual(self.programme.rounds.count(), 2)

    def test_services_refusal_shows_on_the_field_it_names(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("programmes:round_add", args=[self.programme.pk]),
            {"opens_on": "2021-11-01", "deadline": "2021-11-10"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].has_error("deadline"))
        self.assertContains(response, 'class="field-error"', count=1)
        self.assertEqual(self.programme.rounds.count(), 2)

    def test_deadline_with_applications_cannot_move_and_page_says_why(self):
        self.submit()
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("programmes:round_edit", args=[self.round1.pk]),
            {"opens_on": "2021-06-28", "deadline": "2021-08-20"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].has_error("deadline"))
        # The page shows the round as saved, not the refused date.
        self.assertEqual(response.context["round"].deadline, D(2021, 8, 13))
        self.round1.refresh_from_db()
        self.assertEqual(self.round1.deadline, D(2021, 8, 13))

    def test_budget_is_shown_in_euros_the_dutch_way(self):
        self.client.force_login(self.staff)
        response = self.client.get(reverse("programmes:detail", args=[self.programme.pk]))
        self.assertContains(response, "€&nbsp;1.500.000,00")
        response = self.client.get(reverse("programmes:list"))
        self.assertContains(response, "€&nbsp;1.500.000,00")

    def test_budget_is_shown_in_euros_the_english_way(self):
        self.client.force_login(self.staff)
        response = self.client.get(
            reverse("programmes:detail", args=[self.programme.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
        self.assertContains(response, "€&nbsp;1,500,000.00")

    def write_urls(self):
        session = InfoSession.objects.create(
            programme=self.programme, title="Webinar", held_on=D(2021, 6, 25)
        )
        return [
            reverse("programmes:create"),
            reverse("programmes:edit", args=[self.programme.pk]),
            reverse("programmes:round_add", args=[self.programme.pk]),
            reverse("programmes:round_edit", args=[self.round1.pk]),
            reverse("programmes:session_add", args=[self.programme.pk]),
            reverse("programmes:session_edit", args=[session.pk]),
        ]

    def test_expert_gets_403_on_create(self):
        self.client.force_login(self.expert)
        response = self.client.post(
            reverse("programmes:create"),
            {"title": "X", "published_on": "2022-01-01", "capacity": "1", "budget_eur": "1"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Programme.objects.filter(title="X").exists())

    def test_only_staff_may_open_the_write_pages(self):
        urls = self.write_urls()
        for user in (self.expert, self.alice, self.paula, self.outsider):
            self.client.force_login(user)
            for url in urls:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
                    self.assertEqual(self.client.post(url, {}).status_code, 403)

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.client.get(reverse("programmes:list"))
        self.assertRedirects(
            response, reverse("accounts:login") + "?next=" + reverse("programmes:list")
        )

    def test_expert_sees_the_programme_at_a_glance_without_edit_links(self):
        self.client.force_login(self.expert)
        response = self.client.get(reverse("programmes:detail", args=[self.programme.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, reverse("programmes:edit", args=[self.programme.pk]))
        self.assertNotContains(response, reverse("programmes:round_edit", args=[self.round1.pk]))

    def test_municipality_and_province_get_403_on_the_detail(self):
        for user in (self.alice, self.paula, self.outsider):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                response = self.client.get(reverse("programmes:detail", args=[self.programme.pk]))
                self.assertEqual(response.status_code, 403)

    def test_missing_programme_is_404(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(reverse("programmes:detail", args=[999])).status_code, 404)

    def test_staff_sees_every_programme_with_its_rounds(self):
        make_programme(title="Oude oproep", published_on=D(2019, 1, 1))
        self.client.force_login(self.staff)
        response = self.client.get(reverse("programmes:list"))
        self.assertContains(response, "Oude oproep")
        self.assertContains(response, "13 augustus 2021")
        self.assertContains(response, "12 november 2021")
        self.assertContains(response, reverse("programmes:detail", args=[self.programme.pk]))
        self.assertContains(response, reverse("programmes:create"))

    def test_expert_sees_the_list_without_the_create_button(self):
        self.client.force_login(self.expert)
        response = self.client.get(reverse("programmes:list"))
        self.assertContains(response, reverse("programmes:detail", args=[self.programme.pk]))
        self.assertNotContains(response, reverse("programmes:create"))

    def test_province_sees_the_list_without_links_to_the_detail(self):
        self.client.force_login(self.paula)
        response = self.client.get(reverse("programmes:list"))
        self.assertContains(response, "Profploeg")
        self.assertNotContains(response, reverse("programmes:detail", args=[self.programme.pk]))

    def test_outsider_gets_403_on_the_list(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("programmes:list")).status_code, 403)

    @time_machine.travel(at_brussels(D(2021, 9, 1)), tick=False)
    def test_municipality_sees_only_calls_open_today(self):
        closed = make_programme(title="Gesloten oproep", published_on=D(2020, 1, 1))
        make_round(closed, opens_on=D(2020, 1, 1), deadline=D(2020, 3, 1))
        not_yet = make_programme(title="Latere oproep", published_on=D(2022, 1, 1))
        make_round(not_yet, opens_on=D(2022, 1, 1), deadline=D(2022, 3, 1))
        self.client.force_login(self.alice)

        response = self.client.get(reverse("programmes:list"))

        self.assertEqual([p.title for p in response.context["programmes"]], ["Profploeg"])
        # Round 1 has closed: an application today joins round 2.
        self.assertContains(response, "12 november 2021")
        self.assertNotContains(response, "Gesloten oproep")
        self.assertNotContains(response, "Latere oproep")

    @time_machine.travel(at_brussels(D(2021, 9, 1)), tick=False)
    def test_open_call_links_to_the_application_form(self):
        try:
            apply_url = reverse("applications:apply", args=[self.programme.pk])
        except NoReverseMatch:
            self.skipTest("The application form is not built yet.")
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("programmes:list")), apply_url)

    @time_machine.travel(at_brussels(D(2022, 1, 1)), tick=False)
    def test_municipality_is_told_when_no_call_is_open(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("programmes:list"))
        self.assertEqual(list(response.context["programmes"]), [])
        self.assertNotContains(response, "Profploeg</h2>")


class AtAGlanceTests(BaseTestCase):
    def get_detail(self):
        return self.client.get(reverse("programmes:detail", args=[self.programme.pk]))

    def test_counts_follow_submissions_and_decisions(self):
        others = Municipality.objects.valid_on(D(2021, 8, 2)).exclude(
            pk__in=[self.lier.pk, self.brugge.pk]
        )[:4]
        inadmissible = self.submit(self.lier)
        self.decide(inadmissible, Status.INADMISSIBLE, reason="Geen projectomschrijving")
        deferred = self.submit(self.brugge)
        self.decide(deferred, Status.ADMISSIBLE)
        self.decide(deferred, Status.DEFERRED, reason="De vraag is nog onduidelijk")
        for municipality in others[:2]:
            accepted = self.submit(municipality)
            self.decide(accepted, Status.ADMISSIBLE)
            self.decide(accepted, Status.ACCEPTED)
        self.submit(others[2])
        withdrawn = self.submit(self.lier, day=D(2021, 9, 1), by=self.alice)
        self.decide(withdrawn, Status.WITHDRAWN, by=self.alice)
        late = self.submit(others[3], day=D(2021, 8, 20))
        self.decide(late, Status.ADMISSIBLE)
        self.client.force_login(self.expert)

        response = self.get_detail()

        round1, round2 = response.context["rounds"]
        self.assertEqual(
            [
                round1.submitted_count,
                round1.pending_count,
                round1.admissible_count,
                round1.inadmissible_count,
                round1.deferred_count,
                round1.accepted_count,
                round1.withdrawn_count,
            ],
            [5, 1, 3, 1, 1, 2, 0],
        )
        self.assertEqual(
            [round2.submitted_count, round2.admissible_count, round2.withdrawn_count], [2, 1, 1]
        )
        self.assertEqual(response.context["totals"]["submitted_count"], 7)
        self.assertEqual(response.context["totals"]["accepted_count"], 2)
        self.assertEqual(response.context["remaining_capacity"], 81)

    def test_page_links_to_each_rounds_applications_and_the_status_report(self):
        self.client.force_login(self.staff)
        response = self.get_detail()
        for name, args in (
            ("applications:round", [self.round1.pk]),
            ("applications:round", [self.round2.pk]),
            ("reports:status", [self.programme.pk]),
        ):
            try:
                url = reverse(name, args=args)
            except NoReverseMatch:
                continue
            with self.subTest(name=name):
                self.assertContains(response, url)

    def test_over_capacity_is_shown_as_such(self):
        self.programme.capacity = 0
        self.programme.save()
        accepted = self.submit()
        self.decide(accepted, Status.ADMISSIBLE)
        self.decide(accepted, Status.ACCEPTED, confirm_over_capacity=True, reason="Extra budget")
        self.client.force_login(self.staff)
        response = self.get_detail()
        self.assertEqual(
            (response.context["remaining_capacity"], response.context["over_capacity"]), (0, 1)
        )
        self.assertContains(response, 'class="card over"')

    def test_info_sessions_show_registrations_and_attendees(self):
        InfoSession.objects.create(
            programme=self.programme,
            title="Infowebinar",
            held_on=D(2021, 6, 25),
            registrations=150,
            attendees=122,
        )
        self.client.force_login(self.expert)
        response = self.get_detail()
        self.assertContains(response, "Infowebinar")
        self.assertContains(response, '<td class="num">122</td>', html=True)
        self.assertContains(response, '<td class="num">150</td>', html=True)

    def test_query_count_does_not_grow_with_the_number_of_applications(self):
        municipalities = list(Municipality.objects.valid_on(D(2021, 8, 2))[:50])
        self.assertEqual(len(municipalities), 50)
        first = self.submit(municipalities[0])
        self.decide(first, Status.ADMISSIBLE)
        self.client.force_login(self.staff)
        self.get_detail()
        with CaptureQueriesContext(connection) as one_application:
            self.get_detail()

        for i, municipality in enumerate(municipalities[1:]):
            application = self.submit(municipality, day=D(2021, 8, 2) + datetime.timedelta(i))
            if i % 3 == 0:
                self.decide(application, Status.ADMISSIBLE)

        self.assertEqual(Application.objects.count(), 50)
        with self.assertNumQueries(len(one_application)):
            response = self.get_detail()
        self.assertEqual(response.context["totals"]["submitted_count"], 50)


class ThemePagesTests(BaseTestCase):
    def test_staff_add_and_rename_a_theme_through_the_pages(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("programmes:themes"), {"name": "Marktplein", "slug": ""}
        )
        self.assertRedirects(response, reverse("programmes:themes"))
        theme = Theme.objects.get(slug="marktplein")
        response = self.client.post(
            reverse("programmes:theme_edit", args=[theme.slug]),
            {"name": "Marktpleinen", "slug": ""},
        )
        self.assertRedirects(response, reverse("programmes:themes"))
        theme.refresh_from_db()
        self.assertEqual((theme.name, theme.slug), ("Marktpleinen", "marktplein"))
        self.assertContains(self.client.get(reverse("programmes:themes")), "Marktpleinen")

    def test_a_taken_slug_shows_on_the_form(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("programmes:themes"), {"name": "Nog eens leegstand", "slug": "leegstand"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("slug", response.context["form"].errors)

    def test_a_round_overlapping_the_previous_one_shows_its_rule_on_the_form(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            reverse("programmes:round_add", args=[self.programme.pk]),
            {"opens_on": "2021-11-01", "deadline": "2022-02-28"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("opens_on", response.context["form"].errors)
        self.assertEqual(self.programme.rounds.count(), 2)


class CapacityInForceTests(TrajectoryTestCase):
    """The list and the programme page show the offer in force today, not the figures the
    programme was created with."""

    def setUp(self):
        super().setUp()
        trajectory_services.amend_offer(
            by=self.staff,
            offer=self.offer,
            effective_on=datetime.date(2022, 5, 1),
            total_eur=Decimal("2040000.00"),
            capacity=113,
            reason="Derde ronde",
        )
        self.client.force_login(self.staff)

    def test_list_and_page_show_the_offer_in_force(self):
        for url in (
            reverse("programmes:list"),
            reverse("programmes:detail", args=[self.programme.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
                self.assertContains(response, "113")
                self.assertContains(response, "2,040,000.00")
                self.assertNotContains(response, "1,500,000.00")

    def test_the_page_says_how_many_over_capacity(self):
        trajectory_services.amend_offer(
            by=self.staff,
            offer=self.offer,
            effective_on=datetime.date(2022, 6, 1),
            total_eur=Decimal("1000.00"),
            capacity=1,
            reason="Test",
        )
        # An offer covers at least one trajectory: two accepted applications are one too many.
        for municipality in (self.lier, self.brugge):
            application = self.submit(municipality)
            self.decide(application, Application.Status.ADMISSIBLE)
            self.decide(
                application,
                Application.Status.ACCEPTED,
                reason="Bewust boven de capaciteit.",
                confirm_over_capacity=municipality == self.brugge,
            )
        response = self.client.get(reverse("programmes:detail", args=[self.programme.pk]))
        self.assertContains(response, '<div class="card over"><div class="figure">1</div>')
