"""Procurement: the dated thresholds of simple procurement (with their history) and the requests
for quotes with the quotes received."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models.inventory import asset_file_path

#: The Public Procurement Act's thresholds in force since 1 September 2017 (RHS § 14 (1) 1)–2):
#: simple procurement from €30,000 for goods and services and €60,000 for works; special
#: services from the procurement threshold of €60,000, § 14 (2) 1)).
FIRST_THRESHOLDS = {
    "valid_from": date(2017, 9, 1),
    "goods_services": Decimal("30000"),
    "works": Decimal("60000"),
    "special_services": Decimal("60000"),
    "basis": "RHS § 14 lg 1 p 1–2, lg 2 p 1",
}


class ProcurementThreshold(models.Model):
    """The procurement thresholds from a day on (€, without VAT): from an estimate of this much
    a procurement is needed instead of quotes. The law changes them (RHS § 14; an amendment
    raises goods and services to €50,000 and works to €100,000): a change is a new row from its
    day, and a request is judged by the row in force on the day it was prepared. Kept in the
    admin; the history stays."""

    valid_from = models.DateField(_("in force from"), unique=True)
    goods_services = models.DecimalField(
        _("goods and services (€)"), max_digits=12, decimal_places=2
    )
    works = models.DecimalField(_("construction works (€)"), max_digits=12, decimal_places=2)
    special_services = models.DecimalField(
        _("special services (€)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Hotel and catering, security, legal and other special services (RHS § 14)."),
    )
    basis = models.CharField(_("legal basis"), max_length=255)

    class Meta:
        verbose_name = _("procurement threshold")
        verbose_name_plural = _("procurement thresholds")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%d.%m.%Y}: {self.basis}"

    def for_kind(self, kind: str):
        if kind == QuoteRequest.Kind.WORKS:
            return self.works
        if kind == QuoteRequest.Kind.SPECIAL_SERVICES:
            return self.special_services
        return self.goods_services


class QuoteRequest(models.Model):
    class Kind(models.TextChoices):
        GOODS = "goods", _("goods")
        SERVICES = "services", _("services")
        SPECIAL_SERVICES = "special", _("special services")
        WORKS = "works", _("construction works")

    # What a row of the list reads (``.only()``): its cells, the order's key and the chosen
    # quote's supplier; not the reason of the choice nor the chosen quote's every column.
    LIST_ROW_FIELDS = (
        "subject",
        "kind",
        "estimated_value",
        "deadline",
        "created",
        "chosen__supplier",
    )

    subject = models.CharField(_("what is ordered"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    estimated_value = models.DecimalField(
        _("estimated value (€, without VAT)"), max_digits=12, decimal_places=2
    )
    deadline = models.DateField(_("quotes by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("prepared at"), default=timezone.now)
    chosen = models.ForeignKey(
        "Quote",
        verbose_name=_("chosen quote"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    choice_reason = models.TextField(_("why it was chosen"), blank=True)
    decided_at = models.DateTimeField(_("chosen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for quotes")
        verbose_name_plural = _("requests for quotes")
        ordering = ["-created"]
        # The list, newest first: all of them, and those still waiting for a choice.
        indexes = [
            models.Index(F("created"), F("id"), name="assets_quoterequest_created"),
            models.Index(
                F("created"),
                F("id"),
                name="assets_quoterequest_open",
                condition=Q(chosen__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Quote(models.Model):
    request = models.ForeignKey(
        QuoteRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="quotes"
    )
    supplier = models.CharField(_("supplier"), max_length=255)
    supplier_email = models.EmailField(_("supplier's e-mail"), blank=True)
    asked_on = models.DateField(_("asked on"), default=timezone.localdate)
    amount = models.DecimalField(
        _("amount (€, without VAT)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=asset_file_path, blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["amount", "supplier"]

    def __str__(self) -> str:
        return self.supplier
