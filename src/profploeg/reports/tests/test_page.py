"""The status page answers the questions with summary figures first, then a compact table per
round that opens on demand; numbers, money and dates through Django's localisation."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from profploeg.reports.page import money
from profploeg.test import municipality
from profploeg.trajectories.tests.base import TrajectoryTestCase


class StatusPageTests(TrajectoryTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.staff)
        trajectory = self.trajectory(municipality("Lier"))
        self.register(trajectory, datetime.date(2022, 2, 7), days="0.5")
        self.register(trajectory, datetime.date(2022, 2, 8), days="1.0")
        self.register(trajectory, datetime.date(2022, 2, 9), days="1.0")
        self.url = reverse("reports:status", args=[self.programme.pk])

    def page(self, language: str = "en", **params) -> str:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = self.client.get(self.url, {"as_of": "2022-03-31", **params})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_summary_answers_the_questions_before_the_rounds(self):
        html = self.page()
        titles = [
            "applications-title",
            "capacity-title",
            "budget-title",
            "completion-title",
            "evaluation-title",
            "showcase-title",
            'id="round-1"',
        ]
        positions = [html.index(title) for title in titles]
        self.assertEqual(positions, sorted(positions))
        self.assertIn("Committed", html)
        self.assertIn(self.report_definition(), html)
        self.assertIn("cases published", html)
        self.assertIn("completion questionnaires answered / sent", html)

    def report_definition(self) -> str:
        from profploeg.reports.status import status_report

        report = status_report(programme=self.programme, as_of=datetime.date(2022, 3, 31))
        return report.budget.committed_definition[:60]

    def test_round_table_has_six_columns_and_opens_on_demand(self):
        html = self.page()
        details = re.search(r"<details.*?</details>", html, re.S).group(0)
        table = re.search(r'<table class="municipalities stack">.*?</table>', details, re.S)
        headers = re.findall(r'<th scope="col"', table.group(0))
        self.assertEqual(len(headers), 6)
        self.assertIn("Lier", table.group(0))
        # No table of the page is wider than the compact ones: the full table is a download.
        for match in re.findall(r"<thead>.*?</thead>", html, re.S):
            self.assertLessEqual(match.count("<th "), 11)

    def test_applications_per_round_has_a_column_per_round(self):
        html = self.page()
        row = re.search(r'<tr class="figure-accepted">.*?</tr>', html, re.S).group(0)
        self.assertEqual(re.findall(r'<td class="num">(\d+)</td>', row), ["1", "0"])
        deadline = re.search(r'<tr class="figure-deadline">.*?</tr>', html, re.S).group(0)
        self.assertIn(">13/08/2021</td>", deadline)

    def test_money_days_and_dates_in_belgian_dutch(self):
        html = self.page("nl-be")
        # Money in text: "€ 1.500.000" (lib/formats, Django's localisation).
        self.assertIn("€ 1.500.000<", html)
        # Dates in text and in tables.
        self.assertIn("op 31 maart 2022", html)
        self.assertRegex(html, r">\d\d/\d\d/20\d\d</td>")

    def test_money_is_written_without_cents_only_when_there_are_none(self):
        with translation.override("nl-be"):
            self.assertEqual(money(Decimal("1500000.00")), "€ 1.500.000")
            self.assertEqual(money(Decimal("1234.50")), "€ 1.234,50")
        with translation.override("en"):
            self.assertEqual(money(Decimal("1500000.00")), "€ 1,500,000")
