import io
import json
import math
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from profploeg.municipalities.boundaries import import_boundaries, simplify
from profploeg.municipalities.models import MunicipalityBoundary


def circle(x: float, y: float, radius: float, points: int = 400) -> list[list[float]]:
    ring = [
        [
            x + radius * math.cos(2 * math.pi * i / points),
            y + radius * math.sin(2 * math.pi * i / points),
        ]
        for i in range(points)
    ]
    return ring + [ring[0]]


def feature(properties: dict, *polygons) -> dict:
    geometry = (
        {"type": "Polygon", "coordinates": polygons[0]}
        if len(polygons) == 1
        else {"type": "MultiPolygon", "coordinates": list(polygons)}
    )
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


class BoundaryImportTests(TestCase):
    def test_statbel_file_in_degrees_is_projected_to_metres_and_simplified(self):
        # Lier, about 4.57° E 51.13° N, as a circle of 400 points with a radius of ~2 km.
        content = collection(
            feature(
                {"CD_MUNTY_REFNIS": "12021", "TX_MUNTY_DESCR_NL": "Lier"},
                [circle(4.57, 51.13, 0.03)],
            )
        )
        result = import_boundaries(content=content, source="statbel.geojson", tolerance_m=100)
        self.assertEqual(result.created, 1)
        lier = MunicipalityBoundary.objects.get(refnis="12021")
        self.assertEqual(
            (lier.name, lier.municipality.name, lier.source), ("Lier", "Lier", "statbel.geojson")
        )
        (outer,) = lier.polygons[0]
        self.assertLess(len(outer), 60)
        self.assertGreater(len(outer), 8)
        # Metres on a plane: 4.57° east at 51° north is about 320 km from Greenwich.
        x, y = outer[0]
        self.assertAlmostEqual(x / 1000, 4.6 * 111.2 * math.cos(math.radians(51)), delta=8)
        self.assertAlmostEqual(y / 1000, 51.13 * 111.2, delta=8)

    def test_informatie_vlaanderen_file_in_lambert_with_holes_and_islands(self):
        outer = [
            [150000, 200000],
            [160000, 200000],
            [160000, 210000],
            [150000, 210000],
            [150000, 200000],
        ]
        hole = [
            [154000, 204000],
            [156000, 204000],
            [156000, 206000],
            [154000, 206000],
            [154000, 204000],
        ]
        island = [[170000, 200000], [171000, 200000], [171000, 201000], [170000, 200000]]
        content = collection(feature({"NISCODE": "12021", "NAAM": "Lier"}, [outer, hole], [island]))
        import_boundaries(content=content, source="vrbg.geojson")
        polygons = MunicipalityBoundary.objects.get(refnis="12021").polygons
        self.assertEqual(len(polygons), 2)
        self.assertEqual(
            polygons[0][0], [[150000, 200000], [160000, 200000], [160000, 210000], [150000, 210000]]
        )
        self.assertEqual(len(polygons[0]), 2)

    def test_codes_as_numbers_and_lowercase_property_names_are_read(self):
        square = [[0, 0], [5000, 0], [5000, 5000], [0, 5000], [0, 0]]
        content = collection(
            feature({"niscode": 12021}, [square]), feature({"niscode": 31005.0}, [square])
        )
        import_boundaries(content=content, source="f.geojson")
        self.assertEqual(
            sorted(MunicipalityBoundary.objects.values_list("refnis", flat=True)),
            ["12021", "31005"],
        )

    def test_municipalities_outside_flanders_are_skipped(self):
        square = [[0, 0], [5000, 0], [5000, 5000], [0, 5000], [0, 0]]
        content = collection(
            feature({"CD_MUNTY_REFNIS": "12021"}, [square]),
            feature({"CD_MUNTY_REFNIS": "21004", "TX_MUNTY_DESCR_NL": "Brussel"}, [square]),
        )
        result = import_boundaries(content=content, source="belgium.geojson")
        self.assertEqual((result.created, result.skipped), (1, ["21004"]))

    def test_a_file_without_refnis_codes_is_refused_and_changes_nothing(self):
        square = [[0, 0], [5000, 0], [5000, 5000], [0, 5000], [0, 0]]
        import_boundaries(content=collection(feature({"NISCODE": "12021"}, [square])), source="a")
        with self.assertRaisesMessage(ValidationError, "CD_MUNTY_REFNIS"):
            import_boundaries(content=collection(feature({"code": "x"}, [square])), source="b")
        # Whatever language an earlier test left active: the message is the Dutch one.
        with translation.override("nl-be"):
            with self.assertRaisesMessage(ValidationError, "Het bestand is geen JSON"):
                import_boundaries(content=b"<kml/>", source="c")
        self.assertEqual(MunicipalityBoundary.objects.get().source, "a")

    def test_malformed_files_get_a_clear_error_and_change_nothing(self):
        square = [[0, 0], [5000, 0], [5000, 5000], [0, 5000], [0, 0]]
        import_boundaries(content=collection(feature({"NISCODE": "12021"}, [square])), source="a")
        good = {"NISCODE": "12021"}
        malformed = [
            json.dumps({"type": "FeatureCollection", "features": ["not a feature"]}),
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "properties": good,
                            "geometry": {"type": "Polygon", "coordinates": [[["a", "b"], [1]]]},
                        }
                    ],
                }
            ),
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"properties": good, "geometry": {"type": "Polygon", "coordinates": 5}}
                    ],
                }
            ),
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "properties": good,
                            "geometry": {"type": "MultiPolygon", "coordinates": [[[[1, 2], None]]]},
                        }
                    ],
                }
            ),
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "properties": good,
                            "geometry": {"type": "Polygon", "coordinates": [[[1]] * 5]},
                        }
                    ],
                }
            ),
        ]
        for content in malformed:
            with self.subTest(content=content), self.assertRaises(ValidationError):
                import_boundaries(content=content, source="bad")
        self.assertEqual(MunicipalityBoundary.objects.get().source, "a")

    def test_a_new_file_replaces_the_boundaries_of_the_previous_one(self):
        square = [[0, 0], [5000, 0], [5000, 5000], [0, 5000], [0, 0]]
        # Before 2025: Ham and Tessenderlo; after: Tessenderlo-Ham.
        import_boundaries(
            content=collection(
                feature({"NISCODE": "71069"}, [square]), feature({"NISCODE": "71057"}, [square])
            ),
            source="2019.geojson",
        )
        import_boundaries(
            content=collection(feature({"NISCODE": "71071"}, [square])), source="2025.geojson"
        )
        self.assertEqual(
            list(MunicipalityBoundary.objects.values_list("refnis", "source")),
            [("71071", "2025.geojson")],
        )

    def test_douglas_peucker_keeps_corners_and_drops_points_on_a_line(self):
        line = [(0, 0), (1, 0.01), (2, 0), (3, 5), (4, 0)]
        self.assertEqual(simplify(line, 0.1), [(0, 0), (2, 0), (3, 5), (4, 0)])


class ImportBoundariesCommandTests(TestCase):
    def test_import_boundaries_reads_the_file_and_reports(self):
        square = [[0, 0], [5000, 0], [5000, 5000], [0, 5000], [0, 0]]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "gemeenten.geojson"
            path.write_bytes(collection(feature({"NISCODE": "12021"}, [square])))
            out = io.StringIO()
            call_command("import", "boundaries", str(path), stdout=out)
        self.assertIn("Imported the boundaries of 1 municipalities", out.getvalue())
        self.assertEqual(MunicipalityBoundary.objects.get().source, "gemeenten.geojson")

    def test_a_missing_file_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "No such file"):
            call_command("import", "boundaries", "/nonexistent/gemeenten.geojson")
