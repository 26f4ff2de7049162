"""The classification scheme: the tree function → series → files, its editing by the
information-management advisor, and its CSV export and import.

Reading needs registry.view_series; each change needs the permission of what it changes
(add_/change_function, add_/change_series, delete_series, add_/change_casefile). Every write is
one call of registry.services (the import: registry.scheme_csv.import_scheme, which calls them).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from core.actions import post_with
from core.forms import add_service_errors
from core.submissions import SubmitOnceMixin
from registry import scheme_csv, services
from registry.forms.scheme import CaseFileForm, FunctionForm, SchemeImportForm, SeriesForm
from registry.models import CaseFile, Function, Series


def _scheme_url(anchor: str = "") -> str:
    return reverse("registry:scheme") + (f"#{anchor}" if anchor else "")


# --- The tree -----------------------------------------------------------------------------------


class SchemeView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Every function with its series and their files, with the number of documents in each
    (three queries whatever the size of the scheme)."""

    permission_required = "registry.view_series"
    template_name = "registry/scheme/scheme.html"

    def get_context_data(self, **kwargs):
        files = CaseFile.objects.annotate(document_count=Count("documents")).order_by(
            "-year", "title"
        )
        series = (
            Series.objects.select_related("default_restriction_basis")
            .annotate(document_count=Count("documents"))
            .prefetch_related(Prefetch("files", queryset=files))
        )
        functions = sorted(
            Function.objects.prefetch_related(Prefetch("series", queryset=series)),
            key=lambda function: scheme_csv.code_key(function.code),
        )
        for function in functions:
            function.series_list = sorted(
                function.series.all(), key=lambda item: scheme_csv.code_key(item.code)
            )
        return super().get_context_data(
            functions=functions,
            series_total=sum(len(function.series_list) for function in functions),
            **kwargs,
        )


# --- Editing ------------------------------------------------------------------------------------


class _SchemeFormView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, FormView):
    """A form whose valid data goes to one service; the service's messages go next to the
    fields. Subclasses name the page (``heading``) and implement ``save``."""

    template_name = "registry/scheme/form.html"
    heading = ""
    submit = gettext_lazy("Save")
    success_message = ""

    def save(self, data: dict):
        raise NotImplementedError

    def anchor(self, obj) -> str:
        return ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, submit=self.submit, **kwargs)

    def form_valid(self, form):
        try:
            obj = self.save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"name": str(obj)})
        return redirect(_scheme_url(self.anchor(obj)))


class FunctionCreateView(_SchemeFormView):
    permission_required = "registry.add_function"
    form_class = FunctionForm
    heading = gettext_lazy("New function")
    success_message = gettext_lazy("Function %(name)s added.")

    def save(self, data):
        return services.function_save(actor=self.request.user, **data)

    def anchor(self, obj):
        return f"function-{obj.pk}"


class FunctionUpdateView(_SchemeFormView):
    permission_required = "registry.change_function"
    form_class = FunctionForm
    success_message = gettext_lazy("Function %(name)s saved.")

    @cached_property
    def function(self):
        return get_object_or_404(Function, pk=self.kwargs["pk"])

    @property
    def heading(self):
        return _("Function %(name)s") % {"name": self.function}

    def get_initial(self):
        return {
            "code": self.function.code,
            "title": self.function.title,
            "is_closed": self.function.is_closed,
        }

    def save(self, data):
        return services.function_save(actor=self.request.user, function=self.function, **data)

    def anchor(self, obj):
        return f"function-{obj.pk}"


class SeriesCreateView(_SchemeFormView):
    permission_required = "registry.add_series"
    form_class = SeriesForm
    heading = gettext_lazy("New series")
    success_message = gettext_lazy("Series %(name)s added.")

    def get_initial(self):
        function = Function.objects.filter(pk=self.request.GET.get("function") or None).first()
        return {"function": function}

    def save(self, data):
        return services.series_save(actor=self.request.user, **data)

    def anchor(self, obj):
        return f"series-{obj.pk}"


class SeriesUpdateView(_SchemeFormView):
    permission_required = "registry.change_series"
    form_class = SeriesForm
    template_name = "registry/scheme/series_form.html"
    success_message = gettext_lazy("Series %(name)s saved.")

    @cached_property
    def series(self):
        return get_object_or_404(
            Series.objects.select_related("function", "default_restriction_basis").annotate(
                document_count=Count("documents", distinct=True),
                file_count=Count("files", distinct=True),
            ),
            pk=self.kwargs["pk"],
        )

    @property
    def heading(self):
        return _("Series %(name)s") % {"name": self.series}

    def get_form_kwargs(self):
        locked = self.series.document_count > 0
        return {**super().get_form_kwargs(), "series": self.series, "code_locked": locked}

    def get_initial(self):
        series = self.series
        return {
            "function": series.function,
            "code": series.code,
            "title": series.title,
            "retention_years": series.retention_years,
            "default_restriction_basis": series.default_restriction_basis,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, **kwargs)

    def save(self, data):
        return services.series_save(actor=self.request.user, series=self.series, **data)

    def anchor(self, obj):
        return f"series-{obj.pk}"


class CaseFileCreateView(_SchemeFormView):
    permission_required = "registry.add_casefile"
    form_class = CaseFileForm
    success_message = gettext_lazy("File %(name)s added.")

    @cached_property
    def series(self):
        return get_object_or_404(Series, pk=self.kwargs["series_pk"])

    @property
    def heading(self):
        return _("New file of the series %(name)s") % {"name": self.series}

    def save(self, data):
        return services.case_file_save(actor=self.request.user, series=self.series, **data)

    def anchor(self, obj):
        return f"series-{obj.series_id}"


class CaseFileUpdateView(_SchemeFormView):
    permission_required = "registry.change_casefile"
    form_class = CaseFileForm
    success_message = gettext_lazy("File %(name)s saved.")

    @cached_property
    def case_file(self):
        return get_object_or_404(CaseFile.objects.select_related("series"), pk=self.kwargs["pk"])

    @property
    def heading(self):
        return _("File %(name)s") % {"name": self.case_file}

    def get_initial(self):
        case_file = self.case_file
        return {"year": case_file.year, "title": case_file.title, "is_closed": case_file.is_closed}

    def save(self, data):
        return services.case_file_save(
            actor=self.request.user, case_file=self.case_file, series=self.case_file.series, **data
        )

    def anchor(self, obj):
        return f"series-{obj.series_id}"


@post_with("registry.change_series")
def series_close(request, pk: int):
    series = get_object_or_404(Series, pk=pk)
    services.series_close(actor=request.user, series=series)
    messages.success(
        request,
        _("Series %(name)s is closed: no new documents can be registered in it.")
        % {"name": series},
    )
    return redirect(_scheme_url(f"series-{series.pk}"))


@post_with("registry.change_series")
def series_reopen(request, pk: int):
    series = get_object_or_404(Series.objects.select_related("function"), pk=pk)
    try:
        services.series_save(
            actor=request.user,
            series=series,
            function=series.function,
            code=series.code,
            title=series.title,
            retention_years=series.retention_years,
            default_restriction_basis=series.default_restriction_basis,
            is_closed=False,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Series %(name)s is open again.") % {"name": series})
    return redirect(_scheme_url(f"series-{series.pk}"))


@post_with("registry.delete_series")
def series_delete(request, pk: int):
    series = get_object_or_404(Series, pk=pk)
    name = str(series)
    try:
        services.series_delete(actor=request.user, series=series)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:series-update", pk=pk)
    messages.success(request, _("Series %(name)s deleted.") % {"name": name})
    return redirect(_scheme_url())


# --- CSV ----------------------------------------------------------------------------------------


@login_required
@permission_required("registry.view_series", raise_exception=True)
def scheme_export(request):
    today = timezone.localdate()
    response = HttpResponse(scheme_csv.export_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scheme-{today:%Y-%m-%d}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class SchemeImportView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, FormView):
    """Upload a CSV; every row is checked first, and only a file without errors is imported
    (all or nothing). "Only check" shows what would change and changes nothing."""

    permission_required = (
        "registry.add_function",
        "registry.change_function",
        "registry.add_series",
        "registry.change_series",
    )
    form_class = SchemeImportForm
    template_name = "registry/scheme/import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=scheme_csv.COLUMNS, **kwargs)

    def form_valid(self, form):
        uploaded = form.cleaned_data["file"]
        result = scheme_csv.import_scheme(
            uploaded.read(), actor=self.request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if result.errors or result.dry_run:
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request,
            _(
                "The scheme is imported: %(functions_created)s functions and %(series_created)s "
                "series added, %(functions_updated)s functions and %(series_updated)s series "
                "changed, %(unchanged)s unchanged."
            )
            % vars(result),
        )
        return redirect(_scheme_url())


urlpatterns = [
    path("scheme/", SchemeView.as_view(), name="scheme"),
    path("scheme/export/", scheme_export, name="scheme-export"),
    path("scheme/import/", SchemeImportView.as_view(), name="scheme-import"),
    path("scheme/functions/add/", FunctionCreateView.as_view(), name="function-create"),
    path("scheme/functions/<int:pk>/", FunctionUpdateView.as_view(), name="function-update"),
    path("scheme/series/add/", SeriesCreateView.as_view(), name="series-create"),
    path("scheme/series/<int:pk>/", SeriesUpdateView.as_view(), name="series-update"),
    path("scheme/series/<int:pk>/close/", series_close, name="series-close"),
    path("scheme/series/<int:pk>/reopen/", series_reopen, name="series-reopen"),
    path("scheme/series/<int:pk>/delete/", series_delete, name="series-delete"),
    path(
        "scheme/series/<int:series_pk>/files/add/",
        CaseFileCreateView.as_view(),
        name="casefile-create",
    ),
    path("scheme/files/<int:pk>/", CaseFileUpdateView.as_view(), name="casefile-update"),
]
