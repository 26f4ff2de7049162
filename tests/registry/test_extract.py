import contextlib
import io
import zipfile
from email.message import EmailMessage

import pytest
from django.core.files import File
from pypdf import PdfReader, PdfWriter

from core.pdf import html_to_pdf
from core.uploads import KINDS
from registry.extract import NO_TEXT_KINDS, ExtractionError, extract_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(body: str, *, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> io.BytesIO:
    document = f"{prolog}<w:document {W}><w:body>{body}</w:body></w:document>"
    return io.BytesIO(zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": document}))


def odf(body: str, mimetype: str = "application/vnd.oasis.opendocument.text") -> io.BytesIO:
    content = (
        f'<?xml version="1.0"?><office:document-content {ODF}>{body}</office:document-content>'
    )
    return io.BytesIO(zip_bytes({"mimetype": mimetype, "content.xml": content}))


# --- PDF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_pages() -> bytes:
    return html_to_pdf(
        '<p style="break-after: page">Tere õunapuu</p>'
        '<p style="break-after: page">Teine lehekülg</p>'
        "<p>Kolmas lehekülg</p>"
    )


def test_the_text_of_a_pdf(three_pages):
    text = extract_text(io.BytesIO(three_pages), "pdf")
    assert "Tere õunapuu" in text
    assert "Kolmas lehekülg" in text


def test_only_the_first_pages_of_a_pdf_are_read(three_pages):
    text = extract_text(io.BytesIO(three_pages), "pdf", max_pages=2)
    assert "Teine lehekülg" in text
    assert "Kolmas" not in text


def test_a_pdf_from_a_path(tmp_path, three_pages):
    path = tmp_path / "kiri.pdf"
    path.write_bytes(three_pages)
    assert "Tere õunapuu" in extract_text(path, "pdf")
    assert "Tere õunapuu" in extract_text(str(path), "pdf")


def test_a_django_file_is_read_from_its_start(three_pages):
    handle = File(io.BytesIO(three_pages), name="kiri.pdf")
    handle.read(100)
    assert "Tere õunapuu" in extract_text(handle, "pdf")


def test_a_pdf_with_a_password_raises_an_extraction_error(three_pages):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages)))
    writer.encrypt(user_password="salajane", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with pytest.raises(ExtractionError, match="password"):
        extract_text(encrypted, "pdf")


def test_a_pdf_encrypted_without_a_password_is_read(three_pages):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages)))
    writer.encrypt(user_password="", owner_password="omanik", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    assert "Tere õunapuu" in extract_text(encrypted, "pdf")


def test_a_damaged_pdf_raises_an_extraction_error():
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n"), "pdf")


# --- DOCX, ODT, ODS, XLSX ------------------------------------------------------------------------


def test_the_text_of_a_docx():
    body = (
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
        "<w:r><w:t>Lugupeetud</w:t></w:r><w:r><w:t xml:space='preserve'> Mari Õunapuu</w:t></w:r>"
        "</w:p>"
        "<w:p><w:r><w:t>Nr</w:t><w:tab/><w:t>1-2/26</w:t><w:br/><w:t>Tallinn</w:t></w:r></w:p>"
        "<w:p><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"
    )
    assert extract_text(docx(body), "docx") == "Lugupeetud Mari Õunapuu\nNr\t1-2/26\nTallinn\n\n"


def test_a_docx_with_a_dtd_is_refused():
    prolog = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with pytest.raises(ExtractionError, match="DTD"):
        extract_text(docx("<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>", prolog=prolog), "docx")


def test_a_docx_without_its_document_raises_an_extraction_error():
    data = io.BytesIO(zip_bytes({"[Content_Types].xml": "<Types/>"}))
    with pytest.raises(ExtractionError, match=r"word/document\.xml"):
        extract_text(data, "docx")


def test_broken_xml_in_a_docx_raises_an_extraction_error():
    with pytest.raises(ExtractionError):
        extract_text(docx("<w:p><w:r><w:t>Tere</w:r></w:p>"), "docx")


def test_a_docx_that_is_no_zip_raises_an_extraction_error():
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(b"PK\x03\x04 not really"), "docx")


def test_the_text_of_an_odt():
    body = (
        "<office:body><office:text>"
        "<text:h>Otsus</text:h>"
        "<text:p>Üks<text:s text:c='3'/>kaks<text:tab/>kolm<text:line-break/>"
        "<text:span>neli</text:span></text:p>"
        "</office:text></office:body>"
    )
    assert extract_text(odf(body), "odt") == "Otsus\nÜks   kaks\tkolm\nneli\n"


def test_the_text_of_an_ods():
    body = (
        "<office:body><office:spreadsheet><table:table><table:table-row>"
        "<table:table-cell><text:p>Eelarve</text:p></table:table-cell>"
        "<table:table-cell><text:p>Õppereis</text:p></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet></office:body>"
    )
    mimetype = "application/vnd.oasis.opendocument.spreadsheet"
    assert extract_text(odf(body, mimetype), "ods") == "Eelarve\nÕppereis\n"


def test_the_text_of_an_xlsx():
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>Kulu</t></si><si><r><t>Õppe</t></r><r><t>reis</t></r></si></sst>"
    )
    data = io.BytesIO(
        zip_bytes({"[Content_Types].xml": "<Types/>", "xl/sharedStrings.xml": strings})
    )
    assert extract_text(data, "xlsx") == "Kulu\nÕppereis\n"


def test_an_xlsx_of_numbers_only_has_no_text():
    data = io.BytesIO(zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"}))
    assert extract_text(data, "xlsx") == ""


def test_the_text_of_a_long_docx_is_cut():
    body = "<w:p><w:r><w:t>Kümme täht</w:t></w:r></w:p>" * 1000
    text = extract_text(docx(body), "docx", max_chars=25)
    assert text == "Kümme täht\nKümme täht\nKüm"


# --- E-mail --------------------------------------------------------------------------------------


def message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Mari Õunapuu <mari@example.ee>"
    message["To"] = "Ametnik <info@agency.example.ee>"
    message["Subject"] = "Teabenõue: hoonete ülevaatus"
    return message


def test_the_text_of_an_email():
    mail = message()
    mail.set_content("Palun saatke mulle ülevaatuse aktid.\n", cte="quoted-printable")
    mail.add_alternative("<p>HTML-osa</p>", subtype="html")
    mail.add_attachment(b"Lisa sisu", maintype="text", subtype="plain", filename="lisa.txt")
    text = extract_text(io.BytesIO(mail.as_bytes()), "eml")
    assert "Teabenõue: hoonete ülevaatus" in text
    assert "Mari Õunapuu <mari@example.ee>" in text
    assert "info@agency.example.ee" in text
    assert "Palun saatke mulle ülevaatuse aktid." in text
    assert "HTML-osa" not in text  # the plain text says the same
    assert "Lisa sisu" not in text  # attachments are files of their own


def test_the_text_of_an_html_only_email():
    mail = message()
    mail.set_content(
        "<html><head><style>p {color: red}</style></head>"
        "<body><p>Tere!</p><script>alert(1)</script><p>Vastan &amp; küsin.</p></body></html>",
        subtype="html",
    )
    text = extract_text(io.BytesIO(mail.as_bytes()), "eml")
    assert "Tere!" in text
    assert "Vastan & küsin." in text
    assert "alert" not in text
    assert "color" not in text


def test_an_email_with_an_unknown_charset():
    raw = (
        b"From: mari@example.ee\r\nSubject: Tere\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n\r\nS\xc3\xbcda\r\n"
    )
    text = extract_text(io.BytesIO(raw), "eml")
    assert "Süda" in text


# --- Plain text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "Õunapuu ja šokolaad".encode(),
        "Õunapuu ja šokolaad".encode("utf-8-sig"),
        "Õunapuu ja šokolaad".encode("utf-16"),
        "Õunapuu ja šokolaad".encode("cp1257"),
    ],
)
def test_the_text_of_a_text_file(data):
    assert extract_text(io.BytesIO(data), "txt") == "Õunapuu ja šokolaad"


def test_a_long_text_file_is_cut():
    assert extract_text(io.BytesIO(b"a" * 5000), "txt", max_chars=1000) == "a" * 1000


def test_a_character_cut_in_two_is_no_reason_to_change_the_encoding():
    data = "õ".encode() * 600  # two bytes each, read 400 × 4 = 1600 bytes: 800 characters
    assert extract_text(io.BytesIO(data), "txt", max_chars=400) == "õ" * 400


# --- Kinds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(NO_TEXT_KINDS))
def test_images_and_containers_have_no_text(kind):
    assert extract_text(io.BytesIO(b"\x89PNG whatever"), kind) == ""


def test_every_kind_of_upload_is_known():
    for key in KINDS:
        with contextlib.suppress(ExtractionError):  # an empty file is damaged; the kind is known
            extract_text(io.BytesIO(b""), key)


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="exe"):
        extract_text(io.BytesIO(b"MZ"), "exe")
