"""Background work of the document register: its jobs (``core.jobs``) and periodic tasks, each
safe to run twice."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from core import jobs
from registry import services
from registry.models import Document, Task


def notify_assignment(*, document_id: int, user_id: int) -> bool:
    document = Document.objects.filter(pk=document_id).select_related("series").first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if document is None or user is None or document.responsible_id != user_id:
        return False  # gone, or given to someone else meanwhile
    return services.assignment_notify(document=document, user=user)


def notify_task(*, task_id: int) -> bool:
    task = Task.objects.filter(pk=task_id).select_related("document", "assignee").first()
    if task is None:
        return False
    return services.task_notify(task=task)


# A damaged file fails at once (its reason on the attachment); a read error or a missing tool
# is tried again with back-off, and the last failure is recorded by on_failure: never "pending"
# for ever. OCR may take minutes: it stops itself before Celery's time limit (services).
jobs.register(
    services.EXTRACT_JOB,
    services.attachment_extract_text,
    max_attempts=5,
    on_failure=services.attachment_extract_failed,
)
jobs.register(
    services.OCR_JOB,
    services.attachment_ocr,
    max_attempts=3,
    on_failure=services.attachment_ocr_failed,
)
jobs.register(services.NOTIFY_ASSIGNMENT_JOB, notify_assignment)
jobs.register(services.NOTIFY_TASK_JOB, notify_task)


@shared_task(acks_late=True)
def send_deadline_digests() -> int:
    """Each responsible person's daily digest of due and overdue documents."""
    today = timezone.localdate()
    users = (
        get_user_model()
        .objects.filter(is_active=True, responsible_documents__status=Document.Status.OPEN)
        .distinct()
    )
    return sum(services.deadline_digest_send(user=user, today=today) for user in users)


@shared_task(acks_late=True)
def expire_restrictions() -> int:
    return services.restrictions_expire()


@shared_task(acks_late=True)
def remove_orphan_files() -> int:
    return services.orphan_files_remove()
