"""PDFs carrying JavaScript or embedded files: flagged at upload, stripped from every copy
served, the stored original kept as it came (issue 13, item 7)."""

import io

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from core import pdf_active


def pikepdf_bytes(*, open_action=False, page_aa=False, names_js=False, embedded=False):
    """A one-page PDF made with pikepdf, carrying what is asked for."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    if open_action:
        pdf.Root.OpenAction = pdf.make_indirect(script)
    if page_aa:
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=script)
    if names_js:
        tree = pikepdf.Array([pikepdf.String("start"), pdf.make_indirect(script)])
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=tree))
    if embedded:
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ-payload-bytes")
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False)
    return buffer.getvalue()


def pypdf_bytes(*, javascript=False, embedded=False):
    """The same made with pypdf, as another producer would."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        writer.add_open_action(JavaScript("app.alert('pypdf');"))
    if embedded:
        writer.add_attachment("notes.txt", b"embedded text")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "flags"),
    [
        (lambda: pikepdf_bytes(), []),
        (lambda: pikepdf_bytes(open_action=True), ["javascript"]),
        (lambda: pikepdf_bytes(page_aa=True), ["javascript"]),
        (lambda: pikepdf_bytes(names_js=True), ["javascript"]),
        (lambda: pikepdf_bytes(embedded=True), ["embedded_files"]),
        (lambda: pypdf_bytes(), []),
        (lambda: pypdf_bytes(javascript=True), ["javascript"]),
        (lambda: pypdf_bytes(embedded=True), ["embedded_files"]),
        (lambda: pypdf_bytes(javascript=True, embedded=True), ["embedded_files", "javascript"]),
    ],
)
def test_scan_names_what_a_pdf_carries(make, flags):
    assert pdf_active.scan(io.BytesIO(make())) == flags


def test_the_stripped_copy_keeps_the_pages_and_nothing_active():
    original = pikepdf_bytes(open_action=True, page_aa=True, names_js=True, embedded=True)
    assert b"MZ-payload-bytes" in original
    copy = pdf_active.stripped(io.BytesIO(original))
    assert pdf_active.scan(io.BytesIO(copy)) == []
    assert b"app.alert" not in copy
    assert b"MZ-payload-bytes" not in copy
    reader = PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == 1
    assert "/OpenAction" not in reader.trailer["/Root"]
    assert not reader.attachments


def test_a_pdf_that_cannot_be_read_is_reported_not_raised():
    broken = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert pdf_active.scan(io.BytesIO(broken)) == ["unreadable"]
    assert pdf_active.flags_for(io.BytesIO(broken), "pdf") == ""
    assert pdf_active.flags_for(io.BytesIO(pikepdf_bytes(open_action=True)), "png") == ""
