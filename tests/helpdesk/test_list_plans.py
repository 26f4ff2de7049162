"""Every offered order of the support lists (tickets, calls, visits, articles), alone and with
each list's main filter, is one range of one index: EXPLAIN shows no Sort when sorting is made
prohibitively expensive, and a deep page (?after=) bounds its scan with an Index Cond."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from helpdesk.filters import ARTICLE_ORDERS, TICKET_ORDERS, TicketFilter
from helpdesk.models import Article, Call, Category, Ticket, TicketChannel, Visit
from tests.plans import analyze, assert_index_order, page_sql

pytestmark = pytest.mark.django_db

TICKETS = reverse("helpdesk:ticket-list")
CALLS = reverse("helpdesk:call-list")
VISITS = reverse("helpdesk:visit-list")
ARTICLES = reverse("helpdesk:article-list")
STATUSES = [status.value for status in Ticket.Status]


@pytest.fixture
def boss(client):
    user = get_user_model().objects.create_superuser("plans", "plans@example.ee", "x")
    client.force_login(user)
    return user


@pytest.fixture
def tickets(boss, make_user):
    """60 tickets in every status; some answered, some without a target, a few held by each of
    six people."""
    now = timezone.now()
    people = [boss, *(make_user(roles.CLERK, username=f"helper{n}") for n in range(5))]
    Ticket.objects.bulk_create(
        Ticket(
            subject=f"Küsimus {n:02d}",
            channel=TicketChannel.WEB,
            status=STATUSES[n % len(STATUSES)],
            created=now - timedelta(hours=n),
            first_response_due=None if n % 7 == 0 else now + timedelta(hours=n % 11),
            first_responded_at=now if n % 3 == 0 else None,
            resolution_due=None if n % 7 == 0 else now + timedelta(days=n % 5),
            assignee=people[n % 6] if n % 4 else None,
        )
        for n in range(60)
    )
    analyze(Ticket)


@pytest.fixture
def calls(boss, make_user):
    now = timezone.now()
    people = [boss, *(make_user(roles.CLERK, username=f"desk{n}") for n in range(11))]
    Call.objects.bulk_create(
        Call(
            caller=f"Helistaja {n}",
            topic=f"Teema {n}",
            category=Category.OTHER,
            outcome=Call.Outcome.ANSWERED,
            taken_by=people[n // 50],  # each took 50 calls in a row, desk10 the oldest
            at=now - timedelta(minutes=n * 30),
        )
        for n in range(600)
    )
    analyze(Call)


@pytest.fixture
def visits(boss):
    now = timezone.now()
    Visit.objects.bulk_create(
        Visit(
            name=f"Külaline {n}",
            host=boss,
            purpose="Kohtumine",
            badge_number=n + 1,
            arrived_at=now - timedelta(hours=n * 5 + 2),
            departed_at=now - timedelta(hours=n * 5 + 1),
            registered_by=boss,
        )
        for n in range(60)
    )
    analyze(Visit)


@pytest.fixture
def articles(boss):
    categories = [category.value for category in Category]
    Article.objects.bulk_create(
        Article(
            category=categories[n % len(categories)],
            title_et=f"Artikkel {n:02d}",
            body_et="Tekst",
            is_public=bool(n % 2),
        )
        for n in range(60)
    )
    analyze(Article)


def deep(client, url: str) -> str:
    next_url = client.get(url).context["page"].links["next"]
    assert "after=" in (next_url or ""), url
    return next_url


# --- Tickets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", sorted(TICKET_ORDERS))
@pytest.mark.parametrize("status", ["", "all", "open"])
def test_every_order_of_the_tickets_is_served_by_an_index(client, tickets, sort, status):
    query = f"?sort={sort}&status={status}"
    assert_index_order(page_sql(client, TICKETS + query, table="helpdesk_ticket"))


def test_what_is_not_resolved_in_the_queue_order_reads_its_partial_index(client, tickets):
    sql = page_sql(client, TICKETS, table="helpdesk_ticket")
    assert_index_order(sql, index="helpdesk_tkt_open_queue")


def test_a_status_keeps_the_queue_order_on_an_index(client, tickets):
    sql = page_sql(client, TICKETS + "?status=resolved", table="helpdesk_ticket")
    text = assert_index_order(sql)
    assert "Index Cond" in text, text


@pytest.mark.parametrize("assignee", ["{pk}", "mine"])
def test_the_queue_of_an_assignee_is_a_range_of_their_index(client, tickets, assignee):
    helper = get_user_model().objects.get(username="helper1")
    query = "?assignee=" + assignee.format(pk=helper.pk)
    sql = page_sql(client, TICKETS + query, table="helpdesk_ticket")
    text = assert_index_order(sql, index="helpdesk_tkt_open_assignee")
    assert "Index Cond" in text, text


def test_the_queue_nobody_holds_stays_on_an_index(client, tickets):
    assert_index_order(page_sql(client, TICKETS + "?assignee=none", table="helpdesk_ticket"))


@pytest.mark.parametrize("sort", sorted(TICKET_ORDERS))
def test_a_deep_page_of_the_tickets_is_a_range_of_the_same_index(client, tickets, sort):
    next_url = deep(client, TICKETS + f"?sort={sort}&status=all")
    text = assert_index_order(page_sql(client, TICKETS + next_url, table="helpdesk_ticket"))
    assert "Index Cond" in text, text  # the cursor bounds the scan, rows are not skipped


def test_a_deep_page_of_the_default_queue_is_a_range_of_an_index(client, tickets):
    # 60 tickets, 36 not resolved: a second page of 25.
    next_url = deep(client, TICKETS)
    text = assert_index_order(page_sql(client, TICKETS + next_url, table="helpdesk_ticket"))
    assert "Index Cond" in text, text


def test_a_search_of_the_tickets_finds_its_hits_by_the_trigram_indexes(client, tickets):
    """Subject, e-mail and name are searched by any part (icontains: UPPER(…) LIKE '%…%'): with
    the table scan made expensive, the hits are found through a trigram index of each column,
    never by reading every ticket (200,000 on a generated volume)."""
    found = TicketFilter({"status": "all", "q": "mets"}, queryset=Ticket.objects.all()).qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = found.order_by().values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        text = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("helpdesk_tkt_subject_trgm", "helpdesk_tkt_email_trgm", "helpdesk_tkt_name_trgm"):
        assert index in text, text


def test_the_tabs_of_a_search_count_each_status_by_an_index_and_never_all_again(client, tickets):
    """Each tab's count reads its status's rows or the trigram hits, never the table; the total
    is the tabs' sum (core.counts.capped_counts_by), not a count of every hit once more."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TICKETS + "?status=all&q=mets")
    counts = [q["sql"] for q in captured if "COUNT(*)" in q["sql"] and "LIKE" in q["sql"]]
    assert len(counts) == 1
    assert counts[0].count("COUNT(*)") == len(Ticket.Status.values)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {counts[0]}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in text, text
    tabs = {link["key"]: link["count"] for link in response.context["status_links"]}
    assert tabs["all"] == sum(tabs[status] for status in Ticket.Status.values)


# --- Calls and visits -----------------------------------------------------------------------------


def test_the_call_log_is_served_by_an_index(client, calls):
    assert_index_order(page_sql(client, CALLS, table="helpdesk_call"))


def test_the_calls_a_person_took_are_a_range_of_their_index(client, calls):
    taker = get_user_model().objects.get(username="desk10")
    sql = page_sql(client, CALLS + f"?taken_by={taker.pk}", table="helpdesk_call")
    text = assert_index_order(sql, index="helpdesk_call_taker_at")
    assert "Index Cond" in text, text


def test_the_days_of_the_call_log_bound_the_index_scan(client, calls):
    day = timezone.localdate() - timedelta(days=3)
    query = f"?date_from={day:%d.%m.%Y}&date_to={date.today():%d.%m.%Y}"
    text = assert_index_order(page_sql(client, CALLS + query, table="helpdesk_call"))
    assert "Index Cond" in text, text


def test_a_deep_page_of_the_call_log_is_a_range_of_the_index(client, calls):
    next_url = deep(client, CALLS)
    text = assert_index_order(page_sql(client, CALLS + next_url, table="helpdesk_call"))
    assert "Index Cond" in text, text


def test_the_visit_log_reads_its_partial_index(client, visits):
    sql = page_sql(client, VISITS, table="helpdesk_visit")
    assert_index_order(sql, index="helpdesk_visit_log")


def test_the_days_of_the_visit_log_and_a_deep_page_bound_the_index_scan(client, visits):
    day = timezone.localdate() - timedelta(days=3)
    sql = page_sql(client, VISITS + f"?date_from={day:%d.%m.%Y}", table="helpdesk_visit")
    text = assert_index_order(sql, index="helpdesk_visit_log")
    assert "Index Cond" in text, text
    next_url = deep(client, VISITS)
    text = assert_index_order(page_sql(client, VISITS + next_url, table="helpdesk_visit"))
    assert "Index Cond" in text, text


# --- Articles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", sorted(ARTICLE_ORDERS))
def test_every_order_of_the_articles_is_served_by_an_index(client, articles, sort):
    assert_index_order(page_sql(client, ARTICLES + f"?sort={sort}", table="helpdesk_article"))
    next_url = deep(client, ARTICLES + f"?sort={sort}")
    text = assert_index_order(page_sql(client, ARTICLES + next_url, table="helpdesk_article"))
    assert "Index Cond" in text, text


def test_a_category_of_the_articles_is_a_range_of_the_index(client, articles):
    query = f"?category={Category.OTHER.value}"
    text = assert_index_order(page_sql(client, ARTICLES + query, table="helpdesk_article"))
    assert "Index Cond" in text, text
