"""A document's files (their text, OCR and signatures' verdict) and a parcel's hand-over."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import signatures
from core.uploads import active_content_field, storage_name
from registry.models.common import public_code
from registry.models.documents import Document


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
