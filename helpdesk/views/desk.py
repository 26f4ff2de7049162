"""The front desk's pages: the phone calls (a quick form on top, today's calls, the list) and the
visitors (the arrival form, who is in the building now, the log, the badge PDF).

Seeing the calls needs ``helpdesk.view_call``, logging one ``add_call``, making a ticket of a
call ``add_ticket`` as well; seeing the visitors ``helpdesk.view_visit``, registering an arrival
``add_visit``, marking a departure ``change_visit``. A signed-in user without the permission gets
403, an anonymous one the sign-in page. Each write is one service call; its refusals are shown
next to the fields. The lists run a fixed number of queries whatever their length.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import View

from core.forms import add_service_errors
from core.listing import Listing
from core.redirects import same_site_url
from core.submissions import SubmitOnceMixin, submit_once
from helpdesk import services
from helpdesk.filters import CALL_ORDERS, VISIT_ORDERS
from helpdesk.forms.desk import (
    CallFilter,
    CallForm,
    CallTicketForm,
    VisitFilter,
    VisitForm,
    day_start,
)
from helpdesk.models import Call, Visit

VIEW_CALL = "helpdesk.view_call"
ADD_CALL = "helpdesk.add_call"
ADD_TICKET = "helpdesk.add_ticket"
VIEW_TICKET = "helpdesk.view_ticket"
VIEW_VISIT = "helpdesk.view_visit"
ADD_VISIT = "helpdesk.add_visit"
CHANGE_VISIT = "helpdesk.change_visit"

TODAY_LIMIT = 100  # today's calls shown above the list (the list has them all)
PER_PAGE = 25
# What the ticket service calls the fields the call form has under other names.
TICKET_FIELDS = {"subject": "topic", "body": "notes", "requester_phone": "phone"}


def _back(request, default: str) -> str:
    return same_site_url(request, request.POST.get("next")) or default


# --- Phone calls --------------------------------------------------------------------------------


class CallListView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """The quick form of a call on top; below it today's calls and every call, newest first,
    with a search and filters (day, outcome, who took it, category), 25 a page."""

    permission_required = VIEW_CALL
    template_name = "helpdesk/desk/call_list.html"

    def get(self, request):
        form = CallForm() if request.user.has_perm(ADD_CALL) else None
        return self.render_page(request, form)

    def post(self, request):
        if not request.user.has_perm(ADD_CALL):
            raise PermissionDenied
        may_ticket = request.user.has_perm(ADD_TICKET)
        form = CallForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["requester_email"] if may_ticket else ""
            make_ticket = may_ticket and ("make_ticket" in request.POST or bool(email))
            try:
                with transaction.atomic():  # a refused ticket saves no call either
                    call = services.call_log(actor=request.user, **form.call_values())
                    ticket = None
                    if make_ticket:
                        ticket = services.call_to_ticket(
                            actor=request.user, call=call, requester_email=email
                        )
            except ValidationError as error:
                add_service_errors(form, error, field_map=TICKET_FIELDS)
            else:
                if ticket is not None:
                    messages.success(
                        request,
                        _("The call of %(caller)s was saved as the ticket %(reference)s.")
                        % {"caller": call.caller, "reference": ticket.reference},
                    )
                    return redirect(reverse("helpdesk:ticket-detail", args=[ticket.pk]))
                messages.success(
                    request, _("The call of %(caller)s was saved.") % {"caller": call.caller}
                )
                return redirect("helpdesk:call-list")
        form.focus_first_error()
        messages.error(request, _("Nothing was saved: see the messages below."))
        return self.render_page(request, form)

    def render_page(self, request, form):
        queryset = Call.objects.select_related("taken_by", "ticket").only(*Call.LIST_ROW_FIELDS)
        filterset = CallFilter(request.GET or None, queryset=queryset, request=request)
        listing = Listing(
            request, filterset.qs, orders=CALL_ORDERS, default="-at", per_page=PER_PAGE
        )
        page = listing.page
        today = timezone.localdate()
        today_calls = list(
            queryset.filter(
                at__gte=day_start(today), at__lt=day_start(today + timedelta(days=1))
            ).order_by("-at", "-id")[: TODAY_LIMIT + 1]
        )
        context = {
            "form": form,
            "filter": filterset,
            "filter_form": filterset.form,
            "page": page,
            "calls": page.rows,
            "today_calls": today_calls[:TODAY_LIMIT],
            "today_more": len(today_calls) > TODAY_LIMIT,
            "today": today,
            "filtering": any(request.GET.get(name) for name in filterset.filters),
            "may_ticket": request.user.has_perm(ADD_TICKET),
            "may_view_tickets": request.user.has_perm(VIEW_TICKET),
            "next": request.get_full_path(),
        }
        return render(request, self.template_name, context)


@require_POST
@login_required
@permission_required((VIEW_CALL, ADD_TICKET), raise_exception=True)
@submit_once
def call_ticket(request, pk: int):
    """Make a ticket of a call logged earlier (a row's button) and open the ticket."""
    call = get_object_or_404(Call.objects.select_related("ticket"), pk=pk)
    if call.ticket_id:
        messages.info(
            request,
            _("The call already has the ticket %(reference)s.")
            % {"reference": call.ticket.reference},
        )
        return redirect(reverse("helpdesk:ticket-detail", args=[call.ticket_id]))
    form = CallTicketForm(request.POST, prefix=f"call-{call.pk}")
    if form.is_valid():
        try:
            ticket = services.call_to_ticket(
                actor=request.user, call=call, requester_email=form.cleaned_data["requester_email"]
            )
        except ValidationError as error:
            problems = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("The ticket %(reference)s was made of the call of %(caller)s.")
                % {"reference": ticket.reference, "caller": call.caller},
            )
            return redirect(reverse("helpdesk:ticket-detail", args=[ticket.pk]))
    else:
        problems = " ".join(form.errors.get("requester_email", []))
    messages.error(request, _("No ticket was made: %(problems)s") % {"problems": problems})
    return redirect(_back(request, reverse("helpdesk:call-list")))


# --- Visitors -----------------------------------------------------------------------------------


def retention_days() -> int:
    return getattr(settings, "HELPDESK_VISIT_RETENTION_DAYS", 365)


class VisitListView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """The arrival form, who is in the building now (each with a "Left" button and the badge),
    and the log of the visits that have ended, with a search and days, 25 a page."""

    permission_required = VIEW_VISIT
    template_name = "helpdesk/desk/visit_list.html"

    def get(self, request):
        form = VisitForm() if request.user.has_perm(ADD_VISIT) else None
        return self.render_page(request, form)

    def post(self, request):
        if not request.user.has_perm(ADD_VISIT):
            raise PermissionDenied
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                visit = services.visit_arrive(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    format_html(
                        '{} <a class="alert-link" href="{}">{}</a>',
                        _("%(name)s has arrived: badge no. %(number)d.")
                        % {"name": visit.name, "number": visit.badge_number},
                        reverse("helpdesk:visit-badge", args=[visit.pk]),
                        _("Print the badge (PDF)"),
                    ),
                )
                return redirect("helpdesk:visit-list")
        form.focus_first_error()
        messages.error(request, _("Nothing was saved: see the messages below."))
        return self.render_page(request, form)

    def render_page(self, request, form):
        in_building = list(
            Visit.objects.in_building()
            .select_related("host")
            .only(*Visit.LIST_ROW_FIELDS)
            .order_by("arrived_at", "id")
        )
        log = (
            Visit.objects.filter(departed_at__isnull=False)
            .select_related("host")
            .only(*Visit.LIST_ROW_FIELDS)
        )
        filterset = VisitFilter(request.GET or None, queryset=log, request=request)
        listing = Listing(
            request, filterset.qs, orders=VISIT_ORDERS, default="-arrived", per_page=PER_PAGE
        )
        page = listing.page
        context = {
            "form": form,
            "in_building": in_building,
            "filter": filterset,
            "filter_form": filterset.form,
            "page": page,
            "visits": page.rows,
            "filtering": any(request.GET.get(name) for name in filterset.filters),
            "retention_days": retention_days(),
            "today": timezone.localdate(),
            "may_leave": request.user.has_perm(CHANGE_VISIT),
        }
        return render(request, self.template_name, context)


@require_POST
@login_required
@permission_required((VIEW_VISIT, CHANGE_VISIT), raise_exception=True)
def visit_leave(request, pk: int):
    visit = get_object_or_404(Visit, pk=pk)
    try:
        services.visit_depart(actor=request.user, visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s has left.") % {"name": visit.name})
    return redirect("helpdesk:visit-list")


@login_required
@permission_required(VIEW_VISIT, raise_exception=True)
def visit_badge(request, pk: int):
    """The visitor's badge, a card-size PDF, shown in the browser to print."""
    visit = get_object_or_404(Visit.objects.select_related("host"), pk=pk)
    content = services.visit_badge_pdf(visit)
    day = timezone.localtime(visit.arrived_at)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"badge-{day:%Y%m%d}-{visit.badge_number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("support/calls/", CallListView.as_view(), name="call-list"),
    path("support/calls/<int:pk>/ticket/", call_ticket, name="call-ticket"),
    path("support/visits/", VisitListView.as_view(), name="visit-list"),
    path("support/visits/<int:pk>/leave/", visit_leave, name="visit-leave"),
    path("support/visits/<int:pk>/badge.pdf", visit_badge, name="visit-badge"),
]
