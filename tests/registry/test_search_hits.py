"""What a search shows: hits marked in the title (staff and public), a piece of file text where
the hit is (staff only), with a constant number of queries, and "did you mean" when nothing is
found — never a word of a document the asker may not see."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from registry import search
from registry.models import Document

STAFF = reverse("registry:document-list")
PUBLIC = reverse("registry:public-list")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


# --- Marking ------------------------------------------------------------------------------------


def test_mark_wraps_inflected_and_unaccented_hits_and_escapes_the_rest():
    html = search.mark("Teabenõue <b>ja</b> Õunapuu & co", "teabenõude ounapuule")
    assert html == ("<mark>Teabenõue</mark> &lt;b&gt;ja&lt;/b&gt; <mark>Õunapuu</mark> &amp; co")


def test_mark_without_search_words_only_escapes():
    assert search.mark("<i>Kiri</i>", "  ") == "&lt;i&gt;Kiri&lt;/i&gt;"


def test_python_unaccent_agrees_with_postgresql_on_the_letters_we_write(db):
    letters = (
        "õäöüšžáàâãåçéèêëíìîïñóòôúùûýÿāčēģīķļņōŗūøæßłđœ" + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяі"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent(%s)", [letters])
        assert search.unaccent(letters) == cursor.fetchone()[0]


# --- The staff list -----------------------------------------------------------------------------


def test_the_staff_list_marks_the_hit_in_the_title(client, clerk, make_document):
    make_document(title="Teabenõue <script>x</script>")
    client.force_login(clerk)

    response = client.get(STAFF, {"q": "teabenõude"})

    assert "<mark>Teabenõue</mark> &lt;script&gt;x&lt;/script&gt;" in response.text


def test_a_hit_in_a_file_shows_a_marked_piece_of_its_text(
    client, clerk, make_document, django_capture_on_commit_callbacks
):
    text = "Algus. " + "täide " * 40 + "Ehitusloa <taotlus> menetlus jätkub. " + "lõpp " * 40
    with django_capture_on_commit_callbacks(execute=True):
        make_document(title="Kiri", files=[SimpleUploadedFile("kiri.txt", text.encode())])
    client.force_login(clerk)

    response = client.get(STAFF, {"q": "ehitusload"})

    assert "search-snippet" in response.text
    assert "<mark>Ehitusloa</mark> &lt;taotlus&gt; menetlus" in response.text
    assert "Algus." not in response.text  # a piece around the hit, not the whole file


@pytest.mark.parametrize("query", ["õunapuu", "ounapuu", "ÕUNAPUU"])
def test_a_file_hit_is_found_whatever_its_accents_and_case(
    client, clerk, make_document, django_capture_on_commit_callbacks, query
):
    text = "Sissejuhatus. " + "täide " * 40 + "Kiri (ÕUNAPUU talu) ja muu. " + "lõpp " * 40
    with django_capture_on_commit_callbacks(execute=True):
        make_document(title="Kiri", files=[SimpleUploadedFile("kiri.txt", text.encode())])
    client.force_login(clerk)

    response = client.get(STAFF, {"q": query})

    assert "search-snippet" in response.text
    assert "(<mark>ÕUNAPUU</mark> talu)" in response.text


def test_searching_the_list_costs_one_query_more_whatever_the_rows(
    client, clerk, make_document, django_capture_on_commit_callbacks
):
    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(STAFF, params).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(n):
                make_document(
                    title="Kiri",
                    files=[SimpleUploadedFile("lisa.txt", "Hoonestusõiguse leping".encode())],
                )

    add(1)
    client.force_login(clerk)
    client.get(STAFF)  # the first request after signing in renews the session (a write)
    one = queries({"q": "hoonestusõigus"})
    add(15)
    assert queries({"q": "hoonestusõigus"}) == one
    assert queries({}) <= one - 1  # without a search, no snippet query


# --- The public register ------------------------------------------------------------------------


def test_the_public_list_marks_the_title_and_never_shows_file_text(
    client, make_document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_document(
            title="Taotlus õunapuule",
            files=[SimpleUploadedFile("a.txt", "Õunapuu salajane märkus".encode())],
            public_files=True,
        )

    response = client.get(PUBLIC, {"q": "õunapuu"})

    assert "Taotlus <mark>õunapuule</mark>" in response.text
    assert "salajane" not in response.text


# --- Did you mean -------------------------------------------------------------------------------


def test_a_misspelt_search_offers_the_closest_title_word(client, clerk, make_document):
    make_document(title="Teabenõue maanteeametile")
    client.force_login(clerk)

    response = client.get(STAFF, {"q": "maanteamet", "status": "open"})

    link = re.search(r'Did you mean: <a href="\?([^"]+)">([^<]+)</a>', response.text)
    assert link is not None
    assert link.group(2) == "maanteeametile"
    assert parse_qs(unescape(link.group(1))) == {"q": ["maanteeametile"], "status": ["open"]}
    assert client.get(STAFF, {"q": "maanteeametile"}).text.count("<mark>") == 1


def test_the_public_register_offers_a_suggestion_too(client, make_document):
    make_document(title="Hankeleping koristusteenusele")

    response = client.get(PUBLIC, {"q": "koristusteenus hankelepping"})

    assert "Did you mean:" in response.text
    assert ">koristusteenusele hankeleping</a>" in response.text


def test_no_suggestion_when_the_search_finds_something(client, clerk, make_document):
    make_document(title="Teabenõue")
    client.force_login(clerk)
    assert "Did you mean" not in client.get(STAFF, {"q": "teabenõue"}).text


RESTRICTED_WORD = "Salajaneekspertiis"


@pytest.fixture
def other_clerk(make_user):
    """A clerk who neither registered nor is responsible for the restricted document."""
    return make_user(roles.CLERK, username="other-clerk")


@pytest.fixture
def restricted_word(make_document, basis):
    return make_document(title=f"{RESTRICTED_WORD} ministrile", restriction_basis=basis)


def test_a_restricted_title_word_is_never_suggested_publicly(client, restricted_word):
    assert search.public_suggestion("salajaneekspertis") is None
    response = client.get(PUBLIC, {"q": "salajaneekspertis"})
    assert "Did you mean" not in response.text
    assert RESTRICTED_WORD.lower() not in response.text.lower()


def test_staff_get_the_suggestion_only_if_they_may_see_the_document(
    client, restricted_word, advisor, other_clerk
):
    assert search.staff_suggestion(advisor, "salajaneekspertis") == RESTRICTED_WORD.lower()
    assert search.staff_suggestion(other_clerk, "salajaneekspertis") is None
    client.force_login(other_clerk)
    assert "Did you mean" not in client.get(STAFF, {"q": "salajaneekspertis"}).text


def test_a_word_public_once_is_not_suggested_after_its_document_is_restricted(make_document, basis):
    document = make_document(title="Kohtuotsuse ärakiri")
    assert search.public_suggestion("kohtuotsse") == "kohtuotsuse"
    today = timezone.localdate()
    Document.objects.filter(pk=document.pk).update(
        restriction_basis=basis, restriction_start=today, restriction_end=today + timedelta(1)
    )

    assert search.public_suggestion("kohtuotsse") is None
