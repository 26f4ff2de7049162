"""An application from submission to decision, and its requests for missing data."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.terms import DeliveryMethod, challenge_period_end
from mtr.models.common import (
    NO_DEADLINE_LAST,
    OPEN_STATUS_VALUES,
    TRACKING_LENGTH,
    PdfStatus,
    tracking_code,
)
from mtr.models.register import ActivityArea, Business, Entry, Kind


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
