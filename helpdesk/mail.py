"""E-mail into tickets: the support mailbox (IMAP) and single ``.eml`` files.

Every message is first kept as it came (``InboundEmail``, in its own transaction), then read:
a subject with a ticket's reference ("[KT-7Q4M2XAB9KD3P]"; older tickets have 8 characters)
adds to that ticket's conversation when it comes *from* the requester's address or a staff
member's (the From header; Reply-To is the sender's to choose). From anyone else it is held for
review on the ticket's page (``services.inbound_accept`` / ``inbound_reject``): it changes
nothing, sends nothing — so neither a stranger who saw a subject line nor an auto-responder can
write into someone's ticket or start a mail loop. Anything else opens a new ticket.

A message that cannot be read — broken MIME, no sender, a huge attachment — never stops the
import and is never lost: it stays with its error for staff to see, and the next messages go
on. A message read twice (the same Message-ID) is made into a ticket once.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import strip_tags

from core.models import User
from helpdesk import services
from helpdesk.models import Category, InboundEmail, Ticket, TicketChannel

log = logging.getLogger(__name__)
REFERENCE = re.compile(r"\[KT-([23456789A-HJ-NP-Z]{8,16})\]", re.IGNORECASE)
QUOTED_REPLY = re.compile(
    r"\n(?:On .{0,200}wrote:|.{0,200} kirjutas:|-----Original Message-----)\s*\n", re.IGNORECASE
)


@dataclass
class Parsed:
    sender_email: str  # where answers go: Reply-To, else From
    sender_name: str
    subject: str
    body: str
    message_id: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    language: str = "et"
    from_email: str = ""  # who wrote it by the From header: what decides who may add to a ticket


class Unreadable(ValueError):
    """The message cannot be made into a ticket (the reason is kept with it)."""


def parse(raw: bytes) -> Parsed:
    """What a ticket needs from a raw e-mail; ``Unreadable`` when it has no usable sender."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as error:  # the email package raises several kinds on broken input
        raise Unreadable(f"broken message: {error}") from error
    try:
        name, address = parseaddr(str(message.get("From", "")))
    except Exception:  # a header that cannot be decoded
        name, address = "", ""
    from_email = address.strip().lower()
    reply_to = getaddresses([str(message.get("Reply-To", ""))])
    if reply_to and reply_to[0][1]:
        address = reply_to[0][1]
    address = address.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
        raise Unreadable("no sender address")
    subject = " ".join(str(message.get("Subject", "")).split())[:255] or "(—)"
    body = _text(message)
    attachments = []
    for part in message.iter_attachments() if isinstance(message, EmailMessage) else []:
        filename = part.get_filename() or "attachment"
        try:
            content = part.get_payload(decode=True) or b""
        except Exception:  # a part that cannot be decoded is named, not kept
            log.warning("support mail: attachment %s cannot be decoded", filename)
            content = b""
        attachments.append((filename, content))
    return Parsed(
        sender_email=address,
        sender_name=name.strip(),
        subject=subject,
        body=body,
        message_id=str(message.get("Message-ID", "")).strip()[:255],
        attachments=attachments,
        language=_language(message),
        from_email=from_email,
    )


def _text(message) -> str:
    part = None
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return ""
    try:
        content = part.get_content()
    except Exception:  # an unknown charset: keep what can be read
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        content = strip_tags(re.sub(r"<(br|/p|/div)\s*/?>", "\n", content, flags=re.I))
    content = content.replace("\r\n", "\n")
    quoted = QUOTED_REPLY.search(content)
    if quoted:  # the quoted earlier messages are already in the conversation
        content = content[: quoted.start()]
    return content.strip()[:20_000]


def _language(message) -> str:
    value = str(message.get("Content-Language", "")).lower()
    return value[:2] if value[:2] in ("et", "en", "ru") else "et"


def keep(raw: bytes) -> InboundEmail:
    """Store the message as it came, before anything else can fail."""
    message_id = ""
    match = re.search(rb"^Message-ID:\s*(<[^>\r\n]{1,250}>)", raw[:65536], re.I | re.M)
    if match:
        message_id = match.group(1).decode("ascii", errors="replace")
    return InboundEmail.objects.create(raw=raw, message_id=message_id)


def process(inbound: InboundEmail) -> InboundEmail:
    """Make a kept message into a ticket or a reply; on failure record why and go on."""
    try:
        with transaction.atomic():
            ticket = _to_ticket(bytes(inbound.raw))
            if isinstance(ticket, _Held):
                services.inbound_hold(inbound=inbound, ticket=ticket.ticket)
                return inbound
    except Unreadable as error:
        return _failed(inbound, str(error))
    except Exception as error:  # never stop the import: the message waits with its reason
        log.exception("support mail %s could not be processed", inbound.pk)
        return _failed(inbound, f"{type(error).__name__}: {error}")
    inbound.status, inbound.ticket, inbound.error = InboundEmail.Status.DONE, ticket, ""
    inbound.save(update_fields=["status", "ticket", "error"])
    return inbound


def _failed(inbound: InboundEmail, error: str) -> InboundEmail:
    inbound.status, inbound.error = InboundEmail.Status.FAILED, error[:2000]
    inbound.save(update_fields=["status", "error"])
    return inbound


def _files(parsed: Parsed) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, content) for name, content in parsed.attachments]


@dataclass
class _Held:
    ticket: Ticket


def may_write_to(ticket: Ticket, address: str) -> bool:
    """Whether a message from ``address`` (its From header) is added to ``ticket`` unasked:
    the requester's own address, or an active user's of the portal."""
    address = address.strip().lower()
    if not address:
        return False
    if ticket.requester_email and address == ticket.requester_email.strip().lower():
        return True
    return User.objects.filter(email__iexact=address, is_active=True).exists()


def _to_ticket(raw: bytes) -> Ticket | _Held:
    if len(raw) > settings.HELPDESK_MAIL_MAX_BYTES:
        raise Unreadable("the message is larger than HELPDESK_MAIL_MAX_BYTES")
    parsed = parse(raw)
    if parsed.message_id:
        earlier = (
            InboundEmail.objects.filter(
                message_id=parsed.message_id, status=InboundEmail.Status.DONE
            )
            .exclude(ticket=None)
            .first()
        )
        if earlier is not None:
            return earlier.ticket  # the same message again: nothing new
    match = REFERENCE.search(parsed.subject)
    ticket = Ticket.objects.filter(code=match.group(1).upper()).first() if match else None
    if ticket is not None and ticket.status != Ticket.Status.CLOSED:
        if not may_write_to(ticket, parsed.from_email):
            return _Held(ticket)
        services.requester_message(
            ticket=ticket,
            body=parsed.body,
            sender=f"{parsed.sender_name} <{parsed.sender_email}>".strip(),
            files=_files(parsed),
            email_message_id=parsed.message_id,
        )
        return ticket
    body = parsed.body or "—"
    if ticket is not None:  # a reply to a closed ticket starts a new one that names it
        body = f"({ticket.reference})\n\n{body}"
    files = _files(parsed)
    try:
        return services.ticket_create(
            subject=REFERENCE.sub("", parsed.subject).strip() or parsed.subject,
            body=body,
            channel=TicketChannel.EMAIL,
            category=Category.OTHER,
            requester_email=parsed.sender_email,
            requester_name=parsed.sender_name,
            language=parsed.language,
            files=files,
            email_message_id=parsed.message_id,
        )
    except Exception as error:
        if not files or "files" not in getattr(error, "message_dict", {}):
            raise
    # A refused attachment must not lose the question: the ticket is made without it.
    names = ", ".join(name for name, _content in parsed.attachments)
    return services.ticket_create(
        subject=REFERENCE.sub("", parsed.subject).strip() or parsed.subject,
        body=f"{body}\n\n[{names}]",
        channel=TicketChannel.EMAIL,
        category=Category.OTHER,
        requester_email=parsed.sender_email,
        requester_name=parsed.sender_name,
        language=parsed.language,
        email_message_id=parsed.message_id,
    )


def import_message(raw: bytes) -> InboundEmail:
    """Keep and process one message (an ``.eml`` file's bytes)."""
    return process(keep(raw))


def mailbox_read(url: str | None = None, *, limit: int = 200) -> int:
    """Read the unseen messages of the support mailbox into tickets; a message is marked seen
    only after it is kept. Returns how many were read."""
    url = url if url is not None else settings.HELPDESK_IMAP_URL
    if not url:
        return 0
    parts = urlsplit(url)
    client_class = imaplib.IMAP4_SSL if parts.scheme == "imaps" else imaplib.IMAP4
    client = client_class(parts.hostname, parts.port or (993 if parts.scheme == "imaps" else 143))
    read = 0
    try:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
        client.select(unquote(parts.path.lstrip("/")) or "INBOX")
        _status, data = client.search(None, "UNSEEN")
        for number in (data[0] or b"").split()[:limit]:
            _status, fetched = client.fetch(number, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if raw is None:
                continue
            inbound = keep(raw)
            client.store(number, "+FLAGS", "\\Seen")
            process(inbound)
            read += 1
    finally:
        try:
            client.logout()
        except Exception:  # the connection may already be gone
            log.warning("support mailbox: logout failed")
    return read
