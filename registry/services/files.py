"""Parcels and files: attachments, their text, OCR, signatures and publicity (a part of
registry.services)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import events, jobs, pdf_active, signatures
from core.models import User
from core.uploads import check_upload, safe_display_name
from core.workflow import locking
from registry import search
from registry.models import (
    Attachment,
    Document,
    Parcel,
)
from registry.services.common import EXTRACT_JOB, OCR_JOB, SIGNED_KINDS
from registry.verbs import Verb


def parcel_record(
    *,
    actor: User,
    document: Document,
    carrier: str,
    tracking_code: str = "",
    handed_to: User | None = None,
    handed_at=None,
    receipt_signed_by: str = "",
) -> Parcel:
    parcel = Parcel(
        document=document,
        carrier=carrier.strip(),
        tracking_code=tracking_code.strip(),
        handed_to=handed_to,
        handed_at=handed_at,
        receipt_signed_by=receipt_signed_by.strip(),
    )
    if handed_to is not None and parcel.handed_at is None:
        parcel.handed_at = timezone.now()
    parcel.full_clean()
    parcel.save()
    return parcel


@transaction.atomic
def parcel_hand_over(
    *, actor: User, document: Document, handed_to: User, receipt_signed_by: str
) -> Parcel:
    """Record to whom the parcel was handed and who signed for it."""
    if not receipt_signed_by.strip():
        raise ValidationError({"receipt_signed_by": _("Enter the name of who signed for it.")})
    parcel = locking(Parcel.objects).filter(document=document).first()
    if parcel is None:
        raise ValidationError(_("The document is not a parcel."))
    parcel.handed_to = handed_to
    parcel.handed_at = timezone.now()
    parcel.receipt_signed_by = receipt_signed_by.strip()
    parcel.save(update_fields=["handed_to", "handed_at", "receipt_signed_by"])
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.PARCEL_HANDED_OVER,
        data={"person": str(handed_to), "signed_by": parcel.receipt_signed_by},
    )
    return parcel


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    document: Document,
    uploaded: UploadedFile,
    is_public: bool | None = None,
    withheld_reason: str = "",
    refresh: bool = True,
) -> Attachment:
    """Keep an uploaded file (checked by its real content) and extract its text in Celery.

    Public on the register while the document is not restricted, unless ``is_public`` is False
    with a ``withheld_reason`` (AvTS § 12 (4¹)); None: as :func:`default_publicity` says."""
    is_public, withheld_reason = _publicity(document, is_public, withheld_reason)
    kind = check_upload(uploaded, max_bytes=settings.UPLOAD_MAX_BYTES)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = Attachment(
        document=document,
        name=safe_display_name(uploaded.name or "file"),
        kind=kind.key,
        content_type=kind.content_type,
        size=uploaded.size,
        sha256=digest.hexdigest(),
        active_content=pdf_active.flags_for(uploaded, kind.key),
        is_public=is_public,
        withheld_reason=withheld_reason,
        uploaded_by=actor,
        text_status=Attachment.TextStatus.PENDING,
    )
    if kind.key in SIGNED_KINDS:
        uploaded.seek(0)
        _keep_verdict(attachment, b"".join(uploaded.chunks()))
        uploaded.seek(0)
    attachment.file.save(attachment.name, uploaded, save=False)
    attachment.save()
    events.record(
        actor=actor, obj=document, verb=Verb.ATTACHMENT_ADDED, data={"file": attachment.name}
    )
    job = jobs.enqueue(
        EXTRACT_JOB, key=f"{EXTRACT_JOB}:{attachment.pk}", attachment_id=attachment.pk
    )
    jobs.settle(job)  # eager (tests, no broker): the text and OCR are there when this returns
    if refresh:
        search.refresh(document)
    return attachment


def _keep_verdict(attachment: Attachment, data: bytes) -> signatures.Verdict:
    """Verify a signed container's signatures and keep the verdict on the attachment. An
    incoming container is evidence: a forged or broken one is kept as it came and flagged."""
    verdict = signatures.verify_container(data)
    attachment.signature_status = verdict.status
    attachment.signatures = verdict.as_dict()
    attachment.signatures_checked_at = timezone.now()
    return verdict


@transaction.atomic
def attachment_verify_signatures(*, actor: User, attachment: Attachment) -> Attachment:
    """Check a container's signatures again (after the trust list was updated, say); the new
    verdict replaces the old and the check is recorded with both outcomes."""
    attachment = locking(Attachment.objects).get(pk=attachment.pk)
    if attachment.kind not in SIGNED_KINDS:
        raise ValidationError(_("The file is not a signed container."))
    before = attachment.signature_status
    with attachment.file.open("rb") as stored:
        _keep_verdict(attachment, stored.read())
    attachment.save(update_fields=["signature_status", "signatures", "signatures_checked_at"])
    events.record(
        actor=actor,
        obj=attachment.document,
        verb=Verb.SIGNATURES_CHECKED,
        data={"file": attachment.name, "before": before, "after": attachment.signature_status},
    )
    return attachment


def default_publicity(document: Document) -> tuple[bool, str]:
    """Whether a new file of ``document`` is published, and if not why (AvTS § 12 (4¹): the
    files of an unrestricted document are public). A document with a private person as its
    sender or recipient keeps its files back until someone has looked at them: a private person
    is never named on the public register, and their letter's scan names them."""
    parties = [party for party in (document.sender, document.recipient) if party is not None]
    if any(party.is_private_person for party in parties):
        return False, str(PRIVATE_PERSON_WITHHELD)
    return True, ""


PRIVATE_PERSON_WITHHELD = _(
    "A private person's document: check the file for personal data before publishing it."
)
#: What a file kept off the public register without a reason is told (services and forms), in
#: the language of whoever is told.
WITHHELD_WITHOUT_REASON = gettext_lazy("Write why the file is not published (AvTS § 12 (4¹)).")


def _publicity(document: Document, is_public: bool | None, reason: str) -> tuple[bool, str]:
    if is_public is None:
        is_public, default_reason = default_publicity(document)
        reason = reason.strip() or default_reason
    if is_public:
        return True, ""
    if not reason.strip():
        raise ValidationError({"withheld_reason": WITHHELD_WITHOUT_REASON})
    return False, reason.strip()[:500]


@transaction.atomic
def attachment_set_public(
    *, actor: User, attachment: Attachment, is_public: bool, reason: str = ""
) -> Attachment:
    """Publish a file, or take it off the public register with the reason written down."""
    attachment = locking(Attachment.objects).get(pk=attachment.pk)
    if attachment.is_public == is_public:
        return attachment
    attachment.is_public, attachment.withheld_reason = _publicity(
        attachment.document, is_public, reason
    )
    attachment.save(update_fields=["is_public", "withheld_reason"])
    events.record(
        actor=actor,
        obj=attachment.document,
        verb=Verb.ATTACHMENT_PUBLISHED if is_public else Verb.ATTACHMENT_UNPUBLISHED,
        data={"file": attachment.name, "reason": attachment.withheld_reason},
    )
    return attachment


def attachment_extract_text(*, attachment_id: int) -> bool:
    """Extract an attachment's text for search (the job's body; safe to run twice). A damaged
    file is failed at once with the reason; a read error or a missing tool is raised, so the job
    tries again with back-off and, at its last attempt, ``attachment_extract_failed`` records
    it. A scan (an image, a PDF page with an image and no text) is then queued for OCR."""
    from registry.extract import ExtractionError, extract

    attachment = Attachment.objects.filter(
        pk=attachment_id, text_status=Attachment.TextStatus.PENDING
    ).first()
    if attachment is None:
        return False
    try:
        with attachment.file.open("rb") as handle:
            result = extract(handle, attachment.kind)
    except ExtractionError as error:
        reason = str(error) or type(error).__name__
        return _text_finish(attachment, text="", status=Attachment.TextStatus.FAILED, error=reason)
    status = Attachment.TextStatus.DONE if result.text.strip() else Attachment.TextStatus.NONE
    return _text_finish(attachment, text=result.text, status=status, ocr=result.needs_ocr)


def _text_finish(
    attachment: Attachment, *, text: str, status: str, error: str = "", ocr: bool = False
) -> bool:
    from registry.extract import clean_text

    fields = {"text": clean_text(text), "text_status": status, "text_error": error[:2000]}
    if ocr:
        enabled = getattr(settings, "OCR_ENABLED", True)
        fields["ocr_status"] = (
            Attachment.OcrStatus.PENDING if enabled else Attachment.OcrStatus.SKIPPED
        )
    with transaction.atomic():
        updated = Attachment.objects.filter(
            pk=attachment.pk, text_status=Attachment.TextStatus.PENDING
        ).update(**fields)
        if updated:
            search.refresh(Document.objects.get(pk=attachment.document_id))
            if fields.get("ocr_status") == Attachment.OcrStatus.PENDING:
                ocr = jobs.enqueue(
                    OCR_JOB, key=f"{OCR_JOB}:{attachment.pk}", attachment_id=attachment.pk
                )
                jobs.settle(ocr)
    return bool(updated)


def attachment_extract_failed(*, error: str, attachment_id: int) -> None:
    """The extraction job was given up (``core.jobs`` on_failure): failed, with the reason."""
    Attachment.objects.filter(pk=attachment_id, text_status=Attachment.TextStatus.PENDING).update(
        text_status=Attachment.TextStatus.FAILED, text_error=error[:2000]
    )


def _ocr_timeout() -> int:
    """OCR stops before Celery's soft time limit would (CELERY_TASK_SOFT_TIME_LIMIT)."""
    configured = getattr(settings, "OCR_TIMEOUT_SECONDS", None)
    if configured:
        return int(configured)
    return max(60, getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 240) - 20)


def attachment_ocr(*, attachment_id: int) -> bool:
    """Read a scanned attachment by OCR (the job's body; safe to run twice): the text joins the
    attachment's text for search, and a searchable PDF/A is kept beside the original, which is
    never changed. A file OCR cannot read is failed at once with the reason; other errors are
    raised for the job to try again (``attachment_ocr_failed`` records the last)."""
    import shutil
    import tempfile
    from pathlib import Path

    from django.core.files import File

    from registry.extract import MAX_TEXT_CHARS, ExtractionError, ocr

    waiting = [Attachment.OcrStatus.PENDING, Attachment.OcrStatus.RUNNING]
    attachment = Attachment.objects.filter(pk=attachment_id, ocr_status__in=waiting).first()
    if attachment is None:
        return False
    Attachment.objects.filter(pk=attachment_id, ocr_status__in=waiting).update(
        ocr_status=Attachment.OcrStatus.RUNNING
    )
    with tempfile.TemporaryDirectory(prefix="attachment-ocr-") as folder:
        source, output = Path(folder) / "original", Path(folder) / "searchable.pdf"
        try:
            with attachment.file.open("rb") as stored, source.open("wb") as copy:
                shutil.copyfileobj(stored, copy)
            read = ocr(
                source,
                attachment.kind,
                output=output,
                timeout=_ocr_timeout(),
                max_pages=getattr(settings, "OCR_MAX_PAGES", 20),
            )
        except ExtractionError as error:
            _ocr_finish(attachment_id, status=Attachment.OcrStatus.FAILED, error=str(error))
            return False
        except Exception:
            Attachment.objects.filter(pk=attachment_id, ocr_status__in=waiting).update(
                ocr_status=Attachment.OcrStatus.PENDING  # waiting for the job's next attempt
            )
            raise
        with transaction.atomic():
            attachment = (
                locking(Attachment.objects).filter(pk=attachment_id, ocr_status__in=waiting).first()
            )
            if attachment is None:
                return False
            stem = attachment.name.rsplit(".", 1)[0] if "." in attachment.name else attachment.name
            with output.open("rb") as handle:
                attachment.searchable_pdf.save(f"{stem}.pdf", File(handle), save=False)
            if read:
                attachment.text = "\n".join(filter(None, [attachment.text, read]))[:MAX_TEXT_CHARS]
                attachment.text_status = Attachment.TextStatus.DONE
            attachment.ocr_status, attachment.ocr_error = Attachment.OcrStatus.DONE, ""
            attachment.save(
                update_fields=["searchable_pdf", "text", "text_status", "ocr_status", "ocr_error"]
            )
            search.refresh(Document.objects.get(pk=attachment.document_id))
    return True


def _ocr_finish(attachment_id: int, *, status: str, error: str) -> None:
    waiting = [Attachment.OcrStatus.PENDING, Attachment.OcrStatus.RUNNING]
    Attachment.objects.filter(pk=attachment_id, ocr_status__in=waiting).update(
        ocr_status=status, ocr_error=error[:2000]
    )


def attachment_ocr_failed(*, error: str, attachment_id: int) -> None:
    """The OCR job was given up (``core.jobs`` on_failure): failed, with the reason."""
    _ocr_finish(attachment_id, status=Attachment.OcrStatus.FAILED, error=error)
