"""The public document register in headless Chromium: a visitor with no account finds a document
by a word of its title using only the keyboard, opens it and downloads its public file; the pages
have no serious accessibility violations and show nothing of a restricted document."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfWriter

from core import roles
from registry import services
from registry.models import Channel, DocumentType
from tests.factories import (
    PartyFactory,
    PrivatePersonFactory,
    RestrictionBasisFactory,
    SeriesFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORMAL_TITLE = "Teeremondi kava Pärnu maanteel"
NORMAL_FILE = "teeremondi-kava.pdf"
RESTRICTED_TITLE = "Salajane terviseandmete ekspertiis"
PRIVATE_NAME = "Mari-Liis Õunapuu"


def pdf(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def documents(make_user):
    from django.utils import timezone

    from core import calendar

    clerk = make_user(roles.CLERK, username="clerk")
    series = SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")
    organisation = PartyFactory(name="OÜ Põhjarannik")
    day = timezone.localdate()
    while not calendar.is_working_day(day):
        day = day.fromordinal(day.toordinal() - 1)

    def register(**kwargs):
        defaults = {
            "actor": clerk,
            "series": series,
            "doc_type": DocumentType.LETTER,
            "channel": Channel.POST,
            "received_on": day,
            "sender": organisation,
            "restriction_basis": None,
        }
        return services.document_register(**{**defaults, **kwargs})

    for index in range(4):
        register(title=f"Kiri teenuse kohta nr {index}", sender=PartyFactory())
    restricted = register(
        title=RESTRICTED_TITLE,
        restriction_basis=RestrictionBasisFactory(),
        files=[pdf("ekspertiis.pdf")],
        public_files=True,
    )
    private = register(
        title="Taotlus kalmistu hoolduseks",
        sender=PrivatePersonFactory(name=PRIVATE_NAME),
        doc_type=DocumentType.APPLICATION,
    )
    normal = register(title=NORMAL_TITLE, files=[pdf(NORMAL_FILE)], public_files=True)
    return {"normal": normal, "restricted": restricted, "private": private}


def press_tab_until_focused(page, locator, limit=60):
    """Tab (only the keyboard) until ``locator`` has the focus; fails after ``limit`` presses."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab did not reach {locator}")


def list_url(live_server) -> str:
    return f"{live_server.url}{reverse('registry:public-list')}"


def test_visitor_finds_opens_and_downloads_with_the_keyboard_only(
    page, live_server, documents, screenshot, console_errors
):
    normal = documents["normal"]
    page.goto(list_url(live_server))
    expect(page.locator("h1")).to_be_visible()

    press_tab_until_focused(page, page.locator("#id_q"))
    page.keyboard.type("teeremondi")
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/?*q=teeremondi*")
    rows = page.locator("table.public-register tbody tr")
    expect(rows).to_have_count(1)
    screenshot("public-register-search")

    result = rows.first.get_by_role("link", name=normal.number)
    press_tab_until_focused(page, result)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('registry:public-detail', args=[normal.public_code])}")
    expect(page.locator("h1")).to_have_text(NORMAL_TITLE)
    screenshot("public-register-detail")

    file_link = page.get_by_role("link", name=NORMAL_FILE)
    press_tab_until_focused(page, file_link)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == NORMAL_FILE
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"
    assert console_errors == []


def test_list_shows_restricted_and_private_documents_masked(page, live_server, documents):
    page.goto(list_url(live_server))

    body = page.locator("body").inner_text()
    assert documents["restricted"].number in body
    assert RESTRICTED_TITLE not in body
    assert "Salajane" not in page.content()
    assert PRIVATE_NAME not in page.content()


def test_list_page_has_no_serious_accessibility_violations(
    page, live_server, documents, serious_axe_violations, screenshot
):
    page.goto(list_url(live_server))

    assert serious_axe_violations() == []
    screenshot("public-register-list")


def test_invalid_search_page_has_no_serious_accessibility_violations(
    page, live_server, documents, serious_axe_violations, screenshot
):
    page.goto(f"{list_url(live_server)}?date_from=2026-05-10&date_to=2026-05-01")

    expect(page.locator(".invalid-feedback, .is-invalid").first).to_be_visible()
    assert serious_axe_violations() == []
    screenshot("public-register-invalid")


@pytest.mark.parametrize("which", ["normal", "restricted", "private"])
def test_detail_pages_have_no_serious_accessibility_violations(
    page, live_server, documents, serious_axe_violations, screenshot, which
):
    document = documents[which]
    page.goto(f"{live_server.url}{reverse('registry:public-detail', args=[document.public_code])}")

    assert serious_axe_violations() == []
    assert "Salajane" not in page.content()
    assert PRIVATE_NAME not in page.content()
    screenshot(f"public-register-detail-{which}")


def test_register_in_english_and_on_a_phone(page, live_server, documents, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(list_url(live_server))
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Private person").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scroll
    screenshot("public-register-phone-en")


def test_sign_in_page_leads_to_the_register(page, live_server):
    page.goto(f"{live_server.url}{reverse('login')}")
    page.locator("main").get_by_role("link", name="Avalik dokumendiregister").click()

    page.wait_for_url(list_url(live_server))
    expect(page.locator("h1")).to_have_text("Avalik dokumendiregister")
