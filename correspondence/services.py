"""Every write of outgoing mail: templates, letters, approval, signed containers, sending, the
daily dispatch list, and what happens to each letter after it has left.

A letter is a registered outgoing document from the moment it is saved: it gets its register
number in the series of the document it answers (``registry.services.document_register_reply``,
which also closes that document's deadline) or in the series chosen. Its text may hold
placeholders (``{{ our_number }}``); they are filled when the PDF is made, in the letter's
language. E-mail goes through the outbox (core.services.email_queue) and comes back here with
its outcome (``email_outcome``); post waits for the day's dispatch list.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import calendar, events, jobs, mail, pdf, roles
from core.models import Event, OutboundEmail, User
from core.redirects import site_url
from core.services import email_queue, email_queue_template, email_resend
from core.terms import DeliveryMethod
from core.uploads import check_upload, safe_display_name
from core.workflow import locking
from correspondence import verdicts
from correspondence.models import (
    POSTAL_CHANNELS,
    Channel,
    Dispatch,
    DispatchList,
    Letter,
    LetterTemplate,
    PdfStatus,
)
from correspondence.verbs import Verb
from correspondence.workflows import DISPATCH, LETTER, SENT_OR_SENDING, UNSENT
from registry.models import Channel as RegistryChannel
from registry.models import Direction, Document, DocumentType, Party, Series

log = logging.getLogger(__name__)

LETTER_PDF_JOB = "correspondence.letter_pdf"
Status = Letter.Status

# --- Placeholders ---------------------------------------------------------------------------------

PLACEHOLDERS = {
    "addressee": gettext_lazy("name of the addressee (the first, if several)"),
    "addressee_address": gettext_lazy("postal address of the addressee"),
    "our_number": gettext_lazy("register number of this letter"),
    "our_date": gettext_lazy("date of this letter"),
    "incoming_number": gettext_lazy("register number of the document answered"),
    "incoming_date": gettext_lazy("date the document answered was registered"),
    "incoming_title": gettext_lazy("title of the document answered"),
    "their_reference": gettext_lazy("the sender's own number of the document answered"),
    "their_date": gettext_lazy("the sender's own date of the document answered"),
    "deadline": gettext_lazy("deadline of the document answered"),
    "signer": gettext_lazy("name of the signer"),
    "signer_title": gettext_lazy("job title of the signer"),
    "agency": gettext_lazy("name of the agency"),
}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
REGISTRY_CHANNELS = {
    Channel.EMAIL: RegistryChannel.EMAIL,
    Channel.POST: RegistryChannel.POST,
    Channel.REGISTERED: RegistryChannel.POST,
    Channel.HAND: RegistryChannel.HAND,
    Channel.DHX: RegistryChannel.DHX,
}
LETTER_FILE_KINDS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg")


def check_placeholders(text: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. Use only the placeholders listed.")
            % {"names": ", ".join("{{ " + name + " }}" for name in unknown)}
        )


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """``text`` with every known placeholder replaced (a missing value leaves it empty)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def placeholder_values(
    *,
    addressee: Party | None = None,
    incoming: Document | None = None,
    signer: User | None = None,
    number: str = "",
    on: date | None = None,
) -> dict[str, str]:
    """The values of the placeholders (dates in the current language's format)."""
    return {
        "addressee": addressee.name if addressee else "",
        "addressee_address": addressee.address if addressee else "",
        "our_number": number,
        "our_date": _date(on or timezone.localdate()),
        "incoming_number": incoming.number if incoming else "",
        "incoming_date": _date(incoming.registered_on) if incoming else "",
        "incoming_title": incoming.title if incoming else "",
        "their_reference": incoming.sender_reference if incoming else "",
        "their_date": _date(incoming.sender_date) if incoming else "",
        "deadline": _date(incoming.deadline) if incoming else "",
        "signer": str(signer) if signer else "",
        "signer_title": getattr(signer, "job_title", "") if signer else "",
        "agency": settings.AGENCY_NAME,
    }


# --- Templates ----------------------------------------------------------------------------------


@transaction.atomic
def template_save(
    *, actor: User, template: LetterTemplate | None = None, **fields
) -> LetterTemplate:
    """Create or change a template; its placeholders must be known ones."""
    template = template or LetterTemplate()
    for name, value in fields.items():
        setattr(template, name, value)
    errors = {}
    for field in ("subject", "body"):
        try:
            check_placeholders(getattr(template, field))
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    created = template.pk is None
    template.full_clean()
    template.save()
    events.record(actor=actor, obj=template, verb=Event.Verb.CREATED if created else "changed")
    return template


def template_prefill(
    *, template: LetterTemplate, incoming: Document | None, addressee: Party | None, signer: User
) -> tuple[str, str]:
    """The subject and text a new letter starts with: what is known now is filled in; the
    letter's own number and date stay placeholders until the PDF is made."""
    with translation.override(template.language):
        values = placeholder_values(addressee=addressee, incoming=incoming, signer=signer)
    later = {"our_number": "{{ our_number }}", "our_date": "{{ our_date }}"}
    values.update(later)
    return fill_placeholders(template.subject, values), fill_placeholders(template.body, values)


# --- Letters ------------------------------------------------------------------------------------


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
    first = addressees[0] if addressees else None
    channel = REGISTRY_CHANNELS[first.channel] if first else RegistryChannel.POST
    if in_reply_to is not None:
        document = _registry().document_register_reply(
            actor=actor,
            document=in_reply_to,
            title=subject,
            channel=channel,
            sent_on=timezone.localdate(),
            recipient=first.party if first else None,
        )
    else:
        document = _registry().document_register(
            actor=actor,
            series=series,
            direction=Direction.OUTGOING,
            doc_type=DocumentType.LETTER,
            channel=channel,
            title=subject,
            received_on=timezone.localdate(),
            recipient=first.party if first else None,
            responsible=actor,
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


# --- Signed containers --------------------------------------------------------------------------

#: Replies to these kinds of documents are official answers: they need their signer's signature
#: unless the clerk says otherwise (a template's own setting wins).
OFFICIAL_ANSWER_TYPES = (
    DocumentType.INFORMATION_REQUEST,
    DocumentType.MEMORANDUM,
    DocumentType.REQUEST_FOR_EXPLANATION,
    DocumentType.APPLICATION,
)


def default_needs_signature(
    *, template: LetterTemplate | None = None, incoming: Document | None = None
) -> bool:
    """Whether a new letter needs a signature by default: as its template says; without a
    template, when it answers an information request, memorandum, request for explanation or
    application (an official answer)."""
    if template is not None:
        return template.needs_signature
    return incoming is not None and incoming.doc_type in OFFICIAL_ANSWER_TYPES


def letter_attach_container(
    *,
    actor: User,
    letter: Letter,
    uploaded: UploadedFile | None = None,
    data: bytes | None = None,
    name: str = "",
    expected_code: str = "",
) -> tuple[Letter, list[str]]:
    """Keep a signed container (ASiC-E) of the letter as it is; it is sent instead of the PDF.

    Its signatures are verified first (``verdicts.check_container``: locally, and by SiVa when
    set up; the worse counts). An invalid container is refused with the reasons; an
    indeterminate one too (it cannot be sent as signed); valid and valid with warnings are kept
    with the verdict. A known personal code of the signer (``expected_code``: the one they
    signed with through the signing gateway, or the user's own) must be on a valid signature;
    otherwise the signer's name is compared and a mismatch is a warning. Returns the letter and
    the warnings to show."""
    if uploaded is not None:
        check_upload(uploaded, allowed=("asice",), max_bytes=settings.UPLOAD_MAX_BYTES)
        data = b"".join(uploaded.chunks())
        name = uploaded.name or ""
    if not data:
        raise ValidationError(_("The container is empty."))
    with transaction.atomic():
        if LETTER.lock(letter).status not in UNSENT:
            raise ValidationError(_("A sent letter cannot be signed any more."))
    check = verdicts.check_container(data, filename=name)  # outside the lock: SiVa may be slow
    reasons = " ".join(check.reasons())
    if check.status == "invalid":
        raise ValidationError(
            _("The container's signatures are not valid, so it was not added. %(reasons)s")
            % {"reasons": reasons},
            code="invalid_container",
        )
    if check.status == "indeterminate":
        raise ValidationError(
            _(
                "The container's signatures cannot be confirmed (DigiDoc would call them "
                "indeterminate), so the letter cannot be sent as signed. %(reasons)s"
            )
            % {"reasons": reasons},
            code="indeterminate_container",
        )
    match, refusal = verdicts.signer_match(check, letter.signer, expected_code=expected_code)
    if match == "refused":
        raise ValidationError(refusal, code="wrong_signer")
    if match == "none":
        check.notes.append(verdicts.signer_note(check, letter.signer))
    warnings = verdicts.note_texts({"notes": check.notes})
    if check.status == "warnings":
        warnings = check.reasons() + warnings
    signed = check.verified_signatures()
    with transaction.atomic():
        letter = LETTER.lock(letter)
        if letter.status not in (Status.DRAFT, Status.AWAITING_APPROVAL, Status.APPROVED):
            raise ValidationError(_("A sent letter cannot be signed any more."))
        if letter.container:
            letter.container.delete(save=False)
        letter.container_name = safe_display_name(name or "allkirjastatud.asice")
        letter.container.save(letter.container_name, ContentFile(data), save=False)
        letter.container_signers = [_signer_row(signature) for signature in signed]
        letter.container_verdict = check.stored(signer_match=match)
        letter.container_checked_at = timezone.now()
        letter.save(
            update_fields=[
                "container",
                "container_name",
                "container_signers",
                "container_verdict",
                "container_checked_at",
            ]
        )
        events.record(
            actor=actor,
            obj=letter,
            verb=Verb.SIGNED,
            data={"signers": [s.signer for s in signed], "verdict": check.status},
        )
    return letter, warnings


def _signer_row(signature) -> dict:
    moment = getattr(signature, "trusted_time", None) or getattr(
        signature, "claimed_signing_time", None
    )
    return {
        "name": signature.signer,
        "code": getattr(signature, "code", "") or "",
        "signed_at": moment.isoformat() if hasattr(moment, "isoformat") else str(moment or ""),
    }


@transaction.atomic
def letter_check_container(*, actor: User, letter: Letter) -> Letter:
    """Verify the kept container again (one kept before signatures were verified, or one whose
    verdict should be renewed): the new verdict replaces the old and may stop its sending."""
    letter = LETTER.lock(letter)
    if not letter.container:
        raise ValidationError(_("The letter has no signed container."))
    with letter.container.open("rb") as stored:
        data = stored.read()
    check = verdicts.check_container(data, filename=letter.container_name)
    match = "none"
    if check.sendable:
        match, _refusal = verdicts.signer_match(check, letter.signer)
        if match == "none":
            check.notes.append(verdicts.signer_note(check, letter.signer))
    letter.container_signers = [_signer_row(s) for s in check.verified_signatures()]
    letter.container_verdict = check.stored(signer_match=match)
    letter.container_checked_at = timezone.now()
    letter.save(update_fields=["container_signers", "container_verdict", "container_checked_at"])
    events.record(
        actor=actor, obj=letter, verb=Verb.SIGNATURES_CHECKED, data={"verdict": check.status}
    )
    return letter


@transaction.atomic
def letter_remove_container(*, actor: User, letter: Letter) -> Letter:
    """Take the signed container off an unsent letter (a wrong or invalid one): the PDF is
    sent again, unless the letter needs a signature."""
    letter = LETTER.lock(letter)
    if letter.status not in (Status.DRAFT, Status.AWAITING_APPROVAL, Status.APPROVED):
        raise ValidationError(_("The container of a sent letter stays with it."))
    if not letter.container:
        raise ValidationError(_("The letter has no signed container."))
    _drop_container(letter)
    events.record(actor=actor, obj=letter, verb=Verb.CONTAINER_REMOVED)
    return letter


def _drop_container(letter: Letter) -> None:
    letter.container.delete(save=False)
    letter.container_name, letter.container_signers = "", []
    letter.container_verdict, letter.container_checked_at = {}, None
    letter.save(
        update_fields=[
            "container",
            "container_name",
            "container_signers",
            "container_verdict",
            "container_checked_at",
        ]
    )


def signature_problem(letter: Letter) -> str:
    """Why the letter cannot be sent as it is signed (or not), or "": a kept container must have
    a valid (or valid with warnings) verdict, and a letter that needs a signature must have one."""
    if letter.container and not letter.is_signed:
        return _(
            "The signed container's signatures are not confirmed as valid, so it is not sent: "
            "check them again, replace the container or remove it."
        )
    if letter.needs_signature and not letter.is_signed:
        return _(
            "The letter needs its signer's signature: add the signed container (or sign it) "
            "before it is sent."
        )
    return ""


# --- Approval -----------------------------------------------------------------------------------


def approvers():
    return roles.holders("approve_letter")


@transaction.atomic
def letter_submit(*, actor: User, letter: Letter) -> Letter:
    """Send a draft to the head for approval (they get an e-mail)."""
    letter = LETTER.lock(letter)
    LETTER.move(letter, "submit", actor=actor)
    letter.needs_approval = True
    letter.save(update_fields=["status", "needs_approval"])
    to = [user.email for user in approvers() if user.email]
    if to:
        email_queue_template(
            to=to,
            template="correspondence/email/approval_asked",
            context={"letter": letter, "url": site_url("correspondence:letter-detail", letter.pk)},
            language=settings.LANGUAGE_CODE,
        )
    return letter


@transaction.atomic
def letter_approve(*, actor: User, letter: Letter) -> Letter:
    letter = LETTER.lock(letter)
    LETTER.move(letter, "approve", actor=actor)
    letter.approved_by, letter.approved_at, letter.return_comment = actor, timezone.now(), ""
    letter.save(update_fields=["status", "approved_by", "approved_at", "return_comment"])
    return letter


@transaction.atomic
def letter_return(*, actor: User, letter: Letter, comment: str) -> Letter:
    """The head sends the letter back to its author with a comment; it is a draft again."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should be changed.")})
    letter = LETTER.lock(letter)
    LETTER.move(letter, "return", actor=actor, comment=comment.strip())
    letter.return_comment = comment.strip()
    letter.save(update_fields=["status", "return_comment"])
    if letter.created_by.email:
        email_queue_template(
            to=[letter.created_by.email],
            template="correspondence/email/returned",
            context={"letter": letter, "url": site_url("correspondence:letter-detail", letter.pk)},
            language=settings.LANGUAGE_CODE,
        )
    return letter


@transaction.atomic
def letter_cancel(*, actor: User, letter: Letter, reason: str) -> Letter:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    letter = LETTER.lock(letter)
    LETTER.move(letter, "cancel", actor=actor, reason=reason.strip())
    letter.save(update_fields=["status"])
    return letter


# --- Sending ------------------------------------------------------------------------------------


def dispatch_list_for(day: date) -> DispatchList:
    """The dispatch list that takes the post of ``day``: if that day's list has already been
    taken to the post office (or the day is a day off), the next working day's."""
    day = calendar.registration_day(day)
    while True:
        dispatch_list, _created = DispatchList.objects.get_or_create(day=day)
        if not dispatch_list.is_taken:
            return dispatch_list
        day = calendar.next_working_day(day)


@transaction.atomic
def letter_send(*, actor: User, letter: Letter) -> Letter:
    """Send the letter to every addressee by their channel: e-mail now (by Celery, retried,
    the outcome recorded), post and registered post on the day's dispatch list, hand delivery
    and document exchange recorded as sent. Sending twice sends nothing twice."""
    letter = LETTER.lock(letter)
    LETTER.check(letter, "send", actor)
    if letter.pdf_status != PdfStatus.READY and not letter.container:
        raise ValidationError(_("The PDF of the letter is not ready yet: wait a moment."))
    problem = signature_problem(letter)
    if problem:
        raise ValidationError(problem, code="not_signed")
    LETTER.move(letter, "send", actor=actor)
    letter.sent_at = timezone.now()
    letter.save(update_fields=["status", "sent_at"])
    now = timezone.now()
    for dispatch in DISPATCH.lock_all(letter.dispatches.filter(status=Dispatch.Status.WAITING)):
        if dispatch.channel == Channel.EMAIL:
            dispatch.outbound_email = _queue_email(letter, dispatch)
            DISPATCH.move(dispatch, "queue_email", actor=None)
        elif dispatch.channel in POSTAL_CHANNELS:
            dispatch.dispatch_list = dispatch_list_for(timezone.localdate())
        else:
            DISPATCH.move(dispatch, "leave", actor=None)
            dispatch.sent_at = now
        dispatch.save()
    _refresh_status(letter)
    return letter


def _queue_email(letter: Letter, dispatch: Dispatch) -> OutboundEmail:
    with translation.override(letter.language):
        from django.template.loader import render_to_string

        context = {"letter": letter, "dispatch": dispatch, "agency_name": settings.AGENCY_NAME}
        body = render_to_string("correspondence/email/letter.txt", context)
    if letter.container and not letter.is_signed:  # never send an unconfirmed signature
        raise ValidationError(signature_problem(letter), code="not_signed")
    attachment = (
        (letter.container, letter.container_name)
        if letter.container
        else (letter.pdf, _pdf_name(letter))
    )
    return email_queue(
        to=[dispatch.email],
        subject=f"{letter.number} {letter.subject}",
        body=body,
        key=f"letter-dispatch-{dispatch.pk}",
        attachments=[attachment],
        callback="correspondence.tasks.email_outcome",
        automatic=False,  # a letter a person wrote and signed
    )


def email_outcome(*, email_id: int) -> bool:
    """Record on the dispatch what became of its e-mail: sent, failed for good (with the
    server's reason), or a failed attempt that will be tried again."""
    with transaction.atomic():
        dispatch = DISPATCH.locked().filter(outbound_email_id=email_id).first()
        if dispatch is None or not DISPATCH.can_reach(dispatch, Dispatch.Status.SENT):
            return False
        email = dispatch.outbound_email
        fields = ["status", "sent_at", "error"]
        if email.status == OutboundEmail.Status.SENT:
            DISPATCH.move(dispatch, "accepted", actor=None)
            dispatch.sent_at, dispatch.error = email.sent_at, ""
            # Accepted by the recipient's server: evidence of sending, not delivery (core.terms).
            if _add_delivery_evidence(
                dispatch,
                method=DeliveryMethod.EMAIL_ACCEPTED,
                on=timezone.localdate(email.sent_at),
                at=email.sent_at,
                message_id=mail.message_id(pk=email.pk, token=email.token),
            ):
                fields.append("delivery_evidence")
        elif email.status == OutboundEmail.Status.FAILED:
            DISPATCH.move(dispatch, "failed", actor=None)
            dispatch.error = email.last_error[:500]
        else:  # a failed attempt: retried; the reason shows meanwhile
            dispatch.error = email.last_error[:500]
        dispatch.save(update_fields=fields)
        _refresh_status(dispatch.letter)
    return True


def _add_delivery_evidence(dispatch: Dispatch, *, method: str, on: date, at=None, by=None, **more):
    """Append one delivery event to the dispatch's evidence (not saved); an e-mail's acceptance
    already kept (the outbox's callback run twice) is not added again. Returns whether added."""
    item = {
        "method": method,
        "on": on.isoformat(),
        "at": (at or timezone.now()).isoformat(),
        "by": by.pk if by is not None else None,
        **more,
    }
    evidence = list(dispatch.delivery_evidence or [])
    if method == DeliveryMethod.EMAIL_ACCEPTED and any(
        e.get("method") == method and e.get("message_id") == more.get("message_id")
        for e in evidence
    ):
        return False
    dispatch.delivery_evidence = [*evidence, item]
    return True


@transaction.atomic
def dispatch_retry(*, actor: User, dispatch: Dispatch) -> Dispatch:
    """Send a failed e-mail again (after the address or the server was put right)."""

    dispatch = DISPATCH.lock(dispatch)
    DISPATCH.check(dispatch, "retry", actor)
    problem = signature_problem(dispatch.letter)
    if problem:
        raise ValidationError(problem, code="not_signed")
    email_resend(email=dispatch.outbound_email, to=[dispatch.party.email or dispatch.email])
    DISPATCH.move(dispatch, "retry", actor=actor, to=dispatch.name)
    dispatch.error = ""
    dispatch.save(update_fields=["status", "error"])
    _refresh_status(dispatch.letter)
    return dispatch


def _refresh_status(letter: Letter) -> None:
    """A letter being sent is sent when every addressee's copy has left, and failed when any
    e-mail failed for good."""
    letter = LETTER.lock(letter)
    if letter.status not in SENT_OR_SENDING:
        return
    states = set(letter.dispatches.values_list("status", flat=True))
    if Dispatch.Status.FAILED in states:
        new = Status.FAILED
    elif states & {Dispatch.Status.WAITING, Dispatch.Status.SENDING}:
        new = Status.SENDING
    else:
        new = Status.SENT
    if new != letter.status:
        LETTER.move(letter, new, actor=None)
        letter.save(update_fields=["status"])


# --- The dispatch list and afterwards -----------------------------------------------------------


def postage(channel: str) -> Decimal:
    """The postage of one letter by ``channel`` (settings.CORRESPONDENCE_POSTAGE)."""
    return Decimal(str(settings.CORRESPONDENCE_POSTAGE.get(channel, "0")))


def dispatch_list_rows(dispatch_list: DispatchList):
    return dispatch_list.dispatches.select_related("letter").order_by(
        "channel", "letter__number", "id"
    )


def dispatch_list_summary(rows) -> list[dict]:
    """Count and postage by kind of post."""
    summary = {}
    for row in rows:
        item = summary.setdefault(
            row.channel,
            {"channel": row.get_channel_display(), "count": 0, "postage": Decimal("0")},
        )
        item["count"] += 1
        item["postage"] += postage(row.channel)
    return list(summary.values())


def dispatch_list_pdf(dispatch_list: DispatchList) -> bytes:
    rows = list(dispatch_list_rows(dispatch_list))
    return pdf.render_pdf(
        "correspondence/pdf/dispatch_list.html",
        {
            "dispatch_list": dispatch_list,
            "rows": rows,
            "summary": dispatch_list_summary(rows),
            "total": sum((postage(r.channel) for r in rows), Decimal("0")),
            "agency_name": settings.AGENCY_NAME,
            "agency_address": settings.AGENCY_ADDRESS,
        },
    )


@transaction.atomic
def dispatch_list_take(*, actor: User, dispatch_list: DispatchList) -> DispatchList:
    """The clerk has taken the list's letters to the post office: they are sent."""
    dispatch_list = locking(DispatchList.objects).get(pk=dispatch_list.pk)
    if dispatch_list.is_taken:
        raise ValidationError(_("This list has already been taken to the post office."))
    rows = DISPATCH.lock_all(dispatch_list.dispatches.all())
    if not rows:
        raise ValidationError(_("The list is empty."))
    now = timezone.now()
    dispatch_list.taken_at, dispatch_list.taken_by = now, actor
    dispatch_list.save(update_fields=["taken_at", "taken_by"])
    for row in rows:
        if DISPATCH.allows(row, "leave"):  # a copy already back or delivered stays so
            DISPATCH.move(row, "leave", actor=None)
            row.sent_at = now
            row.save(update_fields=["status", "sent_at"])
    events.record(actor=actor, obj=dispatch_list, verb=Event.Verb.SENT, data={"letters": len(rows)})
    for letter in sorted({row.letter for row in rows}, key=lambda letter: letter.pk):
        _refresh_status(letter)  # locks each letter, in the order of their keys
    return dispatch_list


@transaction.atomic
def dispatch_record_tracking(*, actor: User, dispatch: Dispatch, tracking_code: str) -> Dispatch:
    dispatch = DISPATCH.lock(dispatch)
    DISPATCH.check(dispatch, "tracking", actor)
    code = tracking_code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{8,40}", code):
        raise ValidationError({"tracking_code": _("Enter the tracking code, e.g. RR123456785EE.")})
    DISPATCH.move(dispatch, "tracking", actor=actor, code=code)
    dispatch.tracking_code = code
    dispatch.save(update_fields=["tracking_code"])
    return dispatch


@transaction.atomic
def dispatch_record_delivery(*, actor: User, dispatch: Dispatch, delivered_on: date) -> Dispatch:
    dispatch = DISPATCH.lock(dispatch)
    DISPATCH.check(dispatch, "delivered", actor)
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The date cannot be in the future.")})
    if dispatch.sent_at and delivered_on < timezone.localdate(dispatch.sent_at):
        raise ValidationError({"delivered_on": _("The letter cannot arrive before it was sent.")})
    # The date on the returned notice (HMS § 26). The first delivery sets the date for good
    # (core.terms): a second notice entered later is kept as evidence and moves nothing.
    first = dispatch.delivered_on is None
    _add_delivery_evidence(
        dispatch, method=DeliveryMethod.REGISTERED_POST, on=delivered_on, by=actor
    )
    if first:
        dispatch.delivered_on, dispatch.delivered_via = delivered_on, DeliveryMethod.REGISTERED_POST
        dispatch.delivery_recorded_by = actor
    DISPATCH.move(
        dispatch,
        "delivered",
        actor=actor,
        to=dispatch.name,
        on=delivered_on,
        kept=dispatch.delivered_on,
    )
    dispatch.save(
        update_fields=[
            "status",
            "delivered_on",
            "delivered_via",
            "delivery_recorded_by",
            "delivery_evidence",
        ]
    )
    return dispatch


@transaction.atomic
def dispatch_record_return(
    *, actor: User, dispatch: Dispatch, returned_on: date, reason: str
) -> Dispatch:
    """Post that came back (moved, refused, not collected), or an e-mail that bounced."""
    dispatch = DISPATCH.lock(dispatch)
    move = "bounced" if dispatch.channel == Channel.EMAIL else "returned"
    DISPATCH.check(dispatch, move, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("The date cannot be in the future.")})
    dispatch.returned_on, dispatch.note = returned_on, reason.strip()[:500]
    DISPATCH.move(dispatch, move, actor=actor, to=dispatch.name, reason=dispatch.note)
    dispatch.save(update_fields=["status", "returned_on", "note"])
    return dispatch


def labels_pdf(dispatches: Iterable[Dispatch], *, layout: str = "labels") -> bytes:
    """Address labels (A4, 3 × 8 of 70 × 37 mm) or envelopes (``c5`` or ``dl``) for the post."""
    template = {
        "labels": "correspondence/pdf/labels.html",
        "c5": "correspondence/pdf/envelopes.html",
        "dl": "correspondence/pdf/envelopes.html",
    }[layout]
    return pdf.render_pdf(
        template,
        {
            "dispatches": list(dispatches),
            "layout": layout,
            "agency_name": settings.AGENCY_NAME,
            "agency_address": settings.AGENCY_ADDRESS,
        },
    )


def letters_of(document: Document):
    """The letters that answer ``document`` (for its page)."""
    return Letter.objects.filter(in_reply_to=document).select_related("signer").order_by("created")
