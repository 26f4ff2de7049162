"""Every write of the MTR: submitting, reviewing, asking for missing data, deciding, entries.

The processing clock: a licence decision is due a set number of days after submission
(MTR_LICENCE_DECISION_DAYS, or the area's own time); while a deficiency request is open the clock
stands still (HMS §15), and the days it stood are added to the deadline when the applicant answers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, numbering
from core.models import User
from mtr.models import (
    ActivityArea,
    Application,
    Business,
    DeficiencyRequest,
    Entry,
    Kind,
)
from registry.validators import validate_registry_code

Status = Application.Status


def processing_days(area: ActivityArea) -> int | None:
    """Days a decision may take in an area; None for a notice (entered without a decision)."""
    if area.processing_days:
        return area.processing_days
    if area.kind == Kind.LICENCE:
        return settings.MTR_LICENCE_DECISION_DAYS
    return None


def deadline_for(application: Application) -> date | None:
    days = processing_days(application.area)
    if days is None:
        return None
    submitted_on = timezone.localdate(application.submitted_at)
    return submitted_on + timedelta(days=days + application.paused_days)


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("area", "business", "entry")
        .get(pk=application.pk)
    )


def _move(application: Application, status: str, *, actor: User | None, **data) -> None:
    if not application.can_become(status):
        raise ValidationError(
            _("An application that is %(status)s cannot be changed like this.")
            % {"status": application.get_status_display()}
        )
    old = application.status
    application.status = status
    events.record(
        actor=actor,
        obj=application,
        verb="status_changed",
        data={"from": old, "to": status, **data},
    )


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
) -> Application:
    """File an application. The same form submitted twice (the same ``submission_key``) returns
    the first application and creates nothing."""
    if submission_key is not None:
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    registry_code = registry_code.strip()
    validate_registry_code(registry_code)
    if not area.is_active:
        raise ValidationError({"area": _("This area of activity cannot be applied for now.")})
    if type != Application.Type.NEW and (
        entry is None or entry.business.registry_code != registry_code
    ):
        raise ValidationError({"entry": _("Give the number of your entry in the register.")})
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
        addresses=[a.strip() for a in (addresses or []) if a.strip()],
        data=data or {},
        language=language,
    )
    if submission_key is not None:
        application.submission_key = submission_key
    application.deadline = deadline_for(application)
    application.full_clean(exclude=["tracking_code", "submission_key"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # A double click racing itself: the twin with the same key was saved first.
        if submission_key is None:
            raise
        return Application.objects.get(submission_key=submission_key)
    events.record(actor=None, obj=application, verb="registered", data={"area": area.code})
    return application


@transaction.atomic
def application_claim(*, actor: User, application: Application) -> Application:
    """A processor takes an application into review (assigning it to themselves)."""
    application = _lock(application)
    if application.status == Status.RECEIVED:
        _move(application, Status.IN_REVIEW, actor=actor)
    application.assignee = actor
    application.save(update_fields=["status", "assignee"])
    events.record(actor=actor, obj=application, verb="assigned", data={"to": str(actor)})
    return application


@transaction.atomic
def application_request_data(
    *, actor: User, application: Application, text: str, due_on: date | None = None
) -> DeficiencyRequest:
    """Ask the applicant for missing data; the processing clock stops until they answer."""
    application = _lock(application)
    if not text.strip():
        raise ValidationError({"text": _("Write what is missing.")})
    today = timezone.localdate()
    due_on = due_on or today + timedelta(days=settings.MTR_DEFICIENCY_ANSWER_DAYS)
    if due_on <= today:
        raise ValidationError({"due_on": _("The answer date must be in the future.")})
    _move(application, Status.DEFICIENT, actor=actor)
    application.save(update_fields=["status"])
    request = DeficiencyRequest(
        application=application,
        text=text.strip(),
        requested_by=actor,
        requested_on=today,
        due_on=due_on,
    )
    request.full_clean(validate_constraints=False)
    request.save()
    return request


@transaction.atomic
def application_answer_deficiency(
    *, application: Application, answer: str, on: date | None = None
) -> DeficiencyRequest:
    """The applicant answers: the clock runs again, the deadline moves by the days it stood."""
    application = _lock(application)
    request = application.deficiencies.filter(answered_at__isnull=True).first()
    if application.status != Status.DEFICIENT or request is None:
        raise ValidationError(_("Nothing was asked from this application."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer.")})
    on = on or timezone.localdate()
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])
    application.paused_days += max(0, (on - request.requested_on).days)
    application.deadline = deadline_for(application)
    _move(application, Status.IN_REVIEW, actor=None, paused_days=application.paused_days)
    application.save(update_fields=["status", "paused_days", "deadline"])
    return request


def _entry_number(area: ActivityArea) -> str:
    sequence = numbering.next_number(f"mtr-entry:{area.number_prefix}", 0)
    return f"{area.number_prefix}{sequence:06d}"


@transaction.atomic
def application_decide(
    *, actor: User, application: Application, grant: bool, reason: str
) -> Application:
    """Grant or refuse. Granting a new one creates the entry; a change updates it; a termination
    ends it. A notice is "granted" when it is entered in the register."""
    application = _lock(application)
    if not reason.strip() and not grant:
        raise ValidationError({"reason": _("Give the reasons for the refusal.")})
    _move(application, Status.GRANTED if grant else Status.REFUSED, actor=actor)
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reason = reason.strip()
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    if grant:
        entry_apply(actor=actor, application=application)
    return application


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
            actor=actor, obj=entry, verb="registered", data={"application": application.pk}
        )
        return entry
    entry = Entry.objects.select_for_update().get(pk=application.entry_id)
    if application.type == Application.Type.TERMINATION:
        entry.status = Entry.Status.INVALID
        entry.valid_to = today
        entry.status_reason = _("Terminated at the holder's request.")
        entry.save(update_fields=["status", "valid_to", "status_reason"])
        events.record(actor=actor, obj=entry, verb="closed", data={"application": application.pk})
        return entry
    changed = {}
    for field in ("addresses", "data"):
        new = getattr(application, field)
        if new and new != getattr(entry, field):
            changed[field] = True
            setattr(entry, field, new)
    entry.save()
    events.record(
        actor=actor,
        obj=entry,
        verb="changed",
        data={"application": application.pk, "fields": sorted(changed)},
    )
    return entry


@transaction.atomic
def application_withdraw(*, application: Application, actor: User | None = None) -> Application:
    application = _lock(application)
    _move(application, Status.WITHDRAWN, actor=actor)
    application.save(update_fields=["status"])
    return application
