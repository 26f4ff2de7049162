"""The stocktaking pages. This module: the list with a form to start one, and a stocktaking's
page with its counts, its rows and a result for each, and closing it; ``stocktaking_marks``:
marking a row; ``stocktaking_report``: the report as PDF and CSV; ``stocktaking_scan``: the scan
page a phone opens in the rooms.

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

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import View

from assets import services
from assets.forms.stocktaking import (
    DIFFERENT,
    REPORT_ORDER,
    StocktakingStartForm,
)
from assets.models import Asset, Location, Stocktaking, StocktakingItem
from assets.selectors import count_of
from core.actions import post_with
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


_changer_post = post_with(CHANGE)  # may mark


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


urlpatterns = [
    path("assets/stocktakings/", StocktakingListView.as_view(), name="stocktaking-list"),
    path(
        "assets/stocktakings/<int:pk>/", StocktakingDetailView.as_view(), name="stocktaking-detail"
    ),
    path("assets/stocktakings/<int:pk>/close/", stocktaking_close, name="stocktaking-close"),
]
