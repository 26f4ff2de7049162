"""The disposal pages: the list (what waits for the head first), a proposal for an asset, and a
disposal's page where the head approves or refuses it and the asset manager then makes the act,
which is registered as a public document.

Seeing needs ``assets.view_disposal``, proposing ``assets.add_disposal``, deciding
``assets.approve_disposal`` (the head; the one who proposed it cannot approve it), making the
act ``assets.change_disposal``: a signed-in user without it gets 403, an anonymous one the
sign-in page. Every write goes through assets.services; the list runs a fixed number of queries
whatever its length.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import View

from assets import services
from assets.forms.disposal import (
    RECIPIENT_LABELS,
    DisposalCompleteForm,
    DisposalProposeForm,
    RefuseForm,
)
from assets.models import DISPOSAL_URGENCY, Asset, Disposal
from assets.workflows import DISPOSAL
from core import events
from core.actions import nothing_changed, post_with
from core.downloads import file_download
from core.forms import add_service_errors
from core.listing import Listing, Order
from core.submissions import SubmitOnceMixin

Status = Disposal.Status
VIEW, ADD, CHANGE, APPROVE = (
    "assets.view_disposal",
    "assets.add_disposal",
    "assets.change_disposal",
    "assets.approve_disposal",
)
ALL = "all"
DETAIL_TEMPLATE = "assets/disposal/detail.html"
DISPOSAL_VERBS = ("disposal_proposed", "disposal_approved", "disposal_refused", "disposed")


# --- The list -----------------------------------------------------------------------------------


def _status_links(request, current: str) -> list[dict]:
    """The status links above the list with their counts (one query)."""
    counts = Disposal.objects.aggregate(
        **{ALL: Count("pk")},
        **{value: Count("pk", filter=Q(status=value)) for value in Status.values},
    )
    links = []
    for key, label in (*Status.choices, (ALL, _("All"))):
        query = request.GET.copy()
        query["status"] = key
        for name in ("page", "after", "before", "last"):
            query.pop(name, None)
        links.append(
            {
                "key": key,
                "label": capfirst(label),
                "count": counts[key],
                "url": f"?{query.urlencode()}",
                "current": key == current,
            }
        )
    return links


# What waits for the head's decision first, then what waits for its act, newest first (index
# assets_disposal_urgency); with a status chosen, newest first (assets_disposal_status).
ALL_ORDERS = {"urgent": Order((DISPOSAL_URGENCY.desc(), "-proposed_at"))}
STATUS_ORDERS = {"urgent": Order(("-proposed_at",))}


class DisposalListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Every disposal, what waits for the head's decision first, then what waits for its act."""

    permission_required = VIEW
    template_name = "assets/disposal/list.html"

    def get(self, request):
        current = request.GET.get("status") or ALL
        if current not in (*Status.values, ALL):
            current = ALL
        queryset = Disposal.objects.select_related("asset", "proposed_by", "decided_by")
        if current == ALL:
            orders = ALL_ORDERS
        else:  # one status: its urgency is the same for every row, the date alone orders them
            queryset = queryset.filter(status=current)
            orders = STATUS_ORDERS
        page = Listing(request, queryset, orders=orders, default="urgent", per_page=25).page
        context = {
            "page": page,
            "disposals": page.rows,
            "status_links": _status_links(request, current),
            "current": current,
        }
        return render(request, self.template_name, context)


# --- A proposal ---------------------------------------------------------------------------------


class DisposalCreateView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """``?asset=<pk>`` proposes that asset (from its page); without it, the inventory number is
    typed. The heads are e-mailed."""

    permission_required = ADD
    template_name = "assets/disposal/form.html"

    def _asset(self, request) -> Asset | None:
        value = request.GET.get("asset", "")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        return get_object_or_404(Asset.objects.select_related("location", "responsible"), pk=value)

    def _render(self, request, form, asset):
        in_progress = None
        if asset is not None:
            in_progress = asset.disposals.filter(
                status__in=[Status.PROPOSED, Status.APPROVED]
            ).first()
        context = {"form": form, "asset": asset, "in_progress": in_progress}
        return render(request, self.template_name, context)

    def get(self, request):
        asset = self._asset(request)
        return self._render(request, DisposalProposeForm(asset=asset), asset)

    def post(self, request):
        asset = self._asset(request)
        form = DisposalProposeForm(request.POST, asset=asset)
        if form.is_valid():
            data = form.cleaned_data
            try:
                disposal = services.disposal_propose(
                    actor=request.user,
                    asset=asset or data["asset"],
                    method=data["method"],
                    reason=data["reason"],
                    residual_value=data["residual_value"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The disposal of %(number)s is proposed and waits for the head's approval.")
                    % {"number": disposal.asset.inventory_number},
                )
                return redirect("assets:disposal-detail", disposal.pk)
        return self._render(request, form, asset)


# --- One disposal -------------------------------------------------------------------------------


def _disposal_queryset():
    return Disposal.objects.select_related(
        "asset",
        "asset__location",
        "asset__responsible",
        "proposed_by",
        "decided_by",
        "document",
    )


def _timeline(disposal: Disposal) -> list:
    """What happened to this disposal: the asset's disposal events since it was proposed."""
    return list(
        events.for_object(disposal.asset).filter(
            verb__in=DISPOSAL_VERBS, created__gte=disposal.proposed_at
        )[:50]
    )


def _detail_context(request, disposal: Disposal, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    is_proposer = disposal.proposed_by_id == user.pk
    moves = DISPOSAL.available(disposal, user)  # assets.workflows: four eyes
    may_decide = moves["refuse"]
    may_complete = moves["complete"]
    document_url = None
    if disposal.document_id and user.has_perm("registry.view_document"):
        document_url = reverse("registry:document-detail", args=[disposal.document_id])
    return {
        "disposal": disposal,
        "asset": disposal.asset,
        "may_decide": moves["approve"],
        "is_proposer": is_proposer,
        "decider_is_proposer": may_decide and is_proposer,
        "refuse_form": bound.get("refuse") or (RefuseForm() if may_decide else None),
        "complete_form": bound.get("complete")
        or (DisposalCompleteForm(disposal=disposal) if may_complete else None),
        "document_url": document_url,
        "recipient_label": RECIPIENT_LABELS.get(disposal.method, ""),
        "timeline_events": _timeline(disposal),
        "timeline_id": f"assets-disposal-{disposal.pk}",
    }


def _render_detail(request, pk: int, bound: dict | None = None):
    disposal = get_object_or_404(_disposal_queryset(), pk=pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, disposal, bound))


class DisposalDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = VIEW

    def get(self, request, pk: int):
        return _render_detail(request, pk)


def _failed(request, pk: int, action: str, form):
    nothing_changed(request, form)
    return _render_detail(request, pk, bound={action: form})


@post_with(APPROVE)
def disposal_approve(request, pk: int):
    disposal = get_object_or_404(Disposal, pk=pk)
    try:
        services.disposal_approve(actor=request.user, disposal=disposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The disposal is approved: the asset manager can now make the act.")
        )
    return redirect("assets:disposal-detail", pk)


@post_with(APPROVE)
def disposal_refuse(request, pk: int):
    disposal = get_object_or_404(Disposal, pk=pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.disposal_refuse(
                actor=request.user, disposal=disposal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error, field_map={"refusal_reason": "reason"})
        else:
            messages.success(request, _("The disposal is refused; the asset stays as it is."))
            return redirect("assets:disposal-detail", pk)
    return _failed(request, pk, "refuse", form)


@post_with(CHANGE)
def disposal_complete(request, pk: int):
    disposal = get_object_or_404(Disposal, pk=pk)
    form = DisposalCompleteForm(request.POST, disposal=disposal)
    if form.is_valid():
        try:
            disposal = services.disposal_complete(
                actor=request.user, disposal=disposal, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if disposal.document:
                text = _("The act is made and registered as %(number)s; the asset is disposed.") % {
                    "number": disposal.document.number
                }
            else:
                text = _("The act is made and the asset is disposed.")
            messages.success(request, text)
            return redirect("assets:disposal-detail", pk)
    return _failed(request, pk, "complete", form)


@login_required
@permission_required(VIEW, raise_exception=True)
def disposal_act(request, pk: int):
    """The act's PDF, as a download."""
    disposal = get_object_or_404(Disposal.objects.select_related("asset"), pk=pk)
    if not disposal.act_pdf:
        raise Http404
    response = file_download(
        disposal.act_pdf,
        filename=f"akt-{disposal.asset.inventory_number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("assets/disposals/", DisposalListView.as_view(), name="disposal-list"),
    path("assets/disposals/new/", DisposalCreateView.as_view(), name="disposal-new"),
    path("assets/disposals/<int:pk>/", DisposalDetailView.as_view(), name="disposal-detail"),
    path("assets/disposals/<int:pk>/approve/", disposal_approve, name="disposal-approve"),
    path("assets/disposals/<int:pk>/refuse/", disposal_refuse, name="disposal-refuse"),
    path("assets/disposals/<int:pk>/complete/", disposal_complete, name="disposal-complete"),
    path("assets/disposals/<int:pk>/act.pdf", disposal_act, name="disposal-act"),
]
