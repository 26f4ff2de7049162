"""The whole story of issue 5 through the real views, as a business and a processor live it, in
each language: apply with an attachment → code by e-mail with the receipt → the processor asks
for missing data → the business answers on the status page → the processor grants → the entry
is in the public register → the decision letter (PDF) and the e-mails say the right things."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import roles
from mtr.models import Application, Entry
from tests.factories import SeriesFactory
from tests.mtr.test_public_apply import (
    REGISTRY_CODE,
    make_licence_area,
    pdf_file,
    submit_licence,
)

WORDS = {
    # language: words of the receipt's, the deficiency's and the decision's e-mail subjects,
    # and of the decision letter's title
    "et": ("Teie taotlus on kätte saadud", "puuduvad", "Otsus", "Tegevusloa andmise otsus"),
    "en": ("Your application was received", "missing", "Decision", "Decision to grant"),
    "ru": ("получено", "не хватает данных", "Решение", "Решение о выдаче"),
}


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("language", ["et", "en", "ru"])
def test_apply_ask_answer_grant_and_find_the_entry(
    client, make_user, language, django_capture_on_commit_callbacks
):
    SeriesFactory(code="4-1", title="Tegevusloa taotlused")
    area = make_licence_area()
    client.cookies["django_language"] = language

    # 1. The business applies, with a PDF and a PNG.
    with django_capture_on_commit_callbacks(execute=True):
        response, _url, _key = submit_licence(client, area)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.language == language
    assert application.attachments.count() == 2
    done = client.get(response.url)
    assert application.tracking_code_display in done.text
    receipt_mail = mail.outbox[-1]
    assert WORDS[language][0].lower() in receipt_mail.subject.lower()
    assert application.tracking_code_display in receipt_mail.body
    receipt = pdf_text(receipt_mail.attachments[0][1])
    assert application.tracking_code_display in receipt
    assert application.document.number in receipt  # registered in the document register

    # 2. A processor takes it and asks for missing data (in the staff pages, in Estonian).
    processor = make_user(roles.MTR_PROCESSOR, username="jaan", email="jaan@example.ee")
    staff = client.__class__()
    staff.force_login(processor)
    detail = reverse("mtr:application-detail", args=[application.pk])
    assert staff.post(reverse("mtr:application-claim", args=[application.pk])).status_code == 302
    due = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("mtr:application-request-data", args=[application.pk]),
            {"request-text": "Lisage turvatöötajate nimekiri.", "request-due_on": due.isoformat()},
        )
    assert response.status_code == 302
    deficiency_mail = mail.outbox[-1]
    assert deficiency_mail.to == ["info@turvateenused.example.ee"]
    assert WORDS[language][1].lower() in deficiency_mail.subject.lower()
    assert "Lisage turvatöötajate nimekiri." in deficiency_mail.body

    # 3. The business answers on the status page, found with the code and the registry code.
    applicant = client.__class__()
    applicant.cookies["django_language"] = language
    found = applicant.post(
        reverse("mtr:public-status"),
        {"code": application.tracking_code_display, "registry_code": REGISTRY_CODE},
    )
    assert found.status_code == 302
    page = applicant.get(found.url)
    assert "Lisage turvatöötajate nimekiri." in page.text
    with django_capture_on_commit_callbacks(execute=True):
        answered = applicant.post(
            reverse("mtr:public-answer", args=[application.tracking_code]),
            {"answer": "Nimekiri on lisatud.", "files": [pdf_file("nimekiri.pdf")]},
        )
    assert answered.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW

    # 4. The processor grants it: the entry is made, the letter rendered and e-mailed.
    with django_capture_on_commit_callbacks(execute=True):
        granted = staff.post(
            reverse("mtr:application-decide", args=[application.pk]),
            {"decide-decision": "grant", "decide-reason": "Nõuded on täidetud."},
        )
    assert granted.status_code == 302
    application.refresh_from_db()
    entry = application.entry
    assert application.status == Application.Status.GRANTED
    assert entry.status == Entry.Status.VALID
    assert entry.number.startswith("TTE")
    decision_mail = mail.outbox[-1]
    assert WORDS[language][2].lower() in decision_mail.subject.lower()
    assert entry.number in decision_mail.body
    letter = pdf_text(decision_mail.attachments[0][1])
    assert WORDS[language][3].lower() in letter.lower()
    assert entry.number in letter
    assert "Nõuded on täidetud." in letter
    assert staff.get(detail).status_code == 200

    # 5. The entry is in the public register, and the status page links the decision.
    public = applicant.get(reverse("mtr:public-entries"), {"name": "Turvateenused"})
    assert entry.number in public.text
    assert (
        reverse("mtr:public-decision", args=[application.tracking_code])
        in applicant.get(found.url).text
    )
    letter_download = applicant.get(
        reverse("mtr:public-decision", args=[application.tracking_code])
    )
    assert letter_download["Content-Type"] == "application/pdf"
