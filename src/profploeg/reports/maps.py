"""Where the applications come from: a map of Flanders with each municipality coloured by round
and status, or, without boundaries, the five provinces as tiles with their counts.

The map draws the boundaries imported with `profploeg import boundaries FILE`. The 2025 mergers
are handled both ways: with a file from before the mergers an application colours the old
municipality's own outline; with a later file it colours the merged municipality. An application
of a merged municipality on a pre-2025 file colours every municipality it was formed from."""

from collections import Counter, defaultdict

from profploeg.municipalities.models import Municipality, MunicipalityBoundary

from .charts import INK, MUTED, UI, Chart, Line, Rect, Shape, Text, label, legend_shapes
from .schema import ReportMunicipality, StatusReport

STATUS_ORDER = ["completed", "accepted", "awaiting", "deferred", "inadmissible", "withdrawn"]
STATUS_COLOURS = {
    "completed": "#0b4d22",
    "accepted": "#1b7a3a",
    "awaiting": "#4a76b8",
    "deferred": "#d9a21b",
    "inadmissible": "#b3261e",
    "withdrawn": "#8a8a8a",
}
NO_APPLICATION = "#eef1f4"
# Later rounds in lighter shades of their status colour.
ROUND_TINTS = [0.0, 0.4, 0.6, 0.75]
# West to east; Antwerpen above Vlaams-Brabant, as on a map: (column, row, rows spanned).
PROVINCE_TILES = {
    "West-Vlaanderen": (0, 0, 2),
    "Oost-Vlaanderen": (1, 0, 2),
    "Antwerpen": (2, 0, 1),
    "Vlaams-Brabant": (2, 1, 1),
    "Limburg": (3, 0, 2),
}
MAP_WIDTH = 720


def status_key(row: ReportMunicipality) -> str:
    """The application's status on the date, with a completed guidance as its own step."""
    if row.trajectory_state == "completed":
        return "completed"
    if row.status in ("submitted", "admissible"):
        return "awaiting"
    return row.status


def status_label(labels: dict, key: str) -> str:
    return label(labels, "trajectories_completed" if key == "completed" else key)


def tint(colour: str, amount: float) -> str:
    """The colour mixed with white (0: itself, 1: white)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + (255 - c) * amount) for c in (red, green, blue))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def category_colour(round_number: int, key: str) -> str:
    return tint(STATUS_COLOURS[key], ROUND_TINTS[min(round_number - 1, len(ROUND_TINTS) - 1)])


def applications(report: StatusReport) -> list[tuple[int, ReportMunicipality]]:
    return [(r.number, row) for r in report.rounds for row in r.municipalities]


def status_map(report: StatusReport, labels: dict = UI) -> Chart | None:
    """The map, or None when no boundaries were imported. Two queries, whatever the size."""
    boundaries = list(
        MunicipalityBoundary.objects.select_related("municipality").only(
            "refnis", "name", "polygons", "source", "municipality__valid_until"
        )
    )
    if not boundaries:
        return None
    before_mergers = any(b.municipality and b.municipality.valid_until for b in boundaries)
    by_refnis = {b.refnis: b for b in boundaries}
    formed_from = defaultdict(list)
    for old, new in Municipality.objects.filter(merged_into__isnull=False).values_list(
        "refnis", "merged_into__refnis"
    ):
        formed_from[new].append(old)

    # Each boundary shows its latest application (rounds in order: a later one overrides).
    shown: dict[str, tuple[int, str, list[str]]] = {}
    missing = []
    for number, row in applications(report):
        if row.refnis in by_refnis:
            targets = [row.refnis]
        elif row.refnis_now in by_refnis:
            targets = [row.refnis_now]
        else:
            targets = [old for old in formed_from.get(row.refnis, []) if old in by_refnis]
        if not targets:
            missing.append(row.name)
            continue
        key = status_key(row)
        text = f"{row.name}: {label(labels, 'round', number=number)}, {status_label(labels, key)}"
        for refnis in targets:
            earlier = shown.get(refnis, (0, "", []))[2]
            shown[refnis] = (number, key, [*earlier, text])

    xs = [x for b in boundaries for polygon in b.polygons for ring in polygon for x, _ in ring]
    ys = [y for b in boundaries for polygon in b.polygons for ring in polygon for _, y in ring]
    left, bottom, right, top = min(xs), min(ys), max(xs), max(ys)
    margin = 6
    scale = (MAP_WIDTH - 2 * margin) / max(right - left, 1)
    map_height = (top - bottom) * scale + 2 * margin

    def point(x, y):
        return (margin + (x - left) * scale, margin + (top - y) * scale)

    shapes: list = []
    for boundary in boundaries:
        number, key, texts = shown.get(boundary.refnis, (0, "", []))
        fill = category_colour(number, key) if key else NO_APPLICATION
        tip = "; ".join(texts) if texts else boundary.name
        for polygon in boundary.polygons:
            rings = [[point(x, y) for x, y in ring] for ring in polygon]
            shapes.append(Shape(rings, fill, "#ffffff" if key else "#c5cbd3", 0.5, tip))

    counts = Counter((number, key) for number, key, _ in shown.values())
    categories = sorted(counts, key=lambda c: (c[0], STATUS_ORDER.index(c[1])))
    legend = [
        (
            f"{label(labels, 'round', number=number)} – {status_label(labels, key)} "
            f"({counts[(number, key)]})",
            category_colour(number, key),
        )
        for number, key in categories
    ]
    legend.append((label(labels, "no_application"), NO_APPLICATION))
    more, height = legend_shapes(legend, margin, map_height + 8, MAP_WIDTH)
    shapes += more
    rows = [
        [label(labels, "round", number=number), status_label(labels, key), counts[(number, key)]]
        for number, key in categories
    ]
    if missing:
        rows.append([label(labels, "not_on_map"), ", ".join(sorted(set(missing))), len(missing)])
    return Chart(
        key="map",
        title=label(labels, "map"),
        width=MAP_WIDTH,
        height=round(height + 4),
        shapes=shapes,
        headers=[label(labels, "round_header"), label(labels, "status"), label(labels, "count")],
        rows=rows,
        numeric=[False, False, True],
        note=label(
            labels,
            "map_source_old" if before_mergers else "map_source_new",
            source=boundaries[0].source,
            count=len(boundaries),
        ),
    )


def province_tiles(report: StatusReport, labels: dict = UI) -> Chart:
    """The five provinces, west to east, each with its applications per status."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for _, row in applications(report):
        counts[row.province][status_key(row)] += 1
    tile_w, tile_h, gap = 172, 128, 6
    shapes: list = []
    for province, (column, row_, span) in PROVINCE_TILES.items():
        x, y = column * (tile_w + gap), row_ * (tile_h + gap)
        found = counts.get(province, Counter())
        total = sum(found.values())
        shapes.append(Rect(x, y, tile_w, span * tile_h + (span - 1) * gap, "#f4f6f8"))
        shapes.append(Line(x, y, x + tile_w, y, INK, 2))
        shapes.append(Text(x + 8, y + 20, province, 13, bold=True))
        shapes.append(
            Text(x + 8, y + 40, f"{total} {label(labels, 'applications')}", 11, fill=MUTED)
        )
        line_y = y + 60
        for key in STATUS_ORDER:
            if found[key]:
                shapes.append(Rect(x + 8, line_y - 10, 11, 11, STATUS_COLOURS[key]))
                shapes.append(Text(x + 24, line_y, f"{found[key]} {status_label(labels, key)}", 11))
                line_y += 16
    keys = [key for key in STATUS_ORDER if any(c[key] for c in counts.values())]
    return Chart(
        key="provinces",
        title=label(labels, "provinces"),
        width=4 * (tile_w + gap),
        height=2 * tile_h + gap,
        shapes=shapes,
        headers=[
            label(labels, "province"),
            *(status_label(labels, key) for key in keys),
            label(labels, "total"),
        ],
        rows=[
            [province, *(counts[province][key] for key in keys), sum(counts[province].values())]
            for province in [*PROVINCE_TILES, *sorted(set(counts) - set(PROVINCE_TILES))]
            if province in counts
        ],
        numeric=[False] + [True] * (len(keys) + 1),
    )
