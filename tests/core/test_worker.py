"""One test through a real Celery worker and Redis (TESTING.md)."""

import time

import pytest
from django.core import mail

from core import services
from core.models import OutboundEmail
from tests.conftest import BROKER


@pytest.mark.worker
@pytest.mark.skipif(
    not BROKER.startswith("redis://"), reason="CELERY_BROKER_URL does not name a Redis broker"
)
@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_by_a_real_worker_through_redis(real_worker):
    email = services.email_queue(to=["jaan@example.ee"], subject="Päring", body="Tere")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status != OutboundEmail.Status.QUEUED:
            break
        time.sleep(0.1)
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert [m.to for m in mail.outbox] == [["jaan@example.ee"]]
