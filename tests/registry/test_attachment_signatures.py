"""Signed containers that arrive: verified on intake, kept as they came, flagged when a
signature cannot be trusted, and checked again on request (registry.services.attachment_add,
attachment_verify_signatures; the document page)."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core import roles
from core.models import Event
from registry import services
from registry.verbs import Verb
from tests.signing import build_container, pki

pytestmark = pytest.mark.django_db

FILES = {"taotlus.pdf": b"%PDF-1.4 taotlus", "lisa.txt": "Lisa õ ä ö ü".encode()}


def container(name="taotlus.asice", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, build_container(FILES, **options), content_type="application/vnd.etsi.asic-e+zip"
    )


@pytest.fixture
def document(make_document):
    return make_document(title="Tegevusloa taotlus, digitaalselt allkirjastatud")


def page(client, document, language="en") -> str:
    response = client.get(
        reverse("registry:document-detail", args=[document.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_valid_container_is_verified_on_intake_and_shows_its_signer(client, clerk, document):
    attachment = services.attachment_add(actor=clerk, document=document, uploaded=container())

    assert attachment.signature_status == "valid"
    assert attachment.signatures["signatures"][0]["signer"] == "Mari Tamm"
    assert attachment.signatures_checked_at is not None
    client.force_login(clerk)
    html = page(client, document)
    assert "<strong>Mari Tamm</strong>" in html
    assert "38001085718" in html
    assert "A signature could not be confirmed" not in html


def test_two_signers_are_both_shown(client, clerk, document):
    services.attachment_add(
        actor=clerk, document=document, uploaded=container(signers=[pki().mari, pki().jaan])
    )
    client.force_login(clerk)
    html = page(client, document)
    assert "<strong>Mari Tamm</strong>" in html
    assert "<strong>Jaan Kask</strong>" in html
    assert "2 signatures" in html


@pytest.mark.parametrize(
    ("tamper", "claimed"),
    [("key_info", "Jaan Kask"), ("signature_value", "Mari Tamm"), ("file", "Mari Tamm")],
)
def test_a_forged_container_is_kept_as_it_came_and_flagged(
    client, clerk, document, tamper, claimed
):
    uploaded = container(tamper=tamper)
    sent = uploaded.read()
    uploaded.seek(0)

    attachment = services.attachment_add(actor=clerk, document=document, uploaded=uploaded)

    assert attachment.signature_status == "invalid"
    with attachment.file.open("rb") as stored:  # evidence: byte for byte as it arrived
        assert hashlib.sha256(stored.read()).hexdigest() == hashlib.sha256(sent).hexdigest()
    client.force_login(clerk)
    html = page(client, document)
    assert "The signed container taotlus.asice is invalid: do not treat it as signed." in html
    # the name in a forged signature's certificate is never shown as the signer
    assert f"<strong>{claimed}</strong>" not in html
    assert f"Claims to be signed by {claimed}" in html


def test_an_unknown_ca_is_flagged_as_not_established(client, clerk, document):
    stranger = pki().stranger
    attachment = services.attachment_add(
        actor=clerk, document=document, uploaded=container(signers=[stranger])
    )
    assert attachment.signature_status == "indeterminate"
    client.force_login(clerk)
    html = page(client, document)
    assert "The validity of the signatures in taotlus.asice cannot be established." in html
    assert "unknown" in html


def test_reasons_are_shown_in_the_readers_language(client, clerk, document):
    services.attachment_add(actor=clerk, document=document, uploaded=container(tamper="file"))
    client.force_login(clerk)
    with translation.override("en"):
        assert "The file taotlus.pdf was changed after it was signed." in page(client, document)
    estonian = page(client, document, "et")
    assert "The file taotlus.pdf was changed" not in estonian
    assert "taotlus.pdf" in estonian


def test_a_pdf_gets_no_signature_verdict(clerk, document):
    pdf = SimpleUploadedFile("kiri.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = services.attachment_add(actor=clerk, document=document, uploaded=pdf)
    assert attachment.signature_status == ""
    assert attachment.signatures == {}


def test_checking_again_after_the_trust_list_was_updated(client, clerk, document, tmp_path):
    empty = tmp_path / "empty-trust"
    empty.mkdir()
    with override_settings(SIGNATURE_TRUST_STORE=str(empty)):
        attachment = services.attachment_add(actor=clerk, document=document, uploaded=container())
    assert attachment.signature_status == "indeterminate"

    client.force_login(clerk)
    response = client.post(
        reverse("registry:attachment-verify", args=[document.pk, attachment.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.signature_status == "valid"
    event = Event.objects.get(verb=Verb.SIGNATURES_CHECKED, object_id=str(document.pk))
    assert event.data == {"file": "taotlus.asice", "before": "indeterminate", "after": "valid"}


def test_checking_again_needs_the_permission_to_add_files(client, make_user, clerk, document):
    attachment = services.attachment_add(actor=clerk, document=document, uploaded=container())
    client.force_login(make_user(roles.MTR_PROCESSOR, username="processor"))

    response = client.post(reverse("registry:attachment-verify", args=[document.pk, attachment.pk]))

    assert response.status_code == 403
    assert not Event.objects.filter(verb=Verb.SIGNATURES_CHECKED).exists()


def test_checking_again_a_file_of_another_document_or_a_pdf_is_404(
    client, clerk, document, make_document
):
    other = make_document(title="Teine kiri")
    attachment = services.attachment_add(actor=clerk, document=other, uploaded=container())
    pdf = services.attachment_add(
        actor=clerk,
        document=document,
        uploaded=SimpleUploadedFile("kiri.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    client.force_login(clerk)
    for pk in (attachment.pk, pdf.pk):
        response = client.post(reverse("registry:attachment-verify", args=[document.pk, pk]))
        assert response.status_code == 404


def test_a_restricted_documents_container_is_404_to_who_may_not_see_it(
    client, make_user, clerk, make_document, basis
):
    restricted = make_document(restriction_basis=basis, title="Isikuandmetega taotlus")
    attachment = services.attachment_add(actor=clerk, document=restricted, uploaded=container())
    client.force_login(make_user(roles.CLERK, username="teine"))

    response = client.post(
        reverse("registry:attachment-verify", args=[restricted.pk, attachment.pk])
    )

    assert response.status_code == 404
    attachment.refresh_from_db()
    assert attachment.signatures_checked_at is not None  # untouched by the refused request
