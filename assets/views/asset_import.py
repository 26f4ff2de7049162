"""Importing assets from a CSV file (as Excel saves it, any common encoding and separator): the
form with its row-by-row report, and the template to fill."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import View

from assets import services
from assets.forms.inventory import ImportForm
from assets.models import Category
from assets.views.inventory import ADD, State, _csv_response
from core.downloads import csv_cell
from core.submissions import SubmitOnceMixin


class AssetImportView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """Assets from a CSV file: every row is checked first, and if one is wrong nothing is
    imported and the errors are listed by line."""

    permission_required = ADD
    template_name = "assets/inventory/import.html"

    def _render(self, request, form, errors=None):
        context = {
            "form": form,
            "errors": errors or [],
            "columns": services.CSV_COLUMNS,
            "categories": [(value, capfirst(label)) for value, label in Category.choices],
            "states": [
                (s.value, capfirst(s.label))
                for s in (State.IN_USE, State.IN_STORAGE, State.IN_REPAIR, State.MISSING)
            ],
        }
        return render(request, self.template_name, context)

    def get(self, request):
        return self._render(request, ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        result = services.assets_import_csv(
            actor=request.user, data=form.cleaned_data["file"].read()
        )
        if result.file_error:  # the file itself cannot be read: an error on the form's field
            for line, message in result.errors:
                if line:
                    message = _("Line %(line)s: %(message)s") % {"line": line, "message": message}
                form.add_error("file", message)
            return self._render(request, form)
        if result.errors:
            messages.error(
                request,
                ngettext(
                    "Nothing was imported: the file has %(count)s error.",
                    "Nothing was imported: the file has %(count)s errors.",
                    len(result.errors),
                )
                % {"count": len(result.errors)},
            )
            return self._render(request, ImportForm(), errors=result.errors)
        messages.success(
            request,
            ngettext(
                "%(count)s asset was imported.", "%(count)s assets were imported.", result.created
            )
            % {"count": result.created},
        )
        return redirect("assets:asset-list")


@login_required
@permission_required(ADD, raise_exception=True)
def asset_import_template(request):
    """A CSV to fill in: the columns the import reads and one example row."""
    example = [
        "",
        "Sülearvuti Lenovo ThinkPad T14",
        Category.COMPUTER.value,
        "PF3ABC12",
        "Suur-Ameerika 1, 204",
        request.user.username,
        "14.03.2025",
        "1249,00",
        "Arvutimaailm OÜ",
        "14.03.2028",
        State.IN_USE.value,
        "Laadija ja kott kaasas",
    ]
    rows = [services.CSV_COLUMNS, [csv_cell(value) for value in example]]
    return _csv_response(rows, "inventar-mall.csv")


urlpatterns = [
    path("assets/import/", AssetImportView.as_view(), name="asset-import"),
    path("assets/import/template.csv", asset_import_template, name="asset-import-template"),
]
