"""Outgoing mail: letter templates, letters (each a registered outgoing document), their
dispatch to each addressee, and the daily post-office dispatch lists.

Rules (numbers, approval, sending, the dispatch list) live in services.py; the models hold the
data and the constraints the database can keep.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.terms import DeliveryMethod
from core.uploads import storage_name

LANGUAGES = [("et", _("Estonian")), ("en", _("English")), ("ru", _("Russian"))]


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    POST = "post", _("ordinary post")
    REGISTERED = "registered", _("registered post")
    HAND = "hand", _("hand delivery")
    DHX = "dhx", _("document exchange (DHX)")


#: Channels that wait for the daily dispatch list and the post office.
POSTAL_CHANNELS = (Channel.POST, Channel.REGISTERED)


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class LetterTemplate(models.Model):
    """A standard letter with placeholders such as ``{{ addressee }}`` (see services.PLACEHOLDERS),
    one row per language of the same ``code``."""

    code = models.SlugField(_("code"), max_length=60)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="et")
    name = models.CharField(_("name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    for_replies = models.BooleanField(
        _("for replies"), default=True, help_text=_("Offered when replying to a document.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    needs_signature = models.BooleanField(
        _("needs a signature"),
        default=False,
        help_text=_("Letters from this template are sent only after their signer signs them."),
    )
    updated = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["name", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "language"], name="correspondence_template_code_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


# The columns a row of the letter list shows or tests (``LetterQuerySet.with_list_data``).
LIST_ROW_FIELDS = (
    "number",
    "subject",
    "status",
    "pdf_status",
    "created",
    "needs_signature",
    "container",
    "container_verdict",
    "document__registered_on",
    "in_reply_to__number",
    "signer__first_name",
    "signer__last_name",
    "signer__username",
)


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The letters ``user`` may see: a letter registered as a restricted document, or
        answering one, only to those who may see that document (``Document.objects.visible_to``:
        the responsible person, the registrar, those it was shared with and the roles that
        grant restricted documents); every other letter to every holder of view_letter."""
        from core import roles
        from registry.models import Document

        if roles.granted(user, "registry.view_restricted_document"):
            return self
        hidden = Document.objects.hidden_from(user)
        return self.exclude(Exists(hidden.filter(pk=OuterRef("document_id")))).exclude(
            Exists(hidden.filter(pk=OuterRef("in_reply_to_id")))
        )

    def with_list_data(self):
        """What a row of the list reads (``.only()``) with the joins it shows: its cells, the
        order's key and what the signature badge tests. The rest (the letter's text, the other
        columns of its two documents and signer, the documents' search vectors of up to a
        megabyte each) cost the list a sixth of its time to build into objects (issue 16). The
        addressees in the order of their ids: ordering them by their letter
        (``Dispatch.Meta.ordering``) joined the letters again for the same order per letter."""
        return (
            self.select_related("document", "signer", "in_reply_to")
            .only(*LIST_ROW_FIELDS)
            .prefetch_related(
                Prefetch(
                    "dispatches",
                    queryset=Dispatch.objects.only("letter", "name", "channel").order_by("id"),
                )
            )
        )

    def verified(self):
        """Letters with a signed container whose stored verdict is valid or valid with warnings."""
        return self.exclude(container="").filter(container_verdict__status__in=SENDABLE_VERDICTS)

    def awaiting_signature(self):
        """Unsent letters that need a signature and have no verified signed container yet."""
        unsent = [Letter.Status.DRAFT, Letter.Status.AWAITING_APPROVAL, Letter.Status.APPROVED]
        return self.filter(needs_signature=True, status__in=unsent).exclude(
            pk__in=self.model.objects.verified().values("pk")
        )


#: The verdicts (DigiDoc's terms) with which a signed container may be kept and sent.
SENDABLE_VERDICTS = ("valid", "warnings")


def letter_file_path(instance, filename: str) -> str:
    return storage_name("letters")


class Letter(models.Model):
    """A letter the agency sends: its text, the registered outgoing document that numbers it,
    its PDF, and (optionally) a signed container that is sent instead of the PDF."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
        APPROVED = "approved", _("ready to send")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("sending failed")
        CANCELLED = "cancelled", _("cancelled")

    document = models.OneToOneField(
        "registry.Document",
        verbose_name=_("registered as"),
        on_delete=models.PROTECT,
        related_name="letter",
    )
    number = models.CharField(_("register number"), max_length=40, unique=True)
    in_reply_to = models.ForeignKey(
        "registry.Document",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reply_letters",
    )
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="et")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="signed_letters",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    needs_approval = models.BooleanField(_("needs the head's approval"), default=False)
    needs_signature = models.BooleanField(
        _("needs a signature"),
        default=False,
        help_text=_("Sent only with a signed container of its signer whose signature is valid."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_comment = models.TextField(_("comment of the approver"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=letter_file_path, blank=True, max_length=255)
    pdf_status = models.CharField(
        _("PDF"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    pdf_error = models.CharField(_("PDF error"), max_length=500, blank=True)
    container = models.FileField(
        _("signed container"), upload_to=letter_file_path, blank=True, max_length=255
    )
    container_name = models.CharField(_("container file name"), max_length=255, blank=True)
    container_signers = models.JSONField(
        _("signatures"),
        default=list,
        blank=True,
        help_text=_("Verified signatures only: [{name, code, signed_at}]"),
    )
    container_verdict = models.JSONField(
        _("verdict on the signatures"),
        default=dict,
        blank=True,
        help_text=_(
            "{status, local: Verdict.as_dict(), siva: Verdict.as_dict() or null, notes, "
            "signer_match} (correspondence.services.letter_attach_container)"
        ),
    )
    container_checked_at = models.DateTimeField(_("signatures checked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("prepared at"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created", "-id"]
        # The list, newest first: alone and with its common filters (core.listing; EXPLAIN in
        # tests/correspondence/test_list_plans.py).
        indexes = [
            models.Index(F("created"), F("id"), name="corr_letter_created"),
            models.Index(F("status"), F("created"), F("id"), name="corr_letter_status_created"),
            models.Index(F("signer"), F("created"), F("id"), name="corr_letter_signer_created"),
        ]
        permissions = [
            ("approve_letter", _("Can approve letters")),
            ("send_letter", _("Can send letters and keep the dispatch list")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_signed(self) -> bool:
        """Whether the letter carries a signed container whose signatures were verified (valid
        or valid with warnings): only then is it shown and sent as signed."""
        return bool(self.container) and self.verdict_status in SENDABLE_VERDICTS

    @property
    def verdict_status(self) -> str:
        """The stored verdict on the container: valid, warnings, indeterminate, invalid, or ""
        (no container, or one kept before signatures were verified)."""
        return (self.container_verdict or {}).get("status", "") if self.container else ""

    @property
    def awaits_signature(self) -> bool:
        unsent = (self.Status.DRAFT, self.Status.AWAITING_APPROVAL, self.Status.APPROVED)
        return self.needs_signature and self.status in unsent and not self.is_signed


class DispatchList(models.Model):
    """The day's letters for the post office: printed, taken there, marked."""

    day = models.DateField(_("day"), unique=True)
    taken_at = models.DateTimeField(_("taken to the post office at"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dispatch list")
        verbose_name_plural = _("dispatch lists")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}"

    @property
    def is_taken(self) -> bool:
        return self.taken_at is not None


class Dispatch(models.Model):
    """One addressee of a letter, with the channel it goes by and what happened to it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        DELIVERED = "delivered", _("delivered")
        BOUNCED = "bounced", _("bounced")
        RETURNED = "returned", _("returned")

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="dispatches"
    )
    party = models.ForeignKey(
        "registry.Party",
        verbose_name=_("addressee"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    # As on the letter (the party's row may change later).
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    outbound_email = models.OneToOneField(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatch",
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    dispatch_list = models.ForeignKey(
        DispatchList,
        verbose_name=_("dispatch list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    tracking_code = models.CharField(_("tracking code"), max_length=40, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_on = models.DateField(_("delivery notice date"), null=True, blank=True)
    # Delivery (core.terms): the first delivery sets delivered_on and how; every event, the
    # e-mail accepted by the recipient's server included, is kept in delivery_evidence.
    delivered_via = models.CharField(
        _("delivered by"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivery recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_evidence = models.JSONField(
        _("evidence of delivery"),
        default=list,
        blank=True,
        help_text=_("[{method, on, at, by, message_id}]: every event, the first one the date."),
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["letter", "id"]
        indexes = [
            models.Index(fields=["channel", "status"], name="correspondence_dispatch_q"),
            # "Waiting for a delivery notice" on the dispatch page, the oldest first.
            models.Index(
                F("sent_at"),
                F("id"),
                name="corr_dispatch_waiting",
                condition=Q(channel="registered", status="sent", delivered_on__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(email=""),
                name="correspondence_email_dispatch_has_address",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "hand", "dhx"]) | ~Q(address=""),
                name="correspondence_postal_dispatch_has_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter.number} → {self.name}"

    @property
    def is_postal(self) -> bool:
        return self.channel in POSTAL_CHANNELS

    @property
    def address_lines(self) -> list[str]:
        """The postal address as envelope lines: "Mere pst 5, 10111 Tallinn" → two lines."""
        return [part.strip() for part in self.address.split(",") if part.strip()]


class SigningSession(models.Model):
    """The signer signing a letter's PDF through the signing gateway (SiGa) with Smart-ID or
    Mobile-ID: the gateway's container and signature ids, the verification code shown to the
    signer, and how it ended. One pending session per letter."""

    class Method(models.TextChoices):
        SMART_ID = "smartid", _("Smart-ID")
        MOBILE_ID = "mobileid", _("Mobile-ID")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the signer")
        SIGNED = "signed", _("signed")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="signing_sessions"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    person_code = models.CharField(_("personal code"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="EE")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    gateway_container_id = models.CharField(_("gateway container"), max_length=100, blank=True)
    gateway_signature_id = models.CharField(_("gateway signature"), max_length=100, blank=True)
    challenge = models.CharField(_("verification code"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    created = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing session")
        verbose_name_plural = _("signing sessions")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter"],
                condition=Q(status="pending"),
                name="correspondence_one_pending_signing_per_letter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.get_method_display()} {self.status}"
