"""Celery tasks of user support: thin wrappers around services, safe to run twice."""

from celery import shared_task

from helpdesk import services


@shared_task(acks_late=True)
def escalate_breaches() -> int:
    return services.escalate_breaches()


@shared_task(acks_late=True)
def close_resolved() -> int:
    return services.close_resolved()


@shared_task(acks_late=True)
def purge_visits() -> int:
    return services.visits_purge()


# The support mailbox (HELPDESK_IMAP_URL) is read by the intake's beat task with every other
# mailbox (core.intake.tasks.read_mailboxes); its messages reach helpdesk.mail.handle.
