"""Handover of assets to a person, and its confirmation (a part of assets.services)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import (
    Asset,
    Handover,
    Location,
)
from assets.verbs import Verb
from assets.workflows import ASSET
from core import events, numbering, pdf
from core.models import User
from core.redirects import site_url
from core.services import email_queue_template
from core.workflow import locking


@transaction.atomic
def handover_create(
    *,
    actor: User,
    asset: Asset,
    to_person: User | None = None,
    to_location: Location | None = None,
    note: str = "",
) -> Handover:
    """Hand an asset to a person or a room; the act waits for the receiver's confirmation."""
    asset = ASSET.lock(asset)
    if asset.state == Asset.State.DISPOSED:
        raise ValidationError(_("A disposed asset cannot be handed over."))
    if to_person is None and to_location is None:
        raise ValidationError({"to_person": _("Choose the person or the room.")})
    year = timezone.localdate().year
    handover = Handover.objects.create(
        asset=asset,
        from_person=asset.responsible,
        to_person=to_person,
        to_location=to_location,
        number=f"ÜA-{year}-{numbering.next_number('asset-handover', year):04d}",
        created_by=actor,
        note=note.strip(),
    )
    if to_person is not None:
        asset.responsible = to_person
    if to_location is not None:
        asset.location = to_location
    if ASSET.allows(asset, "handed_over"):
        ASSET.move(asset, "handed_over", actor=actor, trusted=True)
    asset.save(update_fields=["responsible", "location", "state"])
    events.record(
        actor=actor,
        obj=asset,
        verb=Verb.HANDED_OVER,
        data={"act": handover.number, "to": str(to_person or to_location)},
    )
    if to_person is None:  # a room confirms nothing
        handover.confirmed_at = handover.created
        handover.save(update_fields=["confirmed_at"])
    elif to_person.email:
        email_queue_template(
            to=[to_person.email],
            template="assets/email/handover",
            context={
                "handover": handover,
                "url": site_url("assets:handover-detail", handover.pk),
            },
            language=settings.LANGUAGE_CODE,
        )
    return handover


@transaction.atomic
def handover_confirm(*, actor: User, handover: Handover) -> Handover:
    handover = locking(Handover.objects).get(pk=handover.pk)
    if handover.to_person_id != actor.pk:
        raise ValidationError(_("Only the receiver confirms the handover."))
    if handover.confirmed_at is not None:
        raise ValidationError(_("The handover is already confirmed."))
    handover.confirmed_at = timezone.now()
    handover.save(update_fields=["confirmed_at"])
    events.record(
        actor=actor, obj=handover.asset, verb=Verb.HANDOVER_CONFIRMED, data={"act": handover.number}
    )
    return handover


def handover_pdf(handover: Handover) -> bytes:
    return pdf.render_pdf(
        "assets/pdf/handover.html",
        {
            "handover": handover,
            "agency_name": settings.AGENCY_NAME,
            "agency_address": settings.AGENCY_ADDRESS,
        },
    )
