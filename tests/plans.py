"""EXPLAIN helpers for the list-plan tests of the apps (tests/<app>/test_list_plans.py), as in
tests/registry/test_list_plans.py: a list page's row query is run through EXPLAIN with sorting,
sequential and bitmap scans made prohibitively expensive, so a plan without a Sort node is one
that an index serves in the page's order. Incremental sorts are turned off too: on a test's tiny
tables the planner likes to finish a one-column index's order by sorting. No wall-clock time is
asserted."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_sql(client, url: str, *, table: str, per_page: int = 25) -> str:
    """The SQL of the query that fetched the rows of ``table``'s list on the page at ``url``
    (``… ORDER BY … LIMIT per_page + 1``)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    limit = re.compile(rf"LIMIT {per_page + 1}\b")
    pages = [
        query["sql"]
        for query in captured.captured_queries
        if limit.search(query["sql"]) and f'FROM "{table}"' in query["sql"]
    ]
    assert len(pages) == 1, [query["sql"][:160] for query in captured.captured_queries]
    return pages[0]


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def assert_index_order(sql: str, *, index: str | None = None) -> str:
    """The plan of ``sql`` reads an index in the page's order (no Sort), ``index`` if given."""
    text = plan(sql)
    assert not re.search(r"(^|\s)(Incremental )?Sort\b", text), text
    assert "Index Scan" in text or "Index Only Scan" in text, text
    if index:
        assert index in text, text
    return text


def analyze(*models) -> None:
    """Give the planner the statistics of the test's rows (as autovacuum would in production),
    so that it weighs the indexes by what they hold."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
