"""The map of the cases: province outlines and a marker per case, as server-rendered SVG.

No JavaScript and no tiles: each marker is a link with a title, and the page lists the same
cases per province next to the map."""

import math
from collections import defaultdict

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .geography import flanders
from .models import Case

FILLS = ["#dbe7f3", "#e3efdf", "#f6ead3", "#ebe1f1", "#f6dede"]
MARKER = "#b3261e"


def point_of(case: Case, data: dict) -> tuple[float, float] | None:
    """Where a case's municipality lies: its own point, or that of the municipality it merged
    into, or else the middle of its province."""
    municipality = case.trajectory.application.municipality
    points = data["points"]
    for refnis in (municipality.refnis, getattr(municipality.merged_into, "refnis", None)):
        if refnis in points:
            return tuple(points[refnis])
    return None


def province_centre(refnis: str, data: dict) -> tuple[float, float]:
    """The middle of a province's municipalities: a REFNIS code starts with its province's digit
    (1 Antwerpen, 2 Vlaams-Brabant, 3 West-, 4 Oost-Vlaanderen, 7 Limburg)."""
    points = [p for code, p in data["points"].items() if code[0] == refnis[0]]
    if not points:
        return 0.0, 0.0
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def spread(base: tuple[float, float], index: int) -> tuple[float, float]:
    """Markers at the same point go round it, so that each stays visible and clickable."""
    if index == 0:
        return base
    angle = index * 2.4
    radius = 7 * math.sqrt(index)
    return base[0] + radius * math.cos(angle), base[1] + radius * math.sin(angle)


def cases_map(cases: list[Case], *, title: str = "") -> SafeString:
    data = flanders()
    title = title or _("Map of the published cases")
    shapes = format_html_join(
        "",
        '<path d="{}" fill="{}" stroke="#004b8d" stroke-width="0.8" fill-rule="evenodd">'
        "<title>{}</title></path>",
        (
            (province["path"], FILLS[index % len(FILLS)], province["name"])
            for index, province in enumerate(data["provinces"].values())
        ),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="map-label" text-anchor="middle">{}</text>',
        (
            (f"{x:.0f}", f"{y:.0f}", province["name"])
            for refnis, province in data["provinces"].items()
            for x, y in [province_centre(refnis, data)]
        ),
    )
    seen: dict[tuple, int] = defaultdict(int)
    markers = []
    for case in cases:
        point = point_of(case, data)
        if point is None:
            continue
        x, y = spread(point, seen[point])
        seen[point] += 1
        label = f"{case.trajectory.application.municipality.name}: {case.title}"
        markers.append(
            format_html(
                '<a href="{}" class="map-marker"><circle cx="{}" cy="{}" r="5.5" fill="{}" '
                'stroke="#fff" stroke-width="1.5"/><title>{}</title></a>',
                reverse("showcase:case", args=[case.slug]),
                f"{x:.1f}",
                f"{y:.1f}",
                MARKER,
                label,
            )
        )
    return format_html(
        # A group, not an image: the markers inside are links that keyboard users can reach.
        '<svg class="case-map" viewBox="0 0 {} {}" role="group" aria-labelledby="map-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{}</title>{}{}{}</svg>',
        data["width"],
        data["height"],
        title,
        shapes,
        labels,
        mark_safe("".join(markers)),  # noqa: S308 - each marker was built with format_html
    )
