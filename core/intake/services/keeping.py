"""Keeping a message first: its raw bytes stored once (by UID and digest, so a message read twice
is kept once), then its processing queued as a job."""

from __future__ import annotations

import email.policy
import hashlib
from datetime import datetime
from email.parser import BytesHeaderParser
from email.utils import parseaddr

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from core import jobs
from core.intake.models import InboundMessage, Mailbox
from core.intake.services.common import OLE_MAGIC, PROCESS_JOB, _clean, log
from core.uploads import safe_display_name


def _existing(box: Mailbox, uid: int | None, uidvalidity: int | None, digest: str):
    if uid is not None:
        found = InboundMessage.objects.filter(mailbox=box, uidvalidity=uidvalidity, uid=uid).first()
        if found is not None:
            return found
    # The same bytes again: a file dropped twice, or an IMAP message read again under a new
    # UIDVALIDITY (the server keeps the bytes; Received headers make a new delivery differ).
    return InboundMessage.objects.filter(mailbox=box, sha256=digest).order_by("pk").first()


def _headers(raw: bytes) -> dict[str, str]:
    """What a list shows of a message before it is processed (or when it cannot be): its
    subject, sender and Message-ID from the headers alone; nothing when they cannot be read."""
    try:
        headers = BytesHeaderParser(policy=email.policy.default).parsebytes(raw[:262144])
        name, address = parseaddr(str(headers.get("From", "")))
        return {
            "message_id": _clean(str(headers.get("Message-ID", "")).strip(), 255),
            "subject": _clean(" ".join(str(headers.get("Subject", "")).split()), 255),
            "sender_email": _clean(address.strip().lower(), 254) if "@" in address else "",
            "sender_name": _clean(name.strip(), 255),
        }
    except Exception:  # any header the email package cannot decode: the parser will tell
        log.info("intake: headers not readable before processing", exc_info=True)
        return {}


def keep(
    *,
    mailbox: Mailbox,
    raw: bytes,
    source: str,
    uid: int | None = None,
    uidvalidity: int | None = None,
    name: str = "",
    sent_at: datetime | None = None,
) -> tuple[InboundMessage, bool]:
    """Store ``raw`` as it came and queue its processing; ``(message, created)``.

    The bytes go to storage first, then the row and its job are committed together (a savepoint
    when the caller has a transaction open: the IMAP reader advances its high-water mark in the
    same one). ``name`` is the file's name (uploads, drop folder); ``sent_at`` the time a drop
    folder's file was written (a scan has no Date header)."""
    raw = bytes(raw)
    digest = hashlib.sha256(raw).hexdigest()
    found = _existing(mailbox, uid, uidvalidity, digest)
    if found is not None:
        return found, False
    message = InboundMessage(
        mailbox=mailbox,
        source=source,
        uid=uid,
        uidvalidity=uidvalidity if uid is not None else None,
        sha256=digest,
        raw_name=safe_display_name(name)[:255] if name else "",
        size=len(raw),
        sent_at=sent_at,
    )
    is_drop_scan = source == InboundMessage.Source.DROP and not name.lower().endswith(".eml")
    if not raw.startswith(OLE_MAGIC) and not is_drop_scan:  # an RFC 5322 message
        for field, value in _headers(raw).items():
            setattr(message, field, value)
    message.raw.save("message.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            message.save()
            jobs.enqueue(PROCESS_JOB, key=f"{PROCESS_JOB}:{message.pk}", message_id=message.pk)
    except IntegrityError:  # a twin committed first (two uploads of one file at once)
        message.raw.delete(save=False)
        found = _existing(mailbox, uid, uidvalidity, digest)
        if found is None:
            raise
        return found, False
    return message, True
