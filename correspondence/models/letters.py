"""A letter: from draft through approval and signing to sent, with its PDF and signed container."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import storage_name
from correspondence.models.common import LANGUAGES, PdfStatus
from correspondence.models.dispatch import Dispatch
from correspondence.models.templates import LetterTemplate

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
