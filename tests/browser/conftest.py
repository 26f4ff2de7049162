"""Fixtures of the headless-browser tests: one Chromium for the package's tests (per xdist
worker), a fresh browser context and page per test, and helpers to sign in through the real form.

Run them alone with ``pytest -m browser``. Without Debian's Chromium at /usr/bin/chromium
(``apt-get install chromium``) they are skipped; ``KANTSELEI_CHROMIUM`` names another binary.
``KANTSELEI_SCREENSHOTS=1`` makes the tests that call the ``screenshot`` fixture write PNGs to
``screenshots/`` (gitignored).
"""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path(os.environ.get("KANTSELEI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
LOGIN_PATH = "/accounts/login/"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser():
    """Chromium for the tests of this package, started at the first and stopped after the last.

    While Playwright runs, its event loop counts as running in this thread and Django refuses
    database queries from it ("You cannot call this from an async context"), hence
    DJANGO_ALLOW_ASYNC_UNSAFE. It is set only for that time: set for the whole process, it would
    leak into the other tests and their subprocesses (``check --deploy`` fails on it).
    """
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every sign-in checks a password: PBKDF2's default work factor costs ~0.3 s each time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def page(browser, live_server):
    """A page in a new context (no cookies), as an Estonian user's browser would be set up."""
    context = browser.new_context(
        locale="et-EE",
        timezone_id="Europe/Tallinn",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page):
    """Errors the page logs (CSP violations, failed static files, script errors), as
    (text, URL of the source) pairs."""
    errors = []

    def on_console(message):
        if message.type == "error":
            errors.append((message.text, message.location.get("url", "")))

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append((str(error), page.url)))
    return errors


@pytest.fixture
def submit_login(page, live_server):
    """Fill in and submit the sign-in form; returns the response to the form's POST."""

    def submit(username, password=PASSWORD):
        page.goto(f"{live_server.url}{LOGIN_PATH}")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        with page.expect_response(
            lambda r: r.request.method == "POST" and LOGIN_PATH in r.url
        ) as response:
            page.locator(f"main form[action='{LOGIN_PATH}'] [type=submit]").click()
        return response.value

    return submit


@pytest.fixture
def sign_in(page, live_server, submit_login):
    """Sign in through the real form and wait for the home page."""

    def sign_in(user, password=PASSWORD):
        response = submit_login(user.username, password)
        assert response.status == 302, f"sign-in of {user.username} failed: {response.status}"
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in


@pytest.fixture
def serious_axe_violations(page):
    """axe-core's serious and critical violations on the current page: (rule, target, help)."""
    from axe_playwright_python.sync_playwright import Axe

    def run():
        results = Axe().run(page)
        return [
            (v["id"], v["nodes"][0]["target"], v["help"])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


@pytest.fixture
def screenshot(page):
    """``screenshot("name")`` writes screenshots/name.png when KANTSELEI_SCREENSHOTS=1."""

    def take(name):
        if os.environ.get("KANTSELEI_SCREENSHOTS") != "1":
            return
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)

    return take
