"""Delivery of MTR decisions: the personal link, the evidence, the legal delivery date.

The rules (what counts as delivery, the challenge period) live in ``core.terms``; this module
writes them down for an application's decision:

- ``decision_link(application)``: the personal link put in the decision e-mail (a random token
  made once, with the letter).
- ``decision_delivery_record(...)``: the one writer of delivery events. Every event is kept as a
  ``DecisionDelivery`` (evidence); the first one that counts as delivery sets
  ``Application.decision_delivered_on`` and later ones never move it. Events the system records
  carry a ``key`` and are recorded once however often they arrive.
- ``decision_link_confirm(...)``: the person opened the link and pressed "I have received the
  decision" (HMS § 27: opened / confirmed receipt). A GET of the page records nothing: mail
  scanners and link previews fetch links on their own, and a person's period must not start
  because a machine looked at the page. A signed-in member of staff records nothing either.
- ``decision_email_outcome(email_id)``: the outbox's callback — the e-mail accepted by the
  recipient's server is kept as evidence (with its Message-ID), which does not start the period.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, roles, terms
from core.models import OutboundEmail, User
from core.redirects import site_url
from core.terms import DeliveryMethod
from mtr.models import Application, DecisionDelivery
from mtr.verbs import Verb
from mtr.workflows import APPLICATION

#: The outbox key of an application's decision e-mail (mtr.services.decision_letter_make).
DECISION_EMAIL_KEY = "mtr-decision-{pk}"
#: The outbox's callback for that e-mail (core.services.email_queue).
DECISION_EMAIL_CALLBACK = "mtr.tasks.decision_email_outcome"


def decision_email_key(application: Application) -> str:
    return DECISION_EMAIL_KEY.format(pk=application.pk)


def decision_link(application: Application) -> str:
    """The full address of the application's personal decision page (made once; the caller
    holds the application's row lock, as ``decision_letter_make`` does)."""
    if not application.decision_token:
        application.decision_token = secrets.token_urlsafe(32)
        application.save(update_fields=["decision_token"])
    return site_url("mtr:decision-link", application.decision_token)


def application_for_link(token: str) -> Application | None:
    """The decided application whose personal link this is; None for any other token."""
    if not token or len(token) > 64:
        return None
    return (
        Application.objects.select_related("area", "entry")
        .filter(decision_token=token, decided_at__isnull=False)
        .first()
    )


@transaction.atomic
def decision_delivery_record(
    *,
    application: Application,
    method: str,
    delivered_on: date | None = None,
    occurred_at: datetime | None = None,
    actor: User | None = None,
    evidence: dict | None = None,
    note: str = "",
    key: str = "",
) -> DecisionDelivery:
    """Keep one delivery event of the decision; the first that counts sets the delivery date.

    ``actor`` is the processor who entered it (None: the system or the person). With a ``key``
    the same event recorded again returns the first row and changes nothing."""
    application = APPLICATION.lock(application)
    if key:
        existing = application.decision_deliveries.filter(key=key).first()
        if existing is not None:
            return existing
    delivered_on, occurred_at, note = _checked_delivery(
        application, method, delivered_on, occurred_at, note
    )
    counts = terms.counts_as_delivery(method)
    current = application.decision_delivered_on
    first = current is None and terms.first_delivery(current, method, delivered_on) is not None
    delivery = DecisionDelivery(
        application=application,
        method=method,
        delivered_on=delivered_on,
        occurred_at=occurred_at,
        counts=counts,
        set_the_date=first,
        evidence=evidence or {},
        note=note,
        key=key,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    delivery.full_clean(exclude=["application", "recorded_by"], validate_constraints=False)
    delivery.save()
    data = {"method": method, "on": delivered_on.isoformat()}
    if first:
        application.decision_delivered_on = delivered_on
        application.decision_delivered_via = method
        application.save(update_fields=["decision_delivered_on", "decision_delivered_via"])
        until = terms.challenge_period_end(delivered_on)
        events.record(
            actor=actor,
            obj=application,
            verb=Verb.DECISION_DELIVERED,
            data={**data, "challenge_until": until.isoformat()},
        )
    else:
        events.record(actor=actor, obj=application, verb=Verb.DELIVERY_RECORDED, data=data)
    return delivery


def _checked_delivery(application, method: str, delivered_on, occurred_at, note: str):
    """The delivery's day, moment and note, checked: a known method, a decision letter to
    deliver, a day neither in the future nor before the decision, a note for a deemed one."""
    if method not in DeliveryMethod.values:
        raise ValidationError({"method": _("Choose how the decision was delivered.")})
    if not application.has_decision_letter:
        raise ValidationError(_("Only a decision with a decision letter is delivered."))
    if occurred_at is None and delivered_on is None:
        occurred_at = timezone.now()  # happening now (the link); a date alone has no moment
    delivered_on = delivered_on or timezone.localdate(occurred_at)
    decided_on = timezone.localdate(application.decided_at)
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The date cannot be in the future.")})
    if delivered_on < decided_on:
        raise ValidationError(
            {"delivered_on": _("The decision cannot be delivered before it was made.")}
        )
    note = note.strip()[:500]
    if method == DeliveryMethod.DEEMED and not note:
        raise ValidationError(
            {"note": _("Give the legal basis on which the decision is deemed delivered.")}
        )
    return delivered_on, occurred_at, note


def decision_link_confirm(
    *, application: Application, user=None, user_agent: str = ""
) -> DecisionDelivery | None:
    """The person confirmed receipt on the personal page: the decision is delivered today
    (HMS § 27), once. A signed-in member of staff opening the link records nothing (None)."""
    if user is not None and getattr(user, "is_authenticated", False):
        return None
    return decision_delivery_record(
        application=application,
        method=DeliveryMethod.LINK_OPENED,
        evidence={"user_agent": user_agent[:300]},
        key="link",
    )


def decision_email_outcome(*, email_id: int) -> DecisionDelivery | None:
    """The outbox's callback: an accepted decision e-mail becomes evidence (not delivery)."""
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if email is None or email.status != OutboundEmail.Status.SENT:
        return None  # a failed or uncertain e-mail: the staff page warns while undelivered
    prefix = DECISION_EMAIL_KEY.format(pk="")
    if not email.key.startswith(prefix) or not email.key[len(prefix) :].isdigit():
        return None
    application = Application.objects.filter(pk=int(email.key[len(prefix) :])).first()
    if application is None or not application.has_decision_letter:
        return None
    from core import mail

    sent_at = email.sent_at or timezone.now()
    return decision_delivery_record(
        application=application,
        method=DeliveryMethod.EMAIL_ACCEPTED,
        occurred_at=sent_at,
        delivered_on=max(timezone.localdate(sent_at), timezone.localdate(application.decided_at)),
        evidence={
            "email_id": email.pk,
            "to": email.to,
            "message_id": mail.message_id(pk=email.pk, token=email.token),
            "sent_at": sent_at.isoformat(),
        },
        key=f"email-{email.pk}",
    )


def decision_delivery_enter(
    *,
    actor: User,
    application: Application,
    method: str,
    delivered_on: date,
    note: str = "",
) -> DecisionDelivery:
    """A processor enters a delivery by another means: the date on a returned registered-post
    notice, a signed receipt of a hand delivery, a confirmation the person sent, or a delivery
    deemed by law (with its basis in ``note``)."""
    if not (actor.is_active and roles.granted(actor, "mtr.process_application")):
        raise PermissionDenied(_("Only an MTR processor may record the delivery of a decision."))
    if method not in terms.RECORDED_BY_STAFF:
        raise ValidationError({"method": _("Choose how the decision was delivered.")})
    return decision_delivery_record(
        application=application,
        method=method,
        delivered_on=delivered_on,
        actor=actor,
        note=note,
    )


# --- Reading ------------------------------------------------------------------------------------


def delivery_state(application: Application, *, today: date | None = None) -> dict:
    """What the pages say about the delivery of the decision: ``needed`` (a decision with a
    letter), ``delivered_on`` and ``via`` (its label), ``challenge_until``, and ``late`` (not
    delivered ``DELIVERY_WARNING_DAYS`` after the decision: deliver it another way)."""
    needed = application.has_decision_letter
    delivered_on = application.decision_delivered_on
    return {
        "needed": needed,
        "delivered_on": delivered_on,
        "via": application.get_decision_delivered_via_display() if delivered_on else "",
        "challenge_until": terms.challenge_period_end(delivered_on),
        "challenge_days": terms.challenge_period_days(),
        "late": needed
        and delivered_on is None
        and terms.delivery_is_late(timezone.localdate(application.decided_at), today=today),
    }
