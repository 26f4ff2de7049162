"""The letter templates' pages (correspondence/views/templates.py): the list by code with the
language versions, creating and changing a template through the service, and the preview PDF.

The advisor changes templates; others who may see them (the head, a clerk) read them without a
form and get 403 on writes; staff without the permission get 403, anonymous the sign-in page.
"""

import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from core import roles
from correspondence import services
from correspondence.models import LetterTemplate

pytestmark = pytest.mark.django_db

LIST = reverse("correspondence:template-list")
NEW = reverse("correspondence:template-new")


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def edit_url(template):
    return reverse("correspondence:template-edit", args=[template.pk])


def preview_url(template):
    return reverse("correspondence:template-preview", args=[template.pk])


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, advisor):
    english.force_login(advisor)
    return english


@pytest.fixture
def outsider(make_user):
    """Staff without any outgoing-mail permission (an asset manager)."""
    return make_user(roles.ASSET_MANAGER, username="asset_manager")


@pytest.fixture
def template(advisor):
    return services.template_save(
        actor=advisor,
        code="reply-extension",
        language="et",
        name="Tähtaja pikendamine",
        subject="Vastus Teie pöördumisele {{ incoming_number }}",
        body=(
            "Lugupeetud {{ addressee }}\n\n"
            "Teie {{ incoming_date }} saadetud pöördumisele (meie nr {{ incoming_number }}) "
            "vastame hiljemalt {{ deadline }}.\n\nLugupidamisega\n{{ signer }}"
        ),
        for_replies=True,
        is_active=True,
    )


def form_data(**overrides):
    data = {
        "code": "meeting-invitation",
        "language": "et",
        "name": "Kutse koosolekule",
        "subject": "Kutse koosolekule",
        "body": "Lugupeetud {{ addressee }}\n\nKutsume Teid koosolekule.",
        "for_replies": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# --- Access ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_page(client, template):
    for url in (LIST, NEW, edit_url(template), preview_url(template)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = client.post(edit_url(template), form_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_staff_without_permission_get_403_everywhere(client, outsider, template):
    client.force_login(outsider)
    for url in (LIST, NEW, edit_url(template), preview_url(template)):
        assert client.get(url).status_code == 403, url
    assert client.post(NEW, form_data()).status_code == 403
    assert client.post(edit_url(template), form_data()).status_code == 403


def test_head_reads_templates_without_a_form_and_may_not_write(english, head, template):
    english.force_login(head)
    response = english.get(LIST)
    assert response.status_code == 200
    assert "Tähtaja pikendamine" in response.text
    assert 'href="/letters/templates/new/' not in response.text
    response = english.get(edit_url(template))
    assert response.status_code == 200
    assert '<form method="post" class="card' not in response.text
    assert "Vastus Teie pöördumisele" in response.text
    assert english.get(preview_url(template)).status_code == 200
    assert english.get(NEW).status_code == 403
    assert english.post(NEW, form_data()).status_code == 403
    response = english.post(edit_url(template), form_data(name="Muudetud"))
    assert response.status_code == 403
    template.refresh_from_db()
    assert template.name == "Tähtaja pikendamine"


# --- The list -------------------------------------------------------------------------------------


def test_list_groups_language_versions_by_code_and_shows_the_missing_ones(
    signed_in, advisor, template
):
    services.template_save(
        actor=advisor,
        code="reply-extension",
        language="en",
        name="Extension of the deadline",
        subject="Reply to {{ incoming_number }}",
        body="Dear {{ addressee }}",
        for_replies=True,
        is_active=False,
    )
    response = signed_in.get(LIST)
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g["code"] for g in groups] == ["reply-extension"]
    assert groups[0]["name"] == "Tähtaja pikendamine"  # the Estonian version's name
    cells = {cell["code"]: cell["template"] for cell in groups[0]["languages"]}
    assert cells["et"] == template
    assert cells["en"].name == "Extension of the deadline"
    assert cells["ru"] is None
    assert "not in use" in response.text
    assert "missing" in response.text
    assert f"{NEW}?code=reply-extension&amp;language=ru" in response.text


def test_new_version_of_a_language_starts_from_the_code_and_name(signed_in, template):
    response = signed_in.get(NEW, {"code": "reply-extension", "language": "ru"})
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["code"] == "reply-extension"
    assert initial["language"] == "ru"
    assert initial["name"] == "Tähtaja pikendamine"


def test_list_runs_the_same_queries_with_few_and_many_templates(
    signed_in, advisor, template, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(LIST).status_code == 200
    for index in range(40):
        for language in ("et", "en"):
            services.template_save(
                actor=advisor,
                code=f"template-{index:02d}",
                language=language,
                name=f"Mall {index}",
                subject="Teema",
                body="Tekst {{ addressee }}",
                for_replies=False,
                is_active=True,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(LIST)
    assert len(response.context["groups"]) == 25
    assert response.context["page"].count == 41


# --- Create and change --------------------------------------------------------------------------


def test_advisor_creates_a_template(signed_in, advisor):
    response = signed_in.post(NEW, form_data())
    template = LetterTemplate.objects.get(code="meeting-invitation", language="et")
    assert response.status_code == 302
    assert response.url == edit_url(template)
    assert template.name == "Kutse koosolekule"
    assert template.is_active
    assert not template.for_replies
    response = signed_in.get(response.url)
    assert "The template Kutse koosolekule (et) was created." in message_texts(response)


def test_unknown_placeholder_is_an_error_by_the_field_and_keeps_the_typed_values(signed_in):
    response = signed_in.post(
        NEW, form_data(body="Tere {{ adressee }}!", subject="Kutse {{ kuupaev }}")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "{{ adressee }}" in " ".join(form.errors["body"])
    assert "{{ kuupaev }}" in " ".join(form.errors["subject"])
    assert form["body"].value() == "Tere {{ adressee }}!"
    assert form["name"].value() == "Kutse koosolekule"
    assert not LetterTemplate.objects.exists()
    assert "Tere {{ adressee }}!" in response.text
    assert "Nothing was saved: see the messages below." in message_texts(response)


def test_placeholders_are_listed_beside_the_editor(signed_in):
    response = signed_in.get(NEW)
    for name, label in services.PLACEHOLDERS.items():
        assert "{{ " + name + " }}" in response.text
        assert escape(str(label)[1:]) in response.text


def test_the_same_code_and_language_twice_is_refused_by_the_code(signed_in, template):
    response = signed_in.post(NEW, form_data(code="reply-extension", language="et"))
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert LetterTemplate.objects.filter(code="reply-extension").count() == 1


def test_advisor_changes_a_template(signed_in, template):
    data = form_data(
        code="reply-extension",
        name="Tähtaja pikendamine (uus)",
        subject="Vastus {{ incoming_number }}",
        is_active="",
        for_replies="on",
    )
    response = signed_in.post(edit_url(template), data)
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.name == "Tähtaja pikendamine (uus)"
    assert template.subject == "Vastus {{ incoming_number }}"
    assert not template.is_active
    assert template.for_replies


def test_changing_with_an_unknown_placeholder_saves_nothing(signed_in, template):
    response = signed_in.post(
        edit_url(template), form_data(code="reply-extension", body="{{ tundmatu }}")
    )
    assert response.status_code == 200
    assert "{{ tundmatu }}" in " ".join(response.context["form"].errors["body"])
    template.refresh_from_db()
    assert "tundmatu" not in template.body


def test_edit_page_shows_the_form_with_the_saved_values(signed_in, template):
    response = signed_in.get(edit_url(template))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["code"].value() == "reply-extension"
    assert form["subject"].value() == template.subject
    assert preview_url(template) in response.text


def test_unknown_template_is_404(signed_in):
    assert signed_in.get(reverse("correspondence:template-edit", args=[999999])).status_code == 404
    assert (
        signed_in.get(reverse("correspondence:template-preview", args=[999999])).status_code == 404
    )


# --- Preview --------------------------------------------------------------------------------------


def test_preview_is_a_letter_pdf_with_sample_values(signed_in, advisor, template):
    response = signed_in.get(preview_url(template))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(response.content)
    assert "OÜ Näidis" in text
    assert "Näidise tn 1" in text
    assert "Liis Saar" in text  # the current user signs
    assert "Vastus Teie pöördumisele 1-2/" in text  # the sample incoming number
    assert "{{" not in text


def test_preview_is_in_the_templates_language(signed_in, advisor):
    template = services.template_save(
        actor=advisor,
        code="reply-extension",
        language="ru",
        name="Продление срока",
        subject="Ответ на обращение {{ incoming_number }}",
        body="Уважаемый {{ addressee }}!\n\nОтвет до {{ deadline }}.",
        for_replies=True,
        is_active=True,
    )
    text = pdf_text(signed_in.get(preview_url(template)).content)
    assert "Ответ на обращение" in text
    assert "Уважаемый OÜ Näidis!" in text
