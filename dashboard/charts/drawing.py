"""The pieces of a chart's SVG (no script, no CDN): numbers and attributes written compactly, text
and its width, a marker shape for each series (never colour alone), the legend, the labels of
the axis, and the drawing's opening with its title and description."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.translation import gettext

from dashboard.charts.model import (
    DASHES,
    FONT,
    MARKERS,
    MAX_CATEGORY_LABELS,
    PALETTE,
    TEXT,
    WIDTH,
    Chart,
)
from dashboard.charts.numbers import format_number


def _n(x: float) -> str:
    """A coordinate, short."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float = FONT) -> float:
    return len(text) * 0.62 * size


def _attrs(**attrs) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not None and value != ""
    )


def _tag(name: str, content: str = "", **attrs) -> str:
    if content:
        return f"<{name}{_attrs(**attrs)}>{content}</{name}>"
    return f"<{name}{_attrs(**attrs)}/>"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = FONT,
    anchor: str = "start",
    fill: str = TEXT,
    **attrs,
) -> str:
    """Text whose middle sits on ``y`` (baseline moved by hand: WeasyPrint ignores
    dominant-baseline)."""
    return _tag(
        "text",
        escape(text),
        x=_n(x),
        y=_n(y + size * 0.35),
        font_size=_n(size),
        text_anchor=None if anchor == "start" else anchor,
        fill=fill,
        **attrs,
    )


def _marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    if shape == "circle":
        return _tag("circle", cx=_n(x), cy=_n(y), r=_n(r), fill=colour)
    if shape == "square":
        s = r * 0.9
        return _tag(
            "rect", x=_n(x - s), y=_n(y - s), width=_n(2 * s), height=_n(2 * s), fill=colour
        )
    if shape == "triangle":
        t = r * 1.2
        points = f"{_n(x)},{_n(y - t)} {_n(x + t)},{_n(y + t * 0.8)} {_n(x - t)},{_n(y + t * 0.8)}"
        return _tag("polygon", points=points, fill=colour)
    d = r * 1.25
    points = f"{_n(x)},{_n(y - d)} {_n(x + d)},{_n(y)} {_n(x)},{_n(y + d)} {_n(x - d)},{_n(y)}"
    return _tag("polygon", points=points, fill=colour)


def _legend(chart: Chart, top: float) -> tuple[str, float]:
    """Swatches and labels, wrapped over as many rows as they need; returns (svg, height)."""
    if len(chart.series) < 2:
        return "", 0.0
    parts, x, y, row = [], 0.0, top + 8, 18.0
    for index, s in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        width = 22 + _text_width(s.label) + 18
        if x and x + width > WIDTH:
            x, y = 0.0, y + row
        if chart.kind == "line":
            parts.append(
                _tag(
                    "line",
                    x1=_n(x),
                    y1=_n(y),
                    x2=_n(x + 18),
                    y2=_n(y),
                    stroke=colour,
                    stroke_width="2.5",
                    stroke_dasharray=DASHES[index % len(DASHES)],
                )
            )
            parts.append(_marker(MARKERS[index % len(MARKERS)], x + 9, y, 3.5, colour))
        else:
            parts.append(
                _tag("rect", x=_n(x + 4), y=_n(y - 6), width="12", height="12", fill=colour)
            )
        parts.append(_text(x + 24, y, s.label))
        x += width
    return _tag("g", "".join(parts), class_="chart-legend"), y - top + 12


def _label_step(labels: list[str], band: float) -> int:
    """Show every n-th category label so that they do not overlap."""
    widest = max((_text_width(label) for label in labels), default=0)
    step = max(1, math.ceil(len(labels) / MAX_CATEGORY_LABELS), math.ceil((widest + 6) / band))
    return step


def _tick_label(value: float, chart: Chart, decimals: int) -> str:
    text = format_number(value, decimals)
    return f"{text}\xa0{chart.unit}" if chart.unit in ("%", "€") else text


def _svg_open(chart: Chart, height: float, kind_text: str) -> str:
    key = escape(chart.key)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="100%"'
        f' viewBox="0 0 {WIDTH} {_n(height)}" preserveAspectRatio="xMidYMid meet" role="img"'
        f' aria-labelledby="chart-{key}-title chart-{key}-desc">'
        f'<title id="chart-{key}-title">{escape(chart.title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(kind_text)}</desc>'
    )


def _description(chart: Chart) -> str:
    if chart.kind == "line":
        return gettext("Line chart; the table below has the figures.")
    if chart.kind == "hbars":
        return gettext("Horizontal bar chart; the table below has the figures.")
    return gettext("Bar chart; the table below has the figures.")
