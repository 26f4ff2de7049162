"""The public pages of user support: the help (public articles only, by category, searched, in the
page's language), the contact form (a ticket with its acknowledgement, what it refuses and why,
the honeypot, the one-time key, files, the rate limit, similar answers) and the rating of an
answer from the resolution e-mail.

The helpers here (articles, files, ``contact_data``) are imported by the browser test.
"""

import re
import threading
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk import services
from helpdesk.models import Article, Category, MessageAttachment, Ticket, TicketChannel
from tests.mtr.test_public_apply import field_tag, pdf_bytes, png_bytes

REGISTRY_CODE = "10137319"  # a valid check digit
BAD_CODE = "10137310"  # the check digit does not match

CONTACT_URL = reverse("helpdesk:public-contact")
SENT_URL = reverse("helpdesk:public-contact-sent")
HELP_URL = reverse("helpdesk:public-help")


@pytest.fixture
def committed(db, django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block queued for after the commit (the e-mails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- Helpers shared with the browser test -------------------------------------------------------


def make_article(**kwargs) -> Article:
    values = {
        "category": Category.ACCOUNT,
        "title_et": "Kuidas e-teenusesse sisse logida",
        "title_en": "How to sign in to the e-service",
        "title_ru": "Как войти в э-услугу",
        "body_et": "Valige ID-kaart, Mobiil-ID või Smart-ID ja järgige juhiseid.",
        "body_en": "Choose the ID card, Mobile-ID or Smart-ID and follow the instructions.",
        "body_ru": "Выберите ID-карту, Mobiil-ID или Smart-ID и следуйте указаниям.",
        "is_public": True,
    }
    values.update(kwargs)
    return Article.objects.create(**values)


def make_internal_article(**kwargs) -> Article:
    values = {
        "category": Category.ACCOUNT,
        "title_et": "Sisemine: parooli lähtestamine haldusliideses",
        "title_en": "Internal: resetting a password in the admin",
        "body_et": "Ainult töötajatele: avage haldusliides ja lähtestage parool.",
        "body_en": "Staff only: open the admin and reset the password.",
        "is_public": False,
    }
    values.update(kwargs)
    return Article.objects.create(**values)


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def submission_key(response) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', response.text)
    assert match, "the form has no submission key"
    return match.group(1)


def contact_data(key: str, **overrides) -> dict:
    data = {
        "submission_key": key,
        "name": "Kati Kask",
        "email": "Kati.Kask@example.ee",
        "registry_code": REGISTRY_CODE,
        "category": Category.ESERVICE,
        "subject": "Taotlus jääb saatmisel kinni",
        "message": "Vajutan „Saada“ ja leht jääb laadima. Mida teha?",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def send_contact(client: Client, **overrides):
    """Open the contact form and send it; returns the response and the form's key."""
    key = submission_key(client.get(CONTACT_URL))
    return client.post(CONTACT_URL, contact_data(key, **overrides)), key


def pdf_file(name="kuvatõmmis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png_file(name="viga.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def resolved_ticket(make_ticket, specialist, **kwargs) -> Ticket:
    ticket = make_ticket(**kwargs)
    services.ticket_reply(actor=specialist, ticket=ticket, body="Lahendatud.", then="resolve")
    ticket.refresh_from_db()
    return ticket


# --- Help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_public_pages_open_without_and_with_an_account(client, make_user, signed_in):
    article = make_article()
    if signed_in:
        client.force_login(make_user(username="mari"))

    for url in (HELP_URL, reverse("helpdesk:public-article", args=[article.pk]), CONTACT_URL):
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url
    assert client.get(SENT_URL).status_code == 302  # nothing sent yet
    assert client.put(CONTACT_URL).status_code == 405


def test_the_help_lists_public_articles_by_category_and_hides_internal_ones(client, db):
    make_article()
    make_article(
        category=Category.TECHNICAL,
        title_et="Leht ei avane",
        title_en="The page does not open",
        body_et="Tühjendage vahemälu.",
        body_en="Clear the cache.",
    )
    make_internal_article()

    response = english(client).get(HELP_URL)

    text = response.text
    assert response.status_code == 200
    assert "How to sign in to the e-service" in text
    assert "The page does not open" in text
    assert "Internal" not in text
    assert "Staff only" not in text
    # grouped under the category headings, in the order of the categories
    assert text.index("Access and sign-in") < text.index("How to sign in to the e-service")
    assert text.index("Technical problem") < text.index("The page does not open")
    assert text.index("How to sign in") < text.index("Technical problem")
    assert reverse("helpdesk:public-contact") in text


def test_the_help_is_in_estonian_by_default_and_russian_when_chosen(client, db):
    make_article()

    assert "Kuidas e-teenusesse sisse logida" in client.get(HELP_URL).text
    client.cookies["django_language"] = "ru"
    assert "Как войти в э-услугу" in client.get(HELP_URL).text


def test_an_article_without_a_translation_falls_back_to_estonian(client, db):
    article = make_article(title_en="", body_en="")

    response = english(client).get(reverse("helpdesk:public-article", args=[article.pk]))

    assert re.search(r'<h1[^>]*lang="et"[^>]*>Kuidas e-teenusesse sisse logida</h1>', response.text)
    assert 'lang="et">' in response.text
    assert "Valige ID-kaart" in response.text


def test_the_search_finds_public_articles_only(client, db):
    make_article()
    make_internal_article(title_en="Internal: sign in for staff", body_en="Staff sign in here.")

    response = english(client).get(HELP_URL, {"q": "sign in"})

    text = response.text
    assert response.status_code == 200
    assert "1 answer found" in text
    assert "How to sign in to the e-service" in text
    assert "Internal" not in text
    assert "Choose the ID card" in text  # the beginning of the text


def test_a_search_without_results_says_so(client, db):
    make_article()

    response = english(client).get(HELP_URL, {"q": "passport"})

    assert "No answer matches the search." in response.text
    assert "How to sign in" not in response.text


def test_an_article_is_shown_with_a_link_to_contact_support(client, db):
    article = make_article()
    other = make_article(title_en="Mobile-ID does not work", title_et="Mobiil-ID ei tööta")

    response = english(client).get(reverse("helpdesk:public-article", args=[article.pk]))

    text = response.text
    assert response.status_code == 200
    assert "<h1" in text
    assert "How to sign in to the e-service" in text
    assert "Choose the ID card, Mobile-ID or Smart-ID" in text
    assert "Did not find the answer?" in text
    assert f"{CONTACT_URL}?category=account" in text
    assert reverse("helpdesk:public-article", args=[other.pk]) in text  # the same topic


def test_an_internal_article_is_never_shown(client, db):
    internal = make_internal_article()

    response = client.get(reverse("helpdesk:public-article", args=[internal.pk]))

    assert response.status_code == 404
    assert "Staff only" not in response.text
    assert (
        client.get(reverse("helpdesk:public-article", args=[internal.pk + 99])).status_code == 404
    )


def test_the_help_runs_the_same_queries_with_many_articles(client, db):
    make_article()
    with CaptureQueriesContext(connection) as few:
        client.get(HELP_URL)
    for index in range(40):
        make_article(title_et=f"Küsimus {index}", category=Category.values[index % 6])
    with CaptureQueriesContext(connection) as many:
        response = client.get(HELP_URL)
    assert "Küsimus 39" in response.text
    assert len(many.captured_queries) == len(few.captured_queries) <= 2


def test_the_help_pages_are_rate_limited_per_address(client, db, settings):
    settings.HELPDESK_PUBLIC_PAGE_RATE = "3/d"  # a long window: never crossed during the test

    answers = [client.get(HELP_URL).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


# --- Contact ------------------------------------------------------------------------------------


def test_the_contact_form_has_its_fields_and_the_honeypot(client, db):
    response = english(client).get(CONTACT_URL)

    text = response.text
    assert response.status_code == 200
    for name in ("name", "email", "registry_code", "category", "subject", "message"):
        assert f'name="{name}"' in text
    assert re.search(r'<input type="file" name="files"[^>]* multiple', text)
    assert re.search(r'name="files"[^>]*accept=".pdf,.png,.jpg,.jpeg,.gif,.txt"', text)
    assert "Leave this empty" in text
    assert 'tabindex="-1"' in text
    assert 'enctype="multipart/form-data"' in text
    assert "Show similar answers" in text
    assert "Access and sign-in" in text  # the categories


def test_the_topic_can_be_chosen_by_the_link(client, db):
    response = client.get(CONTACT_URL, {"category": "technical"})

    assert re.search(r'<option value="technical" selected>', response.text)


def test_a_question_makes_a_ticket_and_the_requester_gets_its_reference(client, committed):
    with committed():
        response, _key = send_contact(english(client), files=[pdf_file(), png_file()])

    assert response.status_code == 302
    assert response.url.startswith(f"{SENT_URL}?sent=")
    ticket = Ticket.objects.get()
    assert ticket.channel == TicketChannel.WEB
    assert ticket.status == Ticket.Status.NEW
    assert ticket.subject == "Taotlus jääb saatmisel kinni"
    assert ticket.requester_name == "Kati Kask"
    assert ticket.requester_email == "kati.kask@example.ee"
    assert ticket.registry_code == REGISTRY_CODE
    assert ticket.category == Category.ESERVICE
    assert ticket.language == "en"
    message = ticket.messages.get()
    assert message.body == "Vajutan „Saada“ ja leht jääb laadima. Mida teha?"
    assert sorted(a.name for a in MessageAttachment.objects.all()) == [
        "kuvatõmmis.pdf",
        "viga.png",
    ]
    [email] = mail.outbox
    assert email.to == ["kati.kask@example.ee"]
    assert ticket.reference in email.subject
    assert ticket.reference in email.body


def test_the_sent_page_shows_the_reference_from_the_session(client, db):
    send_contact(english(client))
    ticket = Ticket.objects.get()

    response = client.get(SENT_URL)

    text = response.text
    assert response.status_code == 200
    assert ticket.reference in text
    assert "kati.kask@example.ee" in text
    assert "A confirmation with the reference was sent to" in text
    assert "usually within 8 working hours" in text  # the first-answer time of the SLA
    # another browser has sent nothing: no reference, back to the form
    other = Client()
    answer = other.get(SENT_URL, {"ticket": ticket.pk, "reference": ticket.reference})
    assert answer.status_code == 302
    assert answer.url == CONTACT_URL


@pytest.mark.parametrize(("language", "expected"), [(None, "et"), ("en", "en"), ("ru", "ru")])
def test_the_language_of_the_ticket_follows_the_page(client, db, language, expected):
    if language:
        client.cookies["django_language"] = language

    send_contact(client)

    assert Ticket.objects.get().language == expected


def test_the_honeypot_saves_nothing(client, committed):
    with committed():
        response, _key = send_contact(english(client), website="http://spam.example")

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert mail.outbox == []
    assert "The message could not be sent." in response.text


def test_the_same_form_sent_twice_makes_one_ticket(client, committed):
    with committed():
        first, key = send_contact(english(client))
        second = client.post(CONTACT_URL, contact_data(key))

    assert first.status_code == second.status_code == 302
    assert second.url.startswith(f"{SENT_URL}?sent=")  # the first one's page, signed
    assert client.get(second.url).url == SENT_URL  # kept in the session, dropped from the URL
    assert Ticket.objects.count() == 1
    assert len(mail.outbox) == 1
    assert Ticket.objects.get().reference in client.get(SENT_URL).text


def test_a_made_up_sent_page_shows_no_ticket(client, db):
    send_contact(Client())  # someone else's question
    response = client.get(SENT_URL, {"sent": "OA:made:up"})

    assert response.url == SENT_URL
    assert client.get(SENT_URL).url == CONTACT_URL  # nothing in this session


def test_a_second_form_makes_a_second_ticket(client, db):
    send_contact(client)
    send_contact(client, subject="Teine küsimus")

    assert Ticket.objects.count() == 2
    assert Ticket.objects.get(subject="Teine küsimus").reference in client.get(SENT_URL).text


def test_a_made_up_key_is_refused(client, db):
    response = english(client).post(CONTACT_URL, contact_data("not-a-signed-key"))

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "The form has expired; please send it again." in response.text
    assert submission_key(response) != "not-a-signed-key"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"registry_code": BAD_CODE}, "registry_code", "the check digit does not match"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"name": ""}, "name", "This field is required."),
        ({"category": ""}, "category", "This field is required."),
        ({"message": "   "}, "message", "This field is required."),
        (
            {"files": [SimpleUploadedFile("leht.pdf", b"just text, not a PDF")]},
            "files",
            "is in TXT format, but its name ends with .pdf",
        ),
        (
            {"files": [SimpleUploadedFile("leping.docx", b"PK\x03\x04")]},
            "files",
            "is not an allowed type",
        ),
        (
            {"files": [png_file(f"pilt{n}.png") for n in range(6)]},
            "files",
            "At most 5 files may be attached.",
        ),
    ],
)
def test_a_wrong_value_is_shown_by_its_field_and_the_rest_is_kept(
    client, db, overrides, field, message
):
    response, _key = send_contact(english(client), **overrides)

    text = response.text
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert message in text
    # the error is tied to the field and listed at the top with a link to it
    tag = field_tag(text, field)
    assert 'aria-invalid="true"' in tag
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', tag)
    assert f'href="#id_{field}"' in text
    assert 'id="error-summary"' in text
    # what was typed is kept
    if field != "subject":
        assert 'value="Taotlus jääb saatmisel kinni"' in text
    if field != "name":
        assert 'value="Kati Kask"' in text
    # the files are sent again only when some were chosen
    assert ("choose them again" in text) == ("files" in overrides)


def test_a_file_larger_than_the_limit_is_refused(client, db, settings):
    settings.UPLOAD_MAX_BYTES = 100

    response, _key = send_contact(english(client), files=[pdf_file()])

    assert Ticket.objects.count() == 0
    assert "is too large" in response.text
    assert 'aria-invalid="true"' in field_tag(response.text, "files")


def test_the_registry_code_may_be_left_out(client, db):
    response, _key = send_contact(client, registry_code="")

    assert response.status_code == 302
    assert Ticket.objects.get().registry_code == ""


def test_sending_is_rate_limited_per_address(client, db, settings):
    settings.HELPDESK_PUBLIC_CONTACT_RATE = "2/d"  # a long window: never crossed during the test

    answers = [client.post(CONTACT_URL, {"website": ""}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert "Too many requests" in english(client).post(CONTACT_URL, {}).text
    assert client.get(CONTACT_URL).status_code == 200  # reading the form is not limited by sending


def test_similar_answers_are_shown_without_sending(client, db):
    article = make_article()
    make_internal_article(title_en="Internal: sign in problems")
    form = english(client).get(CONTACT_URL)
    key = submission_key(form)

    response = client.post(
        CONTACT_URL,
        contact_data(key, subject="I cannot sign in with Mobile-ID", message="", suggest="1"),
    )

    text = response.text
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "These answers may help" in text
    assert reverse("helpdesk:public-article", args=[article.pk]) in text
    assert "Internal" not in text
    # what was typed is kept, nothing is marked wrong, and the same key sends the form later
    assert 'value="I cannot sign in with Mobile-ID"' in text
    assert 'value="Kati Kask"' in text
    assert "aria-invalid" not in text
    assert 'id="error-summary"' not in text
    assert submission_key(response) == key


def test_no_similar_answers_says_so(client, db):
    make_article()

    response = english(client).post(
        CONTACT_URL,
        contact_data(submission_key(client.get(CONTACT_URL)), subject="Kassa", suggest="1"),
    )

    assert "No answers in the help match the subject." in response.text


# --- Rating -------------------------------------------------------------------------------------


def rate_url(ticket: Ticket) -> str:
    return reverse("helpdesk:public-rate", args=[ticket.feedback_token])


def test_the_rating_page_shows_the_subject_and_the_reference_only(client, make_ticket, specialist):
    ticket = resolved_ticket(make_ticket, specialist)

    response = english(client).get(rate_url(ticket))

    text = response.text
    assert response.status_code == 200
    assert ticket.reference in text
    assert ticket.subject in text
    assert "kasutaja@example.ee" not in text
    assert "Mobiil-ID-ga sisselogimine" not in text  # the question itself
    assert "Lahendatud." not in text  # nor the answer
    # five labelled radio buttons in a fieldset with a legend
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>\s*How satisfied are you", text)
    assert len(re.findall(r'<input type="radio"[^>]*name="rating"', text)) == 5
    assert "5 – very good" in text
    assert "1 – very poor" in text


def test_a_rating_is_kept_and_thanked_for_and_a_second_one_changes_it(
    client, make_ticket, specialist
):
    ticket = resolved_ticket(make_ticket, specialist)
    english(client)
    url = rate_url(ticket)

    response = client.post(url, {"rating": "4", "comment": "Kiire vastus"})

    assert response.status_code == 302
    assert response.url == url
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Kiire vastus")
    thanks = client.get(url)
    assert "Thank you! You rated the answer 4 out of 5." in thanks.text
    assert re.search(r'<input type="radio"[^>]*name="rating" value="4"[^>]*checked', thanks.text)

    client.post(url, {"rating": "2", "comment": ""})

    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (2, "")


def test_a_rating_must_be_chosen(client, make_ticket, specialist):
    ticket = resolved_ticket(make_ticket, specialist)

    response = english(client).post(rate_url(ticket), {"rating": "", "comment": "Hm"})

    assert response.status_code == 200
    assert "Choose a rating from 1 to 5." in response.text
    assert 'href="#id_rating_0"' in response.text
    assert re.search(r">\s*Hm</textarea>", response.text)
    ticket.refresh_from_db()
    assert ticket.rating is None


def test_a_ticket_not_resolved_cannot_be_rated_yet(client, make_ticket):
    ticket = make_ticket()

    page = english(client).get(rate_url(ticket))
    posted = client.post(rate_url(ticket), {"rating": "5"})

    assert page.status_code == posted.status_code == 200
    assert "We are still working on this question." in page.text
    assert 'name="rating"' not in page.text
    ticket.refresh_from_db()
    assert ticket.rating is None


def test_an_unknown_token_is_not_found(client, make_ticket):
    make_ticket()

    assert client.get(reverse("helpdesk:public-rate", args=["no-such-token"])).status_code == 404
    assert (
        client.post(reverse("helpdesk:public-rate", args=["x"]), {"rating": "5"}).status_code == 404
    )


@pytest.mark.django_db(transaction=True)
def test_a_double_click_sends_one_question(monkeypatch):
    """Two requests with the same key at the same moment (a double click): the second waits for
    the first and shows the same reference."""
    create = services.ticket_create

    def slow_create(**kwargs):
        time.sleep(0.3)  # the second request arrives while the first is still making the ticket
        return create(**kwargs)

    monkeypatch.setattr(services, "ticket_create", slow_create)
    first = Client()
    key = submission_key(first.get(CONTACT_URL))
    second = Client()
    second.cookies = first.cookies  # the same browser: the same session
    answers = []

    def post(client):
        try:
            answers.append(client.post(CONTACT_URL, contact_data(key)))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [302, 302]
    assert Ticket.objects.count() == 1
    assert Ticket.objects.get().reference in first.get(SENT_URL).text
