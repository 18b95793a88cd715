import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.test import SimpleTestCase
from django.urls import reverse
from PIL import Image

from profploeg.reports import charts
from profploeg.reports.tests.builders import report_of, report_round, report_row
from profploeg.test import PASSWORD, BaseTestCase

SVG = "{http://www.w3.org/2000/svg}"


def round_(**figures):
    return report_round(**figures)


def texts(chart: charts.Chart) -> list[str]:
    return [element.text for element in ET.fromstring(str(chart.svg)).iter(f"{SVG}text")]


class ChartTests(SimpleTestCase):
    def test_funnel_shows_the_steps_the_round_has_with_their_share(self):
        chart = charts.funnel_chart(round_())
        self.assertEqual([row[1] for row in chart.rows], [35, 34, 33])
        self.assertIn("33 (94%)", texts(chart))
        later = charts.funnel_chart(
            round_(intakes_held=30, trajectories_started=20, trajectories_completed=5)
        )
        self.assertEqual([row[1] for row in later.rows], [35, 34, 33, 30, 20, 5])

    def test_svg_is_well_formed_and_named_for_screen_readers(self):
        chart = charts.funnel_chart(round_(), labels=charts.DUTCH)
        root = ET.fromstring(str(chart.svg))
        self.assertEqual(root.get("role"), "img")
        title = root.find(f"{SVG}title")
        self.assertEqual(root.get("aria-labelledby"), title.get("id"))
        self.assertEqual(title.text, "Ronde 1: van aanvraag tot afgeronde begeleiding")
        self.assertIsNone(
            ET.fromstring(str(charts.to_svg(chart, titles=False))).find(f"{SVG}title")
        )

    def test_png_is_drawn_from_the_same_shapes_at_twice_the_size(self):
        chart = charts.funnel_chart(round_())
        image = Image.open(io.BytesIO(charts.to_png(chart)))
        self.assertEqual(image.size, (chart.width * 2, chart.height * 2))
        # The bars are drawn in the brand colour.
        colours = {colour for _, colour in image.getcolors(maxcolors=100_000)}
        self.assertIn((0, 75, 141), colours)

    def test_statuses_split_each_round_once_per_application(self):
        chart = charts.statuses_chart(
            report_of(round_(), round_(number=2, submitted=4, ever_admissible=2, accepted=1,
                                       deferred=0, inadmissible=0, withdrawn=1,
                                       awaiting_assessment=1, awaiting_admissibility=1))
        )  # fmt: skip
        # accepted, awaiting assessment, awaiting admissibility, deferred, inadmissible,
        # withdrawn, submitted
        self.assertEqual(chart.rows[0][1:], [33, 0, 0, 1, 1, 0, 35])
        self.assertEqual(chart.rows[1][1:], [1, 1, 1, 0, 0, 1, 4])
        self.assertEqual(sum(chart.rows[1][1:-1]), chart.rows[1][-1])

    def test_completions_count_completed_and_expected_trajectories_per_month(self):
        rows = [
            report_row(name="A", completed_on=datetime.date(2022, 9, 30),
                       trajectory_state="completed"),
            report_row(name="B", expected_completion_p50=datetime.date(2022, 11, 2),
                       trajectory_state="running"),
            report_row(name="C", expected_completion_p50=datetime.date(2022, 11, 20),
                       trajectory_state="overdue"),
            report_row(name="D", expected_completion_p50=datetime.date(2022, 11, 1),
                       trajectory_state="stopped"),
        ]  # fmt: skip
        chart = charts.completions_chart(report_of(round_(municipalities=rows)))
        self.assertEqual(chart.rows, [["09/2022", 1, 0, 1], ["11/2022", 0, 2, 3]])
        self.assertIsNone(charts.completions_chart(report_of(round_())))

    def test_person_days_per_municipality_largest_first(self):
        rows = [
            report_row(name="Lier", person_days_planned=Decimal("10.0"),
                       person_days_consumed=Decimal("2.5"), trajectory_state="running"),
            report_row(name="Brugge", person_days_planned=Decimal("15.0"),
                       person_days_consumed=Decimal("0.0"), trajectory_state="planned"),
            report_row(name="Gent"),
        ]  # fmt: skip
        chart = charts.person_days_chart(round_(municipalities=rows))
        self.assertEqual(chart.rows, [["Brugge", "15", "0"], ["Lier", "10", "2,5"]])
        self.assertIsNone(charts.person_days_chart(round_()))


class ChartsOnThePageTests(BaseTestCase):
    def test_each_chart_is_svg_next_to_its_data_table(self):
        self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.client.login(username="sam", password=PASSWORD)
        response = self.client.get(
            reverse("reports:status", args=[self.programme.pk]), {"as_of": "2021-12-31"}
        )
        self.assertContains(response, '<svg xmlns="http://www.w3.org/2000/svg" class="chart"', 3)
        self.assertContains(response, 'aria-labelledby="chart-funnel-1-title"')
        self.assertContains(
            response, '<table class="chart-data" aria-describedby="figure-funnel-1">'
        )
        self.assertNotContains(response, "<script")
