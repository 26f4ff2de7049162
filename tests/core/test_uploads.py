import io
import struct
import zipfile
import zlib
from email.message import EmailMessage

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils.datastructures import MultiValueDict

from core.pdf import html_to_pdf
from core.uploads import (
    DEFAULT_KINDS,
    KINDS,
    MultipleFileField,
    UploadField,
    ZipLimits,
    check_upload,
    safe_display_name,
    validate_upload,
)

MB = 1024 * 1024
LIMIT = 25 * MB

# --- Files, built here ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return html_to_pdf("<p>Tere õunapuu</p>")


def zip_bytes(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    """A ZIP of ``entries`` (name, data), deflated; the first stored if ``stored_first``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Tere</w:t></w:r></w:p></w:body></w:document>"
)


def docx_bytes(extra: list[tuple[str, bytes]] = ()) -> bytes:
    return zip_bytes(
        [("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", DOCUMENT_XML), *extra]
    )


def xlsx_bytes() -> bytes:
    return zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", b"<workbook/>")])


def odf_bytes(mimetype: bytes) -> bytes:
    return zip_bytes(
        [
            ("mimetype", mimetype),
            ("META-INF/manifest.xml", b"<manifest/>"),
            ("content.xml", b"<office:document-content/>"),
        ],
        stored_first=True,
    )


def asice_bytes(*, mimetype_first: bool = True) -> bytes:
    entries = [
        ("mimetype", b"application/vnd.etsi.asic-e+zip"),
        ("META-INF/manifest.xml", b"<manifest/>"),
        ("avaldus.pdf", b"%PDF-1.7 ..."),
        ("META-INF/signatures0.xml", b"<XAdESSignatures/>"),
    ]
    if not mimetype_first:
        entries.reverse()
    return zip_bytes(entries, stored_first=mimetype_first)


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def eml_bytes() -> bytes:
    message = EmailMessage()
    message["From"] = "Mari Õunapuu <mari@example.ee>"
    message["To"] = "info@agency.example.ee"
    message["Subject"] = "Teabenõue"
    message["Date"] = "Mon, 02 Mar 2026 10:00:00 +0200"
    message.set_content("Palun saatke mulle koopia.")
    return message.as_bytes()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(uploaded, **kwargs) -> ValidationError:
    kwargs.setdefault("max_bytes", LIMIT)
    with pytest.raises(ValidationError) as caught:
        check_upload(uploaded, **kwargs)
    return caught.value


# --- Accepted files ------------------------------------------------------------------------------


def test_a_pdf_is_accepted(pdf_bytes):
    kind = check_upload(upload("kiri.pdf", pdf_bytes), max_bytes=LIMIT)
    assert kind == KINDS["pdf"]
    assert kind.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "make", "key"),
    [
        ("otsus.docx", docx_bytes, "docx"),
        ("Tabel.XLSX", xlsx_bytes, "xlsx"),
        ("memo.odt", lambda: odf_bytes(b"application/vnd.oasis.opendocument.text"), "odt"),
        (
            "eelarve.ods",
            lambda: odf_bytes(b"application/vnd.oasis.opendocument.spreadsheet"),
            "ods",
        ),
        ("avaldus.asice", asice_bytes, "asice"),
        ("avaldus.bdoc", asice_bytes, "asice"),
        ("skann.png", png_bytes, "png"),
        ("foto.jpg", lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100), "jpeg"),
        ("skann.tiff", lambda: b"II*\x00\x08\x00\x00\x00" + bytes(100), "tiff"),
        ("logo.gif", lambda: b"GIF89a\x01\x00\x01\x00" + bytes(20), "gif"),
        ("kiri.eml", eml_bytes, "eml"),
        ("märkmed.txt", lambda: "Tere, õunapuu!\r\n\tÜks rida.\n".encode(), "txt"),
        ("vana.txt", lambda: "Õunapuu".encode("cp1257"), "txt"),
    ],
)
def test_files_whose_name_and_content_agree_are_accepted(name, make, key):
    kind = check_upload(upload(name, make()), max_bytes=LIMIT)
    assert kind.key == key


def test_an_email_saved_as_text_is_accepted_as_text():
    assert check_upload(upload("kiri.txt", eml_bytes()), max_bytes=LIMIT).key == "txt"


def test_the_file_is_left_at_its_start(pdf_bytes):
    uploaded = upload("kiri.pdf", pdf_bytes)
    uploaded.read(10)
    check_upload(uploaded, max_bytes=LIMIT)
    assert uploaded.tell() == 0
    assert uploaded.read() == pdf_bytes


def test_the_file_is_left_at_its_start_after_a_refusal():
    uploaded = upload("otsus.docx", zip_bytes([("a.txt", b"a")]))
    refusal(uploaded)
    assert uploaded.tell() == 0


def test_a_file_on_disk_is_checked_too(pdf_bytes):
    uploaded = TemporaryUploadedFile("kiri.pdf", "application/pdf", len(pdf_bytes), None)
    uploaded.write(pdf_bytes)
    uploaded.seek(0)
    try:
        assert check_upload(uploaded, max_bytes=LIMIT).key == "pdf"
        assert uploaded.tell() == 0
    finally:
        uploaded.close()


def test_a_docx_on_disk_is_checked_too():
    data = docx_bytes()
    uploaded = TemporaryUploadedFile("otsus.docx", "application/octet-stream", len(data), None)
    uploaded.write(data)
    uploaded.seek(0)
    try:
        assert check_upload(uploaded, max_bytes=LIMIT).key == "docx"
    finally:
        uploaded.close()


def zip64(data: bytes) -> bytes:
    """``data`` (a ZIP) with ZIP64 end records, as some tools write even for small files."""
    at = data.rfind(b"PK\x05\x06")
    _sig, _d, _cd, _n, entries, cd_size, cd_offset, _c = struct.unpack_from("<4s4H2LH", data, at)
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, cd_size, cd_offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, at, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:at] + record + locator + end


def test_a_zip64_document_is_accepted():
    data = zip64(docx_bytes())
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()  # a valid ZIP
    assert check_upload(upload("otsus.docx", data), max_bytes=LIMIT).key == "docx"


# --- Refused files -------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused(pdf_bytes):
    error = refusal(upload("kiri.pdf", pdf_bytes), max_bytes=1000)
    assert error.code == "too_large"
    assert "kiri.pdf" in error.messages[0]
    assert "1000" in error.messages[0]  # "1000 bytes", the limit


def test_an_empty_file_is_refused():
    assert refusal(upload("kiri.pdf", b"")).code == "empty"


def test_an_unknown_extension_is_refused():
    error = refusal(upload("programm.exe", EXE))
    assert error.code == "type_not_allowed"
    assert ".pdf" in error.messages[0]
    assert ".asice" in error.messages[0]


def test_a_file_without_an_extension_is_refused(pdf_bytes):
    assert refusal(upload("kiri", pdf_bytes)).code == "type_not_allowed"


def test_a_kind_the_caller_does_not_allow_is_refused():
    error = refusal(upload("otsus.docx", docx_bytes()), allowed=["pdf", "asice"])
    assert error.code == "type_not_allowed"
    assert ".pdf, .asice, .sce, .bdoc" in error.messages[0]


def test_a_pdf_renamed_docx_is_refused(pdf_bytes):
    error = refusal(upload("otsus.docx", pdf_bytes))
    assert error.code == "extension_mismatch"
    assert "PDF" in error.messages[0]
    assert ".docx" in error.messages[0]


def test_a_docx_renamed_odt_is_refused():
    assert refusal(upload("memo.odt", docx_bytes())).code == "extension_mismatch"


def test_an_exe_renamed_pdf_is_refused():
    error = refusal(upload("arve.pdf", EXE))
    assert error.code == "content_mismatch"
    assert "PDF" in error.messages[0]


@pytest.mark.parametrize(
    "name", ["skann.png", "foto.jpeg", "kiri.pdf", "otsus.docx", "kiri.eml", "märkmed.txt"]
)
def test_unknown_content_is_refused(name):
    noise = bytes(range(256)) * 8
    assert refusal(upload(name, noise)).code == "content_mismatch"


def test_a_plain_zip_renamed_docx_is_refused():
    data = zip_bytes([("a.txt", b"a"), ("b.txt", b"b")])
    assert refusal(upload("otsus.docx", data)).code == "content_mismatch"


def test_a_damaged_zip_is_refused():
    data = docx_bytes()
    assert refusal(upload("otsus.docx", data[: len(data) // 2])).code == "content_mismatch"


def test_an_odt_with_another_mimetype_is_refused():
    data = odf_bytes(b"application/vnd.oasis.opendocument.presentation")
    assert refusal(upload("slaidid.odt", data)).code == "content_mismatch"


def test_an_asice_whose_first_entry_is_not_the_mimetype_is_refused():
    assert refusal(upload("avaldus.asice", asice_bytes(mimetype_first=False))).code == (
        "content_mismatch"
    )


def test_text_that_is_no_email_is_refused_as_eml():
    error = refusal(upload("kiri.eml", b"Tere!\nSee on lihtsalt tekst.\n"))
    assert error.code == "extension_mismatch"
    assert "TXT" in error.messages[0]


def test_text_with_a_colon_in_the_first_lines_is_no_email():
    text = b"Kokkuvote: koosolek\nOsalejad: Mari, Jaan\n\nTekst.\n"
    assert refusal(upload("kiri.eml", text)).code == "extension_mismatch"


def test_a_client_name_with_folders_is_shown_without_them():
    error = refusal(upload("C:\\Users\\mari\\..\\programm.exe", EXE))
    assert "programm.exe" in error.messages[0]
    assert "Users" not in error.messages[0]


def test_unknown_kinds_in_allowed_are_a_programming_error(pdf_bytes):
    with pytest.raises(ValueError, match="exe"):
        check_upload(upload("kiri.pdf", pdf_bytes), allowed=["pdf", "exe"], max_bytes=LIMIT)


# --- Zip bombs -----------------------------------------------------------------------------------


def zeros_zip(size: int, *, name: str = "word/media/zeros.bin") -> bytes:
    """A DOCX holding ``size`` zero bytes: cheap to make, small, and huge when unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        with archive.open(name, "w", force_zip64=True) as entry:
            block = bytes(MB)
            for _ in range(size // MB):
                entry.write(block)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return zeros_zip(210 * MB)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(zip_bomb):
    assert len(zip_bomb) < 2 * MB
    error = refusal(upload("otsus.docx", zip_bomb))
    assert error.code == "zip_size"
    assert "200" in error.messages[0]


def test_a_zip_bomb_renamed_asice_is_refused_too(zip_bomb):
    assert refusal(upload("avaldus.asice", zip_bomb)).code == "zip_size"


def test_an_absurd_compression_ratio_is_refused():
    data = zeros_zip(20 * MB)  # under the unpacked limit, but a thousand to one
    assert refusal(upload("otsus.docx", data)).code == "zip_ratio"


def test_a_small_file_may_compress_well():
    text = b"<w:p><w:r><w:t>Tere</w:t></w:r></w:p>" * 5000  # about 190 kB of the same
    data = docx_bytes([("word/footnotes.xml", text)])
    assert check_upload(upload("otsus.docx", data), max_bytes=LIMIT).key == "docx"


def test_too_many_entries_are_refused():
    data = docx_bytes([(f"word/media/{index}.txt", b"x") for index in range(20)])
    error = refusal(upload("otsus.docx", data), zip_limits=ZipLimits(max_entries=10))
    assert error.code == "zip_entries"
    assert "22" in error.messages[0]


# --- safe_display_name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Otsus nr 1-2.pdf", "Otsus nr 1-2.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\mari\\Desktop\\kiri.docx", "kiri.docx"),
        ("kiri\x00.pdf", "kiri.pdf"),
        ("arve\u202efdp.exe", "arvefdp.exe"),  # a right-to-left override hides ".exe"
        ("  mitu   tühikut\t.txt  ", "mitu tühikut.txt"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("kiri.pdf.", "kiri.pdf"),
        (".pdf", "file.pdf"),
        ("..", "file"),
        ("", "file"),
        ("/", "file"),
        ("o\u0303unapuu.txt", "õunapuu.txt"),  # composed
    ],
)
def test_safe_display_name(name, expected):
    assert safe_display_name(name) == expected


def test_safe_display_name_keeps_the_extension_of_a_long_name():
    name = safe_display_name("ä" * 500 + ".docx")
    assert len(name) == 150
    assert name.endswith("ä.docx")


# --- Forms ---------------------------------------------------------------------------------------


class OneFileForm(forms.Form):
    file = UploadField(allowed=["pdf", "docx"])


class ManyFilesForm(forms.Form):
    files = MultipleFileField(allowed=["pdf", "docx"], max_bytes=LIMIT)


class OptionalFilesForm(forms.Form):
    files = MultipleFileField(required=False)


def test_the_widget_accepts_only_the_allowed_extensions():
    html = str(OneFileForm()["file"])
    assert 'accept=".pdf,.docx"' in html


def test_the_multiple_file_widget_takes_several_files():
    html = str(ManyFilesForm()["files"])
    assert "multiple" in html
    assert 'accept=".pdf,.docx"' in html


def test_the_default_widget_accepts_every_default_kind():
    html = str(OptionalFilesForm()["files"])
    assert ".asice" in html
    assert ".eml" in html


def test_the_upload_field_checks_the_content(pdf_bytes):
    form = OneFileForm(data={}, files={"file": upload("kiri.pdf", pdf_bytes)})
    assert form.is_valid(), form.errors
    bad = OneFileForm(data={}, files={"file": upload("kiri.pdf", EXE)})
    assert not bad.is_valid()
    assert "kiri.pdf" in bad.errors["file"][0]


def test_the_upload_field_reads_the_limit_from_settings(settings, pdf_bytes):
    settings.UPLOAD_MAX_BYTES = 100
    form = OneFileForm(data={}, files={"file": upload("kiri.pdf", pdf_bytes)})
    assert not form.is_valid()
    assert "100" in form.errors["file"][0]


def test_the_multiple_file_field_cleans_to_a_list(pdf_bytes):
    files = MultiValueDict({"files": [upload("a.pdf", pdf_bytes), upload("b.docx", docx_bytes())]})
    form = ManyFilesForm(data={}, files=files)
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["files"]] == ["a.pdf", "b.docx"]


def test_the_multiple_file_field_shows_the_error_of_every_bad_file(pdf_bytes):
    files = MultiValueDict(
        {
            "files": [
                upload("hea.pdf", pdf_bytes),
                upload("halb.pdf", EXE),
                upload("programm.exe", EXE),
            ]
        }
    )
    form = ManyFilesForm(data={}, files=files)
    assert not form.is_valid()
    errors = form.errors["files"]
    assert len(errors) == 2
    assert "halb.pdf" in errors[0]
    assert "programm.exe" in errors[1]


def test_the_multiple_file_field_may_be_required():
    form = ManyFilesForm(data={}, files=MultiValueDict())
    assert not form.is_valid()
    assert form.errors["files"]


def test_an_optional_multiple_file_field_may_stay_empty():
    form = OptionalFilesForm(data={}, files=MultiValueDict())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["files"] == []


def test_validate_upload_is_a_reusable_validator(pdf_bytes):
    validator = validate_upload(LIMIT, ["pdf"])
    validator(upload("kiri.pdf", pdf_bytes))
    with pytest.raises(ValidationError):
        validator(upload("otsus.docx", docx_bytes()))
    assert validator == validate_upload(LIMIT, ["pdf"])
    assert validator.deconstruct()[0] == "core.uploads.UploadValidator"


def test_every_kind_is_allowed_by_default():
    assert set(DEFAULT_KINDS) == set(KINDS)
