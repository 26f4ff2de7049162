"""The stocktaking pages (assets/views/stocktaking*.py): starting one for a room or the agency,
marking rows (again, and in the wrong place), the phone's scan page by a label's code or URL or
an inventory number, closing with its effect on the assets, and the report as PDF and CSV.

Each view: the asset manager may do everything, the head sees, a clerk gets 403, an anonymous
visitor the sign-in page.
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assets import services
from assets.forms.stocktaking import asset_for_code
from assets.models import Asset, Stocktaking, StocktakingItem
from core import roles

pytestmark = pytest.mark.django_db

Result = StocktakingItem.Result
LIST = reverse("assets:stocktaking-list")
SCAN_ANY = reverse("assets:stocktaking-scan")


def url(name: str, stocktaking, query: str = "") -> str:
    address = reverse(f"assets:{name}", args=[stocktaking.pk])
    return f"{address}?{query}" if query else address


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, manager):
    english.force_login(manager)
    return english


@pytest.fixture
def other_room(db):
    return services.location_get("Suur-Ameerika 1, 204")


@pytest.fixture
def laptop(make_asset):
    return make_asset(name="Sülearvuti Lenovo ThinkPad T14")


@pytest.fixture
def monitor(make_asset):
    return make_asset(name="Monitor Dell P2422H")


@pytest.fixture
def chair(make_asset, other_room):
    return make_asset(name="Tool Kinnarps", location=other_room)


@pytest.fixture
def stocktaking(manager, room, laptop, monitor, chair):
    return services.stocktaking_start(actor=manager, title="Inventuur 2026", location=room)


def item_of(stocktaking, asset) -> StocktakingItem:
    return StocktakingItem.objects.get(stocktaking=stocktaking, asset=asset)


# --- Permissions --------------------------------------------------------------------------------


def pages(stocktaking) -> list[tuple[str, str]]:
    return [
        ("get", LIST),
        ("get", url("stocktaking-detail", stocktaking)),
        ("get", url("stocktaking-pdf", stocktaking)),
        ("get", url("stocktaking-csv", stocktaking)),
        ("get", url("stocktaking-scan", stocktaking)),
        ("get", SCAN_ANY),
        ("post", LIST),
        ("post", url("stocktaking-mark", stocktaking)),
        ("post", url("stocktaking-scan", stocktaking)),
        ("post", url("stocktaking-close", stocktaking)),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, stocktaking):
    for method, address in pages(stocktaking):
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response.url.startswith(reverse("login")), address


def test_a_clerk_is_refused_everything(client, make_user, stocktaking):
    client.force_login(make_user(roles.CLERK))
    for method, address in pages(stocktaking):
        assert getattr(client, method)(address).status_code == 403, (method, address)


def test_the_head_sees_but_does_not_mark_start_or_close(client, head, stocktaking, laptop):
    client.force_login(head)
    for name in ("stocktaking-detail", "stocktaking-pdf", "stocktaking-csv"):
        assert client.get(url(name, stocktaking)).status_code == 200, name
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["form"] is None
    assert client.post(LIST, {"title": "Minu oma"}).status_code == 403
    assert client.get(url("stocktaking-scan", stocktaking)).status_code == 403
    marked = client.post(
        url("stocktaking-mark", stocktaking), {"asset": laptop.pk, "result": "found"}
    )
    assert marked.status_code == 403
    assert client.post(url("stocktaking-close", stocktaking)).status_code == 403
    assert item_of(stocktaking, laptop).result == Result.UNCHECKED
    detail = client.get(url("stocktaking-detail", stocktaking))
    assert 'name="result" value="found"' not in detail.text


def test_the_mark_and_close_views_take_only_posts(signed_in, stocktaking):
    assert signed_in.get(url("stocktaking-mark", stocktaking)).status_code == 405
    assert signed_in.get(url("stocktaking-close", stocktaking)).status_code == 405


# --- Starting -----------------------------------------------------------------------------------


def test_a_stocktaking_for_a_room_lists_the_assets_there(signed_in, room, laptop, monitor, chair):
    response = signed_in.post(LIST, {"title": "Ruum 101", "location": room.pk})
    stocktaking = Stocktaking.objects.get()
    assert response.status_code == 302
    assert response.url == url("stocktaking-detail", stocktaking)
    assert stocktaking.location == room
    assert set(stocktaking.items.values_list("asset", flat=True)) == {laptop.pk, monitor.pk}
    page = signed_in.get(response.url)
    assert "The stocktaking started: 2 assets to check." in message_texts(page)
    assert laptop.inventory_number in page.text
    assert chair.inventory_number not in page.text


def test_a_stocktaking_of_the_whole_agency_lists_every_asset_in_use(
    signed_in, manager, laptop, monitor, chair, make_asset
):
    gone = make_asset(name="Vana printer")
    Asset.objects.filter(pk=gone.pk).update(state=Asset.State.DISPOSED)
    response = signed_in.post(LIST, {"title": "Aastainventuur", "location": ""})
    stocktaking = Stocktaking.objects.get()
    assert response.status_code == 302
    assert stocktaking.location is None
    assert set(stocktaking.items.values_list("asset", flat=True)) == {
        laptop.pk,
        monitor.pk,
        chair.pk,
    }
    listing = signed_in.get(LIST)
    assert "Aastainventuur" in listing.text
    assert "The whole agency" in listing.text


def test_a_stocktaking_needs_a_title(signed_in, laptop):
    response = signed_in.post(LIST, {"title": "  ", "location": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Stocktaking.objects.exists()


def test_the_list_runs_the_same_queries_with_many_stocktakings(
    signed_in, manager, room, laptop, django_assert_max_num_queries
):
    services.stocktaking_start(actor=manager, title="Esimene", location=room)
    with django_assert_max_num_queries(12) as first:
        signed_in.get(LIST)
    for number in range(30):
        services.stocktaking_start(actor=manager, title=f"Inventuur {number}", location=room)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = signed_in.get(LIST)
    assert response.status_code == 200


# --- The stocktaking's page and marking its rows -------------------------------------------------


def test_the_page_shows_the_counts_and_filters_the_rows(signed_in, manager, stocktaking, laptop):
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=laptop, result="missing"
    )
    response = signed_in.get(url("stocktaking-detail", stocktaking))
    assert response.context["summary"][Result.MISSING] == 1
    assert response.context["summary"][Result.UNCHECKED] == 1
    missing = signed_in.get(url("stocktaking-detail", stocktaking, "result=missing"))
    assert [row.asset for row in missing.context["rows"]] == [laptop]
    unchecked = signed_in.get(url("stocktaking-detail", stocktaking, "result=unchecked"))
    assert laptop not in [row.asset for row in unchecked.context["rows"]]
    differences = signed_in.get(url("stocktaking-detail", stocktaking, "result=differences"))
    assert [row.asset for row in differences.context["rows"]] == [laptop]


def test_the_page_runs_the_same_queries_with_many_rows(
    signed_in, manager, room, make_asset, django_assert_max_num_queries
):
    make_asset(name="Esimene")
    few = services.stocktaking_start(actor=manager, title="Vähe", location=room)
    with django_assert_max_num_queries(14) as first:
        signed_in.get(url("stocktaking-detail", few))
    for number in range(40):
        make_asset(name=f"Tool {number}")
    many = services.stocktaking_start(actor=manager, title="Palju", location=room)
    services.stocktaking_mark(
        actor=manager, stocktaking=many, asset=many.items.first().asset, result="damaged"
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = signed_in.get(url("stocktaking-detail", many))
    assert len(response.context["rows"]) == 25
    assert response.context["page"].count == 41


def test_a_row_is_marked_and_the_page_keeps_its_filter(signed_in, stocktaking, laptop):
    address = url("stocktaking-mark", stocktaking, "result=unchecked&after=abc&page=1")
    response = signed_in.post(address, {"asset": laptop.pk, "result": "found"})
    assert response.status_code == 302
    assert response.url == url("stocktaking-detail", stocktaking, "result=unchecked&after=abc") + (
        f"#row-{laptop.pk}"
    )
    item = item_of(stocktaking, laptop)
    assert item.result == Result.FOUND
    page = signed_in.get(response.url)
    assert f"{laptop.inventory_number} marked found. 1 asset is not checked yet." in (
        message_texts(page)
    )


def test_marking_again_changes_the_answer(signed_in, stocktaking, laptop):
    signed_in.post(url("stocktaking-mark", stocktaking), {"asset": laptop.pk, "result": "missing"})
    signed_in.post(url("stocktaking-mark", stocktaking), {"asset": laptop.pk, "result": "damaged"})
    assert item_of(stocktaking, laptop).result == Result.DAMAGED
    assert stocktaking.items.filter(asset=laptop).count() == 1


def test_an_asset_found_elsewhere_is_in_the_wrong_place(signed_in, stocktaking, laptop, other_room):
    response = signed_in.post(
        url("stocktaking-mark", stocktaking),
        {"asset": laptop.pk, "result": "found", "found_location": other_room.pk},
    )
    item = item_of(stocktaking, laptop)
    assert (item.result, item.found_location) == (Result.WRONG_LOCATION, other_room)
    page = signed_in.get(response.url)
    assert any(
        "in the wrong place: found at Suur-Ameerika 1, 204" in m for m in message_texts(page)
    )


def test_the_wrong_place_needs_the_place_where_it_was_found(signed_in, stocktaking, laptop, room):
    response = signed_in.post(
        url("stocktaking-mark", stocktaking), {"asset": laptop.pk, "result": "wrong_location"}
    )
    assert response.status_code == 200
    assert response.context["bound"]["form"].errors["found_location"] == [
        "Choose where it was found."
    ]
    assert 'aria-invalid="true"' in response.text
    same = signed_in.post(
        url("stocktaking-mark", stocktaking),
        {"asset": laptop.pk, "result": "wrong_location", "found_location": room.pk},
    )
    assert "mark it found instead" in same.text
    assert item_of(stocktaking, laptop).result == Result.UNCHECKED


def test_a_closed_stocktaking_cannot_be_marked(signed_in, manager, stocktaking, laptop):
    services.stocktaking_close(actor=manager, stocktaking=stocktaking)
    response = signed_in.post(
        url("stocktaking-mark", stocktaking), {"asset": laptop.pk, "result": "found"}, follow=True
    )
    assert "The stocktaking is closed: nothing can be marked." in message_texts(response)
    assert item_of(stocktaking, laptop).result == Result.UNCHECKED
    assert 'name="result"' not in response.text


# --- Closing ------------------------------------------------------------------------------------


def test_closing_says_what_changes_and_updates_the_assets(
    signed_in, manager, stocktaking, laptop, monitor, make_asset, room, other_room
):
    stool = make_asset(name="Taburet")
    services.stocktaking_mark(actor=manager, stocktaking=stocktaking, asset=stool, result="found")
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=laptop, result="missing"
    )
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=monitor, result="damaged"
    )
    wrong = make_asset(name="Kohvimasin")
    services.stocktaking_mark(
        actor=manager,
        stocktaking=stocktaking,
        asset=wrong,
        result="wrong_location",
        found_location=other_room,
    )
    lost = make_asset(name="Projektor Epson")
    Asset.objects.filter(pk=lost.pk).update(state=Asset.State.MISSING)  # lost last year
    services.stocktaking_mark(actor=manager, stocktaking=stocktaking, asset=lost, result="found")
    page = signed_in.get(url("stocktaking-detail", stocktaking))
    assert "1 missing asset that was found is in use again." in page.text
    assert "1 asset marked missing becomes missing in the inventory." in page.text
    assert "1 damaged asset goes to repair." in page.text
    assert "1 asset found in the wrong place moves to where it was found." in page.text

    response = signed_in.post(url("stocktaking-close", stocktaking), follow=True)
    assert "The stocktaking is closed and the inventory is updated by its results." in (
        message_texts(response)
    )
    stocktaking.refresh_from_db()
    assert stocktaking.status == Stocktaking.Status.CLOSED
    laptop.refresh_from_db()
    monitor.refresh_from_db()
    wrong.refresh_from_db()
    assert laptop.state == Asset.State.MISSING
    assert monitor.state == Asset.State.IN_REPAIR
    assert wrong.location == other_room
    lost.refresh_from_db()
    assert lost.state == Asset.State.IN_USE
    again = signed_in.post(url("stocktaking-close", stocktaking), follow=True)
    assert "The stocktaking is closed already." in message_texts(again)


# --- The report ---------------------------------------------------------------------------------


def test_the_pdf_report_lists_the_differences_first(
    signed_in, manager, stocktaking, laptop, monitor
):
    services.stocktaking_mark(actor=manager, stocktaking=stocktaking, asset=laptop, result="found")
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=monitor, result="missing"
    )
    response = signed_in.get(url("stocktaking-pdf", stocktaking))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Inventuur 2026" in text
    assert text.index(monitor.inventory_number) < text.index(laptop.inventory_number)
    assert "Monitor Dell P2422H" in text
    assert "Sülearvuti Lenovo ThinkPad T14" in text


def test_the_csv_report_holds_every_row_differences_first(
    signed_in, manager, stocktaking, laptop, monitor, other_room
):
    services.stocktaking_mark(actor=manager, stocktaking=stocktaking, asset=laptop, result="found")
    services.stocktaking_mark(
        actor=manager,
        stocktaking=stocktaking,
        asset=monitor,
        result="wrong_location",
        found_location=other_room,
        note="=KOHE",
    )
    response = signed_in.get(url("stocktaking-csv", stocktaking))
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    assert rows[0][:4] == ["Inventory number", "Name", "Expected at", "Result"]
    assert [row[0] for row in rows[1:]] == [monitor.inventory_number, laptop.inventory_number]
    assert rows[1][3:5] == ["in the wrong place", "Suur-Ameerika 1, 204"]
    assert rows[1][7] == "'=KOHE"  # a spreadsheet does not run it


# --- Scanning -----------------------------------------------------------------------------------


def test_a_label_code_shows_the_asset_with_the_result_buttons(signed_in, stocktaking, laptop, room):
    response = signed_in.get(url("stocktaking-scan", stocktaking, f"code={laptop.label_code}"))
    assert response.status_code == 200
    assert response.context["asset"] == laptop
    assert laptop.inventory_number in response.text
    assert "Expected at" in response.text
    assert str(room) in response.text
    assert "Found here" in response.text
    assert 'inputmode="text"' in response.text
    assert "autofocus" in response.text
    assert response.context["scan_form"]["code"].value() in (None, "")


def test_a_labels_url_and_an_inventory_number_find_the_asset(signed_in, stocktaking, laptop):
    label = f"https://kantselei.example.ee/assets/l/{laptop.label_code}/"
    for code in (label, laptop.inventory_number, laptop.inventory_number.lower()):
        response = signed_in.get(url("stocktaking-scan", stocktaking), {"code": code})
        assert response.context["asset"] == laptop, code
    assert asset_for_code(f"/assets/l/{laptop.label_code}") == laptop
    assert asset_for_code(laptop.inventory_number.removeprefix("INV-")) == laptop


def test_an_unknown_code_says_so_and_keeps_what_was_typed(signed_in, stocktaking):
    response = signed_in.get(url("stocktaking-scan", stocktaking), {"code": "INV-1999-9999"})
    assert response.context["asset"] is None
    assert "No asset has this label or inventory number." in response.text
    assert 'value="INV-1999-9999"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_found_here_marks_it_and_comes_back_empty(signed_in, stocktaking, laptop, room):
    response = signed_in.post(
        url("stocktaking-scan", stocktaking),
        {"asset": laptop.pk, "result": "found", "found_location": room.pk},
    )
    assert response.status_code == 302
    assert response.url == url("stocktaking-scan", stocktaking)
    item = item_of(stocktaking, laptop)
    assert (item.result, item.found_location) == (Result.FOUND, room)
    page = signed_in.get(response.url)
    assert f"{laptop.inventory_number} marked found. 1 asset is not checked yet." in (
        message_texts(page)
    )
    assert page.context["asset"] is None
    assert "1 of 2 not checked yet" in page.text


def test_an_asset_from_another_room_found_here_is_added_in_the_wrong_place(
    signed_in, stocktaking, chair, room, other_room
):
    shown = signed_in.get(url("stocktaking-scan", stocktaking), {"code": chair.label_code})
    assert "It is not on this stocktaking's list: marking it adds it." in shown.text
    assert shown.context["mark_form"]["found_location"].value() == room.pk  # "here"
    signed_in.post(
        url("stocktaking-scan", stocktaking),
        {"asset": chair.pk, "result": "found", "found_location": room.pk},
    )
    item = item_of(stocktaking, chair)
    assert (item.result, item.expected_location, item.found_location) == (
        Result.WRONG_LOCATION,
        other_room,
        room,
    )


def test_missing_and_damaged_from_the_scan_page(signed_in, stocktaking, laptop, monitor, room):
    address = url("stocktaking-scan", stocktaking)
    signed_in.post(address, {"asset": laptop.pk, "result": "missing", "found_location": room.pk})
    signed_in.post(address, {"asset": monitor.pk, "result": "damaged", "found_location": room.pk})
    assert item_of(stocktaking, laptop).result == Result.MISSING
    assert item_of(stocktaking, laptop).found_location is None
    assert item_of(stocktaking, monitor).result == Result.DAMAGED


def test_the_wrong_place_on_the_scan_page_needs_a_place(signed_in, stocktaking, laptop):
    response = signed_in.post(
        url("stocktaking-scan", stocktaking),
        {"asset": laptop.pk, "result": "wrong_location", "found_location": ""},
    )
    assert response.status_code == 200
    assert "Choose where it was found." in response.text
    assert response.context["asset"] == laptop
    assert item_of(stocktaking, laptop).result == Result.UNCHECKED


def test_a_closed_stocktakings_scan_page_sends_to_its_page(signed_in, manager, stocktaking):
    services.stocktaking_close(actor=manager, stocktaking=stocktaking)
    response = signed_in.get(url("stocktaking-scan", stocktaking))
    assert response.status_code == 302
    assert response.url == url("stocktaking-detail", stocktaking)


def test_the_scan_page_without_a_stocktaking_opens_the_open_one(signed_in, stocktaking, laptop):
    response = signed_in.get(SCAN_ANY, {"code": laptop.label_code})
    assert response.status_code == 302
    assert response.url == url("stocktaking-scan", stocktaking, f"code={laptop.label_code}")


def test_the_scan_page_without_a_stocktaking_offers_a_choice(signed_in, manager, stocktaking, room):
    other = services.stocktaking_start(actor=manager, title="Teine", location=room)
    response = signed_in.get(SCAN_ANY, {"code": "abc"})
    assert response.status_code == 200
    urls = [choice["url"] for choice in response.context["choices"]]
    assert urls == [
        url("stocktaking-scan", other, "code=abc"),
        url("stocktaking-scan", stocktaking, "code=abc"),
    ]
    chosen = signed_in.get(SCAN_ANY, {"code": "abc", "stocktaking": stocktaking.pk})
    assert chosen.url == url("stocktaking-scan", stocktaking, "code=abc")


def test_the_scan_page_without_an_open_stocktaking_says_so(signed_in):
    response = signed_in.get(SCAN_ANY)
    assert response.status_code == 200
    assert "No stocktaking is in progress." in response.text


def test_the_scan_page_fits_a_phone_without_scripts(signed_in, stocktaking, laptop):
    response = signed_in.get(url("stocktaking-scan", stocktaking, f"code={laptop.label_code}"))
    body = response.text
    assert "<script>" not in body  # no inline script (CSP)
    assert 'method="get"' in body
    assert 'name="code"' in body
    assert body.count('name="result"') == 4


def test_a_second_browser_sees_the_mark(client, make_user, stocktaking, laptop, room):
    """Two people counting together see each other's marks (nothing kept in a session)."""
    first, second = Client(), Client()
    first.force_login(make_user(roles.ASSET_MANAGER, username="esimene"))
    second.force_login(make_user(roles.ASSET_MANAGER, username="teine"))
    first.post(
        url("stocktaking-scan", stocktaking),
        {"asset": laptop.pk, "result": "found", "found_location": room.pk},
    )
    shown = second.get(url("stocktaking-scan", stocktaking), {"code": laptop.label_code})
    assert shown.context["item"].result == Result.FOUND
