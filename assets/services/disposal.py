"""Disposal: proposed, approved by the head (four eyes), its act registered (a part of
assets.services)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assets.models import (
    Asset,
    Disposal,
)
from assets.services.common import log
from assets.verbs import Verb
from assets.workflows import ASSET, DISPOSAL
from core import events, pdf, roles
from core.models import User
from core.redirects import site_url
from core.services import email_queue_template
from core.workflow import locking


def approvers():
    return roles.holders("approve_disposal")


@transaction.atomic
def disposal_propose(
    *, actor: User, asset: Asset, method: str, reason: str, residual_value=Decimal("0")
) -> Disposal:
    asset = locking(Asset.objects).get(pk=asset.pk)
    if asset.state == Asset.State.DISPOSED:
        raise ValidationError(_("The asset is disposed already."))
    if asset.disposals.filter(
        status__in=[Disposal.Status.PROPOSED, Disposal.Status.APPROVED]
    ).exists():
        raise ValidationError(_("A disposal of this asset is in progress already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    disposal = Disposal(
        asset=asset,
        method=method,
        reason=reason.strip(),
        residual_value=residual_value or 0,
        proposed_by=actor,
    )
    disposal.full_clean()
    disposal.save()
    events.record(actor=actor, obj=asset, verb=Verb.DISPOSAL_PROPOSED, data={"method": method})
    to = [u.email for u in approvers() if u.email]
    if to:
        email_queue_template(
            to=to,
            template="assets/email/disposal_proposed",
            context={
                "disposal": disposal,
                "url": site_url("assets:disposal-detail", disposal.pk),
            },
            language=settings.LANGUAGE_CODE,
        )
    return disposal


@transaction.atomic
def disposal_approve(*, actor: User, disposal: Disposal) -> Disposal:
    disposal = DISPOSAL.lock(disposal)
    DISPOSAL.move(disposal, "approve", actor=actor)
    disposal.decided_by, disposal.decided_at = actor, timezone.now()
    disposal.save(update_fields=["status", "decided_by", "decided_at"])
    return disposal


@transaction.atomic
def disposal_refuse(*, actor: User, disposal: Disposal, reason: str) -> Disposal:
    disposal = DISPOSAL.lock(disposal)
    DISPOSAL.check(disposal, "refuse", actor)
    if not reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason of the refusal.")})
    disposal.refusal_reason = reason.strip()
    DISPOSAL.move(disposal, "refuse", actor=actor, reason=disposal.refusal_reason)
    disposal.decided_by, disposal.decided_at = actor, timezone.now()
    disposal.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
    return disposal


def _check_act(disposal: Disposal, disposed_on: date, recipient: str, certificate, price):
    """The act's own rules: what each way of disposal must say."""
    errors = {}
    if disposed_on > timezone.localdate():
        errors["disposed_on"] = _("The date cannot be in the future.")
    if not recipient.strip():
        errors["recipient"] = _("Name the recipient, the recycler or the buyer.")
    if disposal.method == Disposal.Method.SALE and price is None:
        errors["sale_price"] = _("Give the sale price.")
    if disposal.method == Disposal.Method.DESTRUCTION and not certificate.strip():
        errors["certificate_number"] = _("Give the number of the recycler's certificate.")
    if errors:
        raise ValidationError(errors)


def _make_act(disposal: Disposal, *, actor: User) -> None:
    """The act registered (first, so that it carries its number) in ASSETS_ACT_SERIES as a
    public internal document, its PDF made, kept on the disposal and filed on the document."""
    from registry import services as registry
    from registry.models import Channel, Direction, DocumentType, Series

    series = Series.objects.filter(code=settings.ASSETS_ACT_SERIES).first()
    name = f"akt-{disposal.asset.inventory_number}.pdf"
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Disposal act: %(number)s %(name)s") % {
            "number": disposal.asset.inventory_number,
            "name": disposal.asset.name,
        }
        if series is not None:
            disposal.document = registry.document_register(
                actor=actor,
                series=series,
                direction=Direction.INTERNAL,  # an act made here: neither received nor sent
                doc_type=DocumentType.OTHER,
                channel=Channel.INTERNAL,
                title=title,
                received_on=timezone.localdate(),
                restriction_basis=None,  # acts are public documents, never restricted
            )
        content = pdf.render_pdf(
            "assets/pdf/disposal_act.html",
            {
                "disposal": disposal,
                "asset": disposal.asset,
                "agency_name": settings.AGENCY_NAME,
                "agency_address": settings.AGENCY_ADDRESS,
            },
        )
    disposal.act_pdf.save(name, ContentFile(content), save=False)
    if disposal.document is None:
        log.warning(
            "disposal act of %s not registered: no series %s",
            disposal.asset,
            settings.ASSETS_ACT_SERIES,
        )
        return
    registry.attachment_add(
        actor=actor,
        document=disposal.document,
        uploaded=ContentFile(content, name=name),
        is_public=True,
    )


@transaction.atomic
def disposal_complete(
    *,
    actor: User,
    disposal: Disposal,
    disposed_on: date,
    recipient: str,
    certificate_number: str = "",
    sale_price=None,
) -> Disposal:
    """Make the act (PDF), register it as a public document, close the asset."""
    disposal = DISPOSAL.lock(disposal)
    DISPOSAL.check(disposal, "complete", actor)
    _check_act(disposal, disposed_on, recipient, certificate_number, sale_price)
    disposal.disposed_on, disposal.recipient = disposed_on, recipient.strip()
    disposal.certificate_number, disposal.sale_price = certificate_number.strip(), sale_price
    _make_act(disposal, actor=actor)
    DISPOSAL.move(
        disposal,
        "complete",
        actor=actor,
        act=disposal.document.number if disposal.document else "",
    )
    disposal.save()
    asset = ASSET.lock(disposal.asset)
    ASSET.move(asset, "disposed", actor=None)
    asset.save(update_fields=["state"])
    return disposal
