"""The public pages of user support in headless Chromium: a visitor switches to English, searches
the help, reads an answer, goes on to the contact form, corrects a mistake, looks at similar
answers and sends the question with a screenshot, and sees the reference on the page after
sending. The requester rates the answer from the e-mail's link. Every page on the way has no
serious accessibility violations; the form works with JavaScript off and on a phone."""

import os

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from helpdesk import services
from helpdesk.models import Category, MessageAttachment, Ticket, TicketChannel
from tests.browser.conftest import SCREENSHOT_DIR
from tests.helpdesk.test_public_views import (
    BAD_CODE,
    REGISTRY_CODE,
    make_article,
    make_internal_article,
    png_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "I cannot sign in with Mobile-ID"


@pytest.fixture
def articles(db):
    public = make_article()
    make_article(
        category=Category.TECHNICAL,
        title_et="Leht ei avane",
        title_en="The page does not open",
        body_et="Tühjendage brauseri vahemälu ja proovige uuesti.",
        body_en="Clear the browser's cache and try again.",
    )
    internal = make_internal_article()
    return public, internal


def phone_screenshot(page, name):
    """A screenshot of a page of another browser context than the ``screenshot`` fixture's."""
    if os.environ.get("KANTSELEI_SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def url(live_server, name, *args) -> str:
    return f"{live_server.url}{reverse(f'helpdesk:{name}', args=args)}"


def fill_contact(page, *, registry_code=REGISTRY_CODE):
    page.locator("#id_name").fill("Kati Kask")
    page.locator("#id_email").fill("kati.kask@example.ee")
    page.locator("#id_registry_code").fill(registry_code)
    page.locator("#id_category").select_option("account")
    page.locator("#id_subject").fill(SUBJECT)
    page.locator("#id_message").fill("The app says the session has expired. What can I do?")


def send(page):
    page.locator("form.helpdesk-contact-form button[type=submit]:not([name])").click()


def test_read_the_help_and_send_a_question(
    page, live_server, articles, serious_axe_violations, screenshot, console_errors
):
    public, internal = articles
    page.goto(url(live_server, "public-help"))
    expect(page.locator("html")).to_have_attribute("lang", "et")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Help and answers")
    expect(page.get_by_role("link", name="How to sign in to the e-service")).to_be_visible()
    expect(page.get_by_text("Internal")).to_have_count(0)
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-help")

    # The search finds the public answer and never the internal one.
    page.locator("#id_q").fill("sign in")
    page.locator("#id_q").press("Enter")
    page.wait_for_url("**/help/?q=*")
    expect(page.locator("#results-heading")).to_have_text("1 answer found")
    expect(page.get_by_text("Internal")).to_have_count(0)
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-help-search")

    page.get_by_role("link", name="How to sign in to the e-service").click()
    page.wait_for_url(f"**{reverse('helpdesk:public-article', args=[public.pk])}")
    expect(page.locator("h1")).to_have_text("How to sign in to the e-service")
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-article")

    # An internal article's address is not found.
    assert page.request.get(url(live_server, "public-article", internal.pk)).status == 404

    page.get_by_role("region", name="Did not find the answer?").get_by_role("link").click()
    page.wait_for_url("**/help/contact/?category=account")
    expect(page.locator("#id_category")).to_have_value("account")
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-contact")

    # A mistake first: shown by the field and in the summary, the rest kept.
    fill_contact(page, registry_code=BAD_CODE)
    send(page)
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_registry_code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_subject")).to_have_value(SUBJECT)
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-contact-errors")

    # Similar answers for the subject, without sending.
    page.locator("#id_registry_code").fill(REGISTRY_CODE)
    page.get_by_role("button", name="Show similar answers").click()
    expect(page.locator("#suggestions")).to_be_visible()
    expect(page.locator("#suggestions").get_by_role("link")).to_have_text(
        ["How to sign in to the e-service"]
    )
    expect(page.locator("#id_name")).to_have_value("Kati Kask")
    assert Ticket.objects.count() == 0
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-contact-suggestions")

    page.locator("#id_files").set_input_files(
        files=[{"name": "viga.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    send(page)
    page.wait_for_url(f"**{reverse('helpdesk:public-contact-sent')}")
    ticket = Ticket.objects.get()
    expect(page.locator("#ticket-reference")).to_have_text(ticket.reference)
    expect(page.get_by_text("A confirmation with the reference was sent to")).to_be_visible()
    assert (ticket.language, ticket.channel, ticket.category) == (
        "en",
        TicketChannel.WEB,
        "account",
    )
    assert ticket.registry_code == REGISTRY_CODE
    assert MessageAttachment.objects.get().name == "viga.png"
    assert any(ticket.reference in email.subject for email in mail.outbox)
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-contact-sent")
    assert console_errors == []


def test_the_requester_rates_the_answer(
    page, live_server, make_user, serious_axe_violations, screenshot
):
    specialist = make_user(roles.CLERK, username="mari")
    ticket = services.ticket_create(
        subject="Ei saa e-teenusesse sisse logida",
        body="Mobiil-ID annab vea.",
        channel=TicketChannel.WEB,
        category=Category.ACCOUNT,
        requester_email="kati@example.ee",
    )
    services.ticket_reply(actor=specialist, ticket=ticket, body="Lahendatud.", then="resolve")

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(url(live_server, "public-rate", ticket.feedback_token))
    expect(page.locator("#ticket-reference")).to_have_text(ticket.reference)
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-rate")

    page.get_by_role("button", name="Send the rating").click()  # nothing chosen yet
    expect(page.locator("#error-summary")).to_be_visible()
    page.locator("#error-summary a").click()
    expect(page.locator("#id_rating_0")).to_be_focused()
    assert serious_axe_violations() == []

    page.get_by_role("group", name="How satisfied").get_by_label("4 – good").check()
    page.locator("#id_comment").fill("Kiire ja selge vastus")
    page.locator("form.helpdesk-rate-form button[type=submit]").click()
    expect(page.locator(".helpdesk-rated")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Kiire ja selge vastus")
    assert serious_axe_violations() == []
    screenshot("helpdesk-public-rated")


def test_the_contact_form_works_with_javascript_off_on_a_phone(browser, live_server, articles):
    context = browser.new_context(
        java_script_enabled=False, locale="ru-RU", viewport={"width": 390, "height": 844}
    )
    context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(url(live_server, "public-contact"))
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        fill_contact(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        phone_screenshot(page, "helpdesk-public-contact-phone-ru")
        send(page)
        page.wait_for_url(f"**{reverse('helpdesk:public-contact-sent')}")
        ticket = Ticket.objects.get()
        assert ticket.reference in page.content()
        assert ticket.language == "ru"
    finally:
        context.close()
