"""Sending: each addressee's copy by its channel, the outcome of e-mails and the letter settled
(a part of correspondence.services)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import calendar, mail
from core.models import OutboundEmail, User
from core.services import email_queue, email_resend
from core.terms import DeliveryMethod
from correspondence.models import (
    POSTAL_CHANNELS,
    Channel,
    Dispatch,
    DispatchList,
    Letter,
    PdfStatus,
)
from correspondence.services.common import Status
from correspondence.services.containers import signature_problem
from correspondence.services.letters import _pdf_name
from correspondence.workflows import DISPATCH, LETTER, SENT_OR_SENDING


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
