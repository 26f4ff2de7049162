"""The SLA clock of tickets (a part of helpdesk.services)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from core import calendar
from helpdesk.models import (
    QUEUE_TERMS,
    Ticket,
)
from helpdesk.services.common import SOON, Status


def _target(due, done_at, *, now, paused: bool) -> dict:
    if due is None:
        return {"due": None, "state": "none", "left": None}
    if done_at is not None:
        return {"due": due, "state": "met" if done_at <= due else "breached", "left": None}
    if paused:
        return {"due": due, "state": "paused", "left": None}
    left = due - now
    if left < timedelta(0):
        state = "breached"
    elif calendar.working_hours_between(now, due) <= SOON:
        state = "soon"
    else:
        state = "ok"
    return {"due": due, "state": state, "left": left}


def sla_state(ticket: Ticket, *, now: datetime | None = None) -> dict:
    """Where the ticket stands against its two targets (no queries: the loaded fields only)."""
    now = now or timezone.now()
    waiting = ticket.status == Status.WAITING
    return {
        "first": _target(
            ticket.first_response_due, ticket.first_responded_at, now=now, paused=False
        ),
        "resolution": _target(
            ticket.resolution_due,
            ticket.resolved_at if ticket.status in (Status.RESOLVED, Status.CLOSED) else None,
            now=now,
            paused=waiting,
        ),
    }


def queue_order() -> list:
    """Open tickets, what breaches first on top: an unanswered ticket by its first-answer time,
    an answered one by its resolution time, one without a target last; waiting tickets after
    the rest (models.QUEUE_TERMS, which the queue's indexes hold)."""
    return [term.asc() for term in QUEUE_TERMS]
