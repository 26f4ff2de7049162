"""The registry's state machines on core.workflow: tasks about documents.

A task is given to a person, who accepts it and completes it, or returns it (with the reason)
or forwards it (to a colleague: a new task; or to another agency); the person who gave it (or
whoever may change tasks) may cancel it while it is open. The moves are on the document's
timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from registry.models import Task
from registry.verbs import Verb

Status = Task.Status
OPEN = {Status.GIVEN, Status.ACCEPTED}
ONLY_ASSIGNEE = _("Only the person the task was given to can do this.")


def _assignee(task: Task, user) -> bool:
    return task.assignee_id == user.pk


def _giver(task: Task, user) -> bool:
    return task.given_by_id == user.pk or user.has_perm("registry.change_task")


TASK = Workflow(
    Task,
    [
        Transition(
            "accept",
            {Status.GIVEN},
            Status.ACCEPTED,
            verb=Verb.TASK_ACCEPTED,
            may=_assignee,
            denied=ONLY_ASSIGNEE,
            label=_("accept"),
        ),
        Transition(
            "complete",
            OPEN,
            Status.COMPLETED,
            verb=Verb.TASK_COMPLETED,
            may=_assignee,
            denied=ONLY_ASSIGNEE,
            label=_("complete"),
        ),
        Transition(
            "return",
            OPEN,
            Status.RETURNED,
            verb=Verb.TASK_RETURNED,
            may=_assignee,
            denied=ONLY_ASSIGNEE,
            label=_("return"),
        ),
        Transition(
            "forward",
            OPEN,
            Status.FORWARDED,
            verb=Verb.TASK_FORWARDED,
            may=_assignee,
            denied=ONLY_ASSIGNEE,
            label=_("forward"),
        ),
        Transition(
            "cancel",
            OPEN,
            Status.CANCELLED,
            verb=Verb.TASK_CANCELLED,
            may=_giver,
            denied=_("Only the person who gave the task can cancel it."),
            label=_("cancel"),
        ),
    ],
    related=("document",),
    timeline=lambda task: task.document,
)
