"""My work (my open documents and tasks), the task actions, and the department's deadline list.

Documents are read through ``Document.objects.visible_to(user)``; a task about a document the
user may not see shows the document's number and restriction basis, never its title. The task
actions are POST-only views that call one service each; the service decides who may act (the
assignee; for cancelling, the giver or a holder of registry.change_task). Every list runs a fixed
number of queries whatever its length.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.forms import add_service_errors
from core.listing import Listing, Order
from core.redirects import same_site_url
from core.submissions import submit_once
from registry import deadlines, selectors, services
from registry.filters import NO_DEADLINE_LAST
from registry.forms.work import (
    DeadlineFilterForm,
    TaskCompleteForm,
    TaskForwardForm,
    TaskReturnForm,
    user_choices,
)
from registry.models import Document, Task
from registry.workflows import TASK

TASKS_PER_PAGE = 25
DOCUMENTS_PER_PAGE = 25
DEADLINES_PER_PAGE = 50

# The lists' orders, each served by one index (tests/registry/test_work_plans.py).
# Documents by deadline (none last), then by registration: one's own open documents, and on
# the deadline page one person's (the partial index registry_doc_resp_open).
BY_DEADLINE = {"deadline": Order((NO_DEADLINE_LAST, "registered_on"))}
# The deadline page without a person: grouped by person (by their id, nobody last: a name is in
# another table, which no index of documents can order by), each by deadline
# (registry_doc_open_people).
NOBODY = 2**63 - 1
NOBODY_LAST = Coalesce("responsible", Value(NOBODY), output_field=BigIntegerField())
BY_PERSON = {"deadline": Order((NOBODY_LAST, NO_DEADLINE_LAST, "registered_on"))}
# Active tasks, the earliest due first (registry_task_assignee_due / registry_task_giver_due).
TASK_ORDERS = {"due": Order(("due_on",))}


def _mark(documents, today: date, soon_until: date):
    for document in documents:
        found = deadlines.state(document, today, soon_until=soon_until)
        # My work's rows: late, due soon (today included) or open (registry/work/deadline_state).
        key = {"overdue": "overdue", "today": "due_soon", "due_soon": "due_soon"}
        document.deadline_state = key.get(found["key"], "open")
        document.deadline_days = found.get("days", 0) if document.deadline_state != "open" else 0
    return documents


def _tasks(user):
    """Tasks with what their rows show; ``document_visible`` says whether ``user`` may see the
    document's title (a restricted document shows only its number and basis otherwise)."""
    visible = Document.objects.visible_to(user).filter(pk=OuterRef("document_id"))
    return (
        Task.objects.active()
        .select_related("document", "document__restriction_basis", "assignee", "given_by")
        .annotate(document_visible=Exists(visible))
    )


# --- My work ------------------------------------------------------------------------------------


class MyWorkView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The signed-in person's open documents (overdue first, then due soon, then the rest by
    deadline), their active tasks with actions, and the tasks they gave that are still active."""

    permission_required = "registry.view_document"
    template_name = "registry/work/my_work.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_my_work_context(self.request), **kwargs)


def _counts(user, **querysets) -> dict[str, int]:
    """The counts of the summary line in one query: a scalar subquery each, on the user's row
    (a person's open documents and active tasks: a count of them stays small)."""

    def count(queryset):
        counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return Subquery(counted, output_field=IntegerField())

    annotations = {name: count(queryset) for name, queryset in querysets.items()}
    people = get_user_model().objects.filter(pk=user.pk)
    return people.annotate(**annotations).values(*annotations).get()


def _my_work_context(request, bound: dict | None = None) -> dict:
    """``bound``: {"task": pk, "action": name, "form": form} when a task action came back with
    errors; that task's form is shown with them, open."""
    user = request.user
    today = timezone.localdate()
    soon_until = deadlines.due_soon_until(today)

    mine = Document.objects.visible_to(user).filter(responsible=user).open()
    my_tasks = _tasks(user).filter(assignee=user)
    counts = _counts(
        user,
        overdue=mine.filter(deadline__lt=today),
        due_soon=mine.filter(deadline__gte=today, deadline__lte=soon_until),
        tasks=my_tasks,
    )
    # Ordered by deadline, the overdue come first, then those due soon, then the rest.
    documents_page = Listing(
        request,
        mine.with_list_data(),
        orders=BY_DEADLINE,
        default="deadline",
        per_page=DOCUMENTS_PER_PAGE,
        prefix="documents_",
        count=False,  # the page shows the overdue and due-soon counts instead
    ).page
    _mark(documents_page.rows, today, soon_until)

    tasks_page, given_page = _task_pages(request, my_tasks, today, bound)
    return {
        "today": today,
        "soon_until": soon_until,
        "counts": counts,
        "documents_page": documents_page,
        "tasks_page": tasks_page,
        "given_page": given_page,
    }


def _task_pages(request, my_tasks, today, bound: dict | None):
    """The page of the user's own tasks (each with the moves and forms it offers) and of the
    tasks they gave others."""
    user = request.user
    tasks_page = Listing(
        request,
        my_tasks,
        orders=TASK_ORDERS,
        default="due",
        per_page=TASKS_PER_PAGE,
        prefix="tasks_",
        count=False,  # counted with the documents (_counts)
    ).page
    choices = user_choices() if tasks_page.rows else []  # for the forward forms
    others = [(pk, name) for pk, name in choices if pk != user.pk]
    for task in tasks_page.rows:
        task.is_late = task.due_on < today
        task.moves = TASK.available(task, user)  # what the task's buttons offer
        task.forms = _task_forms(task, others, bound)

    given_page = Listing(
        request,
        _tasks(user).filter(given_by=user).exclude(assignee=user),
        orders=TASK_ORDERS,
        default="due",
        per_page=TASKS_PER_PAGE,
        prefix="given_",
        count=False,  # not shown
    ).page
    for task in given_page.rows:
        task.is_late = task.due_on < today
    return tasks_page, given_page


def _task_forms(task: Task, user_choices_list, bound: dict | None) -> dict:
    forms = {
        "complete": TaskCompleteForm(prefix=f"task{task.pk}-complete"),
        "return": TaskReturnForm(prefix=f"task{task.pk}-return"),
        "forward": TaskForwardForm(prefix=f"task{task.pk}-forward", user_choices=user_choices_list),
    }
    if bound and bound["task"] == task.pk:
        forms[bound["action"]] = bound["form"]
    return forms


# --- Task actions -------------------------------------------------------------------------------


def _next_url(request) -> str | None:
    return same_site_url(request, request.POST.get("next"))


def _task_action(request, pk: int, action: str, form_class=None, perform=None, done: str = ""):
    """Parse the action's form (if any), call the service, and redirect back with a message; a
    refused action shows My work again with the messages next to the fields."""
    task = get_object_or_404(Task.objects.select_related("document"), pk=pk)
    form = None
    if form_class is not None:
        form = form_class(request.POST, prefix=f"task{task.pk}-{action}")
    next_url = _next_url(request)
    if form is None or form.is_valid():
        try:
            perform(task, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(next_url or reverse("registry:my-documents"))
            add_service_errors(form, error, default="comment")
        else:
            messages.success(request, done % {"number": task.document.number})
            return redirect(next_url or reverse("registry:my-documents"))
    if next_url:  # from another page: say what was wrong there
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(next_url)
    context = _my_work_context(request, bound={"task": task.pk, "action": action, "form": form})
    return render(request, "registry/work/my_work.html", context)


def _task_post(view):
    """POST only, signed in (else to the sign-in page), staff of the register (else 403)."""
    return require_POST(
        login_required(permission_required("registry.view_document", raise_exception=True)(view))
    )


@_task_post
def task_accept(request, pk: int):
    def perform(task, data):
        services.task_accept(actor=request.user, task=task)

    return _task_action(
        request, pk, "accept", None, perform, _("You accepted the task about %(number)s.")
    )


@_task_post
def task_complete(request, pk: int):
    def perform(task, data):
        services.task_complete(actor=request.user, task=task, comment=data["comment"])

    return _task_action(
        request,
        pk,
        "complete",
        TaskCompleteForm,
        perform,
        _("The task about %(number)s is completed."),
    )


@_task_post
def task_return(request, pk: int):
    def perform(task, data):
        services.task_return(actor=request.user, task=task, comment=data["comment"])

    return _task_action(
        request, pk, "return", TaskReturnForm, perform, _("You returned the task about %(number)s.")
    )


@_task_post
@submit_once
def task_forward(request, pk: int):
    def perform(task, data):
        services.task_forward(
            actor=request.user,
            task=task,
            comment=data["comment"],
            to_user=data["to_user"],
            to_agency=data["to_agency"],
        )

    return _task_action(
        request,
        pk,
        "forward",
        TaskForwardForm,
        perform,
        _("You forwarded the task about %(number)s."),
    )


@_task_post
def task_cancel(request, pk: int):
    def perform(task, data):
        services.task_cancel(actor=request.user, task=task)

    return _task_action(
        request, pk, "cancel", None, perform, _("The task about %(number)s is cancelled.")
    )


# --- The department's deadlines -----------------------------------------------------------------


class DeadlinesView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Overdue and due-soon documents of everybody (as far as the user may see them), grouped by
    responsible person, with a count per person; filter by person and by overdue / due soon."""

    permission_required = "registry.change_document"
    template_name = "registry/work/deadlines.html"

    def get_context_data(self, **kwargs):
        request = self.request
        today = timezone.localdate()
        soon_until = deadlines.due_soon_until(today)
        form = DeadlineFilterForm(request.GET or None, user_choices=user_choices())
        filters = form.cleaned_data if form.is_valid() else {}

        base = Document.objects.visible_to(request.user).open().filter(deadline__lte=soon_until)
        people = selectors.deadlines_by_person(base, today=today)

        documents = base
        responsible = filters.get("responsible")
        if responsible == DeadlineFilterForm.NOBODY:
            # As the index orders them (registry_doc_open_people): "nobody" is its last value.
            documents = documents.alias(person=NOBODY_LAST).filter(person=NOBODY)
        elif responsible:
            documents = documents.filter(responsible_id=int(responsible))
        one_person = bool(responsible) and responsible != DeadlineFilterForm.NOBODY
        if filters.get("state") == "overdue":
            documents = documents.filter(deadline__lt=today)
        elif filters.get("state") == "due_soon":
            documents = documents.filter(deadline__gte=today)
        page = Listing(
            request,
            documents.with_list_data(),
            orders=BY_DEADLINE if one_person else BY_PERSON,
            default="deadline",
            per_page=DEADLINES_PER_PAGE,
        ).page
        _mark(page.rows, today, soon_until)
        return super().get_context_data(
            form=form, people=people, page=page, today=today, soon_until=soon_until, **kwargs
        )


urlpatterns = [
    path("work/", MyWorkView.as_view(), name="my-documents"),
    path("work/deadlines/", DeadlinesView.as_view(), name="deadlines"),
    path("work/tasks/<int:pk>/accept/", task_accept, name="task-accept"),
    path("work/tasks/<int:pk>/complete/", task_complete, name="task-complete"),
    path("work/tasks/<int:pk>/return/", task_return, name="task-return"),
    path("work/tasks/<int:pk>/forward/", task_forward, name="task-forward"),
    path("work/tasks/<int:pk>/cancel/", task_cancel, name="task-cancel"),
]
