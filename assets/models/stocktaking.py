"""A stocktaking of a room or of the agency and its rows, one for each asset expected or found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models.inventory import Asset, Location


class Stocktaking(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=255)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the whole agency."),
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stocktaking")
        verbose_name_plural = _("stocktakings")
        ordering = ["-started_at"]
        # The list: the open ones first (status "open" > "closed", descending), newest first.
        indexes = [
            models.Index(F("status"), F("started_at"), F("id"), name="assets_stocktaking_list")
        ]

    def __str__(self) -> str:
        return self.title


class StocktakingItem(models.Model):
    class Result(models.TextChoices):
        UNCHECKED = "unchecked", _("not checked yet")
        FOUND = "found", _("found")
        MISSING = "missing", _("missing")
        DAMAGED = "damaged", _("damaged")
        WRONG_LOCATION = "wrong_location", _("in the wrong place")

    stocktaking = models.ForeignKey(
        Stocktaking, verbose_name=_("stocktaking"), on_delete=models.CASCADE, related_name="items"
    )
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="stocktaking_items"
    )
    # The asset's inventory number (which never changes), kept on the row so that the rows of
    # a stocktaking are listed by it from one index, without a join (core.listing).
    inventory_number = models.CharField(_("inventory number"), max_length=20, default="")
    expected_location = models.ForeignKey(
        Location,
        verbose_name=_("expected at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_location = models.ForeignKey(
        Location,
        verbose_name=_("found at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField(
        _("result"), max_length=16, choices=Result.choices, default=Result.UNCHECKED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stocktaking row")
        verbose_name_plural = _("stocktaking rows")
        ordering = ["inventory_number"]
        indexes = [
            models.Index(
                F("stocktaking"), F("inventory_number"), F("id"), name="assets_stocktaking_rows"
            ),
            models.Index(
                F("stocktaking"),
                F("result"),
                F("inventory_number"),
                F("id"),
                name="assets_stocktaking_result",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["stocktaking", "asset"], name="assets_stocktaking_asset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stocktaking_id}: {self.asset_id}"
