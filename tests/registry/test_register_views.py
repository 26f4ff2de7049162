"""The registration form (registry:document-register) and the sender search
(registry:party-search): what a clerk registers, and that bad input creates nothing."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core import calendar, roles
from registry import services
from registry.models import (
    Attachment,
    Channel,
    Document,
    DocumentType,
    Parcel,
    Party,
    RestrictionBasis,
)
from tests.factories import PartyFactory, SeriesFactory
from tests.registry.conftest import last_working_day

pytestmark = pytest.mark.django_db

REGISTER = "registry:document-register"
VALID_PERSONAL_CODE = "37605030299"
WRONG_PERSONAL_CODE = "37605030298"  # the check digit is 9
VALID_REGISTRY_CODE = "10000018"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


def letter(series, party=None, **overrides):
    """The POST data of a letter from an existing sender, chosen from the list."""
    data = {
        "doc_type": DocumentType.LETTER,
        "channel": Channel.POST,
        "series": series.pk,
        "received_on": last_working_day().isoformat(),
        "sender_mode": "existing",
        "sender": party.name if party else "",
        "sender_party": party.pk if party else "",
        "title": "Taotlus parkimiskoha saamiseks",
        "restriction_basis": "",
    }
    data.update(overrides)
    return data


def new_sender(**overrides):
    data = {
        "sender_mode": "new",
        "sender": "",
        "sender_party": "",
        "new_sender-is_private_person": "True",
        "new_sender-name": "Jüri Õunapuu",
        "new_sender-code": VALID_PERSONAL_CODE,
        "new_sender-address": "Rüütli 12, Tartu",
        "new_sender-email": "juri@example.ee",
        "new_sender-phone": "+372 5555 1234",
    }
    data.update(overrides)
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def counts():
    return Document.objects.count(), Party.objects.count()


def field_error(response, field):
    return response.context["form"].errors.get(field) or []


# --- Access -------------------------------------------------------------------------------------


def test_the_form_opens_for_a_clerk_with_the_type_focused(signed_in):
    response = signed_in.get(reverse(REGISTER))

    assert response.status_code == 200
    html = response.text
    assert re.search(r'<select name="doc_type"[^>]*autofocus', html)
    assert re.search(r'<option value="letter" selected>', html)
    assert re.search(r'<option value="post" selected>', html)
    assert f'value="{timezone.localdate():%d.%m.%Y}"' in html


def test_an_mtr_processor_may_see_documents_but_not_register_them(client, processor):
    client.force_login(processor)
    assert client.get(reverse("registry:document-list")).status_code == 200
    assert client.get(reverse(REGISTER)).status_code == 403
    assert client.post(reverse(REGISTER), {}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(REGISTER))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_links_to_the_form(signed_in):
    response = signed_in.get(reverse("registry:document-list"))
    assert f'href="{reverse(REGISTER)}"' in response.text
    assert "Register a document" in response.text


# --- Registering --------------------------------------------------------------------------------


def test_a_letter_is_registered_with_its_number_and_the_page_says_so(
    signed_in, clerk, series, organisation
):
    response = signed_in.post(reverse(REGISTER), letter(series, organisation))

    document = Document.objects.get()
    year = document.registered_on.year % 100
    assert document.number == f"1-2/{year:02d}-001"
    assert re.fullmatch(r"1-2/\d{2}-001", document.number)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:document-detail", args=[document.pk])
    assert messages_of(response) == [f"Registered as 1-2/{year:02d}-001."]
    assert document.sender == organisation
    assert document.doc_type == DocumentType.LETTER
    assert document.channel == Channel.POST
    assert document.registered_by == clerk
    assert document.title == "Taotlus parkimiskoha saamiseks"
    assert document.deadline is None


def test_the_next_letter_takes_the_next_number(signed_in, series, organisation):
    signed_in.post(reverse(REGISTER), letter(series, organisation))
    signed_in.post(reverse(REGISTER), letter(series, organisation, title="Teine kiri"))

    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert [number[-3:] for number in numbers] == ["001", "002"]


def test_an_information_request_is_due_in_five_working_days(signed_in, series, organisation):
    data = letter(series, organisation, doc_type=DocumentType.INFORMATION_REQUEST)
    data["deadline"] = (timezone.localdate() + timedelta(days=60)).isoformat()  # ignored
    signed_in.post(reverse(REGISTER), data)

    document = Document.objects.get()
    assert document.deadline == calendar.add_working_days(document.registered_on, 5)
    assert calendar.working_days_between(document.registered_on, document.deadline) == 5


def test_a_letter_gets_the_deadline_the_clerk_sets(signed_in, series, organisation):
    deadline = timezone.localdate() + timedelta(days=14)
    signed_in.post(reverse(REGISTER), letter(series, organisation, deadline=deadline.isoformat()))

    assert Document.objects.get().deadline == deadline


def test_a_parcel_is_registered_with_carrier_tracking_and_receipt(
    signed_in, series, organisation, advisor
):
    data = letter(
        series,
        organisation,
        doc_type=DocumentType.PARCEL,
        channel=Channel.COURIER,
        title="Pakk: trükised",
        carrier="Omniva",
        tracking_code="CC123456789EE",
        handed_to=advisor.pk,
        receipt_signed_by="Tiina Tamm",
    )
    response = signed_in.post(reverse(REGISTER), data)

    assert response.status_code == 302
    parcel = Parcel.objects.select_related("document").get()
    assert parcel.document.doc_type == DocumentType.PARCEL
    assert parcel.carrier == "Omniva"
    assert parcel.tracking_code == "CC123456789EE"
    assert parcel.handed_to == advisor
    assert parcel.handed_at is not None
    assert parcel.receipt_signed_by == "Tiina Tamm"


def test_parcel_fields_are_ignored_for_a_letter(signed_in, series, organisation):
    signed_in.post(reverse(REGISTER), letter(series, organisation, carrier="Omniva"))

    assert Document.objects.count() == 1
    assert not Parcel.objects.exists()


def test_a_new_private_person_is_created_with_the_document(signed_in, series):
    response = signed_in.post(reverse(REGISTER), {**letter(series), **new_sender()})

    assert response.status_code == 302
    party = Party.objects.get()
    assert party.is_private_person
    assert party.name == "Jüri Õunapuu"
    assert party.code == VALID_PERSONAL_CODE
    assert party.email == "juri@example.ee"
    assert Document.objects.get().sender == party


def test_a_new_organisation_is_checked_by_its_registry_code(signed_in, series):
    data = {
        **letter(series),
        **new_sender(
            **{
                "new_sender-is_private_person": "False",
                "new_sender-name": "OÜ Kuusk ja Mänd",
                "new_sender-code": VALID_REGISTRY_CODE,
            }
        ),
    }
    signed_in.post(reverse(REGISTER), data)

    party = Party.objects.get()
    assert not party.is_private_person
    assert party.code == VALID_REGISTRY_CODE


def test_files_are_kept_with_the_public_mark(signed_in, series, organisation):
    data = letter(series, organisation, public_files="yes")
    data["files"] = [
        SimpleUploadedFile("kiri.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("lisa.pdf", PDF, content_type="application/pdf"),
    ]
    response = signed_in.post(reverse(REGISTER), data)

    assert response.status_code == 302
    attachments = Attachment.objects.order_by("name")
    assert [a.name for a in attachments] == ["kiri.pdf", "lisa.pdf"]
    assert all(a.is_public for a in attachments)


def test_register_and_add_another_opens_an_empty_form_keeping_series_type_and_channel(
    signed_in, organisation
):
    other = SeriesFactory(code="5-1", title="Arved")
    data = letter(other, organisation, doc_type=DocumentType.INVOICE, channel=Channel.EMAIL)
    data["another"] = "1"
    response = signed_in.post(reverse(REGISTER), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(REGISTER) + "?")
    page = signed_in.get(response["Location"])
    html = page.text
    assert f'<option value="{other.pk}" selected>' in html
    assert '<option value="invoice" selected>' in html
    assert '<option value="email" selected>' in html
    assert 'name="title"' in html
    assert "Taotlus parkimiskoha" not in html
    assert "Registered as 5-1/" in html


def test_the_series_default_restriction_applies_when_left_at_the_default(
    signed_in, organisation, basis
):
    restricted_series = SeriesFactory(code="3-1", default_restriction_basis=basis)
    signed_in.post(reverse(REGISTER), letter(restricted_series, organisation))

    document = Document.objects.get()
    assert document.restriction_basis == basis
    assert document.is_restricted()


def test_no_restriction_overrides_the_series_default(signed_in, organisation, basis):
    restricted_series = SeriesFactory(code="3-1", default_restriction_basis=basis)
    signed_in.post(
        reverse(REGISTER), letter(restricted_series, organisation, restriction_basis="none")
    )

    assert Document.objects.get().restriction_basis is None


def test_a_chosen_basis_and_end_date_restrict_the_document(signed_in, series, organisation, basis):
    until = timezone.localdate() + timedelta(days=365)
    signed_in.post(
        reverse(REGISTER),
        letter(series, organisation, restriction_basis=basis.pk, restriction_end=until.isoformat()),
    )

    document = Document.objects.get()
    assert document.restriction_basis == basis
    assert document.restriction_end == until


def test_an_inactive_basis_is_not_offered(signed_in, series, organisation, basis):
    RestrictionBasis.objects.filter(pk=basis.pk).update(is_active=False)
    response = signed_in.get(reverse(REGISTER))
    assert str(basis) not in response.text


def test_a_follow_up_typed_by_number_takes_the_earlier_number_with_a_suffix(
    signed_in, series, organisation, make_document
):
    first = make_document()
    signed_in.post(reverse(REGISTER), letter(series, organisation, parent_number=first.number))

    follow_up = Document.objects.exclude(pk=first.pk).get()
    assert follow_up.parent == first
    assert follow_up.number == f"{first.number}-1"


# --- The sender ---------------------------------------------------------------------------------


def test_a_sender_typed_by_name_without_javascript_is_found(signed_in, series, organisation):
    data = letter(series, organisation, sender_party="", sender=organisation.name.upper())
    signed_in.post(reverse(REGISTER), data)

    assert Document.objects.get().sender == organisation


def test_a_sender_typed_as_the_list_shows_it_is_found_by_its_code(signed_in, series):
    party = PartyFactory(name="OÜ Kuusk", code=VALID_REGISTRY_CODE)
    PartyFactory(name="OÜ Kuusk", code="")
    data = letter(series, sender_party="", sender=f"OÜ Kuusk ({VALID_REGISTRY_CODE})")
    signed_in.post(reverse(REGISTER), data)

    assert Document.objects.get().sender == party


def test_several_senders_of_one_name_are_offered_to_choose_from(signed_in, series):
    first = PartyFactory(name="Tamm OÜ", address="Tartu")
    second = PartyFactory(name="Tamm OÜ", address="Pärnu")
    data = letter(series, sender_party="", sender="Tamm OÜ")
    response = signed_in.post(reverse(REGISTER), data)

    assert Document.objects.count() == 0
    assert "Several senders have this name: choose one below." in field_error(response, "sender")
    assert f'id="sender-candidate-{first.pk}"' in response.text
    assert f'id="sender-candidate-{second.pk}"' in response.text

    data["sender_party"] = second.pk
    signed_in.post(reverse(REGISTER), data)
    assert Document.objects.get().sender == second


def test_a_part_of_a_name_offers_the_matching_senders(signed_in, series, organisation):
    response = signed_in.post(reverse(REGISTER), letter(series, sender_party="", sender="pohjaran"))

    assert Document.objects.count() == 0
    assert f'id="sender-candidate-{organisation.pk}"' in response.text


def test_an_unknown_sender_is_refused_with_a_message(signed_in, series):
    response = signed_in.post(
        reverse(REGISTER), letter(series, sender_party="", sender="Keegi Tundmatu")
    )

    assert Document.objects.count() == 0
    assert field_error(response, "sender") == [
        "No sender “Keegi Tundmatu” found: check the spelling or add a new sender."
    ]


def test_party_search_finds_by_name_word_and_code_prefix(client, clerk, private_person):
    company = PartyFactory(name="AS Tallinna Vesi", code=VALID_REGISTRY_CODE)
    client.force_login(clerk)
    url = reverse("registry:party-search")

    by_word = client.get(url, {"q": "vesi"}).text
    by_code = client.get(url, {"q": "100000"}).text
    unaccented = client.get(url, {"q": "ounapuu"}).text

    assert f'value="AS Tallinna Vesi ({VALID_REGISTRY_CODE})"' in by_word
    assert f'data-id="{company.pk}"' in by_code
    assert "Mari-Liis Õunapuu" in unaccented  # staff see a private person's name
    assert "private person" in unaccented


def test_party_search_answers_at_most_ten(client, clerk):
    for number in range(15):
        PartyFactory(name=f"Kask {number:02d} OÜ")
    client.force_login(clerk)
    response = client.get(reverse("registry:party-search"), {"q": "kask"})
    assert response.text.count("<option") == 10


def test_party_search_takes_the_form_field_as_htmx_sends_it(client, clerk, organisation):
    client.force_login(clerk)
    response = client.get(reverse("registry:party-search"), {"sender": "Põhja"})
    assert f'data-id="{organisation.pk}"' in response.text


def test_party_search_needs_the_permission(client, make_user):
    client.force_login(make_user(roles.ADMINISTRATOR))
    assert client.get(reverse("registry:party-search"), {"q": "a"}).status_code == 403
    client.logout()
    response = client.get(reverse("registry:party-search"), {"q": "a"})
    assert response.status_code == 302


# --- Bad input creates nothing ------------------------------------------------------------------


def test_missing_fields_create_nothing_and_are_named(signed_in):
    before = counts()
    response = signed_in.post(reverse(REGISTER), {"sender_mode": "existing"})

    assert response.status_code == 200
    assert counts() == before
    assert field_error(response, "title") == ["This field is required."]
    assert field_error(response, "series") == ["This field is required."]
    assert field_error(response, "sender") == ["Choose the sender or add a new one."]
    assert "Nothing was registered" in response.text


def test_a_wrong_personal_code_creates_nothing(signed_in, series):
    before = counts()
    data = {**letter(series), **new_sender(**{"new_sender-code": WRONG_PERSONAL_CODE})}
    response = signed_in.post(reverse(REGISTER), data)

    assert response.status_code == 200
    assert counts() == before
    errors = response.context["party_form"].errors["code"]
    assert errors
    assert "check digit" in " ".join(errors).lower()
    assert 'id="id_new_sender-code"' in response.text
    assert "is-invalid" in response.text


def test_a_new_sender_with_a_code_already_known_is_refused(signed_in, series):
    PartyFactory(code=VALID_PERSONAL_CODE, is_private_person=True)
    before = counts()
    response = signed_in.post(reverse(REGISTER), {**letter(series), **new_sender()})

    assert counts() == before
    assert response.context["party_form"].errors["code"]


def test_a_file_too_large_creates_nothing(signed_in, series, organisation, settings):
    settings.UPLOAD_MAX_BYTES = 100
    before = counts()
    data = letter(series, organisation)
    data["files"] = [SimpleUploadedFile("suur.pdf", PDF + b"0" * 200)]
    response = signed_in.post(reverse(REGISTER), data)

    assert counts() == before
    assert not Attachment.objects.exists()
    assert "too large" in " ".join(field_error(response, "files"))
    assert "choose them again" in response.text


def test_a_file_of_a_wrong_type_creates_nothing(signed_in, series, organisation):
    before = counts()
    data = letter(series, organisation)
    data["files"] = [SimpleUploadedFile("programm.exe", b"MZ\x90\x00" + b"\x00" * 64)]
    response = signed_in.post(reverse(REGISTER), data)

    assert counts() == before
    assert "not an allowed type" in " ".join(field_error(response, "files"))


def test_a_file_whose_content_is_not_its_name_creates_nothing(signed_in, series, organisation):
    before = counts()
    data = letter(series, organisation)
    data["files"] = [SimpleUploadedFile("kiri.pdf", b"just text, not a PDF")]
    response = signed_in.post(reverse(REGISTER), data)

    assert counts() == before
    assert field_error(response, "files")


def test_a_future_date_creates_nothing_not_even_the_new_sender(signed_in, series):
    before = counts()
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {**letter(series, received_on=tomorrow.isoformat()), **new_sender()}
    response = signed_in.post(reverse(REGISTER), data)

    assert response.status_code == 200
    assert counts() == before  # the party created first was rolled back with the document
    assert field_error(response, "received_on") == ["The date of receipt cannot be in the future."]


def test_a_closed_series_creates_nothing(signed_in, organisation):
    closed = SeriesFactory(code="9-9", is_closed=True)
    before = counts()
    response = signed_in.post(reverse(REGISTER), letter(closed, organisation))

    assert counts() == before
    assert field_error(response, "series") == ["The series 9-9 is closed: choose another one."]


def test_a_closed_series_is_not_offered(signed_in, series):
    closed = SeriesFactory(code="9-9", title="Suletud sari", is_closed=True)
    response = signed_in.get(reverse(REGISTER))
    assert f'<option value="{series.pk}">' in response.text
    assert f'<option value="{closed.pk}"' not in response.text


def test_a_parcel_without_a_carrier_creates_nothing(signed_in, series, organisation):
    before = counts()
    response = signed_in.post(
        reverse(REGISTER), letter(series, organisation, doc_type=DocumentType.PARCEL)
    )

    assert counts() == before
    assert field_error(response, "carrier") == ["Enter the carrier of the parcel."]


def test_an_unknown_earlier_document_creates_nothing(signed_in, series, organisation):
    response = signed_in.post(
        reverse(REGISTER), letter(series, organisation, parent_number="1-2/26-999")
    )

    assert Document.objects.count() == 0
    assert field_error(response, "parent_number") == ["No document 1-2/26-999 in the register."]


def test_a_deadline_before_registration_creates_nothing(signed_in, series, organisation):
    earlier = last_working_day() - timedelta(days=3)
    response = signed_in.post(
        reverse(REGISTER), letter(series, organisation, deadline=earlier.isoformat())
    )

    assert Document.objects.count() == 0
    assert field_error(response, "deadline") == ["The deadline cannot be before registration."]


def test_a_restricted_earlier_document_the_clerk_may_not_see_is_not_found(
    client, make_user, series, organisation, make_document, basis
):
    hidden = make_document(restriction_basis=basis)
    other_clerk = make_user(roles.CLERK, username="other-clerk")
    client.force_login(other_clerk)
    response = client.post(
        reverse(REGISTER), letter(series, organisation, parent_number=hidden.number)
    )

    assert Document.objects.count() == 1
    assert field_error(response, "parent_number")


def test_a_follow_up_link_fills_in_the_earlier_document_and_its_series(
    client, clerk, make_document
):
    original = make_document()
    client.force_login(clerk)

    page = client.get(reverse("registry:document-detail", args=[original.pk]))
    link = f"?series={original.series_id}&amp;parent_number={original.number}"
    assert link in page.text

    form = client.get(
        reverse("registry:document-register"),
        {"series": original.series_id, "parent_number": original.number},
    )
    assert form.context["form"].initial["parent_number"] == original.number
    assert str(form.context["form"].initial["series"]) == str(original.series_id)


def test_avts_12_4_1_files_of_an_unrestricted_document_are_public_unless_a_reason_is_written(
    signed_in, series, organisation
):
    """AvTS § 12 (4¹): files of an unrestricted document are published by default (they were
    published only when someone ticked a box); keeping one back needs its reason written."""
    data = letter(series, organisation, title="Avalik kiri")
    data["files"] = [SimpleUploadedFile("kiri.pdf", PDF, content_type="application/pdf")]
    assert signed_in.post(reverse(REGISTER), data).status_code == 302
    published = Attachment.objects.get(document__title="Avalik kiri")
    assert published.is_public
    assert published.withheld_reason == ""

    data = letter(series, organisation, title="Kinni peetud", public_files="no")
    data["files"] = [SimpleUploadedFile("kiri.pdf", PDF, content_type="application/pdf")]
    response = signed_in.post(reverse(REGISTER), data)
    assert response.status_code == 200  # no reason: nothing registered, the form says why
    assert "Write why the file is not published" in response.text
    assert not Attachment.objects.filter(document__title="Kinni peetud").exists()

    data["withheld_reason"] = "Allkirjaga skaneering"
    data["files"] = [SimpleUploadedFile("kiri.pdf", PDF, content_type="application/pdf")]
    assert signed_in.post(reverse(REGISTER), data).status_code == 302
    withheld = Attachment.objects.get(document__title="Kinni peetud")
    assert not withheld.is_public
    assert withheld.withheld_reason == "Allkirjaga skaneering"


def test_a_private_persons_files_are_kept_back_until_checked_with_the_reason_shown(
    clerk, make_document
):
    person = PartyFactory(name="Mari Maasikas", is_private_person=True)
    document = make_document(sender=person, files=[SimpleUploadedFile("taotlus.pdf", PDF)])
    kept = document.attachments.get()
    assert not kept.is_public
    assert kept.withheld_reason == services.default_publicity(document)[1] != ""
