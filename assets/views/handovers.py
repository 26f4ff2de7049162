"""Handing an asset over to a person: the form, the act's page, the receiver's confirmation, and
the act as PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import View

from assets import services
from assets.forms.inventory import HandoverForm
from assets.models import Handover
from assets.views.asset import _asset_queryset
from assets.views.inventory import CHANGE, VIEW, State, _name, _pdf_response, _place
from core.forms import add_service_errors
from core.submissions import SubmitOnceMixin


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
    path("assets/<int:pk>/handover/", HandoverCreateView.as_view(), name="handover-new"),
    path("assets/handovers/<int:pk>/", handover_detail, name="handover-detail"),
    path("assets/handovers/<int:pk>/confirm/", handover_confirm, name="handover-confirm"),
    path("assets/handovers/<int:pk>/act.pdf", handover_pdf, name="handover-pdf"),
]
