"""Estonian working days and office hours.

Working days are Monday to Friday except Estonian public holidays; the working day before
24 February, 23 June, 24 December and 1 January is three hours shorter (Employment Contracts
Act, TLS § 53 (1)).
Holidays come from the ``holidays`` package, never from a hand-written list.

Office-hour arithmetic is done in local wall time (``settings.TIME_ZONE``) day by day, so a DST
change never shifts a result: 09:00 stays 09:00.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "add_working_days",
    "add_working_hours",
    "is_shortened_day",
    "is_working_day",
    "next_working_day",
    "office_hours",
    "registration_day",
    "working_days_between",
    "working_hours_between",
]

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("EE", years=year, categories=("public",)))


@lru_cache(maxsize=64)
def _pre_holiday_days(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("EE", years=year, categories=("half_day",)))


def _setting(name: str, default: Any) -> Any:
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:  # settings not configured at all (plain scripts)
        return default


def _tz() -> ZoneInfo:
    return ZoneInfo(_setting("TIME_ZONE", None) or "Europe/Tallinn")


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an Estonian public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    day += ONE_DAY
    while not is_working_day(day):
        day += ONE_DAY
    return day


def registration_day(received_on: date) -> date:
    """``received_on`` if it is a working day, else the next working day."""
    return received_on if is_working_day(received_on) else next_working_day(received_on)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (before it when ``days`` < 0).

    ``start`` itself never counts; ``days == 0`` returns ``start`` unchanged.
    """
    step = ONE_DAY if days >= 0 else -ONE_DAY
    day, remaining = start, abs(days)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days d with ``a < d <= b``; if ``b < a``, minus those with ``b <= d < a``.

    The inverse of :func:`add_working_days`: ``working_days_between(a, add_working_days(a, n))
    == n`` for every ``a`` and ``n``. (So it is antisymmetric only when ``a`` and ``b`` are both
    working days or both days off.)
    """
    if b >= a:
        first, last, sign = a + ONE_DAY, b, 1
    else:
        first, last, sign = b, a - ONE_DAY, -1
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)
        day += ONE_DAY
    return sign * count


def is_shortened_day(day: date) -> bool:
    """A working day shortened because a holiday follows (a weekend pre-holiday day is not)."""
    return is_working_day(day) and day in _pre_holiday_days(day.year)


def _wall_hours(day: date) -> tuple[datetime, datetime] | None:
    """Naive local (wall-time) opening and closing of ``day``, None on a day off."""
    if not is_working_day(day):
        return None
    opens = datetime.combine(day, _setting("OFFICE_DAY_START", time(9)).replace(tzinfo=None))
    closes = datetime.combine(day, _setting("OFFICE_DAY_END", time(17)).replace(tzinfo=None))
    if is_shortened_day(day):
        closes -= timedelta(hours=_setting("PRE_HOLIDAY_SHORTENED_HOURS", 3))
    return opens, max(opens, closes)


def office_hours(day: date) -> tuple[datetime, datetime] | None:
    """Aware local opening and closing moments of ``day``; None on a day off."""
    hours = _wall_hours(day)
    if hours is None:
        return None
    tz = _tz()
    return hours[0].replace(tzinfo=tz), hours[1].replace(tzinfo=tz)


def _local_wall(moment: datetime, tz: ZoneInfo) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("An aware datetime is required, got a naive one.")
    return moment.astimezone(tz).replace(tzinfo=None)


def add_working_hours(start: datetime, hours: float | timedelta) -> datetime:
    """The moment when ``hours`` of office time have passed since ``start``.

    Time before opening counts from opening, time after closing from the next working day's
    opening; a result that fills a day exactly is that day's closing time. ``hours == 0``
    returns ``start`` itself (in local time), even outside office hours. Raises ValueError
    for a naive ``start`` or negative ``hours``. The result is aware, in ``settings.TIME_ZONE``.
    """
    tz = _tz()
    wall = _local_wall(start, tz)
    remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
    if remaining < timedelta(0):
        raise ValueError("hours must not be negative.")
    if not remaining:
        return start.astimezone(tz)
    day = wall.date()
    while True:
        window = _wall_hours(day)
        if window is not None:
            cursor = max(wall, window[0])
            available = window[1] - cursor
            if available > timedelta(0):
                if remaining <= available:
                    return (cursor + remaining).replace(tzinfo=tz)
                remaining -= available
        day += ONE_DAY


def working_hours_between(start: datetime, end: datetime) -> timedelta:
    """Office time between two aware moments; zero if ``end <= start``.

    ``working_hours_between(s, add_working_hours(s, h)) == h``.
    """
    tz = _tz()
    wall_start, wall_end = _local_wall(start, tz), _local_wall(end, tz)
    total = timedelta(0)
    if end <= start:
        return total
    day = wall_start.date()
    while day <= wall_end.date():
        window = _wall_hours(day)
        if window is not None:
            span = min(wall_end, window[1]) - max(wall_start, window[0])
            total += max(span, timedelta(0))
        day += ONE_DAY
    return total
