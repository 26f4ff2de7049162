"""The public register of economic activities in headless Chromium: a visitor finds a business by
a part of its name with the keyboard, opens its entry, and the pages have no serious
accessibility violations (also with a search error, in Russian and on a phone)."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.validators import check_digit
from mtr.models import ActivityArea, Business, Entry, Kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def registry_code(n: int) -> str:
    digits = f"1{n:06d}"
    return digits + str(check_digit(digits))


@pytest.fixture
def register(db):
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
    names = [
        ("Pärnu Rannahotell OÜ", lodging, ["Ranna pst 5, 80012 Pärnu", "Supeluse 3, 80012 Pärnu"]),
        ("Kohvik Mustikas MTÜ", catering, ["Rüütli 12, 10130 Tallinn"]),
        ("Tartu Külalistemaja OÜ", lodging, ["Jakobi 4, 51005 Tartu"]),
        ("Võru Õunaaia Toitlustus OÜ", catering, []),
    ]
    entries = []
    for index, (name, area, addresses) in enumerate(names, start=1):
        business = Business.objects.create(
            name=name, registry_code=registry_code(index), email=f"info{index}@example.ee"
        )
        entries.append(
            Entry.objects.create(
                number=f"{area.number_prefix}{index:06d}",
                business=business,
                area=area,
                kind=area.kind,
                addresses=addresses,
                status=Entry.Status.VALID,
                valid_from=date(2026, 3, index),
            )
        )
    return entries


def list_url(live_server) -> str:
    return f"{live_server.url}{reverse('mtr:public-entries')}"


def press_tab_until_focused(page, locator, limit=40):
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab did not reach {locator}")


def test_visitor_finds_a_business_by_part_of_its_name(
    page, live_server, register, serious_axe_violations, screenshot, console_errors
):
    page.goto(list_url(live_server))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("table.public-register tbody tr")).to_have_count(4)

    press_tab_until_focused(page, page.locator("#id_name"))
    page.keyboard.type("rannahot")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mtr/entries/?*name=rannahot*")

    rows = page.locator("table.public-register tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Pärnu Rannahotell OÜ")
    expect(rows.first).to_contain_text("Majutamine")
    expect(rows.first).to_contain_text("Supeluse 3, 80012 Pärnu")
    assert serious_axe_violations() == []
    screenshot("mtr-entries-search")

    press_tab_until_focused(page, rows.first.get_by_role("link", name="HMR000001"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('mtr:public-entry', args=['HMR000001'])}")
    expect(page.locator("h1")).to_have_text("Pärnu Rannahotell OÜ")
    assert "info1@example.ee" not in page.content()
    assert serious_axe_violations() == []
    screenshot("mtr-entries-detail")
    assert console_errors == []


def test_a_search_error_is_shown_next_to_the_field(
    page, live_server, register, serious_axe_violations, screenshot
):
    page.goto(f"{list_url(live_server)}?registry_code=12345")

    field = page.locator("#id_registry_code")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("12345")
    expect(page.locator("table.public-register")).to_have_count(0)
    assert serious_axe_violations() == []
    screenshot("mtr-entries-invalid")


def test_register_in_russian_on_a_phone(
    page, live_server, register, serious_axe_violations, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(list_url(live_server))
    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    table = page.locator("table.public-register")
    expect(table.get_by_text("Общественное питание").first).to_be_visible()
    # Each entry is a block of labelled lines: the register itself never scrolls sideways.
    assert page.evaluate("() => document.querySelector('main').scrollWidth") <= 390
    assert serious_axe_violations() == []
    screenshot("mtr-entries-phone-ru")


def test_search_works_without_javascript(browser, live_server, register):
    context = browser.new_context(java_script_enabled=False, locale="et-EE")
    try:
        page = context.new_page()
        page.goto(list_url(live_server))
        page.locator("#id_area").select_option("toitlustamine")
        page.locator("#id_name").fill("mustikas")
        page.get_by_role("button", name="Otsi").click()
        page.wait_for_url("**/mtr/entries/?*area=toitlustamine*")

        rows = page.locator("table.public-register tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Kohvik Mustikas MTÜ")
    finally:
        context.close()
