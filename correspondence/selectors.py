"""Reads of outgoing mail that the post page and the dashboards share: which day's dispatch
list takes today's post, and the letters waiting for the post office or the head."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from core import calendar
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


def mail_counts(*, user=None, today: date | None = None) -> dict[str, int]:
    """Letters on the current dispatch list (waiting for the post office), letters waiting
    for the head's approval, letters whose sending failed, and (with ``user``) the drafts that
    person prepared (as the list's "My drafts" shows them). Three queries."""
    day = current_day(today)
    post = Dispatch.objects.filter(dispatch_list__day=day, dispatch_list__taken_at__isnull=True)
    counts = Letter.objects.order_by().aggregate(
        awaiting_approval=Count("pk", filter=Q(status=Letter.Status.AWAITING_APPROVAL)),
        failed=Count("pk", filter=Q(status=Letter.Status.FAILED)),
        drafts=Count(
            "pk", filter=Q(status=Letter.Status.DRAFT, created_by_id=getattr(user, "pk", None))
        ),
    )
    counts["for_post"] = post.count()
    counts["post_day"] = day
    return counts
