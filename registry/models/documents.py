"""A registered document: its number, parties, days of receipt and registration, deadline,
restriction and search vectors."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import terms
from registry.models.choices import Channel, Direction, DocumentType
from registry.models.common import public_code
from registry.models.parties import Party
from registry.models.scheme import CaseFile, RestrictionBasis, Series
from registry.models.sharing import DocumentQuerySet


class Document(models.Model):
    """A registered document: incoming (letters, requests, parcels…) or outgoing (replies)."""

    # What a row of the staff list reads (``.only()``): its cells, the orders' keys and what
    # the restriction and deadline badges test; the rest of the row (50 columns of document,
    # parties and user) cost the list a fifth of its time to build into objects (issue 16).
    LIST_ROW_FIELDS = (
        "number",
        "registered_on",
        "registered_at",
        "doc_type",
        "title",
        "direction",
        "status",
        "deadline",
        "series_id",
        "year",
        "sequence",
        "follow_up_index",
        "restriction_basis_id",
        "restriction_lifted_on",
        "restriction_end",
        "sender__name",
        "recipient__name",
        "responsible__first_name",
        "responsible__last_name",
        "responsible__username",
        "restriction_basis__title",
    )

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        NO_ACTION = "no_action", _("for information")

    number = models.CharField(_("register number"), max_length=40, unique=True)
    public_code = models.CharField(max_length=24, unique=True, default=public_code, editable=False)
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="documents",
        db_index=False,  # registry_doc_series_reg and registry_doc_number lead with it
    )
    case_file = models.ForeignKey(
        CaseFile,
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("earlier document of the matter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    follow_up_index = models.PositiveIntegerField(_("follow-up number"), null=True, blank=True)
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INCOMING
    )
    doc_type = models.CharField(_("type"), max_length=32, choices=DocumentType.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=500)
    sender = models.ForeignKey(
        Party,
        verbose_name=_("sender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sent_documents",
    )
    recipient = models.ForeignKey(
        Party,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_documents",
    )
    sender_reference = models.CharField(
        _("sender's number"), max_length=100, blank=True, help_text=_("The sender's own number.")
    )
    sender_date = models.DateField(_("sender's date"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    registered_on = models.DateField(_("registered on"))  # registry_doc_registered leads with it
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_documents",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_documents",
        db_index=False,  # registry_doc_resp_idx and registry_doc_responsible_reg lead with it
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    notes = models.TextField(_("notes"), blank=True)

    # Deadline
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    initial_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    deadline_extension_reason = models.TextField(_("reason for the extension"), blank=True)
    requester_notified_on = models.DateField(
        _("requester told of the extension on"), null=True, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=500, blank=True)

    # Access restriction (AK)
    restriction_basis = models.ForeignKey(
        RestrictionBasis,
        verbose_name=_("access restriction basis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    restriction_start = models.DateField(_("restricted from"), null=True, blank=True)
    restriction_end = models.DateField(_("restricted until"), null=True, blank=True)
    restriction_extended = models.BooleanField(_("restriction extended"), default=False)
    restriction_lifted_on = models.DateField(_("restriction lifted on"), null=True, blank=True)
    restriction_lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("restriction lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    restriction_lift_reason = models.CharField(
        _("reason for lifting the restriction"), max_length=500, blank=True
    )
    restriction_expiry_recorded = models.BooleanField(default=False, editable=False)

    # Search: everything staff may search; public: only what the public register may show.
    search_vector = SearchVectorField(null=True, editable=False)
    public_search_vector = SearchVectorField(null=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-registered_on", "-id"]
        permissions = [
            ("view_restricted_document", _("Can see documents with an access restriction")),
            ("restrict_document", _("Can set and lift access restrictions")),
            ("export_document", _("Can export document lists")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "sequence"],
                condition=Q(parent__isnull=True),
                name="registry_document_series_year_sequence",
            ),
            models.UniqueConstraint(
                fields=["parent", "follow_up_index"],
                condition=Q(parent__isnull=False),
                name="registry_document_parent_follow_up",
            ),
            models.CheckConstraint(
                condition=Q(restriction_basis__isnull=True)
                | Q(restriction_start__isnull=False, restriction_end__isnull=False),
                name="registry_document_restriction_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(restriction_end__isnull=True)
                | Q(restriction_end__gte=models.F("restriction_start")),
                name="registry_document_restriction_end_after_start",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="registry_document_search_idx"),
            GinIndex(fields=["public_search_vector"], name="registry_document_public_idx"),
            models.Index(fields=["status", "deadline"], name="registry_document_deadline_idx"),
            models.Index(
                fields=["responsible", "status", "deadline"], name="registry_doc_resp_idx"
            ),
            # The restricted documents (restricted_q, hidden_from): a few per cent of the table.
            models.Index(
                fields=["restriction_end"],
                include=["responsible", "registered_by"],  # an index-only scan for hidden_from
                name="registry_doc_restricted",
                condition=Q(restriction_basis__isnull=False, restriction_lifted_on__isnull=True),
            ),
            # The list's orders and its common filters with the default order (core.listing:
            # a keyset page is one range of one of these; tests/registry/test_list_plans.py).
            models.Index(
                F("registered_on"), F("registered_at"), F("id"), name="registry_doc_registered"
            ),
            models.Index(F("title"), F("id"), name="registry_doc_title"),
            models.Index(
                Coalesce("deadline", Value(date(9999, 12, 31)), output_field=models.DateField()),
                F("id"),
                name="registry_doc_deadline_asc",
            ),
            models.Index(
                Coalesce("deadline", Value(date(1, 1, 1)), output_field=models.DateField()),
                F("id"),
                name="registry_doc_deadline_desc",
            ),
            models.Index(
                F("series"),
                F("year"),
                F("sequence"),
                Coalesce("follow_up_index", Value(0), output_field=models.PositiveIntegerField()),
                F("id"),
                name="registry_doc_number",
            ),
            *[
                models.Index(
                    F(column),
                    F("registered_on"),
                    F("registered_at"),
                    F("id"),
                    name=f"registry_doc_{column}_reg",
                )
                for column in ("series", "doc_type", "status", "responsible", "direction")
            ],
            # The deadline page of everybody: open documents by person (nobody last), each by
            # deadline (registry.views.work.BY_PERSON; one person's: registry_doc_resp_open).
            models.Index(
                Coalesce("responsible", Value(2**63 - 1), output_field=models.BigIntegerField()),
                Coalesce("deadline", Value(date(9999, 12, 31)), output_field=models.DateField()),
                F("registered_on"),
                F("id"),
                name="registry_doc_open_people",
                condition=Q(status="open"),
            ),
            # A person's open documents on the head's workload page (dashboard.workload), the
            # nearest deadline first, none last (tests/dashboard/test_list_plans.py); also My
            # work and one person's deadlines (registry.views.work.BY_DEADLINE).
            models.Index(
                F("responsible"),
                Coalesce("deadline", Value(date(9999, 12, 31)), output_field=models.DateField()),
                F("registered_on"),
                F("id"),
                name="registry_doc_resp_open",
                condition=Q(status="open"),
            ),
            # The department's overview (registry.selectors.deadline_counts, the deadlines by
            # person): the open documents due by the due-soon day are one range of this, read
            # from the index alone; a few thousand of a million, whatever the register's size.
            models.Index(
                fields=["deadline"],
                include=["doc_type", "responsible"],
                name="registry_doc_open_due",
                condition=Q(status="open", deadline__isnull=False),
            ),
            # The head's workload and one person's counts (registry.selectors.workload,
            # deadline_counts(user=…)): the open documents by holder, read from the index alone.
            models.Index(
                fields=["responsible", "deadline"],
                name="registry_doc_open_resp",
                condition=Q(status="open"),
            ),
            # (A search by number prefix is served by the pattern index Django makes for the
            # unique number.) The series, the responsible person and the registration date need
            # no index of their own: each leads composite ones above; every index is written
            # by every registration (issue 16: 500 a second).
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def registration_due(self) -> date:
        """The last day it was to be registered (AvTS § 12 (1) 1), core.terms)."""
        return terms.registration_due(self.received_on)

    @property
    def registration_lateness(self) -> int:
        """Working days it was registered after its due day (0: in time)."""
        return terms.registration_lateness(self.received_on, self.registered_on)

    def is_restricted(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return bool(
            self.restriction_basis_id
            and self.restriction_lifted_on is None
            and on <= self.restriction_end
        )

    def is_overdue(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == self.Status.OPEN and self.deadline is not None and self.deadline < on
