"""Signed containers of letters: kept, verified and removed (a part of correspondence.services)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.models import User
from core.uploads import check_upload, safe_display_name
from correspondence import verdicts
from correspondence.models import (
    Letter,
    LetterTemplate,
)
from correspondence.services.common import Status
from correspondence.verbs import Verb
from correspondence.workflows import LETTER, UNSENT
from registry.models import Document, DocumentType

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
    match, warnings = _accepted(check, letter.signer, expected_code)
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


def _accepted(check, signer, expected_code: str) -> tuple[str, list[str]]:
    """How the container's signer matches the letter's (``verdicts.signer_match``) and the
    warnings to show; ``ValidationError`` with the reasons for a container that cannot be sent
    as signed (invalid, indeterminate, or signed by someone else)."""
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
    match, refusal = verdicts.signer_match(check, signer, expected_code=expected_code)
    if match == "refused":
        raise ValidationError(refusal, code="wrong_signer")
    if match == "none":
        check.notes.append(verdicts.signer_note(check, signer))
    warnings = verdicts.note_texts({"notes": check.notes})
    if check.status == "warnings":
        warnings = check.reasons() + warnings
    return match, warnings


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
