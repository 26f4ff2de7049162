"""The post: the day's dispatch list that the clerk prints and takes to the post office, its PDF,
address labels and envelopes, the lists of earlier days, and the registered letters still
waiting for their delivery notice.

Seeing needs ``correspondence.view_dispatchlist``; taking a list to the post office
``change_dispatchlist``; recording a tracking code, a delivery notice or a returned letter
``send_letter``. An anonymous visitor gets the sign-in page, a user without the permission 403.
Each action is a small form posting to a POST-only view that calls one service and comes back
to the page it was sent from (with the service's messages next to the fields when refused).
Looking at a day never creates its list: a list is made when a letter is sent
(``services.letter_send`` → ``services.dispatch_list_for``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import View

from core import calendar
from core.actions import viewing
from core.forms import add_service_errors
from core.listing import Listing, Order
from core.submissions import submit_once
from correspondence import services
from correspondence.forms.post import DeliveryForm, ReturnForm, TrackingForm
from correspondence.models import POSTAL_CHANNELS, Channel, Dispatch, DispatchList
from correspondence.selectors import current_day
from correspondence.views.templates import pdf_response

VIEW = "correspondence.view_dispatchlist"
KEEP = "correspondence.change_dispatchlist"
SEND = "correspondence.send_letter"
#: How long a registered letter is looked for in "waiting for a delivery notice".
WAITING_DAYS = 60
LAYOUTS = ("labels", "c5", "dl")


def _parse_day(value: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise Http404(_("No such day."))
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise Http404(_("No such day.")) from error


def _previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _day_url(day: date | None) -> str:
    if day is None:
        return reverse("correspondence:dispatch-today")
    return reverse("correspondence:dispatch-day", args=[day.isoformat()])


# The oldest first; sent_at may be NULL on other rows but never on these (sent_at__gte), so it
# is ordered as an expression (index corr_dispatch_waiting, partial on these rows).
WAITING_ORDERS = {"sent": Order((F("sent_at"),))}
# Newest day first: the day is unique.
LIST_ORDERS = {"-day": Order(("-day",), unique=True, jump="date")}


def _waiting(request):
    """Registered letters sent in the last WAITING_DAYS days without a delivery notice (nor
    returned), the oldest first; a page of them."""
    since = timezone.now() - timedelta(days=WAITING_DAYS)
    queryset = Dispatch.objects.filter(
        channel=Channel.REGISTERED,
        status=Dispatch.Status.SENT,
        delivered_on__isnull=True,
        sent_at__gte=since,
    ).select_related("letter", "dispatch_list")
    listing = Listing(
        request, queryset, orders=WAITING_ORDERS, default="sent", per_page=25, prefix="waiting_"
    )
    return listing.page


def _form(bound: dict, kind: str, dispatch: Dispatch, form_class, **kwargs):
    """The bound form of this row if it came back with messages, else a fresh one."""
    form = bound.pop((kind, dispatch.pk), None)
    return form if form is not None else form_class.for_dispatch(dispatch.pk, **kwargs)


def _day_context(request, day: date, *, is_today_page: bool, bound: dict | None = None) -> dict:
    bound = dict(bound or {})
    user = request.user
    may_send = user.has_perm(SEND)
    dispatch_list = DispatchList.objects.select_related("taken_by").filter(day=day).first()
    rows = []
    if dispatch_list is not None:
        rows = list(services.dispatch_list_rows(dispatch_list).select_related("letter__document"))
    is_open = dispatch_list is not None and not dispatch_list.is_taken
    for row in rows:
        row.tracking_form = None
        if is_open and may_send and row.channel == Channel.REGISTERED:
            row.tracking_form = _form(
                bound, "tracking", row, TrackingForm, initial={"tracking_code": row.tracking_code}
            )
    waiting = _waiting(request)
    for row in waiting.rows:
        row.delivery_form = row.return_form = row.tracking_form = None
        if may_send:
            row.delivery_form = _form(bound, "delivery", row, DeliveryForm)
            row.return_form = _form(bound, "return", row, ReturnForm)
            if not row.tracking_code:
                row.tracking_form = _form(bound, "tracking", row, TrackingForm)
    today = timezone.localdate()
    return {
        "day": day,
        "back": "" if is_today_page else day.isoformat(),
        "is_today_page": is_today_page,
        "is_current": is_today_page or day == current_day(today),
        "dispatch_list": dispatch_list,
        "rows": rows,
        "summary": services.dispatch_list_summary(rows),
        "total": sum((services.postage(row.channel) for row in rows), Decimal("0")),
        "may_take": is_open and bool(rows) and user.has_perm(KEEP),
        "may_send": may_send,
        "previous_url": _day_url(_previous_working_day(day)),
        "next_url": _day_url(calendar.next_working_day(day)),
        "today_url": _day_url(None),
        "waiting": waiting,
        "waiting_days": WAITING_DAYS,
        # A form that came back for a row no longer shown: its messages go above the page.
        "stray_errors": [
            message
            for form in bound.values()
            for errors in form.errors.values()
            for message in errors
        ],
    }


def _render_day(request, day: date, *, is_today_page: bool, bound: dict | None = None):
    context = _day_context(request, day, is_today_page=is_today_page, bound=bound)
    return render(request, "correspondence/post/dispatch_day.html", context)


class DispatchTodayView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The list that takes today's post (the next working day's once today's was taken)."""

    permission_required = VIEW

    def get(self, request):
        return _render_day(request, current_day(), is_today_page=True)


class DispatchDayView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = VIEW

    def get(self, request, day: str):
        return _render_day(request, _parse_day(day), is_today_page=False)


class DispatchListsView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The lists of all days, newest first, with their letters counted by kind and postage:
    three queries whatever the number of lists (the count, the page, one aggregate)."""

    permission_required = VIEW

    def get(self, request):
        queryset = DispatchList.objects.select_related("taken_by").only(
            "day", "taken_at", "taken_by__first_name", "taken_by__last_name", "taken_by__username"
        )
        page = Listing(request, queryset, orders=LIST_ORDERS, default="-day", per_page=25).page
        lists = page.rows
        counts = (
            Dispatch.objects.filter(dispatch_list__in=[item.pk for item in lists])
            .values("dispatch_list_id", "channel")
            .annotate(n=Count("id"))
            .order_by()
        )
        totals: dict[int, dict] = {}
        for count in counts:
            item = totals.setdefault(
                count["dispatch_list_id"],
                {"count": 0, "post": 0, "registered": 0, "postage": Decimal("0")},
            )
            item["count"] += count["n"]
            if count["channel"] in item:
                item[count["channel"]] += count["n"]
            item["postage"] += services.postage(count["channel"]) * count["n"]
        empty = {"count": 0, "post": 0, "registered": 0, "postage": Decimal("0")}
        for item in lists:
            item.totals = totals.get(item.pk, empty)
        context = {"page": page, "lists": lists, "today_url": _day_url(None)}
        return render(request, "correspondence/post/dispatch_lists.html", context)


# --- PDFs -----------------------------------------------------------------------------------------


_viewer = viewing(VIEW)


@_viewer
def dispatch_pdf(request, day: str):
    """The list to print and take to the post office (with a line for its stamp)."""
    dispatch_list = get_object_or_404(DispatchList, day=_parse_day(day))
    content = services.dispatch_list_pdf(dispatch_list)
    return pdf_response(content, f"postiloend-{dispatch_list.day.isoformat()}.pdf")


@_viewer
def dispatch_labels(request, day: str):
    """Address labels (A4, 3 × 8) or envelopes (``?layout=c5`` or ``dl``) of the day's list."""
    layout = request.GET.get("layout", "labels")
    if layout not in LAYOUTS:
        raise Http404(_("No such layout."))
    dispatch_list = get_object_or_404(DispatchList, day=_parse_day(day))
    rows = services.dispatch_list_rows(dispatch_list)
    content = services.labels_pdf(rows, layout=layout)
    name = "aadressid" if layout == "labels" else f"umbrikud-{layout}"
    return pdf_response(content, f"{name}-{dispatch_list.day.isoformat()}.pdf")


# --- Actions --------------------------------------------------------------------------------------


@require_POST
@login_required
@permission_required(KEEP, raise_exception=True)
@submit_once
def dispatch_take(request, day: str):
    """The clerk took the list's letters to the post office: they are sent, the list closed."""
    dispatch_list = get_object_or_404(DispatchList, day=_parse_day(day))
    try:
        services.dispatch_list_take(actor=request.user, dispatch_list=dispatch_list)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        count = dispatch_list.dispatches.count()
        text = ngettext(
            "The list of %(day)s was taken to the post office: %(count)s letter is sent.",
            "The list of %(day)s was taken to the post office: %(count)s letters are sent.",
            count,
        )
        day_text = formats.date_format(dispatch_list.day, "SHORT_DATE_FORMAT")
        messages.success(request, text % {"day": day_text, "count": count})
    return redirect(_day_url(dispatch_list.day))


def _back(request) -> date | None:
    """The day whose page the form was sent from (None: the page of today's post)."""
    value = request.POST.get("back", "")
    if value:
        try:
            return _parse_day(value)
        except Http404:
            return None
    return None


def _dispatch_action(request, pk: int, form_class, perform, first_field: str):
    """Parse a row's form and call the service; success → back to the page with a message,
    refusal → the page again with the messages next to the row's fields."""
    dispatch = get_object_or_404(
        Dispatch.objects.select_related("letter"), pk=pk, channel__in=POSTAL_CHANNELS
    )
    back = _back(request)
    form = form_class.for_dispatch(dispatch.pk, request.POST)
    if form.is_valid():
        try:
            message = perform(dispatch, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, default=first_field)
        else:
            messages.success(request, message)
            return redirect(f"{_day_url(back)}#dispatch-{dispatch.pk}")
    messages.error(request, _("Nothing was changed: see the messages below."))
    day = back or current_day()
    return _render_day(
        request, day, is_today_page=back is None, bound={(form_class.kind, dispatch.pk): form}
    )


def _sender(view):
    return require_POST(login_required(permission_required(SEND, raise_exception=True)(view)))


@_sender
def dispatch_tracking(request, pk: int):
    def perform(dispatch, data):
        dispatch = services.dispatch_record_tracking(
            actor=request.user, dispatch=dispatch, tracking_code=data["tracking_code"]
        )
        return _("Tracking code %(code)s recorded for %(number)s (%(name)s).") % {
            "code": dispatch.tracking_code,
            "number": dispatch.letter.number,
            "name": dispatch.name,
        }

    return _dispatch_action(request, pk, TrackingForm, perform, "tracking_code")


@_sender
def dispatch_delivery(request, pk: int):
    def perform(dispatch, data):
        dispatch = services.dispatch_record_delivery(
            actor=request.user, dispatch=dispatch, delivered_on=data["delivered_on"]
        )
        return _("%(number)s was delivered to %(name)s on %(date)s.") % {
            "number": dispatch.letter.number,
            "name": dispatch.name,
            "date": formats.date_format(dispatch.delivered_on, "SHORT_DATE_FORMAT"),
        }

    return _dispatch_action(request, pk, DeliveryForm, perform, "delivered_on")


@_sender
def dispatch_return(request, pk: int):
    def perform(dispatch, data):
        dispatch = services.dispatch_record_return(
            actor=request.user,
            dispatch=dispatch,
            returned_on=data["returned_on"],
            reason=data["reason"],
        )
        return _("%(number)s to %(name)s came back: recorded as returned.") % {
            "number": dispatch.letter.number,
            "name": dispatch.name,
        }

    return _dispatch_action(request, pk, ReturnForm, perform, "reason")


urlpatterns = [
    path("post/", DispatchTodayView.as_view(), name="dispatch-today"),
    path("post/lists/", DispatchListsView.as_view(), name="dispatch-lists"),
    path("post/dispatches/<int:pk>/tracking/", dispatch_tracking, name="post-tracking"),
    path("post/dispatches/<int:pk>/delivered/", dispatch_delivery, name="post-delivered"),
    path("post/dispatches/<int:pk>/returned/", dispatch_return, name="post-returned"),
    path("post/<str:day>/", DispatchDayView.as_view(), name="dispatch-day"),
    path("post/<str:day>/list.pdf", dispatch_pdf, name="dispatch-pdf"),
    path("post/<str:day>/take/", dispatch_take, name="dispatch-take"),
    path("post/<str:day>/labels.pdf", dispatch_labels, name="dispatch-labels"),
]
