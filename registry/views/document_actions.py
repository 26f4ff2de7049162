"""What is done to a document from its page: assigning it, its deadline (extend, close, reopen),
registering the reply, its restriction (set, extend, lift), sharing it, its files (add, publish,
check signatures) and their downloads, handing a parcel over and giving a task. Each action is a
POST-only view that calls one service through _run_action and goes back to the page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.actions import nothing_changed
from core.forms import add_service_errors
from core.submissions import submit_once
from registry import deadlines, services
from registry.forms.actions import (
    AssignForm,
    CloseForm,
    DeadlineExtendForm,
    ParcelHandOverForm,
    ReopenForm,
    ReplyForm,
    RestrictForm,
    RestrictionExtendForm,
    RestrictionLiftForm,
    ShareForm,
    TaskGiveForm,
)
from registry.models import DocumentShare
from registry.views.detail import (
    _may_share,
    _need,
    _render_detail,
    _visible_document,
)


def _detail_url(document_or_pk, anchor: str = "") -> str:
    pk = getattr(document_or_pk, "pk", document_or_pk)
    url = reverse("registry:document-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _run_action(
    request,
    pk: int,
    form_class,
    perform,
    *,
    permission: str | None = None,
    allowed=None,
    form_kwargs=None,
    field_map=None,
    default_field=None,
    anchor: str = "",
):
    """The common shape of an action: permission, the document through visible_to, the form,
    one service call; success → redirect with a message, refusal → the page with the errors."""
    if permission:
        _need(request.user, permission)
    document = _visible_document(request, pk)
    if allowed is not None and not allowed(request.user, document):
        raise PermissionDenied
    form_kwargs = form_kwargs(document) if callable(form_kwargs) else (form_kwargs or {})
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        try:
            message = perform(request, document, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, field_map, default_field)
        else:
            messages.success(request, message)
            return redirect(_detail_url(document, anchor))
    nothing_changed(request, form)
    return _render_detail(request, pk, bound={form_class: form})


def _date(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


@require_POST
@login_required
def document_assign(request, pk: int):
    def perform(request, document, data):
        services.document_assign(
            actor=request.user, document=document, responsible=data["responsible"]
        )
        return _("The responsible person is now %(name)s.") % {"name": str(data["responsible"])}

    return _run_action(
        request,
        pk,
        AssignForm,
        perform,
        permission="registry.change_document",
        anchor="register-data",
    )


@require_POST
@login_required
@submit_once
def deadline_extend(request, pk: int):
    def perform(request, document, data):
        document = services.document_extend_deadline(
            actor=request.user,
            document=document,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
            requester_notified_on=data.get("requester_notified_on"),
        )
        return _("The deadline was extended to %(date)s.") % {"date": _date(document.deadline)}

    return _run_action(
        request,
        pk,
        DeadlineExtendForm,
        perform,
        permission="registry.change_document",
        form_kwargs=lambda document: {"ask_notified": deadlines.is_fixed_by_law(document.doc_type)},
        anchor="deadline",
    )


@require_POST
@login_required
def deadline_close(request, pk: int):
    def perform(request, document, data):
        services.document_close(actor=request.user, document=document, reason=data["reason"])
        return _("The deadline was closed.")

    return _run_action(
        request,
        pk,
        CloseForm,
        perform,
        permission="registry.change_document",
        default_field="reason",
        anchor="deadline",
    )


@require_POST
@login_required
def deadline_reopen(request, pk: int):
    def perform(request, document, data):
        services.document_reopen(actor=request.user, document=document, reason=data["reason"])
        return _("The document was reopened.")

    return _run_action(
        request,
        pk,
        ReopenForm,
        perform,
        permission="registry.change_document",
        default_field="reason",
        anchor="deadline",
    )


@require_POST
@login_required
@submit_once
def reply_register(request, pk: int):
    def perform(request, document, data):
        reply = services.document_register_reply(
            actor=request.user,
            document=document,
            title=data["title"],
            channel=data["channel"],
            sent_on=data["sent_on"],
            files=data.get("files") or (),
        )
        return _("The reply %(number)s was registered.") % {"number": reply.number}

    return _run_action(
        request,
        pk,
        ReplyForm,
        perform,
        permission="registry.add_document",
        field_map={"received_on": "sent_on", "file": "files", "uploaded": "files"},
        anchor="replies",
    )


@require_POST
@login_required
def restriction_set(request, pk: int):
    def perform(request, document, data):
        document = services.document_restrict(
            actor=request.user, document=document, basis=data["basis"], end=data.get("end")
        )
        return _("The access restriction was set until %(date)s.") % {
            "date": _date(document.restriction_end)
        }

    return _run_action(
        request,
        pk,
        RestrictForm,
        perform,
        permission="registry.restrict_document",
        field_map={"restriction_end": "end", "restriction_basis": "basis"},
        anchor="restriction",
    )


@require_POST
@login_required
@submit_once
def restriction_extend(request, pk: int):
    def perform(request, document, data):
        document = services.document_extend_restriction(
            actor=request.user, document=document, new_end=data["new_end"], reason=data["reason"]
        )
        return _("The access restriction was extended until %(date)s.") % {
            "date": _date(document.restriction_end)
        }

    return _run_action(
        request,
        pk,
        RestrictionExtendForm,
        perform,
        permission="registry.restrict_document",
        anchor="restriction",
    )


@require_POST
@login_required
def restriction_lift(request, pk: int):
    def perform(request, document, data):
        services.document_lift_restriction(
            actor=request.user, document=document, reason=data["reason"]
        )
        return _("The access restriction was lifted.")

    return _run_action(
        request,
        pk,
        RestrictionLiftForm,
        perform,
        permission="registry.restrict_document",
        default_field="reason",
        anchor="restriction",
    )


@require_POST
@login_required
@submit_once
def document_share(request, pk: int):
    def perform(request, document, data):
        services.document_share(actor=request.user, document=document, user=data["user"])
        return _("The document was shared with %(name)s.") % {"name": str(data["user"])}

    return _run_action(
        request, pk, ShareForm, perform, allowed=_may_share, default_field="user", anchor="shares"
    )


@require_POST
@login_required
def document_unshare(request, pk: int, user_pk: int):
    document = _visible_document(request, pk)
    if not _may_share(request.user, document):
        raise PermissionDenied
    share = get_object_or_404(
        DocumentShare.objects.select_related("user"), document=document, user_id=user_pk
    )
    services.document_unshare(actor=request.user, document=document, user=share.user)
    messages.success(
        request,
        _("%(name)s no longer sees the document through sharing.") % {"name": str(share.user)},
    )
    return redirect(_detail_url(document, "shares"))


@require_POST
@login_required
@submit_once
def parcel_hand_over(request, pk: int):
    def perform(request, document, data):
        services.parcel_hand_over(
            actor=request.user,
            document=document,
            handed_to=data["handed_to"],
            receipt_signed_by=data["receipt_signed_by"],
        )
        return _("The parcel was handed to %(name)s.") % {"name": str(data["handed_to"])}

    return _run_action(
        request,
        pk,
        ParcelHandOverForm,
        perform,
        permission="registry.change_document",
        anchor="parcel",
    )


@require_POST
@login_required
@submit_once
def task_give(request, pk: int):
    def perform(request, document, data):
        services.task_give(
            actor=request.user,
            document=document,
            assignee=data["assignee"],
            instruction=data["instruction"],
            due_on=data["due_on"],
        )
        return _("The task was given to %(name)s.") % {"name": str(data["assignee"])}

    return _run_action(
        request,
        pk,
        TaskGiveForm,
        perform,
        permission="registry.add_task",
        anchor="tasks",
    )


urlpatterns = [
    path("documents/<int:pk>/assign/", document_assign, name="document-assign"),
    path("documents/<int:pk>/deadline/extend/", deadline_extend, name="deadline-extend"),
    path("documents/<int:pk>/deadline/close/", deadline_close, name="deadline-close"),
    path("documents/<int:pk>/deadline/reopen/", deadline_reopen, name="deadline-reopen"),
    path("documents/<int:pk>/reply/", reply_register, name="reply-register"),
    path("documents/<int:pk>/restriction/", restriction_set, name="restriction-set"),
    path("documents/<int:pk>/restriction/extend/", restriction_extend, name="restriction-extend"),
    path("documents/<int:pk>/restriction/lift/", restriction_lift, name="restriction-lift"),
    path("documents/<int:pk>/shares/", document_share, name="document-share"),
    path(
        "documents/<int:pk>/shares/<int:user_pk>/remove/",
        document_unshare,
        name="document-unshare",
    ),
    path("documents/<int:pk>/parcel/", parcel_hand_over, name="parcel-hand-over"),
    path("documents/<int:pk>/tasks/give/", task_give, name="task-give"),
]
