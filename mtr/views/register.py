"""The processors' register of entries: the list, an entry's page with its history, and suspending,
reinstating and terminating an entry (mtr.workflows ENTRY)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from core.actions import nothing_changed, post_with
from core.forms import add_service_errors
from core.listing import Listing
from mtr import services
from mtr.filters import (
    ENTRY_DEFAULT,
    ENTRY_ORDERS,
    EntryFilter,
)
from mtr.forms.staff import (
    EntryReasonForm,
)
from mtr.models import (
    Entry,
)
from mtr.views.staff import _data_rows, _timeline
from mtr.workflows import ENTRY


class EntryListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The register's entries by number, with a search, the status and the area; keyset pages
    of 25 (core.listing)."""

    permission_required = "mtr.view_entry"
    template_name = "mtr/staff/entry_list.html"
    per_page = 25

    def get(self, request):
        queryset = Entry.objects.select_related("business", "area")
        filterset = EntryFilter(request.GET or None, queryset=queryset, request=request)
        listing = Listing(
            request,
            filterset.qs.only(*Entry.LIST_ROW_FIELDS),
            orders=ENTRY_ORDERS,
            default=ENTRY_DEFAULT,
            per_page=self.per_page,
        )
        page = listing.page
        context = {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "entries": page.rows,
            "filtering": any(request.GET.get(name) for name in filterset.filters),
        }
        return render(request, self.template_name, context)


# The entry actions: their services (mtr.workflows.ENTRY says when each may be taken).
ENTRY_ACTIONS = {
    "suspend": services.entry_suspend,
    "reinstate": services.entry_reinstate,
    "terminate": services.entry_terminate,
}


def _entry_context(request, entry: Entry, bound: dict | None = None) -> dict:
    bound = bound or {}
    may_change = request.user.has_perm("mtr.change_entry")
    forms = {}
    for action in ENTRY_ACTIONS:
        if action in bound:
            forms[action] = bound[action]
        elif may_change and ENTRY.allows(entry, action):
            forms[action] = EntryReasonForm(prefix=action)
    applications = list(
        entry.applications.select_related("assignee", "decided_by").order_by("submitted_at", "id")
    )
    return {
        "entry": entry,
        "data_rows": _data_rows(entry.area, entry.data),
        "applications": applications,
        "forms": forms,
        "may_view_applications": request.user.has_perm("mtr.view_application"),
        "timeline_events": _timeline(entry, Entry),
        "timeline_id": f"mtr-entry-{entry.pk}",
    }


def _render_entry(request, number: str, bound: dict | None = None):
    entry = get_object_or_404(Entry.objects.select_related("business", "area"), number=number)
    return render(request, "mtr/staff/entry_detail.html", _entry_context(request, entry, bound))


class EntryDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "mtr.view_entry"

    def get(self, request, number: str):
        return _render_entry(request, number)


_entry_post = post_with("mtr.change_entry")


ENTRY_DONE = {
    "suspend": lambda: _("The entry %(number)s is suspended."),
    "reinstate": lambda: _("The entry %(number)s is valid again."),
    "terminate": lambda: _("The entry %(number)s is terminated."),
}


def _entry_action(request, number: str, action: str):
    entry = get_object_or_404(Entry, number=number)
    url = reverse("mtr:entry-detail", args=[entry.number])
    refusal = ENTRY.refusal(entry, action, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(url)
    form = EntryReasonForm(request.POST, prefix=action)
    if form.is_valid():
        service = ENTRY_ACTIONS[action]
        try:
            service(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ENTRY_DONE[action]() % {"number": entry.number})
            return redirect(url)
    nothing_changed(request, form)
    return _render_entry(request, number, bound={action: form})


@_entry_post
def entry_suspend(request, number: str):
    return _entry_action(request, number, "suspend")


@_entry_post
def entry_reinstate(request, number: str):
    return _entry_action(request, number, "reinstate")


@_entry_post
def entry_terminate(request, number: str):
    return _entry_action(request, number, "terminate")


urlpatterns = [
    path("mtr/register/", EntryListView.as_view(), name="entry-list"),
    path("mtr/register/<str:number>/", EntryDetailView.as_view(), name="entry-detail"),
    path("mtr/register/<str:number>/suspend/", entry_suspend, name="entry-suspend"),
    path("mtr/register/<str:number>/reinstate/", entry_reinstate, name="entry-reinstate"),
    path("mtr/register/<str:number>/terminate/", entry_terminate, name="entry-terminate"),
]
