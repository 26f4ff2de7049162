"""A PDF with JavaScript sent with a public MTR application: accepted, flagged, stripped."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import pdf_active
from tests.core.test_pdf_active import pikepdf_bytes


def test_an_application_pdf_with_javascript_is_flagged_and_served_stripped(
    client, processor, make_application
):
    original = pikepdf_bytes(names_js=True, embedded=True)
    application = make_application(
        files=[("", SimpleUploadedFile("plaan.pdf", original, content_type="application/pdf"))]
    )
    attachment = application.attachments.get()
    assert attachment.active_content == "embedded_files,javascript"
    client.force_login(processor)
    response = client.get(reverse("mtr:application-file", args=[application.pk, attachment.pk]))
    assert response.status_code == 200
    assert pdf_active.scan(io.BytesIO(b"".join(response.streaming_content))) == []
