"""The registry's state machines on core.workflow: tasks about documents, and the items of
the registration inbox.

A task is given to a person, who accepts it and completes it, or returns it (with the reason)
or forwards it (to a colleague: a new task; or to another agency); the person who gave it (or
whoever may change tasks) may cancel it while it is open. The moves are on the document's
timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from registry.models import Document, InboxItem, Task
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


# --- The registration inbox ------------------------------------------------------------------


def _inbox_wrong_status(item: InboxItem) -> str:
    if item.status == InboxItem.Status.REGISTERED:
        return _("This message is already registered as %(number)s.") % {
            "number": item.document.number if item.document_id else "—"
        }
    if item.status == InboxItem.Status.DISMISSED:
        return _("This message was set aside: return it to the inbox to register it.")
    return _("This message is still in the inbox.")


INBOX = Workflow(
    InboxItem,
    [
        Transition(
            "register",
            {InboxItem.Status.NEW},
            InboxItem.Status.REGISTERED,
            verb=Verb.INBOX_REGISTERED,
            permission="registry.add_document",
            label=_("register"),
        ),
        Transition(
            "set_aside",
            {InboxItem.Status.NEW},
            InboxItem.Status.DISMISSED,
            verb=Verb.INBOX_SET_ASIDE,
            permission="registry.add_document",
            label=_("set aside"),
        ),
        Transition(
            "return",
            {InboxItem.Status.DISMISSED},
            InboxItem.Status.NEW,
            verb=Verb.INBOX_RETURNED,
            permission="registry.add_document",
            label=_("return to the inbox"),
        ),
    ],
    wrong_status=_inbox_wrong_status,
)


# --- Documents ---------------------------------------------------------------------------------

CHANGE_DOCUMENT = "registry.change_document"


def _has_deadline(document: Document):
    if document.deadline is None:
        return _("Only an open document with a deadline can be extended.")
    return None


DOCUMENT = Workflow(
    Document,
    [
        Transition(
            "close",
            {Document.Status.OPEN},
            Document.Status.CLOSED,
            verb=Verb.CLOSED,
            permission=CHANGE_DOCUMENT,
            wrong_status=_("The document is not open."),
            label=_("close"),
        ),
        Transition(
            "reopen",
            {Document.Status.CLOSED, Document.Status.ANSWERED},
            Document.Status.OPEN,
            verb=Verb.REOPENED,
            permission=CHANGE_DOCUMENT,
            wrong_status=_("Only a closed document can be reopened."),
            label=_("reopen"),
        ),
        # The registered reply closes the deadline (services.document_register_reply).
        Transition(
            "answer",
            {Document.Status.OPEN},
            Document.Status.ANSWERED,
            verb=Verb.REPLIED,
            label=_("answer"),
        ),
        Transition(
            "extend",
            {Document.Status.OPEN},
            None,
            verb=Verb.DEADLINE_EXTENDED,
            permission=CHANGE_DOCUMENT,
            guard=_has_deadline,
            wrong_status=_("Only an open document with a deadline can be extended."),
            label=_("extend the deadline"),
        ),
    ],
)
