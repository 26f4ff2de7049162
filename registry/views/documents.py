"""The clerk's main pages of the register: registration, the document list (search, filters,
sorting, CSV export) and the sender search of the registration form.

The document page itself is registry/views/detail.py. Every list reads through
``Document.objects.visible_to(user)``: a restricted document the user may not see is simply not
there, in the list and in the export alike.

Access: each view needs a permission. A signed-in user without it gets 403; an anonymous one is
sent to sign in (PermissionRequiredMixin's default; raise_exception=True would answer 403 to
anonymous users as well).
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from core.downloads import csv_cell
from core.forms import add_service_errors
from core.listing import Listing, listing_context
from core.submissions import SubmitOnceMixin
from registry import deadlines, services
from registry.filters import DEFAULT_SORT, ORDERS, DocumentFilter
from registry.forms.documents import INCOMING_TYPES, DocumentRegisterForm
from registry.forms.parties import PartyForm, party_label, party_search
from registry.models import Channel, Document

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 10_000
NEW_SENDER_PREFIX = "new_sender"


# --- Registration -------------------------------------------------------------------------------


class DocumentRegisterView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """Register an incoming document, parcel or request, with a new sender if needed.

    Submitted once per form (``core.submissions``): a double click makes one document, one
    register number and one new sender.

    The new sender and the document are written in one transaction: a refused document leaves
    no party behind either.
    """

    permission_required = "registry.add_document"
    template_name = "registry/documents/register.html"

    def get(self, request):
        initial = self._kept_choices(request.GET)
        parent_number = request.GET.get("parent_number", "").strip()[:40]
        if parent_number:  # "Register a follow-up" on a document's page
            initial["parent_number"] = parent_number
        form = DocumentRegisterForm(user=request.user, initial=initial)
        return self._render(form, PartyForm(prefix=NEW_SENDER_PREFIX))

    def post(self, request):
        form = DocumentRegisterForm(request.POST, request.FILES, user=request.user)
        new_sender = request.POST.get("sender_mode") == DocumentRegisterForm.SENDER_NEW
        if new_sender:
            party_form = PartyForm(request.POST, prefix=NEW_SENDER_PREFIX)
        else:
            party_form = PartyForm(prefix=NEW_SENDER_PREFIX)
        valid = form.is_valid()
        if new_sender:
            valid = party_form.is_valid() and valid  # both checked: every message at once
        if not valid:
            return self._render(form, party_form)

        failed_form, default_field = party_form, "code"
        try:
            with transaction.atomic():
                sender = form.cleaned_data["sender_party"]
                if new_sender:
                    sender = services.party_create(
                        actor=request.user, **party_form.service_kwargs()
                    )
                failed_form, default_field = form, "files"  # a file refused by its content
                document = services.document_register(
                    actor=request.user, sender=sender, **form.service_kwargs()
                )
        except ValidationError as error:
            add_service_errors(failed_form, error, default=default_field)
            return self._render(form, party_form)

        messages.success(request, _("Registered as %(number)s.") % {"number": document.number})
        if request.POST.get("another"):
            kept = self._kept_choices(request.POST)
            return redirect(f"{reverse('registry:document-register')}?{urlencode(kept)}")
        return redirect("registry:document-detail", document.pk)

    @staticmethod
    def _kept_choices(data) -> dict[str, str]:
        """Series, type and channel of the last registration, for the next one."""
        kept = {}
        types = {value for value, _label in INCOMING_TYPES}
        if data.get("doc_type") in types:
            kept["doc_type"] = data["doc_type"]
        if data.get("channel") in Channel.values:
            kept["channel"] = data["channel"]
        if str(data.get("series", "")).isdigit():
            kept["series"] = data["series"]
        return kept

    def _render(self, form, party_form):
        files_lost = bool(self.request.FILES) and (form.errors or party_form.errors)
        context = {
            "form": form,
            "party_form": party_form,
            "series_defaults": form.series_defaults(),
            "legal_deadlines": _legal_deadline_notes(),
            "files_lost": files_lost,
            "sender_options": _party_options(form["sender"].value() or ""),
        }
        return render(self.request, self.template_name, context)


def _legal_deadline_notes() -> dict[str, str]:
    """What the form says instead of the deadline field for the types the law gives one."""
    notes = {}
    for value, _label in INCOMING_TYPES:
        if value in deadlines.WORKING_DAY_TYPES:
            notes[value] = _("Deadline set by law: %(days)d working days from registration.") % {
                "days": settings.REGISTRY_INFORMATION_REQUEST_DAYS
            }
        elif value in deadlines.CALENDAR_DAY_TYPES:
            notes[value] = _(
                "Deadline set by law: %(days)d calendar days from registration, moved to the "
                "next working day when the last day is a day off."
            ) % {"days": settings.REGISTRY_MEMORANDUM_DAYS}
    return notes


def _party_options(text: str) -> list[dict]:
    return [{"party": party, "label": party_label(party)} for party in party_search(text)]


class PartySearchView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Parties matching ?q= (name, a word of the name, code or e-mail prefix): at most 10, as the
    <option>s of the sender field's <datalist>. The registration form's sender field sends itself
    (?sender=) when htmx asks. Staff see private persons by name."""

    permission_required = "registry.view_party"

    def get(self, request):
        text = request.GET.get("q") or request.GET.get("sender") or ""
        return render(
            request, "registry/documents/party_options.html", {"parties": _party_options(text)}
        )


# --- The list -----------------------------------------------------------------------------------


def filtered_documents(request) -> tuple[DocumentFilter, object]:
    """The FilterSet and the filtered documents the user may see (not yet ordered)."""
    queryset = Document.objects.visible_to(request.user).with_list_data()
    filterset = DocumentFilter(request.GET or None, queryset=queryset, request=request)
    # A filter with a wrong value is left out (and its message shown); the others apply.
    return filterset, filterset.qs


def document_listing(request, filterset, documents) -> Listing:
    """The list's pages. A search is counted after the page (``count_later``), and when the
    planner expects few hits, they are found first and only they are sorted (``few``)."""
    searching = filterset.searching()
    return Listing(
        request,
        documents,
        orders=ORDERS,
        default=DEFAULT_SORT,
        per_page=PAGE_SIZE,
        few=searching,
        count_later=searching,
    )


def _columns() -> list[tuple]:
    """The list's columns: label and the order a click asks for (None: not sortable)."""
    return [
        (_("Number"), "number"),
        (_("Date"), "-registered"),
        (_("Type"), None),
        (_("Title"), "title"),
        (_("Sender or recipient"), None),
        (_("Responsible"), None),
        (_("Deadline"), "deadline"),
        (_("Status"), None),
    ]


class DocumentListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Every document the user may see: search, filters, sortable columns, 50 a page by keyset
    (core.listing), with the same number of queries and the same cost at any depth."""

    permission_required = "registry.view_document"
    template_name = "registry/documents/list.html"

    def get(self, request):
        filterset, documents = filtered_documents(request)
        listing = document_listing(request, filterset, documents.only(*Document.LIST_ROW_FIELDS))
        if request.GET.get("count") and request.headers.get("HX-Request"):
            # What the page's count sentence asks for: that sentence, counted.
            return render(request, "registry/documents/count.html", {"page": listing.count()})
        context = {
            "filter": filterset,
            "form": filterset.form,
            "filtering": any(request.GET.get(name) for name in filterset.filters),
            **listing_context(listing, _columns()),
            "today": timezone.localdate(),
        }
        context["documents"] = context["page"].rows
        return render(request, self.template_name, context)


# --- CSV export ---------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the line back (csv.writer into a stream)."""

    def write(self, value: str) -> str:
        return value


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


class DocumentExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The current filtered list as CSV (; separated, UTF-8 with a BOM for Excel), at most
    10 000 rows, streamed. Same queryset as the list: nothing the user may not see."""

    permission_required = ("registry.view_document", "registry.export_document")

    def get(self, request) -> HttpResponse:
        filterset, documents = filtered_documents(request)
        listing = document_listing(request, filterset, documents.select_related("series"))
        rows = listing.ordered()[:EXPORT_MAX_ROWS]
        today = timezone.localdate()
        header = [
            _("Number"),
            _("Registered on"),
            _("Direction"),
            _("Type"),
            _("Channel"),
            _("Title"),
            _("Sender"),
            _("Recipient"),
            _("Series"),
            _("Responsible"),
            _("Deadline"),
            _("Overdue"),
            _("Status"),
            _("Access restriction"),
            _("Restricted until"),
        ]

        def lines():
            writer = csv.writer(_Echo(), delimiter=";")
            yield "\ufeff" + writer.writerow(header)
            for document in rows.iterator(chunk_size=500):
                restricted = document.is_restricted(today)
                yield writer.writerow(
                    [
                        csv_cell(value)
                        for value in (
                            document.number,
                            _date(document.registered_on),
                            document.get_direction_display(),
                            document.get_doc_type_display(),
                            document.get_channel_display(),
                            document.title,
                            document.sender or "",
                            document.recipient or "",
                            document.series.code,
                            document.responsible or "",
                            _date(document.deadline),
                            _("yes") if document.is_overdue(today) else "",
                            document.get_status_display(),
                            document.restriction_basis if restricted else "",
                            _date(document.restriction_end) if restricted else "",
                        )
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        filename = f"documents-{today:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


urlpatterns = [
    path("documents/", DocumentListView.as_view(), name="document-list"),
    path("documents/register/", DocumentRegisterView.as_view(), name="document-register"),
    path("documents/export.csv", DocumentExportView.as_view(), name="document-export"),
    path("parties/search/", PartySearchView.as_view(), name="party-search"),
]
