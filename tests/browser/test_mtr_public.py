"""The MTR's public pages in headless Chromium: a business applies for an activity licence with an
attachment, keeps the code from the page after sending, opens the status page by looking it up,
answers a processor's request for missing data with a file and sees the application back in
review. Every page on the way has no serious accessibility violations; the form works with
JavaScript off and in English and Russian."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from mtr import services
from mtr.models import Application, ApplicationAttachment
from tests.mtr.test_public_apply import (
    BUSINESS,
    REGISTRY_CODE,
    make_licence_area,
    pdf_bytes,
    png_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_HEADING = "Apply to the Register of Economic Activities"


@pytest.fixture
def area(db):
    return make_licence_area()


def apply_url(live_server) -> str:
    return f"{live_server.url}{reverse('mtr:public-apply')}"


def choose_licence(page, area):
    page.locator("input[name='action'][value='licence']").check()
    page.locator("#id_area").select_option(area.code)
    page.locator("form.mtr-apply-choice button[type=submit]").click()
    page.wait_for_url("**/mtr/apply/?*action=licence*")
    expect(page.locator("#id_business_name")).to_be_visible()


def fill_application(page):
    page.locator("#id_business_name").fill(BUSINESS)
    page.locator("#id_registry_code").fill(REGISTRY_CODE)
    page.locator("#id_address").fill("Rüütli 25, 80010 Pärnu")
    page.locator("#id_contact_person").fill("Kristjan Õunapuu")
    page.locator("#id_email").fill("info@turvateenused.example.ee")
    page.locator("#id_address_1").fill("Ranna pst 5, Pärnu")
    page.locator("#id_more_addresses").fill("Riia mnt 10, Tartu")
    page.locator("#id_extra_staff").fill("12")
    page.locator("#id_file_insurance").set_input_files(
        files=[{"name": "kindlustus.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.locator("#id_consent").check()


def test_apply_look_up_and_answer_a_request_for_data(
    page, live_server, area, make_user, serious_axe_violations, screenshot, console_errors
):
    page.goto(apply_url(live_server))
    expect(page.locator("h1")).to_be_visible()
    assert serious_axe_violations() == []
    screenshot("mtr-public-apply-step1")

    choose_licence(page, area)
    assert serious_axe_violations() == []
    screenshot("mtr-public-apply-step2")

    # A mistake first: the error is shown by the field and in the summary, typed values stay.
    fill_application(page)
    page.locator("#id_registry_code").fill("10137310")
    page.locator("form.mtr-apply-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_registry_code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_business_name")).to_have_value(BUSINESS)
    assert serious_axe_violations() == []
    screenshot("mtr-public-apply-errors")

    fill_application(page)  # the files are chosen again
    page.locator("form.mtr-apply-form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('mtr:public-apply-done')}")
    code = page.locator("#tracking-code").inner_text().strip()
    application = Application.objects.get()
    assert code == application.tracking_code_display
    assert ApplicationAttachment.objects.filter(requirement="insurance").count() == 1
    assert serious_axe_violations() == []
    screenshot("mtr-public-apply-done")

    # Another browser (no session) looks the application up by its code and registry code.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('mtr:public-status')}")
    assert serious_axe_violations() == []
    screenshot("mtr-public-status-lookup")
    page.locator("#id_code").fill(code.lower())
    page.locator("#id_registry_code").fill(REGISTRY_CODE)
    page.locator("form.mtr-lookup button[type=submit]").click()
    detail = reverse("mtr:public-status-detail", args=[application.tracking_code])
    page.wait_for_url(f"**{detail}")
    expect(page.locator("h1")).to_contain_text(code)
    assert serious_axe_violations() == []

    # A processor asks for missing data; the applicant answers with a file on the status page.
    processor = make_user(roles.MTR_PROCESSOR, username="processor")
    services.application_claim(actor=processor, application=application)
    services.application_request_data(
        actor=processor, application=application, text="Lisage turvatöötajate nimekiri."
    )
    page.reload()
    expect(page.locator(".mtr-status-deficient")).to_be_visible()
    expect(page.get_by_text("Lisage turvatöötajate nimekiri.")).to_be_visible()
    assert serious_axe_violations() == []
    screenshot("mtr-public-status-deficient")

    page.locator("#id_answer").fill("Nimekiri on lisatud.")
    page.locator("#id_files").set_input_files(
        files=[{"name": "nimekiri.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.locator("form.mtr-answer-form button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    expect(page.locator(".mtr-status-in_review")).to_be_visible()
    expect(page.get_by_text("Nimekiri on lisatud.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert ApplicationAttachment.objects.filter(deficiency__isnull=False).count() == 1
    assert serious_axe_violations() == []
    screenshot("mtr-public-status-answered")
    assert console_errors == []


def test_the_form_works_with_javascript_off(browser, live_server, area):
    context = browser.new_context(java_script_enabled=False, locale="et-EE")
    page = context.new_page()
    try:
        page.goto(apply_url(live_server))
        choose_licence(page, area)
        fill_application(page)
        page.locator("form.mtr-apply-form button[type=submit]").click()
        page.wait_for_url(f"**{reverse('mtr:public-apply-done')}")
        assert Application.objects.get().tracking_code_display in page.content()
    finally:
        context.close()


def test_the_apply_page_in_english_and_russian(page, live_server, area, screenshot):
    page.goto(apply_url(live_server))
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(ENGLISH_HEADING)
    expect(page.locator("#id_area")).to_contain_text("Security services")
    screenshot("mtr-public-apply-en")

    page.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#id_area")).to_contain_text("Охранные услуги")
    expect(page.locator("h1")).not_to_have_text(ENGLISH_HEADING)
    screenshot("mtr-public-apply-ru")

    # the language stays for step 2, which fits a phone's screen
    page.set_viewport_size({"width": 390, "height": 844})
    choose_licence(page, area)
    expect(page.get_by_text("Число охранников")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot("mtr-public-apply-step2-phone-ru")
