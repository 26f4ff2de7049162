"""The inventory: locations, assets with their label codes and state, and their files."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import storage_name


def label_code() -> str:
    """The random part of a label's URL: a label reveals nothing and cannot be guessed."""
    return secrets.token_urlsafe(9)


def asset_file_path(instance, filename: str) -> str:
    return storage_name("assets")


class Location(models.Model):
    building = models.CharField(_("building"), max_length=120)
    room = models.CharField(_("room"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["building", "room"]
        constraints = [
            models.UniqueConstraint(fields=["building", "room"], name="assets_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.building}, {self.room}" if self.room else self.building


class Category(models.TextChoices):
    COMPUTER = "computer", _("computer")
    MONITOR = "monitor", _("monitor")
    PHONE = "phone", _("phone")
    PRINTER = "printer", _("printer")
    FURNITURE = "furniture", _("furniture")
    VEHICLE = "vehicle", _("vehicle")
    LICENCE = "licence", _("software licence")
    OTHER = "other", _("other")


class AssetQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(state=Asset.State.DISPOSED)


class Asset(models.Model):
    class State(models.TextChoices):
        IN_USE = "in_use", _("in use")
        IN_STORAGE = "in_storage", _("in storage")
        IN_REPAIR = "in_repair", _("in repair")
        MISSING = "missing", _("missing")
        DISPOSED = "disposed", _("disposed")

    # What a row of the inventory reads (``.only()``): its cells and the orders' keys (the
    # number; the name and id). Not the rest of the asset, nor the responsible person's every
    # column (password, e-mail …): building them into objects is time the list does not need
    # (issue 16: a list page within 25 ms).
    LIST_ROW_FIELDS = (
        "inventory_number",
        "name",
        "serial_number",
        "category",
        "state",
        "price",
        "location__building",
        "location__room",
        "responsible__first_name",
        "responsible__last_name",
        "responsible__username",
    )

    inventory_number = models.CharField(_("inventory number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    price = models.DecimalField(
        _("price (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    supplier = models.CharField(_("supplier"), max_length=255, blank=True)
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.IN_USE, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)
    label_code = models.CharField(max_length=20, unique=True, default=label_code)
    created = models.DateTimeField(_("added at"), default=timezone.now)

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["inventory_number"]
        indexes = [
            models.Index(fields=["category", "state"], name="assets_category_state"),
            # The list's orders and its filters with the default order (core.listing; EXPLAIN in
            # tests/assets/test_list_plans.py). By number: the unique index.
            models.Index(F("name"), F("id"), name="assets_asset_name"),
            *[
                models.Index(F(column), F("inventory_number"), name=f"assets_asset_{column}_no")
                for column in ("state", "category", "location", "responsible")
            ],
            # The search (assets.filters.AssetFilter.filter_search): each of its icontains is
            # UPPER(column) LIKE '%…%', which only a trigram index finds without reading every
            # asset (tests/assets/test_list_plans.py).
            *[
                GinIndex(
                    OpClass(Upper(column), name="gin_trgm_ops"), name=f"assets_asset_{short}_trgm"
                )
                for column, short in (
                    ("inventory_number", "no"),
                    ("name", "name"),
                    ("serial_number", "sn"),
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.inventory_number} {self.name}"


class AssetFile(models.Model):
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=asset_file_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name
