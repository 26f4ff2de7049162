"""A letter's copies and how each goes (post, registered post, e-mail, by hand), and the daily
dispatch list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.terms import DeliveryMethod
from correspondence.models.common import POSTAL_CHANNELS, Channel


class DispatchList(models.Model):
    """The day's letters for the post office: printed, taken there, marked."""

    day = models.DateField(_("day"), unique=True)
    taken_at = models.DateTimeField(_("taken to the post office at"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dispatch list")
        verbose_name_plural = _("dispatch lists")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}"

    @property
    def is_taken(self) -> bool:
        return self.taken_at is not None


class Dispatch(models.Model):
    """One addressee of a letter, with the channel it goes by and what happened to it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        DELIVERED = "delivered", _("delivered")
        BOUNCED = "bounced", _("bounced")
        RETURNED = "returned", _("returned")

    letter = models.ForeignKey(
        "correspondence.Letter",
        verbose_name=_("letter"),
        on_delete=models.CASCADE,
        related_name="dispatches",
    )
    party = models.ForeignKey(
        "registry.Party",
        verbose_name=_("addressee"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    # As on the letter (the party's row may change later).
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    outbound_email = models.OneToOneField(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatch",
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    dispatch_list = models.ForeignKey(
        DispatchList,
        verbose_name=_("dispatch list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    tracking_code = models.CharField(_("tracking code"), max_length=40, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_on = models.DateField(_("delivery notice date"), null=True, blank=True)
    # Delivery (core.terms): the first delivery sets delivered_on and how; every event, the
    # e-mail accepted by the recipient's server included, is kept in delivery_evidence.
    delivered_via = models.CharField(
        _("delivered by"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivery recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_evidence = models.JSONField(
        _("evidence of delivery"),
        default=list,
        blank=True,
        help_text=_("[{method, on, at, by, message_id}]: every event, the first one the date."),
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["letter", "id"]
        indexes = [
            models.Index(fields=["channel", "status"], name="correspondence_dispatch_q"),
            # "Waiting for a delivery notice" on the dispatch page, the oldest first.
            models.Index(
                F("sent_at"),
                F("id"),
                name="corr_dispatch_waiting",
                condition=Q(channel="registered", status="sent", delivered_on__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(email=""),
                name="correspondence_email_dispatch_has_address",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "hand", "dhx"]) | ~Q(address=""),
                name="correspondence_postal_dispatch_has_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter.number} → {self.name}"

    @property
    def is_postal(self) -> bool:
        return self.channel in POSTAL_CHANNELS

    @property
    def address_lines(self) -> list[str]:
        """The postal address as envelope lines: "Mere pst 5, 10111 Tallinn" → two lines."""
        return [part.strip() for part in self.address.split(",") if part.strip()]
