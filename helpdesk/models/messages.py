"""A ticket's conversation: its messages, their files, and the e-mails that came in for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import active_content_field, storage_name
from helpdesk.models.tickets import Ticket


class Message(models.Model):
    """One message of a ticket's conversation: from the requester, an answer sent to them, or
    an internal note only staff see."""

    class Kind(models.TextChoices):
        INCOMING = "in", _("from the requester")
        REPLY = "reply", _("answer")
        NOTE = "note", _("internal note")
        # An auto-reply, a bounce or a list message naming the ticket: shown (greyed) for staff,
        # it changes nothing and is never answered.
        AUTO = "auto", _("automatic message")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender = models.CharField(_("from"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    # The earlier messages the e-mail quoted: kept whole, folded in the conversation.
    quoted = models.TextField(_("quoted text"), blank=True)
    created = models.DateTimeField(_("time"), default=timezone.now)
    email_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    inbound_email = models.ForeignKey(
        "InboundEmail",
        verbose_name=_("incoming e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    outbound_email = models.OneToOneField(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.get_kind_display()}"


def attachment_path(instance, filename: str) -> str:
    return storage_name("helpdesk")


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    active_content = active_content_field()
    # The file of an incoming e-mail it was copied from (kept at once, or released from
    # quarantine): what makes copying it twice impossible.
    inbound_attachment = models.OneToOneField(
        "core.InboundAttachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class InboundEmail(models.Model):
    """What the helpdesk made of one message of the support mailbox (the message itself, raw,
    is ``core.intake``'s ``InboundMessage``): a ticket or a reply (done), a note or nothing for
    an automatic message (done, with the outcome), held for review on the ticket's page until
    accepted or rejected, or failed with the reason."""

    class Status(models.TextChoices):
        NEW = "new", _("not processed")
        DONE = "done", _("made into a ticket or a reply")
        FAILED = "failed", _("could not be processed")
        # A reply naming a ticket from an address that is neither the requester's nor staff's.
        HELD = "held", _("held for review")
        REJECTED = "rejected", _("rejected after review")

    inbound = models.OneToOneField(
        "core.InboundMessage",
        verbose_name=_("message as it came"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helpdesk_email",
    )
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    received = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("incoming e-mail")
        verbose_name_plural = _("incoming e-mails")
        ordering = ["-received"]

    def __str__(self) -> str:
        return self.message_id or str(self.pk)
