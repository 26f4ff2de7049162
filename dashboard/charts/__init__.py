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

from django.utils.safestring import SafeString, mark_safe

from dashboard.charts.drawing import (  # noqa: F401 - the package's names
    _attrs,
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
from dashboard.charts.model import (  # noqa: F401 - the package's names
    AXIS,
    CHAR,
    DASHES,
    FONT,
    GRID,
    KINDS,
    MARKERS,
    MAX_CATEGORY_LABELS,
    MUTED,
    NO_DATA,
    PALETTE,
    TEXT,
    WIDTH,
    Chart,
    Series,
)
from dashboard.charts.numbers import (  # noqa: F401 - the package's names
    _nice_step,
    _tick_decimals,
    _values,
    axis_ticks,
    format_number,
    format_value,
    is_empty,
    plain_number,
    unit_suffix,
    value_decimals,
)
from dashboard.charts.plots import (  # noqa: F401 - the package's names
    _bar_title,
    _bars,
    _columns,
    _hbars,
    _lines,
    _wrap,
)
from dashboard.charts.tables import (  # noqa: F401 - the package's names
    _value_at,
    category_heading,
    csv_response,
    rows,
)


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
