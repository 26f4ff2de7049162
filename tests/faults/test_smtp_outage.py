"""The mail server away or the worker killed in the middle of an SMTP exchange: no e-mail is lost,
none is sent twice (issue 13, items 6 and 9; core.mail, core.services.email_send).

- Server stopped: the e-mails stay queued, their jobs back off; once it is back, every e-mail
  is delivered exactly once within two minutes of the next sweep.
- Worker killed after the end of DATA, before the server's 250: the server has the message;
  the row becomes ``uncertain`` and is never sent again automatically.
- Worker killed before DATA: the server has nothing; the e-mail is sent again, once.
"""

import time

import pytest
from django.conf import settings
from django.utils import timezone

from core import jobs, services
from core.models import Job, OutboundEmail
from tests.faults.conftest import (
    RECOVERY_BUDGET,
    SWEEP_INTERVAL,
    backoff_elapsed,
    lease_expired,
    wait_settled,
)
from tests.faults.servers import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

RECIPIENTS = ["mari@example.ee", "jaan@example.ee", "olga@example.ee"]


def email_job(email: OutboundEmail) -> Job:
    return Job.objects.get(key=services.email_job_key(email.pk))


def status(email: OutboundEmail) -> str:
    email.refresh_from_db()
    return email.status


def test_mail_queued_while_the_server_is_down_is_delivered_once_when_it_returns(
    worker, smtp_server
):
    smtp_server.stop()
    emails = [
        services.email_queue(to=[address], subject="Teade", body="Tere!") for address in RECIPIENTS
    ]

    def tried_and_backed_off():
        return all(
            job.state == Job.State.PENDING and job.attempts == 1
            for job in (email_job(email) for email in emails)
        )

    wait_for(
        tried_and_backed_off, timeout=90, what="a failed try of each e-mail", detail=worker.log_tail
    )
    now = timezone.now()
    for email in emails:
        job = email_job(email)
        assert job.last_error, "the job keeps the reason"
        assert job.next_attempt_at > now, "the next try waits for its back-off"
        wait = (job.next_attempt_at - now).total_seconds()
        assert wait <= settings.JOBS_FIRST_BACKOFF_SECONDS, wait
        assert status(email) == OutboundEmail.Status.QUEUED
    assert jobs.sweep()["due"] == 0, "nothing is tried again before its back-off"

    smtp_server.start()
    returned = time.monotonic()
    backoff_elapsed()  # the back-off (30 s) has passed
    jobs.sweep()  # beat's next sweep
    wait_settled(worker, timeout=RECOVERY_BUDGET, sweep_every=SWEEP_INTERVAL)
    recovery = time.monotonic() - returned

    # Beat sweeps at most a minute after the return: the worst case adds that minute.
    assert recovery + SWEEP_INTERVAL < RECOVERY_BUDGET, f"recovery took {recovery:.0f} s"
    for email in emails:
        assert status(email) == OutboundEmail.Status.SENT
        assert (email_job(email).state, email_job(email).attempts) == (Job.State.DONE, 2)
    for address in RECIPIENTS:
        assert len(smtp_server.handler.to(address)) == 1, address
    ids = smtp_server.handler.message_ids()
    assert len(ids) == len(set(ids)) == len(RECIPIENTS)


def test_mail_refused_with_451_is_tried_again_and_delivered_once(worker, smtp_server):
    smtp_server.handler.refuse = True
    email = services.email_queue(to=["mari@example.ee"], subject="Teade", body="Tere!")
    wait_for(
        lambda: email_job(email).attempts == 1 and email_job(email).state == Job.State.PENDING,
        timeout=90,
        what="the refused try",
        detail=worker.log_tail,
    )
    assert status(email) == OutboundEmail.Status.QUEUED
    assert smtp_server.handler.received == []

    smtp_server.handler.refuse = False
    backoff_elapsed()
    jobs.sweep()
    wait_settled(worker, sweep_every=5)

    assert status(email) == OutboundEmail.Status.SENT
    assert len(smtp_server.handler.to("mari@example.ee")) == 1


def test_a_worker_killed_after_the_end_of_data_leaves_it_uncertain_never_resent(
    worker, smtp_server
):
    smtp_server.handler.data_delay = 60  # the server has the message and keeps its 250
    email = services.email_queue(to=["mari@example.ee"], subject="Teade", body="Tere!")
    wait_for(
        lambda: smtp_server.handler.received,
        timeout=90,
        what="the server to receive the message",
        detail=worker.log_tail,
    )
    worker.kill()
    assert status(email) == OutboundEmail.Status.DELIVERING
    smtp_server.handler.data_delay = 0

    worker.start()
    lease_expired()
    jobs.sweep()
    wait_settled(worker)

    assert status(email) == OutboundEmail.Status.UNCERTAIN
    assert email.last_error
    assert email_job(email).state == Job.State.DONE
    for _sweep in range(3):  # beat goes on: nothing sends it again
        assert jobs.sweep()["due"] == 0
    time.sleep(1)
    assert status(email) == OutboundEmail.Status.UNCERTAIN
    assert len(smtp_server.handler.received) == 1
    assert jobs.health()["uncertain_emails"] == 1


def test_a_worker_killed_before_data_sends_it_again_once(worker, smtp_server):
    smtp_server.handler.rcpt_delay = 60  # the worker is stuck before DATA
    email = services.email_queue(to=["mari@example.ee"], subject="Teade", body="Tere!")
    wait_for(
        lambda: smtp_server.handler.rcpt_seen,
        timeout=90,
        what="the worker to send RCPT",
        detail=worker.log_tail,
    )
    worker.kill()
    assert status(email) == OutboundEmail.Status.SENDING
    assert smtp_server.handler.received == []
    smtp_server.handler.rcpt_delay = 0

    worker.start()
    lease_expired()
    jobs.sweep()
    wait_settled(worker)

    assert status(email) == OutboundEmail.Status.SENT
    assert email.attempts == 2
    assert len(smtp_server.handler.to("mari@example.ee")) == 1
    assert email_job(email).state == Job.State.DONE


def test_after_a_long_outage_the_next_try_comes_within_the_recovery_budget():
    sweep_interval = settings.CELERY_BEAT_SCHEDULE["sweep-jobs"]["schedule"]
    longest_wait = max(
        jobs.backoff(attempt).total_seconds() for attempt in range(1, settings.OUTBOX_MAX_ATTEMPTS)
    )

    assert longest_wait + sweep_interval <= RECOVERY_BUDGET
