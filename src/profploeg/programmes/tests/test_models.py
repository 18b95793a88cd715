import datetime
from decimal import Decimal

from profploeg.applications.models import Application
from profploeg.programmes.models import Programme, Round
from profploeg.test import BaseTestCase, make_programme, make_round

D = datetime.date
Status = Application.Status


class QuerySetTests(BaseTestCase):
    def test_counts_applications_per_status_in_each_round(self):
        inadmissible = self.submit(self.lier)
        self.decide(inadmissible, Status.INADMISSIBLE, reason="Geen projectomschrijving")
        accepted = self.submit(self.brugge)
        self.decide(accepted, Status.ADMISSIBLE)
        self.decide(accepted, Status.ACCEPTED)
        # Received after round 1's deadline: counted in round 2.
        self.submit(self.lier, day=D(2021, 8, 20))

        round1, round2 = Round.objects.filter(programme=self.programme).with_counts()

        self.assertEqual(round1.submitted_count, 2)
        self.assertEqual(round1.inadmissible_count, 1)
        self.assertEqual(round1.admissible_count, 1)
        self.assertEqual(round1.accepted_count, 1)
        self.assertEqual(round1.pending_count, 0)
        self.assertEqual((round2.submitted_count, round2.pending_count), (1, 1))
        self.assertEqual(round2.admissible_count, 0)

    def test_admissible_includes_accepted_and_deferred(self):
        for municipality, outcome in ((self.lier, Status.ACCEPTED), (self.brugge, Status.DEFERRED)):
            application = self.submit(municipality)
            self.decide(application, Status.ADMISSIBLE)
            self.decide(application, outcome, reason="Vraag nog onduidelijk")
        round1 = Round.objects.with_counts().get(pk=self.round1.pk)
        self.assertEqual(round1.admissible_count, 2)
        self.assertEqual((round1.accepted_count, round1.deferred_count), (1, 1))

    def test_counts_all_rounds_of_a_programme_in_one_query(self):
        self.submit(self.lier)
        with self.assertNumQueries(1):
            rounds = list(self.programme.rounds.with_counts())
        self.assertEqual([r.submitted_count for r in rounds], [1, 0])

    def test_call_takes_applications_from_first_opening_to_last_deadline(self):
        def open_on(day):
            return list(Programme.objects.taking_applications_on(day))

        self.assertEqual(open_on(D(2021, 6, 27)), [])
        self.assertEqual(open_on(D(2021, 6, 28)), [self.programme])
        self.assertEqual(open_on(D(2021, 11, 12)), [self.programme])
        self.assertEqual(open_on(D(2021, 11, 13)), [])

    def test_next_deadline_is_the_round_an_application_would_join(self):
        between_rounds = Programme.objects.taking_applications_on(D(2021, 8, 14)).get()
        self.assertEqual(between_rounds.next_deadline, D(2021, 11, 12))

    def test_programme_without_rounds_takes_no_applications(self):
        make_programme(title="Zonder rondes", published_on=D(2021, 6, 1))
        titles = Programme.objects.taking_applications_on(D(2021, 7, 1)).values_list(
            "title", flat=True
        )
        self.assertEqual(list(titles), ["Profploeg"])

    def test_accepted_count_adds_up_all_rounds(self):
        for municipality, day in ((self.lier, D(2021, 8, 2)), (self.brugge, D(2021, 9, 1))):
            application = self.submit(municipality, day=day)
            self.decide(application, Status.ADMISSIBLE)
            self.decide(application, Status.ACCEPTED)
        other = make_programme(title="Ander")
        make_round(other)
        counts = dict(
            Programme.objects.with_accepted_count().values_list("title", "accepted_count")
        )
        self.assertEqual(counts, {"Profploeg": 2, "Ander": 0})

    def test_budget_per_trajectory_is_the_budget_over_the_capacity(self):
        self.assertEqual(self.programme.budget_per_trajectory, Decimal("18072.29"))
        self.assertIsNone(make_programme(capacity=0).budget_per_trajectory)
