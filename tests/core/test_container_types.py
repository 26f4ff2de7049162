"""The content types of signed containers wherever the portal names a type by a file name:
``mimetypes`` (taught in core.apps), ``core.uploads.content_type_for``, the e-mail outbox
(also a row queued before the type was known) and ``core.downloads.file_download``."""

from __future__ import annotations

import mimetypes
import zipfile
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core import services
from core.downloads import file_download
from core.models import OutboundEmail
from core.uploads import check_upload, content_type_for

ASIC_E = "application/vnd.etsi.asic-e+zip"
ASIC_S = "application/vnd.etsi.asic-s+zip"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("kiri.asice", ASIC_E),
        ("KIRI.ASICE", ASIC_E),
        ("kiri.sce", ASIC_E),
        ("kiri.bdoc", ASIC_E),
        ("tempel.asics", ASIC_S),
        ("tempel.scs", ASIC_S),
        ("otsus.pdf", "application/pdf"),
        ("tabel.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("arhiiv.zip", "application/zip"),
        ("nimeta", "application/octet-stream"),
    ],
)
def test_content_type_by_name(name, content_type):
    assert content_type_for(name) == content_type


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("a.asice", ASIC_E), ("a.sce", ASIC_E), ("a.bdoc", ASIC_E), ("a.asics", ASIC_S)],
)
def test_mimetypes_knows_the_containers_once_django_is_set_up(name, content_type):
    assert mimetypes.guess_type(name)[0] == content_type


def asics_bytes() -> bytes:
    """An ASiC-S container as DigiDoc makes a time-stamped one: mimetype first, stored."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ASIC_S, compress_type=zipfile.ZIP_STORED)
        archive.writestr("otsus.pdf", b"%PDF-1.4\n%%EOF\n")
        archive.writestr("META-INF/timestamp.tst", b"\x30\x00")
    return buffer.getvalue()


def test_an_asics_upload_is_its_own_kind():
    kind = check_upload(
        SimpleUploadedFile("tempel.asics", asics_bytes()), allowed=["asics"], max_bytes=10**6
    )
    assert (kind.key, kind.content_type) == ("asics", ASIC_S)


@pytest.mark.django_db
def test_an_e_mailed_bdoc_goes_out_as_asic_e(django_capture_on_commit_callbacks):
    name = default_storage.save("containers/x", ContentFile(b"PK\x03\x04 container"))
    stored = default_storage.open(name)
    stored.name = name  # a FieldFile-like value: what email_queue reads is .name

    email = services.email_queue(
        to=["a@example.ee"],
        subject="Kiri",
        body="Tere",
        attachments=[(stored, "kiri.bdoc")],
    )

    assert email.attachments[0]["content_type"] == ASIC_E
    [(filename, content, content_type)] = services.email_message(email).attachments
    assert (filename, content_type) == ("kiri.bdoc", ASIC_E)


@pytest.mark.django_db
def test_an_e_mail_queued_with_octet_stream_before_is_sent_with_the_right_type():
    path = default_storage.save("containers/y", ContentFile(b"PK\x03\x04 container"))
    email = OutboundEmail.objects.create(
        to=["a@example.ee"],
        subject="Kiri",
        body="Tere",
        attachments=[
            {"name": "kiri.asice", "path": path, "content_type": "application/octet-stream"}
        ],
    )
    message = services.email_message(email).message()
    [part] = [p for p in message.walk() if p.get_filename()]
    assert (part.get_filename(), part.get_content_type()) == ("kiri.asice", ASIC_E)


def test_a_download_without_a_known_type_gets_it_from_the_name(tmp_path):
    class Stored:
        def open(self, mode):
            return BytesIO(b"PK\x03\x04 container")

    for given in ("", "application/octet-stream"):
        response = file_download(Stored(), filename="otsus.bdoc", content_type=given)
        assert response["Content-Type"] == ASIC_E
        assert response["Content-Disposition"] == 'attachment; filename="otsus.bdoc"'
        assert response["X-Content-Type-Options"] == "nosniff"
