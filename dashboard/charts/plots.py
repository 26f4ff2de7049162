"""The plots of a chart: columns (grouped), lines and horizontal bars with their axes, each value's
title for a pointer and a screen reader."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dashboard.charts.drawing import (
    _description,
    _label_step,
    _legend,
    _marker,
    _n,
    _svg_open,
    _tag,
    _text,
    _text_width,
    _tick_label,
)
from dashboard.charts.model import (
    AXIS,
    CHAR,
    DASHES,
    FONT,
    GRID,
    MARKERS,
    MUTED,
    PALETTE,
    WIDTH,
    Chart,
    Series,
)
from dashboard.charts.numbers import (
    _tick_decimals,
    axis_ticks,
    format_value,
    unit_suffix,
    value_decimals,
)
from dashboard.charts.tables import _value_at


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
    parts.append(_column_grid(ticks, tick_labels, y_of, left, plot_top, unit_caption))

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


def _column_grid(ticks, tick_labels, y_of, left: float, plot_top: float, caption: str) -> str:
    """The columns' horizontal grid lines (the zero line darker) with their labels, and the
    unit above them when it is days."""
    right = 8.0
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
    if caption:
        grid.append(_text(0, plot_top - 14, caption, fill=MUTED))
    return _tag("g", "".join(grid), class_="chart-axis")


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
    parts.append(_hbar_grid(ticks, tick_labels, x_of, plot_top, plot_bottom))
    parts.append(_hbar_labels(chart, wrapped, left, plot_top, row))

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


def _hbar_grid(ticks, tick_labels, x_of, plot_top: float, plot_bottom: float) -> str:
    """The horizontal bars' vertical grid lines (the zero line darker) with their labels."""
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
    return _tag("g", "".join(grid), class_="chart-axis")


def _hbar_labels(chart: Chart, wrapped, left: float, plot_top: float, row: float) -> str:
    """The categories' names on the left of their rows, wrapped, each with its full name as a
    title."""
    labels = []
    for i, lines in enumerate(wrapped):
        middle = plot_top + row * (i + 0.5)
        first = middle - (len(lines) - 1) * (FONT + 2) / 2
        text = "".join(
            _text(left - 6, first + j * (FONT + 2), line, anchor="end", class_="chart-category")
            for j, line in enumerate(lines)
        )
        labels.append(_tag("g", _tag("title", escape(chart.categories[i])) + text))
    return _tag("g", "".join(labels), class_="chart-categories")
