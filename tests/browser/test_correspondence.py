"""Replying to an information request in headless Chromium: from the document's page to a
letter whose PDF the page waits for (the static poll script), sent by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from correspondence.models import Letter
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType
from tests.factories import PartyFactory, SeriesFactory
from tests.registry.conftest import last_working_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def information_request(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clerk = make_user(roles.CLERK, username="clerk", first_name="Mari", last_name="Tamm")
    person = PartyFactory(
        is_private_person=True,
        name="Jüri Õunapuu",
        code="",
        address="Tähe 12-4, 50103 Tartu",
        email="juri@example.ee",
    )
    document = registry_services.document_register(
        actor=clerk,
        series=SeriesFactory(code="1-2", title="Kirjavahetus"),
        doc_type=DocumentType.INFORMATION_REQUEST,
        channel=Channel.EMAIL,
        title="Teabenõue: üürilepingud",
        received_on=last_working_day(),
        sender=person,
        restriction_basis=None,
    )
    return clerk, document


def test_reply_from_the_document_page_wait_for_the_pdf_and_send(
    page, live_server, sign_in, information_request, console_errors, serious_axe_violations
):
    clerk, document = information_request
    sign_in(clerk)
    page.goto(f"{live_server.url}{reverse('registry:document-detail', args=[document.pk])}")
    page.get_by_role("link", name="Vasta kirjaga").click()

    expect(page.locator("#id_addressees-0-party")).to_have_value(re.compile(r"^Jüri Õunapuu"))
    page.locator("#id_subject").fill("Vastus teabenõudele")
    page.locator("#id_body").fill("Lugupeetud {{ addressee }}\n\nÜürilepingud on lisatud.")
    page.locator("#id_addressees-0-channel").select_option("email")
    # An answer to an information request needs a signature by default; this one goes as a PDF.
    expect(page.locator("#id_needs_signature")).to_be_checked()
    page.locator("#id_needs_signature").uncheck()
    assert serious_axe_violations() == []
    page.locator("button[name=save]:not([hidden])").click()

    letter = Letter.objects.get()
    expect(page).to_have_url(
        f"{live_server.url}{reverse('correspondence:letter-detail', args=[letter.pk])}"
    )
    expect(page.get_by_role("heading", name=letter.number)).to_be_visible()
    # The PDF is made after the response; the page polls and shows it when ready.
    expect(page.get_by_role("link", name="Ava PDF")).to_be_visible(timeout=15_000)
    assert serious_axe_violations() == []
    page.get_by_role("button", name="Saada kiri").click()
    expect(page.locator(".badge", has_text="Saadetud").first).to_be_visible()

    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    document.refresh_from_db()
    assert document.status == Document.Status.ANSWERED
    assert [m.to for m in mail.outbox if letter.number in m.subject] == [["juri@example.ee"]]
    assert console_errors == []
