"""``helpdesk`` 0003/0004: the support mail kept in ``InboundEmail.raw`` moves into the mail
intake (``core.intake``): one ``InboundMessage`` per row, its bytes a file in storage, status
mirrored, linked; a row never processed is then processed by the intake like any other."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.intake import services as intake
from core.intake.models import InboundMessage
from helpdesk.models import InboundEmail, Message, Ticket
from tests.helpdesk.test_mail import eml

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("helpdesk", "0002_hostile_input")]


def _old_rows(apps) -> dict:
    """Rows as an installation before the intake has them."""
    OldTicket = apps.get_model("helpdesk", "Ticket")
    OldMessage = apps.get_model("helpdesk", "Message")
    OldInbound = apps.get_model("helpdesk", "InboundEmail")
    ticket = OldTicket.objects.create(
        code="7Q4M2XAB",
        subject="Ei saa sisse logida",
        channel="email",
        requester_email="kati@example.ee",
    )
    OldMessage.objects.create(
        ticket=ticket, kind="in", body="Tere!", email_message_id="<1@example.ee>"
    )
    done_raw = eml(message_id="<1@example.ee>")
    return {
        "ticket": ticket.pk,
        "done": OldInbound.objects.create(
            raw=done_raw, message_id="<1@example.ee>", status="done", ticket=ticket
        ).pk,
        "again": OldInbound.objects.create(
            raw=done_raw, message_id="<1@example.ee>", status="done", ticket=ticket
        ).pk,
        "failed": OldInbound.objects.create(
            raw=b"\x00 broken", status="failed", error="broken message"
        ).pk,
        "held": OldInbound.objects.create(
            raw=eml(sender="Mallory <mallory@attacker.example>", message_id="<2@example.ee>"),
            message_id="<2@example.ee>",
            status="held",
            ticket=ticket,
        ).pk,
        "stuck": OldInbound.objects.create(
            raw=eml(subject="Jäi pooleli", message_id="<3@example.ee>"),
            message_id="<3@example.ee>",
            status="new",
        ).pk,
    }


def test_old_support_mail_moves_into_the_intake_and_a_stuck_row_is_processed():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    rows = _old_rows(executor.loader.project_state(BEFORE).apps)
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    done = InboundEmail.objects.select_related("inbound").get(pk=rows["done"])
    message = done.inbound
    with message.raw.open("rb") as stored:
        raw = stored.read()
    assert raw == eml(message_id="<1@example.ee>")
    assert message.sha256 == hashlib.sha256(raw).hexdigest()
    assert (message.mailbox.name, message.mailbox.purpose) == ("helpdesk", "helpdesk")
    assert (message.source, message.status, message.message_id) == (
        "file",
        "done",
        "<1@example.ee>",
    )
    assert message.subject == "Ei saa sisse logida"
    assert Message.objects.get(ticket_id=rows["ticket"]).inbound_email == done

    again = InboundEmail.objects.select_related("inbound").get(pk=rows["again"])
    assert again.inbound != message  # the same bytes twice: two rows kept apart
    assert (again.inbound.uidvalidity, again.inbound.uid) == (0, again.pk)

    failed = InboundEmail.objects.select_related("inbound").get(pk=rows["failed"])
    assert (failed.inbound.status, failed.inbound.error) == ("failed", "broken message")
    with failed.inbound.raw.open("rb") as stored:
        assert stored.read() == b"\x00 broken"

    held = InboundEmail.objects.select_related("inbound").get(pk=rows["held"])
    assert (held.status, held.inbound.status) == ("held", "done")
    assert held.inbound.sender_email == "mallory@attacker.example"

    stuck = InboundEmail.objects.select_related("inbound").get(pk=rows["stuck"])
    assert stuck.inbound.status == InboundMessage.Status.NEW
    assert intake.process(message_id=stuck.inbound.pk)
    stuck.refresh_from_db()
    assert stuck.status == InboundEmail.Status.DONE
    assert stuck.ticket.subject == "Jäi pooleli"
    assert Ticket.objects.count() == 2

    # and back: the bytes return to the table
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    OldInbound = executor.loader.project_state(BEFORE).apps.get_model("helpdesk", "InboundEmail")
    assert bytes(OldInbound.objects.get(pk=rows["failed"]).raw) == b"\x00 broken"
    assert bytes(OldInbound.objects.get(pk=rows["done"]).raw) == raw
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
