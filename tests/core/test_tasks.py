import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from core import jobs, services, tasks
from core.models import Job, OutboundEmail, UserSession

pytestmark = pytest.mark.django_db


def queue(django_capture_on_commit_callbacks, execute=True):
    with django_capture_on_commit_callbacks(execute=execute):
        return services.email_queue(to=["mari@example.ee"], subject="Tere", body="Sisu õäöü")


def test_queued_email_is_sent_after_commit(django_capture_on_commit_callbacks):
    email = queue(django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Tere"]
    assert mail.outbox[0].body == "Sisu õäöü"


def test_email_is_not_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.email_queue(to=["mari@example.ee"], subject="Tere", body="x")
    assert len(callbacks) == 1  # queued only for after the commit
    assert mail.outbox == []


def email_job(email):
    return Job.objects.get(key=services.email_job_key(email.pk))


def test_sending_twice_sends_once(django_capture_on_commit_callbacks):
    email = queue(django_capture_on_commit_callbacks)
    assert email_job(email).state == Job.State.DONE
    assert tasks.run_job.delay(email_job(email).pk).get() is False
    assert services.email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_smtp_failure_is_recorded_and_retried_until_given_up(
    django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("core.services.EmailMessage.send", broken)
    email = queue(django_capture_on_commit_callbacks, execute=False)
    job = email_job(email)
    assert jobs.run(job.pk) is False
    email.refresh_from_db()
    job.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.QUEUED, 1)
    assert "connection lost" in email.last_error
    assert job.state == Job.State.PENDING
    assert job.next_attempt_at > timezone.now()
    Job.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert jobs.run(job.pk) is False
    email.refresh_from_db()
    job.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 2)
    assert job.state == Job.State.FAILED


def test_sweeper_queues_an_email_whose_queueing_was_lost(django_capture_on_commit_callbacks):
    lost = queue(django_capture_on_commit_callbacks, execute=False)  # the broker never heard
    assert tasks.sweep_jobs.delay().get()["queued"] == 1
    lost.refresh_from_db()
    assert lost.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_email_from_a_template_is_in_the_requested_language(
    clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.email_queue_template(
            to=[clerk.email],
            template="core/email/password_changed",
            context={"user": clerk, "when": timezone.now()},
            language="en",
        )
    assert mail.outbox[0].subject == "Kantselei: your password was changed"
    assert clerk.first_name in mail.outbox[0].body


def test_clear_expired_sessions_deletes_only_expired_ones(clerk):
    now = timezone.now()
    UserSession.objects.create(
        session_key="old", session_data="", expire_date=now - timezone.timedelta(hours=1)
    )
    UserSession.objects.create(
        session_key="new", session_data="", expire_date=now + timezone.timedelta(hours=1)
    )
    assert tasks.clear_expired_sessions.delay().get() == 1
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["new"]


def test_beat_schedule_names_tasks_that_exist(settings):
    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_stored_files_are_attached_when_sent(
    django_capture_on_commit_callbacks, tmp_path, settings
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    path = default_storage.save("mtr/receipts/r.pdf", ContentFile(b"%PDF-1.4 receipt"))

    class Stored:  # what a FileField's value offers: the name in the storage
        name = path

    with django_capture_on_commit_callbacks(execute=True):
        services.email_queue(
            to=["mari@example.ee"],
            subject="Kviitung",
            body="x",
            attachments=[(Stored, "kviitung.pdf")],
        )
    assert mail.outbox[0].attachments == [("kviitung.pdf", b"%PDF-1.4 receipt", "application/pdf")]
