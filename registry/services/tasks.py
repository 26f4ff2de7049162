"""Tasks on documents: given, accepted, completed, returned, forwarded, cancelled (a part of
registry.services)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, jobs
from core.models import User
from registry.models import (
    Document,
    Task,
)
from registry.services.common import NOTIFY_TASK_JOB
from registry.services.restrictions import document_share
from registry.verbs import Verb
from registry.workflows import TASK


@transaction.atomic
def task_give(
    *,
    actor: User,
    document: Document,
    assignee: User,
    instruction: str,
    due_on: date,
    forwarded_from: Task | None = None,
) -> Task:
    if not instruction.strip():
        raise ValidationError({"instruction": _("Write what is to be done.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    task = Task(
        document=document,
        assignee=assignee,
        given_by=actor,
        instruction=instruction.strip(),
        due_on=due_on,
        forwarded_from=forwarded_from,
    )
    task.full_clean()
    task.save()
    if (
        document.is_restricted()
        and not Document.objects.visible_to(assignee).filter(pk=document.pk).exists()
    ):
        document_share(actor=actor, document=document, user=assignee)  # or they cannot do it
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.TASK_GIVEN,
        data={"person": str(assignee), "due": due_on, "task": task.pk},
    )
    if assignee.pk != actor.pk and assignee.email:
        jobs.enqueue(NOTIFY_TASK_JOB, task_id=task.pk)
    return task


@transaction.atomic
def task_accept(*, actor: User, task: Task) -> Task:
    task = TASK.lock(task)
    TASK.move(task, "accept", actor=actor, task=task.pk)
    task.accepted_at = timezone.now()
    task.save(update_fields=["status", "accepted_at"])
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task, comment: str = "") -> Task:
    task = TASK.lock(task)
    if task.status == Task.Status.GIVEN:  # done at once: accepted and completed
        task.accepted_at = timezone.now()
    task.comment = comment.strip()
    TASK.move(task, "complete", actor=actor, task=task.pk, comment=task.comment)
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "comment", "accepted_at", "finished_at"])
    return task


@transaction.atomic
def task_return(*, actor: User, task: Task, comment: str) -> Task:
    task = TASK.lock(task)
    TASK.require(task, "return", actor)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why you return the task.")})
    task.comment = comment.strip()
    TASK.move(task, "return", actor=actor, task=task.pk, comment=task.comment)
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "comment", "finished_at"])
    return task


@transaction.atomic
def task_forward(
    *,
    actor: User,
    task: Task,
    comment: str = "",
    to_user: User | None = None,
    to_agency: str = "",
) -> Task:
    """Forward a task to another person (a new task for them) or to another agency."""
    task = TASK.lock(task)
    TASK.require(task, "forward", actor)
    if (to_user is None) == (not to_agency.strip()):
        raise ValidationError(_("Forward either to a person or to an agency."))
    if to_user is not None and to_user.pk == actor.pk:
        raise ValidationError({"to_user": _("Choose someone else.")})
    task.comment = comment.strip()
    task.forwarded_to_agency = to_agency.strip()
    TASK.move(
        task,
        "forward",
        actor=actor,
        task=task.pk,
        person=str(to_user) if to_user else task.forwarded_to_agency,
        comment=task.comment,
    )
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "comment", "forwarded_to_agency", "finished_at"])
    if to_user is None:
        return task
    return task_give(
        actor=actor,
        document=task.document,
        assignee=to_user,
        instruction=task.instruction,
        due_on=max(task.due_on, timezone.localdate()),
        forwarded_from=task,
    )


@transaction.atomic
def task_cancel(*, actor: User, task: Task) -> Task:
    task = TASK.lock(task)
    TASK.move(task, "cancel", actor=actor, task=task.pk)
    task.finished_at = timezone.now()
    task.save(update_fields=["status", "finished_at"])
    return task
