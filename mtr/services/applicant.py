"""The applicant: applications submitted, answered and withdrawn, their receipts (a part of
mtr.services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import events, jobs, pdf, terms
from core.models import Event, User
from core.validators import validate_registry_code
from mtr.models import (
    ActivityArea,
    Application,
    Business,
    DeficiencyRequest,
    Entry,
    PdfStatus,
)
from mtr.services.common import NOTIFY_JOB, RECEIPT_JOB, Status
from mtr.services.entries import entry_apply
from mtr.services.helpers import _email_applicant, _register_document, _status_url, _store_files
from mtr.services.reading import deadline_for
from mtr.verbs import Verb
from mtr.workflows import APPLICATION


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
    addresses = _checked(area, type, registry_code, entry, addresses)
    # The attachments an area asks are required by the public form; a paper application or a
    # missing one is met with a request for missing data, not refused here.
    files = list(files)
    application = _unsaved(
        area=area,
        type=type,
        entry=entry,
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
    _after_filing(
        application, files, actor=actor, document=document, channel=channel, notify=notify
    )
    return application


def _unsaved(**fields) -> Application:
    """The application as filed, with its business (found by registry code, or made): a
    notice is in the register at once (MSÜS: checked afterwards, no term of decision runs)."""
    business, _created = Business.objects.get_or_create(
        registry_code=fields["registry_code"],
        defaults={
            "name": fields["business_name"],
            "address": fields["address"],
            "email": fields["email"],
        },
    )
    application = Application(business=business, **fields)
    if application.takes_effect_on_submission:
        application.status = Status.ENTERED
    return application


def _checked(area, type: str, registry_code: str, entry, addresses) -> list[str]:
    """The application's rules before anything is kept; its addresses of operation, cleaned."""
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
    return addresses


def _after_filing(application, files, *, actor, document, channel, notify: bool) -> None:
    """A new application's files, its registration in the document register, its entry when it
    takes effect on submission (MSÜS), and its receipt."""
    _store_files(application, files)
    events.record(
        actor=actor,
        obj=application,
        verb=Event.Verb.REGISTERED,
        data={"area": application.area.code},
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
                "challenge_days": terms.challenge_period_days(),
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
