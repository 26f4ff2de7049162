"""Deciding on access rights from a system's page: approving or refusing a request, revoking a
right and confirming that it was set up or removed in the system (assets.workflows GRANT)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assets import services
from assets.forms.rights import ApproveForm, ReasonForm
from assets.models import AccessGrant
from assets.views.rights import DETAIL_TEMPLATE, _detail_context, _system
from assets.workflows import decides
from core.forms import add_service_errors


def _grant(request, pk: int, grant_pk: int) -> AccessGrant:
    """The right of this system, if the user decides on the system's rights (else 403)."""
    system = _system(request, pk)
    if not decides(request.user, system):
        raise PermissionDenied
    grant = get_object_or_404(
        AccessGrant.objects.select_related("person", "role__system__main_user"),
        pk=grant_pk,
        role__system=system,
    )
    return grant


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("assets:system-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _decide(request, pk: int, grant_pk: int, *, kind: str, form_class, call, done, anchor):
    """Parse the action's form, call the service, redirect back with a message; with the
    service's messages by the fields when the form was wrong; a stale action (the right is no
    longer in that state) comes back as a message and changes nothing."""
    grant = _grant(request, pk, grant_pk)
    form = form_class(request.POST, prefix=f"{kind}-{grant.pk}")
    if form.is_valid():
        try:
            call(grant, form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_detail_url(pk, anchor))
            add_service_errors(form, error)
        else:
            messages.success(request, done(grant))
            return redirect(_detail_url(pk, anchor))
    messages.error(request, _("Nothing was changed: see the messages below."))
    context = _detail_context(request, grant.role.system, bound={form.prefix: form})
    return render(request, DETAIL_TEMPLATE, context)


def _said(text: str, grant: AccessGrant) -> str:
    return text % {"person": str(grant.person), "role": grant.role.name}


@require_POST
@login_required
def grant_approve(request, pk: int, grant_pk: int):
    return _decide(
        request,
        pk,
        grant_pk,
        kind="approve",
        form_class=ApproveForm,
        call=lambda grant, data: services.grant_approve(
            actor=request.user, grant=grant, valid_until=data["valid_until"]
        ),
        done=lambda grant: _said(_("%(person)s now holds the role %(role)s."), grant),
        anchor="roles",
    )


@require_POST
@login_required
def grant_refuse(request, pk: int, grant_pk: int):
    return _decide(
        request,
        pk,
        grant_pk,
        kind="refuse",
        form_class=ReasonForm,
        call=lambda grant, data: services.grant_refuse(
            actor=request.user, grant=grant, reason=data["reason"]
        ),
        done=lambda grant: _said(_("The request of %(person)s for %(role)s was refused."), grant),
        anchor="requests",
    )


@require_POST
@login_required
def grant_revoke(request, pk: int, grant_pk: int):
    """Revoke a right, from the role's holders or from the review (``where``)."""
    where = "review" if request.POST.get("where") == "review" else "revoke"
    return _decide(
        request,
        pk,
        grant_pk,
        kind=where,
        form_class=ReasonForm,
        call=lambda grant, data: services.grant_revoke(
            actor=request.user, grant=grant, reason=data["reason"]
        ),
        done=lambda grant: _said(_("%(person)s no longer holds the role %(role)s."), grant),
        anchor="review" if where == "review" else "roles",
    )


@require_POST
@login_required
def grant_confirm(request, pk: int, grant_pk: int):
    """The review: the right is still needed."""
    grant = _grant(request, pk, grant_pk)
    try:
        services.grant_confirm(actor=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _said(_("Confirmed: %(person)s still needs the role %(role)s."), grant)
        )
    return redirect(_detail_url(pk, "review"))


urlpatterns = [
    path(
        "assets/systems/<int:pk>/rights/<int:grant_pk>/approve/",
        grant_approve,
        name="grant-approve",
    ),
    path(
        "assets/systems/<int:pk>/rights/<int:grant_pk>/refuse/", grant_refuse, name="grant-refuse"
    ),
    path(
        "assets/systems/<int:pk>/rights/<int:grant_pk>/revoke/", grant_revoke, name="grant-revoke"
    ),
    path(
        "assets/systems/<int:pk>/rights/<int:grant_pk>/confirm/",
        grant_confirm,
        name="grant-confirm",
    ),
]
