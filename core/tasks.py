"""Celery tasks of the core app: thin wrappers around services, safe to run twice.

``run_job`` is the one task every background job runs through (``core.jobs``); ``sweep_jobs``
is the one sweeper beat runs every minute. The core's own job kinds are registered here."""

from celery import shared_task
from django.conf import settings

from core import jobs, services
from core.intake import tasks as intake_tasks  # noqa: F401 - its job kind and beat task

jobs.register(
    services.EMAIL_JOB,
    services.email_send,
    max_attempts=lambda: settings.OUTBOX_MAX_ATTEMPTS,
    on_failure=services.email_send_failed,
)
jobs.register(services.EMAIL_CALLBACK_JOB, services.email_callback_run)


@shared_task(acks_late=True)
def run_job(job_id: int) -> bool:
    """Run one job row (claimed, run, marked done or backed off: see core.jobs.run)."""
    return jobs.run(job_id)


@shared_task(acks_late=True)
def sweep_jobs() -> dict:
    """Every minute: give back the jobs of dead workers and queue what is due."""
    return jobs.sweep()


@shared_task(acks_late=True)
def clear_expired_sessions() -> int:
    return services.clear_expired_sessions()


@shared_task(acks_late=True)
def purge_submissions() -> int:
    """Forget the keys of forms too old to be sent (``core.submissions.PURGE_AFTER``)."""
    from core import submissions

    return submissions.submissions_purge()
