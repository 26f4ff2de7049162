"""A PDF with JavaScript or embedded files in the register: flagged for staff, stripped in the
public download, the stored original untouched (issue 13, item 7)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import pdf_active
from tests.core.test_pdf_active import pikepdf_bytes


def test_an_active_pdf_is_flagged_shown_to_staff_and_served_stripped(client, clerk, make_document):
    original = pikepdf_bytes(open_action=True, embedded=True)
    document = make_document(
        files=[SimpleUploadedFile("kiri.pdf", original, content_type="application/pdf")],
        public_files=True,
    )
    attachment = document.attachments.get()
    assert attachment.active_content == "embedded_files,javascript"
    with attachment.file.open("rb") as stored:
        assert stored.read() == original  # the record as it came

    public = client.get(
        reverse("registry:public-file", args=[document.public_code, attachment.public_code])
    )
    served = b"".join(public.streaming_content)
    assert served.startswith(b"%PDF")
    assert pdf_active.scan(io.BytesIO(served)) == []

    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registry:document-detail", args=[document.pk])).content.decode()
    assert "contained embedded files, JavaScript: removed from the copy opened" in page
    staff = client.get(reverse("registry:attachment-download", args=[document.pk, attachment.pk]))
    assert pdf_active.scan(io.BytesIO(b"".join(staff.streaming_content))) == []


def test_a_plain_pdf_is_served_as_it_is(client, make_document):
    original = pikepdf_bytes()
    document = make_document(
        files=[SimpleUploadedFile("kiri.pdf", original, content_type="application/pdf")],
        public_files=True,
    )
    attachment = document.attachments.get()
    assert attachment.active_content == ""
    public = client.get(
        reverse("registry:public-file", args=[document.public_code, attachment.public_code])
    )
    assert b"".join(public.streaming_content) == original
