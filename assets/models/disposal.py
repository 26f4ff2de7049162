"""A disposal act: the assets written off, how, approved by whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models.inventory import Asset

# How much a disposal waits for someone: a decision (2), its act (1), nothing (0).
DISPOSAL_URGENCY = Case(
    When(status="proposed", then=Value(2)),
    When(status="approved", then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


class Disposal(models.Model):
    class Method(models.TextChoices):
        WRITE_OFF = "write_off", _("write-off")
        DESTRUCTION = "destruction", _("destruction")
        TRANSFER = "transfer", _("transfer to another agency")
        SALE = "sale", _("sale")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        DONE = "done", _("act made")

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="disposals"
    )
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    reason = models.TextField(_("reason"))
    residual_value = models.DecimalField(
        _("residual value (€)"), max_digits=12, decimal_places=2, default=0
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason of the refusal"), blank=True)
    disposed_on = models.DateField(_("disposal date"), null=True, blank=True)
    recipient = models.CharField(_("recipient, recycler or buyer"), max_length=255, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    sale_price = models.DecimalField(
        _("sale price (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    act_pdf = models.FileField(_("act"), upload_to="assets/acts/", blank=True)
    document = models.ForeignKey(
        "registry.Document",
        verbose_name=_("registered as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-proposed_at"]
        permissions = [("approve_disposal", _("Can approve disposals"))]
        # The list: what waits for a decision, then for its act, then the rest, newest first
        # (DISPOSAL_URGENCY, descending); a status filter orders by the date alone.
        indexes = [
            models.Index(
                DISPOSAL_URGENCY, F("proposed_at"), F("id"), name="assets_disposal_urgency"
            ),
            models.Index(F("status"), F("proposed_at"), F("id"), name="assets_disposal_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(status__in=["proposed", "approved"]),
                name="assets_one_disposal_in_progress",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset}: {self.get_method_display()}"
