"""The public document register: no login; a restricted document shows only its number, date,
type and restriction basis; a private person is never named. Every way in is tried: the list,
each search field, sorting, the detail page, its <title>, files, the CSV export, the feed and the
error pages. A leak here is the worst bug the product can have."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from core import roles
from registry import services
from registry.models import Attachment, Channel, Direction, Document, DocumentType
from registry.views import public as public_views
from tests.factories import PartyFactory, SeriesFactory

pytestmark = pytest.mark.django_db

BASIS = "AvTS § 35 lg 1 p 12"
RESTRICTED_TITLE = "Salajane terviseandmete ekspertiis kava"
RESTRICTED_PARTY = "AS Varjatud Partner"
RESTRICTED_REFERENCE = "VP-77/SALADUS"
RESTRICTED_NOTE = "Siseringi märkus"
RESTRICTED_FILE = "ekspertiis-varjatud.pdf"
NORMAL_TITLE = "Teeremondi kava Pärnu maanteel"
NORMAL_FILE = "teeremondi-kava.pdf"
HIDDEN_FILE = "sisemine-memo.pdf"
PRIVATE_NAME = "Mari-Liis Õunapuu"
PRIVATE_TITLE = "Taotlus kalmistu hoolduseks"
PRIVATE_REFERENCE = "isiklik-viide-42"

# Strings that must never reach a public response.
SECRETS = [
    "Salajane",
    "terviseandmete",
    "ekspertiis",
    "Varjatud",
    RESTRICTED_REFERENCE,
    RESTRICTED_NOTE,
    RESTRICTED_FILE,
    HIDDEN_FILE,
    "Mari-Liis",
    "Õunapuu",
    "Ounapuu",
    PRIVATE_REFERENCE,
    "Rüütli 12",
    "Narva mnt",
]


def pdf(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@dataclass
class Register:
    normal: Document
    restricted: Document
    private: Document
    private_person: object


@pytest.fixture
def register(make_document, basis, private_person, clerk):
    normal = make_document(title=NORMAL_TITLE, files=[pdf(NORMAL_FILE)], public_files=True)
    services.attachment_add(
        actor=clerk,
        document=normal,
        uploaded=pdf(HIDDEN_FILE),
        is_public=False,
        withheld_reason="Allkirjaga skaneering",
    )
    restricted = make_document(
        title=RESTRICTED_TITLE,
        sender=PartyFactory(name=RESTRICTED_PARTY),
        sender_reference=RESTRICTED_REFERENCE,
        notes=RESTRICTED_NOTE,
        restriction_basis=basis,
        files=[pdf(RESTRICTED_FILE)],
        public_files=True,
    )
    private = make_document(
        title=PRIVATE_TITLE,
        sender=private_person,
        sender_reference=PRIVATE_REFERENCE,
        doc_type=DocumentType.APPLICATION,
        channel=Channel.EMAIL,
    )
    return Register(normal, restricted, private, private_person)


def text_of(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8")


def assert_no_secrets(response, *, searched: str = "") -> None:
    """No secret in the body. The visitor's own search text comes back in the form and in the
    language switch's return address; those echoes are removed before looking."""
    text = text_of(response)
    if searched:
        for form in {searched, quote(searched), quote(searched, safe=""), quote_plus(searched)}:
            text = text.replace(form, "")
    lowered = text.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, f"{secret!r} leaked"
    if searched:  # a searched secret can only have come back as the echo
        for word in searched.split():
            if len(word) >= 5:  # short words ("AS") are in any page's markup
                assert word.lower() not in lowered, f"{word!r} leaked"


def quote_plus(text: str) -> str:
    from urllib.parse import quote_plus as qp

    return qp(text)


def results(response) -> str:
    """The results section of the list page."""
    text = text_of(response)
    start = text.index('<section aria-labelledby="results-heading">')
    return text[start : text.index("</section>", start)]


def listed_numbers(response) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', results(response))


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def public_list(client, **params):
    return client.get(reverse("registry:public-list"), params)


def detail_url(document) -> str:
    return reverse("registry:public-detail", args=[document.public_code])


def file_url(document, attachment) -> str:
    return reverse("registry:public-file", args=[document.public_code, attachment.public_code])


def normalised_404(response) -> str:
    """The body of an error page without what differs per request (CSRF token, own address)."""
    text = text_of(response)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", text)


# --- The list -----------------------------------------------------------------------------------


def test_list_needs_no_login_and_shows_every_document_masked(client, register):
    response = public_list(english(client))

    assert response.status_code == 200
    assert set(listed_numbers(response)) == {
        register.normal.number,
        register.restricted.number,
        register.private.number,
    }
    assert NORMAL_TITLE in response.text
    assert "OÜ Põhjarannik" in response.text
    assert PRIVATE_TITLE in response.text
    assert "Private person" in response.text
    assert f"Access restricted: {BASIS}" in response.text
    assert_no_secrets(response)


def test_restricted_row_shows_number_date_type_and_basis(client, register):
    response = public_list(english(client))
    row = re.search(
        rf"<tr>\s*<th[^>]*><a[^>]*>{re.escape(register.restricted.number)}</a></th>(.*?)</tr>",
        results(response),
        re.S,
    ).group(1)

    assert register.restricted.registered_on.strftime("%d.%m.%Y") in row
    assert "letter" in row
    assert BASIS in row


def test_a_signed_in_head_sees_the_same_masked_register(client, register, make_user):
    # A fixed name: the header shows it, and a random one could be one of the secrets.
    head = make_user(roles.HEAD, username="head", first_name="Kadri", last_name="Kuusk")
    client.force_login(head)  # may see restricted documents in the staff pages, not here
    response = public_list(client)

    assert response.status_code == 200
    assert register.restricted.number in response.text
    assert_no_secrets(response)


def test_invalid_search_shows_the_error_and_no_documents(client, register):
    response = public_list(
        english(client), date_from="2025-05-10", date_to="2025-05-01", sort="title"
    )

    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in response.text
    assert "Select a valid choice" in response.text
    assert listed_numbers_or_none(response) == []
    assert_no_secrets(response)


def listed_numbers_or_none(response) -> list[str]:
    try:
        return listed_numbers(response)
    except ValueError:
        return []


@pytest.mark.parametrize("sort", ["-date", "date", "number", "-number", "title", "party", ""])
def test_sorting_by_any_parameter_leaks_nothing(client, register, sort):
    response = public_list(client, sort=sort)

    assert response.status_code == 200
    assert_no_secrets(response)


def test_sorting_by_number_orders_the_numbers(client, register):
    ascending = listed_numbers(public_list(client, sort="number"))
    descending = listed_numbers(public_list(client, sort="-number"))

    assert ascending == sorted(ascending)
    assert descending == sorted(ascending, reverse=True)


def test_newest_first_by_default(client, register, make_document):
    older = make_document(title="Vanem kiri", received_on=timezone.localdate() - timedelta(days=40))

    numbers = listed_numbers(public_list(client))

    assert numbers[-1] == older.number


def test_title_is_never_offered_as_an_order(client):
    response = public_list(client)

    options = re.search(r'<select name="sort".*?</select>', response.text, re.S).group(0)
    assert re.findall(r'value="([^"]*)"', options) == ["-date", "date", "number", "-number"]


def test_search_form_fields_have_labels(client):
    response = public_list(client)

    for name in ["q", "party", "number", "doc_type", "series", "date_from", "date_to", "sort"]:
        assert re.search(rf'<label\s+for="id_{name}"', response.text), name


# --- Searching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", RESTRICTED_TITLE.split())
def test_search_by_each_word_of_a_restricted_title_finds_nothing_restricted(client, register, word):
    response = public_list(client, q=word)

    assert register.restricted.number not in listed_numbers(response)
    assert_no_secrets(response, searched=word)


def test_a_word_shared_with_a_public_title_finds_only_the_public_document(client, register):
    response = public_list(client, q="kava")

    assert listed_numbers(response) == [register.normal.number]


@pytest.mark.parametrize("word", NORMAL_TITLE.split())
def test_search_by_each_word_of_a_public_title_finds_it(client, register, word):
    response = public_list(client, q=word)

    assert register.normal.number in listed_numbers(response)
    assert_no_secrets(response, searched=word)


def test_search_ignores_accents_and_case(client, register):
    assert listed_numbers(public_list(client, q="parnu MAANT")) == [register.normal.number]


def test_search_by_a_number_prefix_finds_a_restricted_document_masked(client, register):
    response = public_list(english(client), q=register.restricted.number)

    assert listed_numbers(response) == [register.restricted.number]
    assert f"Access restricted: {BASIS}" in response.text
    assert_no_secrets(response)


def test_number_field_matches_the_beginning_of_the_number(client, register):
    response = public_list(client, number=register.normal.number[:-1])

    assert set(listed_numbers(response)) == {
        register.normal.number,
        register.restricted.number,
        register.private.number,
    }
    assert listed_numbers(public_list(client, number="9-9/")) == []


@pytest.mark.parametrize("field", ["q", "party"])
@pytest.mark.parametrize("text", ["Põhjarannik", "pohjarannik", "OÜ Põhja"])
def test_search_by_an_organisation_finds_its_documents(client, register, field, text):
    response = public_list(client, **{field: text})

    assert register.normal.number in listed_numbers(response)


@pytest.mark.parametrize("field", ["q", "party"])
@pytest.mark.parametrize("text", [RESTRICTED_PARTY, "Varjatud", "partner"])
def test_search_by_the_party_of_a_restricted_document_finds_nothing(client, register, field, text):
    response = public_list(client, **{field: text})

    assert listed_numbers_or_none(response) == []
    assert_no_secrets(response, searched=text)


@pytest.mark.parametrize("field", ["q", "party"])
@pytest.mark.parametrize("text", [PRIVATE_NAME, "Õunapuu", "ounapuu", "Mari-Liis", "isik"])
def test_search_by_a_private_persons_name_finds_nothing_and_reveals_nothing(
    client, register, field, text
):
    response = public_list(client, **{field: text})
    nobody = public_list(client, **{field: "Olematu Nimetu"})

    assert listed_numbers_or_none(response) == []
    assert results(response) == results(nobody)  # as if the person did not exist
    assert_no_secrets(response, searched=text)


def test_search_by_a_private_persons_email_finds_nothing(client, register):
    email = register.private_person.email
    response = public_list(client, q=email)

    assert listed_numbers_or_none(response) == []


def test_public_search_vector_never_holds_a_private_name(register):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT public_search_vector::text, search_vector::text FROM registry_document "
            "WHERE id = %s",
            [register.private.pk],
        )
        public_vector, staff_vector = cursor.fetchone()

    assert "ounapuu" in staff_vector  # staff search finds the person
    assert "ounapuu" not in public_vector
    assert "mari" not in public_vector
    assert "isik" not in public_vector  # nor their e-mail address


def test_filters_by_type_series_and_period(client, register, make_document):
    other_series = SeriesFactory(code="7-1", title="Lepingud")
    contract = make_document(
        series=other_series,
        doc_type=DocumentType.CONTRACT,
        title="Rendileping",
        received_on=timezone.localdate() - timedelta(days=60),
    )
    day = contract.registered_on.isoformat()

    assert listed_numbers(public_list(client, doc_type="contract")) == [contract.number]
    assert listed_numbers(public_list(client, series="7-1")) == [contract.number]
    assert listed_numbers(public_list(client, date_from=day, date_to=day)) == [contract.number]
    assert contract.number not in listed_numbers(
        public_list(client, date_from=(contract.registered_on + timedelta(days=1)).isoformat())
    )
    assert listed_numbers(public_list(client, doc_type="application")) == [register.private.number]


# --- Restrictions that ended, were lifted or are set later --------------------------------------


def test_a_restriction_that_ended_yesterday_shows_the_document_in_full(client, register):
    yesterday = timezone.localdate() - timedelta(days=1)
    Document.objects.filter(pk=register.restricted.pk).update(
        restriction_start=yesterday - timedelta(days=30), restriction_end=yesterday
    )

    listing = public_list(client, q="terviseandmete")
    page = client.get(detail_url(register.restricted))

    assert listed_numbers(listing) == [register.restricted.number]
    assert RESTRICTED_TITLE in page.text
    assert RESTRICTED_PARTY in page.text
    assert RESTRICTED_FILE in page.text
    attachment = register.restricted.attachments.get()
    assert client.get(file_url(register.restricted, attachment)).status_code == 200


def test_a_restriction_that_ends_today_still_hides_the_document(client, register):
    today = timezone.localdate()
    Document.objects.filter(pk=register.restricted.pk).update(
        restriction_start=today - timedelta(days=30), restriction_end=today
    )

    assert_no_secrets(client.get(detail_url(register.restricted)))
    assert_no_secrets(public_list(client))


def test_a_lifted_restriction_shows_the_document_in_full(client, register, clerk):
    services.document_lift_restriction(
        actor=clerk, document=register.restricted, reason="Avalikustamise otsus"
    )

    page = client.get(detail_url(register.restricted))

    assert RESTRICTED_TITLE in page.text
    assert RESTRICTED_REFERENCE in page.text
    assert RESTRICTED_NOTE not in page.text  # notes are for staff only, always
    assert listed_numbers(public_list(client, party="Varjatud")) == [register.restricted.number]


def test_a_restriction_set_after_registration_hides_the_document(client, register, clerk, basis):
    services.document_restrict(actor=clerk, document=register.normal, basis=basis)
    attachment = register.normal.attachments.get(name=NORMAL_FILE)

    page = client.get(detail_url(register.normal))
    listing = public_list(client, q="Teeremondi")

    assert NORMAL_TITLE not in page.text
    assert NORMAL_FILE not in page.text
    assert "Põhjarannik" not in page.text
    assert register.normal.number not in listed_numbers(listing)
    assert client.get(file_url(register.normal, attachment)).status_code == 404


# --- Detail page --------------------------------------------------------------------------------


def test_restricted_detail_shows_only_number_date_type_and_basis(client, register):
    response = english(client).get(detail_url(register.restricted))

    assert response.status_code == 200
    assert register.restricted.number in response.text
    assert register.restricted.registered_on.strftime("%d.%m.%Y") in response.text
    assert "letter" in response.text
    assert BASIS in response.text
    assert_no_secrets(response)


def test_restricted_detail_page_title_and_meta_hold_no_title(client, register):
    response = english(client).get(detail_url(register.restricted))
    head = response.text.split("</head>")[0]

    title = re.search(r"<title>(.*?)</title>", head, re.S).group(1)
    assert register.restricted.number in title
    assert "Salajane" not in head
    assert '<meta name="robots" content="noindex">' in head


def test_public_detail_shows_metadata_and_only_public_files(client, register):
    response = english(client).get(detail_url(register.normal))

    assert response.status_code == 200
    assert NORMAL_TITLE in re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)
    assert "OÜ Põhjarannik" in response.text
    assert NORMAL_FILE in response.text
    assert HIDDEN_FILE not in response.text
    attachment = register.normal.attachments.get(name=NORMAL_FILE)
    assert file_url(register.normal, attachment) in response.text
    assert_no_secrets(response)


def test_private_persons_document_names_no_one(client, register):
    response = english(client).get(detail_url(register.private))

    assert PRIVATE_TITLE in response.text
    assert "Private person" in response.text
    assert register.private_person.email not in response.text
    assert_no_secrets(response)


def test_reply_links_use_public_codes_and_mask_a_private_recipient(client, register, clerk):
    reply = services.document_register_reply(
        actor=clerk,
        document=register.private,
        title="Vastus kalmistu taotlusele",
        channel=Channel.EMAIL,
        sent_on=register.private.registered_on,
    )
    assert reply.direction == Direction.OUTGOING

    original = english(client).get(detail_url(register.private))
    answer = client.get(detail_url(reply))

    assert detail_url(reply) in original.text
    assert detail_url(register.private) in answer.text
    assert "Recipient" in answer.text
    assert "Private person" in answer.text
    assert f"/register/{reply.pk}/" not in original.text
    assert_no_secrets(original)
    assert_no_secrets(answer)


def test_reply_to_a_restricted_document_is_restricted_too(client, register, clerk):
    reply = services.document_register_reply(
        actor=clerk,
        document=register.restricted,
        title="Vastus ekspertiisi kohta salajane",
        channel=Channel.POST,
        sent_on=register.restricted.registered_on,
    )

    assert_no_secrets(client.get(detail_url(reply)))
    assert_no_secrets(public_list(client))
    assert_no_secrets(client.get(detail_url(register.restricted)))


def test_unknown_code_and_pk_give_404(client, register):
    assert client.get(reverse("registry:public-detail", args=["olematu-kood"])).status_code == 404
    by_pk = client.get(reverse("registry:public-detail", args=[str(register.restricted.pk)]))
    assert by_pk.status_code == 404
    assert_no_secrets(by_pk)


def test_detail_escapes_html_in_a_title(client, make_document):
    document = make_document(title="<script>alert(1)</script> kiri")

    response = client.get(detail_url(document))

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; kiri" in response.text


# --- Files --------------------------------------------------------------------------------------


def test_public_file_downloads_as_an_attachment(client, register):
    attachment = register.normal.attachments.get(name=NORMAL_FILE)

    response = client.get(file_url(register.normal, attachment))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert NORMAL_FILE in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_restricted_file_unpublished_file_and_unknown_code_give_the_same_404(client, register):
    restricted_file = register.restricted.attachments.get()
    hidden_file = register.normal.attachments.get(name=HIDDEN_FILE)
    public_file = register.normal.attachments.get(name=NORMAL_FILE)

    unknown = client.get(
        reverse("registry:public-file", args=[register.normal.public_code, "olematu"])
    )
    answers = [
        client.get(file_url(register.restricted, restricted_file)),
        client.get(file_url(register.normal, hidden_file)),
        # a public file asked for under another document's code
        client.get(
            reverse(
                "registry:public-file",
                args=[register.private.public_code, public_file.public_code],
            )
        ),
        client.get(reverse("registry:public-file", args=["olematu", restricted_file.public_code])),
    ]

    assert unknown.status_code == 404
    for response in answers:
        assert response.status_code == 404
        assert normalised_404(response) == normalised_404(unknown)
        assert_no_secrets(response)


def test_file_of_a_restricted_document_stays_hidden_even_if_marked_public(register):
    attachment = register.restricted.attachments.get()
    assert attachment.is_public  # marked public by mistake: the restriction still wins
    assert Attachment.objects.filter(pk=attachment.pk, document__in=Document.objects.restricted())


# --- Query counts, pagination and rate limits ---------------------------------------------------


def test_list_runs_the_same_number_of_queries_for_1_and_31_documents(
    client, make_document, basis, private_person, django_assert_max_num_queries
):
    make_document(title="Esimene")
    with CaptureQueriesContext(connection) as one:
        public_list(client)
    for index in range(30):
        make_document(
            title=f"Kiri {index}",
            sender=private_person if index % 3 == 0 else PartyFactory(),
            restriction_basis=basis if index % 4 == 0 else None,
        )

    with django_assert_max_num_queries(len(one)):
        response = public_list(client, sort="number")

    assert len(listed_numbers(response)) == 25


def test_detail_runs_a_fixed_number_of_queries(
    client, register, clerk, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as before:
        client.get(detail_url(register.normal))
    for index in range(3):
        services.document_register_reply(
            actor=clerk,
            document=register.normal,
            title=f"Vastus {index}",
            channel=Channel.POST,
            sent_on=register.normal.registered_on,
        )
        services.attachment_add(
            actor=clerk, document=register.normal, uploaded=pdf(f"lisa-{index}.pdf"), is_public=True
        )

    with django_assert_max_num_queries(len(before)):
        client.get(detail_url(register.normal))


def test_the_count_is_capped_and_every_page_is_reachable(client, make_document, monkeypatch):
    from core import listing

    monkeypatch.setattr(public_views, "PER_PAGE", 2)
    monkeypatch.setattr(listing, "COUNT_CAP", 4)
    documents = [make_document(title=f"Kiri {index}") for index in range(6)]

    response = public_list(english(client), page=99)  # an old page link: the first page
    assert response.status_code == 200
    assert "More than 4 documents" in response.text
    assert listed_numbers(response) == [documents[5].number, documents[4].number]

    last = client.get(reverse("registry:public-list") + response.context["page"].links["last"])
    assert listed_numbers(last) == [documents[1].number, documents[0].number]


def test_the_list_is_rate_limited_per_address(client, settings):
    settings.REGISTRY_PUBLIC_PAGE_RATE = "3/d"  # a long window: never crossed during the test

    answers = [public_list(client).status_code for _ in range(4)]
    other = Client(REMOTE_ADDR="10.0.0.9")

    assert answers == [200, 200, 200, 429]
    assert public_list(other).status_code == 200


def test_downloads_are_rate_limited(client, register, settings):
    settings.REGISTRY_PUBLIC_DOWNLOAD_RATE = "2/d"  # a long window: never crossed during the test
    attachment = register.normal.attachments.get(name=NORMAL_FILE)

    answers = [client.get(file_url(register.normal, attachment)).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


# --- CSV export and feed ------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text_of(response).lstrip("\ufeff")), delimiter=";"))


def test_csv_export_is_masked_like_the_list(client, register):
    response = english(client).get(reverse("registry:public-export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = {row[0]: row for row in csv_rows(response)[1:]}
    assert rows[register.normal.number][3] == NORMAL_TITLE
    assert rows[register.private.number][4] == "Private person"
    assert rows[register.restricted.number][3] == f"Access restricted: {BASIS}"
    assert rows[register.restricted.number][4] == ""
    assert_no_secrets(response)


@pytest.mark.parametrize(
    "params", [{"q": "Salajane"}, {"party": "Õunapuu"}, {"party": "Varjatud"}, {"sort": "title"}]
)
def test_csv_export_of_a_search_leaks_nothing(client, register, params):
    response = client.get(reverse("registry:public-export"), params)

    assert_no_secrets(response, searched=params.get("q") or params.get("party") or "")


def test_csv_export_is_limited_and_defuses_formulas(client, make_document, monkeypatch):
    monkeypatch.setattr(public_views, "EXPORT_MAX_ROWS", 2)
    for index in range(3):
        make_document(title=f'=HYPERLINK("http://kuri.example") {index}')

    rows = csv_rows(client.get(reverse("registry:public-export")))

    assert len(rows) == 3  # the header and two rows
    assert all(row[3].startswith("'=") for row in rows[1:])


def test_csv_export_is_rate_limited(client, settings):
    settings.REGISTRY_PUBLIC_EXPORT_RATE = "1/d"  # a long window: never crossed during the test

    assert client.get(reverse("registry:public-export")).status_code == 200
    assert client.get(reverse("registry:public-export")).status_code == 429


def test_feed_lists_public_documents_masked(client, register):
    response = english(client).get(reverse("registry:public-feed"))

    assert response.status_code == 200
    assert "application/atom+xml" in response["Content-Type"]
    assert NORMAL_TITLE in response.text
    assert PRIVATE_TITLE in response.text
    assert "Private person" in response.text
    assert register.restricted.public_code not in response.text
    assert detail_url(register.normal) in response.text
    assert_no_secrets(response)


# --- Error pages, header, robots.txt -------------------------------------------------------------


def test_error_pages_hold_nothing_of_the_document(client, register):
    attachment = register.restricted.attachments.get()
    response = client.get(file_url(register.restricted, attachment))

    assert response.status_code == 404
    assert register.restricted.number not in response.text
    assert_no_secrets(response)


def test_header_brand_leads_a_visitor_to_the_register(client):
    response = public_list(client)

    brand = re.search(r'<a class="navbar-brand[^"]*" href="([^"]+)"', response.text).group(1)
    assert brand == reverse("registry:public-list")


def test_login_page_links_to_the_public_register(client):
    response = client.get(reverse("login"))

    assert response.text.count(f'href="{reverse("registry:public-list")}"') >= 1


def test_robots_txt_lets_crawlers_read_the_register_but_not_searches_or_files(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    assert "Allow: /register/" in lines
    assert "Disallow: /register/*?" in lines
    assert "Disallow: /register/*/files/" in lines
    assert "Disallow: /" in lines


# --- Languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "language"),
    [
        ({}, "et"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru"}, "ru"),
        ({"cookie": "ru"}, "ru"),
        ({"cookie": "en"}, "en"),
    ],
)
def test_every_language_renders_the_register(client, register, how, language):
    if "cookie" in how:
        client.cookies["django_language"] = how["cookie"]
        extra = {}
    else:
        extra = how
    for url in [reverse("registry:public-list"), detail_url(register.private)]:
        response = client.get(url, **extra)

        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.text
        assert_no_secrets(response)


def test_english_says_private_person_and_access_restricted(client, register):
    response = client.get(reverse("registry:public-list"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Private person" in response.text
    assert f"Access restricted: {BASIS}" in response.text
    assert "Public document register" in response.text


def test_estonian_says_eraisik_and_juurdepaasupiirang(client, register):
    response = client.get(reverse("registry:public-list"))

    assert "Eraisik" in response.text
    assert f"Juurdepääsupiirang: {BASIS}" in response.text
    assert "Avalik dokumendiregister" in response.text


def test_russian_says_chastnoe_litso(client, register):
    client.cookies["django_language"] = "ru"
    response = client.get(reverse("registry:public-list"))

    assert "Частное лицо" in response.text
