"""The registration inbox: the list of messages and scans not registered yet, an item's page
with its message and files and ONE form that registers it as an incoming document (then the
next item opens), setting an item aside and returning it, the quarantine's release and delete,
and the downloads (a file, the message as it came).

Access: everything needs ``registry.add_document`` (the clerks who register incoming mail); a
signed-in user without it gets 403, an anonymous one is sent to sign in. An item registered as a
restricted document shows nothing more to those who may not see that document (404, as for an
item that does not exist). The original message (.eml) of a registered document may also be
opened from the document's page by those who may see the document.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from core import events
from core.downloads import file_download
from core.forms import add_service_errors
from core.intake.models import InboundAttachment
from core.listing import Listing, Order
from core.submissions import submit_once
from registry import inbox, selectors, services
from registry.forms.inbox import EmailFilesForm, InboxRegisterForm, SetAsideForm, register_forms
from registry.models import Document, InboxItem
from registry.views.documents import _legal_deadline_notes, _party_options

PERMISSION = "registry.add_document"
PAGE_SIZE = 50
INBOX_ORDERS = {"-received": Order(("-received_at",))}  # indexes registry_inbox_*
TEMPLATE = "registry/inbox_item.html"


def _need(user, permission: str = PERMISSION) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def _item(request, pk: int, *, for_document: bool = False) -> InboxItem:
    """The item, or 404; one registered as a document ``request.user`` may not see is not there
    for them (the refusal of a restricted document goes on its timeline)."""
    item = (
        InboxItem.objects.select_related("message", "message__mailbox", "document", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404(_("No such message in the inbox."))
    if item.document_id is not None:
        document = Document.objects.visible_to(request.user).filter(pk=item.document_id).first()
        if document is None:
            if item.document.is_restricted():
                services.restricted_refusal_record(actor=request.user, document=item.document)
            raise Http404(_("No such message in the inbox."))
    elif for_document:
        raise Http404(_("No such message in the inbox."))
    return item


# --- The list -----------------------------------------------------------------------------------


def _tabs(current: str, text: str) -> list[dict]:
    labels = {
        "new": _("Not registered"),
        "registered": pgettext("inbox status", "Registered"),
        "dismissed": _("Set aside"),
        "all": _("All"),
    }
    base = reverse("registry:inbox")
    tabs = []
    for key in selectors.INBOX_TABS:
        query = urlencode({"status": key, **({"q": text} if text else {})})
        tabs.append(
            {"key": key, "label": labels[key], "url": f"{base}?{query}", "current": key == current}
        )
    return tabs


@login_required
def inbox_list(request):
    """The inbox, newest first: one tab at a time, searched by subject and sender, 50 a page,
    the same number of queries whatever the rows."""
    _need(request.user)
    return _render_list(request)


def _render_list(request, *, upload_form=None, status: int = 200):
    status_key = request.GET.get("status", "new")
    if status_key not in selectors.INBOX_TABS:
        status_key = "new"
    text = " ".join(request.GET.get("q", "").split())[:200]
    listing = Listing(
        request,
        selectors.inbox_items(status=status_key, text=text),
        orders=INBOX_ORDERS,
        default="-received",
        per_page=PAGE_SIZE,
    )
    context = {
        "page": listing.page,
        "items": listing.page.rows,
        "status": status_key,
        "q": text,
        "tabs": _tabs(status_key, text),
        "upload_form": upload_form or EmailFilesForm(),
    }
    return render(request, "registry/inbox_list.html", context, status=status)


# --- One item -----------------------------------------------------------------------------------


def _item_context(request, item: InboxItem, form=None, party_form=None, aside_form=None) -> dict:
    message = item.message
    attachments = list(message.attachments.order_by("position", "pk"))
    if form is None and item.status == InboxItem.Status.NEW:
        form, party_form = register_forms(item, user=request.user)
    return {
        "item": item,
        "message": message,
        "attachments": attachments,
        "usable": [a for a in attachments if a.status in inbox.USABLE],
        "form": form,
        "party_form": party_form,
        "aside_form": aside_form or SetAsideForm(),
        "series_defaults": form.series_defaults() if form is not None else {},
        "legal_deadlines": _legal_deadline_notes(),
        "sender_options": _party_options(form["sender"].value() or "") if form else [],
        "timeline_events": _timeline(item),
        "timeline_id": f"registry-inbox-{item.pk}",
        "next_item": selectors.inbox_next(item),
        "Status": InboxItem.Status,
        "AttachmentStatus": InboundAttachment.Status,
    }


def _timeline(item: InboxItem) -> list:
    """The item's events and its message's (files released or deleted), newest first."""
    both = [*events.for_object(item)[:50], *events.for_object(item.message)[:50]]
    return sorted(both, key=lambda event: (event.created, event.pk), reverse=True)


def _render_item(request, item, status: int = 200, **forms):
    response = render(request, TEMPLATE, _item_context(request, item, **forms), status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _after(item: InboxItem) -> str:
    """Where a clerk goes once an item is decided: the next item not registered, else the list."""
    following = selectors.inbox_next(item)
    if following is not None:
        return reverse("registry:inbox-item", args=[following.pk])
    return reverse("registry:inbox")


@login_required
@submit_once
def inbox_item(request, pk: int):
    """GET: the message, its files and the pre-filled registration form. POST: register it."""
    _need(request.user)
    item = _item(request, pk)
    if request.method != "POST":
        return _render_item(request, item)
    form, party_form = register_forms(item, user=request.user, data=request.POST)
    new_sender = request.POST.get("sender_mode") == InboxRegisterForm.SENDER_NEW
    valid = form.is_valid()
    if new_sender:
        valid = party_form.is_valid() and valid
    if not valid:
        return _render_item(request, item, form=form, party_form=party_form)
    try:
        document = inbox.item_register(
            actor=request.user,
            item=item,
            sender=None if new_sender else form.cleaned_data["sender_party"],
            new_sender=party_form.service_kwargs() if new_sender else None,
            keep_message=form.cleaned_data["keep_message"],
            **form.service_kwargs(),
        )
    except ValidationError as error:
        failed = party_form if new_sender and _is_party_error(error) else form
        add_service_errors(failed, error)
        item.refresh_from_db()
        return _render_item(request, item, form=form, party_form=party_form)
    link = format_html(
        '<a class="alert-link" href="{}">{}</a>',
        reverse("registry:document-detail", args=[document.pk]),
        _("open the document"),
    )
    # The translation is ours (trusted); the number is escaped, the link built above.
    text = _("Registered as %(number)s: %(link)s") % {
        "number": conditional_escape(document.number),
        "link": link,
    }
    messages.success(request, mark_safe(text))  # noqa: S308
    for refused in getattr(document, "inbox_refused_files", []):
        messages.warning(
            request,
            _("The file %(file)s was not added to the document: %(reason)s") % refused,
        )
    return redirect(_after(item))


def _is_party_error(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and set(error.error_dict) <= {"code", "name", "email"}


@require_POST
@login_required
@submit_once
def inbox_set_aside(request, pk: int):
    _need(request.user)
    item = _item(request, pk)
    form = SetAsideForm(request.POST)
    if form.is_valid():
        try:
            inbox.item_set_aside(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Set aside: %(subject)s") % {"subject": item})
            return redirect(_after(item))
    item.refresh_from_db()
    return _render_item(request, item, aside_form=form)


@require_POST
@login_required
@submit_once
def inbox_upload(request):
    """E-mail files (.eml, .msg) brought by hand: into the inbox through the intake."""
    _need(request.user)
    form = EmailFilesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            kept = inbox.files_upload(actor=request.user, files=form.cleaned_data["files"])
        except ValidationError as error:
            form.add_error("files", error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d e-mail added to the inbox.",
                    "%(count)d e-mails added to the inbox.",
                    len(kept),
                )
                % {"count": len(kept)},
            )
            return redirect("registry:inbox")
    return _render_list(request, upload_form=form, status=400)


@require_POST
@login_required
@submit_once
def inbox_return(request, pk: int):
    _need(request.user)
    item = _item(request, pk)
    try:
        inbox.item_return(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Returned to the inbox."))
    return redirect("registry:inbox-item", item.pk)


# --- Files of the message -----------------------------------------------------------------------


def _attachment(request, pk: int, attachment_pk: int) -> tuple[InboxItem, InboundAttachment]:
    item = _item(request, pk)
    attachment = InboundAttachment.objects.filter(
        message_id=item.message_id, pk=attachment_pk
    ).first()
    if attachment is None:
        raise Http404(_("No such file."))
    return item, attachment


@require_POST
@login_required
@submit_once
def attachment_release(request, pk: int, attachment_pk: int):
    """A quarantined file the clerk has looked at: released, it becomes a file like the rest."""
    from core.intake import services as intake

    _need(request.user)
    item, attachment = _attachment(request, pk, attachment_pk)
    try:
        intake.attachment_release(actor=request.user, attachment=attachment)
    except ValidationError as error:  # not (or no longer) in quarantine
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Released from quarantine: %(name)s") % {"name": attachment})
    return redirect(reverse("registry:inbox-item", args=[item.pk]) + "#files")


@require_POST
@login_required
@submit_once
def attachment_delete(request, pk: int, attachment_pk: int):
    """A quarantined file removed (its row and reason stay, so the deletion is on record)."""
    from core.intake import services as intake

    _need(request.user)
    item, attachment = _attachment(request, pk, attachment_pk)
    reason = " ".join(request.POST.get("reason", "").split())[:500]
    try:
        intake.attachment_delete(actor=request.user, attachment=attachment, reason=reason)
    except ValidationError as error:  # no reason, or not (or no longer) in quarantine
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deleted from quarantine: %(name)s") % {"name": attachment})
    return redirect(reverse("registry:inbox-item", args=[item.pk]) + "#files")


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """A file of the message, as a download (never shown inline); a quarantined one as bytes of
    no type (``application/octet-stream``), for the clerk who decides on it."""
    from core.intake import services as intake

    _need(request.user)
    _item_, attachment = _attachment(request, pk, attachment_pk)
    if not attachment.file:
        raise Http404(_("No such file."))
    if attachment.status in inbox.USABLE:
        response = file_download(
            attachment.file, filename=attachment.name, content_type=attachment.content_type
        )
    else:
        response = intake.attachment_download(attachment)
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def message_download(request, pk: int):
    """The message as it came (.eml; a scan: the file), for the inbox's clerks, and for those
    who may see the document it was registered as (the link on the document's page)."""
    may_register = request.user.has_perm(PERMISSION)
    if not (may_register or request.user.has_perm("registry.view_document")):
        raise PermissionDenied
    item = _item(request, pk, for_document=not may_register)
    message = item.message
    if item.document_id and item.document.is_restricted():
        services.restricted_access_record(actor=request.user, document=item.document)
    if message.kind == message.Kind.SCAN:
        name = message.raw_name or "scan"
        content_type = ""
    else:
        name = inbox.message_file_name(message)
        content_type = "message/rfc822"
    response = file_download(message.raw, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("inbox/", inbox_list, name="inbox"),
    path("inbox/upload/", inbox_upload, name="inbox-upload"),
    path("inbox/<int:pk>/", inbox_item, name="inbox-item"),
    path("inbox/<int:pk>/set-aside/", inbox_set_aside, name="inbox-set-aside"),
    path("inbox/<int:pk>/return/", inbox_return, name="inbox-return"),
    path("inbox/<int:pk>/message/", message_download, name="inbox-message"),
    path(
        "inbox/<int:pk>/files/<int:attachment_pk>/",
        attachment_download,
        name="inbox-attachment",
    ),
    path(
        "inbox/<int:pk>/files/<int:attachment_pk>/release/",
        attachment_release,
        name="inbox-attachment-release",
    ),
    path(
        "inbox/<int:pk>/files/<int:attachment_pk>/delete/",
        attachment_delete,
        name="inbox-attachment-delete",
    ),
]
