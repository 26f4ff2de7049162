"""Every write of the document register. Views, admin, tasks and commands call these.

Each function is keyword-only and atomic, records an Event for each state change and queues its
side effects (e-mail, text extraction) with transaction.on_commit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import events, jobs, numbering, pdf_active, signatures, terms
from core.models import Event, User
from core.uploads import check_upload, safe_display_name
from core.workflow import locking
from registry import deadlines, search
from registry.models import (
    Attachment,
    CaseFile,
    Channel,
    Direction,
    Document,
    DocumentShare,
    DocumentType,
    Function,
    Parcel,
    Party,
    RestrictionBasis,
    Series,
    Task,
)
from registry.validators import validate_personal_code, validate_registry_code
from registry.verbs import Verb
from registry.workflows import DOCUMENT, TASK

# Background jobs (core.jobs; registered in registry.tasks)
EXTRACT_JOB = "registry.extract_text"
OCR_JOB = "registry.ocr"
SIGNED_KINDS = frozenset({"asice", "asics"})  # core.uploads kinds whose signatures are verified
NOTIFY_ASSIGNMENT_JOB = "registry.notify_assignment"
NOTIFY_TASK_JOB = "registry.notify_task"

SERIES_DEFAULT = object()  # document_register: take the series' default restriction
# Staff keep no language of their own: their e-mails go in the portal's language (Estonian),
# whatever language the task or request that sends them runs in.
STAFF_LANGUAGE = settings.LANGUAGE_CODE


# --- Parties ------------------------------------------------------------------------------------


def _validate_party_code(*, is_private_person: bool, code: str) -> None:
    if not code:
        return
    if is_private_person:
        validate_personal_code(code)
    else:
        validate_registry_code(code)


@transaction.atomic
def party_create(
    *,
    actor: User,
    is_private_person: bool,
    name: str,
    code: str = "",
    address: str = "",
    email: str = "",
    phone: str = "",
) -> Party:
    code = code.strip()
    _validate_party_code(is_private_person=is_private_person, code=code)
    if code and Party.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A party with this code already exists.")})
    party = Party(
        is_private_person=is_private_person,
        name=name.strip(),
        code=code,
        address=address.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    party.full_clean()
    party.save()
    events.record(actor=actor, obj=party, verb=Verb.REGISTERED)
    return party


@transaction.atomic
def party_update(*, actor: User, party: Party, **fields) -> Party:
    """Change a party; the search vectors of its documents follow (a name may become private)."""
    party = locking(Party.objects).get(pk=party.pk)
    changed = {}
    for name, value in fields.items():
        if getattr(party, name) != value:
            changed[name] = [str(getattr(party, name)), str(value)]
            setattr(party, name, value)
    if not changed:
        return party
    _validate_party_code(is_private_person=party.is_private_person, code=party.code)
    party.full_clean()
    party.save()
    events.record(actor=actor, obj=party, verb=Verb.CHANGED, data={"fields": sorted(changed)})
    documents = (
        Document.objects.filter(Q(sender=party) | Q(recipient=party))
        .select_related("sender", "recipient", "parcel")
        .prefetch_related("attachments")
    )
    for document in documents:  # one UPDATE each, the reads in three queries
        search.refresh(document)
    return party


# --- Registration -------------------------------------------------------------------------------


def _restriction_limit_years(basis: RestrictionBasis) -> int:
    if basis.is_personal_data:
        return settings.REGISTRY_RESTRICTION_PERSONAL_DATA_MAX_YEARS
    return settings.REGISTRY_RESTRICTION_MAX_YEARS


def _check_restriction(basis: RestrictionBasis, start: date, end: date | None) -> date:
    latest = start + relativedelta(years=_restriction_limit_years(basis))
    if end is None:
        return latest
    if end < start:
        raise ValidationError(
            {"restriction_end": _("The restriction cannot end before it starts.")}
        )
    if end > latest:
        raise ValidationError(
            {
                "restriction_end": _(
                    "A restriction on this basis may last until %(date)s at the latest."
                )
                % {"date": latest.strftime("%d.%m.%Y")}
            }
        )
    return end


def _number_plan(document: Document, *, parent: Document | None) -> tuple[str, str, int]:
    """Set everything of the number but its running part, which the insert takes (``_insert``):
    returns the counter's name, the field the running part goes to and its least width.
    ``document.number`` holds the number without the running part until then."""
    if parent is not None:
        root = parent.parent or parent
        document.year = root.year
        document.sequence = root.sequence
        document.parent = root
        document.number = f"{root.number}-"
        return f"registry-follow-up:{root.pk}", "follow_up_index", 1
    year = document.registered_on.year
    document.year = year
    document.number = f"{document.series.code}/{year % 100:02d}-"
    return f"registry:{document.series.code}", "sequence", 3


def _columns(instance, *, skip: Iterable[str] = ()) -> tuple[list[str], list[str], list]:
    """The columns, value placeholders and parameters that ``save()`` would insert for
    ``instance`` (without the fields in ``skip``, and without its primary key when it has none)."""
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy: this runs for every field
    quote = database.ops.quote_name
    names, params = [], []
    for field in type(instance)._meta.concrete_fields:
        if (field.primary_key and instance.pk is None) or field.name in skip:
            continue
        names.append(quote(field.column))
        params.append(field.get_db_prep_save(field.pre_save(instance, True), database))
    return names, ["%s"] * len(names), params


def _insert(
    document: Document,
    *,
    row: search.IndexRow,
    counter: str,
    numbered: str,
    width: int,
    records: list[Event],
) -> None:
    """Insert the document with its number, its vectors and its events in one statement that
    takes the number first: the counter row is locked only from here to the commit, and
    everything that does not need the number is done before. ``row`` is the document's
    ``search.unsaved_row``; ``records`` are its unsaved events, the first of which gets
    ``{"number": …}`` added to its data."""
    take, take_params = numbering.take_sql(counter, document.year)
    staff, public, vector_params = search.numbered_vectors(row, "t.text")
    computed = {"number", numbered, "search_vector", "public_search_vector"}
    names, values, params = _columns(document, skip=computed)
    names += [connection.ops.quote_name(name) for name in ("number", numbered)]
    names += ["search_vector", "public_search_vector"]
    values += ["%s || t.text", "t.last", staff, public]
    params += [document.number, *vector_params]
    event_selects, event_params = [], []
    for index, event in enumerate(records):
        event_names, event_values, prepared = _columns(
            event, skip={"object_id", "object_repr", "data"}
        )
        data = Event._meta.get_field("data").get_db_prep_save(event.data, connection)
        add_number = " || jsonb_build_object('number', d.number)" if index == 0 else ""
        event_values += ["d.id::text", "d.number", f"%s::jsonb{add_number}"]
        event_selects.append(f"SELECT {', '.join(event_values)} FROM d")  # noqa: S608
        event_params += [*prepared, data]
    event_names += ["object_id", "object_repr", "data"]
    sql = f"""
        WITH n AS ({take}
        ), t AS (
            SELECT last, lpad(last::text, greatest(%s, length(last::text)), '0') AS text FROM n
        ), d AS (
            INSERT INTO {Document._meta.db_table} ({", ".join(names)})
            SELECT {", ".join(values)} FROM t
            RETURNING id, number, {numbered}
        ), e AS (
            INSERT INTO {Event._meta.db_table} ({", ".join(event_names)})
            {" UNION ALL ".join(event_selects)}
        )
        SELECT id, number, {numbered} FROM d
    """  # noqa: S608 - the models' column names and placeholders; the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*take_params, width, *params, *event_params])
        document.pk, document.number, running = cursor.fetchone()
    setattr(document, numbered, running)
    document._state.adding = False
    document._state.db = connection.alias


# The series as it is now and an id for the new document, in one plain query: the ORM's get of
# the series with its function took more Python time than all the rest of a registration
# (bench --registrations), and with its id known the document's notification job is written
# before the number is taken. An id drawn by a refused registration is simply not used.
_SERIES_NOW = """
SELECT s.code, s.default_restriction_basis_id, s.is_closed OR f.is_closed,
    nextval(pg_get_serial_sequence('registry_document', 'id'))
FROM registry_series AS s JOIN registry_function AS f ON f.id = s.function_id
WHERE s.id = %s
"""


def _series_now(series: Series) -> tuple[bool, int]:
    """Bring ``series``'s code and default restriction up to date (as refresh_from_db would;
    a changed default is read when it is used); say whether it or its function is closed, and
    give an id for the document to be registered."""
    with connection.cursor() as cursor:
        cursor.execute(_SERIES_NOW, [series.pk])
        row = cursor.fetchone()
    if row is None:
        raise Series.DoesNotExist(f"Series {series.pk} does not exist.")
    series.code, series.default_restriction_basis_id, closed, document_id = row
    return closed, document_id


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
    errors: dict[str, str] = {}
    closed, document_id = _series_now(series)
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

    # Registered on a day off: dated the next working day. What the agency sends or makes is
    # dated the day it does so, a Saturday too (a letter sent on Saturday was dated Monday).
    if registered_on is None:
        incoming = direction == Direction.INCOMING
        registered_on = terms.registration_today(today) if incoming else today
    late = terms.registration_lateness(received_on, registered_on)
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
    legal = deadlines.initial_deadline(
        doc_type, registered_on=registered_on, received_on=received_on
    )
    if legal is not None:
        document.deadline = document.initial_deadline = legal
    elif deadline is not None:
        if deadline < registered_on:
            raise ValidationError({"deadline": _("The deadline cannot be before registration.")})
        document.deadline = document.initial_deadline = deadline
    if direction != Direction.INCOMING:  # sent or made here: nothing to answer
        document.status = Document.Status.NO_ACTION
        document.deadline = document.initial_deadline = None

    if restriction_basis is SERIES_DEFAULT:
        restriction_basis = series.default_restriction_basis
    if restriction_basis is not None:
        # The term counts from the document's receipt or creation (AvTS § 40(1)), not from its
        # registration day, which may be the next working day; it is in force at once.
        document.restriction_basis = restriction_basis
        document.restriction_start = received_on
        document.restriction_end = _check_restriction(
            restriction_basis, received_on, restriction_end
        )

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
    row = search.unsaved_row(document, today=timezone.localdate())
    search.write_terms(row)
    document.pk = document_id
    if responsible is not None:  # a job row: before the number, which is locked until the commit
        _notify_assigned(actor=actor, document=document, responsible=responsible)

    # The number is taken by the insert, the last statement before the commit. Files and a
    # parcel need the saved document: when there are any, they and the events after theirs follow
    # the insert (holding the counter longer), and the vectors are written again with them.
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
    _insert(document, row=row, counter=counter, numbered=numbered, width=width, records=records)
    if later:
        if parcel:
            parcel_record(actor=actor, document=document, **parcel)
        for uploaded in files:
            attachment_add(
                actor=actor,
                document=document,
                uploaded=uploaded,
                is_public=public_files,
                withheld_reason=withheld_reason,
                refresh=False,
            )
        for event in _registered_records(actor=actor, document=document, responsible=responsible):
            event.save(force_insert=True)
        search.refresh(document)
    return document


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


# --- Parcels and files --------------------------------------------------------------------------


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


# --- Deadlines ----------------------------------------------------------------------------------


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


# --- Access restrictions ------------------------------------------------------------------------


@transaction.atomic
def document_restrict(
    *, actor: User, document: Document, basis: RestrictionBasis, end: date | None = None
) -> Document:
    document = DOCUMENT.lock(document)
    if document.is_restricted():
        raise ValidationError(_("The document is already restricted."))
    if not basis.is_active:
        raise ValidationError({"basis": _("This restriction basis is no longer in use.")})
    start = timezone.localdate()
    document.restriction_basis = basis
    document.restriction_start = start
    document.restriction_end = _check_restriction(basis, start, end)
    document.restriction_extended = False
    document.restriction_lifted_on = None
    document.restriction_lifted_by = None
    document.restriction_lift_reason = ""
    document.restriction_expiry_recorded = False
    document.save()
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.RESTRICTION_SET,
        data={"basis": str(basis), "until": document.restriction_end},
    )
    return document


@transaction.atomic
def document_extend_restriction(
    *, actor: User, document: Document, new_end: date, reason: str
) -> Document:
    """Extend a restriction once, by at most the extension period (personal data: to the
    personal-data limit from the start)."""
    document = DOCUMENT.lock(document)
    if not document.is_restricted():
        raise ValidationError(_("The document has no restriction in force."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    basis = document.restriction_basis
    if basis.is_personal_data:
        latest = document.restriction_start + relativedelta(
            years=settings.REGISTRY_RESTRICTION_PERSONAL_DATA_MAX_YEARS
        )
    else:
        if document.restriction_extended:
            raise ValidationError(_("The restriction has already been extended once."))
        latest = document.restriction_end + relativedelta(
            years=settings.REGISTRY_RESTRICTION_EXTENSION_YEARS
        )
    if new_end <= document.restriction_end:
        raise ValidationError({"new_end": _("The new end must be later than the current one.")})
    if new_end > latest:
        raise ValidationError(
            {
                "new_end": _("The restriction may be extended to %(date)s at the latest.")
                % {"date": latest.strftime("%d.%m.%Y")}
            }
        )
    old = document.restriction_end
    document.restriction_end = new_end
    document.restriction_extended = True
    document.save(update_fields=["restriction_end", "restriction_extended"])
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.RESTRICTION_EXTENDED,
        data={"previous": old, "new": new_end, "reason": reason.strip()},
    )
    return document


@transaction.atomic
def document_lift_restriction(*, actor: User, document: Document, reason: str) -> Document:
    """Lift a restriction before its end, recording who did it and why."""
    document = DOCUMENT.lock(document)
    if not document.is_restricted():
        raise ValidationError(_("The document has no restriction in force."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for lifting the restriction.")})
    document.restriction_lifted_on = timezone.localdate()
    document.restriction_lifted_by = actor
    document.restriction_lift_reason = reason.strip()
    document.save(
        update_fields=["restriction_lifted_on", "restriction_lifted_by", "restriction_lift_reason"]
    )
    events.record(
        actor=actor, obj=document, verb=Verb.RESTRICTION_LIFTED, data={"reason": reason.strip()}
    )
    return document


def restrictions_expire(*, today: date | None = None) -> int:
    """Record the end of every restriction that ended before ``today`` (the daily beat task).

    The register hides a document only while its restriction is in force, so an expired one is
    public from its first day whatever this does; this writes the timeline. Safe to run twice.
    """
    today = today or timezone.localdate()
    count = 0
    expired = Document.objects.filter(
        restriction_basis__isnull=False,
        restriction_end__lt=today,
        restriction_lifted_on__isnull=True,
        restriction_expiry_recorded=False,
    ).values_list("pk", flat=True)
    for pk in expired.iterator():
        with transaction.atomic():
            document = (
                locking(Document.objects, skip_locked=True)
                .filter(pk=pk, restriction_expiry_recorded=False)
                .first()
            )
            if document is None:
                continue
            document.restriction_expiry_recorded = True
            document.save(update_fields=["restriction_expiry_recorded"])
            events.record(
                actor=None,
                obj=document,
                verb=Verb.RESTRICTION_EXPIRED,
                data={"ended": document.restriction_end},
            )
            count += 1
    return count


def restricted_access_record(
    *, actor: User, document: Document, attachment: Attachment | None = None
) -> None:
    """Log that someone opened a restricted document or one of its files."""
    if attachment is None:
        events.record(actor=actor, obj=document, verb=Verb.RESTRICTED_VIEWED)
    else:
        events.record(
            actor=actor,
            obj=document,
            verb=Verb.RESTRICTED_FILE_OPENED,
            data={"file": attachment.name},
        )


def restricted_refusal_record(*, actor: User, document: Document) -> None:
    events.record(actor=actor, obj=document, verb=Verb.RESTRICTED_REFUSED)


@transaction.atomic
def document_share(*, actor: User, document: Document, user: User) -> DocumentShare:
    share, created = DocumentShare.objects.get_or_create(
        document=document, user=user, defaults={"shared_by": actor}
    )
    if created:
        events.record(actor=actor, obj=document, verb=Verb.SHARED, data={"person": str(user)})
    return share


@transaction.atomic
def document_unshare(*, actor: User, document: Document, user: User) -> None:
    deleted, _detail = DocumentShare.objects.filter(document=document, user=user).delete()
    if deleted:
        events.record(actor=actor, obj=document, verb=Verb.UNSHARED, data={"person": str(user)})


# --- Tasks --------------------------------------------------------------------------------------


@transaction.atomic
def task_give(
    *,
    actor: User,
    document: Document,
    assignee: User,
    instruction: str,
    due_on: date,
    forwarded_from: Task | None = None,
) -> Task:
    if not instruction.strip():
        raise ValidationError({"instruction": _("Write what is to be done.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    task = Task(
        document=document,
        assignee=assignee,
        given_by=actor,
        instruction=instruction.strip(),
        due_on=due_on,
        forwarded_from=forwarded_from,
    )
    task.full_clean()
    task.save()
    if (
        document.is_restricted()
        and not Document.objects.visible_to(assignee).filter(pk=document.pk).exists()
    ):
        document_share(actor=actor, document=document, user=assignee)  # or they cannot do it
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.TASK_GIVEN,
        data={"person": str(assignee), "due": due_on, "task": task.pk},
    )
    if assignee.pk != actor.pk and assignee.email:
        jobs.enqueue(NOTIFY_TASK_JOB, task_id=task.pk)
    return task


@transaction.atomic
def task_accept(*, actor: User, task: Task) -> Task:
    task = TASK.lock(task)
    TASK.move(task, "accept", actor=actor, task=task.pk)
    task.accepted_at = timezone.now()
    task.save(update_fields=["status", "accepted_at"])
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task, comment: str = "") -> Task:
    task = TASK.lock(task)
    if task.status == Task.Status.GIVEN:  # done at once: accepted and completed
        task.accepted_at = timezone.now()
    task.comment = comment.strip()
    TASK.move(task, "complete", actor=actor, task=task.pk, comment=task.comment)
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "comment", "accepted_at", "finished_at"])
    return task


@transaction.atomic
def task_return(*, actor: User, task: Task, comment: str) -> Task:
    task = TASK.lock(task)
    TASK.require(task, "return", actor)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why you return the task.")})
    task.comment = comment.strip()
    TASK.move(task, "return", actor=actor, task=task.pk, comment=task.comment)
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "comment", "finished_at"])
    return task


@transaction.atomic
def task_forward(
    *,
    actor: User,
    task: Task,
    comment: str = "",
    to_user: User | None = None,
    to_agency: str = "",
) -> Task:
    """Forward a task to another person (a new task for them) or to another agency."""
    task = TASK.lock(task)
    TASK.require(task, "forward", actor)
    if (to_user is None) == (not to_agency.strip()):
        raise ValidationError(_("Forward either to a person or to an agency."))
    if to_user is not None and to_user.pk == actor.pk:
        raise ValidationError({"to_user": _("Choose someone else.")})
    task.comment = comment.strip()
    task.forwarded_to_agency = to_agency.strip()
    TASK.move(
        task,
        "forward",
        actor=actor,
        task=task.pk,
        person=str(to_user) if to_user else task.forwarded_to_agency,
        comment=task.comment,
    )
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "comment", "forwarded_to_agency", "finished_at"])
    if to_user is None:
        return task
    return task_give(
        actor=actor,
        document=task.document,
        assignee=to_user,
        instruction=task.instruction,
        due_on=max(task.due_on, timezone.localdate()),
        forwarded_from=task,
    )


@transaction.atomic
def task_cancel(*, actor: User, task: Task) -> Task:
    task = TASK.lock(task)
    TASK.move(task, "cancel", actor=actor, task=task.pk)
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "finished_at"])
    return task


# --- Classification scheme ----------------------------------------------------------------------


@transaction.atomic
def series_close(*, actor: User, series: Series) -> Series:
    series = locking(Series.objects).get(pk=series.pk)
    if series.is_closed:
        return series
    series.is_closed = True
    series.closed_on = timezone.localdate()
    series.save(update_fields=["is_closed", "closed_on"])
    events.record(actor=actor, obj=series, verb=Verb.SERIES_CLOSED)
    return series


def series_delete(*, actor: User, series: Series) -> None:
    """Delete a series nobody used yet; a series in use can only be closed."""
    if series.documents.exists() or series.files.exists():
        raise ValidationError(_("The series is in use: close it instead of deleting it."))
    series.delete()


SCHEME_CODE_FORMAT = r"^[0-9]+(-[0-9]+)*$"  # 1, 1-2, 1-2-3: digits and dashes


def _check_scheme_code(code: str, model, exclude_pk: int | None = None) -> None:
    if not re.fullmatch(SCHEME_CODE_FORMAT, code):
        raise ValidationError(
            {"code": _("Use digits separated by dashes, e.g. 1-2 (not %(code)s).") % {"code": code}}
        )
    if model.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError({"code": _("The code %(code)s is taken.") % {"code": code}})


def _field_value(obj, name: str):
    """A field's value, a relation's as its id (no query)."""
    return getattr(obj, obj._meta.get_field(name).attname)


def _scheme_save(*, actor: User | None, obj, fields: dict):
    """Set ``fields`` on a scheme object, validate and save it with an event; nothing is written
    (and no event recorded) when nothing changes. Returns the object and the changed names."""
    from core.models import Event

    creating = obj.pk is None
    changed = [
        name
        for name, value in fields.items()
        if creating or _field_value(obj, name) != getattr(value, "pk", value)
    ]
    if not creating and not changed:
        return obj, []
    for name in changed:
        setattr(obj, name, fields[name])
    obj.full_clean()
    obj.save()
    if creating:
        events.record(actor=actor, obj=obj, verb=Event.Verb.CREATED)
    else:
        events.record(actor=actor, obj=obj, verb=Event.Verb.CHANGED, data={"fields": changed})
    return obj, changed


@transaction.atomic
def function_save(
    *,
    actor: User | None,
    function: Function | None = None,
    code: str,
    title: str,
    is_closed: bool = False,
) -> Function:
    """Create a function of the scheme (``function`` None) or change one."""
    function = Function() if function is None else locking(Function.objects).get(pk=function.pk)
    code = code.strip()
    _check_scheme_code(code, Function, function.pk)
    fields = {"code": code, "title": title.strip(), "is_closed": is_closed}
    return _scheme_save(actor=actor, obj=function, fields=fields)[0]


@transaction.atomic
def series_save(
    *,
    actor: User | None,
    series: Series | None = None,
    function: Function,
    code: str,
    title: str,
    retention_years: int | None = None,
    default_restriction_basis: RestrictionBasis | None = None,
    is_closed: bool | None = None,
) -> Series:
    """Create a series (``series`` None) or change one. The code of a series in use stays: it is
    part of its documents' numbers. ``is_closed`` None leaves the closed state as it is."""
    series = Series() if series is None else locking(Series.objects).get(pk=series.pk)
    code = code.strip()
    _check_scheme_code(code, Series, series.pk)
    if series.pk and code != series.code and series.documents.exists():
        raise ValidationError(
            {"code": _("Documents are registered in this series: its code cannot change.")}
        )
    if retention_years is not None and retention_years < 1:
        raise ValidationError(
            {"retention_years": _("Enter at least one year, or leave empty for permanent.")}
        )
    fields = {
        "function": function,
        "code": code,
        "title": title.strip(),
        "retention_years": retention_years,
        "default_restriction_basis": default_restriction_basis,
    }
    if is_closed is not None and is_closed != series.is_closed:
        fields["is_closed"] = is_closed
        fields["closed_on"] = timezone.localdate() if is_closed else None
    return _scheme_save(actor=actor, obj=series, fields=fields)[0]


@transaction.atomic
def case_file_save(
    *,
    actor: User | None,
    case_file: CaseFile | None = None,
    series: Series,
    year: int,
    title: str,
    is_closed: bool = False,
) -> CaseFile:
    """Create a file of a series for a year (``case_file`` None) or change one."""
    if case_file is None:
        case_file = CaseFile(series=series)
    else:
        case_file = locking(CaseFile.objects).get(pk=case_file.pk)
    title = title.strip()
    if (
        CaseFile.objects.filter(series=series, year=year, title=title)
        .exclude(pk=case_file.pk)
        .exists()
    ):
        raise ValidationError({"title": _("The series has a file with this title for that year.")})
    fields = {"series": series, "year": year, "title": title, "is_closed": is_closed}
    return _scheme_save(actor=actor, obj=case_file, fields=fields)[0]


# --- Deadline digest ----------------------------------------------------------------------------


def deadline_digest_send(*, user: User, today: date | None = None) -> bool:
    """E-mail ``user`` their documents due within the next working days and the overdue ones,
    once a day (the outbox key makes a second run send nothing)."""
    today = today or timezone.localdate()
    if not user.email or not user.is_active:
        return False
    mine = Document.objects.filter(responsible=user).select_related("series")
    overdue = list(mine.overdue(today).order_by("deadline")[:100])
    due = list(mine.due_by(deadlines.due_soon_until(today), today).order_by("deadline")[:100])
    if not overdue and not due:
        return False
    from core.services import email_queue_template

    email_queue_template(
        to=[user.email],
        template="registry/email/deadline_digest",
        context={"user": user, "overdue": overdue, "due": due, "today": today},
        language=STAFF_LANGUAGE,
        key=f"registry-digest:{user.pk}:{today.isoformat()}",
    )
    return True


def assignment_notify(*, document: Document, user: User) -> bool:
    """Tell ``user`` a document was given to them (once per document and person)."""
    from core.services import email_queue_template

    email_queue_template(
        to=[user.email],
        template="registry/email/assigned",
        context={"user": user, "document": document, "restricted": document.is_restricted()},
        language=STAFF_LANGUAGE,
        key=f"registry-assigned:{document.pk}:{user.pk}",
    )
    return True


def task_notify(*, task: Task) -> bool:
    """Tell the assignee a task was given to them (once per task)."""
    from core.services import email_queue_template

    if not task.assignee.email:
        return False
    email_queue_template(
        to=[task.assignee.email],
        template="registry/email/task_given",
        context={"task": task, "document": task.document},
        language=STAFF_LANGUAGE,
        key=f"registry-task:{task.pk}",
    )
    return True


def orphan_files_remove(*, older_than_hours: int = 24) -> int:
    """Delete stored files of the register that no attachment refers to (left by a registration
    that was rolled back after its files were written). Only files older than
    ``older_than_hours`` are touched, so an upload still in its transaction is never removed."""
    from datetime import timedelta

    storage = Attachment._meta.get_field("file").storage
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    removed = 0

    def walk(folder: str):
        directories, files = storage.listdir(folder) if storage.exists(folder) else ([], [])
        for name in files:
            yield f"{folder}/{name}"
        for directory in directories:
            yield from walk(f"{folder}/{directory}")

    for path in walk("registry"):
        if storage.get_modified_time(path) > cutoff:
            continue
        if not Attachment.objects.filter(Q(file=path) | Q(searchable_pdf=path)).exists():
            storage.delete(path)
            removed += 1
    return removed
