import csv
import datetime
import io
import json

import openpyxl
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profploeg.applications.models import Application
from profploeg.lib.dates import at_brussels
from profploeg.programmes.models import Programme
from profploeg.reports import exports
from profploeg.reports.document import answer_document
from profploeg.reports.status import status_report
from profploeg.reports.tests.test_map import load as load_boundaries
from profploeg.test import PASSWORD, BaseTestCase, municipality
from profploeg.trajectories.tests.base import TrajectoryTestCase

Status = Application.Status


def report_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("report", "status", *args, stdout=out)
    return json.loads(out.getvalue())


class DemoFiguresTests(TestCase):
    """The figures of the minister's answer, from the demo's recorded history."""

    @classmethod
    def setUpTestData(cls):
        call_command("demo", stdout=io.StringIO())

    def test_report_of_31_january_2022_shows_the_seed_figures(self):
        report = report_json("--as-of", "2022-01-31", "--format", "json")
        round1, round2 = report["rounds"]
        self.assertEqual(
            {
                k: round1[k]
                for k in (
                    "number",
                    "deadline",
                    "submitted",
                    "ever_admissible",
                    "inadmissible",
                    "deferred",
                    "accepted",
                )
            },
            {
                "number": 1,
                "deadline": "2021-08-13",
                "submitted": 35,
                "ever_admissible": 34,
                "inadmissible": 1,
                "deferred": 1,
                "accepted": 33,
            },
        )
        self.assertEqual(
            {
                k: round2[k]
                for k in (
                    "number",
                    "deadline",
                    "submitted",
                    "ever_admissible",
                    "inadmissible",
                    "deferred",
                    "accepted",
                )
            },
            {
                "number": 2,
                "deadline": "2021-11-12",
                "submitted": 50,
                "ever_admissible": 50,
                "inadmissible": 0,
                "deferred": 0,
                "accepted": 50,
            },
        )
        self.assertEqual(report["info_sessions"][0]["date"], "2021-06-25")
        self.assertEqual(report["info_sessions"][0]["attendees"], 122)
        self.assertEqual(
            report["capacity"],
            {"planned": 83, "accepted": 83, "remaining": 0, "over_capacity": 0},
        )
        self.assertEqual(
            (round1["late_from_previous_round"], round2["late_from_previous_round"]), (0, 2)
        )
        self.assertEqual(len(round1["municipalities"]), 35)
        self.assertLessEqual({"refnis", "name", "status"}, set(round1["municipalities"][0]))

    def test_capacity_follows_the_offer_amended_in_may_2022(self):
        before = report_json("--as-of", "2022-01-31")["capacity"]
        after = report_json("--as-of", "2022-06-30")["capacity"]
        self.assertEqual(before["planned"], 83)
        self.assertGreater(after["planned"], 83)
        self.assertEqual(after["remaining"], after["planned"] - after["accepted"])

    def test_the_two_late_applications_and_two_reapplications_are_in_round_2(self):
        round2 = Programme.objects.get(title__startswith="Profploeg: begeleiding").rounds.get(
            number=2
        )
        late = round2.applications.filter(
            submitted_at__date__gt=datetime.date(2021, 8, 13),
            submitted_at__date__lt=datetime.date(2021, 9, 10),
        )
        self.assertGreaterEqual(late.count(), 2)
        self.assertEqual(round2.applications.exclude(previous_application=None).count(), 2)

    def test_demo_spreads_over_the_five_provinces_and_loads_twice_without_change(self):
        report = report_json("--as-of", "2022-01-31")
        provinces = {m["province"] for r in report["rounds"] for m in r["municipalities"]}
        self.assertEqual(len(provinces), 5)
        before = Application.objects.count()
        call_command("demo", stdout=io.StringIO())
        self.assertEqual(Application.objects.count(), before)

    def test_a_late_application_is_in_round_2_before_round_2_opens(self):
        for day, late in (("2021-08-31", 1), ("2021-09-10", 2)):
            with self.subTest(day=day):
                report = report_json("--as-of", day)
                round1, round2 = report["rounds"]
                self.assertEqual(round1["submitted"], 35)
                self.assertEqual(
                    (round2["submitted"], round2["late_from_previous_round"]), (late, late)
                )
                self.assertEqual(round2["awaiting_admissibility"], late)
                self.assertEqual(len(round2["municipalities"]), late)

    def test_the_document_says_the_late_applications_like_the_minister(self):
        programme = Programme.objects.get(title__startswith="Profploeg: begeleiding")
        report = status_report(programme=programme, as_of=datetime.date(2021, 8, 31))
        text = " ".join(
            block.text
            for block in answer_document(report, with_charts=False).blocks
            if hasattr(block, "text")
        )
        self.assertIn("Na 13 augustus werd nog één aanvraag voor begeleiding ingediend.", text)
        report = status_report(programme=programme, as_of=datetime.date(2021, 9, 10))
        text = " ".join(
            block.text
            for block in answer_document(report, with_charts=False).blocks
            if hasattr(block, "text")
        )
        self.assertIn("Na 13 augustus werden nog twee aanvragen voor begeleiding ingediend.", text)

    def test_on_the_round_1_deadline_nothing_was_decided_yet(self):
        report = report_json("--as-of", "2021-08-13", "--format", "json")
        self.assertEqual(len(report["rounds"]), 1)
        round1 = report["rounds"][0]
        self.assertEqual(round1["submitted"], 35)
        self.assertEqual(round1["awaiting_admissibility"], 35)
        self.assertEqual(round1["ever_admissible"], 0)
        self.assertEqual(round1["accepted"], 0)


class CapacityTests(BaseTestCase):
    def test_accepting_beyond_capacity_says_how_many_over_and_never_a_negative_remainder(self):
        self.programme.capacity = 1
        self.programme.save()
        for application in (self.submit(self.lier), self.submit(self.brugge)):
            self.decide(application, Status.ADMISSIBLE)
            # Beyond capacity only with a confirmation and its reason.
            self.decide(
                application, Status.ACCEPTED, confirm_over_capacity=True, reason="Extra budget"
            )
        report = status_report(programme=self.programme, as_of=datetime.date.today())
        self.assertEqual(
            report.capacity.model_dump(),
            {"planned": 1, "accepted": 2, "remaining": 0, "over_capacity": 1},
        )
        text = " ".join(
            block.text
            for block in answer_document(report, with_charts=False).blocks
            if hasattr(block, "text")
        )
        self.assertIn("1 boven de capaciteit van 1", text)
        workbook = openpyxl.load_workbook(io.BytesIO(exports.render(report, "xlsx")))
        labels = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
        self.assertIn("1 boven de capaciteit", labels)
        self.client.login(username="sam", password=PASSWORD)
        page = self.client.get(reverse("reports:status", args=[self.programme.pk]))
        self.assertContains(page, "1 boven de capaciteit")


class AsOfTests(BaseTestCase):
    def test_report_on_each_date_shows_what_was_true_then(self):
        a = self.submit(self.lier, day=datetime.date(2021, 8, 1))
        b = self.submit(self.brugge, day=datetime.date(2021, 8, 10))
        self.decide(a, Status.ADMISSIBLE, at=at_brussels(datetime.date(2021, 8, 20)))
        self.decide(
            b, Status.INADMISSIBLE, reason="Onvolledig", at=at_brussels(datetime.date(2021, 8, 20))
        )
        self.decide(a, Status.ACCEPTED, at=at_brussels(datetime.date(2021, 9, 10)))
        expected = {
            datetime.date(2021, 7, 31): (0, 0, 0, 0),
            datetime.date(2021, 8, 1): (1, 0, 0, 0),
            datetime.date(2021, 8, 10): (2, 0, 0, 0),
            datetime.date(2021, 8, 20): (2, 1, 1, 0),
            datetime.date(2021, 9, 9): (2, 1, 1, 0),
            datetime.date(2021, 9, 10): (2, 1, 1, 1),
        }
        for day, (submitted, admissible, inadmissible, accepted) in expected.items():
            with self.subTest(day=day):
                round1 = status_report(programme=self.programme, as_of=day).rounds[0]
                self.assertEqual(
                    (
                        round1.submitted,
                        round1.ever_admissible,
                        round1.inadmissible,
                        round1.accepted,
                    ),
                    (submitted, admissible, inadmissible, accepted),
                )
        brugge = status_report(programme=self.programme, as_of=datetime.date(2021, 9, 10))
        row = next(m for m in brugge.rounds[0].municipalities if m.name == "Brugge")
        self.assertEqual((row.status, row.reason), ("inadmissible", "Onvolledig"))

    def test_report_query_count_does_not_grow_with_applications(self):
        def count_queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                status_report(programme=self.programme, as_of=datetime.date(2021, 12, 31))
            return len(ctx)

        self.submit(self.lier)
        few = count_queries()
        for name in ["Gent", "Mechelen", "Leuven", "Aalst", "Genk", "Roeselare"]:
            self.submit(municipality(name))
        self.assertEqual(count_queries(), few)


class StatusPageTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("reports:status", args=[self.programme.pk])

    def test_staff_sees_the_report_as_of_a_date(self):
        self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.client.login(username="sam", password=PASSWORD)
        response = self.client.get(self.url, {"as_of": "2021-08-05"})
        self.assertContains(response, "Lier")
        self.assertContains(response, "op 5 augustus 2021")
        # The round's deadline in the table: a date as tables write it.
        self.assertContains(response, ">13/08/2021</td>")

    def test_csv_download_has_one_row_per_application(self):
        self.submit(self.lier)
        self.submit(self.brugge)
        self.client.login(username="eva", password=PASSWORD)
        response = self.client.get(
            self.url, {"as_of": "2021-12-31", "format": "csv", "dialect": "machine"}
        )
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual(sorted(r["name"] for r in rows), ["Brugge", "Lier"])
        self.assertEqual(rows[0]["status"], "submitted")

    def test_municipality_and_province_users_may_not_see_the_programme_report(self):
        for username in ("alice", "paula", "oscar"):
            with self.subTest(username=username):
                self.client.login(username=username, password=PASSWORD)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_anonymous_user_is_sent_to_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class PageQueryCountTests(TrajectoryTestCase):
    """The whole page (figures, charts, map) and every download cost the same number of queries
    for two municipalities as for eight, trajectories and person-days included."""

    def count(self, **params) -> int:
        url = reverse("reports:status", args=[self.programme.pk])
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url, {"as_of": "2022-03-31", **params})
        self.assertEqual(response.status_code, 200)
        return len(ctx)

    def grow(self, names: list[str]) -> None:
        for name in names:
            trajectory = self.trajectory(municipality(name))
            # An expert works at most one day per date: each municipality gets its own dates.
            day = datetime.date(2022, 2, 1) + datetime.timedelta(days=2 * self.days_used)
            self.register(trajectory, day)
            self.register(trajectory, day + datetime.timedelta(days=1), expert=self.ed)
            self.days_used += 1

    days_used = 0

    def test_page_and_downloads_do_not_grow_with_municipalities(self):
        load_boundaries("12021", "31005", "44021", "12025", "24062", "41002", "71016", "36015")
        self.client.force_login(self.staff)
        self.grow(["Lier", "Brugge"])
        variants = [{}, {"province": "10000"}, {"format": "xlsx"}, {"format": "pdf"}]
        few = [self.count(**params) for params in variants]
        self.grow(["Gent", "Mechelen", "Leuven", "Aalst", "Genk", "Roeselare"])
        self.assertEqual([self.count(**params) for params in variants], few)
