"""OCR of scans (registry.extract.ocr through the OCR job): a one-page letter in Estonian and one
in Russian are drawn into an image with the project's font, wrapped in an image-only PDF (as a
scanner makes it) and attached; once ``attachment_add`` has returned (eager jobs), the document
is found by a word of the letter, and a searchable PDF/A is kept beside the untouched original.

Needs Debian's tesseract-ocr with -est, -rus, -eng, ghostscript and OCRmyPDF (PyPI)."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from core.models import Job
from core.pdf import html_to_pdf
from registry import services
from registry.models import Attachment, Document
from registry.search import staff_search
from tests.conftest import BROKER


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted here are the English ones."""
    settings.LANGUAGE_CODE = "en"


def _tesseract_languages() -> set[str]:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return set()
    listed = subprocess.run(  # noqa: S603 - the installed program, a fixed argument
        [tesseract, "--list-langs"], capture_output=True, text=True, check=False
    )
    return set(listed.stdout.split())


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not {"est", "rus", "eng"} <= _tesseract_languages(),
        reason="Debian's tesseract-ocr with tesseract-ocr-est, -rus and -eng is not installed",
    ),
]

FONT = Path(django_settings.BASE_DIR) / "static" / "fonts" / "DejaVuSans.ttf"

ESTONIAN_LETTER = [
    "Maksu- ja Tolliamet",
    "Tallinn, 3. detsember 2026",
    "",
    "Taotlus majandustegevuse registreeringu muutmiseks",
    "",
    "Palun muuta ettevõtte tegevuskoha aadressi ja",
    "kontaktisiku andmeid alates järgmisest kuust.",
    "",
    "Lugupidamisega",
    "Tõnis Mägi",
]
RUSSIAN_LETTER = [
    "Департамент налогов",
    "Таллинн, 3 декабря 2026 г.",
    "",
    "Заявление о внесении изменений",
    "",
    "Прошу внести изменения в регистрационные",
    "данные предприятия с первого числа.",
    "",
    "С уважением,",
    "Иван Петров",
]


def scan(lines: list[str]) -> Image.Image:
    """An A4 page at 200 dpi with the letter drawn in black on white, as a scanner gives it."""
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 36)
    for row, line in enumerate(lines):
        draw.text((170, 250 + row * 64), line, font=font, fill=0)
    return page


def image_pdf(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    scan(lines).save(buffer, "PDF", resolution=200)
    return buffer.getvalue()


def found(word: str) -> set[int]:
    return set(staff_search(Document.objects.all(), word).values_list("pk", flat=True))


@pytest.fixture
def attach(clerk, make_document, django_capture_on_commit_callbacks):
    def attach_file(name: str, data: bytes) -> Attachment:
        document = make_document()
        with django_capture_on_commit_callbacks(execute=True):
            attachment = services.attachment_add(
                actor=clerk, document=document, uploaded=SimpleUploadedFile(name, data)
            )
        attachment.refresh_from_db()
        return attachment

    return attach_file


def assert_searchable(attachment: Attachment, original: bytes, *words: str) -> None:
    assert attachment.ocr_status == Attachment.OcrStatus.DONE, attachment.ocr_error
    assert attachment.text_status == Attachment.TextStatus.DONE
    for word in words:
        assert attachment.document_id in found(word), (word, attachment.text)
    with attachment.file.open("rb") as stored:
        assert stored.read() == original  # the original is never changed
    with attachment.searchable_pdf.open("rb") as searchable:
        reader = PdfReader(searchable)
        layer = " ".join(page.extract_text() for page in reader.pages)
        metadata = reader.xmp_metadata
    for word in words:
        assert word.lower() in layer.lower()
    assert metadata is not None
    assert "pdfaid" in metadata.rdf_root.toxml()  # a PDF/A


def test_a_scanned_estonian_letter_is_found_by_a_word_after_ocr(attach):
    data = image_pdf(ESTONIAN_LETTER)
    assert PdfReader(io.BytesIO(data)).pages[0].extract_text().strip() == ""  # image only
    attachment = attach("skann.pdf", data)
    assert_searchable(attachment, data, "majandustegevuse", "registreeringu", "tegevuskoha")
    assert "Mägi" in attachment.text


def test_a_scanned_russian_letter_is_found_by_a_word_after_ocr(attach):
    data = image_pdf(RUSSIAN_LETTER)
    attachment = attach("заявление.pdf", data)
    assert_searchable(attachment, data, "регистрационные", "изменений")


def test_a_photographed_page_is_read_too(attach):
    buffer = io.BytesIO()
    scan(ESTONIAN_LETTER).convert("RGB").save(buffer, "JPEG", quality=90, dpi=(200, 200))
    attachment = attach("foto.jpg", buffer.getvalue())
    assert_searchable(attachment, buffer.getvalue(), "majandustegevuse")


def test_a_pdf_with_text_skips_ocr_quickly(attach):
    attachment = attach("kiri.pdf", html_to_pdf("<p>Taotlus majandustegevuse muutmiseks</p>"))
    assert attachment.ocr_status == Attachment.OcrStatus.NONE
    assert not attachment.searchable_pdf
    assert not Job.objects.filter(kind=services.OCR_JOB).exists()


def test_a_logo_too_small_to_be_a_page_is_not_sent_to_ocr(attach):
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), "white").save(buffer, "PNG")
    attachment = attach("logo.png", buffer.getvalue())
    assert attachment.ocr_status == Attachment.OcrStatus.NONE
    assert attachment.text_status == Attachment.TextStatus.NONE
    assert not Job.objects.filter(kind=services.OCR_JOB).exists()


def test_an_image_ocr_cannot_read_fails_with_its_reason(attach):
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a PNG signature and nothing readable
    attachment = attach("katki.png", broken)
    assert attachment.ocr_status == Attachment.OcrStatus.FAILED
    assert attachment.ocr_error
    job = Job.objects.get(kind=services.OCR_JOB)
    assert (job.state, job.attempts) == (Job.State.DONE, 1)  # no pointless retries


@pytest.mark.slow  # three runs of OCRmyPDF (see registry.extract.ocr): over 10 s on a busy machine
def test_a_pdf_of_a_typed_letter_and_a_scanned_annex_gets_both_read(attach):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in (html_to_pdf("<p>Kaaskiri ehitusloa taotlusele</p>"), image_pdf(RUSSIAN_LETTER)):
        writer.append(PdfReader(io.BytesIO(part)))
    buffer = io.BytesIO()
    writer.write(buffer)
    attachment = attach("kaaskiri.pdf", buffer.getvalue())
    assert attachment.ocr_status == Attachment.OcrStatus.DONE, attachment.ocr_error
    for word in ("kaaskiri", "регистрационные"):
        assert attachment.document_id in found(word)
    with attachment.searchable_pdf.open("rb") as searchable:
        reader = PdfReader(searchable)
        assert "Kaaskiri" in reader.pages[0].extract_text()  # the typed page kept as it was
        assert "изменений" in reader.pages[1].extract_text()


def test_the_document_page_offers_the_searchable_pdf(attach, client):
    attachment = attach("skann.pdf", image_pdf(ESTONIAN_LETTER))
    client.force_login(attachment.uploaded_by)
    page = client.get(reverse("registry:document-detail", args=[attachment.document_id]))
    html = page.content.decode()
    download = reverse(
        "registry:attachment-searchable", args=[attachment.document_id, attachment.pk]
    )
    assert download in html
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_status_answers_pending_then_done(client, clerk, make_document, monkeypatch):
    from core import jobs as job_queue

    monkeypatch.setattr(job_queue, "settle", lambda job: None)  # a worker's world: nothing ran
    document = make_document(files=[SimpleUploadedFile("skann.png", scan_png())])
    attachment = document.attachments.get()  # its jobs have not run: on-commit never came
    client.force_login(clerk)
    url = reverse("registry:attachment-status", args=[document.pk, attachment.pk])
    assert client.get(url).json()["status"] == "pending"
    page = client.get(reverse("registry:document-detail", args=[document.pk])).content.decode()
    assert f'data-status-url="{url}"' in page
    assert "status-poll.js" in page

    from core import jobs

    jobs.sweep()  # runs the extraction, which queues the OCR (eager)
    jobs.sweep()
    attachment.refresh_from_db()
    assert attachment.ocr_status == Attachment.OcrStatus.DONE, attachment.ocr_error
    assert client.get(url).json() == {"status": "done", "text_status": "done", "ocr_status": "done"}


def test_the_status_and_the_searchable_pdf_need_the_register(
    client, administrator, make_document, settings
):
    # The rights are checked before anything is looked up (were they not, the missing searchable
    # PDF would answer 404, not 403), so the scan need not be read: OCR off saves a run of
    # OCRmyPDF, the slowest step of the test suite's attachments.
    settings.OCR_ENABLED = False
    document = make_document(files=[SimpleUploadedFile("skann.png", scan_png())])
    attachment = document.attachments.get()
    client.force_login(administrator)
    for name in ("registry:attachment-status", "registry:attachment-searchable"):
        assert client.get(reverse(name, args=[document.pk, attachment.pk])).status_code == 403


def test_a_failure_is_shown_with_its_reason_on_the_document_page(attach, client):
    attachment = attach("katki.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")
    client.force_login(attachment.uploaded_by)
    page = client.get(reverse("registry:document-detail", args=[attachment.document_id]))
    assert "The text could not be read" in page.content.decode()
    assert attachment.text_error in page.content.decode()


def scan_png() -> bytes:
    buffer = io.BytesIO()
    scan(ESTONIAN_LETTER).save(buffer, "PNG", dpi=(200, 200))
    return buffer.getvalue()


def test_ocr_reads_at_most_the_pages_it_is_allowed(tmp_path):
    from registry.extract import ocr

    pages = [scan(["Esimene lehekülg Tallinnas"]), scan(["Teine lehekülg Tartus"])]
    source = tmp_path / "kaks.pdf"
    pages[0].save(source, "PDF", save_all=True, append_images=pages[1:], resolution=200)
    text = ocr(source, "pdf", output=tmp_path / "otsitav.pdf", max_pages=1)
    assert "Tallinnas" in text
    assert "Tartus" not in text
    assert "OCR skipped" not in text
    assert len(PdfReader(tmp_path / "otsitav.pdf").pages) == 2  # every page kept


@pytest.mark.worker
@pytest.mark.skipif(
    not BROKER.startswith("redis://"),
    reason="CELERY_BROKER_URL does not name a Redis broker",
)
@pytest.mark.django_db(transaction=True)
def test_a_scan_is_read_by_a_real_worker_through_redis(real_worker, clerk, make_document):
    import time

    document = make_document()
    attachment = services.attachment_add(
        actor=clerk, document=document, uploaded=SimpleUploadedFile("skann.png", scan_png())
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        attachment.refresh_from_db()
        if not attachment.in_progress:
            break
        time.sleep(0.3)
    assert attachment.ocr_status == Attachment.OcrStatus.DONE, attachment.ocr_error
    assert document.pk in found("majandustegevuse")
