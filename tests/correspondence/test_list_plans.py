"""Every list of outgoing mail (letters, letters waiting for a delivery notice, dispatch lists,
letter templates) reads its page in its order straight off one index, alone and with its main
filters: no Sort in EXPLAIN when sorting is made prohibitively expensive, and a deep page
(?after=) bounds its scan with an Index Cond. No wall-clock time is asserted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from correspondence.models import Channel, Dispatch, DispatchList, Letter, LetterTemplate
from tests.plans import analyze, assert_index_order, page_sql

pytestmark = pytest.mark.django_db

ROWS = 60  # more than two pages of 25
LETTERS = reverse("correspondence:letter-list")
TODAY = reverse("correspondence:dispatch-today")
LISTS = reverse("correspondence:dispatch-lists")
TEMPLATES = reverse("correspondence:template-list")


@pytest.fixture
def boss(client):
    user = get_user_model().objects.create_superuser("plans", "plans@example.ee", "x")
    client.force_login(user)
    return user


def next_page(client, url: str, *, page: str = "page") -> str:
    link = client.get(url).context[page].links["next"]
    assert link, url
    assert "after=" in link
    return url.split("?")[0] + link


@pytest.fixture
def letters(make_letter, advisor, organisation):
    """60 letters prepared an hour apart, in every status, a few signed by the advisor; one
    in five with a registered letter sent and not delivered yet."""
    made = [make_letter(subject=f"Kiri {n}") for n in range(ROWS)]
    statuses = [status.value for status in Letter.Status]
    now = timezone.now()
    for n, letter in enumerate(made):
        letter.created = now - timedelta(hours=n)
        letter.status = statuses[n % len(statuses)]
        letter.signer = advisor if n % 10 == 0 else letter.signer
    Letter.objects.bulk_update(made, ["created", "status", "signer"])
    Dispatch.objects.bulk_create(
        Dispatch(
            letter=letter,
            party=organisation,
            name=organisation.name,
            address=organisation.address,
            channel=Channel.REGISTERED,
            status=Dispatch.Status.SENT,
            sent_at=now - timedelta(days=1, minutes=n),
        )
        for n, letter in enumerate(made)
    )
    analyze(Letter, Dispatch)
    return made


# --- Letters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("", "corr_letter_created"),
        ("?status=draft", "corr_letter_status_created"),
        ("?show=to_approve", "corr_letter_status_created"),
        ("?signer={advisor}", "corr_letter_signer_created"),
    ],
)
def test_the_letter_list_and_its_filters_are_served_by_an_index(
    client, boss, letters, advisor, query, index
):
    url = LETTERS + query.format(advisor=advisor.pk)
    text = assert_index_order(page_sql(client, url, table="correspondence_letter"))
    # A status that every sixth letter has may be read off the date index as well (a walk that
    # meets one every few rows); the planner chooses by cost, with the filter's index or not.
    assert index in text or (
        query.startswith(("?status", "?show")) and "corr_letter_created" in text
    ), text
    if index in text and query:
        assert "Index Cond" in text, text


def test_a_deep_page_of_letters_is_a_range_of_the_index(client, boss, letters):
    url = next_page(client, LETTERS)
    text = assert_index_order(page_sql(client, url, table="correspondence_letter"))
    assert "Index Cond" in text, text


def test_a_clerk_who_may_not_see_restricted_documents_gets_the_same_plan(client, clerk, letters):
    client.force_login(clerk)
    assert_index_order(page_sql(client, LETTERS, table="correspondence_letter"))


def test_the_letter_list_pages_by_keyset_and_ignores_old_page_numbers(client, boss, letters):
    first = client.get(LETTERS)
    second = client.get(LETTERS + first.context["page"].links["next"])
    seen = [letter.pk for letter in first.context["letters"]]
    seen += [letter.pk for letter in second.context["letters"]]
    newest = Letter.objects.order_by("-created", "-id").values_list("pk", flat=True)[:50]
    assert seen == list(newest)
    assert list(client.get(LETTERS, {"page": "2"}).context["letters"]) == list(
        first.context["letters"]
    )


# --- Letters waiting for a delivery notice ------------------------------------------------------


def test_the_letters_waiting_for_a_notice_are_served_by_the_partial_index(client, boss, letters):
    text = assert_index_order(
        page_sql(client, TODAY, table="correspondence_dispatch"), index="corr_dispatch_waiting"
    )
    assert "Index Cond" in text, text  # the window of WAITING_DAYS bounds the scan
    url = next_page(client, TODAY, page="waiting")
    assert "waiting_after=" in url
    deep = assert_index_order(page_sql(client, url, table="correspondence_dispatch"))
    assert "Index Cond" in deep, deep


# --- Dispatch lists -----------------------------------------------------------------------------


@pytest.fixture
def dispatch_lists(db):
    DispatchList.objects.bulk_create(
        DispatchList(day=date(2026, 1, 1) + timedelta(days=n)) for n in range(ROWS)
    )
    analyze(DispatchList)


def test_the_dispatch_lists_are_served_by_an_index_at_any_depth(client, boss, dispatch_lists):
    assert_index_order(page_sql(client, LISTS, table="correspondence_dispatchlist"))
    url = next_page(client, LISTS)
    text = assert_index_order(page_sql(client, url, table="correspondence_dispatchlist"))
    assert "Index Cond" in text, text


# --- Letter templates ---------------------------------------------------------------------------


@pytest.fixture
def templates(db):
    LetterTemplate.objects.bulk_create(
        LetterTemplate(
            code=f"mall-{n:02d}", language=language, name=f"Mall {n}", subject="Teema", body="Tekst"
        )
        for n in range(ROWS)
        for language in ("et", "en")
    )
    analyze(LetterTemplate)


def test_the_templates_are_listed_by_code_from_an_index_at_any_depth(client, boss, templates):
    first = client.get(TEMPLATES)
    assert first.context["page"].count == ROWS  # codes, not versions
    assert [group["code"] for group in first.context["groups"]][:2] == ["mall-00", "mall-01"]
    assert_index_order(page_sql(client, TEMPLATES, table="correspondence_lettertemplate"))
    url = next_page(client, TEMPLATES)
    text = assert_index_order(page_sql(client, url, table="correspondence_lettertemplate"))
    assert "Index Cond" in text, text
