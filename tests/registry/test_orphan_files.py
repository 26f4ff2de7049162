"""Files left by a rolled-back registration are removed by the nightly sweep; others stay."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from registry import services
from registry.tasks import remove_orphan_files

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def age(path: str, hours: int) -> None:
    moment = time.time() - hours * 3600
    os.utime(default_storage.path(path), (moment, moment))


@pytest.mark.django_db
def test_an_old_file_nobody_refers_to_is_removed_and_attached_ones_stay(make_document, clerk):
    document = make_document()
    kept = services.attachment_add(
        actor=clerk,
        document=document,
        uploaded=SimpleUploadedFile("kiri.pdf", PDF, "application/pdf"),
    )
    orphan = default_storage.save("registry/2026/01/orphan", ContentFile(b"left behind"))
    fresh = default_storage.save("registry/2026/01/fresh", ContentFile(b"still uploading"))
    age(orphan, 48)
    age(kept.file.name, 48)
    age(fresh, 0)  # written now by the test's clock, which may not be the file system's

    assert remove_orphan_files() == 1

    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh)
    assert default_storage.exists(kept.file.name)
