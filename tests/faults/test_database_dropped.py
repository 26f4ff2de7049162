"""PostgreSQL drops the worker's connections mid-job (a restart, a failover, an administrator's
``pg_terminate_backend``): the job is tried again and ends done exactly once (issue 13, item 9)."""

import pytest
from django.db import connection

from core import jobs
from core.models import Job, OutboundEmail
from tests.faults.conftest import backoff_elapsed, hold_at, release, wait_reached, wait_settled
from tests.faults.hooks import SLOW_JOB
from tests.faults.servers import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def drop_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_job_whose_database_connection_is_dropped_is_done_once(worker, faults_dir, smtp_server):
    hold_at(faults_dir, "slow")
    job = jobs.enqueue(SLOW_JOB, n=1, to="mari@example.ee")
    wait_reached(faults_dir, "slow", worker)
    assert drop_other_connections() >= 1, "the worker holds a connection mid-job"
    release(faults_dir, "slow")

    wait_for(
        lambda: Job.objects.filter(pk=job.pk).exclude(state=Job.State.RUNNING).exists(),
        timeout=60,
        what="the run on the dropped connection to end (it must not stay 'running' until the "
        "lease runs out)",
        detail=worker.log_tail,
    )
    assert worker.alive
    job.refresh_from_db()
    assert job.state == Job.State.PENDING, (job.state, job.last_error)
    assert job.last_error

    backoff_elapsed()
    jobs.sweep()
    wait_settled(worker)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    assert (faults_dir / "done-slow").read_text().splitlines() == ["1"]
    email = OutboundEmail.objects.get(key="faults-slow-1")
    assert email.status == OutboundEmail.Status.SENT
    assert len(smtp_server.handler.to("mari@example.ee")) == 1


def test_the_worker_goes_on_after_its_idle_connections_are_dropped(worker, smtp_server):
    first = jobs.enqueue(SLOW_JOB, n=1, to="mari@example.ee")
    wait_settled(worker)
    drop_other_connections()

    second = jobs.enqueue(SLOW_JOB, n=2, to="jaan@example.ee")
    wait_settled(worker)

    for job in (first, second):
        job.refresh_from_db()
        assert (job.state, job.attempts) == (Job.State.DONE, 1)
    assert len(smtp_server.handler.received) == 2
