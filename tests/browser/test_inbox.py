"""The registration inbox in headless Chromium: open the list, open the first message, register
it with the keyboard alone, land on the next message, and no serious accessibility violations."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core import roles
from core.intake.models import InboundAttachment
from registry.models import Document, InboxItem
from tests.factories import PartyFactory, SeriesFactory
from tests.registry.inbox_helpers import make_item, pdf_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(make_user):
    return make_user(roles.CLERK, username="clerk", first_name="Õie", last_name="Kask")


@pytest.fixture
def inbox_items(db):
    SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")
    PartyFactory(name="OÜ Põhjarannik", code="10000018", email="info@pohjarannik.ee")
    older = make_item(
        subject="Küsimus bussiliini kohta",
        sender_email="jaan.tamm@example.ee",
        sender_name="Jaan Tamm",
        quoted="> Varasem kiri\n> vana tekst",
    )
    older.received_at = timezone.now() - timedelta(hours=1)
    older.save(update_fields=["received_at"])
    newer = make_item(
        subject="Pakkumine pinkide paigaldamiseks",
        sender_email="info@pohjarannik.ee",
        sender_name="Põhjarannik",
        files=(
            ("pakkumine.pdf", pdf_with("Pakkumine")),
            ("hinnad.pdf", pdf_with("Hinnad"), InboundAttachment.Status.QUARANTINED, "too large"),
        ),
    )
    return newer, older


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab did not reach #{element_id}")


def test_a_message_is_registered_with_the_keyboard_and_the_next_one_opens(
    page,
    live_server,
    sign_in,
    clerk,
    inbox_items,
    serious_axe_violations,
    console_errors,
    screenshot,
):
    newer, older = inbox_items
    sign_in(clerk)
    page.goto(f"{live_server.url}{reverse('registry:inbox')}")
    rows = page.locator("table.inbox-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Pakkumine pinkide paigaldamiseks")
    expect(rows.first).to_contain_text("1 karantiinis")  # the browser is Estonian
    assert serious_axe_violations() == []
    screenshot("inbox-list")

    rows.first.locator("a").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#id_doc_type")).to_be_focused()  # the form's first field
    expect(page.locator("#id_title")).to_have_value("Pakkumine pinkide paigaldamiseks")
    expect(page.locator("#id_sender")).to_have_value("OÜ Põhjarannik (10000018)")
    expect(page.locator("#id_channel")).to_have_value("email")
    expect(page.locator("#files")).to_contain_text("too large")
    assert serious_axe_violations() == []
    screenshot("inbox-item")

    tab_to(page, "id_series")
    page.keyboard.type("1-2")
    tab_to(page, "id_title")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    document = Document.objects.get()
    assert re.fullmatch(r"1-2/\d{2}-001", document.number)
    assert [a.name for a in document.attachments.order_by("name")] == [
        "Pakkumine pinkide paigaldamiseks.eml",
        "pakkumine.pdf",
    ]
    newer.refresh_from_db()
    assert newer.status == InboxItem.Status.REGISTERED
    assert page.url == f"{live_server.url}{reverse('registry:inbox-item', args=[older.pk])}"
    success = page.locator(".alert-success")
    expect(success).to_contain_text(document.number)
    expect(success.locator("a")).to_have_attribute(
        "href", reverse("registry:document-detail", args=[document.pk])
    )
    # The next one: an unknown sender, offered as a new one, the quoted text folded.
    expect(page.locator("#id_new_sender-name")).to_have_value("Jaan Tamm")
    expect(page.locator("#id_new_sender-name")).to_be_visible()
    expect(page.locator("#message details")).not_to_have_attribute("open", "")
    assert serious_axe_violations() == []
    screenshot("inbox-next-item")
    assert console_errors == []
