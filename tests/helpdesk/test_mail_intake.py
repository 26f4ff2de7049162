"""The helpdesk as a consumer of the mail intake (core.intake, issue 15): every attachment kept
or quarantined on its own, automatic messages and bounces that never make or move a ticket,
forwarded and quoted text kept, and the e-mail as it came downloadable by staff."""

import io
from email.message import EmailMessage

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils.translation import gettext

from core import mail as core_mail
from core import roles
from core.intake.models import InboundAttachment, InboundMessage
from core.models import Event, OutboundEmail
from core.services import email_message
from helpdesk import mail, services
from helpdesk.models import InboundEmail, Message, Ticket
from tests.helpdesk.test_mail import PDF, eml

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _db(db):
    pass


@pytest.fixture
def viewer(make_user):
    """May see tickets, not act on them (the head)."""
    return make_user(roles.HEAD, username="juhataja")


def four_files() -> bytes:
    return eml(
        subject="Taotluse lisad",
        body="Tere! Saadan taotluse lisad.",
        message_id="<four@example.ee>",
        files=[
            ("taotlus.pdf", PDF, "application", "pdf"),
            ("pilt.png", PNG, "image", "png"),
            ("selgitus.txt", "Selgitus õigusega".encode(), "text", "plain"),
            ("programm.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 8, "application", "octet-stream"),
        ],
    )


# --- attachments: kept on their own, quarantine with release and delete -------------------------


def test_three_good_files_are_kept_and_the_exe_is_quarantined():
    inbound = mail.import_message(four_files())
    message = inbound.ticket.messages.get()
    assert sorted(a.name for a in message.attachments.all()) == [
        "pilt.png",
        "selgitus.txt",
        "taotlus.pdf",
    ]
    quarantined = inbound.inbound.attachments.get(status=InboundAttachment.Status.QUARANTINED)
    assert quarantined.name == "programm.exe"
    assert quarantined.reason
    assert "programm.exe" not in message.body


def test_the_quarantined_file_is_listed_and_released_into_its_message(client, specialist):
    inbound = mail.import_message(four_files())
    ticket = inbound.ticket
    exe = inbound.inbound.attachments.get(status=InboundAttachment.Status.QUARANTINED)
    client.force_login(specialist)
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert 'id="quarantine"' in page
    assert "programm.exe" in page
    assert exe.reason.split(" ")[0] in page
    assert f"/quarantine/{exe.pk}/release/" in page
    download = client.get(f"/support/{ticket.pk}/quarantine/{exe.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"MZ")
    response = client.post(f"/support/{ticket.pk}/quarantine/{exe.pk}/release/")
    assert response.status_code == 302
    exe.refresh_from_db()
    assert (exe.status, exe.decided_by) == (InboundAttachment.Status.RELEASED, specialist)
    message = ticket.messages.get()
    assert "programm.exe" in [a.name for a in message.attachments.all()]
    assert Event.objects.filter(verb="file_released", object_id=str(ticket.pk)).exists()
    # released once: a second post changes nothing
    client.post(f"/support/{ticket.pk}/quarantine/{exe.pk}/release/")
    assert message.attachments.count() == 4
    assert 'id="quarantine"' not in client.get(f"/support/{ticket.pk}/").content.decode()


def test_a_quarantined_file_is_deleted_with_a_reason(client, specialist):
    inbound = mail.import_message(four_files())
    ticket = inbound.ticket
    exe = inbound.inbound.attachments.get(status=InboundAttachment.Status.QUARANTINED)
    path = exe.file.name
    storage = exe.file.storage
    client.force_login(specialist)
    client.post(f"/support/{ticket.pk}/quarantine/{exe.pk}/delete/", {"reason": ""})
    exe.refresh_from_db()
    assert exe.status == InboundAttachment.Status.QUARANTINED  # no reason: nothing deleted
    with pytest.raises(ValidationError):
        services.quarantined_file_delete(
            actor=specialist, ticket=ticket, attachment=exe, reason=" "
        )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/support/{ticket.pk}/quarantine/{exe.pk}/delete/", {"reason": "Viirus"}
        )
    assert response.status_code == 302
    exe.refresh_from_db()
    assert (exe.status, exe.reason) == (InboundAttachment.Status.DELETED, "Viirus")
    assert not storage.exists(path)
    assert ticket.messages.get().attachments.count() == 3
    assert Event.objects.filter(verb="file_deleted", object_id=str(ticket.pk)).exists()


def test_releasing_or_deleting_needs_the_right_to_change_tickets(client, viewer, make_user):
    inbound = mail.import_message(four_files())
    ticket = inbound.ticket
    exe = inbound.inbound.attachments.get(status=InboundAttachment.Status.QUARANTINED)
    client.force_login(viewer)
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert "programm.exe" in page  # seen, but no buttons
    assert f"/quarantine/{exe.pk}/release/" not in page
    for action, data in (("release", {}), ("delete", {"reason": "x"})):
        response = client.post(f"/support/{ticket.pk}/quarantine/{exe.pk}/{action}/", data)
        assert response.status_code == 403
    assert client.get(f"/support/{ticket.pk}/quarantine/{exe.pk}/").status_code == 403
    exe.refresh_from_db()
    assert exe.status == InboundAttachment.Status.QUARANTINED


def test_a_file_of_another_tickets_e_mail_is_not_found(client, specialist, make_ticket):
    inbound = mail.import_message(four_files())
    exe = inbound.inbound.attachments.get(status=InboundAttachment.Status.QUARANTINED)
    other = make_ticket()
    client.force_login(specialist)
    response = client.post(f"/support/{other.pk}/quarantine/{exe.pk}/release/")
    assert response.status_code == 404
    assert client.get(f"/support/{other.pk}/quarantine/{exe.pk}/").status_code == 404
    exe.refresh_from_db()
    assert exe.status == InboundAttachment.Status.QUARANTINED


# --- automatic messages and bounces -------------------------------------------------------------


def out_of_office(ticket: Ticket) -> bytes:
    message = EmailMessage()
    message["From"] = "Kati Kask <kati@example.ee>"
    message["To"] = "tugi@naidisamet.example.ee"
    message["Subject"] = f"Automatic reply: [{ticket.reference}] Ei saa sisse logida"
    message["Message-ID"] = "<ooo-2@example.ee>"
    message["Auto-Submitted"] = "auto-replied"
    message["X-Autoreply"] = "yes"
    message.set_content("Olen puhkusel 14. detsembrini.")
    return message.as_bytes()


def test_an_out_of_office_reply_leaves_a_waiting_ticket_waiting_and_sends_nothing(
    make_ticket, specialist, client
):
    ticket = make_ticket(requester_email="kati@example.ee")
    services.ticket_reply(actor=specialist, ticket=ticket, body="Saatke pilt.", then="wait")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    emails = OutboundEmail.objects.count()
    inbound = mail.import_message(out_of_office(ticket))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    assert ticket.waiting_since is not None
    assert OutboundEmail.objects.count() == emails
    assert Ticket.objects.count() == 1
    assert (inbound.status, inbound.ticket) == (InboundEmail.Status.DONE, ticket)
    note = ticket.messages.get(kind=Message.Kind.AUTO)
    assert note.body.startswith("Olen puhkusel")
    client.force_login(specialist)
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert f'id="message-{note.pk}"' in page
    assert "bg-body-secondary" in page  # greyed


def test_an_auto_reply_naming_no_ticket_is_only_recorded():
    raw = eml(subject="Out of Office", message_id="<ooo-3@example.ee>").replace(
        b"Subject:", b"Auto-Submitted: auto-replied\nSubject:", 1
    )
    inbound = mail.import_message(raw)
    assert inbound.status == InboundEmail.Status.DONE
    assert inbound.ticket is None
    ignored = gettext("%(kind)s, ignored") % {"kind": InboundMessage.Kind.AUTO_REPLY.label}
    assert str(InboundMessage.Kind.AUTO_REPLY.label) in ignored  # "automatic reply, ignored"
    assert inbound.outcome == ignored
    assert inbound.inbound.outcome == ignored
    assert not Ticket.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_newsletter_makes_no_ticket_and_gets_no_acknowledgement():
    raw = eml(subject="Uudiskiri detsember", message_id="<news@example.ee>").replace(
        b"Subject:",
        b"List-Unsubscribe: <mailto:leave@lists.example.ee>\nPrecedence: bulk\nSubject:",
        1,
    )
    inbound = mail.import_message(raw)
    assert inbound.status == InboundEmail.Status.DONE
    assert not Ticket.objects.exists()
    assert not OutboundEmail.objects.exists()


def dsn(original_message_id: str, *, recipient: str = "kati@example.ee") -> bytes:
    """A delivery status notification (RFC 3464) as Postfix sends it."""
    return f"""Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.naidisamet.example.ee>
To: tugi@naidisamet.example.ee
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mx.naidisamet.example.ee>
Date: Fri, 04 Dec 2026 11:05:00 +0200
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: host mx.example.ee said: 550 5.1.1 user unknown

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.naidisamet.example.ee

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--B1
Content-Type: message/rfc822

From: tugi@naidisamet.example.ee
To: {recipient}
Subject: Teie poordumine on katte saadud
Message-ID: {original_message_id}

Tere!

--B1--
""".replace("\n", "\r\n").encode()


def test_a_bounce_of_our_acknowledgement_fails_the_outbox_row_and_makes_no_ticket(
    client, specialist
):
    ticket = mail.import_message(eml(sender="Kati <kati@example.ee>")).ticket
    ack = OutboundEmail.objects.get(key=f"helpdesk-received-{ticket.pk}")
    message_id = core_mail.message_id(pk=ack.pk, token=ack.token)
    inbound = mail.import_message(dsn(message_id))
    ack.refresh_from_db()
    assert ack.status == OutboundEmail.Status.FAILED
    assert "550 5.1.1 user unknown" in ack.last_error
    assert Ticket.objects.count() == 1
    assert OutboundEmail.objects.count() == 1  # the bounce is not acknowledged
    assert (inbound.status, inbound.ticket) == (InboundEmail.Status.DONE, ticket)
    note = ticket.messages.get(kind=Message.Kind.AUTO)
    assert "550 5.1.1 user unknown" in note.body
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_a_bounce_of_something_not_ours_changes_nothing():
    inbound = mail.import_message(dsn("<someone-else@example.com>"))
    assert inbound.status == InboundEmail.Status.DONE
    assert not Ticket.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.example.ee",
        "postmaster@example.ee",
        "noreply@teenus.example.ee",
        "no-reply@teenus.example.ee",
        "tugi@naidisamet.example.ee",
    ],
)
def test_robots_and_our_own_address_are_never_acknowledged(settings, sender):
    settings.DEFAULT_FROM_EMAIL = "Näidisamet <tugi@naidisamet.example.ee>"
    mail.import_message(eml(sender=sender, subject="Küsimus", message_id=f"<{sender}>"))
    assert not OutboundEmail.objects.exists()


def test_the_acknowledgement_is_an_automatic_reply():
    ticket = mail.import_message(eml()).ticket
    ack = OutboundEmail.objects.get(key=f"helpdesk-received-{ticket.pk}")
    assert ack.to == ["kati@example.ee"]
    assert ticket.reference in ack.subject
    headers = email_message(ack).extra_headers
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["In-Reply-To"] == "<1@example.ee>"


# --- forwarded and quoted text ------------------------------------------------------------------


def test_a_forwarded_citizens_question_makes_a_ticket_with_its_text_and_attachment():
    question = EmailMessage()
    question["From"] = "Jüri Juurikas <juri@example.ee>"
    question["To"] = "info@naidisamet.example.ee"
    question["Subject"] = "Küsimus loa kohta"
    question["Message-ID"] = "<question@example.ee>"
    question.set_content("Tere! Kas minu luba kehtib ka Tartus?")
    question.add_attachment(PDF, maintype="application", subtype="pdf", filename="luba.pdf")
    forward = EmailMessage()
    forward["From"] = "Mari Maasikas <mari@example.ee>"
    forward["To"] = "tugi@naidisamet.example.ee"
    forward["Subject"] = "Fwd: Küsimus loa kohta"
    forward["Message-ID"] = "<forward@example.ee>"
    forward.set_content("")
    forward.add_attachment(question)
    inbound = mail.import_message(forward.as_bytes())
    assert inbound.status == InboundEmail.Status.DONE
    first = inbound.ticket.messages.get()
    assert "Kas minu luba kehtib ka Tartus?" in first.body
    assert "juri@example.ee" in first.body
    assert [a.name for a in first.attachments.all()] == ["luba.pdf"]
    assert inbound.ticket.subject == "Fwd: Küsimus loa kohta"


def test_quoted_text_is_on_the_page_folded(client, specialist):
    ticket = mail.import_message(eml()).ticket
    reply = eml(
        subject=f"Re: [{ticket.reference}] Ei saa sisse logida",
        body="Pilt on lisatud.\n\nOn Mon, 30 Nov 2026 Tugi wrote:\n> Saatke palun kuvatõmmis.",
        message_id="<quoted@example.ee>",
    )
    mail.import_message(reply)
    client.force_login(specialist)
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    details = page[page.index("<details") : page.index("</details>")]
    assert "<summary" in details  # "Show quoted text"
    assert "Saatke palun kuvatõmmis." in details
    assert page.index("Pilt on lisatud.") < page.index("<details")


# --- the e-mail as it came ----------------------------------------------------------------------


def test_staff_download_the_e_mail_as_it_came(client, specialist, viewer):
    raw = eml(subject="Ei saa sisse logida")
    inbound = mail.import_message(raw)
    ticket = inbound.ticket
    url = f"/support/{ticket.pk}/e-mail/{inbound.pk}/"
    client.force_login(specialist)
    assert url in client.get(f"/support/{ticket.pk}/").content.decode()
    for user in (specialist, viewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "message/rfc822"
        assert 'filename="Ei saa sisse logida.eml"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == raw


def test_the_e_mail_is_not_for_the_wrong_role_or_another_ticket(
    client, make_user, specialist, make_ticket
):
    inbound = mail.import_message(eml())
    ticket = inbound.ticket
    client.force_login(make_user(username="nobody"))
    assert client.get(f"/support/{ticket.pk}/e-mail/{inbound.pk}/").status_code == 403
    client.logout()
    response = client.get(f"/support/{ticket.pk}/e-mail/{inbound.pk}/")
    assert response.status_code == 302  # to the sign-in page
    other = make_ticket()
    client.force_login(specialist)
    assert client.get(f"/support/{other.pk}/e-mail/{inbound.pk}/").status_code == 404


def test_the_command_keeps_files_in_the_helpdesk_mailbox_of_the_intake(tmp_path):
    path = tmp_path / "kiri.eml"
    path.write_bytes(eml(message_id="<cmd@example.ee>"))
    out = io.StringIO()
    call_command("import_support_mail", str(path), stdout=out)
    assert f"kiri.eml: {InboundEmail.objects.get().outcome}" in out.getvalue()
    assert Ticket.objects.get().reference in out.getvalue()
    message = InboundMessage.objects.get()
    assert (message.source, message.raw_name, message.mailbox.name) == (
        "file",
        "kiri.eml",
        "helpdesk",
    )


def test_the_command_reads_an_outlook_msg_file(tmp_path):
    from tests.intake.test_corpus import CORPUS

    path = tmp_path / "kiri.msg"
    path.write_bytes((CORPUS / "msg_newsletter_de.msg").read_bytes())
    out = io.StringIO()
    call_command("import_support_mail", str(path), stdout=out)
    inbound = InboundEmail.objects.get()
    assert f"kiri.msg: {inbound.outcome}" in out.getvalue()
    assert inbound.ticket.reference in out.getvalue()
    assert inbound.ticket.messages.get().body.strip()


def test_a_message_forwarded_twice_keeps_the_innermost_question():
    from tests.intake.test_corpus import CORPUS

    name = "forwarded_nested_twice.eml"
    inbound = mail.import_message((CORPUS / name).read_bytes(), name=name)
    first = inbound.ticket.messages.get()
    assert first.body.startswith("Teile teadmiseks.")
    assert "Edastan." in first.body
    assert "Palun luba rajada mahasõit Kuuse teelt." in first.body
    assert [a.name for a in first.attachments.all()] == ["kinnistu_plaan.pdf"]
