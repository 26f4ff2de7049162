"""The quote pages (assets/views/quotes.py): the list, a new request with the threshold
warning, the suppliers asked and their quotes with files, and the choice with its reason.

Who: the asset manager does everything, the head only looks, a clerk gets 403, an anonymous
visitor the sign-in page.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.models import Quote, QuoteRequest

pytestmark = pytest.mark.django_db

Kind = QuoteRequest.Kind
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WARNING = "simple-procurement threshold"


def pdf_file(name="pakkumine.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def url(name, *args):
    return reverse(f"assets:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def reload(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def make_request(manager):
    def make(**kwargs):
        values = {
            "subject": "Kontoriruumide koristus 2026",
            "kind": Kind.SERVICES,
            "estimated_value": Decimal("12000"),
            "deadline": timezone.localdate() + timedelta(days=14),
        }
        values.update(kwargs)
        return services.quote_request_create(actor=manager, **values)

    return make


@pytest.fixture
def quote_request(make_request):
    return make_request()


def add_quote(quote_request, manager, supplier, amount=None, **kwargs):
    return services.quote_add(
        actor=manager, request=quote_request, supplier=supplier, amount=amount, **kwargs
    )


# --- Access -------------------------------------------------------------------------------------


def _urls(quote_request, quote):
    gets = [
        url("quote-list"),
        url("quote-new"),
        url("quote-detail", quote_request.pk),
        url("quote-file", quote_request.pk, quote.pk),
    ]
    posts = [
        url("quote-new"),
        url("quote-add", quote_request.pk),
        url("quote-record", quote_request.pk, quote.pk),
        url("quote-choose", quote_request.pk),
    ]
    return gets, posts


@pytest.fixture
def with_file(quote_request, manager):
    return add_quote(quote_request, manager, "Puhas OÜ", Decimal("9000"), uploaded=pdf_file())


def test_anonymous_visitors_are_sent_to_sign_in(client, quote_request, with_file):
    gets, posts = _urls(quote_request, with_file)
    for address in gets:
        response = client.get(address)
        assert response.status_code == 302, address
        assert "/accounts/login/" in response.url, address
    for address in posts:
        response = client.post(address)
        assert response.status_code == 302, address
        assert "/accounts/login/" in response.url, address


def test_staff_without_the_permission_get_403(client, clerk, quote_request, with_file):
    client.force_login(clerk)
    gets, posts = _urls(quote_request, with_file)
    for address in gets:
        assert client.get(address).status_code == 403, address
    for address in posts:
        assert client.post(address).status_code == 403, address
    assert QuoteRequest.objects.count() == 1


def test_the_head_looks_but_does_not_change(client, head, quote_request, with_file):
    client.force_login(head)
    assert client.get(url("quote-list")).status_code == 200
    response = client.get(url("quote-detail", quote_request.pk))
    assert response.status_code == 200
    assert "Puhas OÜ" in response.text
    assert url("quote-add", quote_request.pk) not in response.text
    assert client.get(url("quote-file", quote_request.pk, with_file.pk)).status_code == 200
    assert client.get(url("quote-new")).status_code == 403
    response = client.post(
        url("quote-choose", quote_request.pk),
        {"choose-quote": with_file.pk, "choose-reason": "Odavaim"},
    )
    assert response.status_code == 403
    assert reload(quote_request).chosen is None


def test_actions_are_post_only(signed_in, quote_request, with_file):
    for name, args in (
        ("quote-add", [quote_request.pk]),
        ("quote-record", [quote_request.pk, with_file.pk]),
        ("quote-choose", [quote_request.pk]),
    ):
        assert signed_in.get(url(name, *args)).status_code == 405


# --- A new request and the threshold ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "warned"),
    [
        (Kind.GOODS, "29999.99", False),
        (Kind.GOODS, "30000", True),
        (Kind.SERVICES, "30000", True),
        (Kind.WORKS, "30000", False),
        (Kind.WORKS, "59999", False),
        (Kind.WORKS, "60000", True),
    ],
)
def test_the_threshold_warning_after_saving(signed_in, kind, value, warned):
    response = signed_in.post(
        url("quote-new"),
        {
            "subject": "Serveriruumi jahutus",
            "kind": kind,
            "estimated_value": value,
            "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
        follow=True,
    )
    quote_request = QuoteRequest.objects.get()
    assert response.redirect_chain[-1][0] == url("quote-detail", quote_request.pk)
    assert quote_request.estimated_value == Decimal(value)
    assert (WARNING in response.text) is warned
    if warned:
        limit = "60 000" if kind == Kind.WORKS else "30 000"
        assert f"threshold of {limit} €" in response.text
        assert 'id="threshold-warning"' in response.text
    # The same box on the page later.
    response = signed_in.get(url("quote-detail", quote_request.pk))
    assert (WARNING in response.text) is warned


def test_a_new_request_keeps_what_was_typed_and_names_the_errors(signed_in):
    response = signed_in.post(
        url("quote-new"),
        {"subject": "Tõlketeenus", "kind": "", "estimated_value": "-5", "deadline": "homme"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "estimated_value", "deadline"}
    assert 'value="Tõlketeenus"' in response.text
    assert not QuoteRequest.objects.exists()


# --- Suppliers, quotes and files ----------------------------------------------------------------


def test_add_suppliers_record_quotes_with_files_and_download(signed_in, quote_request, settings):
    detail = url("quote-detail", quote_request.pk)
    add = url("quote-add", quote_request.pk)
    # A supplier asked, no quote yet.
    response = signed_in.post(
        add, {"add-supplier": "Säravad Aknad OÜ", "add-supplier_email": "info@sarav.ee"}
    )
    assert response.url == detail + "#quotes"
    asked = Quote.objects.get(supplier="Säravad Aknad OÜ")
    assert asked.amount is None
    assert not asked.file
    # A quote received with its file.
    response = signed_in.post(
        add,
        {
            "add-supplier": "Puhas Kontor AS",
            "add-amount": "11500.00",
            "add-received_on": timezone.localdate().isoformat(),
            "add-file": pdf_file("Puhas pakkumine.pdf"),
        },
        follow=True,
    )
    assert "The quote of Puhas Kontor AS was recorded." in messages_of(response)
    received = Quote.objects.get(supplier="Puhas Kontor AS")
    assert received.amount == Decimal("11500.00")
    assert received.file_name == "Puhas pakkumine.pdf"
    # The supplier asked sends theirs: recorded on their row, with a file.
    response = signed_in.post(
        url("quote-record", quote_request.pk, asked.pk),
        {
            f"record-{asked.pk}-amount": "10200",
            f"record-{asked.pk}-received_on": timezone.localdate().isoformat(),
            f"record-{asked.pk}-file": pdf_file("sarav.pdf"),
        },
    )
    assert response.status_code == 302
    asked = reload(asked)
    assert (asked.amount, asked.file_name) == (Decimal("10200"), "sarav.pdf")
    assert Quote.objects.count() == 2  # no second row for the same supplier
    response = signed_in.get(detail)
    quotes = response.context["quotes"]
    assert [(q.supplier, q.cheapest) for q in quotes] == [
        ("Säravad Aknad OÜ", True),
        ("Puhas Kontor AS", False),
    ]
    download = signed_in.get(url("quote-file", quote_request.pk, asked.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_file_that_is_not_what_it_says_is_refused_by_the_field(signed_in, quote_request):
    response = signed_in.post(
        url("quote-add", quote_request.pk),
        {
            "add-supplier": "Petis OÜ",
            "add-amount": "100",
            "add-file": SimpleUploadedFile("pakkumine.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["forms"]["add"].errors["file"]
    assert 'value="Petis OÜ"' in response.text
    assert not Quote.objects.exists()


def test_a_date_or_file_without_an_amount_asks_for_the_amount(signed_in, quote_request):
    response = signed_in.post(
        url("quote-add", quote_request.pk),
        {"add-supplier": "Aknad OÜ", "add-received_on": timezone.localdate().isoformat()},
    )
    assert "amount" in response.context["forms"]["add"].errors
    assert not Quote.objects.exists()


def test_a_file_of_another_request_is_not_found(signed_in, make_request, with_file, manager):
    other = make_request(subject="Muu")
    assert signed_in.get(url("quote-file", other.pk, with_file.pk)).status_code == 404


# --- The choice ---------------------------------------------------------------------------------


@pytest.fixture
def three_quotes(quote_request, manager):
    cheap = add_quote(quote_request, manager, "Odav OÜ", Decimal("9800"), uploaded=pdf_file())
    dear = add_quote(quote_request, manager, "Kallis AS", Decimal("11900"), uploaded=pdf_file())
    asked = add_quote(quote_request, manager, "Vaikiv OÜ")
    return cheap, dear, asked


def test_choose_the_cheapest(signed_in, quote_request, three_quotes):
    cheap, dear, asked = three_quotes
    response = signed_in.get(url("quote-detail", quote_request.pk))
    choices = [
        value for value, _label in response.context["forms"]["choose"].fields["quote"].choices
    ]
    assert choices == [cheap.pk, dear.pk]  # only received quotes
    response = signed_in.post(
        url("quote-choose", quote_request.pk),
        {"choose-quote": cheap.pk, "choose-reason": "Odavaim"},
        follow=True,
    )
    quote_request = reload(quote_request)
    assert (quote_request.chosen, quote_request.choice_reason) == (cheap, "Odavaim")
    assert "Odav OÜ was chosen: order from them." in messages_of(response)
    assert url("quote-add", quote_request.pk) not in response.text  # decided: no more forms
    # Posted again (a stale form): refused, nothing changes.
    response = signed_in.post(
        url("quote-choose", quote_request.pk),
        {"choose-quote": dear.pk, "choose-reason": "Parem kvaliteet ja pikem garantii, mõõdetud"},
        follow=True,
    )
    assert "A quote has been chosen already: nothing was changed." in messages_of(response)
    assert reload(quote_request).chosen == cheap
    response = signed_in.post(url("quote-add", quote_request.pk), {"add-supplier": "Hiline OÜ"})
    assert not Quote.objects.filter(supplier="Hiline OÜ").exists()


def test_choosing_a_dearer_quote_with_a_short_reason_is_refused(
    signed_in, quote_request, three_quotes
):
    cheap, dear, asked = three_quotes
    address = url("quote-choose", quote_request.pk)
    response = signed_in.post(address, {"choose-quote": dear.pk, "choose-reason": "Meeldib"})
    assert response.status_code == 200
    errors = response.context["forms"]["choose"].errors
    assert "It is not the cheapest quote: explain the choice." in errors["reason"]
    assert "Meeldib" in response.text
    assert reload(quote_request).chosen is None
    reason = "Odav OÜ ei paku öist koristust, mida vajame"
    response = signed_in.post(address, {"choose-quote": dear.pk, "choose-reason": reason})
    assert response.status_code == 302
    assert reload(quote_request).chosen == dear


def test_a_quote_without_an_amount_cannot_be_chosen(signed_in, quote_request, three_quotes):
    cheap, dear, asked = three_quotes
    response = signed_in.post(
        url("quote-choose", quote_request.pk),
        {"choose-quote": asked.pk, "choose-reason": "Sest et nii on kõige parem ja kiirem"},
    )
    assert response.status_code == 200
    assert "quote" in response.context["forms"]["choose"].errors
    assert reload(quote_request).chosen is None


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_counts_and_the_chosen_supplier(
    signed_in, make_request, manager, three_quotes, quote_request
):
    cheap = three_quotes[0]
    services.quote_choose(actor=manager, request=quote_request, quote=cheap, reason="Odavaim")
    make_request(subject="Ehitustööd: katuse remont", kind=Kind.WORKS)
    response = signed_in.get(url("quote-list"))
    rows = {
        r.subject: (r.quote_count, r.received_count, r.chosen) for r in response.context["requests"]
    }
    assert rows == {
        "Kontoriruumide koristus 2026": (3, 2, cheap),
        "Ehitustööd: katuse remont": (0, 0, None),
    }
    assert "Odav OÜ" in response.text
    response = signed_in.get(url("quote-list"), {"state": "open"})
    assert [r.subject for r in response.context["requests"]] == ["Ehitustööd: katuse remont"]
    response = signed_in.get(url("quote-list"), {"state": "chosen"})
    assert [r.subject for r in response.context["requests"]] == ["Kontoriruumide koristus 2026"]


def test_the_list_runs_the_same_queries_for_few_and_many(
    signed_in, make_request, manager, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            made = make_request(subject=f"Hange {n}-{i}")
            quote = add_quote(made, manager, f"Tarnija {i}", Decimal("100"))
            add_quote(made, manager, "Teine")
            services.quote_choose(actor=manager, request=made, quote=quote, reason="Odavaim")

    add(1)
    with django_assert_max_num_queries(10) as few:
        signed_in.get(url("quote-list"))
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(url("quote-list"))
    assert response.context["page"].count == 31


def test_the_detail_runs_the_same_queries_for_few_and_many_quotes(
    signed_in, quote_request, manager, django_assert_max_num_queries
):
    add_quote(quote_request, manager, "Esimene", Decimal("100"))
    with django_assert_max_num_queries(20) as few:
        signed_in.get(url("quote-detail", quote_request.pk))
    for n in range(20):
        add_quote(quote_request, manager, f"Tarnija {n}", Decimal(200 + n) if n % 2 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(url("quote-detail", quote_request.pk))
