"""Celery tasks of user support: thin wrappers around services, safe to run twice."""

from celery import shared_task

from helpdesk import mail, services


@shared_task(acks_late=True)
def escalate_breaches() -> int:
    return services.escalate_breaches()


@shared_task(acks_late=True)
def close_resolved() -> int:
    return services.close_resolved()


@shared_task(acks_late=True)
def purge_visits() -> int:
    return services.visits_purge()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def read_mailbox() -> int:
    """Read the support mailbox (when HELPDESK_IMAP_URL is set) into tickets."""
    return mail.mailbox_read()
