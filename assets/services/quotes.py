"""Quotes: requests for quotes, the procurement thresholds and the choice with its reason (a
part of assets.services)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import (
    ProcurementThreshold,
    Quote,
    QuoteRequest,
)
from assets.services.common import ASSET_FILE_KINDS
from assets.verbs import Verb
from core import events
from core.models import Event, User
from core.uploads import check_upload, safe_display_name
from core.workflow import locking


def thresholds_on(day: date | None = None) -> ProcurementThreshold:
    """The procurement thresholds in force on ``day`` (today): the latest row from that day or
    before (the admin keeps them, with their history; assets.0004 gives the first)."""
    day = day or timezone.localdate()
    found = ProcurementThreshold.objects.filter(valid_from__lte=day).first()
    if found is None:
        raise ImproperlyConfigured(f"No procurement thresholds in force on {day}.")
    return found


def threshold(kind: str, *, on: date | None = None) -> Decimal:
    """The threshold of a kind of order on a day (RHS § 14; special services their own)."""
    return thresholds_on(on).for_kind(kind)


def threshold_warning(request: QuoteRequest) -> str:
    """A warning when the estimate reaches the threshold in force on the day the request was
    prepared."""
    limit = threshold(request.kind, on=timezone.localdate(request.created))
    if request.estimated_value >= limit:
        return _(
            "The estimate reaches the simple-procurement threshold of %(limit)s €: a "
            "procurement procedure is needed instead of quotes."
        ) % {"limit": f"{limit:,.0f}".replace(",", " ")}
    return ""


@transaction.atomic
def quote_request_create(
    *, actor: User, subject: str, kind: str, estimated_value, deadline: date
) -> QuoteRequest:
    request = QuoteRequest(
        subject=subject.strip(),
        kind=kind,
        estimated_value=estimated_value,
        deadline=deadline,
        created_by=actor,
    )
    request.full_clean(exclude=["chosen"])
    request.save()
    events.record(actor=actor, obj=request, verb=Event.Verb.REGISTERED)
    return request


@transaction.atomic
def quote_add(
    *,
    actor: User,
    request: QuoteRequest,
    supplier: str,
    supplier_email: str = "",
    amount=None,
    received_on: date | None = None,
    uploaded: UploadedFile | None = None,
    note: str = "",
) -> Quote:
    if request.chosen_id:
        raise ValidationError(_("A quote has been chosen already."))
    quote = Quote(
        request=request,
        supplier=supplier.strip(),
        supplier_email=supplier_email.strip(),
        amount=amount,
        received_on=received_on or (timezone.localdate() if amount is not None else None),
        note=note.strip(),
    )
    if uploaded is not None:
        check_upload(uploaded, allowed=ASSET_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
        quote.file_name = safe_display_name(uploaded.name or "pakkumine")
        quote.file.save(quote.file_name, uploaded, save=False)
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def quote_record(
    *,
    actor: User,
    quote: Quote,
    amount,
    received_on: date | None = None,
    uploaded: UploadedFile | None = None,
    note: str = "",
) -> Quote:
    """The quote of a supplier asked earlier: its amount, date and file."""
    request = locking(QuoteRequest.objects).get(pk=quote.request_id)
    quote = locking(Quote.objects).get(pk=quote.pk)
    if request.chosen_id:
        raise ValidationError(_("A quote has been chosen already."))
    if quote.amount is not None:
        raise ValidationError(_("The quote of this supplier is recorded already."))
    quote.amount, quote.received_on = amount, received_on or timezone.localdate()
    if note.strip():
        quote.note = note.strip()
    if uploaded is not None:
        check_upload(uploaded, allowed=ASSET_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
        quote.file_name = safe_display_name(uploaded.name or "pakkumine")
        quote.file.save(quote.file_name, uploaded, save=False)
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def quote_choose(*, actor: User, request: QuoteRequest, quote: Quote, reason: str) -> QuoteRequest:
    request = locking(QuoteRequest.objects).get(pk=request.pk)
    if request.chosen_id:
        raise ValidationError(_("A quote has been chosen already."))
    if quote.request_id != request.pk:
        raise ValidationError(_("The quote is not of this request."))
    if quote.amount is None:
        raise ValidationError(_("Only a received quote (with its amount) can be chosen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this quote was chosen.")})
    cheapest = request.quotes.exclude(amount=None).order_by("amount").first()
    if cheapest and quote.pk != cheapest.pk and len(reason.strip()) < 20:
        raise ValidationError({"reason": _("It is not the cheapest quote: explain the choice.")})
    request.chosen, request.choice_reason, request.decided_at = (
        quote,
        reason.strip(),
        timezone.now(),
    )
    request.save(update_fields=["chosen", "choice_reason", "decided_at"])
    events.record(
        actor=actor,
        obj=request,
        verb=Verb.CHOSEN,
        data={"supplier": quote.supplier, "amount": str(quote.amount)},
    )
    return request
