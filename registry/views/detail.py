"""One document's page and every action on it (assign, deadline, reply, restriction, sharing,
files, parcel hand-over, tasks), and the download of its files.

Every document is fetched through ``Document.objects.visible_to(user)``: a restricted document
the user may not see answers 404, exactly as an id that does not exist, and the refusal is
recorded; each opening of a restricted document or of one of its files is recorded as well.
The actions are small forms on the page (``<details>`` sections: no JavaScript needed); each
POST-only view checks its permission, calls one service and redirects back with a message, or
shows the page again with the service's messages next to the fields.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import JSONObject
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST
from django.views.generic import View

from core import events, signatures
from core.choices import share_options
from core.downloads import file_download
from core.forms import add_service_errors
from core.submissions import submit_once
from registry import deadlines, related, services
from registry.forms.actions import (
    AssignForm,
    AttachmentAddForm,
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
from registry.forms.common import staff_users
from registry.models import Attachment, Direction, Document, DocumentShare, InboxItem, Task
from registry.workflows import DOCUMENT

TEMPLATE = "registry/detail/document_detail.html"


# --- Fetching -----------------------------------------------------------------------------------


def _full_queryset(user):
    """Everything the page shows, in a fixed number of queries whatever the document holds.
    The inbox messages it was registered from come with the document (``inbox_origins``)."""
    origins = InboxItem.objects.filter(document=OuterRef("pk")).order_by("pk")
    return (
        Document.objects.visible_to(user)
        .annotate(
            inbox_origins=ArraySubquery(
                origins.values(json=JSONObject(pk="pk", kind="message__kind"))
            )
        )
        .select_related(
            "series",
            "series__function",
            "case_file",
            "sender",
            "recipient",
            "responsible",
            "registered_by",
            "restriction_basis",
            "restriction_lifted_by",
            "parcel",
            "parcel__handed_to",
        )
        # Not the search vectors, nor the files' extracted text (up to a megabyte each, none of it
        # shown). The parent and the document answered come with the follow-ups (``_related``):
        # planning the join of fourteen tables took PostgreSQL 10 ms.
        .defer("search_vector", "public_search_vector")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.defer("text").order_by("uploaded_at", "id"),
            ),
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related(
                    "assignee", "given_by", "forwarded_from"
                ).order_by("created", "id"),
            ),
            Prefetch(
                "shares",
                queryset=DocumentShare.objects.select_related("user", "shared_by").order_by(
                    "created", "id"
                ),
            ),
        )
    )


def _related(user, document: Document) -> tuple[list, list, set]:
    """The document's follow-ups and replies, and which related documents (those and its parent
    and the document it answers) ``user`` may see: one query."""
    links = Q(parent_id=document.pk) | Q(in_reply_to_id=document.pk)
    others = [pk for pk in (document.parent_id, document.in_reply_to_id) if pk]
    if others:
        links |= Q(pk__in=others)
    hidden = Document.objects.hidden_from(user).filter(pk=OuterRef("pk"))
    rows = list(
        Document.objects.filter(links)
        .select_related("restriction_basis")
        .defer("search_vector", "public_search_vector")
        .annotate(hidden=Exists(hidden))
    )
    follow_ups = sorted(
        (row for row in rows if row.parent_id == document.pk),
        key=lambda row: (row.follow_up_index or 0, row.pk),
    )
    replies = sorted(
        (row for row in rows if row.in_reply_to_id == document.pk),
        key=lambda row: (row.registered_on, row.pk),
    )
    # The parent and the document answered, read here rather than joined to the document.
    by_pk = {row.pk: row for row in rows}
    for name in ("parent", "in_reply_to"):
        pk = getattr(document, f"{name}_id")
        if pk in by_pk:
            Document._meta.get_field(name).set_cached_value(document, by_pk[pk])
    return follow_ups, replies, {row.pk for row in rows if not row.hidden}


def _visible_document(request, pk: int, queryset=None) -> Document:
    """The document if ``request.user`` may see it; else 404 — the same answer as for an id that
    does not exist — and a restricted document's refusal goes on its timeline."""
    queryset = queryset if queryset is not None else Document.objects.visible_to(request.user)
    document = queryset.filter(pk=pk).first()
    if document is None:
        hidden = Document.objects.restricted().filter(pk=pk).first()
        if hidden is not None:
            services.restricted_refusal_record(actor=request.user, document=hidden)
        raise Http404(_("No such document."))
    return document


# --- Who may do what ----------------------------------------------------------------------------


def _is_responsible(user, document: Document) -> bool:
    return document.responsible_id is not None and document.responsible_id == user.pk


def _may_share(user, document: Document) -> bool:
    return user.has_perm("registry.restrict_document") or _is_responsible(user, document)


def _may_publish_files(user, document: Document) -> bool:
    return user.has_perm("registry.restrict_document") or _is_responsible(user, document)


def _need(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


# --- The page -----------------------------------------------------------------------------------


def _format_value(value) -> str:
    """A value from an event's data: ISO dates as d.m.Y, everything else as it is."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


# What the timeline says about each event beside its verb: (data key, label) pairs.
_EVENT_DETAILS = (
    ("number", lambda: _("number")),
    ("responsible", lambda: _("responsible")),
    ("basis", lambda: _("basis")),
    ("until", lambda: _("until")),
    ("previous", lambda: pgettext("timeline: a date before a change", "before")),
    ("new", lambda: pgettext("timeline: a date after a change", "now")),
    ("person", lambda: pgettext("timeline: the person concerned", "person")),
    ("due", lambda: _("due")),
    ("deadline", lambda: _("deadline")),
    ("late", lambda: _("working days late")),
    ("ended", lambda: _("ended")),
    ("reply", lambda: _("reply")),
    ("file", lambda: _("file")),
    ("signed_by", lambda: _("receipt signed by")),
    ("reason", lambda: _("reason")),
    ("comment", lambda: _("comment")),
)


def _describe(event) -> str:
    parts = []
    for key, label in _EVENT_DETAILS:
        value = event.data.get(key)
        if value not in (None, ""):
            parts.append(f"{label()}: {_format_value(value)}")
    return "; ".join(parts)


def _timeline(document: Document) -> list:
    """The document's events, newest first, each with a one-line ``data.note`` for the snippet
    (only on the in-memory copy; events are never saved here)."""
    timeline = list(events.for_object(document)[:200])
    for event in timeline:
        note = _describe(event)
        if note and not event.data.get("note"):
            event.data = {**event.data, "note": note}
    return timeline


def _publicity_initial(document: Document) -> dict:
    """The add-a-file form as the law's default for this document (services.default_publicity)."""
    is_public, reason = services.default_publicity(document)
    return {"is_public": is_public, "withheld_reason": reason}


def _detail_context(request, document: Document, bound: dict | None = None) -> dict:
    user = request.user
    today = timezone.localdate()
    restricted = document.is_restricted(today)
    parcel = getattr(document, "parcel", None)
    follow_ups, replies, visible_related = _related(user, document)
    can = _can(user, document, parcel)
    forms = _forms(
        document, can, restricted, parcel, bound or {}, DOCUMENT.available(document, user)
    )
    fixed_by_law = deadlines.is_fixed_by_law(document.doc_type)
    return {
        "document": document,
        "parcel": parcel,
        "restricted": restricted,
        "restriction_ended": bool(
            document.restriction_basis_id
            and not restricted
            and document.restriction_lifted_on is None
            and document.restriction_end
            and document.restriction_end < today
        ),
        "deadline_state": deadlines.state(document, today),
        "latest_extension": deadlines.latest_extension(document) if fixed_by_law else None,
        **_files_and_tasks(document, today),
        "shares": list(document.shares.all()),
        "follow_ups": follow_ups,
        "replies": replies,
        # The letters answering the document (outgoing mail), for those who work with letters.
        "letters": related.for_document(document, user).get("letters", []),
        "visible_related": visible_related,
        "timeline_events": _timeline(document),
        "timeline_id": f"registry-document-{document.pk}",
        "can": can,
        "forms": forms,
        "today": today,
    }


def _can(user, document: Document, parcel) -> dict[str, bool]:
    """What the user may do on the page, whatever the document's status."""
    incoming = document.direction == Direction.INCOMING
    return {
        "assign": user.has_perm("registry.change_document"),
        "deadline": user.has_perm("registry.change_document") and incoming,
        "reply": user.has_perm("registry.add_document") and incoming,
        "restrict": user.has_perm("registry.restrict_document"),
        "share": _may_share(user, document),
        "attach": user.has_perm("registry.add_attachment"),
        "publish": _may_publish_files(user, document),
        "parcel": user.has_perm("registry.change_document") and parcel is not None,
        "task": user.has_perm("registry.add_task"),
        "letter": user.has_perm("correspondence.add_letter") and incoming,
    }


def _forms(document: Document, can: dict, restricted: bool, parcel, bound: dict, moves) -> dict:
    """The page's forms: those the user may use now (``moves``: the document's workflow), and a
    form that came back with its messages (``bound``) whatever the state."""

    def form(form_class, condition=True, **kwargs):
        if form_class in bound:
            return bound[form_class]
        return form_class(**kwargs) if condition else None

    forms = {
        "assign": form(AssignForm, can["assign"], initial={"responsible": document.responsible_id}),
        "extend": form(
            DeadlineExtendForm,
            can["deadline"] and moves["extend"],
            ask_notified=deadlines.is_fixed_by_law(document.doc_type),
        ),
        "close": form(CloseForm, can["deadline"] and moves["close"]),
        "reopen": form(ReopenForm, can["deadline"] and moves["reopen"]),
        "reply": form(ReplyForm, can["reply"]),
        "restrict": form(RestrictForm, can["restrict"] and not restricted),
        "extend_restriction": form(
            RestrictionExtendForm,
            can["restrict"]
            and restricted
            and (document.restriction_basis.is_personal_data or not document.restriction_extended),
        ),
        "lift": form(RestrictionLiftForm, can["restrict"] and restricted),
        "share": form(ShareForm, can["share"]),
        "attach": form(AttachmentAddForm, can["attach"], initial=_publicity_initial(document)),
        "parcel": form(
            ParcelHandOverForm,
            can["parcel"],
            initial={"handed_to": getattr(parcel, "handed_to_id", None) or document.responsible_id},
        ),
        "task": form(TaskGiveForm, can["task"]),
    }
    # The people of the assign, task, share and parcel forms: one query for all of them.
    share_options(forms.values(), staff_users())
    return forms


def _files_and_tasks(document: Document, today) -> dict:
    """The files with their signatures' verdicts, and the tasks with which of them are late."""
    attachments = list(document.attachments.all())
    for attachment in attachments:
        attachment.verdict = (
            signatures.Verdict.from_dict(attachment.signatures)
            if attachment.signature_status
            else None
        )
    tasks = list(document.tasks.all())
    for task in tasks:
        task.is_late = (
            task.status in (Task.Status.GIVEN, Task.Status.ACCEPTED) and task.due_on < today
        )
    return {
        "attachments": attachments,
        "signature_problems": [
            a for a in attachments if a.signature_status in signatures.NOT_TRUSTED
        ],
        "tasks": tasks,
    }


def _render_detail(request, pk: int, bound: dict | None = None, status: int = 200):
    document = _visible_document(request, pk, _full_queryset(request.user))
    if document.is_restricted():
        # Every opening of a restricted document is on its timeline (before the timeline is read).
        services.restricted_access_record(actor=request.user, document=document)
    response = render(request, TEMPLATE, _detail_context(request, document, bound), status=status)
    if document.is_restricted():
        response["Cache-Control"] = "private, no-store"  # not kept by browsers or proxies
    return response


class DocumentDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Everything the register keeps about one document, its files, tasks and history.

    A signed-in user without the permission gets 403 (``handle_no_permission`` raises for them),
    an anonymous one is sent to sign in.
    """

    permission_required = "registry.view_document"

    def get(self, request, pk: int):
        return _render_detail(request, pk)


# --- Actions ------------------------------------------------------------------------------------


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
    problems = " ".join(form.non_field_errors())
    messages.error(
        request,
        _("Nothing was changed: %(problems)s") % {"problems": problems}
        if problems
        else _("Nothing was changed: see the messages below."),
    )
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
def attachment_add(request, pk: int):
    def perform(request, document, data):
        files = data["files"]
        with transaction.atomic():  # all the files or none
            for uploaded in files:
                services.attachment_add(
                    actor=request.user,
                    document=document,
                    uploaded=uploaded,
                    is_public=data["is_public"],
                    withheld_reason=data["withheld_reason"],
                )
        return ngettext("%(count)d file was added.", "%(count)d files were added.", len(files)) % {
            "count": len(files)
        }

    return _run_action(
        request,
        pk,
        AttachmentAddForm,
        perform,
        permission="registry.add_attachment",
        field_map={"file": "files", "uploaded": "files"},
        default_field="files",
        anchor="files",
    )


@require_POST
@login_required
def attachment_set_public(request, pk: int, attachment_pk: int):
    document = _visible_document(request, pk)
    if not _may_publish_files(request.user, document):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment, document=document, pk=attachment_pk)
    is_public = request.POST.get("is_public") == "1"
    try:
        services.attachment_set_public(
            actor=request.user,
            attachment=attachment,
            is_public=is_public,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(document, "files"))
    if is_public:
        message = _("The file %(name)s is now public.")
    else:
        message = _("The file %(name)s is no longer public.")
    messages.success(request, message % {"name": attachment.name})
    return redirect(_detail_url(document, "files"))


@require_POST
@login_required
@submit_once
def attachment_verify(request, pk: int, attachment_pk: int):
    """Check a signed container's signatures again (after the trust list was updated, say)."""
    _need(request.user, "registry.add_attachment")
    document = _visible_document(request, pk)
    attachment = get_object_or_404(
        Attachment, document=document, pk=attachment_pk, kind__in=services.SIGNED_KINDS
    )
    attachment = services.attachment_verify_signatures(actor=request.user, attachment=attachment)
    messages.success(
        request,
        _("The signatures of %(name)s were checked again: %(verdict)s.")
        % {"name": attachment.name, "verdict": attachment.get_signature_status_display()},
    )
    return redirect(_detail_url(document, "files"))


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


# --- Files --------------------------------------------------------------------------------------


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """A file of a document the user may see, as a download (never shown inline); opening a
    file of a restricted document is recorded."""
    _need(request.user, "registry.view_document")
    document = _visible_document(request, pk)
    attachment = get_object_or_404(Attachment, document=document, pk=attachment_pk)
    if document.is_restricted():
        services.restricted_access_record(
            actor=request.user, document=document, attachment=attachment
        )
    response = file_download(
        attachment.file,
        filename=attachment.name,
        content_type=attachment.content_type,
        active_content=attachment.active_content,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_searchable(request, pk: int, attachment_pk: int):
    """The searchable PDF that OCR made of a scanned file (kept beside the original), as a
    download; the same rights as the file itself."""
    _need(request.user, "registry.view_document")
    document = _visible_document(request, pk)
    attachment = get_object_or_404(Attachment, document=document, pk=attachment_pk)
    if not attachment.searchable_pdf:
        raise Http404
    if document.is_restricted():
        services.restricted_access_record(
            actor=request.user, document=document, attachment=attachment
        )
    stem = attachment.name.rsplit(".", 1)[0] if "." in attachment.name else attachment.name
    response = file_download(
        attachment.searchable_pdf,
        filename=f"{stem} (OCR).pdf",
        content_type="application/pdf",
        active_content=attachment.active_content,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_status(request, pk: int, attachment_pk: int):
    """How far reading a file's text has got, as JSON for static/js/status-poll.js: "pending"
    while extraction or OCR waits or runs, then "done" (whatever the outcome)."""
    _need(request.user, "registry.view_document")
    document = _visible_document(request, pk)
    attachment = get_object_or_404(Attachment, document=document, pk=attachment_pk)
    response = JsonResponse(
        {
            "status": "pending" if attachment.in_progress else "done",
            "text_status": attachment.text_status,
            "ocr_status": attachment.ocr_status,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("documents/<int:pk>/", DocumentDetailView.as_view(), name="document-detail"),
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
    path("documents/<int:pk>/files/add/", attachment_add, name="attachment-add"),
    path(
        "documents/<int:pk>/files/<int:attachment_pk>/",
        attachment_download,
        name="attachment-download",
    ),
    path(
        "documents/<int:pk>/files/<int:attachment_pk>/searchable/",
        attachment_searchable,
        name="attachment-searchable",
    ),
    path(
        "documents/<int:pk>/files/<int:attachment_pk>/status/",
        attachment_status,
        name="attachment-status",
    ),
    path(
        "documents/<int:pk>/files/<int:attachment_pk>/public/",
        attachment_set_public,
        name="attachment-public",
    ),
    path(
        "documents/<int:pk>/files/<int:attachment_pk>/signatures/",
        attachment_verify,
        name="attachment-verify",
    ),
    path("documents/<int:pk>/parcel/", parcel_hand_over, name="parcel-hand-over"),
    path("documents/<int:pk>/tasks/give/", task_give, name="task-give"),
]
