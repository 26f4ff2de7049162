"""Reads of the agency's property that the rights pages and the dashboards share: assets
missing, rights ending soon, disposals waiting for the head, and the value of what is held."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assets.models import AccessGrant, Asset, Disposal
from core.counts import aggregate_together, count_rows


def count_of(queryset, field: str):
    """The number of ``queryset`` rows whose ``field`` is the outer row: a subquery per listed
    row, so that a list counts related rows without a join and GROUP BY (which would keep its
    order from coming straight off an index)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


NO_RIGHTS = {"granted": 0, "requested": 0, "review": 0, "ending": 0}


def system_right_counts(system_ids, *, review: Q, today: date | None = None) -> dict:
    """For each of ``system_ids``: the rights granted, waiting, due for ``review`` and ending
    soon, as ``{system_id: {"granted": …, "requested": …, "review": …, "ending": …}}``
    (systems with none are left out: :data:`NO_RIGHTS`). One grouped query over the live rights
    (the partial index of granted and requested ones), however many systems the page shows:
    four counts a row as subqueries read those rights four times per system (issue 16)."""
    today = today or timezone.localdate()
    Status = AccessGrant.Status
    granted = Q(status=Status.GRANTED)
    rows = (
        AccessGrant.objects.filter(
            role__system_id__in=list(system_ids), status__in=(Status.GRANTED, Status.REQUESTED)
        )
        .order_by()
        .values("role__system_id")
        .annotate(
            granted=Count("pk", filter=granted),
            requested=Count("pk", filter=Q(status=Status.REQUESTED)),
            review=Count("pk", filter=review),
            ending=Count(
                "pk",
                filter=granted
                & Q(valid_until__gte=today, valid_until__lte=rights_ending_until(today)),
            ),
        )
    )
    return {row.pop("role__system_id"): row for row in rows}


def rights_ending_until(today: date | None = None) -> date:
    """The last day of the "ending soon" window (ASSETS_EXPIRY_NOTICE_DAYS from today)."""
    return (today or timezone.localdate()) + timedelta(days=settings.ASSETS_EXPIRY_NOTICE_DAYS)


def rights_ending(*, today: date | None = None):
    """Granted rights whose end date falls from today to the end of the window."""
    today = today or timezone.localdate()
    return AccessGrant.objects.filter(
        status=AccessGrant.Status.GRANTED,
        valid_until__gte=today,
        valid_until__lte=rights_ending_until(today),
    )


def asset_counts(*, user=None, today: date | None = None) -> dict:
    """Assets missing (after a stocktaking or reported) and in repair, rights ending within the
    window (of the systems ``user`` looks after, with a user), and disposals waiting for
    approval. One query; the assets are read by their state's index (``assets_asset_state_no``,
    with a user ``assets_asset_responsible_no``), never the whole register."""
    assets = Asset.objects.filter(state__in=(Asset.State.MISSING, Asset.State.IN_REPAIR))
    grants = rights_ending(today=today)
    disposals = Disposal.objects.filter(status=Disposal.Status.PROPOSED)
    if user is not None:
        assets = assets.filter(responsible=user)
        grants = grants.filter(role__system__main_user=user)
    counts = aggregate_together(
        {
            "assets": (
                assets,
                {
                    "missing": count_rows(Q(state=Asset.State.MISSING)),
                    "in_repair": count_rows(Q(state=Asset.State.IN_REPAIR)),
                },
            ),
            "grants": (grants, {"rights_ending": Count("pk")}),
            "disposals": (disposals, {"disposals_waiting": Count("pk")}),
        }
    )
    return {
        **counts["assets"],
        **counts["grants"],
        **counts["disposals"],
        "notice_days": settings.ASSETS_EXPIRY_NOTICE_DAYS,
    }


def totals(queryset) -> list[dict]:
    """Count and value by category and state (one aggregate query)."""
    return list(
        queryset.values("category", "state")
        .annotate(count=Count("id"), value=Sum("price"))
        .order_by("category", "state")
    )
