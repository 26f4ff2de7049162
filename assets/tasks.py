"""Celery tasks of the assets: thin wrappers around services, safe to run twice."""

from celery import shared_task

from assets import services


@shared_task(acks_late=True)
def expire_rights() -> int:
    return services.grants_expire()


@shared_task(acks_late=True)
def notify_expiring_rights() -> int:
    return services.expiring_notify()
