"""A quarantined file released or deleted (with the reason), and the downloads of a message as it
arrived and of its files for the consumers' views."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.intake.models import InboundAttachment, InboundMessage
from core.intake.workflows import QUARANTINE
from core.uploads import safe_display_name


@transaction.atomic
def attachment_release(*, actor, attachment: InboundAttachment) -> InboundAttachment:
    """Release a quarantined file: staff have looked at it and it may be used as it is. The
    consumer's view checks the permission and attaches the file where it belongs."""
    locked = QUARANTINE.lock(attachment)
    QUARANTINE.move(
        locked, "release", actor=actor, attachment=locked.pk, name=locked.name, reason=locked.reason
    )
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def attachment_delete(*, actor, attachment: InboundAttachment, reason: str) -> InboundAttachment:
    """Delete a quarantined file: the file goes (after commit), the row stays with who, when and
    why, and the timeline says so."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the file is deleted."))
    locked = QUARANTINE.lock(attachment)
    QUARANTINE.move(
        locked,
        "delete",
        actor=actor,
        attachment=locked.pk,
        name=locked.name,
        reason=reason,
        quarantine_reason=locked.reason,
    )
    path = locked.file.name
    locked.reason, locked.file = reason, ""
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "file", "decided_by", "decided_at"])
    if path:
        storage = locked.file.storage
        transaction.on_commit(lambda: storage.delete(path))
    return locked


def raw_filename(message: InboundMessage) -> str:
    """The download name of a message as it came: its file's name, else its subject + .eml."""
    if message.raw_name and message.source != InboundMessage.Source.IMAP:
        return message.raw_name
    subject = (message.subject or "").replace("/", "_").replace("\\", "_")  # not folders
    stem = safe_display_name(subject, max_length=120).removesuffix(".eml")
    return f"{stem if message.subject else f'message-{message.pk}'}.eml"


def raw_download(message: InboundMessage) -> FileResponse:
    """The message as it came, as a download (the caller's view checks permission)."""
    name = raw_filename(message)
    is_email = PurePath(name.lower()).suffix == ".eml"
    return FileResponse(
        message.raw.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="message/rfc822" if is_email else "application/octet-stream",
    )


def attachment_download(attachment: InboundAttachment) -> FileResponse:
    """One attachment as a download (quarantined ones too: staff decide on them). Never shown
    inline: its type may be a lie."""
    if not attachment.file:
        raise FileNotFoundError(attachment.name)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type="application/octet-stream",
    )
