"""One printed overview made by a real Celery worker through Redis (TESTING.md)."""

import time

import pytest
from pypdf import PdfReader

from dashboard import services
from dashboard.models import Report
from tests.conftest import BROKER


@pytest.mark.worker
@pytest.mark.skipif(
    not BROKER.startswith("redis://"), reason="CELERY_BROKER_URL does not name a Redis broker"
)
@pytest.mark.django_db(transaction=True)
def test_report_is_made_by_a_real_worker_through_redis(real_worker, head):
    report = services.report_request(actor=head, scope="department", period="12w")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status != Report.Status.PENDING:
            break
        time.sleep(0.2)

    assert report.status == Report.Status.DONE, report.error
    with report.pdf.open("rb") as stored:
        text = PdfReader(stored).pages[0].extract_text()
    assert head.get_full_name() in " ".join(text.split())
