import datetime
import json
import xml.etree.ElementTree as ET

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from profploeg.municipalities.boundaries import import_boundaries
from profploeg.reports import maps
from profploeg.reports.tests.builders import report_of, report_round, report_row
from profploeg.test import PASSWORD, BaseTestCase

SVG = "{http://www.w3.org/2000/svg}"


def square(x: int, y: int, size: int = 5000) -> list:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def load(*refnis_codes: str) -> None:
    """A small GeoJSON in Lambert metres: one square per municipality, side by side."""
    features = [
        {
            "type": "Feature",
            "properties": {"NISCODE": refnis},
            "geometry": {"type": "Polygon", "coordinates": square(150_000 + 6000 * i, 200_000)},
        }
        for i, refnis in enumerate(refnis_codes)
    ]
    import_boundaries(
        content=json.dumps({"type": "FeatureCollection", "features": features}),
        source="test.geojson",
    )


def row(refnis: str, name: str, refnis_now: str | None = None, status: str = "accepted", **kw):
    return report_row(
        refnis=refnis,
        name=name,
        refnis_now=refnis_now or refnis,
        name_now=name,
        status=status,
        **kw,
    )


def report(*rounds: list):
    return report_of(
        *(report_round(number=i, municipalities=rows) for i, rows in enumerate(rounds, 1))
    )


def fills(chart) -> dict[str, str]:
    """Each drawn municipality's tooltip and fill colour."""
    root = ET.fromstring(str(chart.svg))
    return {path.find(f"{SVG}title").text: path.get("fill") for path in root.iter(f"{SVG}path")}


class MapTests(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))

    def test_without_boundaries_there_is_no_map(self):
        self.assertIsNone(maps.status_map(report([row("12021", "Lier")])))

    def test_pre_2025_file_colours_the_municipality_as_it_was(self):
        load("71069", "71057", "12021")  # Ham, Tessenderlo (merged in 2025), Lier
        chart = maps.status_map(report([row("71069", "Ham", "71071")]))
        drawn = fills(chart)
        self.assertEqual(drawn["Ham: Round 1, Accepted"], maps.category_colour(1, "accepted"))
        self.assertEqual(drawn["Tessenderlo"], maps.NO_APPLICATION)
        self.assertEqual(drawn["Lier"], maps.NO_APPLICATION)
        self.assertIn("before the 2025 mergers", chart.note)

    def test_post_2025_file_colours_the_merged_municipality(self):
        load("71071", "12021")  # Tessenderlo-Ham, Lier
        chart = maps.status_map(report([row("71069", "Ham", "71071", status="inadmissible")]))
        self.assertEqual(
            fills(chart)["Ham: Round 1, Inadmissible"], maps.category_colour(1, "inadmissible")
        )
        self.assertEqual(chart.rows, [["Round 1", "Inadmissible", 1]])

    def test_merged_municipality_on_a_pre_2025_file_colours_all_it_was_formed_from(self):
        load("71069", "71057")
        chart = maps.status_map(report([row("71071", "Tessenderlo-Ham", status="submitted")]))
        paths = ET.fromstring(str(chart.svg)).iter(f"{SVG}path")
        self.assertEqual(
            [path.get("fill") for path in paths], [maps.category_colour(1, "awaiting")] * 2
        )

    def test_later_round_and_status_get_their_own_colour_and_legend(self):
        load("12021", "31005")
        chart = maps.status_map(
            report(
                [row("12021", "Lier", status="inadmissible")],
                [row("12021", "Lier"), row("31005", "Brugge", trajectory_state="completed")],
            )
        )
        drawn = fills(chart)
        self.assertEqual(
            drawn["Lier: Round 1, Inadmissible; Lier: Round 2, Accepted"],
            maps.category_colour(2, "accepted"),
        )
        self.assertNotEqual(
            maps.category_colour(2, "accepted"), maps.category_colour(1, "accepted")
        )
        self.assertEqual(
            chart.rows, [["Round 2", "Guidance completed", 1], ["Round 2", "Accepted", 1]]
        )

    def test_application_without_a_boundary_is_listed_as_not_on_the_map(self):
        load("12021")
        chart = maps.status_map(report([row("31005", "Brugge")]))
        self.assertEqual(chart.rows[-1][1:], ["Brugge", 1])

    def test_province_tiles_count_applications_per_status(self):
        chart = maps.province_tiles(
            report([row("12021", "Lier", status="inadmissible"), row("71069", "Ham")])
        )
        self.assertEqual(chart.headers, ["Province", "Accepted", "Inadmissible", "Total"])
        self.assertEqual(chart.rows, [["Limburg", 1, 1, 2]])


class MapOnThePageTests(BaseTestCase):
    def setUp(self):
        self.submit(self.lier, day=datetime.date(2021, 8, 1))
        self.client.login(username="sam", password=PASSWORD)
        self.url = reverse("reports:status", args=[self.programme.pk])

    def test_without_boundaries_the_page_shows_the_provinces_and_how_to_load_the_map(self):
        response = self.client.get(self.url, {"as_of": "2021-12-31"})
        self.assertContains(response, 'aria-labelledby="chart-provinces-title"')
        self.assertContains(response, "profploeg import boundaries")

    def test_with_boundaries_the_page_draws_the_map(self):
        load("12021", "31005")
        response = self.client.get(self.url, {"as_of": "2021-12-31"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, 'aria-labelledby="chart-map-title"')
        self.assertContains(response, "<title>Lier: Round 1, Awaiting decision</title>", html=False)
        self.assertNotContains(response, "profploeg import boundaries")
