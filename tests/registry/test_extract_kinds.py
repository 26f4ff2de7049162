"""Every kind of file an office sends yields searchable text (registry.extract through the
extraction job): a file is attached with ``attachment_add`` and the document is then found by a
word of the file's text with ``staff_search``. A damaged file ends failed with its reason, at
once; a read error is tried again and ends failed, never "pending" for ever."""

import io
import shutil
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from core import jobs
from core.models import Job
from core.pdf import html_to_pdf
from registry import services
from registry.extract import extract_text
from registry.models import Attachment, Document
from registry.search import staff_search

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
RUSSIAN = "Заявление о внесении изменений в регистрационные данные предприятия"
ESTONIAN = "Taotlus majandustegevuse registreeringu muutmiseks, Tõnis Mägi, Žanna Šveitsi tänavalt"


@pytest.fixture
def attach(clerk, make_document, django_capture_on_commit_callbacks):
    """Attach a file to a new document as the clerk (the jobs run after commit, as in eager
    Celery) and return the attachment as stored."""

    def attach_file(name: str, data: bytes) -> Attachment:
        document = make_document()
        with django_capture_on_commit_callbacks(execute=True):
            attachment = services.attachment_add(
                actor=clerk, document=document, uploaded=SimpleUploadedFile(name, data)
            )
        attachment.refresh_from_db()
        return attachment

    return attach_file


def found(word: str) -> set[int]:
    return set(staff_search(Document.objects.all(), word).values_list("pk", flat=True))


def assert_found(attachment: Attachment, *words: str) -> None:
    assert attachment.text_status == Attachment.TextStatus.DONE, attachment.text_error
    for word in words:
        assert attachment.document_id in found(word), (word, attachment.text[:500])


def zip_bytes(entries: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def test_a_pdf_with_a_text_layer_is_found_by_its_words_without_ocr(attach):
    attachment = attach("kiri.pdf", html_to_pdf(f"<p>{ESTONIAN}</p><p>{RUSSIAN}</p>"))
    assert_found(attachment, "majandustegevuse", "Mägi", "регистрационные")
    assert attachment.ocr_status == Attachment.OcrStatus.NONE  # it has text: no OCR
    assert not Job.objects.filter(kind=services.OCR_JOB).exists()


def broken_text_layer_pdf() -> bytes:
    """A PDF whose font maps a character to a lone UTF-16 surrogate (ToUnicode ``<D800>``) and
    another to NUL, as real PDFs from some scanners and converters do: pypdf returns them."""
    pdf = pikepdf.new()
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /Broken def 1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"2 beginbfchar <58> <D800> <59> <0000> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            ToUnicode=pikepdf.Stream(pdf, cmap),
        )
    )
    content = b"BT /F1 14 Tf 72 720 Td (Kinnistusraamatu X valjavote Y Pohjarannik) Tj ET"
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pikepdf.Stream(pdf, content),
    )
    pdf.pages.append(pikepdf.Page(page))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_a_pdf_with_a_broken_text_layer_is_saved_without_surrogates(attach):
    data = broken_text_layer_pdf()
    raw = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "\ud800" in raw  # what made saving crash ("surrogates not allowed")
    assert "\x00" in raw  # PostgreSQL refuses NUL in text, too
    attachment = attach("valjavote.pdf", data)
    assert_found(attachment, "Kinnistusraamatu", "Pohjarannik")
    assert "\ud800" not in attachment.text
    assert "\x00" not in attachment.text


def test_a_damaged_pdf_fails_at_once_with_its_reason(attach):
    attachment = attach("katki.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")
    assert attachment.text_status == Attachment.TextStatus.FAILED
    assert attachment.text_error  # the reason, for staff to see
    job = Job.objects.get(key=f"{services.EXTRACT_JOB}:{attachment.pk}")
    assert (job.state, job.attempts) == (Job.State.DONE, 1)  # no pointless retries


def test_a_read_error_is_tried_again_and_then_failed_with_its_reason(attach, settings, monkeypatch):
    monkeypatch.setattr(jobs, "settle", lambda job: None)  # as with a worker: the job waits
    settings.JOBS_FIRST_BACKOFF_SECONDS = 0
    settings.JOBS_MAX_BACKOFF_SECONDS = 0
    document_pdf = html_to_pdf("<p>Kadunud fail</p>")
    attachment = attach("kiri.txt", b"placeholder")  # done: make a second one that cannot be read
    attachment = services.attachment_add(
        actor=attachment.uploaded_by,
        document=attachment.document,
        uploaded=SimpleUploadedFile("kadunud.pdf", document_pdf),
    )
    attachment.file.storage.delete(attachment.file.name)  # the storage lost it: an OSError
    job = Job.objects.get(key=f"{services.EXTRACT_JOB}:{attachment.pk}")
    for attempt in range(1, 6):
        assert jobs.run(job.pk) is False
        job.refresh_from_db()
        attachment.refresh_from_db()
        if attempt < 5:
            assert job.state == Job.State.PENDING
            assert attachment.text_status == Attachment.TextStatus.PENDING
    assert job.state == Job.State.FAILED
    assert attachment.text_status == Attachment.TextStatus.FAILED
    assert "FileNotFoundError" in attachment.text_error


# --- Office documents ----------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def test_a_docx_is_found_by_its_words(attach):
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
        f"<w:p><w:r><w:t>{ESTONIAN}</w:t></w:r></w:p><w:p><w:r><w:t>{RUSSIAN}</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    data = zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document})
    assert_found(attach("taotlus.docx", data), "registreeringu", "внесении")


def test_a_strict_ooxml_docx_is_found_by_its_words(attach):
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    document = (
        f'<w:document xmlns:w="{strict}"><w:body>'
        "<w:p><w:r><w:t>Ehitusloakohustuslik</w:t></w:r></w:p></w:body></w:document>"
    )
    data = zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document})
    assert_found(attach("strict.docx", data), "ehitusloakohustuslik")


ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def odf(mimetype: str, body: str) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF}>'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    return zip_bytes({"mimetype": mimetype, "content.xml": content})


def test_an_odt_is_found_by_its_words(attach):
    body = f"<office:text><text:h>Otsus</text:h><text:p>{ESTONIAN}</text:p></office:text>"
    data = odf("application/vnd.oasis.opendocument.text", body)
    assert_found(attach("otsus.odt", data), "majandustegevuse")


def test_an_ods_is_found_by_its_words(attach):
    body = (
        "<office:spreadsheet><table:table><table:table-row>"
        "<table:table-cell><text:p>Õppereisikulud</text:p></table:table-cell>"
        "<table:table-cell><text:p>Командировочные</text:p></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet>"
    )
    data = odf("application/vnd.oasis.opendocument.spreadsheet", body)
    assert_found(attach("eelarve.ods", data), "õppereisikulud", "командировочные")


def test_an_xlsx_written_by_openpyxl_is_found_by_its_words(attach):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["Inventarinimekiri", 12.5, "Мебель"])
    second = workbook.create_sheet("Teine")
    second["A1"] = "Sülearvutid"
    second["B1"] = '="Valem"&"tekst"'  # a formula: its cached value is not stored by openpyxl
    buffer = io.BytesIO()
    workbook.save(buffer)
    attachment = attach("inventar.xlsx", buffer.getvalue())
    assert_found(attachment, "inventarinimekiri", "мебель", "sülearvutid")
    assert "12.5" not in attachment.text  # numbers are left out


def test_a_strict_xlsx_with_inline_and_formula_strings_is_found_by_its_words(attach):
    main = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    shared = f'<sst xmlns="{main}"><si><t>Hankeplaan</t></si></sst>'
    sheet = (
        f'<worksheet xmlns="{main}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="inlineStr"><is><t>Reisikuludearuanne</t></is></c>'
        '<c r="C1" t="str"><f>CONCAT("Valemi","tulemus")</f><v>Valemitulemus</v></c>'
        '<c r="D1"><v>42</v></c>'
        "</row></sheetData></worksheet>"
    )
    data = zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": f'<workbook xmlns="{main}"/>',
            "xl/sharedStrings.xml": shared,
            "xl/worksheets/sheet1.xml": sheet,
        }
    )
    attachment = attach("strict.xlsx", data)
    assert_found(attachment, "hankeplaan", "reisikuludearuanne", "valemitulemus")
    assert "42" not in attachment.text


def test_an_rtf_is_found_by_its_words(attach):
    estonian = (
        rb"{\rtf1\ansi\ansicpg1257\deff0{\fonttbl{\f0\fcharset186 Arial;}}"
        rb"\f0 T\'f5nis M\'e4gi, \'f0okolaadivabrik\par}"
    )
    assert_found(attach("kiri.rtf", estonian), "šokolaadivabrik", "tõnis")
    russian = (
        rb"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0\fcharset204 Arial;}}"
        rb"\f0 \'c7\'e0\'ff\'e2\'eb\'e5\'ed\'e8\'e5 \u1086? \u1074?\u1085?\u1077?\u1089?\u1077?"
        rb"\u1085?\u1080?\u1080?\par}"
    )
    assert_found(attach("заявление.rtf", russian), "заявление", "внесении")


def test_an_html_page_is_found_by_its_words_but_not_its_scripts(attach):
    html = (
        '<!DOCTYPE html><html><head><meta charset="windows-1251"><title>x</title>'
        "<style>.kiri { color: red }</style></head><body>"
        "<p>Уведомление о проверке</p><script>var skriptisõna = 1;</script></body></html>"
    ).encode("cp1251", errors="xmlcharrefreplace")
    attachment = attach("teade.html", html)
    assert_found(attachment, "уведомление")
    assert not found("skriptisõna")
    assert "color" not in attachment.text


@pytest.mark.skipif(
    shutil.which("antiword") is None and shutil.which("catdoc") is None,
    reason="Debian's antiword or catdoc reads .doc files: neither is installed",
)
def test_a_doc_is_found_by_its_words(attach):
    attachment = attach("vana.doc", (DATA / "olefile-test.doc").read_bytes())
    assert_found(attachment, "saved", "Word")


@pytest.mark.skipif(
    shutil.which("xls2csv") is None, reason="Debian's catdoc (xls2csv) reads .xls files"
)
def test_an_xls_is_found_by_its_words(attach):
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes the .xls of this test")
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Leht")
    sheet.write(0, 0, "Põhivaraarvestus")
    sheet.write(0, 1, "Бухгалтерия")
    sheet.write(0, 2, 1234)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_found(attach("vara.xls", buffer.getvalue()), "põhivaraarvestus", "бухгалтерия")


def test_an_email_body_is_found_by_its_words(attach):
    message = EmailMessage()
    message["From"] = "Mari Õunapuu <mari@example.ee>"
    message["To"] = "info@agency.example.ee"
    message["Subject"] = "Teabenõue"
    message.set_content("Palun saatke ehitusprojekti joonised.\nЗаранее спасибо.\n")
    attachment = attach("kiri.eml", message.as_bytes())
    assert_found(attachment, "ehitusprojekti", "спасибо")


# --- Plain text in every encoding an office uses -------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text", "words"),
    [
        ("utf-8", ESTONIAN + "\n" + RUSSIAN, ["tõnis", "регистрационные"]),
        ("utf-8-sig", ESTONIAN, ["majandustegevuse", "žanna"]),
        ("utf-16", ESTONIAN + "\n" + RUSSIAN, ["šveitsi", "предприятия"]),
        ("utf-16-le", "\ufeff" + RUSSIAN, ["внесении"]),
        ("cp1257", ESTONIAN, ["tõnis", "mägi", "žanna", "šveitsi"]),
        ("cp1251", RUSSIAN, ["заявление", "регистрационные"]),
        ("cp866", RUSSIAN, ["заявление", "предприятия"]),
        ("koi8-r", RUSSIAN, ["изменений", "данные"]),
    ],
)
def test_a_text_file_is_found_by_its_words_in_every_encoding(attach, encoding, text, words):
    attachment = attach("kiri.txt", text.encode(encoding))
    assert_found(attachment, *words)
    assert text.lstrip("\ufeff").split()[0] in attachment.text  # decoded right, not garbled


@pytest.mark.parametrize(
    ("encoding", "sentence"),
    [
        ("cp1251", "Прошу выдать справку"),
        ("cp866", "Прошу выдать справку"),
        ("koi8-r", "Прошу выдать справку"),
        ("cp1257", "Palun väljastada tõend"),
    ],
)
def test_a_short_text_is_decoded_right(encoding, sentence):
    assert extract_text(io.BytesIO(sentence.encode(encoding)), "txt") == sentence


def test_clean_text_drops_nul_controls_and_lone_surrogates_but_keeps_pairs():
    from registry.extract import clean_text

    assert clean_text("a\x00b\x07c\ud800d\te\n") == "abcd\te\n"
    assert clean_text("\ud83d\ude00") == "\U0001f600"  # a pair is its character


# --- Upload checks of the kinds added for offices ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("vana.doc", zip_bytes({"a.txt": "a"})),  # not an OLE2 file
        ("vana.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),  # OLE2 magic, no streams
        ("kiri.rtf", b"Tere, see ei ole RTF"),
        ("leht.html", b"Tere, see ei ole HTML"),
    ],
)
def test_a_file_whose_content_is_not_its_kind_is_refused(name, data):
    from django.core.exceptions import ValidationError

    from core.uploads import check_upload

    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile(name, data), max_bytes=10**6)


def test_an_xls_named_doc_is_refused_with_its_real_kind():
    from django.core.exceptions import ValidationError

    from core.uploads import check_upload

    xlwt = pytest.importorskip("xlwt")
    workbook = xlwt.Workbook()
    workbook.add_sheet("Leht").write(0, 0, "Tere")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match="XLS"):
        check_upload(SimpleUploadedFile("vale.doc", buffer.getvalue()), max_bytes=10**6)


def test_the_migration_gives_extractions_stuck_by_the_old_code_another_go(clerk, make_document):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("registry.migrations.0006_attachment_text_error_ocr")
    document = make_document(files=[SimpleUploadedFile("kiri.txt", "Ülevaatusakt".encode())])
    attachment = document.attachments.get()
    # "pending" with its job given up, as the surrogate bug left it
    Attachment.objects.filter(pk=attachment.pk).update(
        text_status=Attachment.TextStatus.PENDING, text=""
    )
    job = Job.objects.get(key=f"{services.EXTRACT_JOB}:{attachment.pk}")
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, attempts=5)

    migration.retry_stuck_extractions(apps, None)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.PENDING, 0)
    jobs.sweep()
    attachment.refresh_from_db()
    assert attachment.text_status == Attachment.TextStatus.DONE
    assert document.pk in found("ülevaatusakt")
