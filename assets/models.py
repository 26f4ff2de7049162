"""The agency's property and rights: the inventory and who holds what, handovers, stocktakings,
disposals with their acts, IT systems with the roles people hold in them, and quotes.

Rules live in services.py; the models hold the data and the constraints the database can keep.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
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


class Handover(models.Model):
    """An asset handed to a person (or to a room): the act the receiver confirms."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="handovers"
    )
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_handovers",
    )
    to_location = models.ForeignKey(
        Location,
        verbose_name=_("to the room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("act number"), max_length=20, unique=True)
    created = models.DateTimeField(_("handed over at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_person__isnull=False) | Q(to_location__isnull=False),
                name="assets_handover_has_a_receiver",
            )
        ]

    def __str__(self) -> str:
        return self.number


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


class InformationSystem(models.Model):
    # What a row of the systems list reads (``.only()``): not the description, nor the main
    # user's every column.
    LIST_ROW_FIELDS = (
        "name",
        "owner",
        "main_user__first_name",
        "main_user__last_name",
        "main_user__username",
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    owner = models.CharField(
        _("owner"), max_length=255, help_text=_("The agency or unit responsible.")
    )
    main_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("main user"),
        on_delete=models.PROTECT,
        related_name="main_systems",
        help_text=_("Approves and reviews the rights."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SystemRole(models.Model):
    system = models.ForeignKey(
        InformationSystem, verbose_name=_("system"), on_delete=models.CASCADE, related_name="roles"
    )
    name = models.CharField(_("role"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("role in a system")
        verbose_name_plural = _("roles in systems")
        ordering = ["system__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="assets_system_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.system.name}: {self.name}"


class AccessGrant(models.Model):
    """A person's role in a system, from the request to its end."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        REVOKED = "revoked", _("revoked")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="access_grants",
    )
    role = models.ForeignKey(
        SystemRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="grants"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.CharField(_("why it is needed"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted = models.DateTimeField(_("granted at"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason"), max_length=500, blank=True)
    reviewed_at = models.DateTimeField(_("last confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access right")
        verbose_name_plural = _("access rights")
        ordering = ["role__system__name", "role__name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(status__in=["requested", "granted"]),
                name="assets_one_live_grant_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}"


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
