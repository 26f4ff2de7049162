"""The public application form of the MTR: the two steps, what it refuses and why, the honeypot,
the one-time key, and the page after sending.

The helpers here (areas, files, ``fill``) are imported by the status tests and the browser test.
"""

import io
import re
import struct
import zlib

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from core.submissions import SALT as SUBMISSION_SALT
from mtr.models import ActivityArea, Application, ApplicationAttachment, Business, Entry, Kind

REGISTRY_CODE = "10137319"  # a valid check digit
OTHER_CODE = "10000018"  # valid too
BAD_CODE = "10137310"  # the check digit does not match
BUSINESS = "Pärnu Turvateenused OÜ"


# --- Helpers shared with the status and browser tests ------------------------------------------


def make_licence_area(**kwargs) -> ActivityArea:
    values = {
        "code": "turvateenus",
        "name_et": "Turvateenus",
        "name_en": "Security services",
        "name_ru": "Охранные услуги",
        "emtak_code": "80101",
        "kind": Kind.LICENCE,
        "number_prefix": "TTE",
        "extra_fields": [
            {
                "key": "staff",
                "label_et": "Turvatöötajate arv",
                "label_en": "Number of security staff",
                "label_ru": "Число охранников",
                "type": "number",
                "required": True,
            },
            {
                "key": "armed",
                "label_et": "Relvastatud valve",
                "label_en": "Armed guarding",
                "label_ru": "Вооружённая охрана",
                "type": "bool",
                "required": False,
            },
        ],
        "required_attachments": [
            {
                "key": "insurance",
                "label_et": "Vastutuskindlustuse leping",
                "label_en": "Liability insurance contract",
                "label_ru": "Договор страхования ответственности",
            }
        ],
    }
    values.update(kwargs)
    return ActivityArea.objects.create(**values)


def make_notice_area(**kwargs) -> ActivityArea:
    values = {
        "code": "majutus",
        "name_et": "Majutamine",
        "name_en": "Accommodation",
        "name_ru": "Размещение",
        "emtak_code": "55101",
        "kind": Kind.NOTICE,
        "number_prefix": "HMR",
    }
    values.update(kwargs)
    return ActivityArea.objects.create(**values)


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_file(name="kindlustus.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png_file(name="plaan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def apply_url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("mtr:public-apply") + ("?" + urlencode(params) if params else "")


def submission_key(response) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', response.text)
    assert match, "the form has no submission key"
    return match.group(1)


def field_tag(text: str, field: str) -> str:
    """The HTML tag of the form field ``field``."""
    match = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="id_{field}"[^>]*>', text)
    assert match, f"no field {field}"
    return match.group()


def licence_data(key: str, **overrides) -> dict:
    data = {
        "submission_key": key,
        "business_name": BUSINESS,
        "registry_code": REGISTRY_CODE,
        "address": "Rüütli 25, 80010 Pärnu",
        "contact_person": "Kristjan Õunapuu",
        "email": "info@turvateenused.example.ee",
        "phone": "+372 5555 1234",
        "address_1": "Ranna pst 5, Pärnu",
        "address_2": "",
        "address_3": "",
        "more_addresses": "Riia mnt 10, Tartu\nTallinna mnt 1, Viljandi",
        "extra_staff": "12",
        "extra_armed": "on",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit_licence(client, area, **overrides):
    """Open step 2 of a licence application, then send it with a PDF and a PNG."""
    url = apply_url(action="licence", area=area.code)
    key = submission_key(client.get(url))
    data = licence_data(key, **overrides)
    data.setdefault("file_insurance", pdf_file())
    data.setdefault("other_files", [png_file()])
    return client.post(url, data), url, key


@pytest.fixture
def licence_area(db):
    return make_licence_area()


@pytest.fixture
def notice_area(db):
    return make_notice_area()


# --- Step 1 -------------------------------------------------------------------------------------


def test_step_one_offers_the_actions_and_active_areas(client, licence_area, notice_area):
    make_notice_area(code="vana", name_en="Closed area", is_active=False, number_prefix="VAN")

    response = english(client).get(reverse("mtr:public-apply"))

    assert response.status_code == 200
    text = response.text
    assert "Apply for an activity licence" in text
    assert "File a new notice of economic activity" in text
    assert "Change the data of an entry in the register" in text
    assert "End an entry in the register" in text
    assert 'value="turvateenus"' in text
    assert 'value="majutus"' in text
    assert "Closed area" not in text
    assert '<optgroup label="Notices">' in text
    assert '<optgroup label="Activity licences">' in text


def test_step_one_is_in_estonian_by_default(client, licence_area):
    response = client.get(reverse("mtr:public-apply"))

    assert 'lang="et"' in response.text
    assert "Turvateenus" in response.text


def test_a_licence_area_chosen_for_a_notice_is_refused_by_the_field(client, licence_area):
    response = english(client).get(apply_url(action="notice", area=licence_area.code))

    assert response.status_code == 200
    assert 'name="submission_key"' not in response.text
    assert "This area needs an activity licence" in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'href="#id_area"' in response.text  # the summary links to the field


def test_step_two_links_back_to_the_choice_kept(client, licence_area):
    step2 = english(client).get(apply_url(action="licence", area=licence_area.code))
    link = re.search(r'href="([^"]*edit=1)"', step2.text).group(1).replace("&amp;", "&")

    response = client.get(link)

    assert 'name="submission_key"' not in response.text
    assert re.search(r'<input[^>]*value="licence"[^>]*checked', response.text)
    assert re.search(r'<option value="turvateenus" selected>', response.text)


def test_a_change_needs_a_matching_entry(client, licence_area):
    response = english(client).get(
        apply_url(action="change", entry="TTE000001", entry_code=REGISTRY_CODE)
    )

    assert "No valid or suspended entry has this number and registry code." in response.text
    assert 'name="submission_key"' not in response.text


def test_step_two_shows_the_areas_fields_and_attachments(client, licence_area):
    response = english(client).get(apply_url(action="licence", area=licence_area.code))

    text = response.text
    assert response.status_code == 200
    assert "Number of security staff" in text
    assert 'name="extra_staff"' in text
    assert 'type="checkbox" name="extra_armed"' in text
    assert "Liability insurance contract" in text
    assert 'name="file_insurance"' in text
    assert re.search(r'name="file_insurance"[^>]*accept=".pdf,.png', text)
    assert re.search(r'<input type="file" name="other_files"[^>]* multiple', text)
    assert "Economic Activities Code" in text
    assert "Leave this empty" in text
    assert 'tabindex="-1"' in text
    assert 'enctype="multipart/form-data"' in text
    assert "A decision within 30 days" in text


def test_step_two_of_a_change_is_prefilled_from_the_entry(client, licence_area):
    business = Business.objects.create(registry_code=REGISTRY_CODE, name=BUSINESS)
    Entry.objects.create(
        number="TTE000007",
        business=business,
        area=licence_area,
        kind=Kind.LICENCE,
        addresses=["Ranna pst 5, Pärnu"],
        data={"staff": 4},
        status=Entry.Status.VALID,
        valid_from=timezone.localdate(),
    )

    response = english(client).get(
        apply_url(action="change", entry="tte000007", entry_code=REGISTRY_CODE)
    )

    text = response.text
    assert 'name="submission_key"' in text
    assert "TTE000007" in text
    assert f'value="{BUSINESS}"' in text
    assert 'value="Ranna pst 5, Pärnu"' in text
    assert re.search(r'name="registry_code"[^>]*disabled', text)


# --- Sending ------------------------------------------------------------------------------------


def test_a_licence_application_is_filed_with_its_files(client, licence_area):
    response, _url, _key = submit_licence(english(client), licence_area)

    assert response.status_code == 302
    assert response.url == reverse("mtr:public-apply-done")
    application = Application.objects.get()
    assert application.area == licence_area
    assert application.type == Application.Type.NEW
    assert application.business_name == BUSINESS
    assert application.language == "en"
    assert application.addresses == [
        "Ranna pst 5, Pärnu",
        "Riia mnt 10, Tartu",
        "Tallinna mnt 1, Viljandi",
    ]
    assert application.data == {"staff": 12, "armed": True}
    files = {(a.requirement, a.kind) for a in ApplicationAttachment.objects.all()}
    assert files == {("insurance", "pdf"), ("", "png")}
    assert client.session["mtr_applications"] == [application.pk]


def test_the_done_page_shows_the_code_and_what_happens_next(client, licence_area):
    submit_licence(english(client), licence_area)
    application = Application.objects.get()

    response = client.get(reverse("mtr:public-apply-done"))

    text = response.text
    assert response.status_code == 200
    assert application.tracking_code_display in text
    assert "What happens next" in text
    assert application.deadline.strftime("%d.%m.%Y") in text
    assert reverse("mtr:public-receipt", args=[application.tracking_code]) in text
    assert reverse("mtr:public-status-detail", args=[application.tracking_code]) in text


def test_the_done_page_without_an_application_goes_to_the_form(client, db):
    response = client.get(reverse("mtr:public-apply-done"))

    assert response.status_code == 302
    assert response.url == reverse("mtr:public-apply")


def test_a_notice_is_filed_without_attachments(client, notice_area):
    url = apply_url(action="notice", area=notice_area.code)
    key = submission_key(english(client).get(url))
    data = licence_data(key)
    del data["extra_staff"], data["extra_armed"]

    response = client.post(url, data)

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.deadline is None
    done = client.get(response.url)
    assert application.tracking_code_display in done.text
    assert "Your notice was sent" in done.text


def test_the_same_form_sent_twice_files_one_application(client, licence_area):
    first, url, key = submit_licence(english(client), licence_area)
    data = licence_data(key, file_insurance=pdf_file(), other_files=[png_file()])

    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1
    assert ApplicationAttachment.objects.count() == 2
    assert client.session["mtr_applications"] == [Application.objects.get().pk]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"registry_code": BAD_CODE},
            "registry_code",
            "the check digit does not match",
        ),
        ({"extra_staff": ""}, "extra_staff", "This field is required."),
        ({"consent": None}, "consent", "Tick the box to agree"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        (
            {"address_1": "", "more_addresses": ""},
            "address_1",
            "Give at least one address of operation.",
        ),
        (
            {"file_insurance": SimpleUploadedFile("kindlustus.pdf", b"just text, not a PDF")},
            "file_insurance",
            "is in TXT format, but its name ends with .pdf",
        ),
        (
            {"file_insurance": SimpleUploadedFile("leping.docx", b"PK\x03\x04")},
            "file_insurance",
            "is not an allowed type",
        ),
    ],
)
def test_a_wrong_value_is_shown_by_its_field_and_the_rest_is_kept(
    client, licence_area, overrides, field, message
):
    response, _url, key = submit_licence(english(client), licence_area, **overrides)

    text = response.text
    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert message in text
    # the error is tied to the field and listed at the top with a link to it
    tag = field_tag(text, field)
    assert 'aria-invalid="true"' in tag
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', tag)
    assert f'id="id_{field}_error"' in text
    assert f'href="#id_{field}"' in text
    assert "choose them again" in text
    # what was typed is still there, the key is the same one
    if field != "business_name":
        assert f'value="{BUSINESS}"' in text
    if field != "address_1":
        assert 'value="Ranna pst 5, Pärnu"' in text
    assert submission_key(response) == key


def test_a_filled_honeypot_saves_nothing(client, licence_area):
    response, _url, _key = submit_licence(english(client), licence_area, website="http://spam")

    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert Business.objects.count() == 0
    assert "The application could not be sent. Check the data and send it again." in response.text
    assert "http://spam" not in response.text


@pytest.mark.parametrize(
    "key",
    ["", "not-signed", signing.dumps("3b0f0a4e-0000-4000-8000-000000000000", salt="other")],
)
def test_a_tampered_submission_key_is_refused_and_replaced(client, licence_area, key):
    url = apply_url(action="licence", area=licence_area.code)
    english(client).get(url)
    data = licence_data(key, file_insurance=pdf_file())

    response = client.post(url, data)

    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert "The form has expired; please send it again" in response.text
    fresh = submission_key(response)
    assert fresh != key
    assert signing.loads(fresh, salt=SUBMISSION_SALT)


def test_a_change_is_filed_for_the_entry(client, licence_area):
    business = Business.objects.create(registry_code=REGISTRY_CODE, name=BUSINESS)
    entry = Entry.objects.create(
        number="TTE000007",
        business=business,
        area=licence_area,
        kind=Kind.LICENCE,
        addresses=["Ranna pst 5, Pärnu"],
        status=Entry.Status.VALID,
        valid_from=timezone.localdate(),
    )
    url = apply_url(action="change", entry=entry.number, entry_code=REGISTRY_CODE)
    key = submission_key(english(client).get(url))
    # a changed registry code in the posted form is ignored: the entry's holder's code counts
    data = licence_data(key, registry_code=OTHER_CODE, address_1="Uus tn 1, Pärnu")

    response = client.post(url, data)

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.type == Application.Type.CHANGE
    assert application.entry == entry
    assert application.registry_code == REGISTRY_CODE
    assert application.addresses[0] == "Uus tn 1, Pärnu"


def test_a_termination_asks_no_addresses_or_details(client, licence_area):
    business = Business.objects.create(registry_code=REGISTRY_CODE, name=BUSINESS)
    entry = Entry.objects.create(
        number="TTE000008",
        business=business,
        area=licence_area,
        kind=Kind.LICENCE,
        addresses=["Ranna pst 5, Pärnu"],
        status=Entry.Status.VALID,
        valid_from=timezone.localdate(),
    )
    url = apply_url(action="termination", entry=entry.number, entry_code=REGISTRY_CODE)
    page = english(client).get(url)
    assert 'name="address_1"' not in page.text
    assert 'name="extra_staff"' not in page.text
    data = licence_data(submission_key(page))

    response = client.post(url, data)

    assert response.status_code == 302
    assert Application.objects.get().type == Application.Type.TERMINATION


def test_sending_is_rate_limited_per_address(client, licence_area, settings):
    settings.MTR_PUBLIC_SUBMIT_RATE = "2/d"  # a long window: never crossed during the test
    url = apply_url(action="licence", area=licence_area.code)

    answers = [client.post(url, {"website": ""}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert client.get(url).status_code == 200  # reading the form is not limited by sending
