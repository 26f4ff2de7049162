"""The staff portal's main flows in headless Chromium: signing in and out, lock-out, language
switch, keyboard use and accessibility (axe-core, serious and critical violations)."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_NAME = "Õie"


@pytest.fixture
def clerk(make_user):
    """A clerk whose first name needs more than ASCII."""
    return make_user(roles.CLERK, username="clerk", first_name=FIRST_NAME, last_name="Kask")


def url(live_server, name, **kwargs):
    return f"{live_server.url}{reverse(name, kwargs=kwargs)}"


def press_tab_until_focused(page, locator, limit=20):
    """Tab (only the keyboard) until ``locator`` has the focus; fails after ``limit`` presses."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab did not reach {locator}")


def login_form(page):
    return page.locator(f"main form[action='{reverse('login')}']")


# --- Sign-in page ------------------------------------------------------------------------------


def test_login_page_has_no_serious_accessibility_violations(
    page, live_server, serious_axe_violations, screenshot
):
    page.goto(url(live_server, "login"))

    assert serious_axe_violations() == []
    screenshot("login")


def test_tab_goes_from_user_name_to_password_to_sign_in_button(page, live_server):
    page.goto(url(live_server, "login"))
    form = login_form(page)

    press_tab_until_focused(page, form.locator("#id_username"))
    page.keyboard.press("Tab")
    expect(form.locator("#id_password")).to_be_focused()
    page.keyboard.press("Tab")
    expect(form.locator("[type=submit]")).to_be_focused()


def test_keyboard_only_sign_in_greets_user_by_first_name_in_estonian(page, live_server, clerk):
    page.goto(url(live_server, "login"))

    press_tab_until_focused(page, login_form(page).locator("#id_username"))
    page.keyboard.type(clerk.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(url(live_server, "core:home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(FIRST_NAME)
    expect(page.locator("html")).to_have_attribute("lang", "et")


def test_wrong_password_shows_an_error_on_the_login_page(page, live_server, clerk, submit_login):
    response = submit_login(clerk.username, "not-the-password")

    assert response.status == 200
    expect(login_form(page).locator(".alert-danger")).to_be_visible()
    expect(page).to_have_url(url(live_server, "login"))


def test_login_error_has_no_serious_accessibility_violations(
    page, clerk, submit_login, serious_axe_violations
):
    submit_login(clerk.username, "not-the-password")
    expect(login_form(page).locator(".alert-danger")).to_be_visible()

    assert serious_axe_violations() == []


def test_account_is_locked_after_failure_limit_even_with_the_right_password(
    page, live_server, clerk, submit_login
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert submit_login(clerk.username, "not-the-password").status == 200
    # django-axes 8 answers a lock-out with 429 (AXES_HTTP_RESPONSE_CODE; 403 before axes 6).
    assert submit_login(clerk.username, "not-the-password").status == 429

    response = submit_login(clerk.username, PASSWORD)

    assert response.status == 429
    expect(page.locator("#id_password")).to_have_count(0)  # the lock-out page, not the form
    page.goto(url(live_server, "core:home"))
    expect(page).to_have_url(f"{url(live_server, 'login')}?next=/")


# --- Language switch ---------------------------------------------------------------------------


def test_english_button_switches_to_english_on_the_same_page(
    page, live_server, clerk, sign_in, screenshot
):
    sign_in(clerk)

    page.get_by_role("button", name="English", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(url(live_server, "core:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {FIRST_NAME}!")
    screenshot("home-en")


def test_russian_button_switches_to_russian_on_the_same_page(page, live_server):
    page.goto(url(live_server, "core:home"))
    login_url = f"{url(live_server, 'login')}?next=/"
    expect(page).to_have_url(login_url)

    page.get_by_role("button", name="Русский", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(login_url)


def test_language_buttons_are_visible_on_a_narrow_login_page(page, live_server):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(url(live_server, "login"))

    expect(page.get_by_role("button", name="English", exact=True)).to_be_visible(timeout=1000)


# --- Signed-in pages ---------------------------------------------------------------------------


def test_home_page_has_no_serious_accessibility_violations(
    page, clerk, sign_in, serious_axe_violations, screenshot
):
    sign_in(clerk)

    assert serious_axe_violations() == []
    screenshot("home-et")


def test_account_page_has_no_serious_accessibility_violations(
    page, live_server, clerk, sign_in, serious_axe_violations
):
    sign_in(clerk)
    page.goto(url(live_server, "core:account"))

    assert serious_axe_violations() == []


@pytest.mark.parametrize("url_name", ["core:home", "core:account"])
def test_skip_link_is_the_first_focusable_element_and_moves_focus_to_main(
    page, live_server, clerk, sign_in, url_name
):
    sign_in(clerk)
    page.goto(url(live_server, url_name))
    skip_link = page.locator("a.skip-link")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("#main")).to_be_focused()


# --- Keyboard focus and page health ------------------------------------------------------------

FOCUS_OUTLINE_JS = """element => {
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


@pytest.mark.parametrize("signed_in", [False, True], ids=["login", "home"])
def test_every_focusable_element_shows_the_focus_outline(
    page, live_server, clerk, sign_in, signed_in
):
    if signed_in:
        sign_in(clerk)
    else:
        page.goto(url(live_server, "login"))
    page.locator("h1").click()  # start the Tab order in the content, not in the header

    without_outline = set()
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if focused.count() and not focused.evaluate(FOCUS_OUTLINE_JS):
            without_outline.add(focused.evaluate("element => element.outerHTML.slice(0, 80)"))

    assert without_outline == set()


def test_pages_log_no_console_errors(page, live_server, clerk, sign_in, console_errors):
    """Catches CSP violations (inline styles or scripts), script errors and missing static files
    (the favicon included)."""
    page.goto(url(live_server, "login"))
    sign_in(clerk)
    page.goto(url(live_server, "core:account"))

    assert console_errors == []


# --- Signing out -------------------------------------------------------------------------------


def sign_out_button(page):
    return page.locator(f"header form[action='{reverse('logout')}'] [type=submit]")


def test_sign_out_button_returns_to_the_login_page(page, live_server, clerk, sign_in):
    sign_in(clerk)

    sign_out_button(page).click()

    expect(page).to_have_url(url(live_server, "login"))
    expect(sign_out_button(page)).to_have_count(0)


def test_home_page_redirects_to_login_after_signing_out(page, live_server, clerk, sign_in):
    sign_in(clerk)
    sign_out_button(page).click()
    expect(page).to_have_url(url(live_server, "login"))

    page.goto(url(live_server, "core:home"))

    expect(page).to_have_url(f"{url(live_server, 'login')}?next=/")
