"""Aggregates PostgreSQL has and Django does not name: the median (and other percentiles)."""

from __future__ import annotations

from django.db.models import Aggregate, FloatField, Func, IntegerField


class Percentile(Aggregate):
    """``PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY expression)``: the continuous percentile, as
    a float; None over no rows. Takes ``filter=`` like Django's own aggregates."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float = 0.5, **extra):
        if not 0 <= percentile <= 1:
            raise ValueError("percentile must be between 0 and 1")
        super().__init__(expression, percentile=float(percentile), **extra)


class Median(Percentile):
    name = "Median"

    def __init__(self, expression, **extra):
        super().__init__(expression, percentile=0.5, **extra)


class DaysBetween(Func):
    """``end - start`` of two dates as a whole number of days (PostgreSQL's date subtraction;
    Django's own makes an interval of it)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)
