"""IT systems and the rights people hold in them (deciding on them: ``rights_decisions``; the
leaver's list: ``holdings``).

Who sees what:
- the list of systems: every signed-in member of staff (to ask for a right); the counts, the
  rights ending soon and the system's page only for the systems they may look after: all of
  them with ``assets.view_accessgrant`` (the asset manager, the head), their own as a main user;
- deciding (approve, refuse, revoke, the review): the system's main user, or whoever holds
  ``assets.change_accessgrant`` (the asset manager); anybody else gets 403;
- asking for a right: every signed-in member for themselves, ``assets.add_accessgrant`` for
  anyone;
- the leaver's list (every right and asset of one person, on screen and as a PDF): each person
  their own; everyone's for those who may see all assets and all rights.

Systems and their roles are kept in the admin site. Anonymous visitors get the sign-in page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from assets import selectors, services
from assets.forms.rights import ApproveForm, GrantRequestForm, ReasonForm
from assets.models import AccessGrant, InformationSystem
from assets.workflows import decides
from core import events
from core.forms import add_service_errors
from core.listing import Listing, Order
from core.models import ACTIVE_FIRST
from core.submissions import SubmitOnceMixin

Status = AccessGrant.Status
DETAIL_TEMPLATE = "assets/rights/detail.html"


# --- Who may do what ----------------------------------------------------------------------------


def may_see_all_systems(user) -> bool:
    return user.has_perm("assets.view_accessgrant")


def may_see_system(user, system: InformationSystem) -> bool:
    return may_see_all_systems(user) or system.main_user_id == user.pk


def may_see_everyones_holdings(user) -> bool:
    return user.has_perms(("assets.view_asset", "assets.view_accessgrant"))


# The lists' orders: systems by name (a unique column); people in use first, then by name (the
# index core_user_active_name; user names are unique).
SYSTEM_ORDERS = {"name": Order(("name",), unique=True)}
PEOPLE_ORDERS = {"name": Order((ACTIVE_FIRST, "last_name", "first_name", "username"), unique=True)}


# --- The systems --------------------------------------------------------------------------------


def _ending_until():
    return selectors.rights_ending_until()


class SystemListView(LoginRequiredMixin, View):
    """Every system with its main user; for the systems the user looks after, the number of
    rights granted, waiting, to review and ending soon, and the rights ending soon across them.
    A fixed number of queries whatever the number of systems and rights."""

    template_name = "assets/rights/list.html"

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        systems = InformationSystem.objects.select_related("main_user").only(
            *InformationSystem.LIST_ROW_FIELDS
        )
        page = Listing(request, systems, orders=SYSTEM_ORDERS, default="name", per_page=25).page
        counts = selectors.system_right_counts(
            [row.pk for row in page.rows], review=services.review_due(), today=today
        )
        see_all = may_see_all_systems(user)
        for row in page.rows:
            row.counts = counts.get(row.pk, selectors.NO_RIGHTS)
            row.visible = see_all or row.main_user_id == user.pk
        ending = (
            selectors.rights_ending(today=today)
            .select_related("person", "role__system")
            .order_by("valid_until", "role__system__name", "pk")
        )
        if not see_all:
            ending = ending.filter(role__system__main_user=user)
        looks_after = see_all or user.main_systems.exists()
        context = {
            "page": page,
            "systems": page.rows,
            "see_all": see_all,
            "looks_after": looks_after,
            "ending": list(ending[:100]) if looks_after else [],
            "notice_days": settings.ASSETS_EXPIRY_NOTICE_DAYS,
            "review_days": settings.ASSETS_REVIEW_DAYS,
        }
        return render(request, self.template_name, context)


def _note(event) -> None:
    """A one-line note of a right's event (on the in-memory copy only)."""
    data = event.data or {}
    parts = [f"{data['person']} — {data['role']}"] if data.get("person") else []
    if data.get("reason"):
        parts.append(data["reason"])
    if parts and not data.get("note"):
        event.data = {**data, "note": ": ".join(parts)}


def _detail_context(request, system: InformationSystem, bound: dict | None = None) -> dict:
    deciding = decides(request.user, system)
    holders = (
        AccessGrant.objects.filter(status=Status.GRANTED)
        .select_related("person", "granted_by")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    roles = list(
        system.roles.order_by("name").prefetch_related(
            Prefetch("grants", queryset=holders, to_attr="holders")
        )
    )
    requests = list(
        AccessGrant.objects.filter(role__system=system, status=Status.REQUESTED)
        .select_related("person", "role", "requested_by")
        .order_by("requested_at", "pk")
    )
    review = list(
        services.grants_to_review(system=system).order_by("reviewed_at", "person__last_name", "pk")
    )
    ended = list(
        AccessGrant.objects.filter(role__system=system, status__in=[Status.REVOKED, Status.REFUSED])
        .select_related("person", "role", "revoked_by")
        .order_by("-revoked", "-pk")[:20]
    )
    if deciding:
        _decision_forms(requests, roles, review, bound or {})
    timeline = list(events.for_object(system)[:50])
    for event in timeline:
        _note(event)
    return {
        "system": system,
        "roles": roles,
        "requests": requests,
        "review": review,
        "ended": ended,
        "deciding": deciding,
        "holder_count": sum(len(role.holders) for role in roles),
        "today": timezone.localdate(),
        "ending_until": _ending_until(),
        "review_days": settings.ASSETS_REVIEW_DAYS,
        "timeline_events": timeline,
        "timeline_id": f"assets-system-{system.pk}",
    }


def _decision_forms(requests, roles, review, bound: dict) -> None:
    """Each request's approve and refuse form, each right's revoke form, and each right due a
    review its own; a form that came back with errors (``bound``, by its prefix) as it was."""

    def form(kind, grant, make):
        key = f"{kind}-{grant.pk}"
        return bound.get(key) or make(prefix=key)

    for grant in requests:
        grant.approve_form = form(
            "approve",
            grant,
            lambda prefix, grant=grant: ApproveForm(
                prefix=prefix, initial={"valid_until": grant.valid_until}
            ),
        )
        grant.refuse_form = form("refuse", grant, ReasonForm)
    for role in roles:
        for grant in role.holders:
            grant.revoke_form = form("revoke", grant, ReasonForm)
    for grant in review:
        grant.revoke_form = form("review", grant, ReasonForm)


def _system(request, pk: int) -> InformationSystem:
    """The system, if the user may see its page (else 403, the same for a missing one)."""
    system = InformationSystem.objects.select_related("main_user").filter(pk=pk).first()
    if system is None:
        if may_see_all_systems(request.user):
            raise Http404
        raise PermissionDenied
    if not may_see_system(request.user, system):
        raise PermissionDenied
    return system


class SystemDetailView(LoginRequiredMixin, View):
    """A system: its roles and who holds them, the requests waiting, the review."""

    def get(self, request, pk: int):
        system = _system(request, pk)
        return render(request, DETAIL_TEMPLATE, _detail_context(request, system))


# --- Asking for a right -------------------------------------------------------------------------


class GrantRequestView(LoginRequiredMixin, SubmitOnceMixin, View):
    """Ask for a role in a system: anyone for themselves, the asset manager for anyone. The main
    user is told by e-mail and decides on the system's page."""

    template_name = "assets/rights/request.html"

    def _form(self, request, system, data=None):
        return GrantRequestForm(
            data, system=system, for_anyone=request.user.has_perm("assets.add_accessgrant")
        )

    def _render(self, request, system, form):
        context = {
            "system": system,
            "form": form,
            "has_roles": form.fields["role"].queryset.exists(),
            "may_see": may_see_system(request.user, system),
        }
        return render(request, self.template_name, context)

    def get(self, request, pk: int):
        system = get_object_or_404(InformationSystem.objects.select_related("main_user"), pk=pk)
        return self._render(request, system, self._form(request, system))

    def post(self, request, pk: int):
        system = get_object_or_404(InformationSystem.objects.select_related("main_user"), pk=pk)
        form = self._form(request, system, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person = data.get("person") or request.user
            try:
                services.grant_request(
                    actor=request.user,
                    person=person,
                    role=data["role"],
                    reason=data["reason"],
                    valid_until=data["valid_until"],
                )
            except ValidationError as error:
                add_service_errors(form, error, default="role")
            else:
                messages.success(
                    request,
                    _("The request was sent to %(name)s, the main user of %(system)s.")
                    % {"name": str(system.main_user), "system": system.name},
                )
                if may_see_system(request.user, system):
                    return redirect(reverse("assets:system-detail", args=[pk]) + "#requests")
                return redirect("assets:holdings", person.pk)
        return self._render(request, system, form)


urlpatterns = [
    path("assets/systems/", SystemListView.as_view(), name="system-list"),
    path("assets/systems/<int:pk>/", SystemDetailView.as_view(), name="system-detail"),
    path("assets/systems/<int:pk>/request/", GrantRequestView.as_view(), name="grant-request"),
]
