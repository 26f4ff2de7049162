"""The knowledge base's staff pages (helpdesk/views/articles.py): the list with its search and
filters, creating and changing an article, and who may do what.

The clerk creates and changes articles; the MTR processor and the head read them (no form, 403
on a write); staff without the permission get 403, an anonymous visitor the sign-in page.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import roles
from helpdesk.models import Article, Category

pytestmark = pytest.mark.django_db

LIST = reverse("helpdesk:article-list")
NEW = reverse("helpdesk:article-new")


def edit_url(article) -> str:
    return reverse("helpdesk:article-edit", args=[article.pk])


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def editor(english, clerk):
    english.force_login(clerk)
    return english


@pytest.fixture
def processor(make_user):
    return make_user(roles.MTR_PROCESSOR, username="processor")


@pytest.fixture
def outsider(make_user):
    return make_user(roles.ASSET_MANAGER, username="asset_manager")


def make_article(**kwargs) -> Article:
    values = {
        "category": Category.ACCOUNT,
        "title_et": "Kuidas e-teenusesse sisse logida",
        "title_en": "How to sign in to the e-service",
        "title_ru": "Как войти в э-услугу",
        "body_et": "Tere, {{ name }}! Valige ID-kaart, Mobiil-ID või Smart-ID.",
        "body_en": "Hello {{ name }}! Choose the ID card, Mobile-ID or Smart-ID.",
        "body_ru": "Здравствуйте, {{ name }}! Выберите ID-карту или Smart-ID.",
        "is_public": True,
    }
    values.update(kwargs)
    return Article.objects.create(**values)


@pytest.fixture
def article(db):
    return make_article()


@pytest.fixture
def internal(db):
    return make_article(
        category=Category.TECHNICAL,
        title_et="Parooli lähtestamine haldusliideses",
        title_en="",
        title_ru="",
        body_et="Ainult töötajatele: pöördumine {{ code }} – avage haldusliides.",
        body_en="",
        body_ru="",
        is_public=False,
    )


def form_data(**kwargs) -> dict:
    data = {
        "category": Category.ESERVICE,
        "is_public": "on",
        "title_et": "Taotluse oleku vaatamine",
        "body_et": "Tere, {{ name }}!\n\nTaotluse oleku leiate jälgimiskoodiga.",
        "title_en": "Checking the status of an application",
        "body_en": "Hello {{ name }}!\n\nFind the status with the tracking code.",
        "title_ru": "",
        "body_ru": "",
    }
    data.update(kwargs)
    return data


def titles(response) -> list[str]:
    return [a.title_et for a in response.context["articles"]]


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Access ---------------------------------------------------------------------------------------


def _requests(article):
    return {
        "list": ("get", LIST),
        "new": ("get", NEW),
        "create": ("post", NEW),
        "edit": ("get", edit_url(article)),
        "save": ("post", edit_url(article)),
    }


ALL = ["list", "new", "create", "edit", "save"]


@pytest.mark.parametrize("name", ALL)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, article, name):
    method, url = _requests(article)[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ALL)
def test_staff_without_the_permission_get_403(client, outsider, article, name):
    method, url = _requests(article)[name]
    client.force_login(outsider)
    assert getattr(client, method)(url, form_data()).status_code == 403


@pytest.mark.parametrize("who", ["processor", "head"])
@pytest.mark.parametrize("name", ["new", "create", "save"])
def test_readers_may_not_write(client, request, article, who, name):
    method, url = _requests(article)[name]
    client.force_login(request.getfixturevalue(who))
    assert getattr(client, method)(url, form_data()).status_code == 403
    article.refresh_from_db()
    assert article.title_et == "Kuidas e-teenusesse sisse logida"
    assert Article.objects.count() == 1


@pytest.mark.parametrize("who", ["processor", "head"])
def test_readers_see_the_list_and_the_article_without_a_form(
    english, request, article, internal, who
):
    english.force_login(request.getfixturevalue(who))

    listed = english.get(LIST)
    assert listed.status_code == 200
    assert NEW not in listed.text
    assert set(titles(listed)) == {article.title_et, internal.title_et}

    page = english.get(edit_url(article))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert '<form method="post" novalidate>' not in page.text
    assert "How to sign in to the e-service" in page.text
    assert "Выберите ID-карту или Smart-ID." in page.text
    assert "Not written in this language." in english.get(edit_url(internal)).text


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_public_or_internal_and_the_languages_written(editor, article, internal):
    response = editor.get(LIST)

    assert response.status_code == 200
    rows = response.text.split("<tbody>", 1)[1]
    first, second = rows.split("</tr>")[:2]
    assert "How to sign in to the e-service" in first  # "account" comes before "technical"
    assert "Public" in first
    assert "Internal" not in first
    assert "Internal" in second
    assert first.count("text-bg-success") == 3
    assert second.count("text-bg-success") == 1
    assert "(English: missing)" in second
    assert "(Estonian: written)" in second


def test_the_search_finds_words_in_any_language_and_the_filters_narrow_it(
    editor, article, internal
):
    other = make_article(
        category=Category.ESERVICE,
        title_et="Majutuse teade",
        title_en="Accommodation notice",
        title_ru="",
        body_et="Teade esitatakse e-teenuses.",
        body_en="The notice is filed in the e-service.",
        body_ru="",
        is_public=False,
    )

    assert titles(editor.get(LIST, {"q": "haldusliides"})) == [internal.title_et]
    assert titles(editor.get(LIST, {"q": "Выберите"})) == [article.title_et]
    assert titles(editor.get(LIST, {"q": "accommodation notice"})) == [other.title_et]
    assert titles(editor.get(LIST, {"q": "nothing-like-this"})) == []
    assert titles(editor.get(LIST, {"category": Category.ESERVICE})) == [other.title_et]
    assert titles(editor.get(LIST, {"visibility": "public"})) == [article.title_et]
    assert set(titles(editor.get(LIST, {"visibility": "internal"}))) == {
        internal.title_et,
        other.title_et,
    }
    assert titles(editor.get(LIST, {"q": "e-teenus", "visibility": "internal"})) == [other.title_et]
    assert "No articles match the search and filters." in editor.get(LIST, {"q": "zzz"}).text


def test_the_list_runs_the_same_queries_for_3_and_40_articles(
    editor, clerk, django_assert_max_num_queries
):
    for n in range(3):
        make_article(title_et=f"Artikkel {n:02d}", updated_by=clerk)
    with CaptureQueriesContext(connection) as few:
        editor.get(LIST, {"q": "artikkel"})
    for n in range(3, 40):
        make_article(title_et=f"Artikkel {n:02d}", is_public=bool(n % 2), updated_by=clerk)

    with django_assert_max_num_queries(len(few)):
        response = editor.get(LIST, {"q": "artikkel"})
    assert len(titles(response)) == 25
    with django_assert_max_num_queries(len(few)):
        second = editor.get(LIST + response.context["page"].links["next"])
    assert len(titles(second)) == 15
    assert "q=artikkel" in response.context["page"].links["next"]


# --- Create and change ----------------------------------------------------------------------------


def test_the_form_tells_about_the_placeholders(editor):
    response = editor.get(NEW)
    assert response.status_code == 200
    assert "{{ name }}" in response.text
    assert "{{ code }}" in response.text
    assert "When the article is used as the answer to a ticket" in response.text


def test_the_clerk_creates_an_article(editor, clerk):
    response = editor.post(NEW, form_data(), follow=True)

    article = Article.objects.get()
    assert response.redirect_chain == [(edit_url(article), 302)]
    assert message_texts(response) == ["The article “Taotluse oleku vaatamine” was created."]
    assert (article.category, article.is_public, article.updated_by) == (
        Category.ESERVICE,
        True,
        clerk,
    )
    assert article.body_et == "Tere, {{ name }}!\n\nTaotluse oleku leiate jälgimiskoodiga."
    assert article.title_en == "Checking the status of an application"
    assert article.title_ru == ""
    assert article.body_ru == ""


def test_the_clerk_changes_an_article_and_makes_it_internal(editor, article):
    data = form_data(
        title_et="Sisselogimine",
        body_et="Uus tekst.",
        title_ru="Вход",
        body_ru="Новый текст.",
        category=Category.ACCOUNT,
    )
    del data["is_public"]

    response = editor.post(edit_url(article), data, follow=True)

    article.refresh_from_db()
    assert message_texts(response) == ["The article “Sisselogimine” was saved."]
    assert (article.title_et, article.body_et, article.is_public) == (
        "Sisselogimine",
        "Uus tekst.",
        False,
    )
    assert (article.title_ru, article.body_ru) == ("Вход", "Новый текст.")
    assert 'value="Sisselogimine"' in response.text
    assert Article.objects.count() == 1


def test_the_estonian_title_and_text_are_required_and_the_rest_is_kept(editor):
    response = editor.post(NEW, form_data(title_et="", body_et=" "))

    assert response.status_code == 200
    assert not Article.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) == {"title_et", "body_et"}
    assert 'value="Checking the status of an application"' in response.text
    assert "Nothing was saved: see the messages below." in message_texts(response)


def test_a_title_without_its_text_in_another_language_is_refused(editor, article):
    response = editor.post(edit_url(article), form_data(title_ru="Статус", body_en=""))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"body_ru", "body_en"}
    article.refresh_from_db()
    assert article.title_ru == "Как войти в э-услугу"


def test_an_unknown_article_is_404(editor):
    assert editor.get(reverse("helpdesk:article-edit", args=[999999])).status_code == 404


def test_the_edit_form_is_filled_with_the_article(editor, article):
    response = editor.get(edit_url(article))
    assert re.search(
        r'<input[^>]*name="title_en"[^>]*value="How to sign in to the e-service"', response.text
    )
    assert re.search(r'<input[^>]*name="is_public"[^>]*checked', response.text)
