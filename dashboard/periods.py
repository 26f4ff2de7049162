"""The periods the trends are shown over, and their buckets (days, weeks or months)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT = "12w"


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    kind: str  # the bucket: "day", "week" or "month"
    start: date
    end: date

    def buckets(self) -> list[date]:
        """The first day of every bucket from start to end, in order."""
        days = []
        day = self.start
        while day <= self.end:
            days.append(day)
            if self.kind == "day":
                day += timedelta(days=1)
            elif self.kind == "week":
                day += timedelta(days=7)
            else:
                day = _add_months(day, 1)
        return days

    def bucket_label(self, day: date) -> str:
        if self.kind == "month":
            return formats.date_format(day, "M Y")
        return formats.date_format(day, "d.m")

    @property
    def kind_label(self) -> str:
        return str(
            {"day": _("per day"), "week": _("per week (from Monday)"), "month": _("per month")}[
                self.kind
            ]
        )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def choices() -> list[tuple[str, str]]:
    return [
        ("week", pgettext_lazy("trend period", "Last 7 days")),
        ("month", pgettext_lazy("trend period", "Last 30 days")),
        ("12w", pgettext_lazy("trend period", "Last 12 weeks")),
        ("quarter", pgettext_lazy("trend period", "Last quarter (13 weeks)")),
        ("year", pgettext_lazy("trend period", "Last 12 months")),
    ]


def get(key: str | None, *, today: date) -> Period:
    """The period of ``key`` ending today (the default for anything unknown)."""
    labels = dict(choices())
    if key not in labels:
        key = DEFAULT
    monday = today - timedelta(days=today.weekday())
    if key == "week":
        return Period(key, str(labels[key]), "day", today - timedelta(days=6), today)
    if key == "month":
        return Period(key, str(labels[key]), "day", today - timedelta(days=29), today)
    if key == "quarter":
        return Period(key, str(labels[key]), "week", monday - timedelta(weeks=12), today)
    if key == "year":
        return Period(key, str(labels[key]), "month", _add_months(today.replace(day=1), -11), today)
    return Period(key, str(labels[key]), "week", monday - timedelta(weeks=11), today)
