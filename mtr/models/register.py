"""The register itself: areas of activity (licences and notices), businesses and their entries."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mtr.models.common import _in_language


class Kind(models.TextChoices):
    NOTICE = "notice", _("notice")
    LICENCE = "licence", _("activity licence")


class ActivityArea(models.Model):
    """An area of activity one may file a notice or apply for a licence in."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_et = models.CharField(_("name in Estonian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    emtak_code = models.CharField(_("EMTAK code"), max_length=10)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number_prefix = models.CharField(
        _("entry number prefix"), max_length=4, help_text=_("E.g. KTO: entries KTO000001 …")
    )
    extra_fields = models.JSONField(
        _("extra data asked"),
        default=list,
        blank=True,
        help_text=_('A list of {"key", "label_et", "label_en", "label_ru", "type", "required"}.'),
    )
    required_attachments = models.JSONField(
        _("attachments asked"),
        default=list,
        blank=True,
        help_text=_('A list of {"key", "label_et", "label_en", "label_ru"}.'),
    )
    fee = models.DecimalField(
        _("state fee (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    processing_days = models.PositiveSmallIntegerField(
        _("processing time (days)"), null=True, blank=True, help_text=_("Empty: the default.")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("activity area")
        verbose_name_plural = _("activity areas")
        ordering = ["name_et"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    def extra_field_list(self) -> list[dict]:
        """The extra data the area asks, labelled in the current language."""
        return [
            {
                "key": field["key"],
                "label": _in_language(field, "label"),
                "type": field.get("type", "text"),
                "required": bool(field.get("required")),
            }
            for field in self.extra_fields or []
        ]

    def attachment_list(self) -> list[dict]:
        """The attachments the area requires, labelled in the current language."""
        return [
            {"key": item["key"], "label": _in_language(item, "label")}
            for item in self.required_attachments or []
        ]


class Business(models.Model):
    """A business holding entries or applying for them, known by its registry code."""

    registry_code = models.CharField(_("registry code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=255, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]
        indexes = [
            # Public search by any part of the name: name__icontains is UPPER(name) LIKE …
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="mtr_business_name_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.registry_code})"


class EntryQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(status=Entry.Status.VALID)


class Entry(models.Model):
    """An entry of the register: a business's notice or licence in one area."""

    # What a row of the staff register reads (``.only()``): its cells and the order's key; the
    # rest of the row (addresses, data, the business's contacts, the area's settings) was built
    # into 25 objects on every page (issue 16: a list page within 25 ms).
    LIST_ROW_FIELDS = (
        "number",
        "kind",
        "status",
        "valid_from",
        "valid_to",
        "business__name",
        "business__registry_code",
        "area__name_et",
        "area__name_en",
        "area__name_ru",
    )

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        PENDING = "pending", _("pending")
        SUSPENDED = "suspended", _("suspended")
        INVALID = "invalid", _("invalid")

    number = models.CharField(_("number"), max_length=12, unique=True)
    business = models.ForeignKey(
        Business, verbose_name=_("business"), on_delete=models.PROTECT, related_name="entries"
    )
    area = models.ForeignKey(
        ActivityArea, verbose_name=_("activity area"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    addresses = models.JSONField(_("addresses of operation"), default=list)
    data = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    status_reason = models.CharField(_("reason of the status"), max_length=500, blank=True)
    created = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["status", "area"], name="mtr_entry_status_area_idx"),
            # The staff list by number, filtered by status or area (core.listing: one range).
            models.Index(F("status"), F("number"), name="mtr_entry_status_number"),
            models.Index(F("area"), F("number"), name="mtr_entry_area_number"),
            # number__startswith (numbers are stored in capitals) uses this whatever the collation.
            models.Index(
                fields=["number"], opclasses=["varchar_pattern_ops"], name="mtr_entry_number_like"
            ),
        ]

    def __str__(self) -> str:
        return self.number
