"""E-mail into tickets, on top of the one mail intake (``core.intake``).

The intake keeps every message of the support mailbox (IMAP by UID, or an ``.eml``/``.msg``
file) as it came, parses it, keeps or quarantines each attachment on its own and then calls
``handle`` (registered for the purpose "helpdesk" in ``HelpdeskConfig.ready``). ``handle``
records what the helpdesk made of it in an ``InboundEmail`` row:

- a human message naming a ticket ("[KT-7Q4M2XAB9KD3P]" in the subject; older tickets have 8
  characters; or In-Reply-To/References naming one of our e-mails of the ticket) adds to that
  ticket's conversation when it comes *from* the requester's address or a staff member's (the
  From header; Reply-To is the sender's to choose). From anyone else it is held for review on
  the ticket's page (``services.inbound_accept`` / ``inbound_reject``): it changes nothing,
  sends nothing. Anything else opens a new ticket, acknowledged with
  ``Auto-Submitted: auto-replied`` unless the address is ours or a mailer's.
- an automatic reply, a bounce or a list message (``parsed.kind``) never makes a ticket, is
  never acknowledged and never moves a ticket: naming one, it is shown in its conversation as an
  automatic message; else it is only recorded ("automatic reply, ignored"). A bounce of one of
  our e-mails marks that outbox row failed with the reason.
- every file that passed the checks becomes a file of the message; a refused one stays in
  quarantine (``core.intake``), listed on the ticket with "Release" and "Delete".
- the quoted earlier messages are kept beside the text (folded on the page), and a forwarded
  message's text is part of the body: nothing the sender wrote or forwarded is cut.

A message that cannot be read never stops the import and is never lost: the intake keeps it
with its reason (a message the intake reads but the helpdesk cannot use, one without a sender
address or over HELPDESK_MAIL_MAX_BYTES, is done there and failed here, with the reason). A
message read twice (the same Message-ID) is made into a ticket once.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from core.intake import parse as intake_parse
from core.intake.models import InboundAttachment, InboundMessage, Mailbox, Purpose
from core.models import OutboundEmail, User
from core.workflow import locking
from helpdesk import services
from helpdesk.models import Category, InboundEmail, Message, Ticket, TicketChannel
from helpdesk.workflows import INBOUND

log = logging.getLogger(__name__)
MAILBOX = "helpdesk"
REFERENCE = re.compile(r"\[KT-([23456789A-HJ-NP-Z]{8,16})\]", re.IGNORECASE)
BARE_REFERENCE = re.compile(r"\bKT-([23456789A-HJ-NP-Z]{8,16})\b", re.IGNORECASE)
# Mailers and robots: never acknowledged (a mail loop, or a message nobody reads).
ROBOT = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+._-].*)?$",
    re.IGNORECASE,
)
ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def mailbox() -> Mailbox:
    """The support mailbox of the intake (made on first use)."""
    from core.intake import services as intake

    return intake.mailbox(MAILBOX, Purpose.HELPDESK)


# --- Reading a kept message ---------------------------------------------------------------------


def parsed_of(message: InboundMessage) -> intake_parse.ParsedMail:
    """The kept message parsed again, as the intake parsed it (files by their name)."""
    with message.raw.open("rb") as stored:
        raw = stored.read()
    if message.source == InboundMessage.Source.IMAP:
        return intake_parse.parse_email(raw)
    return intake_parse.parse_file(message.raw_name or "message.eml", raw)


def texts(parsed: intake_parse.ParsedMail) -> tuple[str, str]:
    """(body, quoted) of a message for the conversation: its own new text, then the text of each
    message it forwards (and those forward, however deep) under a line naming it; the quoted
    earlier messages apart (folded on the page). Nothing is cut."""
    parts = [(parsed.text or "").strip()]
    quoted = [(parsed.quoted or "").strip()]

    def add(forwarded_messages) -> None:
        for forwarded in forwarded_messages:
            sender = forwarded.from_email
            if forwarded.from_name:
                sender = f"{forwarded.from_name} <{forwarded.from_email}>"
            heading = _("Forwarded message from %(sender)s: %(subject)s") % {
                "sender": sender or "—",
                "subject": forwarded.subject or "—",
            }
            parts.append(f"{heading}\n{(forwarded.text or '').strip()}".strip())
            quoted.append((forwarded.quoted or "").strip())
            add(forwarded.forwarded)

    add(parsed.forwarded)
    return "\n\n".join(p for p in parts if p), "\n\n".join(q for q in quoted if q)


def _sender(parsed: intake_parse.ParsedMail) -> str:
    address = parsed.from_email or parsed.reply_to_email
    return f"{parsed.from_name} <{address}>".strip() if parsed.from_name else address


def ticket_named(parsed: intake_parse.ParsedMail, *, also: tuple[str, ...] = ()) -> Ticket | None:
    """The ticket a message names: its reference in the subject, or one of our e-mails of the
    ticket in In-Reply-To/References (or ``also``: a bounce's original Message-ID)."""
    match = REFERENCE.search(parsed.subject or "")
    if match:
        ticket = Ticket.objects.filter(code=match.group(1).upper()).first()
        if ticket is not None:
            return ticket
    for message_id in (*also, parsed.in_reply_to, *parsed.references):
        email = our_email(message_id)
        if email is None:
            continue
        replied = Message.objects.filter(outbound_email=email).select_related("ticket").first()
        if replied is not None:
            return replied.ticket
        match = REFERENCE.search(email.subject) or BARE_REFERENCE.search(email.subject)
        if match:
            ticket = Ticket.objects.filter(code=match.group(1).upper()).first()
            if ticket is not None:
                return ticket
    return None


def our_email(message_id: str) -> OutboundEmail | None:
    """The outbox row whose Message-ID (``core.mail.message_id``) this is, if any."""
    from core.services import email_for_message_id

    return email_for_message_id(message_id)


def may_write_to(ticket: Ticket, address: str) -> bool:
    """Whether a message from ``address`` (its From header) is added to ``ticket`` unasked:
    the requester's own address, or an active user's of the portal."""
    address = address.strip().lower()
    if not address:
        return False
    if ticket.requester_email and address == ticket.requester_email.strip().lower():
        return True
    return User.objects.filter(email__iexact=address, is_active=True).exists()


def our_addresses() -> set[str]:
    """The addresses the portal sends from and reads: an acknowledgement to one is a loop."""
    addresses = set()
    for value in (
        settings.DEFAULT_FROM_EMAIL,
        settings.SERVER_EMAIL,
        getattr(settings, "HELPDESK_FROM_EMAIL", ""),
    ):
        address = (value or "").rpartition("<")[2].rstrip(">").strip().lower()
        if address:
            addresses.add(address)
    if settings.HELPDESK_IMAP_URL:
        user = unquote(urlsplit(settings.HELPDESK_IMAP_URL).username or "").lower()
        if "@" in user:
            addresses.add(user)
    return addresses


def acknowledged(address: str) -> bool:
    """Whether a new ticket from ``address`` is told its reference: never one of ours, never a
    mailer's (mailer-daemon, postmaster, noreply …)."""
    address = (address or "").strip().lower()
    if not ADDRESS.fullmatch(address) or address in our_addresses():
        return False
    return not ROBOT.match(address.partition("@")[0])


# --- The handler --------------------------------------------------------------------------------


def handle(*, message: InboundMessage, parsed: intake_parse.ParsedMail) -> str:
    """Make a parsed message of the support mailbox into a ticket, a reply, a held e-mail or an
    automatic note (``core.intake`` calls it inside the transaction that marks the message
    done). Safe to run twice: the ``InboundEmail`` row of the message says it is done."""
    inbound = _record(message, parsed)
    if inbound.status not in (InboundEmail.Status.NEW, InboundEmail.Status.FAILED):
        return inbound.outcome or (inbound.ticket.reference if inbound.ticket_id else "")
    if message.size > settings.HELPDESK_MAIL_MAX_BYTES:
        return _failed(inbound, _("The message is larger than HELPDESK_MAIL_MAX_BYTES."))
    if parsed.kind != InboundMessage.Kind.MESSAGE:
        return _automatic(inbound, message, parsed)
    return _human(inbound, message, parsed)


def _record(message: InboundMessage, parsed: intake_parse.ParsedMail) -> InboundEmail:
    inbound, _created = locking(InboundEmail.objects).get_or_create(
        inbound=message,
        defaults={"message_id": (parsed.message_id or "")[:255], "received": message.kept_at},
    )
    if not inbound.message_id and parsed.message_id:
        inbound.message_id = parsed.message_id[:255]
        inbound.save(update_fields=["message_id"])
    return inbound


def _done(inbound: InboundEmail, ticket: Ticket | None, outcome: str) -> str:
    inbound.ticket, inbound.error = ticket, ""
    INBOUND.move(inbound, "done", actor=None)
    inbound.outcome = outcome[:255]
    inbound.save(update_fields=["status", "ticket", "error", "outcome"])
    return inbound.outcome


def _failed(inbound: InboundEmail, reason: str) -> str:
    """Kept, but nothing can be made of it for the helpdesk: the row says why (the intake's
    message is processed, its raw bytes stay downloadable)."""
    INBOUND.move(inbound, "failed", actor=None)
    inbound.error = reason[:2000]
    inbound.outcome = (_("not made into a ticket: %(reason)s") % {"reason": reason})[:255]
    inbound.save(update_fields=["status", "error", "outcome"])
    return inbound.outcome


def _kept_files(message: InboundMessage):
    return message.attachments.filter(status=InboundAttachment.Status.KEPT).order_by(
        "position", "pk"
    )


def _automatic(inbound: InboundEmail, message: InboundMessage, parsed) -> str:
    """An auto-reply, a bounce or a list message: never a ticket, never answered, never moves
    one; shown on the ticket it names, else only recorded."""
    also = ()
    reason = parsed.kind_reason or message.get_kind_display()
    if parsed.kind == InboundMessage.Kind.BOUNCE and parsed.bounce is not None:
        diagnostic = parsed.bounce.diagnostic or parsed.kind_reason
        also = (parsed.bounce.original_message_id,)
        from core.services import outbound_bounced

        outbound_bounced(message_id=parsed.bounce.original_message_id, reason=diagnostic)
        if diagnostic:
            reason = diagnostic
    ticket = ticket_named(parsed, also=also)
    kind = message.get_kind_display()
    if ticket is None:
        return _done(inbound, None, _("%(kind)s, ignored") % {"kind": kind})
    body, quoted = texts(parsed)
    if parsed.kind == InboundMessage.Kind.BOUNCE and reason:
        body = f"{_('Delivery failed:')} {reason}\n\n{body}".strip()
    note = services.automatic_mail_note(
        ticket=ticket,
        inbound=inbound,
        sender=_sender(parsed),
        body=body,
        quoted=quoted,
        reason=f"{kind}: {reason}",
    )
    services.inbound_files_add(message=note, attachments=_kept_files(message))
    return _done(
        inbound,
        ticket,
        _("%(kind)s, shown on %(reference)s") % {"kind": kind, "reference": ticket.reference},
    )


def _fingerprint(message: InboundMessage) -> tuple:
    files = sorted(message.attachments.values_list("sha256", flat=True))
    return (message.sender_email, message.subject, message.text, message.quoted, files)


def _copy_of(inbound: InboundEmail, message: InboundMessage) -> InboundEmail | None:
    """An earlier message made into a ticket that this one is a copy of: the same Message-ID
    (delivered twice, or read again from another folder) and the same sender, subject, text and
    files. A different message under a reused Message-ID is not a copy: nothing of it is lost."""
    for earlier in (
        InboundEmail.objects.filter(message_id=inbound.message_id, status=InboundEmail.Status.DONE)
        .exclude(pk=inbound.pk)
        .exclude(ticket=None)
        .select_related("ticket", "inbound")
        .order_by("pk")
    ):
        if earlier.inbound is None or _fingerprint(earlier.inbound) == _fingerprint(message):
            return earlier
    return None


def _human(inbound: InboundEmail, message: InboundMessage, parsed) -> str:
    address = (parsed.reply_to_email or "").strip().lower()
    if not ADDRESS.fullmatch(address):
        return _failed(inbound, _("The message has no sender address."))
    if parsed.message_id:
        earlier = _copy_of(inbound, message)
        if earlier is not None:  # the same message again: nothing new
            return _done(
                inbound,
                earlier.ticket,
                _("a copy of a message already in %(reference)s")
                % {"reference": earlier.ticket.reference},
            )
    ticket = ticket_named(parsed)
    body, quoted = texts(parsed)
    if ticket is not None and ticket.status != Ticket.Status.CLOSED:
        if not may_write_to(ticket, parsed.from_email):
            services.inbound_hold(inbound=inbound, ticket=ticket, sender=parsed.from_email)
            return inbound.outcome
        reply = services.requester_message(
            ticket=ticket,
            body=body,
            quoted=quoted,
            sender=_sender(parsed),
            email_message_id=parsed.message_id,
            inbound_email=inbound,
        )
        services.inbound_files_add(message=reply, attachments=_kept_files(message))
        return _done(inbound, ticket, _("reply in %(reference)s") % {"reference": ticket.reference})
    body = body or "—"
    if ticket is not None:  # a reply to a closed ticket starts a new one that names it
        body = f"({ticket.reference})\n\n{body}"
    subject = REFERENCE.sub("", parsed.subject or "").strip() or parsed.subject or "(—)"
    new = services.ticket_create(
        subject=subject,
        body=body,
        quoted=quoted,
        channel=TicketChannel.EMAIL,
        category=Category.OTHER,
        requester_email=address,
        requester_name=parsed.from_name if address == parsed.from_email else "",
        language=parsed.language,
        email_message_id=parsed.message_id,
        inbound_email=inbound,
        notify=False,
    )
    services.inbound_files_add(message=new.messages.get(), attachments=_kept_files(message))
    if acknowledged(new.requester_email):
        services.ticket_acknowledge(ticket=new, in_reply_to=parsed.message_id)
    return _done(inbound, new, _("new ticket %(reference)s") % {"reference": new.reference})


# --- Importing ----------------------------------------------------------------------------------


def record_of(message: InboundMessage) -> InboundEmail:
    """The helpdesk's row of a message, also for one the intake could not read (failed with its
    reason: the handler never ran for it) or has not processed yet."""
    message.refresh_from_db()
    inbound = InboundEmail.objects.filter(inbound=message).select_related("ticket").first()
    if inbound is None:
        inbound = InboundEmail.objects.create(
            inbound=message, message_id=message.message_id[:255], received=message.kept_at
        )
    if message.status == InboundMessage.Status.FAILED and inbound.status in (
        InboundEmail.Status.NEW,
        InboundEmail.Status.FAILED,
    ):
        INBOUND.move(inbound, "failed", actor=None)
        inbound.error = message.error
        inbound.save(update_fields=["status", "error"])
    return inbound


def import_message(raw: bytes, *, name: str = "message.eml") -> InboundEmail:
    """Keep and process one message (an ``.eml`` or ``.msg`` file's bytes) at once."""
    from core.intake import services as intake

    message, _created = intake.keep(mailbox=mailbox(), raw=raw, source="file", name=name)
    process_waiting(message)
    return record_of(message)


def process_waiting(message: InboundMessage) -> None:
    """Process a kept message now unless that is done already (the intake's job may have run on
    commit); an error leaves it to the intake's retries and never stops the caller."""
    from core.intake import services as intake

    message.refresh_from_db(fields=["status"])
    if message.status != InboundMessage.Status.NEW:
        return
    try:
        intake.process(message_id=message.pk)
    except Exception:  # retried by the intake's job and sweeper; the next message goes on
        log.exception("support mail %s could not be processed now", message.pk)


def mailbox_read(url: str | None = None, *, limit: int | None = None) -> int:
    """Read the support mailbox (``HELPDESK_IMAP_URL``) through the intake: new messages by UID
    (also those already read elsewhere), each kept, then processed; returns how many were
    read. Messages left unprocessed by an earlier run are processed too."""
    from core.intake import imap

    url = url if url is not None else settings.HELPDESK_IMAP_URL
    if not url:
        return 0
    box = mailbox()
    arguments = {"limit": limit} if limit else {}
    count = imap.read_mailbox(mailbox=box, url=url, **arguments)
    for waiting in InboundMessage.objects.filter(
        mailbox=box, status=InboundMessage.Status.NEW
    ).order_by("pk"):
        process_waiting(waiting)
    return count
