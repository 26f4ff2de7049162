"""core.listing: keyset pages walk the whole list forwards and backwards without gaps or
overlaps, in every offered order, reach the end at once (?last=1), jump to a date or letters,
ignore cursors they did not make, and cap the count. Exercised through the document list, the
first list built on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import listing, roles
from core.listing import Listing, Order, decode_cursor, encode_cursor
from registry.filters import ORDERS
from registry.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def small_pages(monkeypatch):
    from registry.views import documents

    monkeypatch.setattr(documents, "PAGE_SIZE", 4)


@pytest.fixture
def many(make_document):
    titles = ["Avaldus", "Arve", "Kiri", "Leping", "Märgukiri", "Pöördumine", "Teabenõue"]
    made = []
    soon = timezone.localdate() + timedelta(days=40)  # after registration on any test day
    for number in range(23):
        made.append(
            make_document(
                title=f"{titles[number % len(titles)]} {number:02d}",
                deadline=soon + timedelta(days=number % 5) if number % 3 else None,
            )
        )
    return made


def url(query: str = "") -> str:
    return reverse("registry:document-list") + query


def numbers(response) -> list[str]:
    return [document.number for document in response.context["page"].rows]


def walk(client, start: str, link: str) -> list[str]:
    """Every number met following ``link`` (next/previous) from ``start``."""
    seen, query = [], start
    for _ in range(50):
        response = client.get(url(query))
        assert response.status_code == 200
        seen.append(numbers(response))
        query = response.context["page"].links[link]
        if not query:
            return seen
    raise AssertionError("the pager never ended")


@pytest.mark.parametrize("sort", sorted(ORDERS))
def test_pages_cover_the_list_once_both_ways(client, make_user, many, small_pages, sort):
    advisor = make_user(roles.ADVISOR, username="advisor-walk")
    client.force_login(advisor)
    forwards = walk(client, f"?sort={sort}", "next")
    flat = [number for page in forwards for number in page]
    assert len(flat) == len(set(flat)) == 23
    assert all(len(page) == 4 for page in forwards[:-1])

    last = client.get(url(f"?sort={sort}&last=1"))
    assert numbers(last) == flat[-4:]
    assert last.context["page"].links["next"] is None
    backwards = walk(client, f"?sort={sort}&last=1", "previous")
    # Back at the start the first page is served whole (it may repeat a row or three).
    assert backwards[-1] == forwards[0]
    met = [n for page in reversed(backwards) for n in page]
    assert list(dict.fromkeys(met)) == flat


def test_the_order_is_the_one_asked_for(client, make_user, many, small_pages):
    advisor = make_user(roles.ADVISOR, username="advisor-order")
    client.force_login(advisor)
    flat = [n for page in walk(client, "?sort=title", "next") for n in page]
    by_title = list(Document.objects.order_by("title", "id").values_list("number", flat=True))
    assert flat == by_title
    flat = [n for page in walk(client, "?sort=deadline", "next") for n in page]
    with_deadline = Document.objects.exclude(deadline=None).order_by("deadline", "id")
    without = Document.objects.filter(deadline=None).order_by("id")
    assert flat == [d.number for d in with_deadline] + [d.number for d in without]


def test_previous_from_the_second_page_is_the_first_page(client, clerk, many, small_pages):
    client.force_login(clerk)
    first = client.get(url())
    second = client.get(url(first.context["page"].links["next"]))
    back = client.get(url(second.context["page"].links["previous"]))
    assert numbers(back) == numbers(first)
    assert back.context["page"].links["previous"] is None  # the start is known again


def test_a_jump_to_a_date_starts_the_page_there(client, clerk, make_document, small_pages):
    old = make_document(title="Vana kiri")
    Document.objects.filter(pk=old.pk).update(registered_on=date(2020, 3, 2))
    newer = make_document(title="Uuem kiri")
    Document.objects.filter(pk=newer.pk).update(registered_on=date(2021, 5, 5))
    client.force_login(clerk)
    response = client.get(url("?from=01.01.2021"))  # newest first: from that day backwards
    assert numbers(response) == [old.number]
    response = client.get(url("?sort=registered&from=2021-01-01"))
    assert numbers(response)[0] == newer.number
    assert 'name="from"' in response.text


def test_a_jump_by_letters_in_title_order(client, clerk, many, small_pages):
    client.force_login(clerk)
    response = client.get(url("?sort=title&from=M"))
    assert response.context["page"].rows[0].title.startswith("Märgukiri")


@pytest.mark.parametrize(
    "query",
    [
        "?after=garbage!!",
        "?before=AAAA",
        "?after=" + encode_cursor(["x", "y", 3]),
        "?from=tomorrow",
        "?after=" + "A" * 5000,
        "?page=10000",
        "?sort=-title&before=" + encode_cursor([None, None]),
    ],
)
def test_a_cursor_we_did_not_make_starts_at_the_beginning(client, clerk, many, query):
    client.force_login(clerk)
    response = client.get(url(query))
    assert response.status_code == 200
    assert len(response.context["page"].rows) == 23 or response.context["page"].rows


def test_cursors_round_trip():
    values = [date(2026, 1, 2), "Õunapuu", 7]
    assert decode_cursor(encode_cursor(values)) == ["2026-01-02", "Õunapuu", 7]
    assert decode_cursor("") is None
    assert decode_cursor("bm90IGpzb24") is None  # base64 of "not json"


def test_the_count_is_capped(client, clerk, many, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 10)
    client.force_login(clerk)
    page = client.get(url()).context["page"]
    assert (page.count, page.capped) == (10, True)


def test_a_nullable_column_must_be_coalesced(clerk):
    request = RequestFactory().get("/")
    request.user = clerk
    broken = Listing(
        request, Document.objects.all(), orders={"d": Order(("deadline",))}, default="d"
    )
    with pytest.raises(ImproperlyConfigured):
        broken.page  # noqa: B018


def test_mixed_directions_page_correctly(clerk, many):
    """An order whose columns go different ways is paged with an OR chain, not a row value."""
    orders = {"mixed": Order(("-registered_on", "title"))}
    factory = RequestFactory()
    seen, query = [], ""
    for _ in range(20):
        request = factory.get("/" + query)
        request.user = clerk
        page = Listing(
            request, Document.objects.all(), orders=orders, default="mixed", per_page=5
        ).page
        seen += [document.pk for document in page.rows]
        query = page.links["next"]
        if not query:
            break
    expected = list(
        Document.objects.order_by("-registered_on", "title", "id").values_list("pk", flat=True)
    )
    assert seen == expected


def test_links_keep_the_filters_and_drop_old_cursors(client, clerk, many, small_pages):
    client.force_login(clerk)
    first = client.get(url("?doc_type=letter&sort=title"))
    next_link = first.context["page"].links["next"]
    assert "doc_type=letter" in next_link
    assert "sort=title" in next_link
    second = client.get(url(next_link))
    assert second.context["page"].links["next"].count("after=") == 1
