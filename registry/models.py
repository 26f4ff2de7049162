"""The document register: classification scheme, parties, documents, attachments, parcels, tasks.

Rules (numbers, deadlines, restrictions) live in services.py, deadlines.py and restrictions.py;
the models hold the data and the constraints the database can keep.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import signatures, terms
from core.uploads import active_content_field, storage_name


def public_code() -> str:
    """A random code for public URLs: nothing on a public page is addressed by a sequential id."""
    return secrets.token_urlsafe(12)


# --- Classification scheme ----------------------------------------------------------------------


class Function(models.Model):
    """The top level of the classification scheme (a function of the agency)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=255)
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SeriesQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_closed=False, function__is_closed=False)


class Series(models.Model):
    """A series (sari) of the classification scheme: every document is registered in one."""

    function = models.ForeignKey(
        Function, verbose_name=_("function"), on_delete=models.PROTECT, related_name="series"
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("As in the register number, e.g. 1-2."),
    )
    title = models.CharField(_("title"), max_length=255)
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the series is kept permanently."),
    )
    default_restriction_basis = models.ForeignKey(
        "RestrictionBasis",
        verbose_name=_("default access restriction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("No new documents can be registered in it.")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_permanent(self) -> bool:
        return self.retention_years is None


class CaseFile(models.Model):
    """A file (toimik) of a series for one year: the documents of one matter or one kind."""

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="files"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["series__code", "-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "title"], name="registry_file_series_year_title"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series.code} {self.year}: {self.title}"


class RestrictionBasis(models.Model):
    """A legal basis of an access restriction (AvTS §35(1) points, personal data, …)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(
        _("legal basis"), max_length=255, help_text=_("E.g. AvTS § 35 lg 1 p 12")
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_personal_data = models.BooleanField(
        _("sensitive personal data"),
        default=False,
        help_text=_("The restriction may then last up to the longer personal-data limit."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("restriction basis")
        verbose_name_plural = _("restriction bases")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


# --- Parties ------------------------------------------------------------------------------------


class Party(models.Model):
    """A sender or recipient: a private person or an organisation."""

    is_private_person = models.BooleanField(
        _("private person"),
        default=False,
        help_text=_("A private person's name never appears in the public register."),
    )
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(
        _("personal or registry code"),
        max_length=11,
        blank=True,
        help_text=_("Personal code (isikukood) of a person, registry code of an organisation."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="registry_party_code_unique"
            )
        ]
        indexes = [models.Index(models.functions.Upper("name"), name="registry_party_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        return (
            str(pgettext_lazy("public register", "Private person"))
            if (self.is_private_person)
            else self.name
        )


# --- Documents ----------------------------------------------------------------------------------


class DocumentType(models.TextChoices):
    LETTER = "letter", _("letter")
    EMAIL = "email", _("e-mail")
    INFORMATION_REQUEST = "information_request", _("information request")
    MEMORANDUM = "memorandum", _("memorandum")
    REQUEST_FOR_EXPLANATION = "request_for_explanation", _("request for explanation")
    APPLICATION = "application", _("application")
    INVOICE = "invoice", _("invoice")
    CONTRACT = "contract", _("contract")
    PARCEL = "parcel", _("parcel")
    REPLY = "reply", _("reply")
    OTHER = "other", _("other document")


class Channel(models.TextChoices):
    POST = "post", _("post")
    EMAIL = "email", _("e-mail")
    HAND = "hand", _("hand delivery")
    DHX = "dhx", _("document exchange (DHX)")
    WEB = "web", _("web form")
    COURIER = "courier", _("courier")
    INTERNAL = "internal", _("made in the agency")


#: How a document can arrive or leave: every channel but an internal document's own.
DELIVERY_CHANNELS = [(value, label) for value, label in Channel.choices if value != "internal"]


class Direction(models.TextChoices):
    INCOMING = "in", _("incoming")
    OUTGOING = "out", _("outgoing")
    # Made and kept in the agency (an act, an order, a memo): neither received nor sent.
    INTERNAL = "int", _("internal")


class DocumentQuerySet(models.QuerySet):
    def restricted(self, on: date | None = None):
        """Documents whose access restriction is in force on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(self.restricted_q(on))

    def public(self, on: date | None = None):
        """Documents the public register shows in full: no restriction in force."""
        on = on or timezone.localdate()
        return self.exclude(self.restricted_q(on))

    @staticmethod
    def restricted_q(on: date) -> Q:
        """A restriction is in force from the moment it is set until it ends or is lifted,
        whatever the hour or day (DOMAIN.md). Its start date is the day its term counts from
        (AvTS § 40(1)), never a day before which the document is public: a document registered
        at night or on a day off is registered on the next working day, and was public until
        then when this condition also asked ``restriction_start <= on``."""
        return Q(
            restriction_basis__isnull=False,
            restriction_end__gte=on,
            restriction_lifted_on__isnull=True,
        )

    def open(self):
        return self.filter(status=Document.Status.OPEN)

    def overdue(self, on: date | None = None):
        """Open documents whose deadline has passed."""
        on = on or timezone.localdate()
        return self.open().filter(deadline__lt=on)

    def due_by(self, last_day: date, on: date | None = None):
        """Open documents due from ``on`` (today) to ``last_day``, not yet overdue."""
        on = on or timezone.localdate()
        return self.open().filter(deadline__gte=on, deadline__lte=last_day)

    def visible_to(self, user):
        """What ``user`` may see: everything not restricted; restricted documents only to their
        responsible person, the one who registered them, people they were shared with and the
        roles holding registry.view_restricted_document (a superuser only through such a role)."""
        from core import roles

        if not user.is_authenticated or not user.has_perm("registry.view_document"):
            return self.none()
        # A role must grant it: the superuser flag alone opens no restricted document.
        if roles.granted(user, "registry.view_restricted_document"):
            return self
        today = timezone.localdate()
        return self.filter(
            ~self.restricted_q(today)
            | Q(responsible=user)
            | Q(registered_by=user)
            | Q(pk__in=DocumentShare.objects.filter(user=user).values("document_id"))
        )

    def hidden_from(self, user):
        """The documents ``user`` may not see: the complement of ``visible_to`` among the
        restricted ones, written without "not in (everything visible)", which PostgreSQL cannot
        hash at a million rows (a letter list's count ran for minutes)."""
        from core import roles

        if not user.is_authenticated or not user.has_perm("registry.view_document"):
            return self.restricted()
        if roles.granted(user, "registry.view_restricted_document"):
            return self.none()
        shared = DocumentShare.objects.filter(user=user, document=OuterRef("pk"))
        return (
            self.restricted()
            .exclude(responsible=user)
            .exclude(registered_by=user)
            .exclude(Exists(shared))
        )

    def with_list_data(self):
        """The joins a list row shows, without the search vectors (up to a megabyte a row). Not
        the series (a row shows its number): with it, PostgreSQL spent 2.3 ms only planning the
        six-table join on a million rows, 0.8 ms without it (an export selects it itself)."""
        return self.select_related("sender", "recipient", "responsible", "restriction_basis").defer(
            "search_vector", "public_search_vector"
        )


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


class DocumentShare(models.Model):
    """A person a restricted document was shared with (they may then see it)."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="shares"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="document_shares",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("shared at"), default=timezone.now)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="registry_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.user_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return storage_name("registry")


class Attachment(models.Model):
    """A file of a document. Its text is read for search in the background (registry.extract,
    the jobs of registry.tasks): ``text_status`` with ``text_error``; scans and image-only PDFs
    are then read by OCR (``ocr_status`` with ``ocr_error``), which keeps a searchable PDF/A
    beside the original (``searchable_pdf``). The original file is never changed."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("done")
        NONE = "none", _("no text")
        FAILED = "failed", _("failed")

    class OcrStatus(models.TextChoices):
        NONE = "none", _("not needed")
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("reading the text")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="attachments"
    )
    public_code = models.CharField(max_length=24, unique=True, default=public_code, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=20)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    active_content = active_content_field()
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Downloadable from the public register while the document is not restricted."),
    )
    # AvTS § 12 (4¹): a file of an unrestricted document is public unless there is a reason not
    # to publish it (a scan with a signature, someone's personal data, copyright), written here.
    withheld_reason = models.CharField(
        _("why it is not published"), max_length=500, blank=True, default=""
    )
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    # A signed container's verdict (core.signatures), kept as checked: the evidence of what the
    # signatures were worth when the document arrived. "Check again" refreshes it.
    signature_status = models.CharField(
        _("signatures"),
        max_length=13,
        choices=signatures.Status.choices,
        blank=True,
        editable=False,
    )
    signatures = models.JSONField(_("signatures"), default=dict, blank=True, editable=False)
    signatures_checked_at = models.DateTimeField(
        _("signatures checked at"), null=True, blank=True, editable=False
    )
    text_status = models.CharField(
        _("text extraction"), max_length=16, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.TextField(
        _("text extraction error"), blank=True, editable=False, help_text=_("Why it failed.")
    )
    ocr_status = models.CharField(
        _("text recognition (OCR)"),
        max_length=16,
        choices=OcrStatus.choices,
        default=OcrStatus.NONE,
        editable=False,
    )
    ocr_error = models.TextField(_("OCR error"), blank=True, editable=False)
    searchable_pdf = models.FileField(
        _("searchable PDF"),
        upload_to=attachment_path,
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("A PDF/A with the recognised text, made by OCR beside the original."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(
                fields=["text_status", "uploaded_at"],
                condition=Q(text_status="pending"),
                name="registry_attachment_pending",
            )
        ]
        constraints = [
            # A file kept off the public register says why (AvTS § 12 (4¹)).
            models.CheckConstraint(
                condition=Q(is_public=True) | ~Q(withheld_reason=""),
                name="registry_attachment_withheld_with_reason",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_progress(self) -> bool:
        """Whether its text is still being read (extraction or OCR waiting or running)."""
        return self.text_status == self.TextStatus.PENDING or self.ocr_status in (
            self.OcrStatus.PENDING,
            self.OcrStatus.RUNNING,
        )


class Parcel(models.Model):
    """What arrived as a parcel: carrier, tracking code and whom it was handed to."""

    document = models.OneToOneField(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="parcel"
    )
    carrier = models.CharField(_("carrier"), max_length=100)
    tracking_code = models.CharField(_("tracking code"), max_length=100, blank=True, db_index=True)
    handed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    receipt_signed_by = models.CharField(
        _("receipt signed by"), max_length=255, blank=True, help_text=_("Name of the receiver.")
    )

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_code}".strip()


class TaskQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[Task.Status.GIVEN, Task.Status.ACCEPTED])


class Task(models.Model):
    """An instruction to a person to do something about a document (ülesanne)."""

    class Status(models.TextChoices):
        GIVEN = "given", _("given")
        ACCEPTED = "accepted", _("accepted")
        COMPLETED = "completed", _("completed")
        RETURNED = "returned", _("returned")
        FORWARDED = "forwarded", _("forwarded")
        CANCELLED = "cancelled", _("cancelled")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="registry_tasks",
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    instruction = models.TextField(_("instruction"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.GIVEN
    )
    comment = models.TextField(_("comment"), blank=True)
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("forwarded from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_to",
    )
    forwarded_to_agency = models.CharField(_("forwarded to agency"), max_length=255, blank=True)
    created = models.DateTimeField(_("given at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="registry_task_idx"),
            # My work: one's active tasks and the active tasks one gave, the earliest due first.
            models.Index(
                F("assignee"),
                F("due_on"),
                F("id"),
                name="registry_task_assignee_due",
                condition=Q(status__in=["given", "accepted"]),
            ),
            models.Index(
                F("given_by"),
                F("due_on"),
                F("id"),
                name="registry_task_giver_due",
                condition=Q(status__in=["given", "accepted"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number}: {self.instruction[:60]}"


# --- Registration inbox -------------------------------------------------------------------------


class InboxItemQuerySet(models.QuerySet):
    def waiting(self):
        """What the clerks still have to register or set aside."""
        return self.filter(status=InboxItem.Status.NEW)


class InboxItem(models.Model):
    """One message or scan of the agency's general mailbox or scanner (``core.intake``, purpose
    "registry") waiting to be registered as an incoming document or set aside with a reason.

    Nothing here is ever deleted: setting aside is reversible ("Return to the inbox"), and an
    automatic message (auto-reply, bounce, newsletter) is kept too, set aside from the start."""

    class Status(models.TextChoices):
        NEW = "new", _("not registered")
        REGISTERED = "registered", _("registered")
        DISMISSED = "dismissed", _("set aside")

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        DUPLICATE = "duplicate", _("duplicate of a registered document")
        PERSONAL = "personal", _("personal, not for the register")
        AUTOMATIC = "automatic", _("automatic message")
        OTHER = "other", _("other reason")

    message = models.OneToOneField(
        "core.InboundMessage",
        verbose_name=_("message"),
        on_delete=models.PROTECT,
        related_name="inbox_item",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbox_items",
    )
    reason = models.CharField(
        _("reason for setting aside"), max_length=10, choices=Reason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The message's arrival, copied so that the list sorts and pages on one table's index.
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    objects = InboxItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration inbox item")
        verbose_name_plural = _("registration inbox items")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_at", "-id"], name="registry_inbox_status"),
            models.Index(fields=["-received_at", "-id"], name="registry_inbox_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="registered") | Q(document__isnull=False),
                name="registry_inbox_registered_has_document",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(reason=""),
                name="registry_inbox_dismissed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.message)


class SearchTerm(models.Model):
    """A word seen in a document title: the vocabulary "did you mean" suggests from (pg_trgm).
    ``public`` once the word was in the title of a document without a restriction in force when
    its vectors were computed; the public register suggests only those, and only when a public
    search for the suggestion finds a document (``registry.search.suggestion``)."""

    word = models.CharField(_("word"), max_length=40, unique=True)
    public = models.BooleanField(_("in a public title"), default=False)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [
            GinIndex(fields=["word"], name="registry_searchterm_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.word
