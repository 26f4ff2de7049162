"""core.listing's count_later, through the document list: a search is served without its count
(which would cost more than the page on a million documents), the page asks for it with htmx,
and without JavaScript its link serves the whole list counted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import roles
from core.listing import Listing
from registry.filters import DEFAULT_SORT, ORDERS
from registry.models import Document

pytestmark = pytest.mark.django_db

LIST = reverse("registry:document-list")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def found(make_document):
    for number in range(3):
        make_document(title=f"Õunapuu istutamise kiri {number}")
    make_document(title="Muu teema")


def _counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]


def test_a_search_is_served_without_counting_and_asks_for_its_count(client, clerk, found):
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"q": "õunapuu"})
    assert response.status_code == 200
    assert not _counts(queries)
    page = response.context["page"]
    assert page.count is None
    assert len(page.rows) == 3
    assert f'hx-get="{page.count_url}"' in response.text.replace("&amp;", "&")
    assert "count=1" in page.count_url
    assert "q=%C3%B5unapuu" in page.count_url


def test_the_count_request_answers_the_sentence_counted(client, clerk, found):
    client.force_login(clerk)
    url = client.get(LIST, {"q": "õunapuu"}).context["page"].count_url
    response = client.get(LIST + url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="document-count"' in response.text
    assert "3 documents" in " ".join(response.text.split())


def test_without_javascript_the_link_serves_the_list_counted(client, clerk, found):
    client.force_login(clerk)
    url = client.get(LIST, {"q": "õunapuu"}).context["page"].count_url
    response = client.get(LIST + url)
    assert response.context["page"].count == 3
    assert "3 documents" in " ".join(response.text.split())
    assert len(response.context["page"].rows) == 3


def test_the_count_request_counts_only_what_the_user_may_see(
    client, make_user, make_document, basis
):
    make_document(title="Õunapuu avalik")
    make_document(title="Õunapuu salajane", restriction_basis=basis)
    other_clerk = make_user(roles.CLERK, username="clerk-count")  # not its registrar nor holder
    client.force_login(other_clerk)
    url = client.get(LIST, {"q": "õunapuu"}).context["page"].count_url
    text = " ".join(client.get(LIST + url, headers={"HX-Request": "true"}).text.split())
    assert "1 document" in text
    assert "2 documents" not in text


def test_a_list_without_a_search_is_counted_at_once(client, clerk, found):
    client.force_login(clerk)
    response = client.get(LIST)
    assert response.context["page"].count == 4
    assert not response.context["page"].count_url


def test_the_estimate_is_the_planners(make_document):
    for number in range(5):
        make_document(title=f"Kiri {number}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_document")
    request = RequestFactory().get(LIST)
    listing = Listing(
        request, Document.objects.all(), orders=ORDERS, default=DEFAULT_SORT, count_later=True
    )
    assert listing._estimate() == 5
