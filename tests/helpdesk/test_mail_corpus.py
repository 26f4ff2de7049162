"""Every message of the intake's corpus (tests/intake/corpus: Outlook, Gmail, Thunderbird, iPhone,
TNEF, S/MIME, DSNs, out-of-office, lists, RFC 2047/2231 names) sent to the support mailbox: no
crash, no attachment lost (each a file of the ticket or in quarantine with its reason), no ticket
and no acknowledgement for an automatic message or a bounce (issue 15, "Done when")."""

from __future__ import annotations

import pytest

from core.intake.models import InboundAttachment, InboundMessage
from core.models import OutboundEmail
from helpdesk import mail
from helpdesk.models import InboundEmail, MessageAttachment, Ticket
from tests.intake.test_corpus import CORPUS, EXPECTED, MESSAGES


@pytest.mark.django_db
@pytest.mark.parametrize("name", MESSAGES)
def test_a_corpus_message_to_the_support_mailbox(name):
    expected = EXPECTED[name]
    inbound = mail.import_message((CORPUS / name).read_bytes(), name=name)
    message = inbound.inbound
    assert message.status != InboundMessage.Status.NEW, message.error  # processed, no crash
    files = list(message.attachments.order_by("position"))
    if message.status == InboundMessage.Status.FAILED:  # unreadable: kept as it came
        assert inbound.status == InboundEmail.Status.FAILED
        assert inbound.error
        return
    assert [f.name for f in files] == expected["files"]
    for file in files:
        assert file.status in (InboundAttachment.Status.KEPT, InboundAttachment.Status.QUARANTINED)
        if file.status == InboundAttachment.Status.QUARANTINED:
            assert file.reason
            assert file.file
    if expected["kind"] != "message":
        assert not Ticket.objects.exists(), inbound.outcome
        assert not OutboundEmail.objects.exists()
        assert inbound.status == InboundEmail.Status.DONE
        return
    if inbound.status == InboundEmail.Status.FAILED:  # read, but no sender to answer to
        assert not message.sender_email or "sender" in inbound.error
        return
    assert inbound.status == InboundEmail.Status.DONE
    ticket = inbound.ticket
    copied = MessageAttachment.objects.filter(message__ticket=ticket)
    kept = [f for f in files if f.status == InboundAttachment.Status.KEPT]
    assert sorted(a.inbound_attachment_id for a in copied) == sorted(f.pk for f in kept)
    for word in expected["text"]:
        assert word in ticket.messages.get().body
    for word in expected.get("forwarded", []):
        first = ticket.messages.get()
        assert word in first.body + first.quoted


@pytest.mark.django_db
def test_the_whole_corpus_in_one_mailbox_loses_nothing_and_answers_no_robot():
    """All of it one after the other, as a mailbox would bring it (a reused Message-ID, replies
    to earlier tickets): every kept file is a file of a ticket, every refused one in quarantine;
    automatic messages make no ticket and get no acknowledgement."""
    for name in MESSAGES:
        mail.import_message((CORPUS / name).read_bytes(), name=name)
    records = InboundEmail.objects.select_related("inbound")
    assert records.count() == len(MESSAGES)
    assert not InboundMessage.objects.filter(status=InboundMessage.Status.NEW).exists()
    automatic = records.exclude(inbound__kind="message")
    assert automatic.count() == sum(EXPECTED[n]["kind"] != "message" for n in MESSAGES)
    assert not Ticket.objects.filter(inboundemail__in=automatic).exists()
    acknowledged = {address for email in OutboundEmail.objects.all() for address in email.to}
    robots = {r.inbound.sender_email for r in automatic} - {""}
    assert not acknowledged & robots
    assert OutboundEmail.objects.count() <= Ticket.objects.count()
    # Kept files of a message that became a ticket or a reply (or a note on one) are files of
    # it; an automatic message naming no ticket, and an exact copy, keep theirs in the intake.
    kept = InboundAttachment.objects.filter(
        status=InboundAttachment.Status.KEPT,
        message__helpdesk_email__status="done",
        message__helpdesk_email__ticket__isnull=False,
    ).exclude(message__helpdesk_email__outcome__startswith="a copy of")
    copied = set(MessageAttachment.objects.values_list("inbound_attachment_id", flat=True))
    lost = [
        (a.message.raw_name, a.name) for a in kept.select_related("message") if a.pk not in copied
    ]
    assert kept.exists()
    assert not lost
    expected_files = sum(len(EXPECTED[n]["files"]) for n in MESSAGES)
    assert InboundAttachment.objects.count() == expected_files
