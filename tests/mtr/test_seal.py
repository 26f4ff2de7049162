"""What the MTR sends by itself says only what is true of it: with the agency's e-seal
configured, the receipt and the decision letter carry a valid PAdES seal (checked with pyHanko
against the test CA) and say so; without one, no PDF or e-mail in any language speaks of a
signature, and the decision names who approved it and when."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from core import seal
from mtr import services
from mtr.models import Application
from tests.factories import SeriesFactory
from tests.seal_pki import make_pki

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "mtr-seal"
#: A claim of a signature, in English, Estonian and Russian.
SIGNATURE_CLAIM = re.compile(r"\bsigned\b|allkirjastatud|digitaalselt|подписан", re.IGNORECASE)


def pdf_text(data: bytes) -> str:
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def series(db):
    return SeriesFactory(code="4-1", title="Tegevusloa taotlused")


@pytest.fixture(scope="module")
def pki():
    return make_pki()


@pytest.fixture
def sealing(settings, pki, tmp_path):
    settings.SEAL_PKCS12_FILE = str(pki.seal_pkcs12(tmp_path / "seal.p12", PASSWORD))
    settings.SEAL_PKCS12_PASSWORD = PASSWORD
    settings.SEAL_TIMESTAMP_URL = ""
    return settings


@pytest.fixture
def no_seal(settings):
    settings.SEAL_PKCS12_FILE = ""


def validation(content: bytes, pki):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signatures = PdfFileReader(io.BytesIO(content)).embedded_signatures
    assert len(signatures) == 1, "sealed exactly once"
    context = ValidationContext(trust_roots=[pki.asn1(pki.ca_cert)], allow_fetching=False)
    return validate_pdf_signature(signatures[0], context)


def decide(application, processor, capture, *, grant=True, reason="Nõuded on täidetud."):
    services.application_claim(actor=processor, application=application)
    with capture(execute=True):
        services.application_decide(
            actor=processor, application=application, grant=grant, reason=reason
        )
    return Application.objects.select_related("decision_document").get(pk=application.pk)


def test_the_decision_letter_and_receipt_are_sealed_and_say_so(
    sealing, pki, make_application, processor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = make_application(
            language="en",
            files=[("plan", SimpleUploadedFile("turvaplaan.pdf", PDF, "application/pdf"))],
        )
    [received] = mail.outbox
    mail.outbox.clear()
    application = decide(submitted, processor, django_capture_on_commit_callbacks)

    decision = services.application_decision_pdf(application=application)
    status = validation(decision, pki)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    text = pdf_text(decision)
    assert f"Sealed with the e-seal of {sealing.AGENCY_NAME}." in text
    assert "Piret Töö" in text
    # The letter is registered before it is made: it carries its own number, and the
    # registered reply keeps the very same sealed bytes.
    reply = application.decision_document
    assert reply.number in text
    [registered] = reply.attachments.all()
    assert registered.file.read() == decision
    [email] = mail.outbox
    assert email.attachments[0][1] == decision

    receipt = services.application_receipt_pdf(application=application)
    assert validation(receipt, pki).bottom_line
    assert "Sealed with the e-seal of" in pdf_text(receipt)
    assert received.attachments[0][1] == receipt


def test_a_decision_letter_made_twice_is_sealed_once(
    sealing, pki, make_application, processor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = make_application()
    application = decide(submitted, processor, django_capture_on_commit_callbacks)
    first = services.application_decision_pdf(application=application)
    mail.outbox.clear()

    assert services.decision_letter_make(application_id=application.pk)  # a redelivered job

    application.refresh_from_db()
    assert services.application_decision_pdf(application=application) == first
    assert validation(first, pki).bottom_line  # one signature, still valid
    assert application.decision_document.attachments.count() == 1
    assert mail.outbox == []


def test_a_broken_seal_makes_the_letter_fail_instead_of_going_out_unsealed(
    sealing, make_application, processor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = make_application()
    sealing.SEAL_PKCS12_PASSWORD = "rotated-but-not-updated"
    mail.outbox.clear()
    services.application_claim(actor=processor, application=submitted)
    services.application_decide(
        actor=processor, application=submitted, grant=True, reason="Nõuded on täidetud."
    )

    with pytest.raises(seal.SealError):
        services.decision_letter_make(application_id=submitted.pk)

    submitted.refresh_from_db()
    assert not submitted.decision_pdf
    assert submitted.decision_document is None  # the registration rolled back with it
    assert mail.outbox == []


@pytest.mark.parametrize("language", ["et", "en", "ru"])
def test_without_a_seal_nothing_claims_a_signature_and_the_decision_names_its_approver(
    no_seal, language, make_application, processor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        granted = make_application(language=language)
        refused = make_application(language=language, registry_code="12345678")
    granted = decide(granted, processor, django_capture_on_commit_callbacks)
    refused = decide(
        refused, processor, django_capture_on_commit_callbacks, grant=False, reason="Puudub."
    )

    documents = {}
    for application in (granted, refused):
        decision = services.application_decision_pdf(application=application)
        receipt = services.application_receipt_pdf(application=application)
        assert not seal.is_sealed(decision)
        assert not seal.is_sealed(receipt)
        documents[f"decision {application.pk}"] = pdf_text(decision)
        documents[f"receipt {application.pk}"] = pdf_text(receipt)
        decided_at = timezone.localtime(application.decided_at)
        text = documents[f"decision {application.pk}"]
        assert "Piret Töö" in text
        assert f"{decided_at:%d.%m.%Y}" in text
        assert f"{decided_at:%H:%M}" in text
        assert application.decision_document.number in text
    for index, email in enumerate(mail.outbox):
        documents[f"e-mail {index}: {email.subject}"] = f"{email.subject}\n{email.body}"
    assert len(mail.outbox) == 4  # two receipts, two decisions

    claims = {name: SIGNATURE_CLAIM.findall(text) for name, text in documents.items()}
    assert not any(claims.values()), claims
    assert not any("Sealed" in text or "seal" in text.lower() for text in documents.values())
