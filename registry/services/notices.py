"""The deadline digest and notifications to staff (a part of registry.services)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from core.models import User
from registry import deadlines
from registry.models import (
    Attachment,
    Document,
    Task,
)
from registry.services.common import STAFF_LANGUAGE


def deadline_digest_send(*, user: User, today: date | None = None) -> bool:
    """E-mail ``user`` their documents due within the next working days and the overdue ones,
    once a day (the outbox key makes a second run send nothing)."""
    today = today or timezone.localdate()
    if not user.email or not user.is_active:
        return False
    mine = Document.objects.filter(responsible=user).select_related("series")
    overdue = list(mine.overdue(today).order_by("deadline")[:100])
    due = list(mine.due_by(deadlines.due_soon_until(today), today).order_by("deadline")[:100])
    if not overdue and not due:
        return False
    from core.services import email_queue_template

    email_queue_template(
        to=[user.email],
        template="registry/email/deadline_digest",
        context={"user": user, "overdue": overdue, "due": due, "today": today},
        language=STAFF_LANGUAGE,
        key=f"registry-digest:{user.pk}:{today.isoformat()}",
    )
    return True


def assignment_notify(*, document: Document, user: User) -> bool:
    """Tell ``user`` a document was given to them (once per document and person)."""
    from core.services import email_queue_template

    email_queue_template(
        to=[user.email],
        template="registry/email/assigned",
        context={"user": user, "document": document, "restricted": document.is_restricted()},
        language=STAFF_LANGUAGE,
        key=f"registry-assigned:{document.pk}:{user.pk}",
    )
    return True


def task_notify(*, task: Task) -> bool:
    """Tell the assignee a task was given to them (once per task)."""
    from core.services import email_queue_template

    if not task.assignee.email:
        return False
    email_queue_template(
        to=[task.assignee.email],
        template="registry/email/task_given",
        context={"task": task, "document": task.document},
        language=STAFF_LANGUAGE,
        key=f"registry-task:{task.pk}",
    )
    return True


def orphan_files_remove(*, older_than_hours: int = 24) -> int:
    """Delete stored files of the register that no attachment refers to (left by a registration
    that was rolled back after its files were written). Only files older than
    ``older_than_hours`` are touched, so an upload still in its transaction is never removed."""
    from datetime import timedelta

    storage = Attachment._meta.get_field("file").storage
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    removed = 0

    def walk(folder: str):
        directories, files = storage.listdir(folder) if storage.exists(folder) else ([], [])
        for name in files:
            yield f"{folder}/{name}"
        for directory in directories:
            yield from walk(f"{folder}/{directory}")

    for path in walk("registry"):
        if storage.get_modified_time(path) > cutoff:
            continue
        if not Attachment.objects.filter(Q(file=path) | Q(searchable_pdf=path)).exists():
            storage.delete(path)
            removed += 1
    return removed
