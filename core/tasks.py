"""Celery tasks of the core app: thin wrappers around services, safe to run twice."""

from celery import shared_task

from core import services


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(self, email_id: int) -> bool:
    return services.email_send(email_id=email_id)


@shared_task(acks_late=True)
def requeue_stuck_emails() -> int:
    return services.email_requeue_stuck()


@shared_task(acks_late=True)
def clear_expired_sessions() -> int:
    return services.clear_expired_sessions()
