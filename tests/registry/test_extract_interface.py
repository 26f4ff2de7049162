"""The interface others rely on: with Celery eager, the text (and the OCR of a scan) of a file is
there when ``attachment_add`` returns — also inside a transaction that commits much later (a
test's, a request's), not only after commit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from core.pdf import html_to_pdf
from registry import services
from registry.models import Attachment, Document
from registry.search import staff_search

pytestmark = pytest.mark.django_db


def test_the_text_is_searchable_when_attachment_add_returns(clerk, make_document):
    document = make_document()
    pdf = html_to_pdf("<p>Hoolduslepingu lisa: tänavavalgustuse kontrollkäigud.</p>")
    with transaction.atomic():  # nothing commits until the end of the test
        attachment = services.attachment_add(
            actor=clerk, document=document, uploaded=SimpleUploadedFile("leping.pdf", pdf)
        )
        attachment.refresh_from_db()
        assert attachment.text_status == Attachment.TextStatus.DONE
        found = staff_search(Document.objects.all(), "kontrollkäigud")
        assert list(found.values_list("pk", flat=True)) == [document.pk]


def test_a_scan_is_read_by_ocr_when_attachment_add_returns(clerk, make_document, settings):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(settings.BASE_DIR / "static/fonts/DejaVuSans.ttf"), 44)
    page = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(page).text((120, 200), "Kinnistusraamatu väljavõte", fill="black", font=font)
    scan = io.BytesIO()
    page.save(scan, "PDF", resolution=150)
    document = make_document()
    attachment = services.attachment_add(
        actor=clerk,
        document=document,
        uploaded=SimpleUploadedFile("skann.pdf", scan.getvalue()),
    )
    attachment.refresh_from_db()
    assert attachment.ocr_status == Attachment.OcrStatus.DONE, attachment.ocr_error
    assert attachment.searchable_pdf
    found = staff_search(Document.objects.all(), "Kinnistusraamatu")
    assert list(found.values_list("pk", flat=True)) == [document.pk]
