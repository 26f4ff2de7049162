"""The inventory pages. This module: the list with its totals, CSV export and QR labels, and
adding and editing an asset; ``asset``: an asset's page with its files, state, holders,
stocktakings, disposals and history, and the page a label's QR code opens; ``asset_import``: the
CSV import; ``handovers``: handover acts.

Seeing needs ``assets.view_asset``, adding ``assets.add_asset``, changing, handing over and
files ``assets.change_asset``: a signed-in user without it gets 403, an anonymous one the sign-in
page. Two pages are open to more people: a label's page to every signed-in user (without
``view_asset`` only the number, the name and the place), and a handover act to its receiver, who
confirms it there. Every write goes through assets.services; the list runs a fixed number of
queries whatever its length.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import View

from assets import selectors, services
from assets.filters import AssetFilter
from assets.forms.inventory import AssetForm
from assets.models import Asset, Category
from core.forms import add_service_errors
from core.listing import Listing, Order, listing_context
from core.submissions import SubmitOnceMixin

State = Asset.State
VIEW, ADD, CHANGE = "assets.view_asset", "assets.add_asset", "assets.change_asset"
LABELS_PER_PDF = 240  # ten sheets of 3 × 8
PER_PAGE = 25
# The list's orders (indexes of Asset; tests/assets/test_list_plans.py): by inventory number (a
# unique column) or by name, each way.
ORDERS = {
    "number": Order(("inventory_number",), jump="text", unique=True),
    "-number": Order(("-inventory_number",), jump="text", unique=True),
    "name": Order(("name",), jump="text"),
    "-name": Order(("-name",), jump="text"),
}
DEFAULT_ORDER = "number"


def _name(user) -> str:
    return str(user) if user else ""


def _url(name: str, *args, query: str = "") -> str | None:
    """The URL of a page another view module of the app draws, or None while it is missing
    (each module brings its own urlpatterns)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


PAGE_PARAMS = ("page", "after", "before", "last", "from")  # where a page starts, not what it lists


class _Echo:
    """A file-like object whose write() hands the line back (csv.writer into a stream)."""

    def write(self, value: str) -> str:
        return value


def _csv_response(rows, filename: str) -> StreamingHttpResponse:
    """Rows as CSV for a spreadsheet: ``;``-separated UTF-8 with a BOM, streamed."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The list -----------------------------------------------------------------------------------


def _filtered(request) -> AssetFilter:
    queryset = Asset.objects.select_related("location", "responsible")
    return AssetFilter(request.GET, queryset=queryset, request=request)


def _totals(rows: list[dict]) -> dict:
    """selectors.totals as a table: a row per category, a column per state, with sums."""
    states = [s for s in State if any(row["state"] == s for row in rows)]
    by_category: dict[str, dict] = {}
    for row in rows:
        line = by_category.setdefault(
            row["category"], {"cells": {}, "count": 0, "value": 0, "label": ""}
        )
        line["cells"][row["state"]] = row
        line["count"] += row["count"]
        line["value"] += row["value"] or 0
    labels = dict(Category.choices)
    table = []
    for category, line in sorted(by_category.items()):
        line["label"] = capfirst(labels.get(category, category))
        line["row"] = [line["cells"].get(state) for state in states]
        table.append(line)
    columns = []
    for state in states:
        cells = [row for row in rows if row["state"] == state]
        columns.append(
            {
                "label": capfirst(state.label),
                "count": sum(cell["count"] for cell in cells),
                "value": sum(cell["value"] or 0 for cell in cells),
            }
        )
    return {
        "columns": columns,
        "rows": table,
        "count": sum(row["count"] for row in rows),
        "value": sum(row["value"] or 0 for row in rows),
    }


def asset_listing(request, queryset) -> Listing:
    return Listing(request, queryset, orders=ORDERS, default=DEFAULT_ORDER, per_page=PER_PAGE)


def _columns() -> list[tuple]:
    return [
        (_("Number"), "number"),
        (_("Name"), "name"),
        (_("Category"), None),
        (_("Location"), None),
        (_("Responsible person"), None),
        (_("State"), None),
        (_("Price"), None, "text-end"),
    ]


def _label_parts(request, count: int) -> list[dict]:
    """Links to the labels PDF of the filtered list in parts of LABELS_PER_PDF (a list of 10,000
    has 42 of them: the query copied and the address reversed once, not once a part)."""
    query = request.GET.copy()
    for name in PAGE_PARAMS:
        query.pop(name, None)
    address = reverse("assets:asset-labels")
    parts = []
    for number, first in enumerate(range(0, count, LABELS_PER_PDF), start=1):
        query["part"] = str(number)
        parts.append(
            {
                "url": f"{address}?{query.urlencode()}",
                "first": first + 1,
                "last": min(first + LABELS_PER_PDF, count),
            }
        )
    return parts


class AssetListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """What the agency holds (disposed ones on request), with totals of the whole filter."""

    permission_required = VIEW
    template_name = "assets/inventory/list.html"

    def get(self, request):
        filterset = _filtered(request)
        listing = asset_listing(request, filterset.qs.only(*Asset.LIST_ROW_FIELDS))
        page = listing.page
        query = request.GET.copy()
        for name in (*PAGE_PARAMS, "part"):
            query.pop(name, None)
        context = {
            "filter": filterset,
            "form": filterset.form,
            **listing_context(listing, _columns()),
            "assets": page.rows,
            # Totals read every row of the list: of a list over the count's cap (core.listing)
            # they would cost a page many times its budget (issue 16), so only up to it.
            "totals": None if page.capped else _totals(selectors.totals(filterset.qs)),
            "totals_capped": page.capped,
            "filtering": filterset.filtering,
            "query": query.urlencode(),
            "label_parts": _label_parts(request, page.count) if page.count > LABELS_PER_PDF else [],
            "labels_per_pdf": LABELS_PER_PDF,
        }
        return render(request, self.template_name, context)


@login_required
@permission_required(VIEW, raise_exception=True)
def asset_export(request):
    """The filtered list as CSV, in the columns the import reads (so it can be read back)."""
    rows = services.assets_export_rows(asset_listing(request, _filtered(request).qs).ordered())
    return _csv_response(rows, f"inventar-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
@permission_required(VIEW, raise_exception=True)
def asset_labels(request):
    """QR labels (A4, 3 × 8) of the filtered list, at most LABELS_PER_PDF at a time: ``part``
    chooses which of them (1: the first 240, 2: the next …)."""
    try:
        part = max(1, int(request.GET.get("part", "1")))
    except ValueError:
        part = 1
    start = (part - 1) * LABELS_PER_PDF
    ordered = asset_listing(request, _filtered(request).qs).ordered()
    chosen = list(ordered[start : start + LABELS_PER_PDF + 1])
    query = request.GET.copy()
    for name in (*PAGE_PARAMS, "part"):
        query.pop(name, None)
    back = f"{reverse('assets:asset-list')}?{query.urlencode()}"
    if not chosen:
        messages.warning(request, _("No assets to print labels of: the list is empty."))
        return redirect(back)
    more = len(chosen) > LABELS_PER_PDF
    chosen = chosen[:LABELS_PER_PDF]
    if more or part > 1:
        messages.warning(
            request,
            _(
                "One PDF holds at most %(max)s labels: the last one made has the labels "
                "%(first)s–%(last)s of the list. The links above the list give the others."
            )
            % {"max": LABELS_PER_PDF, "first": start + 1, "last": start + len(chosen)},
        )
    content = services.labels_pdf(chosen)
    suffix = f"-{part}" if part > 1 else ""
    return _pdf_response(content, f"sildid-{timezone.localdate():%Y-%m-%d}{suffix}.pdf")


# --- Adding and editing -------------------------------------------------------------------------


def _place(form):
    """The place the form chose: a typed "Building, room" (made if new) or one from the list."""
    return services.location_get(form.place_text()) if form.place_text() else form.chosen_place()


class AssetCreateView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    permission_required = ADD
    template_name = "assets/inventory/form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AssetForm()})

    def post(self, request):
        form = AssetForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    asset = services.asset_create(
                        actor=request.user, **form.service_arguments(_place(form))
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(number)s %(name)s was added to the inventory.")
                    % {"number": asset.inventory_number, "name": asset.name},
                )
                return redirect("assets:asset-detail", asset.pk)
        return render(request, self.template_name, {"form": form})


class AssetUpdateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = CHANGE
    template_name = "assets/inventory/form.html"

    def _asset(self, pk: int):
        asset = get_object_or_404(Asset.objects.select_related("location", "responsible"), pk=pk)
        if asset.state == State.DISPOSED:
            messages.error(request=self.request, message=_("A disposed asset is not changed."))
            return asset, redirect("assets:asset-detail", asset.pk)
        return asset, None

    def get(self, request, pk: int):
        asset, refused = self._asset(pk)
        if refused:
            return refused
        form = AssetForm(asset=asset)
        return render(request, self.template_name, {"form": form, "asset": asset})

    def post(self, request, pk: int):
        asset, refused = self._asset(pk)
        if refused:
            return refused
        form = AssetForm(request.POST, asset=asset)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.asset_update(
                        actor=request.user, asset=asset, **form.service_arguments(_place(form))
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The asset's data was saved."))
                return redirect("assets:asset-detail", asset.pk)
        return render(request, self.template_name, {"form": form, "asset": asset})


urlpatterns = [
    path("assets/", AssetListView.as_view(), name="asset-list"),
    path("assets/export.csv", asset_export, name="asset-export"),
    path("assets/labels.pdf", asset_labels, name="asset-labels"),
    path("assets/new/", AssetCreateView.as_view(), name="asset-new"),
    path("assets/<int:pk>/edit/", AssetUpdateView.as_view(), name="asset-edit"),
]
