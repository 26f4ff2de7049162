"""Stocktaking with a phone: scanning an asset's QR label opens the asset in the open stocktaking
of its room, marks it found (or found elsewhere) in one step, and goes back to the camera; a
label scanned outside a stocktaking finds the one that is open."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from assets import services
from assets.forms.stocktaking import (
    MarkForm,
    ScanForm,
    asset_for_code,
)
from assets.models import Asset, Stocktaking, StocktakingItem
from assets.views.stocktaking import (
    ADD,
    CHANGE,
    Result,
    Status,
    _stocktaking_queryset,
)
from assets.views.stocktaking_marks import _bound_mark_form, _mark, _marked_text


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
    path("assets/stocktakings/scan/", stocktaking_scan_any, name="stocktaking-scan"),
    path(
        "assets/stocktakings/<int:pk>/scan/",
        StocktakingScanView.as_view(),
        name="stocktaking-scan",
    ),
]
