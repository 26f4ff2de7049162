"""Support e-mail into tickets: new questions, replies threaded by the reference, attachments,
and messages that cannot be read — kept, never crashing the import."""

import io
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from helpdesk import mail, services
from helpdesk.models import InboundEmail, Message, Ticket, TicketChannel

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def eml(
    subject="Ei saa sisse logida",
    body="Tere!\nMobiil-ID annab vea.",
    sender="Kati Kask <kati@example.ee>",
    message_id="<1@example.ee>",
    files=(),
    language=None,
) -> bytes:
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = "tugi@naidisamet.example.ee"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(body)
    for name, content, maintype, subtype in files:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    if language:  # after the content: setting it clears the Content-* headers
        message["Content-Language"] = language
    return message.as_bytes()


@pytest.fixture(autouse=True)
def _db(db):
    pass


def test_a_new_question_becomes_a_ticket_with_its_attachment():
    inbound = mail.import_message(
        eml(files=[("kuvatõmmis.pdf", PDF, "application", "pdf")], language="en")
    )
    assert inbound.status == InboundEmail.Status.DONE
    ticket = inbound.ticket
    assert (ticket.channel, ticket.requester_email, ticket.requester_name) == (
        TicketChannel.EMAIL,
        "kati@example.ee",
        "Kati Kask",
    )
    assert ticket.language == "en"
    message = ticket.messages.get()
    assert "Mobiil-ID annab vea." in message.body
    assert [a.name for a in message.attachments.all()] == ["kuvatõmmis.pdf"]


def test_a_reply_with_the_reference_joins_its_ticket_and_restarts_the_clock(make_user):
    from core import roles

    specialist = make_user(roles.CLERK)
    ticket = mail.import_message(eml()).ticket
    services.ticket_reply(actor=specialist, ticket=ticket, body="Saatke pilt.", then="wait")
    reply = eml(
        subject=f"Re: [{ticket.reference}] Ei saa sisse logida",
        body="Pilt on lisatud.\n\nOn Mon, 30 Nov 2026 Tugi wrote:\n> Saatke pilt.",
        message_id="<2@example.ee>",
    )
    assert mail.import_message(reply).ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    last = ticket.messages.filter(kind=Message.Kind.INCOMING).last()
    assert last.body == "Pilt on lisatud."  # the quoted earlier message is apart, folded
    assert "> Saatke pilt." in last.quoted
    assert Ticket.objects.count() == 1


def test_the_same_message_twice_makes_one_ticket():
    first = mail.import_message(eml())
    second = mail.import_message(eml())
    assert first.ticket == second.ticket
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00\xff garbage that is no e-mail at all",
        eml(sender=""),  # no sender to answer to
        eml(sender="not an address"),
    ],
)
def test_an_unreadable_message_is_kept_with_its_reason_and_the_next_one_goes_on(raw):
    bad = mail.import_message(raw)
    good = mail.import_message(eml(message_id="<ok@example.ee>"))
    assert bad.status == InboundEmail.Status.FAILED
    assert bad.error
    with InboundEmail.objects.get(pk=bad.pk).inbound.raw.open("rb") as kept:
        assert kept.read() == raw  # nothing lost
    assert good.status == InboundEmail.Status.DONE


def test_a_huge_or_wrong_attachment_is_quarantined_and_the_question_is_kept(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    inbound = mail.import_message(
        eml(
            files=[
                ("suur.pdf", PDF + b"x" * 5000, "application", "pdf"),
                ("programm.exe", b"MZ\x90\x00", "application", "octet-stream"),
            ]
        )
    )
    assert inbound.status == InboundEmail.Status.DONE
    message = inbound.ticket.messages.get()
    assert not message.attachments.exists()
    assert message.body == "Tere!\nMobiil-ID annab vea."  # no "[names]" written into the text
    quarantined = {a.name: a for a in inbound.inbound.attachments.all()}
    assert set(quarantined) == {"suur.pdf", "programm.exe"}
    assert {a.status for a in quarantined.values()} == {"quarantined"}
    assert all(a.reason and a.file for a in quarantined.values())


def test_a_message_larger_than_the_limit_is_kept_unprocessed(settings):
    settings.HELPDESK_MAIL_MAX_BYTES = 500
    inbound = mail.import_message(eml(body="x" * 2000))
    assert inbound.status == InboundEmail.Status.FAILED
    assert not Ticket.objects.exists()


def test_the_command_reads_eml_files(tmp_path):
    path = tmp_path / "kiri.eml"
    path.write_bytes(eml())
    out = io.StringIO()
    call_command("import_support_mail", str(path), stdout=out)
    assert "1 made into tickets or replies, 0 kept with an error." in out.getvalue()


def test_the_quoted_earlier_message_is_kept_apart_not_cut(make_user):
    ticket = mail.import_message(eml()).ticket
    reply = eml(
        subject=f"Re: [{ticket.reference}] Ei saa sisse logida",
        body="Aitäh!\n\n-----Original Message-----\nFrom: Tugi\nSaatke pilt.",
        message_id="<3@example.ee>",
    )
    mail.import_message(reply)
    last = ticket.messages.filter(kind=Message.Kind.INCOMING).last()
    assert last.body == "Aitäh!"
    assert "Saatke pilt." in last.quoted
