"""Documents in the admin (only the notes are changed here; everything else through the portal's
services) and their files, parcels, tasks and shares, read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from registry import services
from registry.admin.common import _visible_documents
from registry.models import (
    Attachment,
    Document,
    DocumentShare,
    Parcel,
    Task,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fields = ("name", "kind", "size", "is_public", "text_status", "uploaded_by", "uploaded_at")
    readonly_fields = fields


class TaskInline(_ReadOnlyInline):
    model = Task
    fk_name = "document"
    fields = ("assignee", "given_by", "due_on", "status", "instruction", "comment")
    readonly_fields = fields


class ShareInline(_ReadOnlyInline):
    model = DocumentShare
    fields = ("user", "shared_by", "created")
    readonly_fields = fields


class DocumentNotesForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ("notes",)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only but for the notes (saved through services.document_update); registering,
    assigning, deadlines and restrictions are done on the document's page."""

    form = DocumentNotesForm
    list_display = (
        "number",
        "registered_on",
        "doc_type",
        "title",
        "responsible",
        "status",
        "deadline",
        "restricted",
    )
    list_filter = ("status", "direction", "doc_type", "channel", "registered_on", "series")
    search_fields = ("number", "title", "sender__name", "sender_reference")
    list_select_related = ("series", "responsible", "restriction_basis")
    date_hierarchy = "registered_on"
    show_full_result_count = False
    inlines = [AttachmentInline, TaskInline, ShareInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "series",
                    "case_file",
                    "direction",
                    "doc_type",
                    "channel",
                    "title",
                    "sender",
                    "recipient",
                    "sender_reference",
                    "sender_date",
                    "received_on",
                    "registered_on",
                    "registered_at",
                    "registered_by",
                    "responsible",
                    "status",
                    "parent",
                    "in_reply_to",
                    "notes",
                )
            },
        ),
        (
            _("Deadline"),
            {
                "fields": (
                    "deadline",
                    "initial_deadline",
                    "deadline_extension_reason",
                    "requester_notified_on",
                    "closed_on",
                    "close_reason",
                )
            },
        ),
        (
            _("Access restriction"),
            {
                "fields": (
                    "restriction_basis",
                    "restriction_start",
                    "restriction_end",
                    "restriction_extended",
                    "restriction_lifted_on",
                    "restriction_lifted_by",
                    "restriction_lift_reason",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return [
            name for fieldset in self.fieldsets for name in fieldset[1]["fields"] if name != "notes"
        ]

    def get_queryset(self, request):
        return _visible_documents(request)

    @admin.display(description=_("restricted"), boolean=True)
    def restricted(self, document):
        return document.is_restricted()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.document_update(actor=request.user, document=obj, notes=form.cleaned_data["notes"])


class _VisibleDocumentAdmin(ReadOnlyAdmin):
    """Rows that belong to a document: only those of documents the user may see."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(document__in=_visible_documents(request))


@admin.register(Attachment)
class AttachmentAdmin(_VisibleDocumentAdmin):
    list_display = ("name", "document", "kind", "size", "is_public", "text_status", "uploaded_at")
    list_filter = ("kind", "is_public", "text_status")
    search_fields = ("name", "document__number", "sha256")
    list_select_related = ("document",)
    fields = (
        "document",
        "name",
        "kind",
        "content_type",
        "size",
        "sha256",
        "is_public",
        "text_status",
        "uploaded_by",
        "uploaded_at",
    )
    show_full_result_count = False


@admin.register(Parcel)
class ParcelAdmin(_VisibleDocumentAdmin):
    list_display = ("document", "carrier", "tracking_code", "handed_to", "handed_at")
    list_filter = ("carrier",)
    search_fields = ("tracking_code", "document__number", "receipt_signed_by")
    list_select_related = ("document", "handed_to")


@admin.register(Task)
class TaskAdmin(_VisibleDocumentAdmin):
    list_display = ("document", "assignee", "given_by", "due_on", "status", "created")
    list_filter = ("status", "due_on")
    search_fields = ("document__number", "assignee__username", "assignee__last_name")
    list_select_related = ("document", "assignee", "given_by")
    show_full_result_count = False


@admin.register(DocumentShare)
class DocumentShareAdmin(_VisibleDocumentAdmin):
    list_display = ("document", "user", "shared_by", "created")
    search_fields = ("document__number", "user__username", "user__last_name")
    list_select_related = ("document", "user", "shared_by")
