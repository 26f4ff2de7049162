"""Every offered order of the document list, alone and with each common filter, is one range of
one index: EXPLAIN shows no Sort when the planner may not sort (enable_sort = off would make a
sort cost 10^10, so a plan without one is served by an index). Deep pages (?after=) likewise,
and a search finds its hits through the GIN index. No wall-clock time is asserted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from core import roles
from registry.filters import ORDERS
from tests import plans
from tests.plans import assert_index_order

pytestmark = pytest.mark.django_db

LIST = "registry:document-list"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def documents(make_document):
    for number in range(60):
        make_document(title=f"Kiri number {number}")


def page_sql(client, user, query: str) -> str:
    """The SQL of the query that fetched the page's rows (… ORDER BY … LIMIT 51)."""
    client.force_login(user)
    return plans.page_sql(client, reverse(LIST) + query, table="registry_document", per_page=50)


@pytest.mark.parametrize("sort", sorted(ORDERS))
def test_every_order_is_served_by_an_index(client, make_user, documents, sort):
    advisor = make_user(roles.ADVISOR, username="advisor-plan")
    assert_index_order(page_sql(client, advisor, f"?sort={sort}"))


@pytest.mark.parametrize("sort", sorted(ORDERS))
def test_a_deep_page_is_a_range_of_the_same_index(client, make_user, documents, sort):
    advisor = make_user(roles.ADVISOR, username="advisor-deep")
    client.force_login(advisor)
    first = client.get(reverse(LIST) + f"?sort={sort}")
    next_url = first.context["page"].links["next"]
    assert next_url
    assert "after=" in next_url
    text = assert_index_order(page_sql(client, advisor, next_url))
    assert "Index Cond" in text, text  # the cursor bounds the scan, rows are not skipped


@pytest.mark.parametrize(
    "filter_",
    ["series={series}", "doc_type=letter", "status=open", "direction=in", "responsible={user}"],
)
def test_common_filters_keep_the_default_order_on_an_index(
    client, make_user, documents, series, clerk, filter_
):
    advisor = make_user(roles.ADVISOR, username="advisor-filter")
    query = "?" + filter_.format(series=series.pk, user=clerk.pk)
    text = assert_index_order(page_sql(client, advisor, query))
    assert "Index Cond" in text, text


def test_a_clerk_who_may_not_see_restricted_documents_gets_the_same_plan(client, clerk, documents):
    assert_index_order(page_sql(client, clerk, ""))


def test_a_search_finds_its_hits_through_the_full_text_index(client, make_user, documents):
    advisor = make_user(roles.ADVISOR, username="advisor-search")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql = page_sql(client, advisor, "?q=number")
        cursor.execute(f"EXPLAIN {sql}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_document_search_idx" in text, text


def test_few_hits_are_found_first_and_many_by_walking_the_order(
    client, make_user, make_document, monkeypatch
):
    """A rare word (the planner expects fewer hits than FEW_ROWS): its hits first (the matching
    set), then sorted. A common word: the order's index is walked, every few rows being a hit.
    A search is counted after the page, so the planner's estimate chooses: on nine rows it has
    no statistics of words, so here it is as good as an exact count."""
    from core import listing

    advisor = make_user(roles.ADVISOR, username="advisor-hits")
    monkeypatch.setattr(listing, "FEW_ROWS", 3)
    monkeypatch.setattr(listing.Listing, "_estimate", lambda self: self.queryset.count())
    for number in range(8):
        make_document(title=f"Tavaline kiri {number}")
    make_document(title="Haruldane õunapuu")

    rare = page_sql(client, advisor, "?q=õunapuu")
    common = page_sql(client, advisor, "?q=tavaline")
    # The rare word: its hits with their sort values in a fenced subquery, found through the
    # search index (not by walking an order's index), then only they sorted.
    assert "OFFSET 0) AS hits" in rare
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {rare}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_document_search_idx" in text, text
    assert "Subquery Scan" in text or "Sort" in text, text
    assert "registry_doc_registered" not in text, text
    assert "OFFSET 0) AS hits" not in common
    assert_index_order(common)
