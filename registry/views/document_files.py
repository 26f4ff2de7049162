"""A document's files from its page: adding one, publishing or withholding it in the public
register (with the reason), checking its signatures, and the downloads: the file as it came, its
searchable PDF, and the state of its text extraction for the page's polling."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.downloads import file_download
from core.submissions import submit_once
from registry import services
from registry.forms.actions import (
    AttachmentAddForm,
)
from registry.models import Attachment
from registry.views.detail import (
    _may_publish_files,
    _need,
    _visible_document,
)
from registry.views.document_actions import _detail_url, _run_action


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
]
