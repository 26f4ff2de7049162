"""Background work of the dashboard: the report job (``core.jobs``) and the weekly digest, safe
to run twice."""

from celery import shared_task

from core import jobs
from dashboard import services

jobs.register(
    services.REPORT_JOB, services.report_render, max_attempts=4, on_failure=services.report_failed
)


@shared_task(acks_late=True)
def send_weekly_digest() -> int:
    """Monday morning: the overview's numbers to the head and the administrator."""
    return services.digest_send()
