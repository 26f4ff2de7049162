"""One test through a real Celery worker and Redis (TESTING.md)."""

import os
import time

import pytest
from django.core import mail
from django.db import transaction

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


@pytest.mark.worker
@pytest.mark.skipif(
    not BROKER.startswith("redis://"), reason="CELERY_BROKER_URL does not name a Redis broker"
)
@pytest.mark.django_db(transaction=True)
def test_a_job_queued_while_no_worker_runs_is_done_once_when_one_starts():
    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from core import jobs
    from core.models import Job

    ran = []
    jobs.register("test.worker_down", lambda **args: ran.append(args))
    queue = f"kantselei-test-{os.getpid()}-{time.monotonic_ns()}"
    app.conf.update(task_always_eager=False, broker_url=BROKER, task_default_queue=queue)
    app._pool = app.amqp._producer_pool = None
    try:
        with transaction.atomic():
            job = jobs.enqueue("test.worker_down", key="worker-down-1", n=1)
        time.sleep(1)  # no worker yet: the message waits in Redis
        job.refresh_from_db()
        assert job.state == Job.State.PENDING
        assert job.queued_at is not None
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.state == Job.State.DONE:
                    break
                time.sleep(0.1)
            assert jobs.sweep()["queued"] == 0  # done: the sweeper queues nothing again
            time.sleep(1)
    finally:
        app.conf.update(task_always_eager=True, task_default_queue="celery")
    assert (job.state, job.attempts) == (Job.State.DONE, 1)
    assert ran == [{"n": 1}]
