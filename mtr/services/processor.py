"""The processor: applications examined, asked for data, decided, extended and left unexamined
(a part of mtr.services)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core import calendar, events, jobs, terms
from core.models import Event, User
from core.workflow import Refused
from mtr import delivery
from mtr.models import (
    Application,
    DeficiencyRequest,
    PdfStatus,
)
from mtr.services.applicant import _pdf_name, _render
from mtr.services.common import DECISION_JOB, NOTIFY_JOB, Status, log
from mtr.services.entries import entry_apply
from mtr.services.helpers import _email_applicant
from mtr.workflows import APPLICATION


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
