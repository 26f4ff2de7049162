"""The letter pages. This module: the list and the addressees' search; ``compose``: composing
(from scratch or as the reply to a registered document) and editing a draft; ``letter``: a
letter's page and the downloads of its PDF and signed container; ``letter_actions``: what is done
from that page.

Seeing needs ``correspondence.view_letter``; composing ``add_letter``; editing, signing,
submitting and cancelling ``change_letter``; approving and returning ``approve_letter`` (the
head); sending and what follows it ``send_letter``. A signed-in user without the permission gets
403, an anonymous one the sign-in page. A reply can only be written to a document the user may
see (``Document.objects.visible_to``): any other id answers 404, as one that does not exist.

The actions are small forms on the letter's page (``<details>``: no JavaScript needed) posting to
POST-only views that call one service each and redirect back with a message, or show the page
again with the service's messages next to the fields. Only the actions the letter's status
allows are shown; a stale form posted anyway is refused with a message and changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.generic import View

from core.listing import Listing, Order
from correspondence.filters import MY_DRAFTS, TO_APPROVE, LetterFilter
from correspondence.models import Letter
from registry.forms.parties import party_label, party_search

Status = Letter.Status


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _pdf_filename(letter: Letter) -> str:
    return f"{letter.number.replace('/', '_')}.pdf"


# --- The list -----------------------------------------------------------------------------------


# Newest first (indexes corr_letter_*: alone, and after a status or a signer chosen).
ORDERS = {"-created": Order(("-created",))}


class LetterListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Every letter, newest first: filters, a search, 25 a page by keyset (core.listing), a fixed
    number of queries."""

    permission_required = "correspondence.view_letter"
    template_name = "correspondence/letters/list.html"

    def get(self, request):
        queryset = Letter.objects.visible_to(request.user).with_list_data()
        filterset = LetterFilter(request.GET or None, queryset=queryset, request=request)
        page = Listing(request, filterset.qs, orders=ORDERS, default="-created", per_page=25).page
        show = request.GET.get("show", "")
        quick = [{"key": "", "label": _("All letters")}]
        if request.user.has_perm("correspondence.add_letter"):
            quick.append({"key": MY_DRAFTS, "label": _("My drafts")})
        if request.user.has_perm("correspondence.approve_letter"):
            quick.append({"key": TO_APPROVE, "label": _("Awaiting my approval")})
        for link in quick:
            link["url"] = (
                f"?show={link['key']}" if link["key"] else reverse("correspondence:letter-list")
            )
            link["current"] = link["key"] == show
        context = {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "letters": page.rows,
            "quick_links": quick if len(quick) > 1 else [],
            "filtering": any(request.GET.get(name) for name in filterset.filters if name != "show"),
            "show": show,
        }
        return render(request, self.template_name, context)


class PartySearchView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Parties matching what is typed in an addressee's field (?addressees-N-party= or ?q=): at
    most 10, as the <option>s of the addressees' <datalist> (the register's party search)."""

    permission_required = "correspondence.add_letter"

    def get(self, request):
        text = request.GET.get("q", "")
        for key, value in request.GET.items():
            if key.endswith("-party"):
                text = value
                break
        parties = [{"party": party, "label": party_label(party)} for party in party_search(text)]
        return render(request, "registry/documents/party_options.html", {"parties": parties})


urlpatterns = [
    path("letters/", LetterListView.as_view(), name="letter-list"),
    path("letters/parties/", PartySearchView.as_view(), name="letter-party-search"),
]
