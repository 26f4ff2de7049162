"""Celery tasks of the document register: thin wrappers around services, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from registry import services
from registry.models import Attachment, Document, Task

RETRY = {"acks_late": True, "autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def extract_attachment_text(attachment_id: int) -> bool:
    return services.attachment_extract_text(attachment_id=attachment_id)


@shared_task(acks_late=True)
def requeue_pending_extractions() -> int:
    """Re-queue extractions left pending (a lost message, a killed worker)."""
    cutoff = timezone.now() - timedelta(minutes=10)
    pending = Attachment.objects.filter(
        text_status=Attachment.TextStatus.PENDING, uploaded_at__lt=cutoff
    ).values_list("pk", flat=True)[:500]
    for pk in pending:
        extract_attachment_text.delay(pk)
    return len(pending)


@shared_task(**RETRY)
def notify_assignment(document_id: int, user_id: int) -> bool:
    document = Document.objects.filter(pk=document_id).select_related("series").first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if document is None or user is None or document.responsible_id != user_id:
        return False  # gone, or given to someone else meanwhile
    return services.assignment_notify(document=document, user=user)


@shared_task(**RETRY)
def notify_task(task_id: int) -> bool:
    task = Task.objects.filter(pk=task_id).select_related("document", "assignee").first()
    if task is None:
        return False
    return services.task_notify(task=task)


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
