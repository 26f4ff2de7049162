"""The front desk with the keyboard alone, in headless Chromium: a call logged while on the
phone, a visitor's arrival registered."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from helpdesk.models import Call, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(make_user):
    return make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm")


def test_a_call_is_logged_with_the_keyboard_and_the_form_is_ready_for_the_next(
    page, live_server, sign_in, clerk, console_errors
):
    sign_in(clerk)
    page.goto(f"{live_server.url}{reverse('helpdesk:call-list')}")
    expect(page.locator("#id_caller")).to_be_focused()
    page.keyboard.type("Ülle Õunapuu")
    page.keyboard.press("Tab")
    page.keyboard.type("+372 5555 1234")
    page.keyboard.press("Tab")
    page.keyboard.type("Majutusteate muutmine")
    page.keyboard.press("Enter")

    expect(page.locator("#id_caller")).to_be_focused()
    expect(page.locator("#id_caller")).to_have_value("")
    call = Call.objects.get()
    assert (call.caller, call.phone, call.topic, call.taken_by) == (
        "Ülle Õunapuu",
        "+372 5555 1234",
        "Majutusteate muutmine",
        clerk,
    )
    assert console_errors == []


def test_a_visitor_arrives_with_the_keyboard(page, live_server, sign_in, clerk, make_user):
    host = make_user(roles.HEAD, username="kadri", first_name="Kadri", last_name="Õunapuu")
    sign_in(clerk)
    page.goto(f"{live_server.url}{reverse('helpdesk:visit-list')}")
    expect(page.locator("#id_name")).to_be_focused()
    page.keyboard.type("Peeter Paas")
    page.keyboard.press("Tab")
    page.keyboard.type("OÜ Põhjarannik")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # identity document checked
    page.locator("#id_host").select_option(str(host.pk))  # a select: the keyboard picks as well
    page.locator("#id_purpose").fill("Koosolek")
    page.locator("#id_purpose").press("Enter")

    visit = Visit.objects.get()
    assert (visit.name, visit.organisation, visit.document_checked, visit.host) == (
        "Peeter Paas",
        "OÜ Põhjarannik",
        True,
        host,
    )
    expect(page.get_by_role("cell", name="Peeter Paas")).to_be_visible()
