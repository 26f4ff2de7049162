"""The inventory pages: the list with its totals, CSV export and QR labels, an asset's page with
its files, state, holders, stocktakings, disposals and history, adding and editing an asset, the
CSV import, the page a label's QR code opens, and handover acts.

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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import View

from assets import selectors, services
from assets.filters import AssetFilter
from assets.forms.inventory import AssetFileForm, AssetForm, HandoverForm, ImportForm, StateForm
from assets.models import Asset, AssetFile, Category, Disposal, Handover, Stocktaking
from assets.workflows import ASSET, PUT
from core import events
from core.downloads import csv_cell, file_download
from core.forms import add_service_errors
from core.listing import Listing, Order, listing_context
from core.submissions import SubmitOnceMixin, submit_once

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


# --- One asset ----------------------------------------------------------------------------------


def _state_label(value) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return str(value)


def _timeline(asset: Asset) -> list:
    """The asset's events, newest first, each with a one-line ``data.note`` (on the in-memory
    copy only)."""
    timeline = list(events.for_object(asset)[:200])
    methods = dict(Disposal.Method.choices)
    for event in timeline:
        data = event.data or {}
        parts = []
        if "from" in data and "to" in data:
            parts.append(f"{_state_label(data['from'])} → {_state_label(data['to'])}")
        elif data.get("to"):
            parts.append(_("to %(name)s") % {"name": data["to"]})
        if data.get("act"):
            parts.append(_("act %(number)s") % {"number": data["act"]})
        if data.get("fields"):
            names = []
            for name in data["fields"]:
                try:
                    names.append(str(Asset._meta.get_field(name).verbose_name))
                except Exception:  # noqa: BLE001 - a field renamed since: its name as it was
                    names.append(name)
            parts.append(", ".join(names))
        if data.get("file"):
            parts.append(data["file"])
        if data.get("method"):
            parts.append(str(methods.get(data["method"], data["method"])))
        if data.get("reason"):
            parts.append(data["reason"])
        if data.get("note"):
            parts.append(data["note"])
        event.data = {**data, "note": "; ".join(parts)} if parts else data
    return timeline


def _detail_context(request, asset: Asset, file_form=None) -> dict:
    user = request.user
    may_change = user.has_perm(CHANGE) and asset.state != State.DISPOSED
    disposals = list(asset.disposals.select_related("proposed_by", "decided_by"))
    in_progress = any(
        d.status in (Disposal.Status.PROPOSED, Disposal.Status.APPROVED) for d in disposals
    )
    for disposal in disposals:
        disposal.url = _url("assets:disposal-detail", disposal.pk)
    stocktaking_items = list(
        asset.stocktaking_items.select_related(
            "stocktaking", "expected_location", "found_location", "checked_by"
        ).order_by("-stocktaking__started_at")
    )
    for item in stocktaking_items:
        item.url = _url("assets:stocktaking-detail", item.stocktaking_id)
    propose = None
    if user.has_perm("assets.add_disposal") and asset.state != State.DISPOSED and not in_progress:
        propose = _url("assets:disposal-new", query=f"asset={asset.pk}")
    return {
        "asset": asset,
        "files": list(asset.files.all()),
        "handovers": list(
            asset.handovers.select_related("from_person", "to_person", "to_location")
        ),
        "stocktaking_items": stocktaking_items,
        "disposals": disposals,
        "may_change": may_change,
        "file_form": file_form or (AssetFileForm() if may_change else None),
        "states": [state for state, move in PUT.items() if ASSET.allows(asset, move, user)],
        "propose_disposal_url": propose,
        "label_url": reverse("assets:asset-label", args=[asset.label_code]),
        "timeline_events": _timeline(asset),
        "timeline_id": f"assets-asset-{asset.pk}",
    }


def _asset_queryset():
    return Asset.objects.select_related("location", "responsible")


class AssetDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = VIEW
    template_name = "assets/inventory/detail.html"

    def get(self, request, pk: int):
        asset = get_object_or_404(_asset_queryset(), pk=pk)
        return render(request, self.template_name, _detail_context(request, asset))


def _changer_post(view):
    """POST only, signed in (else to the sign-in page), may change assets (else 403)."""
    return require_POST(login_required(permission_required(CHANGE, raise_exception=True)(view)))


@_changer_post
@submit_once
def asset_add_file(request, pk: int):
    asset = get_object_or_404(_asset_queryset(), pk=pk)
    form = AssetFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.asset_add_file(
                actor=request.user, asset=asset, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error, default="file")
        else:
            messages.success(request, _("The file %(name)s was added.") % {"name": stored.name})
            return redirect(reverse("assets:asset-detail", args=[pk]) + "#files")
    messages.error(request, _("Nothing was added: see the message at the file."))
    context = _detail_context(request, asset, file_form=form)
    return render(request, "assets/inventory/detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def asset_file(request, pk: int, file_pk: int):
    """A file of the asset, as a download (only through its own asset)."""
    stored = get_object_or_404(AssetFile, asset_id=pk, pk=file_pk)
    response = file_download(stored.file, filename=stored.name, content_type=stored.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@_changer_post
def asset_set_state(request, pk: int):
    """In use, in storage or in repair (the buttons on the asset's page)."""
    asset = get_object_or_404(Asset, pk=pk)
    form = StateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose in use, in storage or in repair."))
    else:
        try:
            asset = services.asset_set_state(
                actor=request.user, asset=asset, state=form.cleaned_data["state"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The asset is now %(state)s.") % {"state": asset.get_state_display()}
            )
    return redirect("assets:asset-detail", pk)


# --- The page a label opens ---------------------------------------------------------------------


@login_required
def asset_label(request, code: str):
    """What a phone shows after scanning a label: big and short. Everybody signed in sees the
    number, the name and the place; with ``view_asset`` also who holds it and its state, and
    the open stocktakings to mark it in."""
    asset = get_object_or_404(_asset_queryset(), label_code=code)
    full = request.user.has_perm(VIEW)
    stocktakings = []
    if request.user.has_perm("assets.change_stocktaking"):
        marked = {
            item.stocktaking_id: item
            for item in asset.stocktaking_items.filter(stocktaking__status=Stocktaking.Status.OPEN)
        }
        for stocktaking in Stocktaking.objects.filter(status=Stocktaking.Status.OPEN):
            url = _url("assets:stocktaking-scan", stocktaking.pk, query=f"code={code}") or _url(
                "assets:stocktaking-scan", query=f"code={code}&stocktaking={stocktaking.pk}"
            )
            if url:
                stocktakings.append(
                    {"stocktaking": stocktaking, "url": url, "item": marked.get(stocktaking.pk)}
                )
    context = {"asset": asset, "full": full, "stocktakings": stocktakings}
    return render(request, "assets/inventory/label.html", context)


# --- CSV import ---------------------------------------------------------------------------------


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


# --- Handovers ----------------------------------------------------------------------------------


class HandoverCreateView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """Hand the asset to a person and/or a room; the act waits for the person's confirmation."""

    permission_required = CHANGE
    template_name = "assets/inventory/handover_form.html"

    def _asset(self, pk: int):
        return get_object_or_404(_asset_queryset(), pk=pk)

    def _refused(self, asset):
        messages.error(self.request, _("A disposed asset cannot be handed over."))
        return redirect("assets:asset-detail", asset.pk)

    def get(self, request, pk: int):
        asset = self._asset(pk)
        if asset.state == State.DISPOSED:
            return self._refused(asset)
        return render(request, self.template_name, {"form": HandoverForm(), "asset": asset})

    def post(self, request, pk: int):
        asset = self._asset(pk)
        if asset.state == State.DISPOSED:
            return self._refused(asset)
        form = HandoverForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    handover = services.handover_create(
                        actor=request.user,
                        asset=asset,
                        to_person=data["to_person"],
                        to_location=_place(form),
                        note=data["note"],
                    )
            except ValidationError as error:
                add_service_errors(form, error, default="to_person")
            else:
                if handover.to_person_id:
                    text = _(
                        "The act %(number)s was made. %(name)s confirms the receipt on its page."
                    ) % {"number": handover.number, "name": _name(handover.to_person)}
                else:
                    text = _("The act %(number)s was made.") % {"number": handover.number}
                messages.success(request, text)
                return redirect("assets:handover-detail", handover.pk)
        return render(request, self.template_name, {"form": form, "asset": asset})


def _handover(request, pk: int) -> Handover:
    """The act, for those who see the inventory and for its receiver (others: 403)."""
    handover = get_object_or_404(
        Handover.objects.select_related(
            "asset__location", "from_person", "to_person", "to_location", "created_by"
        ),
        pk=pk,
    )
    if not (request.user.has_perm(VIEW) or handover.to_person_id == request.user.pk):
        raise PermissionDenied
    return handover


@login_required
def handover_detail(request, pk: int):
    handover = _handover(request, pk)
    context = {
        "handover": handover,
        "asset": handover.asset,
        "may_confirm": handover.to_person_id == request.user.pk and not handover.confirmed_at,
        "may_see_asset": request.user.has_perm(VIEW),
    }
    return render(request, "assets/inventory/handover.html", context)


@require_POST
@login_required
def handover_confirm(request, pk: int):
    """The receiver confirms they got it."""
    handover = _handover(request, pk)
    try:
        services.handover_confirm(actor=request.user, handover=handover)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the receipt is confirmed."))
    return redirect("assets:handover-detail", pk)


@login_required
def handover_pdf(request, pk: int):
    handover = _handover(request, pk)
    return _pdf_response(services.handover_pdf(handover), f"{handover.number}.pdf")


urlpatterns = [
    path("assets/", AssetListView.as_view(), name="asset-list"),
    path("assets/export.csv", asset_export, name="asset-export"),
    path("assets/labels.pdf", asset_labels, name="asset-labels"),
    path("assets/new/", AssetCreateView.as_view(), name="asset-new"),
    path("assets/import/", AssetImportView.as_view(), name="asset-import"),
    path("assets/import/template.csv", asset_import_template, name="asset-import-template"),
    path("assets/<int:pk>/", AssetDetailView.as_view(), name="asset-detail"),
    path("assets/<int:pk>/edit/", AssetUpdateView.as_view(), name="asset-edit"),
    path("assets/<int:pk>/state/", asset_set_state, name="asset-state"),
    path("assets/<int:pk>/files/", asset_add_file, name="asset-file-add"),
    path("assets/<int:pk>/files/<int:file_pk>/", asset_file, name="asset-file"),
    path("assets/<int:pk>/handover/", HandoverCreateView.as_view(), name="handover-new"),
    path("assets/l/<str:code>/", asset_label, name="asset-label"),
    path("assets/handovers/<int:pk>/", handover_detail, name="handover-detail"),
    path("assets/handovers/<int:pk>/confirm/", handover_confirm, name="handover-confirm"),
    path("assets/handovers/<int:pk>/act.pdf", handover_pdf, name="handover-pdf"),
]
