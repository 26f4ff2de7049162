"""Reads of MTR applications that the dashboards use: the queue's counts, the areas' speed and
the figures of a period. Each function runs one or two aggregate queries whatever the number of
applications; ``user`` narrows the figures to the applications that person holds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Trunc, TruncDate
from django.utils import timezone

from core.aggregates import DaysBetween, Median
from core.counts import count_rows
from mtr.models import Application, DeficiencyRequest

Status = Application.Status
DECIDED = (Status.GRANTED, Status.REFUSED)
SOON_DAYS = 5  # "due soon": the deadline is at most this many days away


def due_q(due: str, today: date) -> Q:
    """The deadline of an open application: "overdue" (passed), "soon" (within SOON_DAYS days
    from today) or "later". The queue's filter and the dashboards count with the same words."""
    soon = today + timedelta(days=SOON_DAYS)
    if due == "overdue":
        return Q(deadline__lt=today)
    if due == "soon":
        return Q(deadline__gte=today, deadline__lte=soon)
    return Q(deadline__gt=soon)


def queue_counts(*, user=None, today: date | None = None) -> dict[str, int]:
    """Open applications by status, overdue, due within SOON_DAYS days (as the queue's "Due
    soon" filter counts them) and not assigned to anybody, in one query read from
    ``mtr_app_open_counts`` alone. With ``user``: those they hold, and ``unassigned`` still
    counts the whole queue's (the tile "Nobody has taken yet")."""
    today = today or timezone.localdate()
    applications = Application.objects.open()
    mine = Q()
    if user is not None:
        applications = applications.filter(Q(assignee=user) | Q(assignee__isnull=True))
        mine = Q(assignee=user)
    counts = applications.order_by().aggregate(
        **{
            status.value: count_rows(mine & Q(status=status))
            for status in Application.OPEN_STATUSES
        },
        open=count_rows(mine) if user is not None else count_rows(),
        overdue=count_rows(mine & due_q("overdue", today)),
        due_soon=count_rows(mine & due_q("soon", today)),
        unassigned=count_rows(Q(assignee__isnull=True)),
    )
    counts["soon_days"] = SOON_DAYS
    return counts


def processing_days():
    """Calendar days from submission to decision without the days the clock stood while the
    applicant was asked for missing data (HMS §15)."""
    return ExpressionWrapper(
        DaysBetween(TruncDate("decided_at"), TruncDate("submitted_at")) - F("paused_days"),
        output_field=IntegerField(),
    )


def _had_deficiency():
    return Exists(DeficiencyRequest.objects.filter(application=OuterRef("pk")))


def areas(*, start: date, end: date, user=None) -> list[dict]:
    """Per activity area: the open applications and how many are overdue, and of those decided
    from ``start`` to ``end`` the count, the median processing days and the share that needed
    a request for missing data; the slowest area first. Each row has the area's ``area_id`` and
    its ``names`` per language (what a cache may keep).

    One query of two parts, never the whole history: the open applications read from
    ``mtr_app_open_counts`` alone, and those decided in the period (``mtr_app_decided``)."""
    today = timezone.localdate()
    applications = Application.objects.order_by()
    if user is not None:
        applications = applications.filter(assignee=user)
    # The days from ``start`` to ``end`` in local time, as bounds the decided_at index can use.
    zone = timezone.get_current_timezone()
    decided = Q(
        status__in=DECIDED,
        decided_at__gte=datetime.combine(start, time.min, tzinfo=zone),
        decided_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )
    names = ("area_id", "area__name_et", "area__name_en", "area__name_ru")
    none = Value(0)
    open_rows = (
        applications.filter(status__in=Application.OPEN_STATUSES)
        .values(*names)
        .annotate(
            open=count_rows(),
            overdue=count_rows(due_q("overdue", today)),
            decided=none,
            deficient=none,
            median_days=Value(None, output_field=FloatField()),
        )
    )
    decided_rows = (
        applications.filter(decided)
        .values(*names)
        .annotate(
            open=none,
            overdue=none,
            decided=count_rows(),
            deficient=count_rows(Q(_had_deficiency())),
            median_days=Median(processing_days()),
        )
    )
    result = _by_area(open_rows.union(decided_rows, all=True))
    result.sort(key=lambda row: (-(row["median_days"] or -1), -row["open"], row["names"]["et"]))
    return result


def _by_area(rows) -> list[dict]:
    """The two parts' rows added up per area, with the share that needed missing data."""
    by_area: dict[int, dict] = {}
    for row in rows:
        area = by_area.setdefault(
            row["area_id"],
            {
                "area_id": row["area_id"],
                "names": {
                    language: row[f"area__name_{language}"] for language in ("et", "en", "ru")
                },
                "open": 0,
                "overdue": 0,
                "decided": 0,
                "deficient": 0,
                "median_days": None,
            },
        )
        for key in ("open", "overdue", "decided", "deficient"):
            area[key] += row[key]
        if row["median_days"] is not None:
            area["median_days"] = row["median_days"]
    result = list(by_area.values())
    for row in result:
        row["deficiency_rate"] = (
            round(100 * row["deficient"] / row["decided"], 1) if row["decided"] else None
        )
    return result


def trend(*, start: date, end: date, kind: str, user=None) -> dict:
    """Applications received and decided per ``kind`` bucket, and the median processing days of
    those decided in each bucket. Two queries."""
    applications = Application.objects.all()
    if user is not None:
        applications = applications.filter(assignee=user)
    received = (
        applications.filter(submitted_at__date__range=(start, end))
        .order_by()
        .annotate(bucket=Trunc("submitted_at", kind, output_field=DateField()))
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    decided = list(
        applications.filter(status__in=DECIDED, decided_at__date__range=(start, end))
        .order_by()
        .annotate(bucket=Trunc("decided_at", kind, output_field=DateField()))
        .values("bucket")
        .annotate(n=Count("pk"), median=Median(processing_days()))
    )
    return {
        "received": {row["bucket"]: row["n"] for row in received},
        "decided": {row["bucket"]: row["n"] for row in decided},
        "median_days": {row["bucket"]: row["median"] for row in decided},
    }


def workload() -> dict[int | None, dict[str, int]]:
    """Per processor (None: nobody yet) the open applications and how many are overdue: one
    grouped query read from ``mtr_app_open_counts`` alone."""
    today = timezone.localdate()
    return {
        row.pop("assignee_id"): row
        for row in Application.objects.open()
        .order_by()
        .values("assignee_id")
        .annotate(
            applications=count_rows(),
            applications_late=count_rows(due_q("overdue", today)),
        )
    }
