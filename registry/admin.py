"""The admin of the document register: lists with search and filters for looking things up.

Writes go through registry.services as everywhere else: documents are read-only here except
their notes; the scheme and parties are saved through their services; a series is deleted only
when unused (services.series_delete). Restriction bases are kept here by the advisor. Documents,
their files and tasks are read through ``Document.objects.visible_to(user)``, and files are never
linked here (they are served only by the permission-checking download view).
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin
from registry import services
from registry.models import (
    Attachment,
    CaseFile,
    Document,
    DocumentShare,
    Function,
    Parcel,
    Party,
    RestrictionBasis,
    Series,
    Task,
)


def _visible_documents(request):
    return Document.objects.visible_to(request.user)


class _SchemeCodeForm(forms.ModelForm):
    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(services.SCHEME_CODE_FORMAT, code):
            raise ValidationError(_("Use digits separated by dashes, e.g. 1-2."))
        return code


# --- Classification scheme ----------------------------------------------------------------------


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    form = _SchemeCodeForm
    list_display = ("code", "title", "series_count", "is_closed")
    list_filter = ("is_closed",)
    search_fields = ("code", "title")
    fields = ("code", "title", "is_closed")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(series_total=Count("series"))

    @admin.display(description=_("series"), ordering="series_total")
    def series_count(self, function):
        return function.series_total

    def has_delete_permission(self, request, obj=None):
        return False  # a function is closed, not deleted

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in self.fields}
        saved = services.function_save(actor=request.user, function=obj if change else None, **data)
        obj.pk = saved.pk


class SeriesForm(_SchemeCodeForm):
    class Meta:
        model = Series
        fields = (
            "function",
            "code",
            "title",
            "retention_years",
            "default_restriction_basis",
        )


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    form = SeriesForm
    list_display = (
        "code",
        "title",
        "function",
        "retention",
        "default_restriction_basis",
        "is_closed",
        "closed_on",
        "document_count",
    )
    list_filter = ("is_closed", "function", "default_restriction_basis")
    search_fields = ("code", "title", "function__title")
    list_select_related = ("function", "default_restriction_basis")
    readonly_fields = ("is_closed", "closed_on")
    actions = ["close_series"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(documents_total=Count("documents"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.documents.exists():
            fields.append("code")  # part of its documents' numbers
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting goes through series_delete, one by one
        return actions

    @admin.display(description=_("retention"), ordering="retention_years")
    def retention(self, series):
        if series.retention_years is None:
            return _("permanent")
        return ngettext("%(years)s year", "%(years)s years", series.retention_years) % {
            "years": series.retention_years
        }

    @admin.display(description=_("documents"), ordering="documents_total")
    def document_count(self, series):
        return series.documents_total

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        if change:
            data.setdefault("code", Series.objects.get(pk=obj.pk).code)
        saved = services.series_save(actor=request.user, series=obj if change else None, **data)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        try:
            services.series_delete(actor=request.user, series=obj)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.documents.exists() or obj.files.exists()):
            return False  # in use: close it instead
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Close the selected series"), permissions=["change"])
    def close_series(self, request, queryset):
        for series in queryset:
            services.series_close(actor=request.user, series=series)
        self.message_user(request, _("The selected series are closed."), messages.SUCCESS)


class CaseFileForm(forms.ModelForm):
    class Meta:
        model = CaseFile
        fields = ("series", "year", "title", "is_closed")


@admin.register(CaseFile)
class CaseFileAdmin(admin.ModelAdmin):
    form = CaseFileForm
    list_display = ("series", "year", "title", "is_closed")
    list_filter = ("is_closed", "year")
    search_fields = ("title", "series__code", "series__title")
    list_select_related = ("series",)
    autocomplete_fields = ("series",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.case_file_save(
            actor=request.user, case_file=obj if change else None, **form.cleaned_data
        )
        obj.pk = saved.pk


@admin.register(RestrictionBasis)
class RestrictionBasisAdmin(admin.ModelAdmin):
    """The legal bases of access restrictions: kept here by the information-management advisor.
    A basis in use cannot be deleted (take it out of use instead)."""

    list_display = ("title", "code", "description", "is_personal_data", "is_active")
    list_filter = ("is_active", "is_personal_data")
    search_fields = ("title", "code", "description")
    list_editable = ("is_active",)


# --- Parties ------------------------------------------------------------------------------------


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ("is_private_person", "name", "code", "address", "email", "phone")


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    form = PartyForm
    list_display = ("name", "is_private_person", "code", "email", "phone", "created")
    list_filter = ("is_private_person",)
    search_fields = ("name", "code", "email")
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.party_update(actor=request.user, party=obj, **data)
        else:
            obj.pk = services.party_create(actor=request.user, **data).pk


# --- Documents ----------------------------------------------------------------------------------


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
