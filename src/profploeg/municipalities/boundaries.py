"""Import of municipal boundaries from GeoJSON as Statbel or Informatie Vlaanderen publish it.

No package ships Flemish municipal boundaries, so staff load the official file once:
`profploeg import boundaries FILE`. Each feature needs its REFNIS (NIS) code in one of the usual
properties; features of municipalities we do not know (Brussels, Wallonia) are skipped.

Coordinates may be longitude/latitude (WGS84, as GeoJSON prescribes) or metres in a Belgian
Lambert projection (Lambert 72 or 2008, as the Flemish and federal downloads offer): degrees are
projected onto a plane in metres, so that both draw the same. Outlines are simplified
(Douglas-Peucker) so that a map of Flanders stays small enough for a web page."""

import json
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Municipality, MunicipalityBoundary

# Statbel (CD_MUNTY_REFNIS), Informatie Vlaanderen VRBG (NISCODE / niscode) and common others.
REFNIS_PROPERTIES = (
    "CD_MUNTY_REFNIS",
    "NISCODE",
    "niscode",
    "NISCode",
    "nis_code",
    "NIS_CODE",
    "CD_REFNIS",
    "REFNIS",
    "refnis",
)
NAME_PROPERTIES = ("TX_MUNTY_DESCR_NL", "NAAM", "naam", "NAAMGEM", "name", "NAME")
EARTH_RADIUS_M = 6_371_000
# Flanders lies around 51° north: one degree of longitude is cos(51°) of one of latitude.
REFERENCE_LATITUDE = math.radians(51)
DEFAULT_TOLERANCE_M = 150


@dataclass
class BoundaryImport:
    created: int = 0
    skipped: list[str] = field(default_factory=list)
    points_before: int = 0
    points_after: int = 0


def refnis_of(properties: dict) -> str | None:
    for name in REFNIS_PROPERTIES:
        value = properties.get(name)
        if value not in (None, ""):
            text = str(value).strip()
            # Some files store the code as a number (11001) or with decimals (11001.0).
            if text.endswith(".0"):
                text = text[:-2]
            return text.zfill(5) if text.isdigit() else text
    return None


def name_of(properties: dict) -> str:
    for name in NAME_PROPERTIES:
        if properties.get(name):
            return str(properties[name])
    return ""


def polygons_of(geometry: dict) -> list:
    """A geometry's polygons, each a list of rings of [x, y]."""
    if not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    if kind == "GeometryCollection":
        return [p for part in geometry.get("geometries", []) for p in polygons_of(part)]
    return []


def in_degrees(features: list[dict]) -> bool:
    """Longitude/latitude if the first point looks like it; otherwise projected metres."""
    for feature in features:
        try:
            for polygon in polygons_of(feature.get("geometry")):
                for ring in polygon:
                    if ring:
                        x, y = ring[0][:2]
                        return abs(float(x)) <= 180 and abs(float(y)) <= 90
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            # A malformed feature is reported by the import, with its number.
            continue
    return False


def project(point, degrees: bool) -> tuple[float, float]:
    x, y = point[0], point[1]
    if not degrees:
        return float(x), float(y)
    return (
        EARTH_RADIUS_M * math.radians(x) * math.cos(REFERENCE_LATITUDE),
        EARTH_RADIUS_M * math.radians(y),
    )


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: keep the points that lie farther than `tolerance` from the simplified
    line (iterative, so that long rings do not exhaust the stack)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list, degrees: bool, tolerance: float) -> list[list[int]]:
    points = [project(point, degrees) for point in ring]
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    if len(points) < 3:
        return []
    # A closed ring: split it at its farthest point so that both halves simplify well.
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    half = simplify(points[: far + 1], tolerance)
    other = simplify(points[far:] + [points[0]], tolerance)
    result = half[:-1] + other[:-1]
    return [[round(x), round(y)] for x, y in result] if len(result) >= 3 else []


def parse(content: bytes | str) -> list[dict]:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(_("The file is not JSON: %(error)s") % {"error": error}) from error
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return list(data.get("features") or [])
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    raise ValidationError(_("The file is not a GeoJSON FeatureCollection."))


def feature_polygons(feature: dict, degrees: bool, tolerance_m: float, result) -> list:
    """A feature's polygons, simplified; rings that vanish below the tolerance are left out."""
    polygons = []
    for polygon in polygons_of(feature.get("geometry")):
        rings = []
        for index, ring in enumerate(polygon):
            result.points_before += len(ring)
            simplified = simplify_ring(ring, degrees, tolerance_m)
            if not simplified and index == 0:
                # The outer ring vanished (a speck below the tolerance): so does the polygon.
                break
            if simplified:
                rings.append(simplified)
                result.points_after += len(simplified)
        if rings:
            polygons.append(rings)
    return polygons


@transaction.atomic
def import_boundaries(
    *, content: bytes | str, source: str, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> BoundaryImport:
    """Replace the stored boundaries with those of the file's municipalities we know."""
    features = parse(content)
    degrees = in_degrees(features)
    known = {m.refnis: m for m in Municipality.objects.all()}
    result = BoundaryImport()
    boundaries: dict[str, MunicipalityBoundary] = {}
    now = timezone.now()
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise ValidationError(
                _("Feature %(number)d is not a GeoJSON object.") % {"number": number}
            )
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        refnis = refnis_of(properties)
        if refnis is None or refnis not in known:
            result.skipped.append(refnis or name_of(properties) or "?")
            continue
        try:
            polygons = feature_polygons(feature, degrees, tolerance_m, result)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError) as error:
            # Hand-made or truncated files: say which feature, never a traceback.
            raise ValidationError(
                _(
                    "Feature %(number)d (%(refnis)s) has coordinates that are not a GeoJSON "
                    "polygon: %(error)s"
                )
                % {"number": number, "refnis": refnis, "error": error}
            ) from error
        if not polygons:
            result.skipped.append(refnis)
            continue
        if refnis in boundaries:
            # Some files cut a municipality into several features: join them.
            boundaries[refnis].polygons.extend(polygons)
            continue
        boundaries[refnis] = MunicipalityBoundary(
            refnis=refnis,
            name=name_of(properties) or known[refnis].name,
            municipality=known[refnis],
            polygons=polygons,
            source=source[:255],
            imported_at=now,
        )
    if not boundaries:
        raise ValidationError(
            _(
                "No feature has the REFNIS code of a Flemish municipality. The code is read from "
                "one of these properties: %(names)s."
            )
            % {"names": ", ".join(REFNIS_PROPERTIES)}
        )
    MunicipalityBoundary.objects.all().delete()
    MunicipalityBoundary.objects.bulk_create(boundaries.values(), batch_size=200)
    result.created = len(boundaries)
    return result
