"""Signed containers leave the portal as what they are: ``application/vnd.etsi.asic-e+zip``
under their own name (``.asice`` or ``.bdoc``), in the e-mail that carries them (the real MIME
message) and as downloads; the letter's PDF never calls itself the signed document."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from core.models import OutboundEmail
from correspondence import services
from registry import services as registry_services
from tests.correspondence.containers import make_asice

ASIC_E = "application/vnd.etsi.asic-e+zip"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def keep_container(letter, name: str, data: bytes):
    """Keep a container on the letter as ``letter_attach_container`` does, without its
    signature verification (its own tests check that, with really signed containers)."""
    letter.container_name = name
    letter.container.save(name, ContentFile(data), save=False)
    letter.container_signers = [{"name": "Mari Tamm", "code": "38001085718"}]
    fields = ["container", "container_name", "container_signers"]
    if hasattr(letter, "container_verdict"):  # the kept verdict: a container sent is verified
        letter.container_verdict = {"status": "valid"}
        fields.append("container_verdict")
    letter.save(update_fields=fields)
    letter.refresh_from_db()
    return letter


def signed_letter(make_letter, capture, name: str, data: bytes):
    with capture(execute=True):
        letter = make_letter()
    return keep_container(letter, name, data)


@pytest.mark.parametrize("name", ["kiri.asice", "Vastus õäöü.bdoc"])
def test_a_container_is_e_mailed_as_asic_e_under_its_own_name(
    name, make_letter, clerk, django_capture_on_commit_callbacks
):
    data = make_asice()
    letter = signed_letter(make_letter, django_capture_on_commit_callbacks, name, data)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=letter)

    [stored] = OutboundEmail.objects.filter(key__startswith="letter-dispatch-")
    assert stored.attachments[0]["content_type"] == ASIC_E
    [email] = mail.outbox
    message = email.message()  # the MIME message as it goes to the SMTP server
    [part] = [p for p in message.walk() if p.get_filename()]
    assert part.get_content_type() == ASIC_E
    assert part.get_filename() == name
    assert part.get_payload(decode=True) == data


def test_the_container_downloads_as_asic_e_keeping_bdoc(
    client, make_letter, clerk, django_capture_on_commit_callbacks
):
    data = make_asice()
    letter = signed_letter(
        make_letter, django_capture_on_commit_callbacks, "allkirjastatud.bdoc", data
    )
    client.force_login(clerk)

    response = client.get(reverse("correspondence:letter-container", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == ASIC_E
    assert response["Content-Disposition"] == 'attachment; filename="allkirjastatud.bdoc"'
    assert b"".join(response.streaming_content) == data


def test_a_registered_bdoc_is_stored_and_served_as_asic_e(client, clerk, information_request):
    data = make_asice()
    attachment = registry_services.attachment_add(
        actor=clerk,
        document=information_request,
        uploaded=SimpleUploadedFile("taotlus.bdoc", data, "application/octet-stream"),
    )
    assert (attachment.name, attachment.content_type) == ("taotlus.bdoc", ASIC_E)
    client.force_login(clerk)

    response = client.get(
        reverse("registry:attachment-download", args=[information_request.pk, attachment.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == ASIC_E
    assert 'filename="taotlus.bdoc"' in response["Content-Disposition"]


def test_the_letter_pdf_points_to_the_container_and_never_calls_itself_signed(
    make_letter, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter()
    letter.language = "en"  # the PDF speaks the letter's language
    letter.save(update_fields=["language"])
    plain = pdf_text(services.letter_pdf_bytes(letter))
    keep_container(letter, "kiri.bdoc", make_asice())

    with_container = pdf_text(services.letter_pdf_bytes(letter))

    assert "signed" not in plain.lower()
    assert "(signed digitally)" not in with_container
    assert "The digitally signed version of this letter is the container kiri.bdoc." in (
        with_container
    )
