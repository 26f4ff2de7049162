"""The dispatch list and afterwards: postage, labels, tracking codes, delivery and returns (a
part of correspondence.services)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, pdf
from core.models import Event, User
from core.terms import DeliveryMethod
from core.workflow import locking
from correspondence.models import (
    Channel,
    Dispatch,
    DispatchList,
    Letter,
)
from correspondence.services.sending import _add_delivery_evidence, _refresh_status
from correspondence.workflows import DISPATCH
from registry.models import Document


def postage(channel: str) -> Decimal:
    """The postage of one letter by ``channel`` (settings.CORRESPONDENCE_POSTAGE)."""
    return Decimal(str(settings.CORRESPONDENCE_POSTAGE.get(channel, "0")))


def dispatch_list_rows(dispatch_list: DispatchList):
    return dispatch_list.dispatches.select_related("letter").order_by(
        "channel", "letter__number", "id"
    )


def dispatch_list_summary(rows) -> list[dict]:
    """Count and postage by kind of post."""
    summary = {}
    for row in rows:
        item = summary.setdefault(
            row.channel,
            {"channel": row.get_channel_display(), "count": 0, "postage": Decimal("0")},
        )
        item["count"] += 1
        item["postage"] += postage(row.channel)
    return list(summary.values())


def dispatch_list_pdf(dispatch_list: DispatchList) -> bytes:
    rows = list(dispatch_list_rows(dispatch_list))
    return pdf.render_pdf(
        "correspondence/pdf/dispatch_list.html",
        {
            "dispatch_list": dispatch_list,
            "rows": rows,
            "summary": dispatch_list_summary(rows),
            "total": sum((postage(r.channel) for r in rows), Decimal("0")),
            "agency_name": settings.AGENCY_NAME,
            "agency_address": settings.AGENCY_ADDRESS,
        },
    )


@transaction.atomic
def dispatch_list_take(*, actor: User, dispatch_list: DispatchList) -> DispatchList:
    """The clerk has taken the list's letters to the post office: they are sent."""
    dispatch_list = locking(DispatchList.objects).get(pk=dispatch_list.pk)
    if dispatch_list.is_taken:
        raise ValidationError(_("This list has already been taken to the post office."))
    rows = DISPATCH.lock_all(dispatch_list.dispatches.all())
    if not rows:
        raise ValidationError(_("The list is empty."))
    now = timezone.now()
    dispatch_list.taken_at, dispatch_list.taken_by = now, actor
    dispatch_list.save(update_fields=["taken_at", "taken_by"])
    for row in rows:
        if DISPATCH.allows(row, "leave"):  # a copy already back or delivered stays so
            DISPATCH.move(row, "leave", actor=None)
            row.sent_at = now
            row.save(update_fields=["status", "sent_at"])
    events.record(actor=actor, obj=dispatch_list, verb=Event.Verb.SENT, data={"letters": len(rows)})
    for letter in sorted({row.letter for row in rows}, key=lambda letter: letter.pk):
        _refresh_status(letter)  # locks each letter, in the order of their keys
    return dispatch_list


@transaction.atomic
def dispatch_record_tracking(*, actor: User, dispatch: Dispatch, tracking_code: str) -> Dispatch:
    dispatch = DISPATCH.lock(dispatch)
    DISPATCH.check(dispatch, "tracking", actor)
    code = tracking_code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{8,40}", code):
        raise ValidationError({"tracking_code": _("Enter the tracking code, e.g. RR123456785EE.")})
    DISPATCH.move(dispatch, "tracking", actor=actor, code=code)
    dispatch.tracking_code = code
    dispatch.save(update_fields=["tracking_code"])
    return dispatch


@transaction.atomic
def dispatch_record_delivery(*, actor: User, dispatch: Dispatch, delivered_on: date) -> Dispatch:
    dispatch = DISPATCH.lock(dispatch)
    DISPATCH.check(dispatch, "delivered", actor)
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The date cannot be in the future.")})
    if dispatch.sent_at and delivered_on < timezone.localdate(dispatch.sent_at):
        raise ValidationError({"delivered_on": _("The letter cannot arrive before it was sent.")})
    # The date on the returned notice (HMS § 26). The first delivery sets the date for good
    # (core.terms): a second notice entered later is kept as evidence and moves nothing.
    first = dispatch.delivered_on is None
    _add_delivery_evidence(
        dispatch, method=DeliveryMethod.REGISTERED_POST, on=delivered_on, by=actor
    )
    if first:
        dispatch.delivered_on, dispatch.delivered_via = delivered_on, DeliveryMethod.REGISTERED_POST
        dispatch.delivery_recorded_by = actor
    DISPATCH.move(
        dispatch,
        "delivered",
        actor=actor,
        to=dispatch.name,
        on=delivered_on,
        kept=dispatch.delivered_on,
    )
    dispatch.save(
        update_fields=[
            "status",
            "delivered_on",
            "delivered_via",
            "delivery_recorded_by",
            "delivery_evidence",
        ]
    )
    return dispatch


@transaction.atomic
def dispatch_record_return(
    *, actor: User, dispatch: Dispatch, returned_on: date, reason: str
) -> Dispatch:
    """Post that came back (moved, refused, not collected), or an e-mail that bounced."""
    dispatch = DISPATCH.lock(dispatch)
    move = "bounced" if dispatch.channel == Channel.EMAIL else "returned"
    DISPATCH.check(dispatch, move, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("The date cannot be in the future.")})
    dispatch.returned_on, dispatch.note = returned_on, reason.strip()[:500]
    DISPATCH.move(dispatch, move, actor=actor, to=dispatch.name, reason=dispatch.note)
    dispatch.save(update_fields=["status", "returned_on", "note"])
    return dispatch


def labels_pdf(dispatches: Iterable[Dispatch], *, layout: str = "labels") -> bytes:
    """Address labels (A4, 3 × 8 of 70 × 37 mm) or envelopes (``c5`` or ``dl``) for the post."""
    template = {
        "labels": "correspondence/pdf/labels.html",
        "c5": "correspondence/pdf/envelopes.html",
        "dl": "correspondence/pdf/envelopes.html",
    }[layout]
    return pdf.render_pdf(
        template,
        {
            "dispatches": list(dispatches),
            "layout": layout,
            "agency_name": settings.AGENCY_NAME,
            "agency_address": settings.AGENCY_ADDRESS,
        },
    )


def letters_of(document: Document):
    """The letters that answer ``document`` (for its page)."""
    return Letter.objects.filter(in_reply_to=document).select_related("signer").order_by("created")
