"""A chart's numbers: the axis ticks at nice steps, decimals, and values written with their unit in
the reader's language."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext

from dashboard.charts.model import NO_DATA, Chart


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
