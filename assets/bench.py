"""The asset pages ``manage.py bench`` times (core.bench): the inventory (what the agency still
holds, by inventory number) at its start and its end and searched, the information systems with
their rights, and the requests for quotes. Each with the plain SQL that fetches its rows by the
ideal index."""

from __future__ import annotations

from django.urls import reverse

from core.bench import SEARCH_BUDGET_MS, Case, follow

WORD = "Epson"  # a word of many assets' names (assets.volume)
ASSETS = (
    "SELECT id, inventory_number, name, serial_number, category, state, price, location_id, "
    "responsible_id FROM assets_asset WHERE state <> 'disposed'"
)


def cases(context) -> list[Case]:
    inventory = reverse("assets:asset-list")
    quotes = reverse("assets:quote-list")
    return [
        Case(
            "assets",
            "inventory, first page",
            inventory,
            f"{ASSETS} ORDER BY inventory_number LIMIT 26",
        ),
        Case(
            "assets",
            "inventory, last page",
            lambda client: follow(client, inventory, "Last"),
            f"{ASSETS} ORDER BY inventory_number DESC LIMIT 26",
        ),
        Case(
            "assets",
            "inventory by name, last page",
            lambda client: follow(client, inventory + "?sort=name", "Last"),
            f"{ASSETS} ORDER BY name DESC, id DESC LIMIT 26",
        ),
        Case(
            "assets",
            "inventory, search",
            inventory + f"?q={WORD}",
            f"{ASSETS} AND (inventory_number ILIKE %s OR name ILIKE %s OR serial_number "
            "ILIKE %s) ORDER BY inventory_number LIMIT 26",
            (f"%{WORD}%",) * 3,
            budget_ms=SEARCH_BUDGET_MS,
        ),
        Case(
            "assets",
            "rights: the systems",
            reverse("assets:system-list"),
            "SELECT id, name, main_user_id FROM assets_informationsystem ORDER BY name LIMIT 26",
        ),
        Case(
            "assets",
            "quotes, first page",
            quotes,
            "SELECT id, subject, kind, deadline, created, chosen_id FROM assets_quoterequest "
            "ORDER BY created DESC, id DESC LIMIT 26",
        ),
        Case(
            "assets",
            "quotes, last page",
            lambda client: follow(client, quotes, "Last"),
            "SELECT id, subject, kind, deadline, created, chosen_id FROM assets_quoterequest "
            "ORDER BY created, id LIMIT 26",
        ),
    ]
