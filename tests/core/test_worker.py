"""One test through a real Celery worker and Redis (TESTING.md)."""

import os
import time

import pytest
from django.core import mail

from core import services
from core.models import OutboundEmail

BROKER = os.environ.get("CELERY_BROKER_URL", "")


@pytest.fixture
def real_worker():
    """A Celery worker thread on the project's app, consuming a queue of this test's own."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    queue = f"kantselei-test-{os.getpid()}-{time.monotonic_ns()}"
    app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue=queue)
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False):
            yield app
    finally:
        app.conf.update(task_always_eager=True, task_default_queue="celery")


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
