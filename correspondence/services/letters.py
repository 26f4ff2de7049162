"""Letters: drafted from templates, changed, their PDF made and registered (a part of
correspondence.services)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import events, jobs, pdf
from core.models import Event, User
from core.uploads import check_upload
from correspondence.models import (
    POSTAL_CHANNELS,
    Channel,
    Dispatch,
    Letter,
    LetterTemplate,
    PdfStatus,
)
from correspondence.services.common import LETTER_PDF_JOB, Status, log
from correspondence.services.containers import _drop_container, default_needs_signature
from correspondence.services.placeholders import (
    LETTER_FILE_KINDS,
    REGISTRY_CHANNELS,
    check_placeholders,
    fill_placeholders,
    placeholder_values,
)
from correspondence.workflows import LETTER
from registry.models import Channel as RegistryChannel
from registry.models import Direction, Document, DocumentType, Party, Series


@dataclass(frozen=True)
class Addressee:
    party: Party
    channel: str


def _dispatches(letter: Letter, addressees: Iterable[Addressee]) -> list[Dispatch]:
    rows, errors, seen = [], [], set()
    for item in addressees:
        party = item.party
        if (party.pk, item.channel) in seen:
            continue
        seen.add((party.pk, item.channel))
        if item.channel == Channel.EMAIL and not party.email:
            errors.append(
                _("%(name)s has no e-mail address: add it to the party or choose post.")
                % {"name": party.name}
            )
        if item.channel in POSTAL_CHANNELS and not party.address:
            errors.append(
                _("%(name)s has no postal address: add it to the party or choose e-mail.")
                % {"name": party.name}
            )
        rows.append(
            Dispatch(
                letter=letter,
                party=party,
                name=party.name,
                address=party.address,
                email=party.email,
                channel=item.channel,
            )
        )
    if not rows:
        errors.append(_("Add at least one addressee."))
    if errors:
        raise ValidationError({"addressees": errors})
    return rows


@transaction.atomic
def letter_create(
    *,
    actor: User,
    subject: str,
    body: str,
    signer: User,
    addressees: Iterable[Addressee],
    in_reply_to: Document | None = None,
    series: Series | None = None,
    template: LetterTemplate | None = None,
    language: str = "et",
    needs_approval: bool = False,
    needs_signature: bool | None = None,
    files: Iterable[UploadedFile] = (),
) -> Letter:
    """Save a letter: it is registered at once (a reply in the series of the document it
    answers, whose deadline closes), and its PDF is made in the background."""
    addressees = list(addressees)
    _check_letter(subject=subject, body=body, in_reply_to=in_reply_to, series=series)
    document = _register_letter(
        actor=actor, subject=subject, addressees=addressees, in_reply_to=in_reply_to, series=series
    )
    letter = Letter(
        document=document,
        number=document.number,
        in_reply_to=in_reply_to,
        template=template,
        language=language,
        subject=subject.strip(),
        body=body.strip(),
        signer=signer,
        needs_approval=needs_approval,
        needs_signature=default_needs_signature(template=template, incoming=in_reply_to)
        if needs_signature is None
        else needs_signature,
        created_by=actor,
        pdf_status=PdfStatus.PENDING,
    )
    letter.full_clean(exclude=["document", "number"])
    letter.save()
    Dispatch.objects.bulk_create(_dispatches(letter, addressees))
    for uploaded in files:
        check_upload(uploaded, allowed=LETTER_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
        _registry().attachment_add(actor=actor, document=document, uploaded=uploaded)
    events.record(
        actor=actor, obj=letter, verb=Event.Verb.REGISTERED, data={"number": letter.number}
    )
    jobs.enqueue(LETTER_PDF_JOB, key=f"{LETTER_PDF_JOB}:{letter.pk}", letter_id=letter.pk)
    return letter


def _check_letter(*, subject: str, body: str, in_reply_to, series) -> None:
    """A letter's own rules, every broken one by its field."""
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Write the subject of the letter.")
    if not body.strip():
        errors["body"] = _("Write the text of the letter.")
    if in_reply_to is None and series is None:
        errors["series"] = _("Choose the series the letter is registered in.")
    for field, text in (("subject", subject), ("body", body)):
        try:
            check_placeholders(text)
        except ValidationError as error:
            errors.setdefault(field, error.messages)
    if errors:
        raise ValidationError(errors)


def _register_letter(*, actor: User, subject: str, addressees: list, in_reply_to, series):
    """The letter's document in the register, today: a reply in the series of the document it
    answers (whose deadline closes), else an outgoing letter in ``series``; its channel and
    recipient are the first addressee's."""
    first = addressees[0] if addressees else None
    channel = REGISTRY_CHANNELS[first.channel] if first else RegistryChannel.POST
    recipient = first.party if first else None
    if in_reply_to is not None:
        return _registry().document_register_reply(
            actor=actor,
            document=in_reply_to,
            title=subject,
            channel=channel,
            sent_on=timezone.localdate(),
            recipient=recipient,
        )
    return _registry().document_register(
        actor=actor,
        series=series,
        direction=Direction.OUTGOING,
        doc_type=DocumentType.LETTER,
        channel=channel,
        title=subject,
        received_on=timezone.localdate(),
        recipient=recipient,
        responsible=actor,
    )


def _registry():
    from registry import services

    return services


@transaction.atomic
def letter_update(
    *,
    actor: User,
    letter: Letter,
    subject: str,
    body: str,
    signer: User,
    addressees: Iterable[Addressee],
    needs_approval: bool,
    needs_signature: bool | None = None,
) -> Letter:
    """Change a draft (or a letter returned by the approver); the PDF is made again (and a
    signed container, which signed the old text, is dropped)."""
    letter = LETTER.lock(letter)
    if letter.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        if not text.strip():
            errors[field] = _("This field is required.")
        else:
            try:
                check_placeholders(text)
            except ValidationError as error:
                errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    rows = _dispatches(letter, addressees)
    letter.subject, letter.body, letter.signer = subject.strip(), body.strip(), signer
    letter.needs_approval = needs_approval
    if needs_signature is not None:
        letter.needs_signature = needs_signature
    letter.pdf_status = PdfStatus.PENDING
    letter.save()
    letter.dispatches.all().delete()
    Dispatch.objects.bulk_create(rows)
    if letter.container:  # a container signed the old text: it no longer fits
        _drop_container(letter)
    events.record(actor=actor, obj=letter, verb=Event.Verb.CHANGED)
    jobs.enqueue(LETTER_PDF_JOB, letter_id=letter.pk)  # a job per version of the text
    return letter


def letter_context(letter: Letter) -> dict:
    """What the letter's PDF shows, its placeholders filled in the letter's language."""
    dispatches = list(letter.dispatches.all())
    first = dispatches[0].party if dispatches else None
    with translation.override(letter.language):
        values = placeholder_values(
            addressee=first,
            incoming=letter.in_reply_to,
            signer=letter.signer,
            number=letter.number,
            on=letter.document.registered_on,
        )
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", fill_placeholders(letter.body, values))]
    return {
        "letter": letter,
        "subject": fill_placeholders(letter.subject, values),
        "paragraphs": [p for p in paragraphs if p],
        "dispatches": dispatches,
        "incoming": letter.in_reply_to,
        "attachments": [
            a.name for a in letter.document.attachments.all() if a.name != _pdf_name(letter)
        ],
        "agency_name": settings.AGENCY_NAME,
        "agency_address": settings.AGENCY_ADDRESS,
        "agency_contact": settings.AGENCY_CONTACT,
    }


def _pdf_name(letter: Letter) -> str:
    return f"{letter.number.replace('/', '_')}.pdf"


def letter_pdf_bytes(letter: Letter) -> bytes:
    letter = (
        Letter.objects.select_related("document", "signer", "in_reply_to")
        .prefetch_related("dispatches__party", "document__attachments")
        .get(pk=letter.pk)
    )
    with translation.override(letter.language):
        return pdf.render_pdf("correspondence/pdf/letter.html", letter_context(letter))


def _render_state(letter: Letter) -> tuple:
    """What the PDF is made of: a change of it while a PDF is being made makes that PDF stale."""
    return (
        letter.subject,
        letter.body,
        letter.signer_id,
        letter.language,
        tuple(letter.dispatches.order_by("pk").values_list("pk", flat=True)),
    )


def letter_render(*, letter_id: int) -> bool:
    """Make the letter's PDF from its current text (the letter-PDF job's body). The PDF is also
    kept as a file of the registered document.

    Safe to run twice: a letter whose PDF is ready is left as it is, and a PDF made from a text
    that was changed meanwhile is thrown away (the change queued a job of its own)."""
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None or (letter.pdf_status == PdfStatus.READY and letter.pdf):
        return False
    made_of = _render_state(letter)
    content = letter_pdf_bytes(letter)
    with transaction.atomic():
        letter = LETTER.lock(letter)
        if letter.pdf_status == PdfStatus.READY and letter.pdf:
            return False  # another run finished it meanwhile
        if _render_state(letter) != made_of:
            return False  # changed while this PDF was being made: the newer job makes it
        if letter.pdf:
            letter.pdf.delete(save=False)
        letter.pdf.save(_pdf_name(letter), ContentFile(content), save=False)
        letter.pdf_status, letter.pdf_error = PdfStatus.READY, ""
        letter.save(update_fields=["pdf", "pdf_status", "pdf_error"])
    return True


def letter_render_failed(*, letter_id: int, error: str) -> None:
    Letter.objects.filter(pk=letter_id).update(pdf_status=PdfStatus.FAILED, pdf_error=error[:500])
    log.error("letter %s: PDF failed: %s", letter_id, error)
