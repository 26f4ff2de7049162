"""The Register of Economic Activities (MTR): activity areas, applications, entries.

Rules (state changes, the processing clock, numbers) live in services.py; the models hold the
data and the constraints the database can keep.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.terms import DeliveryMethod, challenge_period_end
from core.uploads import active_content_field, storage_name

# Easy to read aloud and to type from paper: no 0/O, 1/I/L.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12

# The queue's order: the soonest deadline first, an application without one (its clock not
# started, or stopped) last. NULLs do not compare in a keyset (core.listing), so the order and
# its indexes use this very expression.
# Application.OPEN_STATUSES as plain values, for the partial indexes of the queue (a Meta
# cannot see its model's attributes).
OPEN_STATUS_VALUES = ("received", "in_review", "deficient", "entered")
NO_DEADLINE_LAST = Coalesce("deadline", Value(date(9999, 12, 31)), output_field=models.DateField())


def tracking_code() -> str:
    """A random application code (12 characters of 31: about 59 bits), shown as XXXX-XXXX-XXXX."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def _in_language(source, prefix: str) -> str:
    """``source``'s ``<prefix>_<language>`` in the current language, Estonian when missing."""
    language = (translation.get_language() or "et")[:2]

    def get(key):
        return source.get(key) if isinstance(source, dict) else getattr(source, key, None)

    return get(f"{prefix}_{language}") or get(f"{prefix}_et") or ""


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


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Application.OPEN_STATUSES)


class Application(models.Model):
    """An application or notice filed on the public page (or entered by a clerk)."""

    # What a row of the queue reads (``.only()``): its cells, the orders' keys and what the
    # deadline badge and the kind of application test; the rest (the data, the addresses, the
    # decision, the processor's account) was built into 25 objects on every page (issue 16).
    LIST_ROW_FIELDS = (
        "tracking_code",
        "type",
        "business_name",
        "registry_code",
        "status",
        "submitted_at",
        "deadline",
        "area__name_et",
        "area__name_en",
        "area__name_ru",
        "area__kind",
        "assignee__first_name",
        "assignee__last_name",
        "assignee__username",
    )

    class Type(models.TextChoices):
        NEW = "new", _("new notice or licence")
        CHANGE = "change", _("change of data")
        TERMINATION = "termination", _("termination")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_REVIEW = "in_review", _("in review")
        DEFICIENT = "deficient", _("missing data requested")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")
        # HMS § 15(2): missing data not given in time; not a refusal, and its own letter.
        UNEXAMINED = "unexamined", _("left unexamined")
        # A notice of economic activity takes effect on submission (MSÜS): it is entered in
        # the register at once and checked afterwards.
        ENTERED = "entered", _("entered, to be checked")
        CHECKED = "checked", _("entered and checked")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_REVIEW, Status.DEFICIENT, Status.ENTERED)
    assert OPEN_STATUSES == OPEN_STATUS_VALUES  # noqa: S101 (the partial indexes use the values)
    # Where a decision letter is made (mtr.services.application_decide, _leave_unexamined).
    LETTER_STATUSES = (Status.GRANTED, Status.REFUSED, Status.UNEXAMINED)

    tracking_code = models.CharField(
        _("tracking code"), max_length=TRACKING_LENGTH, unique=True, default=tracking_code
    )
    submission_key = models.UUIDField(
        unique=True,
        default=uuid.uuid4,
        editable=False,
        help_text="The form's one-time key: a second submit of the same form creates nothing.",
    )
    type = models.CharField(_("application type"), max_length=12, choices=Type.choices)
    area = models.ForeignKey(
        ActivityArea,
        verbose_name=_("activity area"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("register entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    business = models.ForeignKey(
        Business,
        verbose_name=_("business"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # As the applicant wrote them (the business row may change later).
    business_name = models.CharField(_("name of the business"), max_length=255)
    registry_code = models.CharField(_("registry code"), max_length=8, db_index=True)
    address = models.CharField(_("address of the seat"), max_length=255)
    contact_person = models.CharField(_("contact person"), max_length=255)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    addresses = models.JSONField(_("addresses of operation"), default=list, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, default="et")

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    deadline = models.DateField(_("processing deadline"), null=True, blank=True)
    # The term extended once, with notice to the applicant (DOMAIN.md, MTR; mtr.services).
    term_extended_to = models.DateField(_("term extended to"), null=True, blank=True)
    term_extension_reason = models.TextField(_("reasons of the extension"), blank=True)
    paused_days = models.PositiveIntegerField(
        _("days the clock was paused"), default=0, help_text=_("Waiting for missing data.")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("processor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mtr_applications",
    )
    document = models.ForeignKey(
        "registry.Document",
        verbose_name=_("registered as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_pdf = models.FileField(_("decision letter"), upload_to="mtr/decisions/", blank=True)
    decision_pdf_status = models.CharField(
        _("decision letter"), max_length=10, choices=PdfStatus.choices, blank=True
    )
    decision_document = models.ForeignKey(
        "registry.Document",
        verbose_name=_("decision registered as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt_pdf = models.FileField(_("receipt"), upload_to="mtr/receipts/", blank=True)
    # Delivery of the decision (core.terms): the personal link in the decision e-mail, and the
    # legal delivery date set by the first qualifying DecisionDelivery (never moved after).
    decision_token = models.CharField(
        _("personal link of the decision"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    decision_delivered_on = models.DateField(_("decision delivered on"), null=True, blank=True)
    decision_delivered_via = models.CharField(
        _("decision delivered by"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]
        permissions = [("process_application", _("Can process MTR applications"))]
        indexes = [
            models.Index(fields=["status", "deadline"], name="mtr_application_queue_idx"),
            models.Index(fields=["assignee", "status"], name="mtr_application_assignee_idx"),
            # The queue's orders (mtr.filters.ORDERS) with its common filters: each keyset page
            # is one range of one of these (tests/mtr/test_list_plans.py). The open ones (the
            # default tab) have partial indexes: an IN list cannot lead a sorted range.
            models.Index(
                NO_DEADLINE_LAST,
                F("submitted_at"),
                F("id"),
                name="mtr_app_open_deadline",
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
            models.Index(
                F("assignee"),
                NO_DEADLINE_LAST,
                F("submitted_at"),
                F("id"),
                name="mtr_app_open_assignee",
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
            models.Index(
                F("status"), NO_DEADLINE_LAST, F("submitted_at"), F("id"), name="mtr_app_status"
            ),
            models.Index(NO_DEADLINE_LAST, F("submitted_at"), F("id"), name="mtr_app_deadline"),
            models.Index(F("submitted_at"), F("id"), name="mtr_app_submitted"),
            # The dashboards' counts of the queue (mtr.selectors.queue_counts, workload, areas):
            # the open applications by holder, status and deadline, read from the index alone.
            models.Index(
                fields=["assignee", "status", "deadline"],
                include=["area"],
                name="mtr_app_open_counts",
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
            # The areas' processing times (mtr.selectors.areas): the applications decided in a
            # period, without reading the years before it.
            models.Index(
                fields=["decided_at"],
                name="mtr_app_decided",
                condition=Q(status__in=["granted", "refused"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(type="new") | Q(entry__isnull=False),
                name="mtr_application_change_has_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.business_name}"

    @property
    def tracking_code_display(self) -> str:
        code = self.tracking_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @property
    def kind_label(self) -> str:
        """What was filed, in words: a new one is a notice or a licence application by its area."""
        if self.type == self.Type.NEW:
            if self.area.kind == Kind.LICENCE:
                return str(_("licence application"))
            return str(_("notice of economic activity"))
        return self.get_type_display()

    def extra_data(self) -> list[tuple[str, str]]:
        """The area's extra data the applicant gave, as (label in the current language, value)."""
        rows = []
        for field in self.area.extra_field_list():
            value = (self.data or {}).get(field["key"])
            if value in (None, ""):
                continue
            if isinstance(value, bool):
                value = _("yes") if value else _("no")
            rows.append((field["label"], str(value)))
        return rows

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_notice(self) -> bool:
        return self.area.kind == Kind.NOTICE

    @property
    def takes_effect_on_submission(self) -> bool:
        """A notice of economic activity (a new one, or a change of its data) takes effect on
        submission (MSÜS): only licences, and the end of an entry, wait for a decision."""
        return self.is_notice and self.type != self.Type.TERMINATION

    @property
    def has_decision_letter(self) -> bool:
        """A decision that is delivered with a letter (every one but an entered notice)."""
        return self.decided_at is not None and bool(self.decision_pdf_status)

    @property
    def challenge_until(self):
        """The last day to challenge the decision; None until it is delivered (core.terms)."""
        return challenge_period_end(self.decision_delivered_on)

    @property
    def open_deficiency(self) -> DeficiencyRequest | None:
        """The unanswered request for missing data (from prefetched deficiencies if loaded)."""
        return next((d for d in self.deficiencies.all() if d.answered_at is None), None)


class DeficiencyRequest(models.Model):
    """A request for missing data: the processing clock stops until the applicant answers."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="deficiencies",
    )
    text = models.TextField(_("what is missing"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    due_on = models.DateField(_("answer by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("deficiency request")
        verbose_name_plural = _("deficiency requests")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(answered_at__isnull=True),
                name="mtr_one_open_deficiency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.requested_on}"


def attachment_path(instance, filename: str) -> str:
    return storage_name("mtr")


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    deficiency = models.ForeignKey(
        DeficiencyRequest,
        verbose_name=_("answer to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    requirement = models.CharField(_("required attachment"), max_length=40, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=20)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    active_content = active_content_field()
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class DecisionDelivery(models.Model):
    """One event in the delivery of an application's decision, kept as evidence: the e-mail
    accepted by the recipient's server, the personal link opened and confirmed, a registered-post
    notice or a signed receipt entered by a processor, a delivery deemed by law.

    The first event that counts as delivery (``core.terms.counts_as_delivery``) sets
    ``Application.decision_delivered_on``; later ones stay here and move nothing."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="decision_deliveries",
    )
    method = models.CharField(_("how"), max_length=20, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(
        _("date"), help_text=_("The day it happened (for a notice: the date on the notice).")
    )
    occurred_at = models.DateTimeField(_("moment"), null=True, blank=True)
    counts = models.BooleanField(
        _("counts as delivery"), help_text=_("False: evidence of sending only.")
    )
    set_the_date = models.BooleanField(
        _("set the delivery date"), default=False, help_text=_("The first delivery.")
    )
    evidence = models.JSONField(
        _("evidence"),
        default=dict,
        blank=True,
        help_text=_("E.g. the e-mail's Message-ID and recipient, the browser, the clerk's note."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    key = models.CharField(
        _("key"),
        max_length=100,
        blank=True,
        help_text=_("Set for events the system records, so that one is recorded once."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: recorded by the system."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery of a decision")
        verbose_name_plural = _("deliveries of decisions")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"],
                condition=~Q(key=""),
                name="mtr_decision_delivery_key",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(set_the_date=True),
                name="mtr_one_decision_delivery_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_method_display()} {self.delivered_on}"
