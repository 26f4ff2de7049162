"""Answering a support ticket in headless Chromium: a specialist opens the ticket from the queue,
puts a canned answer into the text (no JavaScript needed: the page comes back with it), sends
it and waits for the requester; the requester gets the e-mail, the clock stands."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from helpdesk import services
from helpdesk.models import Category, Message, Ticket, TicketChannel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def support(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    specialist = make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm")
    article = services.article_save(
        actor=specialist,
        title_et="Mobiil-ID viga",
        title_en="Mobile-ID error",
        body_et="Tere, {{ name }}! Palun uuendage Mobiil-ID sertifikaate. Viide: {{ code }}.",
        body_en="Hello {{ name }}! Please renew your Mobile-ID certificates. Ref: {{ code }}.",
        category=Category.ACCOUNT,
        is_public=True,
    )
    ticket = services.ticket_create(
        subject="Ei saa e-teenusesse sisse logida",
        body="Tere! Mobiil-ID-ga sisselogimine annab vea. Mida teha?",
        channel=TicketChannel.WEB,
        category=Category.ACCOUNT,
        requester_email="kati@example.ee",
        requester_name="Kati Kask",
        language="et",
    )
    return specialist, article, ticket


def test_a_specialist_inserts_a_canned_answer_sends_it_and_waits(
    page, live_server, sign_in, support, serious_axe_violations, screenshot, console_errors
):
    specialist, article, ticket = support
    sign_in(specialist)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}{reverse('helpdesk:ticket-list')}")
    expect(page.locator("h1")).to_have_text("Support tickets")
    assert serious_axe_violations() == []
    screenshot("helpdesk-queue")

    page.get_by_role("link", name=ticket.reference).click()
    page.wait_for_url(f"**{reverse('helpdesk:ticket-detail', args=[ticket.pk])}")
    expect(page.locator("h1")).to_contain_text(ticket.subject)
    assert serious_axe_violations() == []
    screenshot("helpdesk-ticket")

    page.locator("#id_reply-article").select_option(str(article.pk))
    page.get_by_role("button", name="Insert").click()
    answer = page.locator("#id_reply-body")
    expect(answer).to_have_value(
        f"Tere, Kati Kask! Palun uuendage Mobiil-ID sertifikaate. Viide: {ticket.reference}."
    )
    expect(answer).to_be_focused()
    assert not mail.outbox or all("Viide:" not in m.body for m in mail.outbox)
    assert serious_axe_violations() == []

    answer.press("End")
    answer.type(" Vabandame ebamugavuse pärast.")
    page.get_by_role("button", name="Send and wait for the requester").click()
    page.wait_for_url(f"**{reverse('helpdesk:ticket-detail', args=[ticket.pk])}*")

    expect(page.get_by_role("alert")).to_contain_text("The answer is e-mailed to kati@example.ee")
    expect(page.locator("header .badge").first).to_have_text("Waiting for the requester")
    expect(page.locator("#sla")).to_contain_text("paused")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    assert ticket.first_responded_at is not None
    reply = ticket.messages.get(kind=Message.Kind.REPLY)
    assert reply.body.endswith("Vabandame ebamugavuse pärast.")
    [email] = [m for m in mail.outbox if "Viide:" in m.body]
    assert email.to == ["kati@example.ee"]
    assert f"[{ticket.reference}]" in email.subject
    assert serious_axe_violations() == []
    screenshot("helpdesk-ticket-waiting")
    assert console_errors == []
