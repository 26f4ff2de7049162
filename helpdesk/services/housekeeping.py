"""SLA escalation and housekeeping (a part of helpdesk.services)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import events, roles
from core.redirects import site_url
from core.services import email_queue
from core.workflow import locking
from helpdesk.models import (
    Ticket,
)
from helpdesk.services.common import Status
from helpdesk.verbs import Verb
from helpdesk.workflows import TICKET


def heads():

    return get_user_model().objects.filter(is_active=True, groups__name=roles.HEAD.group)


def escalate_breaches(*, now: datetime | None = None) -> int:
    """E-mail the head about every open ticket that has broken its SLA (once per ticket).

    Safe to run twice, even at once: the tickets are locked (skipping those another run holds)
    and marked escalated in the transaction that queues the e-mail."""
    now = now or timezone.now()
    to = [user.email for user in heads() if user.email]
    if not to:
        return 0
    with transaction.atomic():
        breached = list(
            locking(
                Ticket.objects.open()
                .exclude(status=Status.WAITING)
                .filter(escalated_at__isnull=True)
                .filter(
                    Q(first_responded_at__isnull=True, first_response_due__lt=now)
                    | Q(resolution_due__lt=now)
                )
                .select_related("assignee"),
                skip_locked=True,
            )
        )
        if not breached:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "helpdesk/email/escalation.txt",
                {
                    "tickets": breached,
                    "queue_url": site_url("helpdesk:ticket-list"),
                    "agency_name": settings.AGENCY_NAME,
                },
            )
            subject = _("%(count)d support tickets have broken their SLA") % {
                "count": len(breached)
            }
        first = min(ticket.pk for ticket in breached)
        email_queue(
            to=to,
            subject=subject,
            body=body,
            key=f"helpdesk-escalation-{now:%Y%m%d%H%M}-{first}",
        )
        Ticket.objects.filter(pk__in=[t.pk for t in breached]).update(escalated_at=now)
        for ticket in breached:
            events.record(actor=None, obj=ticket, verb=Verb.ESCALATED)
    return len(breached)


def close_resolved(*, older_than_days: int | None = None) -> int:
    """Close the tickets resolved some days ago that the requester has not reopened."""
    days = older_than_days or settings.HELPDESK_CLOSE_AFTER_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    tickets = Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff)
    count = 0
    for ticket in tickets:
        with transaction.atomic():
            locked = TICKET.lock(ticket)
            if locked.status == Status.RESOLVED:
                TICKET.move(locked, "close", actor=None)
                locked.save()
                count += 1
    return count
