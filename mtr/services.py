"""Every write of the MTR: submitting, reviewing, asking for missing data, deciding, entries.

The processing clock: a licence decision is due a set number of days after the complete
application arrived (MTR_LICENCE_DECISION_DAYS, or the area's own time): the day it was submitted,
or, after a request for missing data, the day the applicant answered (the term starts again then;
the days the request stood are kept for the record). A deadline that falls on a day off moves to
the next working day (core.terms).

A submitted application is registered in the document register (MTR_APPLICATION_SERIES) and its
decision letter as the reply to it, so the register and the public register show them too.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import calendar, events, jobs, numbering, pdf, pdf_active, roles, terms
from core.models import Event, User
from core.redirects import site_url
from core.services import email_queue_template
from core.uploads import check_upload, safe_display_name
from core.workflow import Refused
from mtr import delivery
from mtr.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    ActivityArea,
    Application,
    ApplicationAttachment,
    Business,
    DeficiencyRequest,
    Entry,
    Kind,
    PdfStatus,
)
from mtr.verbs import Verb
from mtr.workflows import APPLICATION, ENTRY
from registry.validators import validate_registry_code

log = logging.getLogger(__name__)

# Background jobs (core.jobs; registered in mtr.tasks)
RECEIPT_JOB = "mtr.receipt"
DECISION_JOB = "mtr.decision_letter"
NOTIFY_JOB = "mtr.notify_processor"
APPLICANT_FILE_KINDS = ("pdf", "png", "jpeg")
Status = Application.Status


# --- Reading -------------------------------------------------------------------------------------


def processing_days(area: ActivityArea) -> int | None:
    """Days a decision may take in an area; None for a notice (entered without a decision)."""
    if area.processing_days:
        return area.processing_days
    if area.kind == Kind.LICENCE:
        return settings.MTR_LICENCE_DECISION_DAYS
    return None


def deadline_for(application: Application, *, complete_on: date | None = None) -> date | None:
    """The last day of the decision: the area's days from the day the complete application
    arrived (``complete_on``: the answer to the last request for missing data; the day it was
    submitted if nothing was missing), moved off a day off (core.terms.term_end, TsÜS § 136).
    The clock does not resume where it stood: it starts again (DOMAIN.md, MTR)."""
    days = processing_days(application.area)
    if days is None:
        return None
    return terms.term_end(complete_on or timezone.localdate(application.submitted_at), days)


def days_left(application: Application, *, today: date | None = None) -> int | None:
    """Calendar days to the processing deadline (negative when late); None when the clock does
    not run: a closed application, one waiting for missing data, or a notice."""
    if application.deadline is None or application.status not in (
        Status.RECEIVED,
        Status.IN_REVIEW,
    ):
        return None
    return (application.deadline - (today or timezone.localdate())).days


def processors():
    """Active users who may process applications (choices for assigning)."""
    return roles.holders("process_application", superusers=True)


def normalise_tracking_code(code: str) -> str:
    """The code as stored: capitals without the dashes and spaces it is shown or typed with."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def application_lookup(*, tracking_code: str, registry_code: str) -> Application | None:
    """The public status lookup: the application with this code *and* this registry code.

    A wrong code, a wrong registry code, or a code of another business all give None; the
    comparison of the second factor takes the same time whatever it holds."""
    code = normalise_tracking_code(tracking_code)
    if len(code) != TRACKING_LENGTH or any(c not in TRACKING_ALPHABET for c in code):
        return None
    application = (
        Application.objects.select_related("area", "entry")
        .prefetch_related("deficiencies__attachments")
        .filter(tracking_code=code)
        .first()
    )
    given = (registry_code or "").strip().encode()
    if application is None:
        hmac.compare_digest(given, b"00000000")
        return None
    if not hmac.compare_digest(given, application.registry_code.encode()):
        return None
    return application


def entry_for_change(*, number: str, registry_code: str) -> Entry | None:
    """The entry a change or termination is about: its number and holder must match, and it
    must still be in force (valid or suspended)."""
    number = (number or "").strip().upper().replace(" ", "")
    return (
        Entry.objects.select_related("area", "business")
        .filter(
            number=number,
            business__registry_code=(registry_code or "").strip(),
            status__in=(Entry.Status.VALID, Entry.Status.SUSPENDED),
        )
        .first()
    )


# --- Helpers of the writes -----------------------------------------------------------------------


def _store_files(
    application: Application,
    files: Iterable[tuple[str, UploadedFile]],
    *,
    deficiency: DeficiencyRequest | None = None,
) -> list[ApplicationAttachment]:
    """Check every file by its content first, then keep them all (or none: the caller's
    transaction rolls back on an error)."""
    files = [(key, f) for key, f in files if f]
    if len(files) > settings.MTR_MAX_FILES:
        raise ValidationError(
            {"files": _("Attach at most %(count)d files.") % {"count": settings.MTR_MAX_FILES}}
        )
    checked = []
    for key, uploaded in files:
        try:
            kind = check_upload(
                uploaded, allowed=APPLICANT_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES
            )
        except ValidationError as error:
            raise ValidationError(
                {f"attachment_{key}" if key else "files": error.messages}
            ) from error
        checked.append((key, uploaded, kind))
    stored = []
    for key, uploaded, kind in checked:
        attachment = ApplicationAttachment(
            application=application,
            deficiency=deficiency,
            requirement=key,
            name=safe_display_name(uploaded.name or "file"),
            kind=kind.key,
            content_type=kind.content_type,
            size=uploaded.size,
            active_content=pdf_active.flags_for(uploaded, kind.key),
        )
        attachment.file.save(attachment.name, uploaded, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _registrar() -> User:
    """The account that registers what arrives through the public e-service."""
    user, created = get_user_model().objects.get_or_create(
        username=settings.MTR_ESERVICE_USERNAME,
        defaults={"first_name": "MTR", "last_name": "e-teenus", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _register_document(
    application: Application, *, actor: User | None = None, channel: str | None = None
) -> None:
    """Register the application in the document register (its series by notice or licence).

    A missing or closed series leaves the application unregistered (logged): the applicant's
    submission must never fail because the register's scheme changed."""
    from registry import services as registry
    from registry.models import Channel, DocumentType, Party, Series

    code = settings.MTR_APPLICATION_SERIES.get(application.area.kind)
    series = Series.objects.filter(code=code).first() if code else None
    if series is None:
        log.warning("MTR application %s not registered: no series %r", application.pk, code)
        return
    registrar = actor or _registrar()
    try:
        with transaction.atomic():
            party = Party.objects.filter(code=application.registry_code).first()
            if party is None:
                party = registry.party_create(
                    actor=registrar,
                    is_private_person=False,
                    name=application.business_name,
                    code=application.registry_code,
                    address=application.address,
                    email=application.email,
                    phone=application.phone,
                )
            with translation.override("et"):
                title = f"{capfirst(application.kind_label)}: {application.area.name_et}"
            document = registry.document_register(
                actor=registrar,
                series=series,
                doc_type=DocumentType.APPLICATION,
                channel=channel or Channel.WEB,
                title=title,
                received_on=timezone.localdate(application.submitted_at),
                # Registered by the portal as it arrives: the registration day is that of the
                # submission even when the job ran later (a retry after a failure).
                registered_on=calendar.registration_day(
                    timezone.localdate(application.submitted_at)
                ),
                sender=party,
                sender_reference=application.tracking_code,
                deadline=application.deadline,
            )
    except ValidationError as error:
        log.warning("MTR application %s not registered: %s", application.pk, error)
        return
    application.document = document
    application.save(update_fields=["document"])


def _status_url(application: Application) -> str:
    return site_url("mtr:public-status")


def _email_applicant(
    application: Application, template: str, *, key: str, callback: str = "", **context
) -> None:
    email_queue_template(
        to=[application.email],
        template=f"mtr/email/{template}",
        context={
            "application": application,
            "status_url": _status_url(application),
            "change_report_days": settings.MTR_CHANGE_REPORT_WORKING_DAYS,
            **context,
        },
        language=application.language,
        key=key,
        attachments=context.pop("attachments", ()),
        callback=callback,
    )


# --- The applicant ---------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    area: ActivityArea,
    type: str,
    business_name: str,
    registry_code: str,
    address: str,
    contact_person: str,
    email: str,
    phone: str = "",
    addresses: list[str] | None = None,
    data: dict | None = None,
    language: str = "et",
    entry: Entry | None = None,
    submission_key=None,
    files: Iterable[tuple[str, UploadedFile]] = (),
    submitted_at: datetime | None = None,
    notify: bool = True,
    document=None,
    actor: User | None = None,
    channel: str | None = None,
) -> Application:
    """File an application, with its attachments. The same form submitted twice (the same
    ``submission_key``) returns the first application and creates nothing.

    ``submitted_at`` is for an application that arrived earlier (on paper, or moved from the
    old register); ``notify=False`` sends no receipt (the receipt PDF is made when opened);
    ``document`` is the registered letter it came in (otherwise it is registered here, by
    ``actor`` — the clerk entering a paper application — or the e-service account, with
    ``channel`` or "web form")."""
    registry_code = (registry_code or "").strip()
    if submission_key is not None:
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            if existing.registry_code != registry_code:
                raise ValidationError(_("The form has expired; please send it again."))
            return existing
    validate_registry_code(registry_code)
    if not area.is_active:
        raise ValidationError({"area": _("This area of activity cannot be applied for now.")})
    if type != Application.Type.NEW and (
        entry is None or entry.business.registry_code != registry_code
    ):
        raise ValidationError({"entry": _("Give the number of your entry in the register.")})
    if entry is not None and entry.area_id != area.pk:
        raise ValidationError({"entry": _("The entry is in another area of activity.")})
    addresses = [a.strip() for a in (addresses or []) if a and a.strip()]
    if type == Application.Type.NEW and not addresses:
        raise ValidationError({"addresses": _("Give at least one address of operation.")})
    # The attachments an area asks are required by the public form; a paper application or a
    # missing one is met with a request for missing data, not refused here.
    files = list(files)
    business, _created = Business.objects.get_or_create(
        registry_code=registry_code,
        defaults={"name": business_name.strip(), "address": address.strip(), "email": email},
    )
    application = Application(
        area=area,
        type=type,
        entry=entry,
        business=business,
        business_name=business_name.strip(),
        registry_code=registry_code,
        address=address.strip(),
        contact_person=contact_person.strip(),
        email=email.strip(),
        phone=phone.strip(),
        addresses=addresses,
        data=data or {},
        language=language[:2],
    )
    if submitted_at is not None:
        application.submitted_at = submitted_at
    if submission_key is not None:
        application.submission_key = submission_key
    if application.takes_effect_on_submission:
        # MSÜS: in the register at once, checked afterwards; no term of decision runs.
        application.status = Status.ENTERED
    application.deadline = (
        None if application.takes_effect_on_submission else deadline_for(application)
    )
    application.full_clean(exclude=["tracking_code", "submission_key", "business"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # A double click racing itself: the twin with the same key was saved first.
        if submission_key is None:
            raise
        return Application.objects.get(submission_key=submission_key)
    _store_files(application, files)
    events.record(
        actor=actor, obj=application, verb=Event.Verb.REGISTERED, data={"area": area.code}
    )
    if document is not None:
        application.document = document
        application.save(update_fields=["document"])
    else:
        _register_document(application, actor=actor, channel=channel)
    if application.takes_effect_on_submission:
        entry_apply(actor=actor, application=application)
    if notify:
        jobs.enqueue(
            RECEIPT_JOB, key=f"{RECEIPT_JOB}:{application.pk}", application_id=application.pk
        )
    return application


def application_receipt_pdf(*, application: Application) -> bytes:
    """The receipt: what was filed, when, and the tracking code (made once, then kept)."""
    if not application.receipt_pdf:
        with transaction.atomic():
            application = APPLICATION.lock(application)
            if not application.receipt_pdf:
                content = _render(application, "mtr/pdf/receipt.html")
                application.receipt_pdf.save(
                    f"receipt-{application.tracking_code}.pdf", ContentFile(content), save=False
                )
                application.save(update_fields=["receipt_pdf"])
    with application.receipt_pdf.open("rb") as stored:
        return stored.read()


def application_decision_pdf(*, application: Application) -> bytes | None:
    """The decision letter, or None while it is being made (or when there is none)."""
    if application.decision_pdf_status != PdfStatus.READY or not application.decision_pdf:
        return None
    with application.decision_pdf.open("rb") as stored:
        return stored.read()


def _render(application: Application, template: str) -> bytes:
    """A PDF the portal sends by itself (receipt, decision letter): sealed with the agency's
    e-seal when one is configured (core/seal.py), and saying so only then."""
    application = (
        Application.objects.select_related(
            "area", "entry", "decided_by", "document", "decision_document"
        )
        .prefetch_related("attachments", "deficiencies")
        .get(pk=application.pk)
    )
    with translation.override(application.language):
        return pdf.render_pdf(
            template,
            {
                "application": application,
                "agency_name": settings.AGENCY_NAME,
                "status_url": _status_url(application),
                "today": timezone.localdate(),
            },
            seal=True,
        )


def receipt_send(*, application_id: int) -> bool:
    """Make the receipt and e-mail it with the tracking code (once: the outbox key)."""
    application = Application.objects.select_related("area").filter(pk=application_id).first()
    if application is None:
        return False
    application_receipt_pdf(application=application)
    application.refresh_from_db(fields=["receipt_pdf"])
    _email_applicant(
        application,
        "received",
        key=f"mtr-received-{application.pk}",
        attachments=[(application.receipt_pdf, _pdf_name("receipt", application))],
    )
    return True


def _pdf_name(prefix: str, application: Application) -> str:
    return f"{prefix}-{application.tracking_code_display}.pdf"


@transaction.atomic
def application_answer_deficiency(
    *,
    application: Application,
    answer: str,
    files: Iterable[UploadedFile] = (),
    on: date | None = None,
) -> DeficiencyRequest:
    """The applicant answers: the application is complete from ``on`` (today), and the term
    for the decision counts from that day."""
    application = APPLICATION.lock(application)
    request = application.deficiencies.filter(answered_at__isnull=True).first()
    if application.status != Status.DEFICIENT or request is None:
        raise ValidationError(_("Nothing was asked from this application."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer.")})
    on = on or timezone.localdate()
    _store_files(application, [("", f) for f in files], deficiency=request)
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])
    application.paused_days += max(0, (on - request.requested_on).days)  # for the record
    application.deadline = deadline_for(application, complete_on=on)
    APPLICATION.move(
        application,
        "answer_notice" if APPLICATION.allows(application, "answer_notice") else "answer",
        actor=None,
        paused_days=application.paused_days,
    )
    application.save(update_fields=["status", "paused_days", "deadline"])
    events.record(actor=None, obj=application, verb=Verb.DEFICIENCY_ANSWERED)
    if application.assignee_id:
        jobs.enqueue(NOTIFY_JOB, application_id=application.pk, reason="answered")
    return request


# --- The processor -------------------------------------------------------------------------


def _check_processor(user: User) -> None:
    if not (user.is_active and user.has_perm("mtr.process_application")):
        raise ValidationError(
            {"assignee": _("%(name)s may not process applications.") % {"name": user}}
        )


@transaction.atomic
def application_claim(*, actor: User, application: Application) -> Application:
    """A processor takes an application into review (assigning it to themselves)."""
    return application_assign(actor=actor, application=application, assignee=actor)


@transaction.atomic
def application_assign(*, actor: User, application: Application, assignee: User) -> Application:
    """Give an application to a processor; a received one goes into review."""
    application = APPLICATION.lock(application)
    if not application.is_open:
        raise ValidationError(_("A decided or withdrawn application is not assigned any more."))
    _check_processor(assignee)
    if application.status == Status.RECEIVED:
        APPLICATION.move(application, "take", actor=actor)
    if application.assignee_id == assignee.pk and application.status != Status.RECEIVED:
        application.save(update_fields=["status"])
        return application
    application.assignee = assignee
    application.save(update_fields=["status", "assignee"])
    events.record(
        actor=actor, obj=application, verb=Event.Verb.ASSIGNED, data={"to": str(assignee)}
    )
    if assignee.pk != actor.pk:
        jobs.enqueue(NOTIFY_JOB, application_id=application.pk, reason="assigned")
    return application


def deficiency_answer_by(today: date | None = None) -> date:
    """The day the applicant is asked to answer missing data by, unless the processor gives
    another: MTR_DEFICIENCY_ANSWER_DAYS calendar days from the day after ``today``, moved off a
    day off (core.terms.term_end, TsÜS § 136). The form offers it and the service falls back to
    it: one rule (it was today + 14 in the form, which could be a Saturday)."""
    return terms.term_end(today or timezone.localdate(), settings.MTR_DEFICIENCY_ANSWER_DAYS)


@transaction.atomic
def application_request_data(
    *, actor: User, application: Application, text: str, due_on: date | None = None
) -> DeficiencyRequest:
    """Ask the applicant for missing data; the processing clock stops until they answer."""
    application = APPLICATION.lock(application)
    if not text.strip():
        raise ValidationError({"text": _("Write what is missing.")})
    today = timezone.localdate()
    # A term that ends on a day off ends on the next working day (TsÜS § 136): so does one typed.
    due_on = calendar.registration_day(due_on) if due_on else deficiency_answer_by(today)
    if due_on <= today:
        raise ValidationError({"due_on": _("The answer date must be in the future.")})
    APPLICATION.move(application, "request", actor=actor, due_on=due_on)
    if application.assignee_id is None:
        application.assignee = actor
    application.save(update_fields=["status", "assignee"])
    request = DeficiencyRequest(
        application=application,
        text=text.strip(),
        requested_by=actor,
        requested_on=today,
        due_on=due_on,
    )
    request.full_clean(validate_constraints=False)
    request.save()
    _email_applicant(
        application, "deficiency", key=f"mtr-deficiency-{request.pk}", deficiency=request
    )
    return request


@transaction.atomic
def application_decide(
    *, actor: User, application: Application, grant: bool, reason: str
) -> Application:
    """Grant or refuse. Granting a new one creates the entry; a change updates it; a termination
    ends it. A notice is "granted" when it is entered in the register: it needs no decision
    letter, only the confirmation e-mail; every refusal and every licence gets a letter."""
    application = APPLICATION.lock(application)
    if not reason.strip() and not grant:
        raise ValidationError({"reason": _("Give the reasons for the refusal.")})
    if application.status == Status.RECEIVED and grant and application.is_notice:
        # A notice filed before notices took effect on submission is entered at once.
        APPLICATION.move(application, "take", actor=actor)
    APPLICATION.move(application, "grant" if grant else "refuse", actor=actor)
    letter = not (grant and application.is_notice)
    _record_decision(application, actor, reason, PdfStatus.PENDING if letter else "")
    if grant:
        entry_apply(actor=actor, application=application)
    if letter:
        _queue_decision_letter(application)
    else:
        _email_applicant(application, "entered", key=f"mtr-decision-{application.pk}")
    return application


def _record_decision(application: Application, actor: User, reason: str, pdf_status: str) -> None:
    """Who ended the application, when and why (granted, refused, left unexamined, a notice
    checked); the one who did is its processor if it had none. Saved with its new status."""
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reason = reason.strip()
    if application.assignee_id is None:
        application.assignee = actor
    application.decision_pdf_status = pdf_status
    application.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_reason",
            "assignee",
            "decision_pdf_status",
        ]
    )


def _queue_decision_letter(application: Application) -> None:
    jobs.requeue(
        jobs.enqueue(
            DECISION_JOB, key=f"{DECISION_JOB}:{application.pk}", application_id=application.pk
        )
    )


@transaction.atomic
def application_leave_unexamined(
    *, actor: User, application: Application, reason: str
) -> Application:
    """The applicant did not give the missing data by the answer date: the application is left
    unexamined (HMS § 15(2)). It is no refusal on the merits: the letter says so, and the
    business may apply again."""
    application = APPLICATION.lock(application)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons.")})
    APPLICATION.move(application, "leave_unexamined", actor=actor)
    _record_decision(application, actor, reason, PdfStatus.PENDING)
    _queue_decision_letter(application)
    return application


@transaction.atomic
def application_check(*, actor: User, application: Application, note: str = "") -> Application:
    """A notice in effect is checked afterwards: the processor found it in order (or has
    suspended or ended its entry); it leaves the queue."""
    application = APPLICATION.lock(application)
    APPLICATION.move(application, "check", actor=actor, note=note.strip())
    _record_decision(application, actor, note, "")  # a notice has no letter
    return application


def extension_latest(application: Application) -> date | None:
    """The latest day the term may be extended to: MTR_EXTENSION_MAX_DAYS calendar days past
    the present term, moved off a day off (core.terms.term_end)."""
    if application.deadline is None:
        return None
    return terms.term_end(application.deadline, settings.MTR_EXTENSION_MAX_DAYS)


@transaction.atomic
def application_extend(
    *, actor: User, application: Application, until: date, reason: str
) -> Application:
    """Extend the term of the decision once, before it ends, with the reasons, and tell the
    applicant at once (DOMAIN.md, MTR: extendable with notice to the applicant)."""
    application = APPLICATION.lock(application)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons: the applicant is told them.")})
    refusal = APPLICATION.refusal(application, "extend", actor)
    if refusal:
        raise Refused(refusal)
    latest = extension_latest(application)
    until = calendar.registration_day(until)  # a term ending on a day off (TsÜS § 136)
    if not application.deadline < until <= latest:
        raise ValidationError(
            {
                "until": _("Choose a day after %(from)s and no later than %(to)s.")
                % {
                    "from": formats.date_format(application.deadline, "SHORT_DATE_FORMAT"),
                    "to": formats.date_format(latest, "SHORT_DATE_FORMAT"),
                }
            }
        )
    APPLICATION.move(
        application, "extend", actor=actor, due_on=until.isoformat(), reason=reason.strip()
    )
    application.deadline = application.term_extended_to = until
    application.term_extension_reason = reason.strip()
    application.save(update_fields=["deadline", "term_extended_to", "term_extension_reason"])
    _email_applicant(application, "extended", key=f"mtr-extended-{application.pk}")
    return application


def decision_letter_make(*, application_id: int) -> bool:
    """Render the decision letter, register it as the reply to the application, e-mail it.

    Safe to run twice: a ready letter is not made again, the e-mail goes once (its key)."""
    with transaction.atomic():
        application = (
            APPLICATION.locked()
            .select_related("decided_by", "document")
            .filter(pk=application_id)
            .first()
        )
        if application is None or application.decided_at is None:
            return False
        if application.decision_pdf_status != PdfStatus.READY:
            # Registered first, so that the letter carries its own number; the PDF (sealed
            # once, here) is then kept as the registered reply's file.
            reply = _register_decision(application)
            content = _render(application, "mtr/pdf/decision.html")
            application.decision_pdf.save(
                f"decision-{application.tracking_code}.pdf", ContentFile(content), save=False
            )
            application.decision_pdf_status = PdfStatus.READY
            application.save(update_fields=["decision_pdf", "decision_pdf_status"])
            if reply is not None:
                _file_decision(application, reply, content)
        # The personal link (mtr.delivery): opening it and confirming delivers the decision;
        # the server's acceptance of the e-mail is kept as evidence by the callback.
        _email_applicant(
            application,
            "decided",
            key=f"mtr-decision-{application.pk}",
            attachments=[(application.decision_pdf, _pdf_name("decision", application))],
            decision_url=delivery.decision_link(application),
            challenge_days=terms.challenge_period_days(),
            callback=delivery.DECISION_EMAIL_CALLBACK,
        )
    return True


def decision_letter_failed(*, application_id: int, error: str) -> None:
    Application.objects.filter(pk=application_id, decision_pdf_status=PdfStatus.PENDING).update(
        decision_pdf_status=PdfStatus.FAILED
    )
    log.error("MTR decision letter of application %s failed: %s", application_id, error)


def _register_decision(application: Application):
    """The decision letter is the registered reply to the registered application: the reply
    (registered now, or earlier), or None when the application is not in the register."""
    from registry import services as registry
    from registry.models import Channel

    if application.decision_document_id:
        return application.decision_document
    if application.document is None:
        return None
    with translation.override("et"):
        verdict = {
            Status.GRANTED: _("Decision to grant"),
            Status.UNEXAMINED: _("Decision to leave unexamined"),
        }.get(application.status, _("Decision to refuse"))
    try:
        with transaction.atomic():
            reply = registry.document_register_reply(
                actor=application.decided_by,
                document=application.document,
                title=f"{verdict}: {application.area.name_et}",
                channel=Channel.EMAIL,
                sent_on=timezone.localdate(),
            )
    except ValidationError as error:
        log.warning("MTR decision of %s not registered: %s", application.pk, error)
        return None
    application.decision_document = reply
    application.save(update_fields=["decision_document"])
    return reply


def _file_decision(application: Application, reply, content: bytes) -> None:
    """Keep the decision letter as the file of its registered reply (once)."""
    from registry import services as registry

    name = _pdf_name("otsus", application)
    if reply.attachments.filter(name=name).exists():
        return
    registry.attachment_add(
        actor=application.decided_by, document=reply, uploaded=ContentFile(content, name=name)
    )


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: User | None = None, reason: str = ""
) -> Application:
    application = APPLICATION.lock(application)
    APPLICATION.move(application, "withdraw", actor=actor, reason=reason.strip())
    application.save(update_fields=["status"])
    return application


# --- The register of entries ---------------------------------------------------------------


def _entry_number(area: ActivityArea) -> str:
    sequence = numbering.next_number(f"mtr-entry:{area.number_prefix}", 0)
    return f"{area.number_prefix}{sequence:06d}"


def entry_apply(*, actor: User, application: Application) -> Entry:
    """Write a granted application into the register."""
    today = timezone.localdate()
    if application.type == Application.Type.NEW:
        entry = Entry.objects.create(
            number=_entry_number(application.area),
            business=application.business,
            area=application.area,
            kind=application.area.kind,
            addresses=application.addresses,
            data=application.data,
            status=Entry.Status.VALID,
            valid_from=today,
        )
        application.entry = entry
        application.save(update_fields=["entry"])
        events.record(
            actor=actor,
            obj=entry,
            verb=Event.Verb.REGISTERED,
            data={"application": application.tracking_code},
        )
        return entry
    entry = ENTRY.lock(application.entry)
    if application.type == Application.Type.TERMINATION:
        return _entry_status(
            actor=actor,
            entry=entry,
            action="terminate",
            reason=str(_("Terminated at the holder's request.")),
            trusted=True,
            application=application.tracking_code,
        )
    changed = {}
    for field in ("addresses", "data"):
        new = getattr(application, field)
        old = getattr(entry, field)
        if new and new != old:
            changed[field] = {"from": old, "to": new}
            setattr(entry, field, new)
    entry.save(update_fields=["addresses", "data"])
    events.record(
        actor=actor,
        obj=entry,
        verb=Verb.ENTRY_CHANGED,
        data={"application": application.tracking_code, "changes": changed},
    )
    return entry


def _entry_status(
    *, actor: User, entry: Entry, action: str, reason: str, trusted: bool = False, **data
) -> Entry:
    """Suspend, reinstate or end an entry (mtr.workflows.ENTRY), with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    entry.status_reason = reason.strip()[:500]
    ENTRY.move(entry, action, actor=actor, trusted=trusted, reason=entry.status_reason, **data)
    fields = ["status", "status_reason"]
    if entry.status == Entry.Status.INVALID:
        entry.valid_to = timezone.localdate()
        fields.append("valid_to")
    entry.save(update_fields=fields)
    return entry


@transaction.atomic
def entry_suspend(*, actor: User, entry: Entry, reason: str) -> Entry:
    return _entry_status(actor=actor, entry=ENTRY.lock(entry), action="suspend", reason=reason)


@transaction.atomic
def entry_reinstate(*, actor: User, entry: Entry, reason: str) -> Entry:
    return _entry_status(actor=actor, entry=ENTRY.lock(entry), action="reinstate", reason=reason)


@transaction.atomic
def entry_terminate(*, actor: User, entry: Entry, reason: str) -> Entry:
    return _entry_status(actor=actor, entry=ENTRY.lock(entry), action="terminate", reason=reason)


# --- Notifications -------------------------------------------------------------------------


def processor_notify(*, application_id: int, reason: str) -> bool:
    """Tell the assigned processor an application was given to them or was answered."""
    application = (
        Application.objects.select_related("assignee", "area").filter(pk=application_id).first()
    )
    if application is None or application.assignee is None or not application.assignee.email:
        return False
    email_queue_template(
        to=[application.assignee.email],
        template=f"mtr/email/processor_{reason}",
        context={
            "application": application,
            "url": site_url("mtr:application-detail", application.pk),
        },
        language=settings.LANGUAGE_CODE,
        key=f"mtr-{reason}-{application.pk}-{application.assignee_id}-{application.paused_days}"
        if reason == "answered"
        else "",
    )
    return True


def reminders_send(*, today: date | None = None) -> int:
    """Remind processors of applications due within two working days (once per deadline), and
    of deficiency requests whose answer date has passed. Unassigned ones go to every processor."""
    today = today or timezone.localdate()
    soon = calendar.add_working_days(today, 2)
    due = list(
        Application.objects.filter(
            status__in=(Status.RECEIVED, Status.IN_REVIEW), deadline__lte=soon
        ).select_related("area", "assignee")
    )
    unanswered = list(
        Application.objects.filter(
            status=Status.DEFICIENT,
            deficiencies__answered_at__isnull=True,
            deficiencies__due_on__lt=today,
        ).select_related("area", "assignee")
    )
    everyone = [u.email for u in processors() if u.email]
    sent = 0
    for kind, applications in (("due", due), ("unanswered", unanswered)):
        for application in applications:
            to = [application.assignee.email] if application.assignee else everyone
            if not [address for address in to if address]:
                continue
            email_queue_template(
                to=[address for address in to if address],
                template=f"mtr/email/reminder_{kind}",
                context={
                    "application": application,
                    "days_left": days_left(application, today=today),
                    "url": site_url("mtr:application-detail", application.pk),
                },
                language=settings.LANGUAGE_CODE,
                key=f"mtr-reminder-{kind}-{application.pk}-{application.deadline}",
            )
            sent += 1
    return sent
