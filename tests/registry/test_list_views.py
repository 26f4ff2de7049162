"""The staff document list (registry:document-list) and its CSV export
(registry:document-export): search, filters, sorting, paging, queries, and who sees what."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from registry import services
from registry.models import Direction, Document, DocumentType
from tests.factories import PartyFactory, SeriesFactory
from tests.registry.conftest import last_working_day

pytestmark = pytest.mark.django_db

LIST = "registry:document-list"
EXPORT = "registry:document-export"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def other_clerk(make_user):
    """A clerk who neither registered nor is responsible for the restricted document."""
    return make_user(roles.CLERK, username="other-clerk")


@pytest.fixture
def restricted(make_document, basis):
    return make_document(title="Terviseandmed: salajane kiri", restriction_basis=basis)


def numbers_on(response) -> list[str]:
    return [document.number for document in response.context["documents"]]


def list_of(client, user, **params):
    client.force_login(user)
    return client.get(reverse(LIST), params)


def export_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def overdue_document(make_document, **kwargs):
    """A letter received 30 days ago whose deadline passed 10 days ago."""
    today = timezone.localdate()
    received = today - timedelta(days=30)
    return make_document(
        received_on=received, deadline=today - timedelta(days=10), title="Vastamata kiri", **kwargs
    )


# --- Access -------------------------------------------------------------------------------------


def test_the_list_opens_for_a_clerk(client, clerk, make_document):
    document = make_document()
    response = list_of(client, clerk)

    assert response.status_code == 200
    assert document.number in response.text
    assert reverse("registry:document-detail", args=[document.pk]) in response.text


def test_the_list_is_refused_to_a_user_without_the_register(client, administrator):
    assert list_of(client, administrator).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(LIST))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Columns ------------------------------------------------------------------------------------


def test_a_row_shows_date_type_title_sender_responsible_and_status(
    client, clerk, advisor, make_document, organisation
):
    document = make_document(responsible=advisor, title="Küsimus ühistranspordi kohta")
    html = list_of(client, clerk).text

    assert document.registered_on.strftime("%d.%m.%Y") in html
    assert "Letter" in html
    assert "Küsimus ühistranspordi kohta" in html
    assert organisation.name in html
    assert advisor.get_full_name() in html
    assert "Open" in html


def test_an_overdue_deadline_says_overdue_in_words(client, clerk, make_document):
    document = overdue_document(make_document)
    html = list_of(client, clerk).text

    assert document.deadline.strftime("%d.%m.%Y") in html
    assert "deadline-overdue" in html
    assert ">overdue<" in html


def test_a_restricted_document_has_the_ak_badge(client, advisor, restricted, make_document):
    make_document(title="Avalik kiri")
    html = list_of(client, advisor).text

    assert html.count("restriction-badge") == 1
    assert ">AK<" in html


# --- Who sees what ------------------------------------------------------------------------------


def test_a_restricted_document_is_absent_for_a_clerk_who_may_not_see_it(
    client, other_clerk, restricted, make_document
):
    public = make_document(title="Avalik kiri")
    response = list_of(client, other_clerk)

    assert numbers_on(response) == [public.number]
    assert restricted.title not in response.text
    assert response.context["page"].count == 1


def test_a_restricted_document_is_present_for_an_advisor(client, advisor, restricted):
    assert numbers_on(list_of(client, advisor)) == [restricted.number]


def test_a_restricted_document_is_present_for_its_registrar_and_its_responsible_person(
    client, clerk, other_clerk, make_document, basis
):
    document = make_document(restriction_basis=basis, responsible=other_clerk)
    assert numbers_on(list_of(client, clerk)) == [document.number]
    assert numbers_on(list_of(client, other_clerk)) == [document.number]


def test_searching_does_not_reveal_a_restricted_document(client, other_clerk, restricted):
    response = list_of(client, other_clerk, q="salajane")
    assert numbers_on(response) == []
    response = list_of(client, other_clerk, q=restricted.number)
    assert numbers_on(response) == []


# --- Search -------------------------------------------------------------------------------------


def test_search_finds_a_word_of_the_title(client, clerk, make_document):
    wanted = make_document(title="Teabenõue bussiliinide kohta")
    make_document(title="Arve märtsi eest")

    assert numbers_on(list_of(client, clerk, q="bussiliinide")) == [wanted.number]
    assert numbers_on(list_of(client, clerk, q="bussi")) == [wanted.number]  # word prefix


def test_search_finds_by_number_prefix(client, clerk, make_document):
    other_series = SeriesFactory(code="7-3")
    wanted = make_document(series=other_series)
    make_document()

    assert numbers_on(list_of(client, clerk, q="7-3/")) == [wanted.number]
    assert numbers_on(list_of(client, clerk, q=wanted.number)) == [wanted.number]


def test_search_ignores_accents(client, clerk, make_document, private_person):
    wanted = make_document(sender=private_person, title="Pöördumine")
    make_document(title="Muu kiri")

    assert numbers_on(list_of(client, clerk, q="ounapuu")) == [wanted.number]
    assert numbers_on(list_of(client, clerk, q="Õunapuu")) == [wanted.number]


def test_a_search_without_matches_says_so(client, clerk, make_document):
    make_document()
    response = list_of(client, clerk, q="olematu")
    assert numbers_on(response) == []
    assert "No documents match the search and filters." in response.text


# --- Filters ------------------------------------------------------------------------------------


def test_filter_by_type_series_and_status(client, clerk, make_document):
    other_series = SeriesFactory(code="4-2")
    request = make_document(doc_type=DocumentType.INFORMATION_REQUEST)
    invoice = make_document(doc_type=DocumentType.INVOICE, series=other_series)
    closed = make_document(title="Suletud")
    services.document_close(actor=clerk, document=closed, reason="Vastatud telefoni teel")

    assert numbers_on(list_of(client, clerk, doc_type="information_request")) == [request.number]
    assert numbers_on(list_of(client, clerk, series=other_series.pk)) == [invoice.number]
    assert numbers_on(list_of(client, clerk, status="closed")) == [closed.number]


def test_filter_by_responsible_person_and_direction(
    client, clerk, advisor, make_document, organisation
):
    mine = make_document(responsible=advisor)
    make_document()
    outgoing = make_document(
        direction=Direction.OUTGOING, sender=None, recipient=organisation, title="Vastus"
    )

    assert numbers_on(list_of(client, clerk, responsible=advisor.pk)) == [mine.number]
    assert numbers_on(list_of(client, clerk, direction="out")) == [outgoing.number]


def test_filter_by_registration_and_deadline_dates(client, clerk, make_document):
    today = timezone.localdate()
    old = make_document(received_on=today - timedelta(days=40), title="Vana")
    new = make_document(deadline=today + timedelta(days=20))

    since = (today - timedelta(days=10)).isoformat()
    until = (today - timedelta(days=30)).isoformat()
    assert numbers_on(list_of(client, clerk, registered_from=since)) == [new.number]
    assert numbers_on(list_of(client, clerk, registered_to=until)) == [old.number]
    response = list_of(
        client,
        clerk,
        deadline_from=(today + timedelta(days=19)).isoformat(),
        deadline_to=(today + timedelta(days=21)).isoformat(),
    )
    assert numbers_on(response) == [new.number]


def test_overdue_only_and_restricted_only(client, advisor, make_document, restricted):
    late = overdue_document(make_document)
    make_document(deadline=timezone.localdate() + timedelta(days=3))

    assert numbers_on(list_of(client, advisor, overdue="on")) == [late.number]
    assert numbers_on(list_of(client, advisor, restricted="on")) == [restricted.number]


def test_a_wrong_filter_value_is_shown_not_a_crash(client, clerk, make_document):
    response = list_of(client, clerk, registered_from="not a date", status="nonsense")
    assert response.status_code == 200
    assert response.context["form"].errors


# --- Sorting and pages --------------------------------------------------------------------------


def test_columns_sort_both_ways_and_unknown_keys_are_ignored(client, clerk, make_document):
    b = make_document(title="Bbb")
    a = make_document(title="Aaa")
    c = make_document(title="Ccc")

    assert numbers_on(list_of(client, clerk, sort="title")) == [a.number, b.number, c.number]
    assert numbers_on(list_of(client, clerk, sort="-title")) == [c.number, b.number, a.number]
    assert numbers_on(list_of(client, clerk, sort="number")) == [b.number, a.number, c.number]
    assert numbers_on(list_of(client, clerk, sort="-number")) == [c.number, a.number, b.number]
    # newest first by default; a key not in the list is the default, never reaches order_by
    assert numbers_on(list_of(client, clerk, sort="registered_by__password")) == [
        c.number,
        a.number,
        b.number,
    ]


def test_documents_without_a_deadline_sort_last(client, clerk, make_document):
    today = timezone.localdate()
    none = make_document(title="Tähtajata")
    soon = make_document(deadline=today + timedelta(days=2))
    later = make_document(deadline=today + timedelta(days=9))

    assert numbers_on(list_of(client, clerk, sort="deadline")) == [
        soon.number,
        later.number,
        none.number,
    ]
    assert numbers_on(list_of(client, clerk, sort="-deadline")) == [
        later.number,
        soon.number,
        none.number,
    ]


def test_the_sorted_column_is_marked_and_links_keep_the_search(client, clerk, make_document):
    make_document()
    html = list_of(client, clerk, q="kiri", sort="title").text
    assert 'aria-sort="ascending"' in html
    assert "?q=kiri&amp;sort=-title" in html


def test_fifty_documents_a_page(client, clerk, make_document):
    for number in range(51):
        make_document(title=f"Kiri {number}")

    first = list_of(client, clerk)
    next_url = first.context["page"].links["next"]
    second = client.get(reverse("registry:document-list") + next_url)
    assert len(numbers_on(first)) == 50
    assert len(numbers_on(second)) == 1
    assert set(numbers_on(first)).isdisjoint(numbers_on(second))
    assert "51 documents" in first.text
    assert 'rel="next"' in first.text
    assert 'rel="next"' not in second.text


def test_the_count_is_capped(client, clerk, make_document, monkeypatch):
    from core import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    for number in range(5):
        make_document(title=f"Kiri {number}")
    response = list_of(client, clerk)
    assert response.context["page"].capped
    assert "Over 3 documents" in response.text


def _varied_documents(make_document, advisor, basis, private_person, count):
    today = timezone.localdate()
    for number in range(count):
        make_document(
            title=f"Kiri number {number}",
            responsible=advisor if number % 2 else None,
            restriction_basis=basis if number % 3 == 0 else None,
            sender=private_person if number % 4 == 0 else PartyFactory(),
            deadline=today + timedelta(days=number % 7),
        )


@pytest.mark.parametrize("params", [{}, {"q": "kiri", "sort": "deadline", "overdue": ""}])
def test_the_list_runs_as_many_queries_for_40_rows_as_for_1(
    client, clerk, advisor, make_document, basis, private_person, params
):
    client.force_login(clerk)
    _varied_documents(make_document, advisor, basis, private_person, 1)
    client.get(reverse(LIST), params)  # warm up caches (content types, sessions)
    with CaptureQueriesContext(connection) as one_row:
        response = client.get(reverse(LIST), params)
    assert len(numbers_on(response)) == 1

    _varied_documents(make_document, advisor, basis, private_person, 39)
    with CaptureQueriesContext(connection) as many_rows:
        response = client.get(reverse(LIST), params)
    assert len(numbers_on(response)) == 40
    assert len(many_rows) == len(one_row), [q["sql"][:120] for q in many_rows]


def test_the_list_stays_within_a_small_number_of_queries(
    client, clerk, make_document, django_assert_max_num_queries
):
    make_document()
    client.force_login(clerk)
    client.get(reverse(LIST))
    # session, user, 2 × permissions, count, series and people of the filters, the page's rows;
    # saving the session (3 with its savepoint).
    with django_assert_max_num_queries(11):
        client.get(reverse(LIST))


# --- CSV export ---------------------------------------------------------------------------------


def test_the_export_is_semicolon_separated_utf8_with_a_bom(
    client, clerk, advisor, make_document, private_person
):
    document = make_document(title="Õunaaia rent; lisa", sender=private_person, responsible=advisor)
    client.force_login(clerk)
    response = client.get(reverse(EXPORT))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="documents-')
    rows = export_rows(response)
    assert rows[0][:6] == ["Number", "Registered on", "Direction", "Type", "Channel", "Title"]
    assert rows[1][0] == document.number
    assert rows[1][1] == document.registered_on.strftime("%d.%m.%Y")
    assert rows[1][5] == "Õunaaia rent; lisa"
    assert rows[1][6] == "Mari-Liis Õunapuu"
    assert rows[1][9] == advisor.get_full_name()


def test_the_export_follows_the_filters_of_the_list(client, clerk, make_document):
    wanted = make_document(title="Bussiliinid")
    make_document(title="Arve")
    client.force_login(clerk)
    rows = export_rows(client.get(reverse(EXPORT), {"q": "bussiliinid"}))

    assert [row[0] for row in rows[1:]] == [wanted.number]


def test_the_export_leaves_out_what_the_user_may_not_see(
    client, other_clerk, advisor, restricted, make_document
):
    public = make_document(title="Avalik kiri")
    client.force_login(other_clerk)
    rows = export_rows(client.get(reverse(EXPORT)))
    assert [row[0] for row in rows[1:]] == [public.number]

    client.force_login(advisor)
    rows = export_rows(client.get(reverse(EXPORT), {"sort": "number"}))
    assert [row[0] for row in rows[1:]] == [restricted.number, public.number]
    assert rows[1][13] == str(restricted.restriction_basis)


def test_the_export_defuses_spreadsheet_formulas(client, clerk, make_document):
    make_document(title='=HYPERLINK("http://example.com","klikka")')
    client.force_login(clerk)
    rows = export_rows(client.get(reverse(EXPORT)))
    assert rows[1][5].startswith("'=")


def test_the_export_stops_at_its_row_limit(client, clerk, make_document, monkeypatch):
    from registry.views import documents

    monkeypatch.setattr(documents, "EXPORT_MAX_ROWS", 2)
    for number in range(3):
        make_document(title=f"Kiri {number}")
    client.force_login(clerk)
    assert len(export_rows(client.get(reverse(EXPORT)))) == 3  # header + 2


def test_the_export_needs_its_permission(client, processor, make_document):
    client.force_login(processor)
    assert client.get(reverse(EXPORT)).status_code == 403
    assert "Export CSV" not in client.get(reverse(LIST)).text


def test_anonymous_export_is_sent_to_sign_in(client):
    response = client.get(reverse(EXPORT))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_received_on_a_day_off_lists_under_the_next_working_day(client, clerk, make_document):
    from core import calendar

    day = last_working_day() - timedelta(days=1)
    while calendar.is_working_day(day):
        day -= timedelta(days=1)
    document = make_document(received_on=day)
    response = list_of(client, clerk)
    assert document.registered_on == calendar.next_working_day(day)
    assert document.registered_on.strftime("%d.%m.%Y") in response.text
    assert Document.objects.count() == 1


def test_the_list_shows_the_documents_nobody_holds(client, clerk, make_document):
    mine = make_document(title="Minu kiri", responsible=clerk)
    nobody = make_document(title="Vastutajata kiri")
    client.force_login(clerk)
    response = client.get(reverse("registry:document-list") + "?responsible=none")
    numbers = [document.number for document in response.context["page"].rows]
    assert numbers == [nobody.number]
    assert mine.number not in numbers
