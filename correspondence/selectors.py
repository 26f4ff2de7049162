"""Reads of outgoing mail that the post page and the dashboards share: which day's dispatch
list takes today's post, and the letters waiting for the post office or the head."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from core import calendar
from core.counts import aggregate_together
from correspondence.models import Dispatch, DispatchList, Letter


def current_day(today: date | None = None) -> date:
    """The day of the list that takes today's post, as ``services.dispatch_list_for`` chooses
    it (today, or the next working day once today's list has been taken), without creating it."""
    day = calendar.registration_day(today or timezone.localdate())
    taken = set(
        DispatchList.objects.filter(day__gte=day, taken_at__isnull=False).values_list(
            "day", flat=True
        )
    )
    while day in taken:
        day = calendar.next_working_day(day)
    return day


#: How many working days from today ``mail_counts`` looks ahead for the list that takes the post
#: (today's list, or the next day's once today's has been taken, …) in its one query.
POST_DAYS_AHEAD = 5


def mail_counts(*, user=None, today: date | None = None) -> dict:
    """Letters on the current dispatch list (waiting for the post office), letters waiting
    for the head's approval, letters whose sending failed, and (with ``user``) the drafts that
    person prepared (as the list's "My drafts" shows them).

    One query: the letters, read by their status's index (``corr_letter_status_created``, never
    the sent ones of past years), with which of the next working days' lists are taken and the
    post on each; the current day is the first of them not taken, as ``current_day`` finds it
    (should all of them be taken, one more query asks ``current_day``)."""
    days = [calendar.registration_day(today or timezone.localdate())]
    while len(days) < POST_DAYS_AHEAD:
        days.append(calendar.next_working_day(days[-1]))
    statuses = [Letter.Status.AWAITING_APPROVAL, Letter.Status.FAILED]
    if user is not None:
        statuses.append(Letter.Status.DRAFT)
    post = Dispatch.objects.filter(
        dispatch_list__day__in=days, dispatch_list__taken_at__isnull=True
    )
    counts = aggregate_together(
        {
            "letters": (
                Letter.objects.filter(status__in=statuses),
                {
                    "awaiting_approval": Count(
                        "pk", filter=Q(status=Letter.Status.AWAITING_APPROVAL)
                    ),
                    "failed": Count("pk", filter=Q(status=Letter.Status.FAILED)),
                    "drafts": Count(
                        "pk",
                        filter=Q(
                            status=Letter.Status.DRAFT, created_by_id=getattr(user, "pk", None)
                        ),
                    ),
                },
            ),
            "taken": (
                DispatchList.objects.filter(day__in=days, taken_at__isnull=False),
                {f"taken{n}": Count("pk", filter=Q(day=day)) for n, day in enumerate(days)},
            ),
            "post": (
                post,
                {
                    f"post{n}": Count("pk", filter=Q(dispatch_list__day=day))
                    for n, day in enumerate(days)
                },
            ),
        }
    )
    free = [n for n in range(len(days)) if not counts["taken"][f"taken{n}"]]
    if free:
        day, for_post = days[free[0]], counts["post"][f"post{free[0]}"]
    else:
        day = current_day(today)
        for_post = Dispatch.objects.filter(
            dispatch_list__day=day, dispatch_list__taken_at__isnull=True
        ).count()
    return {**counts["letters"], "for_post": for_post, "post_day": day}
