"""The head's overview in headless Chromium: the most overdue document and who holds it, the
slowest MTR area and the tickets breaching their SLA are each one click away; a tile opens its
list with the same number of rows; the trends page shows its charts and tables."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.dashboard.conftest import (  # noqa: F401 (people is a fixture)
    make_applications,
    make_documents,
    make_property,
    make_tickets,
    people,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def department(people, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    make_documents(people)
    make_applications(people)
    make_tickets(people)
    make_property(people)
    return people


@pytest.fixture
def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_the_head_follows_a_tile_to_its_list(
    page, live_server, english, sign_in, department, console_errors, serious_axe_violations
):
    sign_in(department["head"])
    page.get_by_role("link", name="Overview", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview of the department")

    # The most overdue document and who holds it: on the overview itself.
    overdue = page.get_by_role("table", name="Open documents longest past their deadline")
    expect(overdue.get_by_role("row")).to_have_count(4)  # a header and three documents
    expect(overdue).to_contain_text("Liis Saar")
    # The slowest MTR area: first in its table.
    areas = page.get_by_role("table", name="MTR applications by activity area")
    expect(areas.get_by_role("row").nth(1)).to_contain_text("Security services")
    assert serious_axe_violations() == []

    # The tickets breaching their SLA: one click.
    tile = page.locator("[data-tile=tickets_breached]")
    expect(tile).to_contain_text("1")
    tile.get_by_role("link", name="Tickets breaching their SLA").click()
    page.wait_for_url("**" + reverse("helpdesk:ticket-list") + "?sla=breached")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    assert console_errors == []


def test_the_trends_show_charts_with_their_tables(
    page, live_server, english, sign_in, department, serious_axe_violations
):
    sign_in(department["head"])
    page.goto(live_server.url + reverse("dashboard:trends"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Trends of the department")
    page.get_by_label("Period", exact=True).select_option("month")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**period=month")
    figure = page.locator("#chart-mtr-areas")
    expect(figure.get_by_role("img")).to_be_visible()
    figure.get_by_text("Figures as a table").click()
    expect(figure.get_by_role("table")).to_contain_text("Security services")
    assert serious_axe_violations() == []
