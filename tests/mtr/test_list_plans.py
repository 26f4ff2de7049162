"""Every offered order of the processors' queue and of the staff register of entries, alone and
with the lists' main filters, is one range of one index (no Sort in EXPLAIN when sorting is made
prohibitively expensive); a deep page (?after=) bounds its scan with an Index Cond; the public
search for a rare business name reads the matching businesses first; the staff search by a name
counts its entries from the business index alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mtr.filters import APPLICATION_ORDERS, ENTRY_ORDERS, may_start_number
from mtr.models import Application, Business, Entry
from tests.mtr.conftest import registry_code
from tests.plans import analyze, assert_index_order, page_sql, plan

pytestmark = pytest.mark.django_db

QUEUE = reverse("mtr:application-list")
ENTRIES = reverse("mtr:entry-list")
STATUSES = [status.value for status in Application.Status]


@pytest.fixture
def boss(client):
    user = get_user_model().objects.create_superuser("plans", "plans@example.ee", "x")
    client.force_login(user)
    return user


@pytest.fixture
def businesses(db):
    return Business.objects.bulk_create(
        Business(registry_code=registry_code(500 + n), name=f"Ettevõte {n} OÜ") for n in range(60)
    )


@pytest.fixture
def queue(licence_area, businesses, boss, make_user):
    """60 applications in every status, some without a deadline, a few held by each of six
    processors."""
    now = timezone.now()
    people = [boss, *(make_user(username=f"processor{n}") for n in range(5))]
    Application.objects.bulk_create(
        Application(
            type=Application.Type.NEW,
            area=licence_area,
            business=business,
            business_name=business.name,
            registry_code=business.registry_code,
            address="Rüütli 25, Pärnu",
            contact_person="Kristjan Õunapuu",
            email="info@example.ee",
            status=STATUSES[n % len(STATUSES)],
            submitted_at=now - timedelta(hours=n),
            deadline=None if n % 7 == 0 else date(2026, 12, 1) + timedelta(days=n % 20),
            assignee=people[n % 6] if n % 4 else None,
        )
        for n, business in enumerate(businesses)
    )
    analyze(Application)


@pytest.fixture
def register(licence_area, businesses):
    Entry.objects.bulk_create(
        Entry(
            number=f"KTO{n:06d}",
            business=business,
            area=licence_area,
            kind=licence_area.kind,
            status=[Entry.Status.VALID, Entry.Status.SUSPENDED, Entry.Status.INVALID][n % 3],
            valid_from=date(2026, 1, 1),
        )
        for n, business in enumerate(businesses)
    )
    analyze(Entry, Business)


def queue_sql(client, query: str = "") -> str:
    return page_sql(client, QUEUE + query, table="mtr_application")


def entries_sql(client, query: str = "") -> str:
    return page_sql(client, ENTRIES + query, table="mtr_entry")


# --- The queue ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", sorted(APPLICATION_ORDERS))
@pytest.mark.parametrize("status", ["", "all", "granted"])
def test_every_order_of_the_queue_is_served_by_an_index(client, queue, sort, status):
    assert_index_order(queue_sql(client, f"?sort={sort}&status={status}"))


def test_the_open_queue_in_its_default_order_reads_its_partial_index(client, queue):
    assert_index_order(queue_sql(client), index="mtr_app_open_deadline")


@pytest.mark.parametrize("assignee", ["{pk}", "mine"])
def test_the_open_queue_of_a_processor_is_a_range_of_their_index(client, queue, boss, assignee):
    query = "?assignee=" + assignee.format(pk=boss.pk)
    text = assert_index_order(queue_sql(client, query), index="mtr_app_open_assignee")
    assert "Index Cond" in text, text


def test_the_open_queue_nobody_holds_stays_on_an_index(client, queue):
    assert_index_order(queue_sql(client, "?assignee=none"))


def test_a_status_keeps_the_default_order_on_an_index(client, queue):
    text = assert_index_order(queue_sql(client, "?status=granted"))
    assert "Index Cond" in text, text


@pytest.mark.parametrize("sort", sorted(APPLICATION_ORDERS))
def test_a_deep_page_of_the_queue_is_a_range_of_the_same_index(client, queue, sort):
    first = client.get(QUEUE + f"?sort={sort}&status=all")
    next_url = first.context["page"].links["next"]
    assert "after=" in (next_url or "")
    text = assert_index_order(queue_sql(client, next_url))
    assert "Index Cond" in text, text  # the cursor bounds the scan, rows are not skipped


# --- The register of entries ----------------------------------------------------------------------


@pytest.mark.parametrize("sort", sorted(ENTRY_ORDERS))
def test_every_order_of_the_entries_is_served_by_an_index(client, register, boss, sort):
    assert_index_order(entries_sql(client, f"?sort={sort}"))


@pytest.mark.parametrize("filter_", ["status=valid", "area={area}"])
def test_the_entries_filtered_stay_on_an_index(client, register, boss, licence_area, filter_):
    text = assert_index_order(entries_sql(client, "?" + filter_.format(area=licence_area.pk)))
    assert "Index Cond" in text, text


def test_a_deep_page_of_the_entries_is_a_range_of_the_index(client, register, boss):
    next_url = client.get(ENTRIES).context["page"].links["next"]
    assert "after=" in (next_url or "")
    text = assert_index_order(entries_sql(client, next_url))
    assert "Index Cond" in text, text


def test_the_public_search_for_a_rare_name_reads_the_matching_businesses_first(
    client, licence_area
):
    """A name few businesses have is looked up among the businesses, and only their entries are
    read (never a walk of the register in number order past every other entry). On a generated
    volume (50,000 businesses) the businesses are found through mtr_business_name_trgm; a table
    of this test's size is cheaper to read whole."""
    names = [f"Ettevõte {n} OÜ" for n in range(2999)] + ["Haruldane Nimi OÜ"]
    businesses = Business.objects.bulk_create(
        Business(registry_code=registry_code(1000 + n), name=name) for n, name in enumerate(names)
    )
    Entry.objects.bulk_create(
        Entry(
            number=f"KTO{n:06d}",
            business=business,
            area=licence_area,
            kind=licence_area.kind,
            status=Entry.Status.VALID,
            valid_from=date(2026, 1, 1),
        )
        for n, business in enumerate(businesses)
    )
    analyze(Entry, Business)
    sql = page_sql(client, reverse("mtr:public-entries") + "?name=haruldane", table="mtr_entry")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond: (business_id = mtr_business.id)" in text, text
    assert "mtr_entry_number_key" not in text, text


@pytest.mark.parametrize(
    ("text", "may"),
    [("kto", True), ("KTO0001", True), ("AB000123", True), ("12345678", True), ("Kütus", False)],
)
def test_only_a_text_that_can_start_an_entry_number_searches_the_numbers(text, may):
    assert may_start_number(text) is may
    assert not may_start_number("KTO0000000001")  # longer than a number
    assert not may_start_number("Mere Hotell")


def test_the_count_of_a_name_search_reads_the_business_index_alone(client, register, boss):
    """A name's businesses are one array (``= ANY``), and a word that cannot start an entry
    number does not ask for one: the count is a range of the entries' business index (an
    index-only scan on a vacuumed table), not a bitmap of it or'ed with the numbers' index that
    then reads every matching entry (issue 16)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ENTRIES + "?q=ettevõte")
    assert len(response.context["entries"]) == 25
    (count,) = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    assert '"mtr_entry"."business_id" = ANY(' in count, count
    assert '"mtr_entry"."number"' not in count, count
    text = plan(count)
    assert "Index Cond: (business_id = ANY" in text, text
    assert "BitmapOr" not in text, text
