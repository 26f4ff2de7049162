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
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.pages import page_of
from core.redirects import same_site_url
from core.submissions import submit_once
from registry import deadlines, selectors, services
from registry.forms.common import add_service_errors
from registry.forms.work import (
    DeadlineFilterForm,
    TaskCompleteForm,
    TaskForwardForm,
    TaskReturnForm,
    user_choices,
)
from registry.models import Document, Task

TASKS_PER_PAGE = 25


def _deadline_state(document: Document, today: date, soon_until: date) -> tuple[str, int]:
    """("overdue", days late) | ("due_soon", days left) | ("open", 0) for an open document."""
    if document.deadline is None:
        return "open", 0
    if document.deadline < today:
        return "overdue", (today - document.deadline).days
    if document.deadline <= soon_until:
        return "due_soon", (document.deadline - today).days
    return "open", 0


def _mark(documents, today: date, soon_until: date):
    for document in documents:
        document.deadline_state, document.deadline_days = _deadline_state(
            document, today, soon_until
        )
    return documents


def _tasks(user):
    """Tasks with what their rows show; ``document_visible`` says whether ``user`` may see the
    document's title (a restricted document shows only its number and basis otherwise)."""
    visible = Document.objects.visible_to(user).filter(pk=OuterRef("document_id"))
    return (
        Task.objects.active()
        .select_related("document", "document__restriction_basis", "assignee", "given_by")
        .annotate(document_visible=Exists(visible))
        .order_by("due_on", "id")
    )


# --- My work ------------------------------------------------------------------------------------


class MyWorkView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The signed-in person's open documents (overdue first, then due soon, then the rest by
    deadline), their active tasks with actions, and the tasks they gave that are still active."""

    permission_required = "registry.view_document"
    template_name = "registry/work/my_work.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_my_work_context(self.request), **kwargs)


def _my_work_context(request, bound: dict | None = None) -> dict:
    """``bound``: {"task": pk, "action": name, "form": form} when a task action came back with
    errors; that task's form is shown with them, open."""
    user = request.user
    today = timezone.localdate()
    soon_until = deadlines.due_soon_until(today)

    mine = Document.objects.visible_to(user).filter(responsible=user).open()
    counts = mine.aggregate(
        overdue=Count("pk", filter=Q(deadline__lt=today)),
        due_soon=Count("pk", filter=Q(deadline__gte=today, deadline__lte=soon_until)),
    )
    # Ordered by deadline, the overdue come first, then those due soon, then the rest.
    documents = mine.with_list_data().order_by(
        F("deadline").asc(nulls_last=True), "registered_on", "id"
    )
    documents_page = page_of(request, documents, "page")
    _mark(documents_page.object_list, today, soon_until)

    tasks_page = page_of(request, _tasks(user).filter(assignee=user), "tasks_page", TASKS_PER_PAGE)
    choices = user_choices() if tasks_page.object_list else []  # for the forward forms
    others = [(pk, name) for pk, name in choices if pk != user.pk]
    for task in tasks_page.object_list:
        task.is_late = task.due_on < today
        task.forms = _task_forms(task, others, bound)

    given_page = page_of(
        request,
        _tasks(user).filter(given_by=user).exclude(assignee=user),
        "given_page",
        TASKS_PER_PAGE,
    )
    for task in given_page.object_list:
        task.is_late = task.due_on < today

    return {
        "today": today,
        "soon_until": soon_until,
        "counts": counts,
        "documents_page": documents_page,
        "tasks_page": tasks_page,
        "given_page": given_page,
    }


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
            documents = documents.filter(responsible__isnull=True)
        elif responsible:
            documents = documents.filter(responsible_id=int(responsible))
        if filters.get("state") == "overdue":
            documents = documents.filter(deadline__lt=today)
        elif filters.get("state") == "due_soon":
            documents = documents.filter(deadline__gte=today)
        documents = documents.with_list_data().order_by(
            F("responsible__last_name").asc(nulls_last=True),
            "responsible__first_name",
            "responsible_id",
            "deadline",
            "id",
        )
        page = page_of(request, documents, "page", 50)
        _mark(page.object_list, today, soon_until)
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
