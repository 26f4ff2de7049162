"""core.jobs: one job row per background job, run once, backed off, swept, never lost."""

import socket
import time
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import jobs, services
from core.models import Job, OutboundEmail

pytestmark = pytest.mark.django_db

DONE: list[dict] = []  # what the test kinds did, in order


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _record(**args):
    DONE.append(args)


def _explode(**args):
    DONE.append(args)
    raise OSError("the disk is full")


FAILED_FOR_GOOD: list[dict] = []

jobs.register("test.record", _record)
jobs.register(
    "test.explode", _explode, max_attempts=3, on_failure=lambda **a: FAILED_FOR_GOOD.append(a)
)
jobs.register("test.short_lease", _record, lease_seconds=60)


@pytest.fixture(autouse=True)
def _clean():
    DONE.clear()
    FAILED_FOR_GOOD.clear()


def enqueue(capture, kind="test.record", execute=True, **kwargs):
    with capture(execute=execute):
        return jobs.enqueue(kind, **kwargs)


def test_enqueue_is_idempotent_by_key(django_capture_on_commit_callbacks):
    first = enqueue(django_capture_on_commit_callbacks, key="letter:1", n=1)
    second = enqueue(django_capture_on_commit_callbacks, key="letter:1", n=2)
    assert first.pk == second.pk
    assert Job.objects.filter(key="letter:1").count() == 1
    assert DONE == [{"n": 1}]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="register"):
        jobs.enqueue("test.nobody-does-this")


def test_a_job_runs_after_commit_and_is_done(django_capture_on_commit_callbacks):
    job = enqueue(django_capture_on_commit_callbacks, n=1)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 1)
    assert job.started_at
    assert job.finished_at
    assert jobs.run(job.pk) is False  # done: running it again does nothing
    assert DONE == [{"n": 1}]


def test_a_failed_run_backs_off_then_fails_for_good(django_capture_on_commit_callbacks):
    job = enqueue(django_capture_on_commit_callbacks, kind="test.explode", n=1)
    job.refresh_from_db()
    assert job.state == Job.State.PENDING
    assert "the disk is full" in job.last_error
    waits = []
    for _attempt in (2, 3):
        waits.append((job.next_attempt_at - timezone.now()).total_seconds())
        assert jobs.run(job.pk) is False  # not yet due: nothing happens
        Job.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
        jobs.run(job.pk)
        job.refresh_from_db()
    assert 20 < waits[0] <= 30 < waits[1] <= 60  # 30 s, then 1 min
    assert (job.state, job.attempts) == (Job.State.FAILED, 3)
    assert FAILED_FOR_GOOD == [{"error": "OSError: the disk is full", "n": 1}]
    assert len(DONE) == 3


def test_backoff_doubles_and_is_capped(settings):
    settings.JOBS_MAX_BACKOFF_SECONDS = 300
    assert [jobs.backoff(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


def test_a_job_of_a_killed_worker_is_run_again_once_its_lease_expired(
    django_capture_on_commit_callbacks,
):
    job = enqueue(django_capture_on_commit_callbacks, kind="test.short_lease", execute=False, n=1)
    # A worker claimed it and was killed with kill -9 before it finished.
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, started_at=timezone.now() - timedelta(seconds=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep()["released"] == 0  # the lease (60 s) is still running
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.sweep()
    assert (counts["released"], counts["queued"]) == (1, 1)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep()["queued"] == 0
    assert DONE == [{"n": 1}]


def test_a_job_whose_worker_fell_silent_is_run_again_within_two_minutes(
    django_capture_on_commit_callbacks, settings
):
    """A killed worker stops writing the heartbeat; a minute of silence gives the job back,
    long before its lease (5 minutes) would. A slow job that still beats is left alone."""
    settings.JOBS_HEARTBEAT_TIMEOUT_SECONDS = 60
    dead = enqueue(django_capture_on_commit_callbacks, execute=False, n=1)
    slow = enqueue(django_capture_on_commit_callbacks, execute=False, n=2)
    started = timezone.now() - timedelta(seconds=200)
    Job.objects.filter(pk=dead.pk).update(
        state=Job.State.RUNNING,
        attempts=1,
        started_at=started,
        heartbeat_at=timezone.now() - timedelta(seconds=61),
    )
    Job.objects.filter(pk=slow.pk).update(
        state=Job.State.RUNNING,
        attempts=1,
        started_at=started,
        heartbeat_at=timezone.now() - timedelta(seconds=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.sweep()
    assert counts["released"] == 1
    dead.refresh_from_db()
    slow.refresh_from_db()
    assert (dead.state, dead.attempts) == (Job.State.DONE, 2)
    assert slow.state == Job.State.RUNNING
    assert DONE == [{"n": 1}]


SEEN_HEARTBEATS: list = []


def _slow_and_watched(*, job_key: str):
    time.sleep(0.8)
    SEEN_HEARTBEATS.append(Job.objects.get(key=job_key).heartbeat_at)


jobs.register("test.watched", _slow_and_watched)


@pytest.mark.django_db(transaction=True)
def test_a_running_job_writes_its_heartbeat(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in a worker
    settings.JOBS_HEARTBEAT_SECONDS = 0.2
    SEEN_HEARTBEATS.clear()
    job = Job.objects.create(kind="test.watched", key="watched-1", args={"job_key": "watched-1"})
    assert jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert SEEN_HEARTBEATS
    assert SEEN_HEARTBEATS[0] > job.started_at


def test_the_sweeper_queues_due_jobs_not_queued_in_the_last_minute(
    django_capture_on_commit_callbacks,
):
    lost = enqueue(django_capture_on_commit_callbacks, execute=False, n=1)  # the message is lost
    just_queued = enqueue(django_capture_on_commit_callbacks, execute=False, n=2)
    later = enqueue(django_capture_on_commit_callbacks, execute=False, n=3)
    Job.objects.filter(pk=just_queued.pk).update(queued_at=timezone.now())
    Job.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=2))
    counts = jobs.sweep()
    assert counts["queued"] == 1
    lost.refresh_from_db()
    assert lost.state == Job.State.DONE
    assert DONE == [{"n": 1}]
    assert jobs.last_sweep() is not None


# --- The broker down ----------------------------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    """Celery pointed at a port nobody listens on, not eager: what a Redis outage looks like."""
    from config.celery import app

    closed = f"redis://127.0.0.1:{free_port()}/15"
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", closed)
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url=closed)
    app._pool = app.amqp._producer_pool = None  # connections are made anew, to the closed port
    try:
        yield app
    finally:
        app.conf.update(**saved)
        app._pool = app.amqp._producer_pool = None


def test_enqueue_with_the_broker_down_keeps_the_job_pending(
    broker_down, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    job = enqueue(django_capture_on_commit_callbacks, n=1)
    assert time.monotonic() - started < 15  # no endless connection retries in a request
    job.refresh_from_db()
    assert job.state == Job.State.PENDING
    assert job.queued_at is None  # so the next sweep queues it
    assert DONE == []


def test_a_report_asked_for_with_the_broker_down_says_it_is_being_made(
    broker_down, client, head, django_capture_on_commit_callbacks
):
    from dashboard.models import Report

    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:report-new"), {"scope": "mine", "period": "week"}, follow=True
        )
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.status == Report.Status.PENDING
    assert Job.objects.get(key=f"dashboard.report:{report.pk}").state == Job.State.PENDING


# --- E-mail: at most once -----------------------------------------------------------------------


def queue_email(capture, execute=True, **kwargs):
    with capture(execute=execute):
        return services.email_queue(
            to=["mari@example.ee"], subject="Kviitung", body="Tere", **kwargs
        )


def email_job(email):
    return Job.objects.get(key=services.email_job_key(email.pk))


def test_automatic_emails_carry_a_stable_message_id_and_auto_submitted(
    django_capture_on_commit_callbacks, settings
):
    settings.DEFAULT_FROM_EMAIL = "Kantselei <kantselei@amet.example.ee>"
    email = queue_email(django_capture_on_commit_callbacks)
    message = mail.outbox[0].message()
    assert message["Message-ID"] == f"<kantselei.email.{email.pk}.{email.token}@amet.example.ee>"
    assert message["Auto-Submitted"] == "auto-generated"


def test_a_letter_a_person_wrote_has_no_auto_submitted(django_capture_on_commit_callbacks):
    queue_email(django_capture_on_commit_callbacks, automatic=False)
    assert "Auto-Submitted" not in mail.outbox[0].message()


def test_an_email_left_sending_by_a_killed_worker_is_sent_once(
    django_capture_on_commit_callbacks,
):
    email = queue_email(django_capture_on_commit_callbacks, execute=False)
    job = email_job(email)
    # Killed after the claim, before the server had the end of DATA.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING, attempts=1
    )
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, started_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()
    assert len(mail.outbox) == 1


def test_an_email_left_delivering_by_a_killed_worker_becomes_uncertain_and_is_not_resent(
    django_capture_on_commit_callbacks, client, settings
):
    email = queue_email(django_capture_on_commit_callbacks, execute=False)
    job = email_job(email)
    # Killed after the end of DATA was written: the server may have the message.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.DELIVERING, attempts=1
    )
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, started_at=timezone.now() - timedelta(hours=1)
    )
    for _sweep in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.sweep()
        Job.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.UNCERTAIN
    assert mail.outbox == []
    assert client.get("/healthz").json()["jobs"]["uncertain_emails"] == 1
    # After checking, the administrator sends it again: once, with the same Message-ID.
    with django_capture_on_commit_callbacks(execute=True):
        services.email_resend(email=email)
    assert len(mail.outbox) == 1
    assert f".{email.token}@" in mail.outbox[0].message()["Message-ID"]


# --- A real SMTP exchange -----------------------------------------------------------------------


class Server:
    """An aiosmtpd server on a free port: it can refuse the end of DATA or answer it too late."""

    def __init__(self):
        self.received: list[bytes] = []
        self.refuse = 0  # refuse the next n messages with 451
        self.delay = 0.0  # seconds before answering the end of DATA

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        import asyncio

        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 try again later"
        self.received.append(envelope.original_content or envelope.content)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 queued"


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    handler = Server()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "core.mail.SMTPBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield handler
    finally:
        controller.stop()


def test_a_refused_end_of_data_is_retried_with_the_same_message_id(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.refuse = 1
    email = queue_email(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert "451" in email.last_error
    Job.objects.filter(pk=email_job(email).pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)
    assert len(smtp_server.received) == 1
    received = message_from_bytes(smtp_server.received[0])
    assert received["Message-ID"] == f"<kantselei.email.{email.pk}.{email.token}@example.ee>"
    assert received["Auto-Submitted"] == "auto-generated"


def test_no_answer_after_the_end_of_data_makes_the_email_uncertain(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_TIMEOUT = 1
    smtp_server.delay = 2  # the server takes it, but answers after the client gave up
    email = queue_email(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.UNCERTAIN
    time.sleep(1.5)
    assert len(smtp_server.received) == 1
    Job.objects.filter(pk=email_job(email).pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()
    assert len(smtp_server.received) == 1  # never sent twice


def test_an_smtp_server_that_is_down_is_a_normal_retry(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    email = queue_email(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert email_job(email).state == Job.State.PENDING
