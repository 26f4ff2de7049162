"""Replies naming a ticket join it only from the requester's or a colleague's address; others are
held for review on the ticket's page (issue 13, item 7). Real ``.eml`` samples in ``eml/``."""

from pathlib import Path

import pytest

from core.models import Event, OutboundEmail
from core.workflow import Refused
from helpdesk import mail
from helpdesk.models import (
    TICKET_CODE_ALPHABET,
    TICKET_CODE_LENGTH,
    InboundEmail,
    Message,
    Ticket,
    ticket_code,
)

SAMPLES = Path(__file__).parent / "eml"


def sample(name: str, ticket: Ticket) -> bytes:
    return (SAMPLES / name).read_bytes().replace(b"KT-REFERENCE", ticket.reference.encode())


@pytest.fixture
def ticket(make_ticket):
    return make_ticket(requester_email="kati@example.ee", subject="Ei saa sisse logida")


def _incoming(ticket):
    return list(ticket.messages.filter(kind=Message.Kind.INCOMING).order_by("pk"))


def test_a_reply_from_the_requesters_address_joins_the_ticket(ticket):
    inbound = mail.import_message(sample("reply_from_requester.eml", ticket))
    assert (inbound.status, inbound.ticket) == (InboundEmail.Status.DONE, ticket)
    assert _incoming(ticket)[-1].body.startswith("Tere!\nKuvatõmmis on lisatud")


def test_a_reply_from_a_colleagues_address_joins_the_ticket(ticket, make_user):
    make_user(username="mari.m", email="mari.maasikas@naidisamet.example.ee")
    inbound = mail.import_message(sample("reply_from_staff.eml", ticket))
    assert inbound.status == InboundEmail.Status.DONE
    assert "kasutajakonto on lukus" in _incoming(ticket)[-1].body


def test_a_reply_from_anyone_else_is_held_and_changes_nothing(ticket):
    messages_before = ticket.messages.count()
    emails_before = OutboundEmail.objects.count()
    status_before = ticket.status
    inbound = mail.import_message(sample("reply_from_stranger.eml", ticket))
    assert (inbound.status, inbound.ticket) == (InboundEmail.Status.HELD, ticket)
    ticket.refresh_from_db()
    assert ticket.messages.count() == messages_before
    assert ticket.status == status_before
    assert OutboundEmail.objects.count() == emails_before  # nothing to answer: no mail loop
    assert Ticket.objects.count() == 1
    assert Event.objects.filter(verb="mail_held", object_id=str(ticket.pk)).count() == 1


def test_an_auto_reply_from_anyone_is_a_greyed_note_that_changes_nothing(
    client, specialist, ticket
):
    emails_before = OutboundEmail.objects.count()
    status_before = ticket.status
    inbound = mail.import_message(sample("autoreply_from_stranger.eml", ticket))
    assert (inbound.status, inbound.ticket) == (InboundEmail.Status.DONE, ticket)
    note = ticket.messages.get(kind=Message.Kind.AUTO)
    assert "Olen puhkusel" in note.body
    ticket.refresh_from_db()
    assert ticket.status == status_before
    assert len(_incoming(ticket)) == 1
    assert OutboundEmail.objects.count() == emails_before
    client.force_login(specialist)
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert f'id="message-{note.pk}"' in page
    assert "badge text-bg-secondary" in page  # "Automatic message", greyed
    assert "Auto-Submitted: auto-replied" in page


def test_a_spoofed_reply_to_does_not_make_a_stranger_the_requester(ticket):
    """The sample's Reply-To is the requester's address; its From is not."""
    inbound = mail.import_message(sample("reply_from_stranger.eml", ticket))
    assert inbound.status == InboundEmail.Status.HELD


def test_the_specialist_sees_a_held_message_and_accepts_it(client, specialist, ticket):
    inbound = mail.import_message(sample("reply_from_stranger.eml", ticket))
    client.force_login(specialist)
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert "mallory@attacker.example" in page
    assert "Palun saatke kõik minu andmed" in page
    assert "juhend.pdf" in page
    response = client.post(f"/support/{ticket.pk}/held/{inbound.pk}/accept/")
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.status == InboundEmail.Status.DONE
    last = _incoming(ticket)[-1]
    assert "Palun saatke kõik minu andmed" in last.body
    assert "mallory@attacker.example" in last.sender
    assert [a.name for a in last.attachments.all()] == ["juhend.pdf"]
    accepted = Event.objects.get(verb="mail_accepted", object_id=str(ticket.pk))
    assert accepted.actor == specialist
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert f"/held/{inbound.pk}/accept/" not in page
    # accepted once only: a second click changes nothing
    client.post(f"/support/{ticket.pk}/held/{inbound.pk}/accept/")
    assert len(_incoming(ticket)) == 2


def test_the_specialist_rejects_a_held_message(client, specialist, ticket):
    inbound = mail.import_message(sample("reply_from_stranger.eml", ticket))
    client.force_login(specialist)
    client.post(f"/support/{ticket.pk}/held/{inbound.pk}/reject/")
    inbound.refresh_from_db()
    assert inbound.status == InboundEmail.Status.REJECTED
    assert len(_incoming(ticket)) == 1
    assert Event.objects.filter(verb="mail_rejected", actor=specialist).count() == 1
    assert (
        "Palun saatke kõik minu andmed" not in client.get(f"/support/{ticket.pk}/").content.decode()
    )


def test_reviewing_needs_the_right_to_change_tickets(client, make_user, ticket):
    inbound = mail.import_message(sample("reply_from_stranger.eml", ticket))
    client.force_login(make_user(username="nobody"))
    response = client.post(f"/support/{ticket.pk}/held/{inbound.pk}/accept/")
    assert response.status_code == 403
    inbound.refresh_from_db()
    assert inbound.status == InboundEmail.Status.HELD


def test_a_held_message_moves_through_its_workflow_once(specialist, make_user, ticket):
    from helpdesk import services
    from helpdesk.workflows import INBOUND

    inbound = mail.import_message(sample("reply_from_stranger.eml", ticket))
    offered = {name for name, ok in INBOUND.available(inbound, specialist).items() if ok}
    assert offered == {"accept", "reject"}  # never the system's own steps
    assert not any(INBOUND.available(inbound, make_user(username="nobody")).values())
    services.inbound_reject(actor=specialist, inbound=inbound)
    with pytest.raises(Refused, match="juba läbi vaadatud"):  # in Estonian, the default
        services.inbound_accept(actor=specialist, inbound=inbound)
    assert len(_incoming(ticket)) == 1


def test_new_references_carry_at_least_60_bits():
    import math

    code = ticket_code()
    assert len(code) == TICKET_CODE_LENGTH
    assert set(code) <= set(TICKET_CODE_ALPHABET)
    assert TICKET_CODE_LENGTH * math.log2(len(TICKET_CODE_ALPHABET)) >= 60


def test_an_old_eight_character_reference_still_threads(make_ticket):
    old = make_ticket(requester_email="kati@example.ee")
    Ticket.objects.filter(pk=old.pk).update(code="7Q4M2XAB")
    old.refresh_from_db()
    inbound = mail.import_message(sample("reply_from_requester.eml", old))
    assert (inbound.status, inbound.ticket) == (InboundEmail.Status.DONE, old)
    assert len(old.reference) == len("KT-7Q4M2XAB")


def test_the_queue_finds_a_ticket_by_its_long_reference(client, specialist, ticket, make_ticket):
    make_ticket(subject="Teine")
    client.force_login(specialist)
    page = client.get("/support/", {"q": ticket.reference, "status": "all"}).content.decode()
    assert ticket.reference in page
    assert "Teine" not in page
