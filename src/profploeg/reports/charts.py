"""Charts of a status report, drawn on the server from the typed report: no JavaScript, no CDN.

A chart is a list of simple shapes (rectangles, lines, texts, polygons) in its own coordinate
space, plus the data table it was drawn from. The same shapes become
- SVG (`to_svg`): on the page, next to the data table for screen readers, and in the PDF, which
  draws that very SVG as vectors (fpdf2 reads SVG);
- PNG (`to_png`, with Pillow): in the DOCX, because Word and LibreOffice need a bitmap there.
Values are always printed as text too, so no figure depends on telling colours apart."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from profploeg.lib import formats

from .schema import ReportRound, StatusReport
from .tables import AWAITING_ADMISSIBILITY, AWAITING_ASSESSMENT, EVER_ADMISSIBLE

INK = "#1d1d1b"
MUTED = "#555555"
GRID = "#d7d7d7"
BRAND = "#004b8d"
FONTS = Path(__file__).resolve().parent / "data"

STATUS_COLOURS = {
    "accepted": "#1b7a3a",
    "awaiting_assessment": "#5fae9e",
    "awaiting_admissibility": "#7ea6d8",
    "deferred": "#d9a21b",
    "inadmissible": "#b3261e",
    "withdrawn": "#9a9a9a",
}
# From application to completed guidance.
FUNNEL_STEPS = [
    "submitted",
    "ever_admissible",
    "accepted",
    "intakes_held",
    "trajectories_started",
    "trajectories_completed",
]
STACK_ORDER = [
    "accepted",
    "awaiting_assessment",
    "awaiting_admissibility",
    "deferred",
    "inadmissible",
    "withdrawn",
]

UI = {
    "submitted": _("Submitted"),
    "ever_admissible": EVER_ADMISSIBLE,
    "awaiting_admissibility": AWAITING_ADMISSIBILITY,
    "awaiting_assessment": AWAITING_ASSESSMENT,
    "accepted": _("Accepted"),
    "deferred": _("Deferred"),
    "inadmissible": _("Inadmissible"),
    "withdrawn": _("Withdrawn"),
    "awaiting": _("Awaiting decision"),
    "intakes_held": _("Intake held"),
    "trajectories_started": _("Guidance started"),
    "trajectories_completed": _("Guidance completed"),
    "funnel": _("Round %(number)s: from application to completed guidance"),
    "statuses": _("Applications per round and status on this date"),
    "round": _("Round %(number)s"),
    "step": _("Step"),
    "count": _("Number"),
    "share": _("Share of submitted"),
    "completions": _("Guidance completed and expected, per month"),
    "month": _("Month"),
    "completed": _("Completed"),
    "expected": _("Expected"),
    "person_days": _("Person-days per municipality"),
    "largest": _(
        "The %(shown)s municipalities with the most planned person-days, of %(total)s; every "
        "one is in the table of the round and in the downloads."
    ),
    "municipality": _("Municipality"),
    "planned": _("Planned"),
    "registered": _("Registered"),
    "cumulative": _("Cumulative"),
    "round_header": _("Round"),
    "map": _("Applications per municipality, by round and status on this date"),
    "provinces": _("Applications per province and status on this date"),
    "province": _("Province"),
    "status": _("Status"),
    "total": _("Total"),
    "applications": _("applications"),
    "no_application": _("No application"),
    "not_on_map": _("Not on the map (no boundary)"),
    "map_source_old": _(
        "Boundaries of %(count)s municipalities from %(source)s, as before the 2025 mergers: "
        "each application colours the municipality as it was."
    ),
    "map_source_new": _(
        "Boundaries of %(count)s municipalities from %(source)s: an application of a "
        "municipality that has merged since colours the merged municipality."
    ),
}
# The documents for Parliament are Dutch whatever the interface language.
DUTCH = {
    "submitted": "Ingediend",
    "ever_admissible": "Ontvankelijk verklaard",
    "awaiting_admissibility": "Wacht op ontvankelijkheid",
    "awaiting_assessment": "Wacht op beoordeling",
    "accepted": "Aanvaard",
    "deferred": "Uitgesteld",
    "inadmissible": "Onontvankelijk",
    "withdrawn": "Ingetrokken",
    "awaiting": "Wacht op beslissing",
    "intakes_held": "Intake gehouden",
    "trajectories_started": "Begeleiding gestart",
    "trajectories_completed": "Begeleiding afgerond",
    "funnel": "Ronde %(number)s: van aanvraag tot afgeronde begeleiding",
    "statuses": "Aanvragen per ronde en status op deze datum",
    "round": "Ronde %(number)s",
    "step": "Stap",
    "count": "Aantal",
    "share": "Aandeel van ingediend",
    "completions": "Afgeronde en verwachte begeleidingen per maand",
    "month": "Maand",
    "completed": "Afgerond",
    "expected": "Verwacht",
    "person_days": "Mensdagen per gemeente",
    "largest": (
        "De %(shown)s gemeenten met de meeste geplande mensdagen, van %(total)s; ze staan "
        "allemaal in de tabel van de ronde en in de downloads."
    ),
    "municipality": "Gemeente",
    "planned": "Gepland",
    "registered": "Geregistreerd",
    "cumulative": "Cumulatief",
    "round_header": "Ronde",
    "map": "Aanvragen per gemeente, naar ronde en status op deze datum",
    "provinces": "Aanvragen per provincie en status op deze datum",
    "province": "Provincie",
    "status": "Status",
    "total": "Totaal",
    "applications": "aanvragen",
    "no_application": "Geen aanvraag",
    "not_on_map": "Niet op de kaart (geen grens)",
    "map_source_old": "Grenzen van %(count)s gemeenten uit %(source)s, van voor de fusies van "
    "2025: elke aanvraag kleurt de gemeente zoals ze toen was.",
    "map_source_new": "Grenzen van %(count)s gemeenten uit %(source)s: een aanvraag van een "
    "sindsdien gefuseerde gemeente kleurt de fusiegemeente.",
}


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    tip: str = ""


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    width: float = 1.0


@dataclass
class Text:
    x: float
    y: float
    text: str
    size: float = 12
    anchor: str = "start"
    fill: str = INK
    bold: bool = False


@dataclass
class Shape:
    """One or more closed rings (outer boundary and holes), filled even-odd: a map area."""

    rings: list
    fill: str
    stroke: str = "#ffffff"
    width: float = 0.6
    tip: str = ""


@dataclass
class Chart:
    key: str
    title: str
    width: int
    height: int
    shapes: list = field(default_factory=list)
    # The data the chart shows, as a table for screen readers and for anyone who prefers one.
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    numeric: list = field(default_factory=list)
    # Shown under the chart: where its data comes from.
    note: str = ""

    @property
    def svg(self) -> SafeString:
        return to_svg(self)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(header, numeric) of the data table."""
        return list(zip(self.headers, self.flags, strict=True))

    @property
    def cells(self) -> list[list[tuple[object, bool]]]:
        """The data table's rows as (value, numeric) pairs."""
        return [list(zip(row, self.flags, strict=True)) for row in self.rows]

    @property
    def flags(self) -> list[bool]:
        return list(self.numeric) + [False] * (len(self.headers) - len(self.numeric))


def label(labels: dict, key: str, **values) -> str:
    text = str(labels[key])
    return text % values if values else text


def number(value) -> str:
    """A count or person-days as printed on a chart: no needless decimals."""
    return formats.number(Decimal(value).quantize(Decimal("0.1")).normalize())


def n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def to_svg(chart: Chart, *, titles: bool = True) -> SafeString:
    """The chart as inline SVG. `titles=False` leaves out the <title> elements (the accessible
    name and the tooltips), which a PDF has no use for."""
    title_id = f"chart-{chart.key}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {chart.width} '
        f'{chart.height}" width="{chart.width}" height="{chart.height}" role="img" '
        f'aria-labelledby="{title_id}" font-family="sans-serif">'
    ]
    if titles:
        parts.append(f'<title id="{title_id}">{escape(chart.title)}</title>')
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            tip = f"<title>{escape(shape.tip)}</title>" if shape.tip and titles else ""
            parts.append(
                f'<rect x="{n(shape.x)}" y="{n(shape.y)}" width="{n(shape.w)}" '
                f'height="{n(shape.h)}" fill="{shape.fill}">{tip}</rect>'
            )
        elif isinstance(shape, Line):
            parts.append(
                f'<line x1="{n(shape.x1)}" y1="{n(shape.y1)}" x2="{n(shape.x2)}" '
                f'y2="{n(shape.y2)}" stroke="{shape.stroke}" stroke-width="{n(shape.width)}"/>'
            )
        elif isinstance(shape, Text):
            weight = ' font-weight="bold"' if shape.bold else ""
            parts.append(
                f'<text x="{n(shape.x)}" y="{n(shape.y)}" font-size="{n(shape.size)}" '
                f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}>'
                f"{escape(shape.text)}</text>"
            )
        elif isinstance(shape, Shape):
            d = "".join(
                "M" + "L".join(f"{n(x)} {n(y)}" for x, y in ring) + "Z" for ring in shape.rings
            )
            tip = f"<title>{escape(shape.tip)}</title>" if shape.tip and titles else ""
            parts.append(
                f'<path d="{d}" fill="{shape.fill}" fill-rule="evenodd" stroke="{shape.stroke}" '
                f'stroke-width="{n(shape.width)}">{tip}</path>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


PIL_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def to_png(chart: Chart, scale: float = 2.0) -> bytes:
    """The same shapes as a PNG bitmap (for the DOCX), `scale` times the SVG's size."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (round(chart.width * scale), round(chart.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict = {}

    def font(size: float, bold: bool):
        key = (round(size * scale), bold)
        if key not in fonts:
            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            fonts[key] = ImageFont.truetype(str(FONTS / name), key[0])
        return fonts[key]

    def xy(x, y):
        return (x * scale, y * scale)

    for shape in chart.shapes:
        if isinstance(shape, Rect):
            if shape.w > 0 and shape.h > 0:
                draw.rectangle(
                    [xy(shape.x, shape.y), xy(shape.x + shape.w, shape.y + shape.h)],
                    fill=shape.fill,
                )
        elif isinstance(shape, Line):
            draw.line(
                [xy(shape.x1, shape.y1), xy(shape.x2, shape.y2)],
                fill=shape.stroke,
                width=max(1, round(shape.width * scale)),
            )
        elif isinstance(shape, Text):
            draw.text(
                xy(shape.x, shape.y),
                shape.text,
                fill=shape.fill,
                font=font(shape.size, shape.bold),
                anchor=PIL_ANCHORS[shape.anchor],
            )
        elif isinstance(shape, Shape):
            outer, *holes = shape.rings
            if len(outer) >= 3:
                draw.polygon([xy(x, y) for x, y in outer], fill=shape.fill, outline=shape.stroke)
            for hole in holes:
                if len(hole) >= 3:
                    draw.polygon([xy(x, y) for x, y in hole], fill="white", outline=shape.stroke)
    out = io.BytesIO()
    # The fastest compression: a chart is flat colours, which compress well at any level, and
    # level 6 (the default) took seconds for the charts of a large programme.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def legend_shapes(entries: list[tuple[str, str]], left: float, y: float, width: float):
    """Colour squares with their labels, wrapping; returns the shapes and the y below them."""
    shapes, x = [], left
    for entry_label, colour in entries:
        advance = 24 + 7 * len(entry_label)
        if x > left and x + advance > width - 10:
            x, y = left, y + 18
        shapes.append(Rect(x, y, 12, 12, colour))
        shapes.append(Text(x + 17, y + 11, entry_label, 11))
        x += advance
    return shapes, y + 18


def horizontal_bars(
    items: list[tuple[str, list[tuple[str, Decimal, str]]]],
    *,
    legend: list[tuple[str, str]] | None = None,
    width: int = 680,
    label_width: int = 190,
    bar_height: int = 22,
    gap: int = 10,
    stacked: bool = True,
    value_suffix=lambda total: "",
) -> tuple[list, float]:
    """Shapes of one bar per item: (label, [(segment label, value, colour), ...]), and the height.

    Stacked bars add their segments; grouped bars (stacked=False) draw each segment as a thinner
    bar under the previous one. Each bar's total (or each segment) is printed at its end."""
    left, right, top = label_width + 10, 95, 8
    plot = width - left - right
    if stacked:
        maximum = max((sum(v for _, v, _ in segments) for _, segments in items), default=0)
    else:
        maximum = max((v for _, segments in items for _, v, _ in segments), default=0)
    maximum = max(Decimal(maximum), Decimal(1))
    shapes: list = []
    y = top
    for item_label, segments in items:
        shapes.append(Text(left - 8, y + bar_height / 2 + 4, item_label, 12, "end"))
        if stacked:
            x, total = left, Decimal(0)
            for segment_label, value, colour in segments:
                w = plot * float(Decimal(value) / maximum)
                tip = f"{item_label} – {segment_label}: {number(value)}"
                if value:
                    shapes.append(Rect(x, y, w, bar_height, colour, tip))
                    if w >= 24:
                        shapes.append(
                            Text(x + w / 2, y + bar_height / 2 + 4, number(value), 11, "middle",
                                 "#ffffff", bold=True)
                        )  # fmt: skip
                x += w
                total += Decimal(value)
            shapes.append(
                Text(x + 6, y + bar_height / 2 + 4, number(total) + value_suffix(total), 12,
                     bold=True)
            )  # fmt: skip
        else:
            thin = bar_height / max(len(segments), 1)
            for index, (segment_label, value, colour) in enumerate(segments):
                w = plot * float(Decimal(value) / maximum)
                top_ = y + index * thin
                tip = f"{item_label} – {segment_label}: {number(value)}"
                shapes.append(Rect(left, top_, max(w, 0), thin - 1, colour, tip))
                shapes.append(Text(left + w + 4, top_ + thin / 2 + 3.5, number(value), 9))
        y += bar_height + gap
    shapes.append(Line(left, top - 4, left, y - gap + 4, MUTED))
    if legend:
        more, y = legend_shapes(legend, left, y + 6, width)
        shapes += more
    return shapes, y + 4


def columns(
    months: list[str],
    series: list[tuple[str, list[int], str]],
    *,
    width: int = 680,
    height: int = 260,
) -> list:
    """Stacked columns per month (x) of one or more series, with a y grid and a legend."""
    left, right, top, bottom = 40, 10, 10, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, values, _ in series) for i in range(len(months))]
    maximum = max(totals, default=0) or 1
    step = max(1, nice_step(maximum))
    top_value = step * -(-maximum // step)
    shapes: list = []
    tick = 0
    while tick <= top_value:
        y = top + plot_h * (1 - tick / top_value)
        shapes.append(Line(left, y, left + plot_w, y, GRID))
        shapes.append(Text(left - 6, y + 4, number(tick), 10, "end", MUTED))
        tick += step
    slot = plot_w / max(len(months), 1)
    bar = max(min(slot * 0.7, 36), 2)
    every = max(1, -(-len(months) // 12))
    for i, month in enumerate(months):
        x = left + slot * i + (slot - bar) / 2
        base = top + plot_h
        for series_label, values, colour in series:
            value = values[i]
            if value:
                h = plot_h * value / top_value
                base -= h
                shapes.append(Rect(x, base, bar, h, colour, f"{month} – {series_label}: {value}"))
        if totals[i] and bar >= 10:
            shapes.append(Text(x + bar / 2, base - 3, number(totals[i]), 9, "middle"))
        if i % every == 0:
            shapes.append(Text(x + bar / 2, top + plot_h + 14, month, 9, "middle", MUTED))
    shapes.append(Line(left, top + plot_h, left + plot_w, top + plot_h, MUTED))
    more, _ = legend_shapes(
        [(series_label, colour) for series_label, _, colour in series], left, height - 30, width
    )
    return shapes + more


def nice_step(maximum: float, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10^n) that covers `maximum` in about `ticks` steps."""
    raw = maximum / ticks
    magnitude = 1
    while magnitude * 10 <= raw:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def funnel_chart(round_: ReportRound, labels: dict = UI) -> Chart:
    """A round's applications from submitted to completed guidance."""
    submitted = round_.submitted

    def share(value) -> str:
        return f" ({round(100 * Decimal(value) / submitted)}%)" if submitted else ""

    # The guidance's steps once the round has its first intake.
    steps = FUNNEL_STEPS if round_.intakes_held else FUNNEL_STEPS[:3]
    values = {key: getattr(round_, key) for key in steps}
    items = [(label(labels, key), [(label(labels, key), values[key], BRAND)]) for key in values]
    shapes, height = horizontal_bars(items, value_suffix=share)
    return Chart(
        key=f"funnel-{round_.number}",
        title=label(labels, "funnel", number=round_.number),
        width=680,
        height=round(height),
        shapes=shapes,
        headers=[label(labels, "step"), label(labels, "count"), label(labels, "share")],
        rows=[
            [label(labels, key), value, share(value).strip(" ()")] for key, value in values.items()
        ],
        numeric=[False, True, True],
    )


# A round's chart of person-days draws at most this many bars (the municipalities with the most
# planned days), on the page and in the documents: every one is in the tables.
BARS_PER_CHART = 50


def person_days_chart(
    round_: ReportRound, labels: dict = UI, limit: int | None = None
) -> Chart | None:
    """Planned and registered person-days of each municipality of a round with a trajectory
    (with a limit: the `limit` with the most planned days, and a note saying so)."""
    rows = [row for row in round_.municipalities if row.has_trajectory]
    if not rows:
        return None
    rows.sort(key=lambda row: (-row.person_days_planned, row.name))
    total = len(rows)
    if limit is not None and total > limit:
        rows = rows[:limit]
    planned, registered = label(labels, "planned"), label(labels, "registered")
    items = [
        (
            row.name,
            [
                (planned, row.person_days_planned, "#9bb7df"),
                (registered, row.person_days_consumed, BRAND),
            ],
        )
        for row in rows
    ]
    shapes, height = horizontal_bars(
        items,
        stacked=False,
        bar_height=16,
        gap=5,
        label_width=150,
        legend=[(planned, "#9bb7df"), (registered, BRAND)],
    )
    return Chart(
        key=f"person-days-{round_.number}",
        title=f"{label(labels, 'person_days')} – {label(labels, 'round', number=round_.number)}",
        width=680,
        height=round(height),
        shapes=shapes,
        headers=[label(labels, "municipality"), planned, registered],
        rows=[
            [row.name, number(row.person_days_planned), number(row.person_days_consumed)]
            for row in rows
        ],
        numeric=[False, True, True],
        note=label(labels, "largest", shown=len(rows), total=total) if len(rows) < total else "",
    )


def month_label(day) -> str:
    return formats.month(day)


def completions_chart(report: StatusReport, labels: dict = UI) -> Chart | None:
    """Trajectories completed per month, and those expected to complete (the median forecast),
    month by month."""
    done, expected = {}, {}
    for round_ in report.rounds:
        for row in round_.municipalities:
            if row.completed_on:
                month = row.completed_on.replace(day=1)
                done[month] = done.get(month, 0) + 1
            elif row.expected_completion_p50 and row.trajectory_state != "stopped":
                month = row.expected_completion_p50.replace(day=1)
                expected[month] = expected.get(month, 0) + 1
    if not done and not expected:
        return None
    first, last = min([*done, *expected]), max([*done, *expected])
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    completed_label, expected_label = label(labels, "completed"), label(labels, "expected")
    series = [
        (completed_label, [done.get(m, 0) for m in months], STATUS_COLOURS["accepted"]),
        (expected_label, [expected.get(m, 0) for m in months], "#a9cfb4"),
    ]
    # The table lists the months in which something completes; the chart shows every month.
    cumulative, rows = 0, []
    for m in months:
        cumulative += done.get(m, 0) + expected.get(m, 0)
        if done.get(m) or expected.get(m):
            rows.append([month_label(m), done.get(m, 0), expected.get(m, 0), cumulative])
    return Chart(
        key="completions",
        title=label(labels, "completions"),
        width=680,
        height=260,
        shapes=columns([month_label(m) for m in months], series),
        headers=[
            label(labels, "month"),
            completed_label,
            expected_label,
            label(labels, "cumulative"),
        ],
        rows=rows,
        numeric=[False, True, True, True],
    )


def status_segments(round_: ReportRound) -> dict[str, int]:
    """The round's applications split by their status on the date (each counted once)."""
    return {key: getattr(round_, key) for key in STACK_ORDER}


def statuses_chart(report: StatusReport, labels: dict = UI) -> Chart:
    """Every round as one bar, split by status."""
    names = {key: label(labels, key) for key in STACK_ORDER}
    items, rows = [], []
    for round_ in report.rounds:
        segments = status_segments(round_)
        round_label = label(labels, "round", number=round_.number)
        items.append(
            (round_label, [(names[key], segments[key], STATUS_COLOURS[key]) for key in STACK_ORDER])
        )
        rows.append([round_label, *(segments[key] for key in STACK_ORDER), round_.submitted])
    shapes, height = horizontal_bars(
        items, legend=[(names[key], STATUS_COLOURS[key]) for key in STACK_ORDER], label_width=110
    )
    return Chart(
        key="statuses",
        title=label(labels, "statuses"),
        width=680,
        height=round(height),
        shapes=shapes,
        headers=[
            label(labels, "round_header"),
            *(names[key] for key in STACK_ORDER),
            label(labels, "submitted"),
        ],
        rows=rows,
        numeric=[False] + [True] * (len(STACK_ORDER) + 1),
    )


def round_charts(round_: ReportRound, labels: dict = UI, limit: int | None = None) -> list[Chart]:
    """The pictures of one round: its funnel and its person-days per municipality (at most
    `limit` bars)."""
    if not round_.submitted:
        return []
    return [
        c for c in (funnel_chart(round_, labels), person_days_chart(round_, labels, limit)) if c
    ]


def programme_charts(report: StatusReport, labels: dict = UI) -> list[Chart]:
    """The pictures of the whole report: applications per round and status, completions."""
    if not report.rounds:
        return []
    return [c for c in (statuses_chart(report, labels), completions_chart(report, labels)) if c]
