"""A signing session by Mobile-ID or Smart-ID (SiGa), polled until it ends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SigningSession(models.Model):
    """The signer signing a letter's PDF through the signing gateway (SiGa) with Smart-ID or
    Mobile-ID: the gateway's container and signature ids, the verification code shown to the
    signer, and how it ended. One pending session per letter."""

    class Method(models.TextChoices):
        SMART_ID = "smartid", _("Smart-ID")
        MOBILE_ID = "mobileid", _("Mobile-ID")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the signer")
        SIGNED = "signed", _("signed")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    letter = models.ForeignKey(
        "correspondence.Letter",
        verbose_name=_("letter"),
        on_delete=models.CASCADE,
        related_name="signing_sessions",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    person_code = models.CharField(_("personal code"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="EE")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    gateway_container_id = models.CharField(_("gateway container"), max_length=100, blank=True)
    gateway_signature_id = models.CharField(_("gateway signature"), max_length=100, blank=True)
    challenge = models.CharField(_("verification code"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    created = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing session")
        verbose_name_plural = _("signing sessions")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter"],
                condition=Q(status="pending"),
                name="correspondence_one_pending_signing_per_letter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.get_method_display()} {self.status}"
