"""Quotes (hinnapakkumised): before ordering goods, services or works, the request, the suppliers
asked, the quotes they sent and the choice with its reason.

Seeing needs ``assets.view_quoterequest`` (the asset manager, the head), a new request
``assets.add_quoterequest``, adding quotes and choosing ``assets.change_quoterequest``: a
signed-in user without it gets 403, an anonymous one the sign-in page. When the estimate reaches
the simple-procurement threshold the request's page says so in a warning box. Once a quote is
chosen the request is decided: no more quotes, no second choice.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from assets import services
from assets.forms.quotes import QuoteAddForm, QuoteChooseForm, QuoteRecordForm, QuoteRequestForm
from assets.models import Quote, QuoteRequest
from assets.selectors import count_of
from core import events
from core.actions import post_with
from core.downloads import file_download
from core.forms import add_service_errors
from core.listing import Listing, Order
from core.submissions import SubmitOnceMixin, submit_once

DETAIL_TEMPLATE = "assets/quotes/detail.html"
STATES = ("open", "chosen")
# Newest first (indexes assets_quoterequest_created and, waiting for a choice, _open).
ORDERS = {"-created": Order(("-created",))}


# --- The list -----------------------------------------------------------------------------------


class QuoteListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The requests for quotes, newest first; waiting for a choice or chosen. Two queries
    whatever the number of rows (the page with its quotes counted, and the capped count)."""

    permission_required = "assets.view_quoterequest"
    template_name = "assets/quotes/list.html"

    def get(self, request):
        state = request.GET.get("state", "")
        state = state if state in STATES else ""
        requests = (
            QuoteRequest.objects.select_related("chosen")
            .only(*QuoteRequest.LIST_ROW_FIELDS)
            .annotate(
                quote_count=count_of(Quote.objects.all(), "request"),
                received_count=count_of(Quote.objects.filter(amount__isnull=False), "request"),
            )
        )
        if state == "open":
            requests = requests.filter(chosen__isnull=True)
        elif state == "chosen":
            requests = requests.filter(chosen__isnull=False)
        page = Listing(request, requests, orders=ORDERS, default="-created", per_page=25).page
        links = [
            ("", _("All"), reverse("assets:quote-list")),
            ("open", _("Waiting for a choice"), reverse("assets:quote-list") + "?state=open"),
            ("chosen", _("Chosen"), reverse("assets:quote-list") + "?state=chosen"),
        ]
        context = {
            "page": page,
            "requests": page.rows,
            "state": state,
            "state_links": [
                {"key": key, "label": label, "url": url, "current": key == state}
                for key, label, url in links
            ],
        }
        return render(request, self.template_name, context)


# --- A new request ------------------------------------------------------------------------------


class QuoteRequestCreateView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    permission_required = "assets.add_quoterequest"
    template_name = "assets/quotes/form.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": QuoteRequestForm(), "limits": services.thresholds_on()},
        )

    def post(self, request):
        form = QuoteRequestForm(request.POST)
        if form.is_valid():
            try:
                quote_request = services.quote_request_create(
                    actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error, default="subject")
            else:
                messages.success(
                    request,
                    _("The request for quotes was saved: add the suppliers you ask."),
                )
                return redirect("assets:quote-detail", quote_request.pk)
        return render(
            request, self.template_name, {"form": form, "limits": services.thresholds_on()}
        )


# --- One request --------------------------------------------------------------------------------


def _quotes_view(quote_request: QuoteRequest) -> list[Quote]:
    """The quotes, cheapest first, each marked ``cheapest`` and ``chosen`` (one query)."""
    quotes = list(quote_request.quotes.order_by("amount", "supplier", "pk"))
    amounts = [quote.amount for quote in quotes if quote.amount is not None]
    lowest = min(amounts) if amounts else None
    for quote in quotes:
        quote.cheapest = lowest is not None and quote.amount == lowest
        quote.is_chosen = quote.pk == quote_request.chosen_id
    return quotes


def _detail_context(request, quote_request: QuoteRequest, bound: dict | None = None) -> dict:
    bound = bound or {}
    may_change = request.user.has_perm("assets.change_quoterequest")
    quotes = _quotes_view(quote_request)
    received = [quote for quote in quotes if quote.amount is not None]
    open_ = quote_request.chosen_id is None
    forms = {}
    if may_change and open_:
        forms["add"] = bound.get("add") or QuoteAddForm()
        forms["choose"] = bound.get("choose") or QuoteChooseForm(quotes=received)
        for quote in quotes:
            if quote.amount is None:
                key = f"record-{quote.pk}"
                quote.record_form = bound.get(key) or QuoteRecordForm(prefix=key)
    timeline = list(events.for_object(quote_request)[:50])
    for event in timeline:
        data = event.data or {}
        if data.get("supplier") and not data.get("note"):
            event.data = {**data, "note": f"{data['supplier']}, {data.get('amount', '')} €"}
    return {
        "quote_request": quote_request,
        "quotes": quotes,
        "received": received,
        "warning": services.threshold_warning(quote_request),
        "open": open_,
        "may_change": may_change,
        "forms": forms,
        "timeline_events": timeline,
        "timeline_id": f"assets-quotes-{quote_request.pk}",
    }


def _request_or_404(pk: int) -> QuoteRequest:
    return get_object_or_404(QuoteRequest.objects.select_related("created_by", "chosen"), pk=pk)


def _render_detail(request, quote_request: QuoteRequest, bound: dict | None = None):
    return render(request, DETAIL_TEMPLATE, _detail_context(request, quote_request, bound))


class QuoteDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The request, the threshold warning, the suppliers asked and their quotes, the choice."""

    permission_required = "assets.view_quoterequest"

    def get(self, request, pk: int):
        return _render_detail(request, _request_or_404(pk))


# --- Actions ------------------------------------------------------------------------------------


_changer_post = post_with("assets.change_quoterequest")


def _detail_url(pk: int, anchor: str = "quotes") -> str:
    return reverse("assets:quote-detail", args=[pk]) + f"#{anchor}"


def _decided(request, quote_request: QuoteRequest):
    messages.error(request, _("A quote has been chosen already: nothing was changed."))
    return redirect(_detail_url(quote_request.pk))


def _failed(request, quote_request: QuoteRequest, form):
    messages.error(request, _("Nothing was changed: see the messages below."))
    if request.FILES:
        messages.warning(request, _("Choose the file again: the browser forgets it."))
    return _render_detail(request, quote_request, bound={form.prefix: form})


@_changer_post
@submit_once
def quote_add(request, pk: int):
    """A supplier asked, or a quote received (with its amount, date and file)."""
    quote_request = _request_or_404(pk)
    if quote_request.chosen_id:
        return _decided(request, quote_request)
    form = QuoteAddForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            quote = services.quote_add(
                actor=request.user,
                request=quote_request,
                supplier=data["supplier"],
                supplier_email=data["supplier_email"],
                amount=data["amount"],
                received_on=data["received_on"],
                uploaded=data["file"] or None,
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error, default="file")
        else:
            if quote.amount is None:
                text = _("%(supplier)s is on the list of suppliers asked.")
            else:
                text = _("The quote of %(supplier)s was recorded.")
            messages.success(request, text % {"supplier": quote.supplier})
            return redirect(_detail_url(pk))
    return _failed(request, quote_request, form)


@_changer_post
def quote_record(request, pk: int, quote_pk: int):
    """The quote of a supplier asked earlier."""
    quote_request = _request_or_404(pk)
    quote = get_object_or_404(Quote, pk=quote_pk, request=quote_request)
    if quote_request.chosen_id:
        return _decided(request, quote_request)
    form = QuoteRecordForm(request.POST, request.FILES, prefix=f"record-{quote.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.quote_record(
                actor=request.user,
                quote=quote,
                amount=data["amount"],
                received_on=data["received_on"],
                uploaded=data["file"] or None,
                note=data["note"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(_detail_url(pk))
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The quote of %(supplier)s was recorded.") % {"supplier": quote.supplier}
            )
            return redirect(_detail_url(pk))
    return _failed(request, quote_request, form)


@_changer_post
def quote_choose(request, pk: int):
    """Choose a received quote with the reason; a dearer one than the cheapest needs a fuller
    reason (the service says so)."""
    quote_request = _request_or_404(pk)
    if quote_request.chosen_id:
        return _decided(request, quote_request)
    received = [quote for quote in _quotes_view(quote_request) if quote.amount is not None]
    form = QuoteChooseForm(request.POST, quotes=received)
    if form.is_valid():
        quote = next(q for q in received if q.pk == form.cleaned_data["quote"])
        try:
            services.quote_choose(
                actor=request.user,
                request=quote_request,
                quote=quote,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error, default="quote")
        else:
            messages.success(
                request,
                _("%(supplier)s was chosen: order from them.") % {"supplier": quote.supplier},
            )
            return redirect(_detail_url(pk, "choice"))
    return _failed(request, quote_request, form)


@login_required
@permission_required("assets.view_quoterequest", raise_exception=True)
def quote_file(request, pk: int, quote_pk: int):
    """A quote's file, as a download (only through its own request)."""
    quote = get_object_or_404(Quote, request_id=pk, pk=quote_pk)
    if not quote.file:
        raise Http404
    content_type = mimetypes.guess_type(quote.file_name)[0] or "application/octet-stream"
    response = file_download(quote.file, filename=quote.file_name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("assets/quotes/", QuoteListView.as_view(), name="quote-list"),
    path("assets/quotes/new/", QuoteRequestCreateView.as_view(), name="quote-new"),
    path("assets/quotes/<int:pk>/", QuoteDetailView.as_view(), name="quote-detail"),
    path("assets/quotes/<int:pk>/add/", quote_add, name="quote-add"),
    path("assets/quotes/<int:pk>/quotes/<int:quote_pk>/record/", quote_record, name="quote-record"),
    path("assets/quotes/<int:pk>/choose/", quote_choose, name="quote-choose"),
    path("assets/quotes/<int:pk>/files/<int:quote_pk>/", quote_file, name="quote-file"),
]
