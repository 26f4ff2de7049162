"""Marking an asset in an open stocktaking (found, found elsewhere, missing, damaged …) from the
stocktaking's page; the phone's scan page (stocktaking_scan) marks through the same helpers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from assets import services
from assets.forms.stocktaking import (
    MarkForm,
)
from assets.models import Asset, Stocktaking, StocktakingItem
from assets.views.stocktaking import (
    ROW_PARAMS,
    Result,
    Status,
    _changer_post,
    _detail_context,
    _stocktaking_queryset,
    _unchecked_text,
)
from core.forms import add_service_errors


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


urlpatterns = [
    path("assets/stocktakings/<int:pk>/mark/", stocktaking_mark, name="stocktaking-mark"),
]
