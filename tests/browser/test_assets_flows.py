"""Assets in headless Chromium: a label scanned on a phone during a stocktaking, and a disposal
approved by the head and closed by the asset manager with its act."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assets import services
from assets.models import Asset, Category, Disposal, StocktakingItem
from core import roles
from tests.factories import SeriesFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english(page, live_server):
    """The pages in English (the tests name buttons by their English text)."""

    def set_language():
        page.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": live_server.url}]
        )

    set_language()
    return set_language


@pytest.fixture
def manager(make_user):
    return make_user(roles.ASSET_MANAGER, username="andres", first_name="Andres", last_name="Mägi")


@pytest.fixture
def head(make_user):
    return make_user(roles.HEAD, username="kadri", first_name="Kadri", last_name="Õunapuu")


@pytest.fixture
def room(db):
    return services.location_get("Suur-Ameerika 1, 204")


@pytest.fixture
def laptop(manager, room):
    return services.asset_create(
        actor=manager,
        name="Sülearvuti Lenovo ThinkPad T14",
        category=Category.COMPUTER,
        location=room,
        responsible=manager,
    )


def test_a_label_is_scanned_and_marked_found_on_a_phone(
    page,
    live_server,
    english,
    sign_in,
    manager,
    room,
    laptop,
    serious_axe_violations,
    screenshot,
    console_errors,
):
    services.asset_create(
        actor=manager, name="Monitor Dell P2422H", category=Category.MONITOR, location=room
    )
    stocktaking = services.stocktaking_start(actor=manager, title="Inventuur 2026", location=room)
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(manager)
    page.goto(f"{live_server.url}{reverse('assets:stocktaking-scan', args=[stocktaking.pk])}")
    code = page.locator("#id_code")
    expect(code).to_be_focused()
    screenshot("assets-scan-empty")

    page.keyboard.type(laptop.label_code)  # a barcode scanner types the code and presses Enter
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=laptop.inventory_number)).to_be_visible()
    expect(page.get_by_text(str(room)).first).to_be_visible()
    found = page.get_by_role("button", name="Found here")
    expect(found).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert serious_axe_violations() == []
    screenshot("assets-scan-asset")

    found.click()
    expect(page.get_by_role("alert")).to_contain_text(laptop.inventory_number)
    expect(page.locator("#id_code")).to_have_value("")
    expect(page.locator("#id_code")).to_be_focused()
    expect(page.locator("#unchecked-count")).to_contain_text("1")
    item = StocktakingItem.objects.get(stocktaking=stocktaking, asset=laptop)
    assert item.result == StocktakingItem.Result.FOUND
    assert serious_axe_violations() == []
    screenshot("assets-scan-marked")
    assert console_errors == []


def test_the_head_approves_a_disposal_and_the_asset_manager_makes_the_act(
    page, live_server, english, sign_in, manager, head, laptop, serious_axe_violations, screenshot
):
    SeriesFactory(code="3-4", title="Varade mahakandmise aktid")
    disposal = services.disposal_propose(
        actor=manager,
        asset=laptop,
        method=Disposal.Method.DESTRUCTION,
        reason="Emaplaat läbi põlenud, remont ei tasu end ära.",
    )
    sign_in(head)
    page.goto(f"{live_server.url}{reverse('assets:disposal-list')}")
    page.get_by_role("link", name=laptop.inventory_number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(laptop.inventory_number)
    assert serious_axe_violations() == []
    screenshot("assets-disposal-proposed")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert")).to_be_visible()
    disposal.refresh_from_db()
    assert (disposal.status, disposal.decided_by) == (Disposal.Status.APPROVED, head)

    page.context.clear_cookies()
    english()
    sign_in(manager)
    page.goto(f"{live_server.url}{reverse('assets:disposal-detail', args=[disposal.pk])}")
    page.get_by_label("Recycler").fill("Kuusakoski AS")
    page.get_by_label("Certificate number").fill("HV-2026-77")
    page.locator("#id_act-disposed_on").fill(timezone.localdate().isoformat())
    assert serious_axe_violations() == []
    screenshot("assets-disposal-act-form")
    page.get_by_role("button", name="Make the act and close the asset").click()

    expect(page.locator("#asset-state")).to_contain_text("Disposed")
    disposal.refresh_from_db()
    laptop.refresh_from_db()
    assert disposal.status == Disposal.Status.DONE
    assert laptop.state == Asset.State.DISPOSED
    expect(page.get_by_role("link", name=disposal.document.number)).to_be_visible()
    screenshot("assets-disposal-done")
