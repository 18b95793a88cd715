"""A long report stays a light page: the first rows of each round, a link to the round's own
page where its table is paged, charts drawn there with at most 50 bars; the expert filter is
typed when the consortium is too long for a list."""

from decimal import Decimal

from django.test import RequestFactory, SimpleTestCase

from profploeg.reports import charts, page
from profploeg.reports.forms import AsOfForm
from profploeg.trajectories.models import Expert
from profploeg.trajectories.tests.base import TrajectoryTestCase

from .builders import report_of, report_round, report_row


def rows(count: int, **fields) -> list:
    return [
        report_row(
            name=f"Gemeente {index:03}",
            trajectory_state="running",
            trajectory_state_label="running",
            person_days_planned=Decimal(index),
            **fields,
        )
        for index in range(count)
    ]


class LongReportPageTests(SimpleTestCase):
    def pages(self, report, round_number=None, **params):
        request = RequestFactory().get("/", params)
        return page.round_pages(request, report, round_number)

    def test_a_short_report_shows_every_row_and_its_charts(self):
        report = report_of(report_round(number=1, municipalities=rows(120)))
        (first,) = self.pages(report)
        self.assertEqual(len(first["rows"]), 120)
        self.assertFalse(first["more"])
        self.assertTrue(first["charts"])

    def test_a_long_report_shows_the_first_rows_of_each_round_and_links_to_the_rest(self):
        report = report_of(
            report_round(number=1, municipalities=rows(200)),
            report_round(number=2, municipalities=rows(150)),
        )
        first, second = self.pages(report)
        self.assertEqual(len(first["rows"]), page.ROWS_PER_ROUND)
        self.assertEqual((first["total"], second["total"]), (200, 150))
        self.assertTrue(first["more"] and second["more"])
        self.assertEqual(first["charts"], [])

    def test_the_rounds_own_page_pages_its_table_and_caps_its_chart(self):
        report = report_of(report_round(number=1, municipalities=rows(250)))
        (only,) = self.pages(report, round_number=1, page="3", as_of="2023-06-30")
        self.assertEqual(len(only["rows"]), 50)
        self.assertEqual(only["page"].number, 3)
        self.assertIn("as_of=2023-06-30", only["page"].query)
        self.assertNotIn("page=", only["page"].query)
        bars = only["charts"][1]
        self.assertEqual(len(bars.rows), charts.BARS_PER_CHART)
        # The largest planned first, and the note says what is left out.
        self.assertEqual(bars.rows[0][0], "Gemeente 249")
        self.assertIn("250", bars.note)


class ExpertFilterTests(TrajectoryTestCase):
    def test_the_programmes_own_experts_in_a_list_or_typed_by_name_when_many(self):
        self.trajectory(self.lier)
        form = AsOfForm({"expert": str(self.eva.pk)}, programme=self.programme)
        self.assertTrue(form.is_valid(), form.errors)
        outsider = Expert.objects.create(name="Otto Outsider", organisation=self.eva.organisation)
        listed = set(form.fields["expert"].queryset)
        self.assertIn(self.eva, listed)
        self.assertNotIn(outsider, listed)
        self.assertEqual(form.fields["expert"].widget.input_type, "select")
        AsOfForm.EXPERTS_IN_A_LIST, limit = 0, AsOfForm.EXPERTS_IN_A_LIST
        self.addCleanup(setattr, AsOfForm, "EXPERTS_IN_A_LIST", limit)
        typed = AsOfForm({"expert": self.eva.name.upper()}, programme=self.programme)
        self.assertEqual(typed.fields["expert"].widget.input_type, "text")
        self.assertTrue(typed.is_valid(), typed.errors)
        self.assertEqual(typed.filters()["expert"], self.eva.pk)
        unknown = AsOfForm({"expert": "Nobody"}, programme=self.programme)
        self.assertFalse(unknown.is_valid())
