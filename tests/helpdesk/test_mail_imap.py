"""``import_support_mail`` without files reads the support mailbox (HELPDESK_IMAP_URL) through
the intake, by UID, from a real IMAP server (Dovecot on loopback): a message read in Outlook
first becomes a ticket too, nothing is flagged on the server, a second run makes nothing twice."""

import io

import pytest
from django.core.management import call_command

from core.intake.models import InboundMessage
from helpdesk.models import InboundEmail, Ticket
from tests.helpdesk.test_mail import eml
from tests.intake.dovecot import Dovecot


@pytest.fixture
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()


def run() -> str:
    out = io.StringIO()
    call_command("import_support_mail", stdout=out)
    return out.getvalue()


def test_the_command_reads_the_mailbox_by_uid_once(db, settings, dovecot):
    settings.HELPDESK_IMAP_URL = dovecot.url("tugi")
    first = dovecot.append(eml(message_id="<imap-1@example.ee>"), user="tugi")
    dovecot.append(
        eml(subject="Loetud Outlookis", message_id="<imap-2@example.ee>"),
        user="tugi",
        flags="\\Seen",
    )
    dovecot.append(b"\x00 not an e-mail", user="tugi")

    assert "Mailbox: 3 messages read." in run()
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Ei saa sisse logida",
        "Loetud Outlookis",
    ]
    assert InboundMessage.objects.filter(mailbox__name="helpdesk").count() == 3
    assert InboundMessage.objects.get(uid=3).status == InboundMessage.Status.FAILED
    assert InboundEmail.objects.filter(status=InboundEmail.Status.DONE).count() == 2
    assert b"\\Seen" not in dovecot.flags(first, user="tugi")  # BODY.PEEK: left unread

    dovecot.append(eml(subject="Kolmas", message_id="<imap-3@example.ee>"), user="tugi")
    assert "Mailbox: 1 messages read." in run()
    assert "Mailbox: 0 messages read." in run()
    assert Ticket.objects.count() == 3
