"""The stocktaking pages: the list with a form to start one, a stocktaking's page with its
counts, its rows and a result for each, the report as PDF and CSV, closing it, and the scan page
a phone opens in the rooms.

Seeing needs ``assets.view_stocktaking``, starting one ``assets.add_stocktaking``, marking,
scanning and closing ``assets.change_stocktaking``: a signed-in user without it gets 403, an
anonymous one the sign-in page. Marks go through ``services.stocktaking_mark`` (marking again
changes the answer), closing through ``services.stocktaking_close``, which updates the assets.
The list and a stocktaking's rows run a fixed number of queries whatever their length.

The scan page is made for a phone held in one hand: one big input that a label's URL or code or
an inventory number is typed, pasted or scanned into (a barcode scanner types and presses
Enter), the asset it names with big result buttons, and back to the empty input with a message.
It works without JavaScript.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import View

from assets import services
from assets.forms.stocktaking import (
    DIFFERENT,
    REPORT_ORDER,
    MarkForm,
    ScanForm,
    StocktakingStartForm,
    asset_for_code,
)
from assets.models import Asset, Location, Stocktaking, StocktakingItem
from assets.selectors import count_of
from core.downloads import csv_cell
from core.forms import add_service_errors
from core.listing import Listing, Order
from core.submissions import SubmitOnceMixin

Result = StocktakingItem.Result
Status = Stocktaking.Status
VIEW, ADD, CHANGE = (
    "assets.view_stocktaking",
    "assets.add_stocktaking",
    "assets.change_stocktaking",
)
ALL, DIFFERENCES = "all", "differences"
ROW_FILTERS = (ALL, Result.UNCHECKED, DIFFERENCES, *Result.values[1:])  # the row filter's links
# What a mark keeps of the page it came from: the rows shown and where the page starts.
ROW_PARAMS = ("result", "after", "before", "last", "from")
PER_PAGE = 25
# The list: the open ones first ("open" > "closed"), newest first (assets_stocktaking_list).
LIST_ORDERS = {"open-first": Order(("-status", "-started_at"))}
# A stocktaking's rows by inventory number (assets_stocktaking_rows / _result).
ROW_ORDERS = {"number": Order(("inventory_number",), jump="text")}


def _name(user) -> str:
    return str(user) if user else ""


def _result_label(value: str) -> str:
    return str(Result(value).label)


def _unchecked_text(count: int) -> str:
    return ngettext(
        "%(count)d asset is not checked yet.", "%(count)d assets are not checked yet.", count
    ) % {"count": count}


# --- The list -----------------------------------------------------------------------------------


class StocktakingListView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """Every stocktaking, the open ones first, with how far each has got; the form to start a
    new one for a room or for the whole agency."""

    permission_required = VIEW
    template_name = "assets/stocktaking/list.html"

    def _render(self, request, form=None):
        items = StocktakingItem.objects.all()
        queryset = Stocktaking.objects.select_related("location", "started_by").annotate(
            total=count_of(items, "stocktaking"),
            unchecked=count_of(items.filter(result=Result.UNCHECKED), "stocktaking"),
            different=count_of(items.filter(result__in=DIFFERENT), "stocktaking"),
        )
        page = Listing(
            request, queryset, orders=LIST_ORDERS, default="open-first", per_page=PER_PAGE
        ).page
        may_start = request.user.has_perm(ADD)
        if form is None and may_start:
            form = StocktakingStartForm(
                initial={"title": _("Stocktaking %(year)d") % {"year": timezone.localdate().year}}
            )
        context = {
            "page": page,
            "stocktakings": page.rows,
            "form": form if may_start else None,
            "may_scan": request.user.has_perm(CHANGE),
        }
        return render(request, self.template_name, context)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if not request.user.has_perm(ADD):
            return self.handle_no_permission()
        form = StocktakingStartForm(request.POST)
        if form.is_valid():
            try:
                stocktaking = services.stocktaking_start(
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    location=form.cleaned_data["location"],
                )
            except ValidationError as error:
                add_service_errors(form, error, default="title")
            else:
                count = stocktaking.items.count()
                messages.success(
                    request,
                    ngettext(
                        "The stocktaking started: %(count)d asset to check.",
                        "The stocktaking started: %(count)d assets to check.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("assets:stocktaking-detail", stocktaking.pk)
        return self._render(request, form)


# --- One stocktaking ----------------------------------------------------------------------------


def _stocktaking_queryset():
    return Stocktaking.objects.select_related("location", "started_by")


def _filter_links(request, summary: dict, current: str) -> list[dict]:
    """The links above the rows with their counts (from the summary: no query)."""
    total = sum(summary.values())
    counts = {
        ALL: total,
        DIFFERENCES: sum(summary[r] for r in DIFFERENT),
        **summary,
    }
    labels = {ALL: _("All"), DIFFERENCES: _("Differences")}
    links = []
    for key in ROW_FILTERS:
        query = request.GET.copy()
        query["result"] = key
        for name in ROW_PARAMS:
            if name != "result":
                query.pop(name, None)
        query.pop("page", None)
        links.append(
            {
                "key": key,
                "label": capfirst(labels.get(key) or _result_label(key)),
                "count": counts[key],
                "url": f"?{query.urlencode()}",
                "current": key == current,
            }
        )
    return links


def _row_filter(request) -> str:
    value = request.GET.get("result") or ALL
    return value if value in ROW_FILTERS else ALL


def _rows(stocktaking: Stocktaking, current: str):
    rows = stocktaking.items.select_related(
        "asset", "expected_location", "found_location", "checked_by"
    )
    if current == DIFFERENCES:
        rows = rows.filter(result__in=DIFFERENT)
    elif current != ALL:
        rows = rows.filter(result=current)
    return rows


def _close_effects(stocktaking: Stocktaking, summary: dict) -> list[str]:
    """What closing changes, in words, for the confirmation."""
    effects = []
    if summary[Result.MISSING]:
        effects.append(
            ngettext(
                "%(count)d asset marked missing becomes missing in the inventory.",
                "%(count)d assets marked missing become missing in the inventory.",
                summary[Result.MISSING],
            )
            % {"count": summary[Result.MISSING]}
        )
    if summary[Result.DAMAGED]:
        effects.append(
            ngettext(
                "%(count)d damaged asset goes to repair.",
                "%(count)d damaged assets go to repair.",
                summary[Result.DAMAGED],
            )
            % {"count": summary[Result.DAMAGED]}
        )
    if summary[Result.WRONG_LOCATION]:
        effects.append(
            ngettext(
                "%(count)d asset found in the wrong place moves to where it was found.",
                "%(count)d assets found in the wrong place move to where they were found.",
                summary[Result.WRONG_LOCATION],
            )
            % {"count": summary[Result.WRONG_LOCATION]}
        )
    back = 0
    if summary[Result.FOUND]:
        back = stocktaking.items.filter(
            result=Result.FOUND, asset__state=Asset.State.MISSING
        ).count()
    if back:
        effects.append(
            ngettext(
                "%(count)d missing asset that was found is in use again.",
                "%(count)d missing assets that were found are in use again.",
                back,
            )
            % {"count": back}
        )
    if summary[Result.UNCHECKED]:
        effects.append(
            ngettext(
                "%(count)d asset not checked stays as it is.",
                "%(count)d assets not checked stay as they are.",
                summary[Result.UNCHECKED],
            )
            % {"count": summary[Result.UNCHECKED]}
        )
    effects.append(_("Nothing can be marked after closing."))
    return effects


def _detail_context(request, stocktaking: Stocktaking, bound: dict | None = None) -> dict:
    summary = services.stocktaking_summary(stocktaking)
    current = _row_filter(request)
    page = Listing(
        request, _rows(stocktaking, current), orders=ROW_ORDERS, default="number", per_page=PER_PAGE
    ).page
    is_open = stocktaking.status == Status.OPEN
    may_change = is_open and request.user.has_perm(CHANGE)
    keep = QueryDict(mutable=True)
    for name in ROW_PARAMS:
        if request.GET.get(name):
            keep[name] = request.GET[name]
    return {
        "stocktaking": stocktaking,
        "summary": summary,
        "summary_rows": [
            {"key": key, "label": capfirst(_result_label(key)), "count": summary[key]}
            for key in REPORT_ORDER
        ],
        "total": sum(summary.values()),
        "links": _filter_links(request, summary, current),
        "current": current,
        "page": page,
        "rows": page.rows,
        "may_change": may_change,
        "is_open": is_open,
        "locations": list(Location.objects.order_by("building", "room")) if may_change else [],
        "mark_query": keep.urlencode(),
        "bound": bound or {},
        "close_effects": _close_effects(stocktaking, summary) if may_change else [],
        "Result": Result,
    }


class StocktakingDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = VIEW
    template_name = "assets/stocktaking/detail.html"

    def get(self, request, pk: int):
        stocktaking = get_object_or_404(_stocktaking_queryset(), pk=pk)
        return render(request, self.template_name, _detail_context(request, stocktaking))


def _changer_post(view):
    """POST only, signed in (else to the sign-in page), may mark (else 403)."""
    return require_POST(login_required(permission_required(CHANGE, raise_exception=True)(view)))


def _mark(request, stocktaking: Stocktaking, form: MarkForm) -> StocktakingItem | None:
    """Mark what the valid form says; None (with the service's messages on the form) if the
    service refused."""
    asset = form.asset_obj
    try:
        return services.stocktaking_mark(
            actor=request.user,
            stocktaking=stocktaking,
            asset=asset,
            result=form.cleaned_data["result"],
            found_location=form.cleaned_data["found_location"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        add_service_errors(form, error, default="result")
        return None


def _bound_mark_form(request, stocktaking: Stocktaking) -> MarkForm:
    """The posted mark, with its asset (``form.asset_obj``) and the place the list expects it."""
    asset = None
    try:
        asset_pk = int(request.POST.get("asset", ""))
    except ValueError:
        asset_pk = None
    if asset_pk:
        asset = Asset.objects.filter(pk=asset_pk).select_related("location").first()
    expected = None
    if asset is not None:
        item = stocktaking.items.filter(asset=asset).only("expected_location_id").first()
        expected = item.expected_location_id if item else asset.location_id
    form = MarkForm(request.POST, expected_location_id=expected)
    form.asset_obj = asset
    if asset is None:
        form.add_error(None, _("The asset was not found."))
    return form


def _marked_text(item: StocktakingItem, unchecked: int) -> str:
    text = _("%(number)s marked %(result)s.") % {
        "number": item.asset.inventory_number,
        "result": item.get_result_display(),
    }
    if item.result == Result.WRONG_LOCATION and item.found_location:
        text = _("%(number)s marked in the wrong place: found at %(place)s.") % {
            "number": item.asset.inventory_number,
            "place": item.found_location,
        }
    return f"{text} {_unchecked_text(unchecked)}"


@_changer_post
def stocktaking_mark(request, pk: int):
    """A result from a row of the stocktaking's page; back to the same rows."""
    stocktaking = get_object_or_404(_stocktaking_queryset(), pk=pk)
    if stocktaking.status != Status.OPEN:
        messages.error(request, _("The stocktaking is closed: nothing can be marked."))
        return redirect("assets:stocktaking-detail", pk)
    form = _bound_mark_form(request, stocktaking)
    item = _mark(request, stocktaking, form) if form.is_valid() else None
    if item is None:
        messages.error(
            request,
            _("Nothing was marked: %(problems)s")
            % {"problems": " ".join(e for errors in form.errors.values() for e in errors)},
        )
        context = _detail_context(
            request, stocktaking, bound={"asset": form.asset_obj, "form": form}
        )
        return render(request, "assets/stocktaking/detail.html", context)
    unchecked = services.stocktaking_summary(stocktaking)[Result.UNCHECKED]
    messages.success(request, _marked_text(item, unchecked))
    url = reverse("assets:stocktaking-detail", args=[pk])
    query = request.GET.copy()
    for name in list(query):
        if name not in ROW_PARAMS:
            del query[name]
    return redirect(
        f"{url}?{query.urlencode()}#row-{item.asset_id}" if query else f"{url}#row-{item.asset_id}"
    )


@_changer_post
def stocktaking_close(request, pk: int):
    stocktaking = get_object_or_404(Stocktaking, pk=pk)
    try:
        services.stocktaking_close(actor=request.user, stocktaking=stocktaking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The stocktaking is closed and the inventory is updated by its results."),
        )
    return redirect("assets:stocktaking-detail", pk)


# --- The report ---------------------------------------------------------------------------------


def _report_rows(stocktaking: Stocktaking) -> list[StocktakingItem]:
    """The rows, what differs from the books first, then what was not checked, then the rest."""
    rank = {value: index for index, value in enumerate(REPORT_ORDER)}
    rows = list(services.stocktaking_report_rows(stocktaking))
    rows.sort(key=lambda row: (rank.get(row.result, 99), row.asset.inventory_number))
    return rows


@login_required
@permission_required(VIEW, raise_exception=True)
def stocktaking_pdf(request, pk: int):
    stocktaking = get_object_or_404(_stocktaking_queryset(), pk=pk)
    response = HttpResponse(services.stocktaking_pdf(stocktaking), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inventuur-{stocktaking.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class _Echo:
    """A file-like object whose write() hands the line back (csv.writer into a stream)."""

    def write(self, value: str) -> str:
        return value


@login_required
@permission_required(VIEW, raise_exception=True)
def stocktaking_csv(request, pk: int):
    """The rows for a spreadsheet (``;``-separated UTF-8 with a BOM), differences first."""
    stocktaking = get_object_or_404(_stocktaking_queryset(), pk=pk)
    rows = _report_rows(stocktaking)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    header = [
        _("Inventory number"),
        _("Name"),
        _("Expected at"),
        _("Result"),
        _("Found at"),
        _("Checked at"),
        _("Checked by"),
        _("Note"),
        _("Responsible person"),
    ]

    def lines():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            checked = timezone.localtime(row.checked_at) if row.checked_at else None
            yield writer.writerow(
                csv_cell(value)
                for value in (
                    row.asset.inventory_number,
                    row.asset.name,
                    row.expected_location or "",
                    row.get_result_display(),
                    row.found_location or "",
                    checked.strftime("%d.%m.%Y %H:%M") if checked else "",
                    _name(row.checked_by),
                    row.note,
                    _name(row.asset.responsible),
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inventuur-{stocktaking.pk}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Scanning with a phone ----------------------------------------------------------------------


def _scan_url(pk: int, code: str = "") -> str:
    url = reverse("assets:stocktaking-scan", args=[pk])
    if code:
        query = QueryDict(mutable=True)
        query["code"] = code
        return f"{url}?{query.urlencode()}"
    return url


def _scan_mark_form(stocktaking: Stocktaking, asset: Asset, item: StocktakingItem | None):
    """The result buttons for a scanned asset. "Here" is the stocktaking's room, or (for the
    whole agency) the place the books expect the asset."""
    expected = item.expected_location_id if item else asset.location_id
    here = stocktaking.location_id or expected
    return MarkForm(
        initial={"asset": asset.pk, "found_location": here},
        expected_location_id=expected,
    )


def _scan_context(request, stocktaking: Stocktaking, *, scan_form, asset=None, mark_form=None):
    item = None
    if asset is not None:
        item = (
            stocktaking.items.filter(asset=asset)
            .select_related("expected_location", "found_location", "checked_by")
            .first()
        )
        if mark_form is None:
            mark_form = _scan_mark_form(stocktaking, asset, item)
    summary = services.stocktaking_summary(stocktaking)
    return {
        "stocktaking": stocktaking,
        "scan_form": scan_form,
        "asset": asset,
        "item": item,
        "expected_location": (item.expected_location if item else asset.location)
        if asset
        else None,
        "mark_form": mark_form,
        "unchecked": summary[Result.UNCHECKED],
        "total": sum(summary.values()),
        "Result": Result,
    }


class StocktakingScanView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """``?code=`` shows the asset the code names; a POST marks it and comes back empty."""

    permission_required = CHANGE
    template_name = "assets/stocktaking/scan.html"

    def _stocktaking(self, pk: int):
        return get_object_or_404(_stocktaking_queryset(), pk=pk)

    def get(self, request, pk: int):
        stocktaking = self._stocktaking(pk)
        if stocktaking.status != Status.OPEN:
            messages.info(request, _("The stocktaking is closed: nothing can be marked."))
            return redirect("assets:stocktaking-detail", pk)
        asset = None
        if "code" in request.GET:
            scan_form = ScanForm(request.GET)
            if scan_form.is_valid():
                asset = asset_for_code(scan_form.cleaned_data["code"])
                if asset is None:
                    scan_form.add_error("code", _("No asset has this label or inventory number."))
                else:
                    scan_form = ScanForm()  # the input is ready for the next label
        else:
            scan_form = ScanForm()
        context = _scan_context(request, stocktaking, scan_form=scan_form, asset=asset)
        return render(request, self.template_name, context)

    def post(self, request, pk: int):
        stocktaking = self._stocktaking(pk)
        if stocktaking.status != Status.OPEN:
            messages.error(request, _("The stocktaking is closed: nothing can be marked."))
            return redirect("assets:stocktaking-detail", pk)
        form = _bound_mark_form(request, stocktaking)
        item = _mark(request, stocktaking, form) if form.is_valid() else None
        if item is None:
            if form.asset_obj is None:
                messages.error(request, _("The asset was not found: scan its label again."))
                return redirect(_scan_url(pk))
            context = _scan_context(
                request, stocktaking, scan_form=ScanForm(), asset=form.asset_obj, mark_form=form
            )
            return render(request, self.template_name, context)
        unchecked = services.stocktaking_summary(stocktaking)[Result.UNCHECKED]
        messages.success(request, _marked_text(item, unchecked))
        return redirect(_scan_url(pk))


@login_required
@permission_required(CHANGE, raise_exception=True)
def stocktaking_scan_any(request):
    """The scan page without a stocktaking: the open one, or a choice when several are open."""
    code = request.GET.get("code", "").strip()
    open_ones = list(
        _stocktaking_queryset().filter(status=Status.OPEN).order_by("-started_at", "-pk")
    )
    chosen = request.GET.get("stocktaking", "")
    for stocktaking in open_ones:
        if str(stocktaking.pk) == chosen:
            return redirect(_scan_url(stocktaking.pk, code))
    if len(open_ones) == 1:
        return redirect(_scan_url(open_ones[0].pk, code))
    choices = [{"stocktaking": s, "url": _scan_url(s.pk, code)} for s in open_ones]
    context = {"choices": choices, "code": code, "may_start": request.user.has_perm(ADD)}
    return render(request, "assets/stocktaking/scan_choose.html", context)


urlpatterns = [
    path("assets/stocktakings/", StocktakingListView.as_view(), name="stocktaking-list"),
    path("assets/stocktakings/scan/", stocktaking_scan_any, name="stocktaking-scan"),
    path(
        "assets/stocktakings/<int:pk>/", StocktakingDetailView.as_view(), name="stocktaking-detail"
    ),
    path("assets/stocktakings/<int:pk>/mark/", stocktaking_mark, name="stocktaking-mark"),
    path(
        "assets/stocktakings/<int:pk>/scan/",
        StocktakingScanView.as_view(),
        name="stocktaking-scan",
    ),
    path("assets/stocktakings/<int:pk>/close/", stocktaking_close, name="stocktaking-close"),
    path("assets/stocktakings/<int:pk>/report.pdf", stocktaking_pdf, name="stocktaking-pdf"),
    path("assets/stocktakings/<int:pk>/report.csv", stocktaking_csv, name="stocktaking-csv"),
]
