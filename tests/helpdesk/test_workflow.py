"""The ticket's state machine (helpdesk.workflows on core.workflow, issue 17): a change the
status does not allow is refused with a reason and changes nothing; the old code's private
``_move`` ignored it silently."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import events
from helpdesk import services
from helpdesk.models import Ticket
from helpdesk.workflows import TICKET

Status = Ticket.Status


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_change_the_status_does_not_allow_is_refused_and_changes_nothing(make_ticket, specialist):
    ticket = make_ticket()
    services.ticket_close(actor=specialist, ticket=ticket)
    ticket.refresh_from_db()
    closed_at, count = ticket.closed_at, len(events.for_object(ticket))
    for attempt in (services.ticket_resolve, services.ticket_close):
        with pytest.raises(ValidationError, match="status is “closed”"):
            attempt(actor=specialist, ticket=ticket)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == (Status.CLOSED, closed_at)
    assert len(events.for_object(ticket)) == count


def test_someone_who_does_not_handle_tickets_cannot_move_one(make_ticket, make_user):
    ticket = make_ticket()
    outsider = make_user(username="outsider")
    with pytest.raises(PermissionDenied, match="may not"):
        services.ticket_resolve(actor=outsider, ticket=ticket)
    assert not any(TICKET.available(ticket, outsider).values())


def test_the_clock_stands_while_waiting_whichever_move_ends_the_wait(make_ticket, specialist):
    """The SLA effect belongs to the workflow: resolving straight from "waiting" adds the time
    it stood, as answering does."""
    ticket = make_ticket()
    services.ticket_reply(
        actor=specialist, ticket=ticket, body="Palun saatke kuvatõmmis.", then="wait"
    )
    ticket.refresh_from_db()
    assert ticket.waiting_since is not None
    Ticket.objects.filter(pk=ticket.pk).update(waiting_since=timezone.now() - timedelta(days=3))
    services.ticket_resolve(actor=specialist, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.waiting_since is None
    assert ticket.paused.total_seconds() > 0
    assert ticket.resolved_at is not None
