"""Reads of MTR applications that the dashboards use: the queue's counts, the areas' speed and
the figures of a period. Each function runs one or two aggregate queries whatever the number of
applications; ``user`` narrows the figures to the applications that person holds."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
)
from django.db.models.functions import Trunc, TruncDate
from django.utils import timezone

from core.aggregates import DaysBetween, Median
from mtr.models import ActivityArea, Application, DeficiencyRequest

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
    soon" filter counts them) and not assigned to anybody. One query."""
    today = today or timezone.localdate()
    applications = Application.objects.open()
    if user is not None:
        applications = applications.filter(assignee=user)
    counts = applications.order_by().aggregate(
        **{
            status.value: Count("pk", filter=Q(status=status))
            for status in Application.OPEN_STATUSES
        },
        open=Count("pk"),
        overdue=Count("pk", filter=due_q("overdue", today)),
        due_soon=Count("pk", filter=due_q("soon", today)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
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
    a request for missing data; the slowest area first. One query."""
    today = timezone.localdate()
    applications = Application.objects.all()
    if user is not None:
        applications = applications.filter(assignee=user)
    decided = Q(status__in=DECIDED, decided_at__date__range=(start, end))
    rows = (
        applications.order_by()
        .values("area_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=Application.OPEN_STATUSES)),
            overdue=Count(
                "pk", filter=Q(status__in=Application.OPEN_STATUSES) & due_q("overdue", today)
            ),
            decided=Count("pk", filter=decided),
            deficient=Count("pk", filter=decided & Q(_had_deficiency())),
            median_days=Median(processing_days(), filter=decided),
        )
    )
    by_area = {row["area_id"]: row for row in rows}
    result = []
    for area in ActivityArea.objects.order_by("name_et"):
        row = by_area.get(area.pk)
        if row is None or not (row["open"] or row["decided"]):
            continue
        row["area"] = area
        row["deficiency_rate"] = (
            round(100 * row["deficient"] / row["decided"], 1) if row["decided"] else None
        )
        result.append(row)
    result.sort(key=lambda row: (-(row["median_days"] or -1), -row["open"], str(row["area"])))
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
    """Per processor (None: nobody yet) the open applications and how many are overdue."""
    today = timezone.localdate()
    return {
        row.pop("assignee_id"): row
        for row in Application.objects.open()
        .order_by()
        .values("assignee_id")
        .annotate(
            applications=Count("pk"),
            applications_late=Count("pk", filter=due_q("overdue", today)),
        )
    }
