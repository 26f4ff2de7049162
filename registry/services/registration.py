"""Registration: a document registered (number, day, deadline, restriction, files), assigned and
edited (a part of registry.services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, jobs, terms
from core.models import User
from registry import deadlines, search
from registry.models import (
    CaseFile,
    Channel,
    Direction,
    Document,
    DocumentType,
    Party,
    Series,
)
from registry.services.common import NOTIFY_ASSIGNMENT_JOB, SERIES_DEFAULT
from registry.services.files import attachment_add, parcel_record
from registry.services.restrictions import _check_restriction
from registry.services.statements import _insert, _number_plan, _series_now
from registry.verbs import Verb
from registry.workflows import DOCUMENT


@transaction.atomic
def document_register(
    *,
    actor: User,
    series: Series,
    doc_type: str,
    channel: str,
    title: str,
    received_on: date,
    sender: Party | None = None,
    recipient: Party | None = None,
    responsible: User | None = None,
    direction: str = Direction.INCOMING,
    case_file: CaseFile | None = None,
    parent: Document | None = None,
    in_reply_to: Document | None = None,
    sender_reference: str = "",
    sender_date: date | None = None,
    deadline: date | None = None,
    restriction_basis=SERIES_DEFAULT,
    restriction_end: date | None = None,
    notes: str = "",
    files: Iterable[UploadedFile] = (),
    public_files: bool | None = None,
    withheld_reason: str = "",
    parcel: dict | None = None,
    registered_on: date | None = None,
) -> Document:
    """Register a document: number, registration day, deadline, restriction, files, parcel.

    The registration day is today (the next working day on a day off; what the agency sends or
    makes, today as it is), never the day of receipt: a late registration keeps both days and
    says how late it is (core.terms). ``registered_on`` is for entering a register kept
    elsewhere (and the demo): the day it was registered there, from the day of receipt to today.

    Everything or nothing: a refused file or a closed series leaves no document and burns no
    number (the counter row is locked in this transaction and rolled back with it).
    """
    today = timezone.localdate()
    closed, document_id = _series_now(series)
    _check_registration(
        series=series,
        closed=closed,
        today=today,
        received_on=received_on,
        registered_on=registered_on,
        case_file=case_file,
        doc_type=doc_type,
        parcel=parcel,
        direction=direction,
        sender=sender,
        channel=channel,
        sender_date=sender_date,
        parent=parent,
    )
    # Registered on a day off: dated the next working day. What the agency sends or makes is
    # dated the day it does so, a Saturday too (a letter sent on Saturday was dated Monday).
    if registered_on is None:
        incoming = direction == Direction.INCOMING
        registered_on = terms.registration_today(today) if incoming else today
    document = Document(
        series=series,
        case_file=case_file,
        direction=direction,
        doc_type=doc_type,
        channel=channel,
        title=title.strip(),
        sender=sender,
        recipient=recipient,
        sender_reference=sender_reference.strip(),
        sender_date=sender_date,
        received_on=received_on,
        registered_on=registered_on,
        registered_at=timezone.now(),
        registered_by=actor,
        responsible=responsible,
        in_reply_to=in_reply_to,
        notes=notes,
    )
    _set_deadline(document, deadline)
    if restriction_basis is SERIES_DEFAULT:
        restriction_basis = series.default_restriction_basis
    _set_restriction(document, restriction_basis, restriction_end)
    plan = _checked_plan(document, parent=parent)
    row = search.unsaved_row(document, today=timezone.localdate())
    search.write_terms(row)
    document.pk = document_id
    if responsible is not None:  # a job row: before the number, which is locked until the commit
        _notify_assigned(actor=actor, document=document, responsible=responsible)
    _save_registered(
        document,
        actor=actor,
        row=row,
        plan=plan,
        parcel=parcel,
        files=[(uploaded, public_files, withheld_reason) for uploaded in files],
    )
    return document


def _check_registration(
    *,
    series: Series,
    closed: bool,
    today: date,
    received_on: date,
    registered_on: date | None,
    case_file: CaseFile | None,
    doc_type: str,
    parcel: dict | None,
    direction: str,
    sender: Party | None,
    channel: str,
    sender_date: date | None,
    parent: Document | None,
) -> None:
    """The registration's rules that need no number: every broken one by its field at once."""
    errors: dict[str, str] = {}
    if closed:
        errors["series"] = _("The series %(code)s is closed: choose another one.") % {
            "code": series.code
        }
    if received_on > today:
        errors["received_on"] = _("The date of receipt cannot be in the future.")
    elif registered_on is not None and not (
        received_on <= registered_on <= terms.registration_today(today)
    ):
        errors["received_on"] = _("A document is registered from the day it arrives to today.")
    if case_file is not None and case_file.series_id != series.pk:
        errors["case_file"] = _("The file belongs to another series.")
    elif case_file is not None and case_file.is_closed:
        errors["case_file"] = _("The file %(title)s is closed: choose another one.") % {
            "title": case_file.title
        }
    if doc_type == DocumentType.PARCEL and not (parcel and parcel.get("carrier")):
        errors["carrier"] = _("Enter the carrier of the parcel.")
    if direction == Direction.INCOMING and sender is None:
        errors["sender"] = _("Choose the sender or add a new one.")
    if (direction == Direction.INTERNAL) != (channel == Channel.INTERNAL):
        errors["channel"] = (
            _("An internal document is made in the agency: it has no channel of delivery.")
            if direction == Direction.INTERNAL
            else _("Only an internal document is made in the agency: choose how it came or went.")
        )
    if sender_date and sender_date > today:
        errors["sender_date"] = _("The sender's date cannot be in the future.")
    if parent is not None and (parent.parent or parent).series_id != series.pk:
        # The follow-up's number is the original's with a suffix: it names the same series.
        errors["series"] = _(
            "A follow-up is registered in the series of the first document of the matter, %(code)s."
        ) % {"code": (parent.parent or parent).series.code}
    if errors:
        raise ValidationError(errors)


def _set_deadline(document: Document, deadline: date | None) -> None:
    """The law's deadline of its type (counted from the day it was due to be registered, when
    it was registered late), else the clerk's; none for what the agency sends or makes."""
    legal = deadlines.initial_deadline(
        document.doc_type, registered_on=document.registered_on, received_on=document.received_on
    )
    if legal is not None:
        document.deadline = document.initial_deadline = legal
    elif deadline is not None:
        if deadline < document.registered_on:
            raise ValidationError({"deadline": _("The deadline cannot be before registration.")})
        document.deadline = document.initial_deadline = deadline
    if document.direction != Direction.INCOMING:  # sent or made here: nothing to answer
        document.status = Document.Status.NO_ACTION
        document.deadline = document.initial_deadline = None


def _set_restriction(document: Document, basis, end: date | None) -> None:
    """The term counts from the document's receipt or creation (AvTS § 40(1)), not from its
    registration day, which may be later; it is in force at once."""
    if basis is None:
        return
    document.restriction_basis = basis
    document.restriction_start = document.received_on
    document.restriction_end = _check_restriction(basis, document.received_on, end)


def _checked_plan(document: Document, *, parent: Document | None) -> tuple[str, str, int]:
    """The number's plan (counter, field, width) of a document whose other fields are valid."""
    counter, numbered, width = _number_plan(document, parent=parent)
    # The related rows are instances read from the database (save()'s own check refuses an unsaved
    # one): the foreign keys check that they are still there at the commit, so the validation
    # does not ask the database for each again.
    document._prepare_related_fields_for_save(operation_name="register")
    related = [
        field.name
        for field in Document._meta.concrete_fields
        if field.is_relation and getattr(document, field.attname) is not None
    ]
    document.full_clean(
        exclude=["number", "public_code", numbered, *related], validate_constraints=False
    )
    return counter, numbered, width


def _save_registered(
    document: Document, *, actor: User, row, plan: tuple[str, str, int], parcel, files
) -> None:
    """The number is taken by the insert, the last statement before the commit. Files and a
    parcel need the saved document: when there are any, they and the events after theirs follow
    the insert (holding the counter longer), and the vectors are written again with them.
    ``files``: (uploaded, is_public, withheld_reason) each."""
    late = terms.registration_lateness(document.received_on, document.registered_on)
    responsible = document.responsible
    records = [
        events.unsaved(
            actor=actor,
            obj=document,
            verb=Verb.REGISTERED,
            data={"deadline": document.deadline, **({"late": late} if late else {})},
        )
    ]
    later = bool(parcel or files)
    if not later:
        records += _registered_records(actor=actor, document=document, responsible=responsible)
    counter, numbered, width = plan
    _insert(document, row=row, counter=counter, numbered=numbered, width=width, records=records)
    if not later:
        return
    if parcel:
        parcel_record(actor=actor, document=document, **parcel)
    for uploaded, is_public, withheld_reason in files:
        attachment_add(
            actor=actor,
            document=document,
            uploaded=uploaded,
            is_public=is_public,
            withheld_reason=withheld_reason,
            refresh=False,
        )
    for event in _registered_records(actor=actor, document=document, responsible=responsible):
        event.save(force_insert=True)
    search.refresh(document)


def _registered_records(*, actor: User, document: Document, responsible: User | None) -> list:
    """The unsaved events of a registration after "registered": its restriction and its
    responsible person."""
    records = []
    if document.restriction_basis_id:
        records.append(
            events.unsaved(
                actor=actor,
                obj=document,
                verb=Verb.RESTRICTION_SET,
                data={"basis": str(document.restriction_basis), "until": document.restriction_end},
            )
        )
    if responsible is not None:
        records.append(_assigned_record(actor=actor, document=document, responsible=responsible))
    return records


def _assigned_record(*, actor: User, document: Document, responsible: User):
    return events.unsaved(
        actor=actor,
        obj=document,
        verb=Verb.ASSIGNED,
        data={"responsible": str(responsible), "responsible_id": responsible.pk},
    )


def _notify_assigned(*, actor: User, document: Document, responsible: User) -> None:
    if responsible.pk != getattr(actor, "pk", None) and responsible.email:
        jobs.enqueue(NOTIFY_ASSIGNMENT_JOB, document_id=document.pk, user_id=responsible.pk)


def _assigned(*, actor: User, document: Document, responsible: User) -> None:
    _assigned_record(actor=actor, document=document, responsible=responsible).save(
        force_insert=True
    )
    _notify_assigned(actor=actor, document=document, responsible=responsible)


@transaction.atomic
def document_assign(*, actor: User, document: Document, responsible: User) -> Document:
    document = DOCUMENT.lock(document)
    if document.responsible_id == responsible.pk:
        return document
    document.responsible = responsible
    document.save(update_fields=["responsible"])
    _assigned(actor=actor, document=document, responsible=responsible)
    return document


@transaction.atomic
def document_update(*, actor: User, document: Document, **fields) -> Document:
    """Correct a document's description (title, parties, sender's number, file, notes)."""
    allowed = {"title", "sender", "recipient", "sender_reference", "sender_date", "case_file"}
    allowed |= {"notes"}
    document = DOCUMENT.lock(document)
    changed = []
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(document, name) != value:
            setattr(document, name, value)
            changed.append(name)
    if not changed:
        return document
    document.full_clean(validate_constraints=False)
    document.save(update_fields=changed)
    events.record(actor=actor, obj=document, verb=Verb.CHANGED, data={"fields": changed})
    search.refresh(document)
    return document
