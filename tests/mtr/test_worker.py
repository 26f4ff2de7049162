"""A decision letter made by a real Celery worker through Redis, as in production."""

import io
import time

import pytest
from django.core import mail
from pypdf import PdfReader

from mtr import services
from mtr.models import Application, PdfStatus
from tests.conftest import BROKER


@pytest.mark.worker
@pytest.mark.skipif(
    not BROKER.startswith("redis://"), reason="CELERY_BROKER_URL does not name a Redis broker"
)
@pytest.mark.django_db(transaction=True)
def test_the_decision_letter_is_made_and_mailed_by_a_worker(
    real_worker, make_application, processor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = make_application(notify=False)
    services.application_claim(actor=processor, application=application)
    services.application_decide(
        actor=processor, application=application, grant=False, reason="Kindlustus puudub."
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        application.refresh_from_db()
        if application.decision_pdf_status != PdfStatus.PENDING and mail.outbox:
            break
        time.sleep(0.2)
    assert application.decision_pdf_status == PdfStatus.READY
    assert application.status == Application.Status.REFUSED
    text = PdfReader(io.BytesIO(services.application_decision_pdf(application=application)))
    assert "Kindlustus puudub." in text.pages[0].extract_text()
    assert mail.outbox[0].to == ["info@valve.example.ee"]
