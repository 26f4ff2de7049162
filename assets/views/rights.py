"""IT systems and the rights people hold in them, and the leaver's list.

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
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import View

from assets import selectors, services
from assets.forms.rights import ApproveForm, GrantRequestForm, ReasonForm
from assets.models import AccessGrant, Asset, InformationSystem
from assets.selectors import count_of
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
    bound = bound or {}
    deciding = decides(request.user, system)

    def form(kind, grant, make):
        key = f"{kind}-{grant.pk}"
        return bound.get(key) or make(prefix=key)

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


# --- Deciding on rights -------------------------------------------------------------------------


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


# --- The leaver's list --------------------------------------------------------------------------


class PeopleView(LoginRequiredMixin, View):
    """Choose a person to see what they hold; a search by name, user name or e-mail. Without
    the right to see everyone's, straight to one's own list."""

    template_name = "assets/rights/people.html"

    def get(self, request):
        if not may_see_everyones_holdings(request.user):
            return redirect("assets:holdings", request.user.pk)
        query = request.GET.get("q", "").strip()[:100]
        holding = request.GET.get("holding") == "1"
        people = get_user_model().objects.annotate(
            asset_count=count_of(Asset.objects.active(), "responsible"),
            grant_count=count_of(
                AccessGrant.objects.filter(status__in=[Status.REQUESTED, Status.GRANTED]),
                "person",
            ),
        )
        if query:
            for word in query.split():
                people = people.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(username__icontains=word)
                    | Q(email__icontains=word)
                )
        if holding:
            people = people.filter(Q(asset_count__gt=0) | Q(grant_count__gt=0))
        page = Listing(request, people, orders=PEOPLE_ORDERS, default="name", per_page=25).page
        context = {
            "page": page,
            "people": page.rows,
            "query": query,
            "holding": holding,
            "filtering": bool(query or holding),
        }
        return render(request, self.template_name, context)


def _person(request, pk: int):
    """The person whose list is asked for: oneself, or anyone for those who may (else 403)."""
    if request.user.pk != pk and not may_see_everyones_holdings(request.user):
        raise PermissionDenied
    return get_object_or_404(get_user_model(), pk=pk)


class HoldingsView(LoginRequiredMixin, View):
    """Every right (granted or asked for) and every asset of one person: what to take back
    and close when they leave."""

    template_name = "assets/rights/holdings.html"

    def get(self, request, pk: int):
        person = _person(request, pk)
        context = {
            **services.holdings_of(person),
            "own": person.pk == request.user.pk,
            "see_all_systems": may_see_all_systems(request.user),
            "manager": may_see_everyones_holdings(request.user),
        }
        return render(request, self.template_name, context)


@login_required
def holdings_pdf(request, pk: int):
    """The leaver's list on one page with signature lines, as a download."""
    person = _person(request, pk)
    content = services.holdings_pdf(person)
    filename = f"holdings-{slugify(person.username) or person.pk}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("assets/systems/", SystemListView.as_view(), name="system-list"),
    path("assets/systems/<int:pk>/", SystemDetailView.as_view(), name="system-detail"),
    path("assets/systems/<int:pk>/request/", GrantRequestView.as_view(), name="grant-request"),
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
    path("assets/people/", PeopleView.as_view(), name="people"),
    path("assets/people/<int:pk>/", HoldingsView.as_view(), name="holdings"),
    path("assets/people/<int:pk>/holdings.pdf", holdings_pdf, name="holdings-pdf"),
]
