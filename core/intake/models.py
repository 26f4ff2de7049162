"""The rows of the intake: mailboxes with their IMAP high-water mark, messages as they came,
and every attachment on its own (kept or quarantined)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def raw_path(instance: InboundMessage, filename: str) -> str:
    return f"intake/raw/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.eml"


def attachment_path(instance: InboundAttachment, filename: str) -> str:
    return f"intake/files/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Purpose(models.TextChoices):
    """Who makes something of a mailbox's messages (``core.intake.register_handler``)."""

    HELPDESK = "helpdesk", _("customer support (tickets)")
    REGISTRY = "registry", _("registration inbox")


class Mailbox(models.Model):
    """A source of messages: an IMAP folder, the scanner's drop folder or uploads by hand.

    IMAP is read by UID: ``last_uid`` is the highest UID kept so far under ``uidvalidity``
    (RFC 3501 § 2.3.1.1); a new UIDVALIDITY starts from 0 again (the message-level idempotence
    key keeps that from making anything twice)."""

    name = models.SlugField(_("name"), max_length=50, unique=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_read_at = models.DateTimeField(_("last read at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InboundMessage(models.Model):
    """One message (or scanned file) as it arrived, before and after it was processed."""

    class Source(models.TextChoices):
        IMAP = "imap", _("mailbox")
        FILE = "file", pgettext_lazy("intake source", "e-mail file (.eml, .msg)")
        DROP = "drop", _("scanner or drop folder")

    class Status(models.TextChoices):
        NEW = "new", _("not processed yet")
        DONE = "done", _("processed")
        FAILED = "failed", _("could not be processed")

    class Kind(models.TextChoices):
        MESSAGE = "message", _("message")
        AUTO_REPLY = "auto_reply", _("automatic reply")
        BOUNCE = "bounce", _("delivery failure notice")
        BULK = "bulk", _("mailing list or newsletter")
        SCAN = "scan", _("scanned document")

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    source = models.CharField(_("source"), max_length=5, choices=Source.choices)
    # The idempotence key: IMAP (uidvalidity, uid); files and drops their SHA-256.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    raw = models.FileField(_("message as it came"), upload_to=raw_path, max_length=255)
    raw_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    kept_at = models.DateTimeField(_("kept at"), default=timezone.now, db_index=True)
    # What parsing found (empty until processed).
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.MESSAGE, db_index=True
    )
    kind_reason = models.CharField(_("recognised by"), max_length=255, blank=True)
    sender_email = models.EmailField(_("sender's e-mail"), max_length=254, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)  # the Date header
    text = models.TextField(_("text"), blank=True)  # the new part, quoted text excluded
    quoted = models.TextField(_("quoted text"), blank=True)  # folded in the display
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.NEW, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    # What the handler made of it, for the list and the timeline ("ticket KT-…", "inbox item").
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["-kept_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"],
                condition=Q(uid__isnull=False),
                name="intake_message_once_per_uid",
            ),
            models.UniqueConstraint(
                fields=["mailbox", "sha256"],
                condition=Q(uid__isnull=True),
                name="intake_file_once_per_mailbox",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "kept_at"], condition=~Q(status="done"), name="intake_unfinished"
            ),
        ]

    def __str__(self) -> str:
        return self.subject or self.raw_name or f"#{self.pk}"


class InboundAttachment(models.Model):
    """One file of a message, on its own: a refused file is kept in quarantine with its reason,
    never dropped with its siblings. Files of a forwarded message (``message/rfc822``) and of
    ``winmail.dat`` are unpacked into rows of their own (``origin``)."""

    class Status(models.TextChoices):
        KEPT = "kept", pgettext_lazy("attachment status", "accepted")
        QUARANTINED = "quarantined", _("in quarantine")
        RELEASED = "released", _("released from quarantine")
        DELETED = "deleted", _("deleted from quarantine")

    message = models.ForeignKey(
        InboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    kind = models.CharField(max_length=16, blank=True)  # core.uploads kind key when accepted
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255, blank=True)
    origin = models.CharField(
        _("from"), max_length=255, blank=True, help_text=_("The forwarded message or winmail.dat.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.KEPT, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment of an incoming message")
        verbose_name_plural = _("attachments of incoming messages")
        ordering = ["message", "position", "pk"]

    def __str__(self) -> str:
        return self.name
