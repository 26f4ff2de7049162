"""Background work of outgoing mail: the letter-PDF job (``core.jobs``) and the outbox callback.

Each is safe to run twice (see the services)."""

from celery import shared_task

from core import jobs
from correspondence import services, signing

jobs.register(
    services.LETTER_PDF_JOB,
    services.letter_render,
    max_attempts=5,
    on_failure=services.letter_render_failed,
)
# Asks the signing gateway how a phone signing stands until it ends (the page asks too).
jobs.register(
    signing.POLL_JOB, signing.poll_job, max_attempts=12, on_failure=signing.poll_job_failed
)


@shared_task(acks_late=True)
def email_outcome(email_id: int) -> bool:
    """The outbox's callback (run as a job after each attempt): record the e-mail's outcome."""
    return services.email_outcome(email_id=email_id)
