"""The phone-call log (a part of helpdesk.services)."""

from __future__ import annotations

from django.db import transaction

from core.models import User
from core.workflow import locking
from helpdesk.models import (
    Call,
    Ticket,
    TicketChannel,
)
from helpdesk.services.common import Status
from helpdesk.services.tickets import ticket_create


@transaction.atomic
def call_log(
    *,
    actor: User,
    caller: str,
    topic: str,
    category: str,
    outcome: str,
    phone: str = "",
    notes: str = "",
    duration_minutes: int = 1,
    document=None,
) -> Call:
    call = Call(
        caller=caller.strip(),
        phone=phone.strip(),
        topic=topic.strip(),
        category=category,
        outcome=outcome,
        notes=notes.strip(),
        duration_minutes=duration_minutes or 1,
        taken_by=actor,
        document=document,
    )
    call.full_clean()
    call.save()
    return call


@transaction.atomic
def call_to_ticket(*, actor: User, call: Call, requester_email: str = "") -> Ticket:
    """Make a ticket of a call in one step (the call is linked to it)."""
    call = locking(Call.objects).get(pk=call.pk)
    if call.ticket_id:
        return call.ticket
    ticket = ticket_create(
        subject=call.topic,
        body=call.notes or call.topic,
        channel=TicketChannel.PHONE,
        category=call.category,
        requester_email=requester_email,
        requester_name=call.caller,
        requester_phone=call.phone,
        actor=actor,
        document=call.document,
        created=call.at,
    )
    call.ticket = ticket
    call.outcome = Call.Outcome.TICKET
    call.save(update_fields=["ticket", "outcome"])
    if ticket.assignee_id is None and actor.has_perm("helpdesk.change_ticket"):
        Ticket.objects.filter(pk=ticket.pk).update(assignee=actor, status=Status.OPEN)
        ticket.refresh_from_db()
    return ticket
