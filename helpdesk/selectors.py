"""Reads of user support and the front desk that the queue's filter and the dashboards share:
the SLA conditions, the queue's counts, the figures of a period and who holds which tickets.
Each function runs one aggregate query whatever the number of tickets, calls or visits."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import (
    Avg,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
)
from django.db.models.functions import Trunc
from django.utils import timezone

from core import calendar
from core.counts import aggregate_together
from helpdesk.models import Call, Ticket, Visit

Status = Ticket.Status
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)


def _first_running() -> Q:
    return Q(first_responded_at__isnull=True, first_response_due__isnull=False)


def _resolution_running() -> Q:
    return Q(status__in=(Status.NEW, Status.OPEN), resolution_due__isnull=False)


def sla_breached_q(now: datetime) -> Q:
    """A clock that runs has passed its target: the first answer until it is given, the
    resolution while the ticket is open and not waiting for the requester (as
    ``services.sla_state`` counts them). Combine with the open statuses."""
    return (_first_running() & Q(first_response_due__lt=now)) | (
        _resolution_running() & Q(resolution_due__lt=now)
    )


def sla_soon_q(now: datetime, soon) -> Q:
    """A running clock reaches its target within ``soon`` working hours (breached ones too)."""
    limit = calendar.add_working_hours(now, soon)
    return (_first_running() & Q(first_response_due__lte=limit)) | (
        _resolution_running() & Q(resolution_due__lte=limit)
    )


def queue_counts(*, user=None, now: datetime | None = None, visitors: bool = False) -> dict:
    """Tickets not resolved: by status, breaching a target, reaching one within
    ``services.SOON``, and with nobody assigned; with ``visitors`` the visitors in the building
    now. One query. With ``user``: the tickets they hold, and ``unassigned`` still counts the
    whole queue's (the tile "Tickets with nobody assigned")."""
    from helpdesk import services

    now = now or timezone.now()
    tickets = Ticket.objects.filter(status__in=OPEN_STATUSES)
    mine = Q()
    if user is not None:
        tickets = tickets.filter(Q(assignee=user) | Q(assignee__isnull=True))
        mine = Q(assignee=user)
    breached = sla_breached_q(now)
    parts = {
        "tickets": (
            tickets,
            {
                **{
                    status.value: Count("pk", filter=mine & Q(status=status))
                    for status in OPEN_STATUSES
                },
                "unresolved": Count("pk", filter=mine) if user is not None else Count("pk"),
                "breached": Count("pk", filter=mine & breached),
                "soon": Count("pk", filter=mine & sla_soon_q(now, services.SOON) & ~breached),
                "unassigned": Count("pk", filter=Q(assignee__isnull=True)),
            },
        )
    }
    if visitors:
        parts["visits"] = (Visit.objects.in_building(), {"visitors": Count("pk")})
    counts = {}
    for values in aggregate_together(parts).values():
        counts.update(values)
    return counts


def visitors_in_building() -> int:
    """Visitors who have not left (``helpdesk_visit_in_building``)."""
    return Visit.objects.in_building().count()


def trend(*, start: date, end: date, kind: str, user=None) -> dict:
    """Tickets opened and resolved per ``kind`` bucket; of those answered and resolved in each,
    how many met their target; the ratings given; calls taken and visits per bucket. Three
    queries (the counts of tickets opened, calls and visits together).

    The first answer is counted in the bucket it was given in, the resolution in the bucket it
    happened in; a rating belongs to the ticket's resolution."""
    tickets = Ticket.objects.all()
    calls = Call.objects.all()
    visits = Visit.objects.all()
    if user is not None:
        tickets = tickets.filter(assignee=user)
        calls = calls.filter(taken_by=user)
        visits = visits.filter(Q(host=user) | Q(registered_by=user))

    def grouped(queryset, field, **aggregates):
        return (
            queryset.filter(**{f"{field}__date__range": (start, end)})
            .order_by()
            .annotate(bucket=Trunc(field, kind, output_field=DateField()))
            .values("bucket")
            .annotate(**aggregates)
        )

    # Three counts of the same shape, one query: (bucket, n, which).
    counted = {"opened": {}, "calls": {}, "visits": {}}
    parts = [
        grouped(queryset, field, n=Count("pk"), which=Value(which, output_field=CharField()))
        for which, queryset, field in (
            ("opened", tickets, "created"),
            ("calls", calls, "at"),
            ("visits", visits, "arrived_at"),
        )
    ]
    for row in parts[0].union(*parts[1:], all=True):
        counted[row["which"]][row["bucket"]] = row["n"]
    answered, resolved = _answered_and_resolved(tickets, grouped)
    return {
        "opened": counted["opened"],
        "resolved": {bucket: row["n"] for bucket, row in resolved.items()},
        "first_answered": {bucket: row["n"] for bucket, row in answered.items()},
        "first_met": {bucket: row["met"] for bucket, row in answered.items()},
        "resolution_targets": {bucket: row["with_target"] for bucket, row in resolved.items()},
        "resolution_met": {bucket: row["met"] for bucket, row in resolved.items()},
        "rated": {bucket: row["rated"] for bucket, row in resolved.items()},
        "rating": {bucket: row["rating"] for bucket, row in resolved.items()},
        "calls": counted["calls"],
        "visits": counted["visits"],
    }


def _answered_and_resolved(tickets, grouped) -> tuple[dict, dict]:
    """First answers and resolutions per bucket ({bucket: {n, met, with_target, rated,
    rating}}), in one query; ``grouped`` puts a queryset's rows in the trend's buckets."""
    nothing = Value(0, output_field=IntegerField())
    answered_part = grouped(
        tickets.filter(first_response_due__isnull=False),
        "first_responded_at",
        n=Count("pk"),
        met=Count("pk", filter=Q(first_responded_at__lte=F("first_response_due"))),
        with_target=nothing,
        rated=nothing,
        rating=Value(None, output_field=FloatField()),
        which=Value("answered", output_field=CharField()),
    )
    resolved_part = grouped(
        tickets,
        "resolved_at",
        n=Count("pk"),
        met=Count(
            "pk", filter=Q(resolution_due__isnull=False, resolved_at__lte=F("resolution_due"))
        ),
        with_target=Count("pk", filter=Q(resolution_due__isnull=False)),
        rated=Count("rating"),
        rating=Avg("rating", output_field=FloatField()),
        which=Value("resolved", output_field=CharField()),
    )
    answered, resolved = {}, {}
    for row in answered_part.union(resolved_part, all=True):
        (answered if row.pop("which") == "answered" else resolved)[row.pop("bucket")] = row
    return answered, resolved


def workload(*, now: datetime | None = None) -> dict[int | None, dict[str, int]]:
    """Per assignee (None: nobody yet) the tickets not resolved and how many breach a target."""
    now = now or timezone.now()
    return {
        row.pop("assignee_id"): row
        for row in Ticket.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("assignee_id")
        .annotate(tickets=Count("pk"), tickets_breached=Count("pk", filter=sla_breached_q(now)))
    }


def held_mail(ticket: Ticket) -> list[dict]:
    """The e-mails naming ``ticket`` that wait for review (helpdesk/mail.py), oldest first, with
    what the specialist needs to decide: sender (the From address), subject, text, attachments
    (two queries)."""
    from django.db.models import Prefetch

    from core.intake.models import InboundAttachment
    from helpdesk.models import InboundEmail

    held = []
    for inbound in (
        InboundEmail.objects.filter(ticket=ticket, status=InboundEmail.Status.HELD)
        .select_related("inbound")
        .prefetch_related(
            Prefetch(
                "inbound__attachments",
                queryset=InboundAttachment.objects.order_by("position", "pk"),
            )
        )
        .order_by("received", "pk")
    ):
        message = inbound.inbound
        held.append(
            {
                "inbound": inbound,
                "sender": message.sender_email if message else "",
                "sender_name": message.sender_name if message else "",
                "subject": message.subject if message else "",
                "body": message.text if message else "",
                "files": [a.name for a in message.attachments.all()] if message else [],
            }
        )
    return held


def quarantined_files(ticket: Ticket) -> list:
    """The files of the ticket's e-mails that the checks refused and nobody has released or
    deleted yet (those of rejected e-mails left out), with their message (one query)."""
    from core.intake.models import InboundAttachment
    from helpdesk.models import InboundEmail

    return list(
        InboundAttachment.objects.filter(
            message__helpdesk_email__ticket=ticket,
            status=InboundAttachment.Status.QUARANTINED,
        )
        .exclude(message__helpdesk_email__status=InboundEmail.Status.REJECTED)
        .select_related("message", "message__helpdesk_email")
        .order_by("message__kept_at", "message_id", "position", "pk")
    )
