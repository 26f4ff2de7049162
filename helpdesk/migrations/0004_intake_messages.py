"""The support mailbox's messages move to ``core.intake``: each ``InboundEmail`` keeps its role
(what the helpdesk made of a message) and links the ``InboundMessage`` that now holds the message
as it came (a file in storage, with its SHA-256), in the mailbox "helpdesk". The raw bytes leave
the database table; the reverse puts them back."""

import email
import email.policy
import hashlib
from email.utils import parseaddr

from django.core.files.base import ContentFile
from django.db import migrations

MIRRORED = {"done": "done", "held": "done", "rejected": "done", "failed": "failed", "new": "new"}


def _headers(raw: bytes) -> dict:
    """Subject, sender and text for the lists, read leniently (the handler reads it properly)."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        name, address = parseaddr(str(message.get("From", "")))
        body = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
        text = body.get_content() if body is not None else ""
        return {
            "subject": " ".join(str(message.get("Subject", "")).split())[:255],
            "sender_email": address.strip().lower()[:254],
            "sender_name": name.strip()[:255],
            "text": str(text).replace("\x00", "")[:20_000],
        }
    except Exception:  # broken input stays as it came; only the lists lack its fields
        return {}


def forwards(apps, schema_editor):
    InboundEmail = apps.get_model("helpdesk", "InboundEmail")
    Message = apps.get_model("helpdesk", "Message")
    Mailbox = apps.get_model("core", "Mailbox")
    InboundMessage = apps.get_model("core", "InboundMessage")
    rows = InboundEmail.objects.filter(inbound__isnull=True).order_by("pk")
    if not rows.exists():
        return
    mailbox, _created = Mailbox.objects.get_or_create(
        name="helpdesk", defaults={"purpose": "helpdesk"}
    )
    seen = set(
        InboundMessage.objects.filter(mailbox=mailbox, uid__isnull=True).values_list(
            "sha256", flat=True
        )
    )
    for row in rows.iterator():
        raw = bytes(row.raw or b"")
        sha256 = hashlib.sha256(raw).hexdigest()
        status = MIRRORED.get(row.status, "new")
        message = InboundMessage(
            mailbox=mailbox,
            source="file",
            sha256=sha256,
            raw_name=f"support-mail-{row.pk}.eml",
            size=len(raw),
            kept_at=row.received,
            message_id=row.message_id,
            status=status,
            error=row.error if status == "failed" else "",
            processed_at=row.received if status != "new" else None,
            outcome=f"KT-{row.ticket.code}" if row.ticket_id else "",
            **(_headers(raw) if raw else {}),
        )
        if sha256 in seen:
            # The same bytes kept twice before (read twice from the mailbox): the intake keeps
            # a file once per mailbox, so the copy is told apart as "UID" the old row's id
            # under UIDVALIDITY 0, which no IMAP server hands out (RFC 3501: nz-number).
            message.uidvalidity, message.uid = 0, row.pk
        seen.add(sha256)
        message.raw.save(message.raw_name, ContentFile(raw), save=False)
        message.save()
        row.inbound = message
        row.save(update_fields=["inbound"])
        if row.ticket_id and row.message_id:
            Message.objects.filter(
                ticket_id=row.ticket_id, email_message_id=row.message_id, inbound_email=None
            ).update(inbound_email=row)


def backwards(apps, schema_editor):
    """The bytes back into the table; the intake's rows of the support mailbox go (nothing is
    lost: the table holds the message again, and the files' copies are in the tickets)."""
    InboundEmail = apps.get_model("helpdesk", "InboundEmail")
    InboundMessage = apps.get_model("core", "InboundMessage")
    for row in InboundEmail.objects.exclude(inbound=None).select_related("inbound"):
        message = row.inbound
        with message.raw.open("rb") as stored:
            row.raw = stored.read()
        row.inbound = None
        row.save(update_fields=["raw", "inbound"])
        InboundMessage.objects.filter(pk=message.pk).delete()
        message.raw.storage.delete(message.raw.name)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0011_intake"),
        ("helpdesk", "0003_intake"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
