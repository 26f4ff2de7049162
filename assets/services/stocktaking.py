"""Stocktaking: counting what is where, and its findings (a part of assets.services)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import (
    Asset,
    Location,
    Stocktaking,
    StocktakingItem,
)
from assets.workflows import ASSET, STOCKTAKING
from core import events, pdf
from core.models import Event, User
from core.workflow import locking


@transaction.atomic
def stocktaking_start(*, actor: User, title: str, location: Location | None = None) -> Stocktaking:
    """List every active asset of the location (or of the agency) to be checked."""
    if not title.strip():
        raise ValidationError({"title": _("Give the stocktaking a title.")})
    stocktaking = Stocktaking.objects.create(
        title=title.strip(), location=location, started_by=actor
    )
    assets = Asset.objects.active()
    if location is not None:
        assets = assets.filter(location=location)
    StocktakingItem.objects.bulk_create(
        StocktakingItem(
            stocktaking=stocktaking,
            asset=asset,
            inventory_number=asset.inventory_number,
            expected_location_id=asset.location_id,
        )
        for asset in assets.only("pk", "location_id", "inventory_number")
    )
    events.record(
        actor=actor,
        obj=stocktaking,
        verb=Event.Verb.REGISTERED,
        data={"assets": stocktaking.items.count()},
    )
    return stocktaking


@transaction.atomic
def stocktaking_mark(
    *,
    actor: User,
    stocktaking: Stocktaking,
    asset: Asset,
    result: str,
    found_location: Location | None = None,
    note: str = "",
) -> StocktakingItem:
    """Record what was found about one asset (scanning its label again changes the answer).
    An asset not on the list but found here is added to it."""
    stocktaking = locking(Stocktaking.objects).get(pk=stocktaking.pk)
    if stocktaking.status != Stocktaking.Status.OPEN:
        raise ValidationError(_("The stocktaking is closed."))
    if result not in StocktakingItem.Result.values or result == StocktakingItem.Result.UNCHECKED:
        raise ValidationError({"result": _("Choose what was found.")})
    item, _created = StocktakingItem.objects.get_or_create(
        stocktaking=stocktaking,
        asset=asset,
        defaults={
            "expected_location_id": asset.location_id,
            "inventory_number": asset.inventory_number,
        },
    )
    if (
        result == StocktakingItem.Result.FOUND
        and found_location is not None
        and item.expected_location_id not in (None, found_location.pk)
    ):
        result = StocktakingItem.Result.WRONG_LOCATION
    item.result, item.found_location, item.note = result, found_location, note.strip()[:500]
    item.checked_at, item.checked_by = timezone.now(), actor
    item.save()
    return item


def stocktaking_summary(stocktaking: Stocktaking) -> dict:
    counts = dict(stocktaking.items.values_list("result").annotate(Count("id")))
    return {result: counts.get(result, 0) for result in StocktakingItem.Result.values}


@transaction.atomic
def stocktaking_close(*, actor: User, stocktaking: Stocktaking) -> Stocktaking:
    """Close it and update the assets: missing ones become missing, damaged ones go to repair,
    those found elsewhere move to where they were found."""
    stocktaking = STOCKTAKING.lock(stocktaking)
    STOCKTAKING.check(stocktaking, "close", actor)
    Result = StocktakingItem.Result
    findings = {
        asset_id: (result, found_at)
        for asset_id, result, found_at in stocktaking.items.exclude(
            result=Result.UNCHECKED
        ).values_list("asset_id", "result", "found_location_id")
    }
    moves = {Result.MISSING: "lost", Result.DAMAGED: "damaged", Result.FOUND: "found"}
    for asset in ASSET.lock_all(Asset.objects.filter(pk__in=findings)):
        result, found_at = findings[asset.pk]
        move = moves.get(result)
        if move and ASSET.allows(asset, move):  # a disposed asset, or one already so, stays
            ASSET.move(asset, move, actor=actor, trusted=True, stocktaking=stocktaking.title)
        elif result == Result.WRONG_LOCATION and found_at:
            asset.location_id = found_at
        asset.save(update_fields=["state", "location"])
    STOCKTAKING.move(stocktaking, "close", actor=actor, **stocktaking_summary(stocktaking))
    stocktaking.closed_at = timezone.now()
    stocktaking.save(update_fields=["status", "closed_at"])
    return stocktaking


def stocktaking_report_rows(stocktaking: Stocktaking):
    return stocktaking.items.select_related(
        "asset", "asset__responsible", "expected_location", "found_location", "checked_by"
    ).order_by("result", "asset__inventory_number")


def stocktaking_pdf(stocktaking: Stocktaking) -> bytes:
    return pdf.render_pdf(
        "assets/pdf/stocktaking.html",
        {
            "stocktaking": stocktaking,
            "rows": list(stocktaking_report_rows(stocktaking)),
            "summary": stocktaking_summary(stocktaking),
            "agency_name": settings.AGENCY_NAME,
        },
    )
