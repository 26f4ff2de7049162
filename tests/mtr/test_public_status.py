"""The public status pages of the MTR: the lookup by code and registry code, what the page shows
(and to whom), answering a request for missing data, the receipt and the decision."""

import io
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core import roles
from mtr import services
from mtr.models import Application, ApplicationAttachment
from tests.mtr.test_public_apply import (
    BUSINESS,
    OTHER_CODE,
    REGISTRY_CODE,
    english,
    licence_area,  # noqa: F401 (a fixture)
    pdf_file,
    png_file,
    submit_licence,
)

NOT_FOUND = "No application was found with this code and registry code."


def file_application(area, **kwargs) -> Application:
    values = {
        "area": area,
        "type": Application.Type.NEW,
        "business_name": BUSINESS,
        "registry_code": REGISTRY_CODE,
        "address": "Rüütli 25, 80010 Pärnu",
        "contact_person": "Kristjan Õunapuu",
        "email": "info@turvateenused.example.ee",
        "addresses": ["Ranna pst 5, Pärnu"],
        "data": {"staff": 12},
        "submission_key": uuid.uuid4(),
        "language": "en",
    }
    values.update(kwargs)
    return services.application_submit(**values)


@pytest.fixture
def application(licence_area):  # noqa: F811
    return file_application(licence_area)


@pytest.fixture
def processor(make_user):
    return make_user(
        roles.MTR_PROCESSOR, username="processor", first_name="Tiina", last_name="Menetleja"
    )


def lookup(client, code, registry_code=REGISTRY_CODE):
    return english(client).post(
        reverse("mtr:public-status"), {"code": code, "registry_code": registry_code}
    )


def detail_url(application) -> str:
    return reverse("mtr:public-status-detail", args=[application.tracking_code])


def ask_for_data(processor, application, text="Lisage turvatöötajate nimekiri."):
    services.application_claim(actor=processor, application=application)
    return services.application_request_data(actor=processor, application=application, text=text)


# --- The whole way through ---------------------------------------------------------------------


def test_apply_then_look_up_in_another_browser(client, licence_area):  # noqa: F811
    step1 = english(client).get(reverse("mtr:public-apply"))
    assert step1.status_code == 200
    response, _url, _key = submit_licence(client, licence_area)
    done = client.get(response.url)
    application = Application.objects.get()
    assert application.tracking_code_display in done.text

    other = Client()
    # typed as people type it: lower case, dashes and spaces
    typed = f" {application.tracking_code_display.lower()} "
    found = lookup(other, typed)

    assert found.status_code == 302
    assert found.url == detail_url(application)
    page = other.get(found.url)
    assert page.status_code == 200
    assert application.tracking_code_display in page.text
    assert BUSINESS in page.text
    assert "Security services" in page.text
    assert "Received" in page.text
    assert "30 days left" in page.text or "days left" in page.text


# --- Lookup -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["unknown code", "wrong registry code", "garbage", "bad checksum"])
def test_a_wrong_lookup_gives_one_neutral_answer(client, application, case):
    code, registry_code = {
        "unknown code": ("ABCD-EFGH-JKMN", REGISTRY_CODE),
        "wrong registry code": (application.tracking_code, OTHER_CODE),
        "garbage": ("'; drop table --", REGISTRY_CODE),
        "bad checksum": (application.tracking_code, "12345678"),
    }[case]

    response = lookup(client, code, registry_code)

    assert response.status_code == 200
    assert NOT_FOUND in response.text
    assert BUSINESS not in response.text
    assert "Security services" not in response.text
    assert "mtr_applications" not in client.session


def test_a_wrong_lookup_looks_the_same_for_a_real_and_an_unknown_code(client, application):
    def main(response) -> str:
        text = response.text[response.text.index("<main") : response.text.index("</main>")]
        text = text.replace(application.tracking_code, "CODE").replace("ABCDEFGHJKMN", "CODE")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    real = lookup(client, application.tracking_code, OTHER_CODE)
    unknown = lookup(client, "ABCDEFGHJKMN", OTHER_CODE)

    assert main(real) == main(unknown)


def test_the_lookup_is_rate_limited(client, application, settings):
    settings.MTR_PUBLIC_STATUS_RATE = "2/d"  # a long window: never crossed during the test

    answers = [lookup(client, "ABCDEFGHJKMN").status_code for _ in range(2)]
    answers.append(lookup(client, application.tracking_code).status_code)

    assert answers == [200, 200, 429]
    assert Client(REMOTE_ADDR="10.0.0.9").get(reverse("mtr:public-status")).status_code == 200


def test_a_code_this_session_did_not_open_goes_to_the_lookup(client, application):
    response = client.get(detail_url(application))

    assert response.status_code == 302
    assert response.url == f"{reverse('mtr:public-status')}?code={application.tracking_code}"
    page = english(client).get(response.url)
    assert f'value="{application.tracking_code}"' in page.text
    assert BUSINESS not in page.text


def test_another_sessions_application_is_not_shown(client, licence_area):  # noqa: F811
    mine = file_application(licence_area)
    other = file_application(licence_area, registry_code=OTHER_CODE, business_name="Teine OÜ")
    lookup(client, mine.tracking_code)

    assert client.get(detail_url(mine)).status_code == 200
    for url in (
        detail_url(other),
        reverse("mtr:public-receipt", args=[other.tracking_code]),
        reverse("mtr:public-decision", args=[other.tracking_code]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("mtr:public-status"))
    answer = client.post(reverse("mtr:public-answer", args=[other.tracking_code]), {"answer": "x"})
    assert answer.status_code == 302
    assert "Teine OÜ" not in english(client).get(detail_url(mine)).text


# --- What the page shows ------------------------------------------------------------------------


def test_the_page_shows_a_request_for_data_without_staff_names(client, application, processor):
    ask_for_data(processor, application)
    lookup(client, application.tracking_code)

    response = english(client).get(detail_url(application))

    text = response.text
    assert "Missing data requested" in text
    assert "Lisage turvatöötajate nimekiri." in text
    assert "Please answer by" in text
    assert "the term for the decision counts again from the day your answer" in text
    assert 'name="answer"' in text
    assert 'name="files"' in text
    assert reverse("mtr:public-answer", args=[application.tracking_code]) in text
    assert "Tiina" not in text
    assert "Menetleja" not in text


def test_an_answer_moves_the_application_back_to_review_with_its_files(
    client, application, processor
):
    request = ask_for_data(processor, application)
    lookup(client, application.tracking_code)

    response = english(client).post(
        reverse("mtr:public-answer", args=[application.tracking_code]),
        {"answer": "Nimekiri on lisatud.", "files": [pdf_file("nimekiri.pdf"), png_file()]},
    )

    assert response.status_code == 302
    assert response.url == detail_url(application)
    application.refresh_from_db()
    request.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert request.answer == "Nimekiri on lisatud."
    files = ApplicationAttachment.objects.filter(deficiency=request)
    assert sorted(f.name for f in files) == ["nimekiri.pdf", "plaan.png"]
    page = client.get(response.url)
    assert "your answer was sent" in page.text
    assert "In review" in page.text
    assert "Earlier requests and your answers" in page.text
    assert "Nimekiri on lisatud." in page.text
    assert "nimekiri.pdf" in page.text
    assert 'name="answer"' not in page.text


def test_an_empty_answer_or_a_wrong_file_is_shown_by_the_field(client, application, processor):
    ask_for_data(processor, application)
    lookup(client, application.tracking_code)
    url = reverse("mtr:public-answer", args=[application.tracking_code])

    empty = english(client).post(url, {"answer": ""})
    text_file = client.post(
        url,
        {"answer": "Siin see on", "files": [pdf_file("nimekiri.txt")]},
    )

    assert empty.status_code == 200
    assert 'id="id_answer_error"' in empty.text
    assert text_file.status_code == 200
    assert 'id="id_files_error"' in text_file.text
    assert "Siin see on" in text_file.text
    application.refresh_from_db()
    assert application.status == Application.Status.DEFICIENT


def test_an_answer_without_an_open_request_is_not_found(client, application):
    lookup(client, application.tracking_code)

    response = client.post(
        reverse("mtr:public-answer", args=[application.tracking_code]), {"answer": "Tere"}
    )

    assert response.status_code == 404


# --- PDFs ---------------------------------------------------------------------------------------


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_receipt_is_a_pdf_with_the_code(client, application):
    lookup(client, application.tracking_code)

    response = client.get(reverse("mtr:public-receipt", args=[application.tracking_code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-{application.tracking_code_display}.pdf"'
    )
    text = pdf_text(response)
    assert application.tracking_code_display in text or application.tracking_code in text


def test_the_decision_is_linked_and_downloadable_when_ready(
    client, application, processor, django_capture_on_commit_callbacks
):
    lookup(client, application.tracking_code)
    decision_url = reverse("mtr:public-decision", args=[application.tracking_code])
    assert client.get(decision_url).status_code == 404
    services.application_claim(actor=processor, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=processor, application=application, grant=True, reason="Nõuded on täidetud."
        )
    application.refresh_from_db()
    assert application.decision_pdf_status == "ready"

    page = english(client).get(detail_url(application))
    response = client.get(decision_url)

    assert "Granted" in page.text
    assert decision_url in page.text
    assert application.entry.number in page.text
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="decision-{application.tracking_code_display}.pdf"'
    )
