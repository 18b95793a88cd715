"""Server-rendered SVG charts: no JavaScript, readable without colour (each line has a dash
pattern and a label), always shown next to a data table with the same figures."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from profploeg.lib import formats


@dataclass
class Series:
    label: str
    values: Sequence[Decimal]
    colour: str
    dash: str = ""


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^n) that covers `maximum` in about `ticks` steps."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    width: int = 720,
    height: int = 320,
    y_format=lambda value: formats.number(round(value)),
) -> SafeString:
    """A line chart with a y grid, x labels (thinned out) and a legend, as inline SVG."""
    left, right, top, bottom = 90, 20, 20, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum = max((float(v) for s in series for v in s.values), default=0.0)
    step = nice_step(maximum)
    top_value = step * max(1, -(-maximum // step))
    count = max(len(x_labels), 2)

    def x(index: int) -> float:
        return left + plot_w * index / (count - 1)

    def y(value) -> float:
        return top + plot_h * (1 - float(value) / top_value)

    grid = []
    tick = 0.0
    while tick <= top_value + 1e-9:
        grid.append((y(tick), y_format(tick)))
        tick += step
    every = max(1, -(-len(x_labels) // 12))
    labels = [(x(i), label) for i, label in enumerate(x_labels) if i % every == 0]
    lines = [
        (
            s.colour,
            s.dash,
            " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values)),
        )
        for s in series
    ]
    legend = [(left + 170 * i, s.colour, s.dash, s.label) for i, s in enumerate(series)]
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
        '<g font-size="11" fill="#555">{grid}{xlabels}</g>'
        '<line x1="{left}" y1="{base}" x2="{right_edge}" y2="{base}" stroke="#767676"/>'
        "{lines}<g font-size="
        '"12">{legend}</g></svg>',
        w=width,
        h=height,
        title=title,
        left=left,
        base=top + plot_h,
        right_edge=left + plot_w,
        grid=format_html_join(
            "",
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#e3e3e3"/>'
            '<text x="{}" y="{}" text-anchor="end">{}</text>',
            (
                (left, f"{gy:.1f}", left + plot_w, f"{gy:.1f}", left - 6, f"{gy + 4:.1f}", text)
                for gy, text in grid
            ),
        ),
        xlabels=format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle">{}</text>',
            ((f"{gx:.1f}", top + plot_h + 16, text) for gx, text in labels),
        ),
        lines=format_html_join(
            "",
            '<polyline fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}" '
            'points="{}"/>',
            lines,
        ),
        legend=format_html_join(
            "",
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5" '
            'stroke-dasharray="{}"/><text x="{}" y="{}">{}</text>',
            (
                (lx, height - 18, lx + 24, height - 18, colour, dash, lx + 30, height - 14, label)
                for lx, colour, dash, label in legend
            ),
        ),
    )
