"""The classification scheme in the admin: functions, series (with their retention and default
restriction), case files and restriction bases."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry import services
from registry.admin.common import _SchemeCodeForm
from registry.models import (
    CaseFile,
    Function,
    RestrictionBasis,
    Series,
)


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
