"""A chart as data: its categories, series, unit and kind (columns, bars, lines), the palette and
the sizes of the drawing."""

from __future__ import annotations

from dataclasses import dataclass


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
