"""Background work of the MTR: its jobs (``core.jobs``) and its periodic tasks, safe to run twice.

The receipt (PDF + e-mail), the decision letter (PDF, registration, e-mail) and the processor's
notices are jobs: recovered by the core sweeper whatever happens to the worker or the broker."""

from celery import shared_task

from core import jobs
from mtr import delivery, services

jobs.register(services.RECEIPT_JOB, services.receipt_send)
jobs.register(
    services.DECISION_JOB,
    services.decision_letter_make,
    on_failure=services.decision_letter_failed,
)
jobs.register(services.NOTIFY_JOB, services.processor_notify)


@shared_task(acks_late=True)
def send_reminders() -> int:
    return services.reminders_send()


@shared_task(acks_late=True)
def decision_email_outcome(email_id: int) -> bool:
    """The outbox's callback for a decision e-mail: keep its acceptance as evidence (once)."""
    return delivery.decision_email_outcome(email_id=email_id) is not None
