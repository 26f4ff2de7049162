"""Jobs and beat task of the intake (imported by ``core.tasks``, so every process that runs or
sweeps jobs knows the kind)."""

from celery import shared_task
from django.conf import settings

from core import jobs
from core.intake import services

jobs.register(
    services.PROCESS_JOB,
    services.process,
    max_attempts=lambda: settings.INTAKE_MAX_ATTEMPTS,
    on_failure=services.process_failed,
)


@shared_task(acks_late=True)
def read_mailboxes() -> dict:
    """Every minute: read every configured mailbox and drop folder once (a source that cannot
    be reached keeps its error on its row and never stops the others)."""
    return services.read_sources()
