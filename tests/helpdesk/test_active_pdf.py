"""A PDF with JavaScript e-mailed to support: kept, flagged, downloaded stripped."""

import io

from core import pdf_active
from helpdesk import mail
from tests.core.test_pdf_active import pikepdf_bytes
from tests.helpdesk.test_mail import eml


def test_an_emailed_pdf_with_javascript_is_flagged_and_stripped(client, specialist, db):
    original = pikepdf_bytes(page_aa=True)
    ticket = mail.import_message(eml(files=[("vorm.pdf", original, "application", "pdf")])).ticket
    attachment = ticket.messages.get().attachments.get()
    assert attachment.active_content == "javascript"
    client.force_login(specialist)
    client.cookies["django_language"] = "en"
    assert "contained JavaScript" in client.get(f"/support/{ticket.pk}/").content.decode()
    response = client.get(f"/support/{ticket.pk}/files/{attachment.pk}/")
    assert pdf_active.scan(io.BytesIO(b"".join(response.streaming_content))) == []
    with attachment.file.open("rb") as stored:
        assert stored.read() == original
