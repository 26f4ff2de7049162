"""The support ticket's state machine on core.workflow, with its SLA clock.

A ticket is new, open, waiting for the requester (the SLA clock stands), resolved (the
requester may write again, which reopens it) or closed. The clock's bookkeeping is the
workflow's effect: whichever transition leaves "waiting" adds the working time it stood to the
resolution's due time.

An e-mail of the support mailbox (``InboundEmail``) is made by the system into a ticket or a
reply, or fails with its reason, or is held on a ticket when its sender is a stranger; a
specialist then accepts it into the conversation or rejects it (kept, never added).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import calendar
from core.workflow import Transition, Workflow
from helpdesk.models import InboundEmail, Ticket
from helpdesk.verbs import Verb

Status = Ticket.Status
HANDLE = "helpdesk.change_ticket"


def sla_hours(priority: str) -> tuple[int, int]:
    """(first answer, resolution) in working hours for a priority (settings.HELPDESK_SLA)."""
    first, resolution = settings.HELPDESK_SLA[priority]
    return int(first), int(resolution)


def set_due_times(ticket: Ticket) -> None:
    """The first answer's and the resolution's due times from creation, the resolution's moved
    by the working time the ticket stood waiting for the requester."""
    first, resolution = sla_hours(ticket.priority)
    ticket.first_response_due = calendar.add_working_hours(ticket.created, first)
    ticket.resolution_due = calendar.add_working_hours(
        ticket.created, timedelta(hours=resolution) + ticket.paused
    )


def _clock(ticket: Ticket, old: str, at: datetime) -> None:
    if old == Status.WAITING and ticket.waiting_since is not None:
        ticket.paused += calendar.working_hours_between(ticket.waiting_since, at)
        ticket.waiting_since = None
        set_due_times(ticket)
    if ticket.status == Status.WAITING:
        ticket.waiting_since = at
    if ticket.status == Status.RESOLVED:
        ticket.resolved_at = at
    if ticket.status == Status.CLOSED:
        ticket.closed_at = at
        ticket.resolved_at = ticket.resolved_at or at
    if ticket.status in (Status.OPEN, Status.NEW):
        ticket.resolved_at = ticket.closed_at = None


TICKET = Workflow(
    Ticket,
    [
        Transition(
            "open", {Status.NEW, Status.WAITING}, Status.OPEN, permission=HANDLE, label=_("open")
        ),
        Transition(
            "reopen",
            {Status.RESOLVED, Status.CLOSED},
            Status.OPEN,
            permission=HANDLE,
            label=_("reopen"),
        ),
        Transition(
            "wait",
            {Status.NEW, Status.OPEN, Status.RESOLVED},
            Status.WAITING,
            permission=HANDLE,
            label=_("wait for the requester"),
        ),
        Transition(
            "resolve",
            {Status.NEW, Status.OPEN, Status.WAITING},
            Status.RESOLVED,
            permission=HANDLE,
            label=_("resolve"),
        ),
        Transition(
            "close",
            {Status.NEW, Status.OPEN, Status.WAITING, Status.RESOLVED},
            Status.CLOSED,
            permission=HANDLE,
            label=_("close"),
        ),
    ],
    effect=_clock,
)

# What a reply leaves the ticket as ("then" of the reply form), from each status.
AFTER_REPLY = {"open": Status.OPEN, "wait": Status.WAITING, "resolve": Status.RESOLVED}


def transition_to(ticket: Ticket, target: str) -> str | None:
    """The transition that takes ``ticket`` to ``target`` (None: it is there already); when
    none starts from its status, one that does not, so that moving says why not."""
    if ticket.status == target:
        return None
    leading = [t for t in TICKET.transitions if t.target == target]
    return next((t.name for t in leading if ticket.status in t.sources), leading[0].name)


# --- E-mails of the support mailbox ------------------------------------------------------------

Mail = InboundEmail.Status
UNPROCESSED = {Mail.NEW, Mail.FAILED}
REVIEWED = _("This e-mail has already been reviewed.")


def _held_on_a_ticket(inbound: InboundEmail):
    return None if inbound.ticket_id else REVIEWED


INBOUND = Workflow(
    InboundEmail,
    [
        # The system's: a step of processing the message, whose outcome the row says.
        Transition("done", UNPROCESSED, Mail.DONE, verb=None, by_system=True),
        Transition("failed", UNPROCESSED, Mail.FAILED, verb=None, by_system=True),
        Transition("hold", UNPROCESSED, Mail.HELD, verb=Verb.MAIL_HELD, by_system=True),
        # The specialist's review of a held e-mail, on its ticket's timeline.
        Transition(
            "accept",
            {Mail.HELD},
            Mail.DONE,
            verb=Verb.MAIL_ACCEPTED,
            permission=HANDLE,
            guard=_held_on_a_ticket,
            label=_("accept"),
            wrong_status=REVIEWED,
        ),
        Transition(
            "reject",
            {Mail.HELD},
            Mail.REJECTED,
            verb=Verb.MAIL_REJECTED,
            permission=HANDLE,
            guard=_held_on_a_ticket,
            label=_("reject"),
            wrong_status=REVIEWED,
        ),
    ],
    related=("ticket", "inbound"),
    timeline=lambda inbound: inbound.ticket,
)
