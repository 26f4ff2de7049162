"""Celery tasks of the MTR: thin wrappers around services, safe to run twice."""

from celery import shared_task

from mtr import services

RETRY = {"acks_late": True, "autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_receipt(application_id: int) -> bool:
    return services.receipt_send(application_id=application_id)


@shared_task(bind=True, acks_late=True, max_retries=5)
def make_decision_letter(self, application_id: int) -> bool:
    """Render, register and e-mail the decision letter; after the last retry the row shows the
    failure so the processor sees it; retry_decision_letters makes it again later."""
    try:
        return services.decision_letter_make(application_id=application_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            services.decision_letter_failed(application_id=application_id, error=repr(error))
            raise
        raise self.retry(exc=error, countdown=2**self.request.retries * 10) from error


@shared_task(**RETRY)
def notify_processor(application_id: int, reason: str) -> bool:
    return services.processor_notify(application_id=application_id, reason=reason)


@shared_task(acks_late=True)
def send_reminders() -> int:
    return services.reminders_send()


@shared_task(acks_late=True)
def retry_decision_letters() -> int:
    """Make again the letters left pending (a lost message) or failed."""
    return services.decision_letters_retry()
