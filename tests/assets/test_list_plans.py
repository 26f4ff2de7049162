"""Every list of the assets app (inventory, quotes, systems, people, stocktakings and the rows of
one, disposals) reads its page in its order straight off one index, alone and with its main
filters: no Sort in EXPLAIN when sorting is made prohibitively expensive, and a deep page
(?after=) bounds its scan with an Index Cond. No wall-clock time is asserted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets.models import (
    Asset,
    Category,
    Disposal,
    InformationSystem,
    Location,
    QuoteRequest,
    Stocktaking,
    StocktakingItem,
)
from assets.views.inventory import ORDERS as ASSET_ORDERS
from tests.plans import analyze, assert_index_order, page_sql

pytestmark = pytest.mark.django_db

ROWS = 60  # more than two pages of 25


@pytest.fixture
def boss(client):
    user = get_user_model().objects.create_superuser("plans", "plans@example.ee", "x")
    client.force_login(user)
    return user


@pytest.fixture
def people(boss):
    User = get_user_model()
    return User.objects.bulk_create(
        User(
            username=f"isik{n}",
            first_name="Mari",
            last_name=f"Õunapuu {n % 7}",
            is_active=n % 5 != 0,
        )
        for n in range(ROWS)
    )


@pytest.fixture
def rooms(db):
    return Location.objects.bulk_create(
        Location(building="Rüütli 25", room=str(n)) for n in range(3)
    )


@pytest.fixture
def assets(people, rooms):
    """600 assets; one in 20 has the values the filter tests ask for (a filter that keeps a
    third of the rows is cheaper to apply while reading the list's own index)."""

    def rare(n, value, common):
        return value if n % 20 == 0 else common

    made = Asset.objects.bulk_create(
        Asset(
            inventory_number=f"I-{n:04d}",
            name=f"Töölaud {ROWS - n}",
            category=rare(n, Category.PRINTER, Category.COMPUTER),
            state=rare(n, Asset.State.IN_REPAIR, Asset.State.IN_USE),
            location=rare(n, rooms[2], rooms[n % 2]),
            responsible=rare(n, people[1], people[n % 2 * 2]),
        )
        for n in range(ROWS * 10)
    )
    analyze(Asset)
    return made


def next_page(client, url: str) -> str:
    """The URL of the second page of the list at ``url`` (its "next" link)."""
    link = client.get(url).context["page"].links["next"]
    assert link, url
    assert "after=" in link
    return url.split("?")[0] + link


# --- The inventory ------------------------------------------------------------------------------

ASSETS = reverse("assets:asset-list")


@pytest.mark.parametrize("sort", sorted(ASSET_ORDERS))
def test_every_order_of_the_inventory_is_served_by_an_index(client, boss, assets, sort):
    assert_index_order(page_sql(client, f"{ASSETS}?sort={sort}", table="assets_asset"))


@pytest.mark.parametrize("sort", sorted(ASSET_ORDERS))
def test_a_deep_page_of_the_inventory_is_a_range_of_the_index(client, boss, assets, sort):
    url = next_page(client, f"{ASSETS}?sort={sort}&state=all")
    text = assert_index_order(page_sql(client, url, table="assets_asset"))
    assert "Index Cond" in text, text


@pytest.mark.parametrize("filter_", ["responsible", "location", "state", "category"])
def test_the_inventory_filters_keep_the_default_order_on_an_index(
    client, boss, assets, people, rooms, filter_
):
    value = {
        "responsible": people[1].pk,
        "location": rooms[2].pk,
        "state": Asset.State.IN_REPAIR,
        "category": Category.PRINTER,
    }[filter_]
    text = assert_index_order(
        page_sql(client, f"{ASSETS}?{filter_}={value}", table="assets_asset"),
        index=f"assets_asset_{filter_}_no",
    )
    assert "Index Cond" in text, text


def test_a_search_of_the_inventory_finds_its_hits_by_the_trigram_indexes(client, boss, assets):
    """Number, name and serial number are searched by any part (icontains: UPPER(…) LIKE
    '%…%'): with the table scan made expensive, the hits are found through a trigram index of
    each column, never by reading every asset (100,000 on a generated volume)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(ASSETS + "?q=laud").status_code == 200
    counts = [q["sql"] for q in captured if "COUNT(*)" in q["sql"] and "LIKE" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {counts[0]}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("assets_asset_no_trgm", "assets_asset_name_trgm", "assets_asset_sn_trgm"):
        assert index in text, text


# --- Quotes -------------------------------------------------------------------------------------

QUOTES = reverse("assets:quote-list")


@pytest.fixture
def quote_requests(boss):
    now = timezone.now()
    made = QuoteRequest.objects.bulk_create(
        QuoteRequest(
            subject=f"Toolid {n}",
            kind=QuoteRequest.Kind.GOODS,
            estimated_value=Decimal("1000"),
            deadline=date(2026, 12, 1),
            created_by=boss,
            created=now - timedelta(hours=n),
        )
        for n in range(ROWS)
    )
    analyze(QuoteRequest)
    return made


@pytest.mark.parametrize("state", ["", "open"])
def test_the_quote_list_is_served_by_an_index_at_any_depth(client, quote_requests, state):
    url = f"{QUOTES}?state={state}"
    assert_index_order(page_sql(client, url, table="assets_quoterequest"))
    text = assert_index_order(page_sql(client, next_page(client, url), table="assets_quoterequest"))
    assert "Index Cond" in text, text


# --- Systems and people -------------------------------------------------------------------------

SYSTEMS = reverse("assets:system-list")
PEOPLE = reverse("assets:people")


@pytest.fixture
def systems(people):
    made = InformationSystem.objects.bulk_create(
        InformationSystem(name=f"Süsteem {n:02d}", owner="IT", main_user=people[n % 3])
        for n in range(ROWS)
    )
    analyze(InformationSystem)
    return made


def test_the_systems_are_listed_by_name_from_an_index_at_any_depth(client, boss, systems):
    assert_index_order(page_sql(client, SYSTEMS, table="assets_informationsystem"))
    url = next_page(client, SYSTEMS)
    text = assert_index_order(page_sql(client, url, table="assets_informationsystem"))
    assert "Index Cond" in text, text


@pytest.mark.parametrize("query", ["", "?q=puu", "?holding=1"])
def test_the_people_are_listed_from_an_index(client, boss, people, assets, query):
    analyze(get_user_model())
    assert_index_order(
        page_sql(client, PEOPLE + query, table="core_user"), index="core_user_active_name"
    )


def test_a_deep_page_of_people_is_a_range_of_the_index(client, boss, people):
    analyze(get_user_model())
    text = assert_index_order(page_sql(client, next_page(client, PEOPLE), table="core_user"))
    assert "Index Cond" in text, text


# --- Stocktakings -------------------------------------------------------------------------------

STOCKTAKINGS = reverse("assets:stocktaking-list")


@pytest.fixture
def stocktakings(boss, assets):
    now = timezone.now()
    made = Stocktaking.objects.bulk_create(
        Stocktaking(
            title=f"Inventuur {n}",
            started_by=boss,
            status=Stocktaking.Status.OPEN if n % 4 == 0 else Stocktaking.Status.CLOSED,
            started_at=now - timedelta(days=n),
        )
        for n in range(ROWS)
    )
    results = [result.value for result in StocktakingItem.Result]
    StocktakingItem.objects.bulk_create(
        StocktakingItem(
            stocktaking=stocktaking,
            asset=asset,
            inventory_number=asset.inventory_number,
            result=results[n % len(results)],
        )
        for stocktaking in made[:3]
        for n, asset in enumerate(assets)
    )
    analyze(Stocktaking, StocktakingItem)
    return made


def test_the_stocktakings_are_listed_from_an_index_at_any_depth(client, stocktakings):
    assert_index_order(page_sql(client, STOCKTAKINGS, table="assets_stocktaking"))
    url = next_page(client, STOCKTAKINGS)
    text = assert_index_order(page_sql(client, url, table="assets_stocktaking"))
    assert "Index Cond" in text, text


@pytest.mark.parametrize(
    ("result", "index"),
    [("all", "assets_stocktaking_rows"), ("unchecked", "assets_stocktaking_result")],
)
def test_the_rows_of_a_stocktaking_are_listed_from_an_index(client, stocktakings, result, index):
    url = reverse("assets:stocktaking-detail", args=[stocktakings[1].pk]) + f"?result={result}"
    text = assert_index_order(page_sql(client, url, table="assets_stocktakingitem"), index=index)
    assert "Index Cond" in text, text
    deep = assert_index_order(
        page_sql(client, next_page(client, url), table="assets_stocktakingitem"), index=index
    )
    assert "Index Cond" in deep, deep


# --- Disposals ----------------------------------------------------------------------------------

DISPOSALS = reverse("assets:disposal-list")


@pytest.fixture
def disposals(boss, assets):
    now = timezone.now()
    statuses = [status.value for status in Disposal.Status]
    made = Disposal.objects.bulk_create(
        Disposal(
            asset=asset,
            method=Disposal.Method.WRITE_OFF,
            reason="Vana",
            proposed_by=boss,
            proposed_at=now - timedelta(hours=n),
            status=statuses[n % len(statuses)],
        )
        for n, asset in enumerate(assets[:ROWS])
    )
    analyze(Disposal)
    return made


@pytest.mark.parametrize(
    ("status", "index"),
    [("all", "assets_disposal_urgency"), ("approved", "assets_disposal_status")],
)
def test_the_disposals_are_listed_from_an_index_at_any_depth(client, disposals, status, index):
    url = f"{DISPOSALS}?status={status}"
    assert_index_order(page_sql(client, url, table="assets_disposal"), index=index)
    if status == "all":
        deep = assert_index_order(
            page_sql(client, next_page(client, url), table="assets_disposal"), index=index
        )
        assert "Index Cond" in deep, deep


def test_the_disposals_waiting_for_a_decision_come_first(client, disposals):
    rows = client.get(DISPOSALS).context["page"].rows
    assert [row.status for row in rows[:3]] == ["proposed"] * 3
    times = [row.proposed_at for row in rows if row.status == "proposed"]
    assert times == sorted(times, reverse=True)
