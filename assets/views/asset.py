"""One asset's page: its data, files and history, changing its state through the workflow
(assets.workflows ASSET), and the page its label's QR code opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from assets import services
from assets.forms.inventory import AssetFileForm, StateForm
from assets.models import Asset, AssetFile, Disposal, Stocktaking
from assets.views.inventory import CHANGE, VIEW, State, _url
from assets.workflows import ASSET, PUT
from core import events
from core.actions import post_with
from core.downloads import file_download
from core.forms import add_service_errors
from core.submissions import submit_once


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


_changer_post = post_with(CHANGE)  # may change assets


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


urlpatterns = [
    path("assets/<int:pk>/", AssetDetailView.as_view(), name="asset-detail"),
    path("assets/<int:pk>/state/", asset_set_state, name="asset-state"),
    path("assets/<int:pk>/files/", asset_add_file, name="asset-file-add"),
    path("assets/<int:pk>/files/<int:file_pk>/", asset_file, name="asset-file"),
    path("assets/l/<str:code>/", asset_label, name="asset-label"),
]
