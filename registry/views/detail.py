"""One document's page. The actions on it (assign, deadline, reply, restriction, sharing, parcel
hand-over, tasks) are in ``document_actions``, its files and their downloads in ``document_files``.

Every document is fetched through ``Document.objects.visible_to(user)``: a restricted document
the user may not see answers 404, exactly as an id that does not exist, and the refusal is
recorded; each opening of a restricted document or of one of its files is recorded as well.
The actions are small forms on the page (``<details>`` sections: no JavaScript needed); each
POST-only view checks its permission, calls one service and redirects back with a message, or
shows the page again with the service's messages next to the fields.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import View

from core import events, signatures
from core.choices import share_options
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


urlpatterns = [
    path("documents/<int:pk>/", DocumentDetailView.as_view(), name="document-detail"),
]
