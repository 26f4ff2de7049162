"""Registering documents in headless Chromium: with the keyboard alone, the parts of the form
that follow the type and the sender, the sender list filled by htmx, and accessibility."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from registry.models import Document, Party
from tests.factories import PartyFactory, SeriesFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Kiri bussiliinide sõiduplaani kohta"


@pytest.fixture
def clerk(make_user):
    return make_user(roles.CLERK, username="clerk", first_name="Õie", last_name="Kask")


@pytest.fixture
def series(db):
    return SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")


@pytest.fixture
def organisation(db):
    return PartyFactory(name="OÜ Põhjarannik", code="10000018")


def url(live_server, name, *args):
    return f"{live_server.url}{reverse(name, args=args)}"


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str, limit: int = 15) -> None:
    """Tab (keyboard only) until the element has the focus."""
    for _ in range(limit):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab did not reach #{element_id}")


def open_form(page, live_server, sign_in, clerk):
    sign_in(clerk)
    page.goto(url(live_server, "registry:document-register"))
    expect(page.locator("#id_doc_type")).to_be_focused()


def test_a_letter_is_registered_with_the_keyboard_alone_and_found_in_the_list(
    page, live_server, sign_in, clerk, series, organisation, console_errors, screenshot
):
    open_form(page, live_server, sign_in, clerk)

    # Type and channel keep their defaults (letter, post), the date is today.
    page.keyboard.press("Tab")
    expect(page.locator("#id_channel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_received_on")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_series")).to_be_focused()
    page.keyboard.type("1-2")  # a select picks the option its label starts with
    expect(page.locator("#id_series")).to_have_value(str(series.pk))
    page.keyboard.press("Tab")  # the sender radios: "from the list" is chosen
    expect(page.locator("#id_sender_mode_0")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_sender")).to_be_focused()
    page.keyboard.type("OÜ Põhjarannik")
    page.keyboard.press("Tab")
    expect(page.locator("#id_title")).to_be_focused()  # the new-sender fields are hidden
    page.keyboard.type(TITLE)
    screenshot("registry-register-filled")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    document = Document.objects.get()
    assert document.title == TITLE
    assert document.sender == organisation
    assert document.series == series
    assert re.fullmatch(r"1-2/\d{2}-001", document.number)
    assert page.url == url(live_server, "registry:document-detail", document.pk)

    page.goto(url(live_server, "registry:document-list"))
    tab_to(page, "id_q", limit=30)
    page.keyboard.type("sõiduplaani")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("table.document-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(document.number)
    expect(rows.first).to_contain_text(TITLE)
    screenshot("registry-list-search")
    assert console_errors == []


def test_ctrl_enter_registers_and_opens_an_empty_form_keeping_the_choices(
    page, live_server, sign_in, clerk, series, organisation
):
    open_form(page, live_server, sign_in, clerk)
    page.keyboard.type("e-")  # the type select: "e-mail"
    tab_to(page, "id_series")
    page.keyboard.type("1-2")
    tab_to(page, "id_sender")
    page.keyboard.type("OÜ Põhjarannik")
    tab_to(page, "id_title")
    page.keyboard.type("Esimene e-kiri")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")

    document = Document.objects.get()
    expect(page.locator(".alert-success")).to_contain_text(f"{document.number}")
    expect(page.locator("#id_doc_type")).to_have_value("email")
    expect(page.locator("#id_series")).to_have_value(str(series.pk))
    expect(page.locator("#id_title")).to_have_value("")
    expect(page.locator("#id_doc_type")).to_be_focused()


def test_the_form_shows_the_parts_that_apply(page, live_server, sign_in, clerk, series):
    open_form(page, live_server, sign_in, clerk)
    parcel = page.locator("#parcel-fields")
    deadline = page.locator("#id_deadline")
    note = page.locator("#deadline-by-law")

    expect(parcel).to_be_hidden()
    expect(deadline).to_be_visible()
    page.locator("#id_doc_type").select_option("parcel")
    expect(parcel).to_be_visible()
    page.locator("#id_doc_type").select_option("information_request")
    expect(parcel).to_be_hidden()
    expect(deadline).to_be_hidden()
    expect(note).to_contain_text("5")

    expect(page.locator("#id_new_sender-name")).to_be_hidden()
    page.locator("#id_sender_mode_1").check()
    expect(page.locator("#id_new_sender-name")).to_be_visible()
    expect(page.locator("#id_sender")).to_be_hidden()

    page.locator("#id_series").select_option(str(series.pk))
    expect(page.locator("#series-restriction-hint")).to_be_visible()


def test_a_new_private_person_is_registered_and_a_wrong_code_is_shown_next_to_the_field(
    page, live_server, sign_in, clerk, series, screenshot
):
    open_form(page, live_server, sign_in, clerk)
    page.locator("#id_series").select_option(str(series.pk))
    page.locator("#id_sender_mode_1").check()
    page.locator("#id_new_sender-is_private_person_1").check()
    page.locator("#id_new_sender-name").fill("Jüri Õunapuu")
    page.locator("#id_new_sender-code").fill("37605030298")
    page.locator("#id_title").fill("Avaldus")
    with page.expect_navigation():
        page.locator("button[name=register]").click()

    field = page.locator("#id_new_sender-code")
    expect(field).to_have_class(re.compile("is-invalid"))
    expect(field).to_be_focused()
    expect(page.locator("#register-errors")).to_be_visible()
    screenshot("registry-register-errors")
    assert Document.objects.count() == 0
    assert Party.objects.count() == 0

    field.fill("37605030299")
    with page.expect_navigation():
        page.locator("button[name=register]").click()
    assert Document.objects.get().sender.name == "Jüri Õunapuu"


def test_the_sender_list_is_filled_as_the_clerk_types(
    page, live_server, sign_in, clerk, organisation
):
    open_form(page, live_server, sign_in, clerk)
    page.locator("#id_sender").focus()
    page.keyboard.type("põhja")
    option = page.locator("#sender-options option")
    expect(option).to_have_count(1)
    label = option.first.get_attribute("value")
    assert label == "OÜ Põhjarannik (10000018)"

    page.locator("#id_sender").fill("")
    page.keyboard.type(label)
    expect(page.locator("input[name=sender_party]")).to_have_value(str(organisation.pk))


def test_register_and_list_pages_have_no_serious_accessibility_violations(
    page, live_server, sign_in, clerk, series, organisation, serious_axe_violations, screenshot
):
    open_form(page, live_server, sign_in, clerk)
    assert serious_axe_violations() == []
    screenshot("registry-register")

    page.locator("#id_series").select_option(str(series.pk))
    page.locator("#id_sender").fill("OÜ Põhjarannik")
    page.locator("#id_title").fill("Kiri")
    with page.expect_navigation():
        page.locator("button[name=register]").click()

    page.goto(url(live_server, "registry:document-list"))
    page.locator(".list-filters summary").click()
    expect(page.locator("#id_doc_type")).to_be_visible()
    assert serious_axe_violations() == []
    screenshot("registry-list")
