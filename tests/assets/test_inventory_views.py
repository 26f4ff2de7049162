"""The inventory pages (assets/views: inventory, asset, asset_import, handovers): the list with its
filters, totals, CSV export and QR labels, adding and editing, an asset's page with files and
state, the CSV import, the page a label opens, and handover acts confirmed by their receiver.

Each view: the asset manager may do everything, a clerk (no assets permission) gets 403, an
anonymous visitor the sign-in page; a handover's receiver opens and confirms their act.
"""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assets import services
from assets.models import Asset, Category, Handover, Location
from assets.views import inventory as views
from core import roles

pytestmark = pytest.mark.django_db

LIST = reverse("assets:asset-list")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NUMBER = re.compile(r"INV-\d{4}-\d{4}")


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space (line breaks too) as one space."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def numbers_on(response) -> list[str]:
    """The inventory numbers of the list's rows, in order."""
    return re.findall(r'<a href="/assets/\d+/">(INV-[0-9-]+)</a>', response.text)


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, manager):
    english.force_login(manager)
    return english


@pytest.fixture
def mari(make_user):
    """A colleague without any assets permission who receives assets."""
    return make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Õunapuu")


@pytest.fixture
def inventory(make_asset, mari):
    """Four assets of three categories in two rooms with two people, one disposed."""
    attic = services.location_get("Suur-Ameerika 1, 305")
    laptop = make_asset(name="Sülearvuti Dell Latitude", serial_number="DL-7781", price=1200)
    monitor = make_asset(name="Monitor Eizo 24", category=Category.MONITOR, price=Decimal("310.50"))
    chair = make_asset(
        name="Töötool Kinnarps",
        category=Category.FURNITURE,
        location=attic,
        responsible=mari,
        price=450,
    )
    old = make_asset(name="Vana printer HP", category=Category.PRINTER, price=99)
    Asset.objects.filter(pk=old.pk).update(state=Asset.State.DISPOSED)
    return {"laptop": laptop, "monitor": monitor, "chair": chair, "old": old, "attic": attic}


# --- Who may open what --------------------------------------------------------------------------


def _urls(asset, handover) -> list[tuple[str, str]]:
    pk = asset.pk
    return [
        ("get", reverse("assets:asset-list")),
        ("get", reverse("assets:asset-export")),
        ("get", reverse("assets:asset-labels")),
        ("get", reverse("assets:asset-new")),
        ("get", reverse("assets:asset-import")),
        ("get", reverse("assets:asset-import-template")),
        ("get", reverse("assets:asset-detail", args=[pk])),
        ("get", reverse("assets:asset-edit", args=[pk])),
        ("post", reverse("assets:asset-state", args=[pk])),
        ("post", reverse("assets:asset-file-add", args=[pk])),
        ("get", reverse("assets:handover-new", args=[pk])),
        ("get", reverse("assets:handover-detail", args=[handover.pk])),
        ("get", reverse("assets:handover-pdf", args=[handover.pk])),
        ("post", reverse("assets:handover-confirm", args=[handover.pk])),
    ]


@pytest.fixture
def handed(make_asset, manager, head):
    asset = make_asset()
    handover = services.handover_create(actor=manager, asset=asset, to_person=head)
    return asset, handover


def test_anonymous_is_sent_to_sign_in_everywhere(client, handed):
    asset, handover = handed
    urls = _urls(asset, handover) + [("get", reverse("assets:asset-label", args=["x"]))]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_clerk_without_assets_permissions_is_refused_everywhere(client, clerk, handed):
    asset, handover = handed
    client.force_login(clerk)
    for method, url in _urls(asset, handover):
        assert getattr(client, method)(url).status_code == 403, url


def test_the_head_sees_but_does_not_change(client, head, make_asset):
    asset = make_asset()
    client.force_login(head)
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("assets:asset-detail", args=[asset.pk])).status_code == 200
    assert client.get(reverse("assets:asset-new")).status_code == 403
    assert client.get(reverse("assets:asset-edit", args=[asset.pk])).status_code == 403
    assert client.get(reverse("assets:handover-new", args=[asset.pk])).status_code == 403


def test_the_manager_opens_every_page(signed_in, handed):
    asset, handover = handed
    for method, url in _urls(asset, handover):
        if method == "get":
            assert signed_in.get(url).status_code == 200, url


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_what_is_held_and_hides_the_disposed(signed_in, inventory):
    response = signed_in.get(LIST)
    assert numbers_on(response) == [
        inventory[name].inventory_number for name in ("laptop", "monitor", "chair")
    ]
    assert "Töötool Kinnarps" in response.text
    assert "Suur-Ameerika 1, 305" in response.text
    assert "Mari Õunapuu" in response.text


def test_the_disposed_are_shown_when_chosen(signed_in, inventory):
    response = signed_in.get(LIST, {"state": "disposed"})
    assert numbers_on(response) == [inventory["old"].inventory_number]
    assert len(numbers_on(signed_in.get(LIST, {"state": "all"}))) == 4


def test_filters_by_category_location_responsible_and_state(signed_in, inventory, mari):
    by = {
        "category": (Category.MONITOR, "monitor"),
        "location": (inventory["attic"].pk, "chair"),
        "responsible": (mari.pk, "chair"),
    }
    for name, (value, expected) in by.items():
        response = signed_in.get(LIST, {name: value})
        assert numbers_on(response) == [inventory[expected].inventory_number], name
    Asset.objects.filter(pk=inventory["monitor"].pk).update(state=Asset.State.IN_REPAIR)
    response = signed_in.get(LIST, {"state": "in_repair"})
    assert numbers_on(response) == [inventory["monitor"].inventory_number]


def test_search_finds_by_number_name_and_serial_number(signed_in, inventory):
    laptop = inventory["laptop"]
    for text in (laptop.inventory_number, "latitude", "dl-778"):
        assert numbers_on(signed_in.get(LIST, {"q": text})) == [laptop.inventory_number], text
    response = signed_in.get(LIST, {"q": "no such thing"})
    assert numbers_on(response) == []
    assert "No assets match the search and filters." in response.text


def test_totals_count_and_value_by_category_and_state(signed_in, inventory, make_asset):
    make_asset(name="Sülearvuti HP", price=800)
    totals = signed_in.get(LIST).context["totals"]
    assert (totals["count"], totals["value"]) == (4, Decimal("2760.50"))
    computers = next(row for row in totals["rows"] if row["label"] == "Computer")
    assert (computers["count"], computers["value"]) == (2, Decimal("2000.00"))
    response = signed_in.get(LIST, {"state": "all"})
    assert response.context["totals"]["count"] == 5
    assert "2\xa0760,50 €" in signed_in.get(LIST).text


def test_a_list_over_the_count_cap_shows_no_totals_but_says_how_to_get_them(
    signed_in, inventory, monkeypatch
):
    monkeypatch.setattr("core.listing.COUNT_CAP", 2)  # the inventory holds 3

    response = signed_in.get(LIST)

    assert response.context["totals"] is None
    assert 'id="totals-capped"' in response.text
    assert 'id="totals"' not in response.text


def test_the_list_runs_the_same_queries_for_3_and_40_assets(
    signed_in, make_asset, make_user, django_assert_max_num_queries
):
    people = [make_user(username=f"p{n}") for n in range(3)]
    rooms = [services.location_get(f"Maja {n}, {n}") for n in range(3)]

    def add(count):
        for n in range(count):
            make_asset(name=f"Asi {n}", location=rooms[n % 3], responsible=people[n % 3], price=n)

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(LIST, {"q": "Asi"}).status_code == 200
    add(37)
    with django_assert_max_num_queries(len(few)):
        response = signed_in.get(LIST, {"q": "Asi"})
    assert len(numbers_on(response)) == 25
    assert response.context["totals"]["count"] == 40


def test_the_list_pages_by_keyset_in_the_chosen_order(signed_in, make_asset):
    for n in range(30):
        make_asset(name=f"Tool {n:02d}")
    first = signed_in.get(LIST, {"sort": "-name"})
    next_url = first.context["page"].links["next"]
    assert next_url.startswith("?sort=-name&after=")
    second = signed_in.get(LIST + next_url)
    names = [asset.name for asset in [*first.context["assets"], *second.context["assets"]]]
    assert names == [f"Tool {n:02d}" for n in reversed(range(30))]
    assert second.context["page"].links["next"] is None
    assert 'aria-sort="descending"' in first.text
    # An old numbered link gives the first page.
    old = signed_in.get(LIST, {"sort": "-name", "page": "2"})
    assert old.context["assets"] == first.context["assets"]


def test_the_export_follows_the_order_of_the_list(signed_in, make_asset):
    for name in ("Bravo", "Alfa", "Charlie"):
        make_asset(name=name)
    response = signed_in.get(reverse("assets:asset-export"), {"sort": "-name", "after": "x"})
    assert [row[1] for row in csv_rows(response)[1:]] == ["Charlie", "Bravo", "Alfa"]


# --- Export and labels --------------------------------------------------------------------------


def test_the_export_holds_the_filtered_list_in_the_import_columns(signed_in, inventory):
    response = signed_in.get(reverse("assets:asset-export"), {"category": Category.MONITOR})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0] == services.CSV_COLUMNS
    assert [row[0] for row in rows[1:]] == [inventory["monitor"].inventory_number]
    assert rows[1][1:3] == ["Monitor Eizo 24", "monitor"]


def test_an_export_imports_back_the_same_assets(signed_in, manager, inventory):
    response = signed_in.get(reverse("assets:asset-export"))
    content = b"".join(response.streaming_content)
    before = {
        a.inventory_number: (a.name, a.category, a.location_id, a.responsible_id, a.price, a.state)
        for a in Asset.objects.active()
    }
    Asset.objects.active().delete()
    result = services.assets_import_csv(actor=manager, data=content)
    assert result.errors == []
    after = {
        a.inventory_number: (a.name, a.category, a.location_id, a.responsible_id, a.price, a.state)
        for a in Asset.objects.active()
    }
    assert after == before


def test_labels_pdf_holds_the_numbers_of_the_filtered_assets(signed_in, inventory):
    response = signed_in.get(reverse("assets:asset-labels"), {"category": Category.COMPUTER})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert inventory["laptop"].inventory_number in text
    assert inventory["monitor"].inventory_number not in text
    assert "Sülearvuti Dell Latitude" in text


def test_labels_come_in_parts_of_at_most_the_cap(signed_in, inventory, monkeypatch):
    monkeypatch.setattr(views, "LABELS_PER_PDF", 2)
    laptop, monitor, chair = (inventory[n].inventory_number for n in ("laptop", "monitor", "chair"))
    listing = signed_in.get(LIST)
    assert [part["first"] for part in listing.context["label_parts"]] == [1, 3]
    assert "QR labels 1–2" in listing.text

    first = signed_in.get(reverse("assets:asset-labels"))
    text = pdf_text(first.content)
    assert laptop in text
    assert monitor in text
    assert chair not in text
    second = signed_in.get(reverse("assets:asset-labels"), {"part": 2})
    text = pdf_text(second.content)
    assert chair in text
    assert laptop not in text
    shown = message_texts(signed_in.get(LIST))
    assert any("at most 2 labels" in message for message in shown)


def test_no_labels_of_an_empty_list(signed_in):
    response = signed_in.get(reverse("assets:asset-labels"), {"q": "nothing"}, follow=True)
    assert "No assets to print labels of" in response.text


# --- Adding and editing -------------------------------------------------------------------------


def test_an_asset_is_added_with_a_new_place_and_the_next_number(signed_in, manager):
    response = signed_in.post(
        reverse("assets:asset-new"),
        {
            "name": "Dokumendikaamera Ipevo",
            "category": Category.OTHER,
            "serial_number": "IP-1",
            "new_location": "Pärnu mnt 10 , 12",
            "responsible": manager.pk,
            "state": Asset.State.IN_STORAGE,
            "purchase_date": "2024-05-02",
            "price": "1 234,50",
            "warranty_until": "02.05.2026",
        },
    )
    asset = Asset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assets:asset-detail", args=[asset.pk])
    assert asset.inventory_number == "INV-2024-0001"
    assert (str(asset.location), asset.price, asset.state) == (
        "Pärnu mnt 10, 12",
        Decimal("1234.50"),
        Asset.State.IN_STORAGE,
    )
    assert asset.warranty_until == date(2026, 5, 2)


def test_a_wrong_asset_form_keeps_what_was_typed(signed_in, make_asset):
    taken = make_asset()
    response = signed_in.post(
        reverse("assets:asset-new"),
        {
            "inventory_number": taken.inventory_number,
            "name": "",
            "category": Category.PHONE,
            "serial_number": "SN-ÕÄÖÜ",
            "price": "kallis",
            "state": Asset.State.IN_USE,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"inventory_number", "name", "price"}
    assert 'value="SN-ÕÄÖÜ"' in response.text
    assert Asset.objects.count() == 1


def test_an_asset_is_edited_and_the_history_names_the_fields(signed_in, make_asset, room):
    asset = make_asset(price=100)
    url = reverse("assets:asset-edit", args=[asset.pk])
    form = signed_in.get(url).context["form"]
    assert form.initial["location"] == room.pk
    response = signed_in.post(
        url,
        {
            "name": "Sülearvuti Lenovo ThinkPad T14 gen 4",
            "category": Category.COMPUTER,
            "location": room.pk,
            "price": "150",
        },
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.name, asset.price, asset.responsible) == (
        "Sülearvuti Lenovo ThinkPad T14 gen 4",
        Decimal("150"),
        None,
    )
    detail = signed_in.get(reverse("assets:asset-detail", args=[asset.pk]))
    assert "Changed" in detail.text
    assert "name, price (€), responsible person" in detail.text


def test_a_disposed_asset_is_not_edited(signed_in, make_asset):
    asset = make_asset()
    Asset.objects.filter(pk=asset.pk).update(state=Asset.State.DISPOSED)
    response = signed_in.get(reverse("assets:asset-edit", args=[asset.pk]))
    assert response.status_code == 302
    detail = signed_in.get(reverse("assets:asset-detail", args=[asset.pk]))
    assert "Hand over" not in detail.text


# --- One asset ----------------------------------------------------------------------------------


def test_a_file_is_uploaded_and_downloaded(signed_in, make_asset):
    asset = make_asset()
    response = signed_in.post(
        reverse("assets:asset-file-add", args=[asset.pk]),
        {"file-file": SimpleUploadedFile("arve õige.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    stored = asset.files.get()
    detail = signed_in.get(reverse("assets:asset-detail", args=[asset.pk]))
    assert stored.name in detail.text
    download = signed_in.get(reverse("assets:asset-file", args=[asset.pk, stored.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")


def test_a_file_of_a_wrong_kind_is_refused_at_the_field(signed_in, make_asset):
    asset = make_asset()
    response = signed_in.post(
        reverse("assets:asset-file-add", args=[asset.pk]),
        {"file-file": SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert response.context["file_form"].errors["file"]
    assert not asset.files.exists()


def test_the_state_buttons_put_it_in_storage_and_back(signed_in, make_asset):
    asset = make_asset()
    url = reverse("assets:asset-state", args=[asset.pk])
    signed_in.post(url, {"state": "in_storage"})
    asset.refresh_from_db()
    assert asset.state == Asset.State.IN_STORAGE
    response = signed_in.post(url, {"state": "disposed"}, follow=True)
    asset.refresh_from_db()
    assert asset.state == Asset.State.IN_STORAGE
    assert "Choose in use, in storage or in repair." in response.text
    detail = signed_in.get(reverse("assets:asset-detail", args=[asset.pk]))
    assert "In storage" in detail.text
    assert "in use → in storage" in detail.text


def test_the_page_shows_stocktaking_and_links_a_disposal_proposal(signed_in, manager, make_asset):
    asset = make_asset()
    stocktaking = services.stocktaking_start(actor=manager, title="Aastainventuur 2025")
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=asset, result="damaged", note="Ekraan katki"
    )
    response = signed_in.get(reverse("assets:asset-detail", args=[asset.pk]))
    assert "Aastainventuur 2025" in response.text
    assert "Damaged" in response.text
    assert "Ekraan katki" in response.text
    assert f"?asset={asset.pk}" in response.text


# --- CSV import ---------------------------------------------------------------------------------

GOOD_CSV = (
    "name;category;location;responsible;purchase_date;price;state\n"
    "Sülearvuti Dell;computer;Suur-Ameerika 1, 204;andres;14.03.2025;1249,00;in_use\n"
    "Kontoritool;furniture;;;;;in_storage\n"
)


def _import(client, content: str, name="inventar.csv"):
    upload = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("assets:asset-import"), {"file": upload}, follow=True)


def test_a_good_csv_is_imported_with_numbers(signed_in, manager):
    response = _import(signed_in, GOOD_CSV)
    assert "2 assets were imported." in response.text
    dell, chair = Asset.objects.order_by("name").reverse()
    year = timezone.localdate().year
    assert dell.inventory_number == "INV-2025-0001"
    assert NUMBER.fullmatch(chair.inventory_number)
    assert str(year) in chair.inventory_number
    assert (dell.responsible, str(dell.location), dell.price) == (
        manager,
        "Suur-Ameerika 1, 204",
        Decimal("1249.00"),
    )
    assert chair.state == Asset.State.IN_STORAGE


def test_a_bad_csv_lists_the_errors_by_line_and_imports_nothing(signed_in):
    content = GOOD_CSV + ";tool;;nobody;32.13.2025;odav;lost\n"
    response = _import(signed_in, content)
    assert Asset.objects.count() == 0
    errors = response.context["errors"]
    assert {line for line, _message in errors} == {4}
    assert "Nothing was imported: the file has 6 errors." in response.text
    assert '<th scope="row" class="text-end fw-normal">4</th>' in response.text
    assert "Unknown category tool." in response.text


def test_the_template_csv_has_the_columns_and_an_example(signed_in, manager):
    response = signed_in.get(reverse("assets:asset-import-template"))
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == services.CSV_COLUMNS
    assert len(rows) == 2
    assert rows[1][1] == "Sülearvuti Lenovo ThinkPad T14"
    result = services.assets_import_csv(actor=manager, data=content)
    assert (result.created, result.errors) == (1, [])


# --- The label page -----------------------------------------------------------------------------


def test_the_label_page_shows_the_asset_to_the_manager(signed_in, manager, make_asset):
    asset = make_asset(name="Projektor Epson")
    stocktaking = services.stocktaking_start(actor=manager, title="Kevadine inventuur")
    response = signed_in.get(reverse("assets:asset-label", args=[asset.label_code]))
    assert response.status_code == 200
    for text in (asset.inventory_number, "Projektor Epson", "Suur-Ameerika 1, 101", "Andres Mägi"):
        assert text in response.text
    assert "In use" in response.text
    assert "Kevadine inventuur" in response.text
    assert f"code={asset.label_code}" in response.text
    assert response.context["stocktakings"][0]["stocktaking"] == stocktaking


def test_the_label_page_shows_little_to_others(client, mari, make_asset):
    asset = make_asset(name="Projektor Epson")
    client.force_login(mari)
    response = client.get(reverse("assets:asset-label", args=[asset.label_code]))
    assert response.status_code == 200
    assert asset.inventory_number in response.text
    assert "Suur-Ameerika 1, 101" in response.text
    assert "Andres Mägi" not in response.text
    assert reverse("assets:asset-detail", args=[asset.pk]) not in response.text


def test_an_unknown_label_is_not_found(signed_in):
    assert signed_in.get(reverse("assets:asset-label", args=["no-such-code"])).status_code == 404


# --- Handover -----------------------------------------------------------------------------------


def test_handover_to_a_person_confirmed_by_them_shows_in_the_history(
    client, signed_in, mari, make_asset
):
    asset = make_asset()
    room = services.location_get("Suur-Ameerika 1, 207")
    response = signed_in.post(
        reverse("assets:handover-new", args=[asset.pk]),
        {"to_person": mari.pk, "to_location": room.pk, "note": "Koos laadijaga"},
    )
    handover = Handover.objects.get()
    assert response["Location"] == reverse("assets:handover-detail", args=[handover.pk])
    asset.refresh_from_db()
    assert (asset.responsible, asset.location) == (mari, room)
    assert handover.confirmed_at is None

    other = Client()
    other.cookies["django_language"] = "en"
    other.force_login(mari)
    act = other.get(reverse("assets:handover-detail", args=[handover.pk]))
    assert act.status_code == 200
    assert "Confirm that I received it" in act.text
    other.post(reverse("assets:handover-confirm", args=[handover.pk]))
    handover.refresh_from_db()
    assert handover.confirmed_at is not None

    detail = signed_in.get(reverse("assets:asset-detail", args=[asset.pk]))
    assert handover.number in detail.text
    assert "Mari Õunapuu" in detail.text
    assert "confirmed" in detail.text
    assert "Handover confirmed" in detail.text


def test_handover_to_a_new_room_only(signed_in, make_asset):
    asset = make_asset()
    response = signed_in.post(
        reverse("assets:handover-new", args=[asset.pk]), {"new_location": "Tartu mnt 5, 3"}
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert str(handover.to_location) == "Tartu mnt 5, 3"
    assert handover.confirmed_at is not None  # a room confirms nothing


def test_a_handover_to_nobody_is_refused_at_the_field(signed_in, make_asset):
    asset = make_asset()
    response = signed_in.post(reverse("assets:handover-new", args=[asset.pk]), {"note": "x"})
    assert response.context["form"].errors["to_person"] == ["Choose the person or the room."]
    assert not Handover.objects.exists()
    assert not Location.objects.exclude(building="Suur-Ameerika 1").exists()


def test_only_the_receiver_confirms_and_others_are_refused(client, signed_in, handed, make_user):
    asset, handover = handed  # to the head, who may see assets
    response = signed_in.post(reverse("assets:handover-confirm", args=[handover.pk]), follow=True)
    assert "Only the receiver confirms the handover." in response.text
    stranger = make_user(roles.CLERK, username="juhan")
    client.force_login(stranger)
    assert client.get(reverse("assets:handover-detail", args=[handover.pk])).status_code == 403


def test_the_handover_act_pdf(signed_in, manager, mari, make_asset):
    asset = make_asset(name="Töölaud Õie", serial_number="TL-9")
    handover = services.handover_create(actor=manager, asset=asset, to_person=mari)
    response = signed_in.get(reverse("assets:handover-pdf", args=[handover.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (handover.number, asset.inventory_number, "Töölaud Õie", "Mari Õunapuu"):
        assert expected in text
    assert "Andres Mägi" in text  # handed over by the one who held it
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
