"""Deadlines: their extension, closing and reopening, and the registered reply (a part of
registry.services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.models import User
from registry import deadlines
from registry.models import (
    Direction,
    Document,
    DocumentType,
    Party,
)
from registry.services.registration import document_register
from registry.verbs import Verb
from registry.workflows import DOCUMENT


def _latest_extension_error(latest: date, message: str) -> ValidationError:
    return ValidationError({"new_deadline": message % {"date": latest.strftime("%d.%m.%Y")}})


def _check_notice(
    document: Document, notified_on: date | None, *, latest: date, too_late: str
) -> None:
    """The person must have been told of the extension: on a day from registration to
    ``latest`` (``too_late`` says why not later)."""
    if notified_on is None:
        raise ValidationError(
            {"requester_notified_on": _("The requester must be told of the extension: enter when.")}
        )
    if notified_on < document.registered_on:
        raise ValidationError(
            {
                "requester_notified_on": _(
                    "The requester cannot have been told before the request was registered."
                )
            }
        )
    if notified_on > latest:
        raise ValidationError({"requester_notified_on": too_late})


def _check_information_request_extension(
    document: Document, new_deadline: date, notified_on: date | None
) -> None:
    """AvTS § 19: once, before the first deadline has passed, to at most
    REGISTRY_INFORMATION_REQUEST_MAX_DAYS working days, the requester told within the first."""
    today = timezone.localdate()
    if document.deadline != document.initial_deadline:
        raise ValidationError(_("An information request's deadline can be extended once."))
    if today > document.initial_deadline:
        raise ValidationError(
            _("The deadline can only be extended before the first deadline has passed.")
        )
    latest = deadlines.latest_extension(document)
    if new_deadline > latest:
        raise _latest_extension_error(
            latest, _("An information request may be extended to %(date)s at the latest.")
        )
    _check_notice(
        document,
        notified_on,
        latest=min(today, document.initial_deadline),
        too_late=_("The requester must be told within the first deadline, not later."),
    )


def _check_memorandum_extension(
    document: Document, new_deadline: date, notified_on: date | None
) -> None:
    """MSVS § 6: a memorandum's or request for explanation's term may be extended, with notice
    to the person, to at most REGISTRY_MEMORANDUM_MAX_MONTHS months from registration in all
    (moved off a day off, TsÜS § 136); it may be extended again within that."""
    latest = deadlines.latest_extension(document)
    if new_deadline > latest:
        raise _latest_extension_error(
            latest,
            _(
                "A memorandum or request for explanation may be extended to %(date)s at the "
                "latest (two months from registration)."
            ),
        )
    _check_notice(
        document,
        notified_on,
        latest=timezone.localdate(),
        too_late=_("The date the person was told cannot be in the future."),
    )


@transaction.atomic
def document_extend_deadline(
    *,
    actor: User,
    document: Document,
    new_deadline: date,
    reason: str,
    requester_notified_on: date | None = None,
) -> Document:
    """Extend the deadline with a reason. An information request: once, only within the first
    deadline, to at most the longer limit, and only after the requester was told (AvTS § 19).
    A memorandum or request for explanation: to at most two months from registration in all,
    and only after the person was told (MSVS § 6)."""
    document = DOCUMENT.lock(document)
    DOCUMENT.check(document, "extend", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if new_deadline <= document.deadline:
        raise ValidationError({"new_deadline": _("The new deadline must be later than the old.")})
    if document.doc_type in deadlines.WORKING_DAY_TYPES:
        _check_information_request_extension(document, new_deadline, requester_notified_on)
    elif document.doc_type in deadlines.CALENDAR_DAY_TYPES:
        _check_memorandum_extension(document, new_deadline, requester_notified_on)
    old = document.deadline
    document.deadline = new_deadline
    document.deadline_extension_reason = reason.strip()
    document.requester_notified_on = requester_notified_on
    DOCUMENT.move(
        document,
        "extend",
        actor=actor,
        previous=old,
        new=new_deadline,
        reason=document.deadline_extension_reason,
    )
    document.save(update_fields=["deadline", "deadline_extension_reason", "requester_notified_on"])
    return document


@transaction.atomic
def document_close(*, actor: User, document: Document, reason: str) -> Document:
    """Close a document's deadline without a registered reply ("answered by phone" …)."""
    document = DOCUMENT.lock(document)
    DOCUMENT.check(document, "close", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing.")})
    DOCUMENT.move(document, "close", actor=actor, reason=reason.strip())
    document.closed_on = timezone.localdate()
    document.close_reason = reason.strip()
    document.save(update_fields=["status", "closed_on", "close_reason"])
    return document


@transaction.atomic
def document_reopen(*, actor: User, document: Document, reason: str) -> Document:
    document = DOCUMENT.lock(document)
    DOCUMENT.move(document, "reopen", actor=actor, reason=reason)
    document.closed_on = None
    document.save(update_fields=["status", "closed_on"])
    return document


@transaction.atomic
def document_register_reply(
    *,
    actor: User,
    document: Document,
    title: str,
    channel: str,
    sent_on: date,
    recipient: Party | None = None,
    files: Iterable[UploadedFile] = (),
) -> Document:
    """Register the reply to an incoming document (its own number in the same series); the
    incoming document's deadline is closed as answered."""
    original = DOCUMENT.lock(document)
    reply = document_register(
        actor=actor,
        series=original.series,
        direction=Direction.OUTGOING,
        doc_type=DocumentType.REPLY,
        channel=channel,
        title=title,
        received_on=sent_on,
        recipient=recipient or original.sender,
        responsible=actor,
        in_reply_to=original,
        case_file=original.case_file,
        restriction_basis=original.restriction_basis if original.is_restricted() else None,
        restriction_end=original.restriction_end if original.is_restricted() else None,
        files=files,
    )
    if DOCUMENT.allows(original, "answer"):
        # The reply is the document's answer: whoever registers it (the MTR's decision letter).
        DOCUMENT.move(original, "answer", actor=actor, trusted=True, reply=reply.number)
        original.closed_on = reply.received_on  # answered the day it was sent
        original.save(update_fields=["status", "closed_on"])
    else:  # answered again, or a document for information: on its timeline all the same
        events.record(actor=actor, obj=original, verb=Verb.REPLIED, data={"reply": reply.number})
    return reply
