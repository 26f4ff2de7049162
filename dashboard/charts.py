"""Server-rendered charts: inline SVG, the same figures as rows for a table and a CSV download.

No JavaScript and nothing loaded from elsewhere, so a chart shows the same in a browser, in print
and in a WeasyPrint PDF. The SVG carries only presentation attributes (no ``style``), which the
Content-Security-Policy (``style-src 'self'``) allows.

    chart = Chart(key="documents-weekly", title=_("Documents per week"), categories=["W41", "W42"],
                  series=[Series(_("Registered"), [12, 15]), Series(_("Answered"), [10, None])])
    charts.svg(chart)          # <svg role="img" …>
    charts.rows(chart)         # [["Category", "Registered", "Answered"], ["W41", 12, 10], …]
    charts.csv_response(chart, filename="documents-weekly.csv")

Templates use ``{% load dashboard_charts %}{% chart chart csv_url %}``.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.downloads import csv_cell


@dataclass
class Series:
    label: str  # already translated, e.g. "Registered"
    values: list[float | int | None]  # one per category; None = no data (draw nothing, table "–")


@dataclass
class Chart:
    key: str  # slug, unique on a page: the figure's id and the CSV name
    title: str  # translated
    categories: list[str]  # x-axis labels (e.g. "12.10", "W42", "Oct 2026") or names
    series: list[Series]
    kind: str = "bars"  # "bars": grouped vertical bars; "line": lines with markers;
    # "hbars": horizontal grouped bars (many named categories, e.g.
    # 12 MTR activity areas with long Estonian names)
    unit: str = ""  # "" (counts), "%", "days", "€"
    note: str = ""  # one translated sentence under the title (how it is counted)
    max_value: float | None = None  # fixed axis top (100 for percentages); else computed


KINDS = ("bars", "line", "hbars")

# Each at least 4.8:1 against white (WCAG 1.4.11 asks 3:1) and apart in lightness or hue for
# protanopia and deuteranopia (checked with the Machado 2009 simulation). Lines also differ by
# dash pattern and marker shape; the table below each chart has every figure.
PALETTE = ("#1f5fa8", "#b35900", "#1b5e20", "#a3195b")
DASHES = ("", "7 4", "2 3", "9 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")

TEXT = "#212529"
MUTED = "#495057"
GRID = "#dee2e6"
AXIS = "#6c757d"

WIDTH = 600
FONT = 13  # user units; the SVG is scaled to the column (about 1:1 in a .col-lg-6)
CHAR = 0.62 * FONT  # a generous average glyph width (DejaVu Sans is wide)
MAX_CATEGORY_LABELS = 14
NO_DATA = "–"


# --- Numbers --------------------------------------------------------------------------------


def is_empty(chart: Chart) -> bool:
    """Nothing to draw: no categories, or every value missing or zero."""
    if not chart.categories:
        return True
    return not any(value for s in chart.series for value in s.values if value is not None)


def _values(chart: Chart) -> list[float]:
    return [float(v) for s in chart.series for v in s.values if v is not None]


def value_decimals(chart: Chart) -> int:
    """0 when every value is whole, else 1 (shares, medians)."""
    return 0 if all(float(v).is_integer() for v in _values(chart)) else 1


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for nice in (1, 2, 2.5, 5, 10):
        if raw / magnitude <= nice + 1e-9:
            return nice * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def axis_ticks(chart: Chart) -> list[float]:
    """4–5 "nice" gridline values from 0 to the axis top: 0, 25, 50, 75, 100 for a percentage
    with ``max_value=100``; 0, 5, 10, 15 for counts up to 14. Counts never get fractional steps."""
    values = _values(chart)
    data_max = max([0.0, *values])
    whole = chart.unit in ("", "€") or value_decimals(chart) == 0
    if chart.max_value and chart.max_value >= data_max:
        top = float(chart.max_value)
        step = _nice_step(top / 4)
        if whole:
            step = max(step, 1.0)
        ticks = [i * step for i in range(int(top / step + 1e-9) + 1)]
        if not math.isclose(ticks[-1], top):
            ticks.append(top)
        return ticks
    if data_max <= 0:
        return [0.0, 1.0]
    step = _nice_step(data_max / 4)
    if whole:
        step = max(step, 1.0)
    count = math.ceil(data_max / step - 1e-9)
    return [i * step for i in range(count + 1)]


def _tick_decimals(ticks: list[float]) -> int:
    return (
        0
        if all(float(t).is_integer() for t in ticks)
        else (1 if all(float(t * 10).is_integer() for t in ticks) else 2)
    )


def format_number(value, decimals: int) -> str:
    """In the active language: ``1 234,5`` in Estonian (no-break spaces)."""
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def unit_suffix(unit: str) -> str:
    """What follows a number in a cell: "%" and "€" as they are, "days" translated."""
    if unit == "days":
        return gettext("days")
    return unit


def format_value(value, unit: str, decimals: int) -> str:
    """A figure for people: ``87,5 %``, ``1 200 €``, ``4,5 days``; ``–`` for no data."""
    if value is None:
        return NO_DATA
    text = format_number(value, decimals)
    suffix = unit_suffix(unit)
    return f"{text}\xa0{suffix}" if suffix else text


def plain_number(value) -> str:
    """A number for a spreadsheet: dot decimal, no grouping, no trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    number = Decimal(str(round(float(value), 6)) if isinstance(value, float) else value)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


# --- Rows and CSV ---------------------------------------------------------------------------


def category_heading() -> str:
    return gettext("Category")


def rows(chart: Chart) -> list[list]:
    """The figures as a table: a header row [first column label, *series labels], then one row
    per category with the raw values (None where there is no data)."""
    header = [category_heading(), *(s.label for s in chart.series)]
    body = [
        [category, *(_value_at(s, index) for s in chart.series)]
        for index, category in enumerate(chart.categories)
    ]
    return [header, *body]


def _value_at(series: Series, index: int):
    return series.values[index] if index < len(series.values) else None


def csv_response(chart: Chart, *, filename: str) -> HttpResponse:
    """The chart's figures as a CSV download: UTF-8 with a BOM (Excel shows õäöü right), text
    cells defused against formula injection, numbers plain (``1234.5``) so spreadsheets parse
    them. A unit goes into the column heading: "Share on time (%)"."""
    if not filename.lower().endswith(".csv"):
        filename = f"{filename}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")
    writer = csv.writer(response)
    header, *body = rows(chart)
    suffix = unit_suffix(chart.unit)
    if suffix:
        header = [header[0], *(f"{label} ({suffix})" for label in header[1:])]
    writer.writerow([csv_cell(cell) for cell in header])
    for category, *values in body:
        writer.writerow([csv_cell(category), *(plain_number(v) for v in values)])
    return response


# --- SVG ------------------------------------------------------------------------------------


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


def svg(chart: Chart) -> SafeString:
    """The chart as a complete inline ``<svg>``; an empty string when there is nothing to draw
    (the include then says "No data for this period.")."""
    if chart.kind not in KINDS:
        raise ValueError(f"Unknown chart kind {chart.kind!r}; use one of {KINDS}")
    if is_empty(chart):
        return mark_safe("")  # noqa: S308 - a constant
    if chart.kind == "hbars":
        return _hbars(chart)
    return _columns(chart)


def _columns(chart: Chart) -> SafeString:
    """Vertical bars or lines over the categories."""
    ticks = axis_ticks(chart)
    top_value = ticks[-1] or 1.0
    decimals = _tick_decimals(ticks)
    tick_labels = [_tick_label(t, chart, decimals) for t in ticks]
    legend, legend_height = _legend(chart, 0)
    unit_caption = unit_suffix(chart.unit) if chart.unit == "days" else ""

    left = max(_text_width(label) for label in tick_labels) + 10
    right = 8.0
    plot_top = legend_height + (22 if unit_caption else 10)
    plot_height = 220.0
    plot_bottom = plot_top + plot_height
    height = plot_bottom + 26
    plot_width = WIDTH - left - right
    n = len(chart.categories)
    band = plot_width / n

    def y_of(value: float) -> float:
        return plot_bottom - plot_height * min(max(float(value), 0.0), top_value) / top_value

    parts = [_svg_open(chart, height, _description(chart)), legend]
    grid = []
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        grid.append(
            _tag(
                "line",
                x1=_n(left),
                y1=_n(y),
                x2=_n(WIDTH - right),
                y2=_n(y),
                stroke=AXIS if tick == 0 else GRID,
                stroke_width="1",
            )
        )
        grid.append(_text(left - 6, y, label, anchor="end", fill=MUTED))
    if unit_caption:
        grid.append(_text(0, plot_top - 14, unit_caption, fill=MUTED))
    parts.append(_tag("g", "".join(grid), class_="chart-axis"))

    step = _label_step(chart.categories, band)
    labels = [
        _text(
            left + band * (i + 0.5),
            plot_bottom + 14,
            category,
            anchor="middle",
            fill=MUTED,
            class_="chart-category",
        )
        for i, category in enumerate(chart.categories)
        if i % step == 0
    ]
    parts.append(_tag("g", "".join(labels), class_="chart-categories"))

    if chart.kind == "line":
        parts.append(_lines(chart, left, band, y_of))
    else:
        parts.append(_bars(chart, left, band, y_of, plot_bottom))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text went through escape()


def _bar_title(chart: Chart, category: str, series: Series, value, decimals: int) -> str:
    return _tag(
        "title", escape(f"{category}, {series.label}: {format_value(value, chart.unit, decimals)}")
    )


def _bars(chart: Chart, left: float, band: float, y_of, plot_bottom: float) -> str:
    count = len(chart.series)
    group = band * (0.8 if band > 12 else 0.9)
    width = group / count
    gap = min(1.0, width * 0.15) if count > 1 else 0.0
    decimals = value_decimals(chart)
    parts = []
    for index, s in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        bars = []
        for i, category in enumerate(chart.categories):
            value = _value_at(s, i)
            if value is None:
                continue
            x = left + band * i + (band - group) / 2 + width * index
            y = min(y_of(value), plot_bottom - 1)  # a zero is a hairline, unlike no data
            bars.append(
                _tag(
                    "rect",
                    _bar_title(chart, category, s, value, decimals),
                    x=_n(x + gap / 2),
                    y=_n(y),
                    width=_n(max(width - gap, 0.5)),
                    height=_n(plot_bottom - y),
                    fill=colour,
                    class_="chart-bar",
                )
            )
        parts.append(_tag("g", "".join(bars), class_="chart-series"))
    return "".join(parts)


def _lines(chart: Chart, left: float, band: float, y_of) -> str:
    radius = max(1.5, min(3.5, band / 3))
    decimals = value_decimals(chart)
    parts = []
    for index, s in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        commands, markers, pen_down = [], [], False
        for i, category in enumerate(chart.categories):
            value = _value_at(s, i)
            if value is None:
                pen_down = False  # a gap in the data is a gap in the line
                continue
            x, y = left + band * (i + 0.5), y_of(value)
            commands.append(f"{'L' if pen_down else 'M'}{_n(x)} {_n(y)}")
            pen_down = True
            markers.append(
                _tag(
                    "g",
                    _bar_title(chart, category, s, value, decimals)
                    + _marker(MARKERS[index % len(MARKERS)], x, y, radius, colour),
                )
            )
        path = _tag(
            "path",
            d=" ".join(commands),
            fill="none",
            stroke=colour,
            stroke_width="2",
            stroke_linejoin="round",
            stroke_dasharray=DASHES[index % len(DASHES)],
            class_="chart-line",
        )
        parts.append(_tag("g", path + "".join(markers), class_="chart-series"))
    return "".join(parts)


def _wrap(label: str, width: float, lines: int = 2) -> list[str]:
    """``label`` in at most ``lines`` lines of ``width``; the last one ends in "…" when cut."""
    per_line = max(4, int(width / CHAR))
    words, result, current = label.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    result.append(current)
    result = [line if len(line) <= per_line else line[: per_line - 1] + "…" for line in result]
    if len(result) > lines:
        last = " ".join(result[lines - 1 :])
        result = [*result[: lines - 1], last[: per_line - 1].rstrip() + "…"]
    return result


def _hbars(chart: Chart) -> SafeString:
    """Horizontal bars: one row per named category, the names wrapped on the left."""
    ticks = axis_ticks(chart)
    top_value = ticks[-1] or 1.0
    decimals = _tick_decimals(ticks)
    tick_labels = [_tick_label(t, chart, decimals) for t in ticks]
    legend, legend_height = _legend(chart, 0)

    label_width = min(max(_text_width(c) for c in chart.categories), WIDTH * 0.36)
    wrapped = [_wrap(c, label_width) for c in chart.categories]
    label_width = max(_text_width(line) for lines in wrapped for line in lines)
    left = label_width + 10
    right = _text_width(tick_labels[-1]) / 2 + 4
    count = len(chart.series)
    bar = 11.0 if count > 1 else 14.0
    row = max(bar * count + 10, max(len(lines) for lines in wrapped) * (FONT + 2) + 8)
    plot_top = legend_height + 10
    plot_height = row * len(chart.categories)
    plot_bottom = plot_top + plot_height
    height = plot_bottom + 24
    plot_width = WIDTH - left - right

    def x_of(value: float) -> float:
        return left + plot_width * min(max(float(value), 0.0), top_value) / top_value

    parts = [_svg_open(chart, height, _description(chart)), legend]
    grid = []
    for tick, label in zip(ticks, tick_labels, strict=True):
        x = x_of(tick)
        grid.append(
            _tag(
                "line",
                x1=_n(x),
                y1=_n(plot_top),
                x2=_n(x),
                y2=_n(plot_bottom),
                stroke=AXIS if tick == 0 else GRID,
                stroke_width="1",
            )
        )
        grid.append(_text(x, plot_bottom + 12, label, anchor="middle", fill=MUTED))
    parts.append(_tag("g", "".join(grid), class_="chart-axis"))

    labels = []
    for i, lines in enumerate(wrapped):
        middle = plot_top + row * (i + 0.5)
        first = middle - (len(lines) - 1) * (FONT + 2) / 2
        text = "".join(
            _text(left - 6, first + j * (FONT + 2), line, anchor="end", class_="chart-category")
            for j, line in enumerate(lines)
        )
        labels.append(_tag("g", _tag("title", escape(chart.categories[i])) + text))
    parts.append(_tag("g", "".join(labels), class_="chart-categories"))

    decimals = value_decimals(chart)
    for index, s in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        bars = []
        for i, category in enumerate(chart.categories):
            value = _value_at(s, i)
            if value is None:
                continue
            y = plot_top + row * i + (row - bar * count) / 2 + bar * index
            width = max(x_of(value) - left, 1.0)
            bars.append(
                _tag(
                    "rect",
                    _bar_title(chart, category, s, value, decimals),
                    x=_n(left),
                    y=_n(y + 0.5),
                    width=_n(width),
                    height=_n(bar - 1),
                    fill=colour,
                    class_="chart-bar",
                )
            )
        parts.append(_tag("g", "".join(bars), class_="chart-series"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text went through escape()
