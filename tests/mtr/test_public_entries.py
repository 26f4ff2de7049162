"""The public register of economic activities: search by each criterion, only public statuses
(never a pending entry), no private data, pagination with a fixed number of queries, the CSV and
JSON open data of valid entries, rate limits and the three languages."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.validators import check_digit
from mtr.models import ActivityArea, Business, Entry, Kind
from mtr.views import entries as entry_views

pytestmark = pytest.mark.django_db

# Private things of a business or an entry that no public response may hold.
PRIVATE = ["info@rannahotell.example.ee", "+372 5555 1234", "Siseteave", "Peatatud kontrolli"]


def registry_code(n: int) -> str:
    digits = f"1{n:06d}"
    return digits + str(check_digit(digits))


@pytest.fixture
def areas(db):
    lodging = ActivityArea.objects.create(
        code="majutus",
        name_et="Majutamine",
        name_en="Accommodation",
        name_ru="Размещение",
        emtak_code="55101",
        kind=Kind.NOTICE,
        number_prefix="HMR",
    )
    catering = ActivityArea.objects.create(
        code="toitlustamine",
        name_et="Toitlustamine",
        name_en="Catering",
        name_ru="Общественное питание",
        emtak_code="56101",
        kind=Kind.NOTICE,
        number_prefix="TOI",
    )
    return {"lodging": lodging, "catering": catering}


_codes = iter(range(100, 100_000))


@pytest.fixture
def make_entry(areas):
    def make(number, name="Pärnu Rannahotell OÜ", *, area="lodging", **kwargs):
        business, _created = Business.objects.get_or_create(
            name=name,
            defaults={
                "registry_code": kwargs.pop("code", None) or registry_code(next(_codes)),
                "email": "info@rannahotell.example.ee",
                "phone": "+372 5555 1234",
                "address": "Rüütli 25, 80010 Pärnu",
            },
        )
        area = areas[area]
        values = {
            "business": business,
            "area": area,
            "kind": area.kind,
            "addresses": ["Ranna pst 5, 80012 Pärnu"],
            "data": {"rooms": 12, "note": "Siseteave"},
            "status": Entry.Status.VALID,
            "valid_from": date(2026, 3, 2),
        }
        values.update(kwargs)
        return Entry.objects.create(number=number, **values)

    return make


@pytest.fixture
def register(make_entry):
    """A valid, a suspended, an ended and a pending entry, and one more valid in catering."""
    return {
        "valid": make_entry("HMR000001"),
        "catering": make_entry("TOI000001", "Kohvik Mustikas MTÜ", area="catering"),
        "suspended": make_entry(
            "HMR000002",
            "Tartu Külalistemaja OÜ",
            status=Entry.Status.SUSPENDED,
            status_reason="Peatatud kontrolli ajaks",
        ),
        "ended": make_entry(
            "HMR000003",
            "Narva Hostel AS",
            status=Entry.Status.INVALID,
            valid_to=date(2026, 6, 30),
        ),
        "pending": make_entry("HMR000004", "Ootel Majutus OÜ", status=Entry.Status.PENDING),
    }


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def entries_page(client, **params):
    return client.get(reverse("mtr:public-entries"), params)


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def results(response) -> str:
    text = text_of(response)
    start = text.index('<section aria-labelledby="results-heading">')
    return text[start : text.index("</section>", start)]


def listed(response) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', results(response))


def assert_nothing_private(text: str) -> None:
    for secret in PRIVATE:
        assert secret not in text, f"{secret!r} leaked"


# --- The list -----------------------------------------------------------------------------------


def test_list_needs_no_login_and_shows_valid_entries_with_their_public_data(client, register):
    response = entries_page(english(client))

    assert response.status_code == 200
    assert listed(response) == ["HMR000001", "TOI000001"]
    table = results(response)
    valid = register["valid"]
    for text in [
        "Pärnu Rannahotell OÜ",
        valid.business.registry_code,
        "Accommodation",
        "Ranna pst 5, 80012 Pärnu",
        "02.03.2026",
        "Valid",
    ]:
        assert text in table
    assert '<caption class="visually-hidden">' in table
    assert_nothing_private(text_of(response))


def test_the_list_never_shows_a_pending_entry(client, register):
    for params in [{}, {"status": "all"}, {"status": "pending"}, {"name": "Ootel"}]:
        response = entries_page(client, **params)
        assert "HMR000004" not in text_of(response)
        assert "Ootel Majutus" not in text_of(response)
    detail = client.get(reverse("mtr:public-entry", args=["HMR000004"]))
    assert detail.status_code == 404


def test_suspended_and_ended_entries_show_only_when_chosen(client, register):
    assert listed(entries_page(client, status="suspended")) == ["HMR000002"]
    assert listed(entries_page(client, status="invalid")) == ["HMR000003"]
    assert listed(entries_page(client, status="all")) == [
        "HMR000001",
        "HMR000002",
        "HMR000003",
        "TOI000001",
    ]
    ended = results(entries_page(english(client), status="invalid"))
    assert "Ended" in ended
    assert "30.06.2026" in ended
    assert "Peatatud kontrolli" not in text_of(entries_page(client, status="suspended"))


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("rannahotell", ["HMR000001"]),  # any case
        ("HOTELL", ["HMR000001"]),  # part of a word
        ("pärnu ranna", ["HMR000001"]),  # every word must match
        ("pärnu mustikas", []),
        ("mustikas", ["TOI000001"]),
        ("  kohvik   MTÜ ", ["TOI000001"]),
    ],
)
def test_search_by_business_name(client, register, name, found):
    assert listed(entries_page(client, name=name)) == found


def test_search_by_registry_code_is_exact(client, register):
    code = register["catering"].business.registry_code

    assert listed(entries_page(client, registry_code=code)) == ["TOI000001"]
    assert listed(entries_page(client, registry_code=f" {code[:4]} {code[4:]} ")) == ["TOI000001"]
    assert listed(entries_page(client, registry_code=registry_code(99_999))) == []


def test_a_wrong_registry_code_is_an_error_next_to_the_field_and_kept(client, register):
    response = entries_page(english(client), registry_code="1234", name="hotell")

    assert response.status_code == 200
    text = text_of(response)
    assert "it must have 8 digits" in text
    assert 'aria-invalid="true"' in text
    assert 'value="1234"' in text
    assert 'value="hotell"' in text
    assert "Correct the search to see entries" in text
    assert "HMR000001" not in results(response)


def test_search_by_area(client, register, areas):
    assert listed(entries_page(client, area="toitlustamine")) == ["TOI000001"]
    assert listed(entries_page(client, area="majutus")) == ["HMR000001"]
    assert listed(entries_page(client, area="majutus", status="all")) == [
        "HMR000001",
        "HMR000002",
        "HMR000003",
    ]


def test_search_by_entry_number_prefix_in_any_case(client, register):
    assert listed(entries_page(client, number="hmr")) == ["HMR000001"]
    assert listed(entries_page(client, number="toi0")) == ["TOI000001"]
    assert listed(entries_page(client, number="HMR000003", status="all")) == ["HMR000003"]
    assert listed(entries_page(client, number="000001")) == []  # a prefix, not any part


def test_criteria_combine(client, register):
    code = register["valid"].business.registry_code

    assert listed(entries_page(client, name="ranna", registry_code=code, area="majutus")) == [
        "HMR000001"
    ]
    assert listed(entries_page(client, name="ranna", area="toitlustamine")) == []


def test_the_list_is_paginated_in_number_order(client, make_entry):
    for index in range(30, 0, -1):
        make_entry(f"HMR{index:06d}", f"Majutus {index} OÜ")

    first = entries_page(english(client))
    second = client.get(reverse("mtr:public-entries") + first.context["page"].links["next"])

    assert listed(first) == [f"HMR{index:06d}" for index in range(1, 26)]
    assert listed(second) == [f"HMR{index:06d}" for index in range(26, 31)]
    assert "30 entries found" in text_of(first)
    assert 'rel="next"' in text_of(first)


def test_the_list_runs_the_same_number_of_queries_for_3_and_60_entries(
    client, make_entry, django_assert_max_num_queries
):
    for index in range(3):
        make_entry(f"HMR{index:06d}", f"Majutus {index} OÜ")
    with CaptureQueriesContext(connection) as few:
        assert len(listed(entries_page(client, name="majutus", area="majutus"))) == 3
    for index in range(3, 60):
        make_entry(
            f"TOI{index:06d}", f"Majutus {index} OÜ", area=["lodging", "catering"][index % 2]
        )

    with django_assert_max_num_queries(len(few)):
        response = entries_page(client, name="majutus", status="all")
    assert len(listed(response)) == 25
    deep = response.context["page"].links["next"]
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("mtr:public-entries") + deep)


def test_area_names_are_in_the_visitors_language(client, register):
    names = {"et": "Majutamine", "en": "Accommodation", "ru": "Размещение"}
    for language, name in names.items():
        client.cookies["django_language"] = language
        response = entries_page(client)
        text = text_of(response)
        assert f'lang="{language}"' in text
        assert name in results(response)
        assert f'<option value="majutus">{name}</option>' in text
        for other in set(names.values()) - {name}:
            assert other not in text


def test_the_list_is_rate_limited_per_address(client, settings):
    settings.MTR_PUBLIC_PAGE_RATE = "3/d"  # a long window: never crossed during the test

    answers = [entries_page(client).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert entries_page(Client(REMOTE_ADDR="10.0.0.9")).status_code == 200


# --- One entry ----------------------------------------------------------------------------------


def test_an_entry_has_a_public_page(client, register):
    response = english(client).get(reverse("mtr:public-entry", args=["hmr000001"]))

    assert response.status_code == 200
    text = text_of(response)
    assert "Pärnu Rannahotell OÜ" in text
    assert register["valid"].business.registry_code in text
    assert "Accommodation" in text
    assert "55101" in text
    assert "Ranna pst 5, 80012 Pärnu" in text
    assert_nothing_private(text)


def test_an_unknown_entry_is_not_found(client, register):
    assert client.get(reverse("mtr:public-entry", args=["XYZ000001"])).status_code == 404


# --- Open data ----------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    text = text_of(response)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_export_holds_every_valid_entry_and_nothing_else(client, register, make_entry):
    make_entry(
        "HMR000010",
        "Saaremaa Puhkemaja OÜ",
        addresses=["Kuressaare, Lossi 1", "Kuressaare, Tallinna 2"],
    )

    response = client.get(reverse("mtr:public-entries-csv"), {"name": "ranna"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="mtr-entries-{today}.csv"'
    rows = csv_rows(response)
    assert rows[0] == list(entry_views.EXPORT_KEYS)
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert sorted(by_number) == ["HMR000001", "HMR000010", "TOI000001"]  # not only the search
    valid = register["valid"]
    assert by_number["HMR000001"] == {
        "number": "HMR000001",
        "business_name": "Pärnu Rannahotell OÜ",
        "registry_code": valid.business.registry_code,
        "area_code": "majutus",
        "area_name_et": "Majutamine",
        "area_name_en": "Accommodation",
        "area_name_ru": "Размещение",
        "emtak_code": "55101",
        "kind": "notice",
        "addresses": "Ranna pst 5, 80012 Pärnu",
        "valid_from": "2026-03-02",
        "valid_to": "",
        "status": "valid",
    }
    assert by_number["HMR000010"]["addresses"] == "Kuressaare, Lossi 1; Kuressaare, Tallinna 2"
    assert_nothing_private(text_of(client.get(reverse("mtr:public-entries-csv"))))


def test_csv_export_defuses_formulas(client, make_entry):
    make_entry("HMR000001", '=HYPERLINK("http://kuri.example","Klõpsa")')
    make_entry("HMR000002", "@SUM(1+1)", addresses=["+372 aadress", "-1"])

    rows = csv_rows(client.get(reverse("mtr:public-entries-csv")))

    assert rows[1][1] == '\'=HYPERLINK("http://kuri.example","Klõpsa")'
    assert rows[2][1] == "'@SUM(1+1)"
    assert rows[2][9] == "'+372 aadress; -1"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_json_export_holds_every_valid_entry_under_stable_keys(client, register):
    response = client.get(reverse("mtr:public-entries-json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="mtr-entries-{today}.json"'
    document = json.loads(text_of(response))
    assert set(document) == {"generated_at", "entries"}
    age = timezone.now() - datetime.fromisoformat(document["generated_at"])
    assert abs(age) < timedelta(minutes=1)
    assert [item["number"] for item in document["entries"]] == ["HMR000001", "TOI000001"]
    catering = document["entries"][1]
    assert list(catering) == list(entry_views.EXPORT_KEYS)
    assert catering == {
        "number": "TOI000001",
        "business_name": "Kohvik Mustikas MTÜ",
        "registry_code": register["catering"].business.registry_code,
        "area_code": "toitlustamine",
        "area_name_et": "Toitlustamine",
        "area_name_en": "Catering",
        "area_name_ru": "Общественное питание",
        "emtak_code": "56101",
        "kind": "notice",
        "addresses": ["Ranna pst 5, 80012 Pärnu"],
        "valid_from": "2026-03-02",
        "valid_to": None,
        "status": "valid",
    }
    assert_nothing_private(text_of(client.get(reverse("mtr:public-entries-json"))))


def test_json_export_of_an_empty_register_is_valid_json(client, db):
    document = json.loads(text_of(client.get(reverse("mtr:public-entries-json"))))

    assert document["entries"] == []


def test_exports_run_the_same_number_of_queries_for_3_and_60_entries(
    client, make_entry, django_assert_max_num_queries
):
    for index in range(3):
        make_entry(f"HMR{index:06d}", f"Majutus {index} OÜ")
    with CaptureQueriesContext(connection) as few:
        text_of(client.get(reverse("mtr:public-entries-csv")))
    for index in range(3, 60):
        make_entry(f"HMR{index:06d}", f"Majutus {index} OÜ")

    for name in ("mtr:public-entries-csv", "mtr:public-entries-json"):
        with django_assert_max_num_queries(len(few)):
            text = text_of(client.get(reverse(name)))
        assert "HMR000059" in text


def test_the_exports_are_rate_limited_together(client, settings, db):
    settings.MTR_PUBLIC_EXPORT_RATE = "2/d"  # a long window: never crossed during the test

    assert client.get(reverse("mtr:public-entries-csv")).status_code == 200
    assert client.get(reverse("mtr:public-entries-json")).status_code == 200
    assert client.get(reverse("mtr:public-entries-csv")).status_code == 429
    assert client.get(reverse("mtr:public-entries-json")).status_code == 429


def test_the_page_offers_the_open_data(client, db):
    text = text_of(entries_page(english(client)))

    assert reverse("mtr:public-entries-csv") in text
    assert reverse("mtr:public-entries-json") in text
    assert "Download valid entries as CSV" in text
    assert "whatever the search above" in text
