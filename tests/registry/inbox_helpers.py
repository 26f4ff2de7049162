"""Rows of the intake made directly (as ``core.intake.services.process`` leaves them), for the
registration inbox's tests."""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from core.intake.models import InboundAttachment, InboundMessage, Mailbox
from core.pdf import html_to_pdf
from registry import inbox

_uids = itertools.count(1)


def general_mailbox() -> Mailbox:
    box, _created = Mailbox.objects.get_or_create(
        name="uldaadress", defaults={"purpose": "registry"}
    )
    return box


def pdf_with(text: str) -> bytes:
    return html_to_pdf(f"<p>{text}</p>")


def make_message(
    *,
    subject: str = "Taotlus bussipeatuse kohta",
    sender_email: str = "mari.maasikas@example.ee",
    sender_name: str = "Mari Maasikas",
    text: str = "Tere! Palun paigaldage bussipeatusesse pink.",
    quoted: str = "",
    kind: str = InboundMessage.Kind.MESSAGE,
    kind_reason: str = "",
    sent_at: datetime | None = None,
    kept_at: datetime | None = None,
    files: tuple = (),
    raw_name: str = "",
    source: str = InboundMessage.Source.IMAP,
) -> InboundMessage:
    """A processed message with its attachments; ``files`` are (name, bytes) or
    (name, bytes, status, reason) tuples."""
    uid = next(_uids)
    raw = (
        f"From: {sender_name} <{sender_email}>\r\nTo: info@asutus.example.ee\r\n"
        f"Subject: {subject}\r\nMessage-ID: <{uid}@example.ee>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{text}\r\n"
    ).encode()
    message = InboundMessage(
        mailbox=general_mailbox(),
        source=source,
        uid=uid if source == InboundMessage.Source.IMAP else None,
        uidvalidity=1 if source == InboundMessage.Source.IMAP else None,
        sha256=hashlib.sha256(raw + str(uid).encode()).hexdigest(),
        raw_name=raw_name,
        size=len(raw),
        kept_at=kept_at or timezone.now(),
        message_id=f"<{uid}@example.ee>",
        kind=kind,
        kind_reason=kind_reason,
        sender_email=sender_email,
        sender_name=sender_name,
        subject=subject,
        sent_at=sent_at,
        text=text,
        quoted=quoted,
        status=InboundMessage.Status.DONE,
        processed_at=timezone.now(),
    )
    message.raw.save("message.eml", ContentFile(raw), save=False)
    message.save()
    for position, spec in enumerate(files):
        name, data, status, reason = (*spec, InboundAttachment.Status.KEPT, "")[:4]
        attachment = InboundAttachment(
            message=message,
            position=position,
            name=name,
            content_type="application/pdf" if name.endswith(".pdf") else "",
            kind="pdf" if name.endswith(".pdf") else "",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            status=status,
            reason=reason,
        )
        attachment.file.save(name, ContentFile(data), save=False)
        attachment.save()
    return message


def make_item(**kwargs):
    """A message and its inbox item, made by the registry's handler."""
    message = make_message(**kwargs)
    inbox.handle(message=message, parsed=None)
    return message.inbox_item
