"""The public document register: no login, Estonian, English and Russian.

Leaking a restricted document or a private person's name is the worst bug this product can have,
so nothing here hands a ``Document`` to a template. Every document becomes a ``PublicEntry``
first (``entry_for``), which holds only what the public may see: a document with an access
restriction in force today keeps its number, registration date, type and restriction basis and
nothing else; a private person is "Private person". Templates, the CSV export and the feed all
render entries.

Documents are addressed by their random ``public_code``, never by pk; an unknown code and a
code the public may not open get the same 404. Every view is rate limited per IP.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time

from django.contrib.postgres.search import SearchQuery
from django.contrib.syndication.views import Feed
from django.db.models import Func, Value
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from core.downloads import csv_cell, file_download
from core.listing import Listing
from core.ratelimits import setting_rate
from registry import search
from registry.forms.public import DEFAULT_SORT, ORDERS, PublicSearchForm
from registry.models import Attachment, Document
from registry.views.public_entries import PublicEntry, entry_for

PER_PAGE = 25
EXPORT_MAX_ROWS = 1000
FEED_ITEMS = 50
# The heavy columns a public page never needs.
HEAVY_FIELDS = ("search_vector", "public_search_vector", "notes", "close_reason")
LIST_RELATED = ("series", "sender", "recipient", "restriction_basis")


def _documents():
    """Documents with what a public entry reads, without the heavy columns."""
    return Document.objects.select_related(*LIST_RELATED).defer(*HEAVY_FIELDS)


PAGE_RATE = setting_rate("REGISTRY_PUBLIC_PAGE_RATE", "120/m")
DOWNLOAD_RATE = setting_rate("REGISTRY_PUBLIC_DOWNLOAD_RATE", "30/m")
EXPORT_RATE = setting_rate("REGISTRY_PUBLIC_EXPORT_RATE", "10/m")


# --- Search -------------------------------------------------------------------------------------


def _party_query(text: str) -> SearchQuery | None:
    """Prefix words matched only in the party part (weight B) of the public search vector,
    which never holds a private person's name."""
    words = search.WORD.findall(text.lower())[:12]
    if not words:
        return None
    raw = " & ".join(f"{word}:*B" for word in words)  # only \w characters: no query syntax
    return SearchQuery(Func(Value(raw), function="unaccent"), config="simple", search_type="raw")


def public_documents(form: PublicSearchForm, *, today: date):
    """The documents matching a valid search form (ordered by ``public_listing``)."""
    data = form.cleaned_data
    restricted = Document.objects.restricted_q(today)
    documents = _documents()
    if data["q"]:
        documents = search.public_search(documents, data["q"], today=today, few=False)
    if data["party"]:
        query = _party_query(data["party"])
        documents = (
            documents.filter(public_search_vector=query).exclude(restricted)
            if query is not None
            else documents.none()
        )
    if data["number"]:
        documents = documents.filter(number__startswith=data["number"])
    if data["doc_type"]:
        documents = documents.filter(doc_type=data["doc_type"])
    if data["series"]:
        documents = documents.filter(series=data["series"])
    if data["date_from"]:
        documents = documents.filter(registered_on__gte=data["date_from"])
    if data["date_to"]:
        documents = documents.filter(registered_on__lte=data["date_to"])
    return documents


def public_listing(request, form: PublicSearchForm, *, today: date) -> Listing:
    """The matching documents in the form's order (date or number), keyset pages of 25; a
    search's few hits found first (``Listing.few``)."""
    documents = public_documents(form, today=today)
    return Listing(
        request,
        documents,
        orders=ORDERS,
        default=DEFAULT_SORT,
        per_page=PER_PAGE,
        few=bool(form.cleaned_data["q"]),
    )


# --- Views --------------------------------------------------------------------------------------


@require_safe
@never_cache
@ratelimit(group="registry-public-pages", key="ip", rate=PAGE_RATE, block=True)
def public_list(request):
    today = timezone.localdate()
    form = PublicSearchForm(request.GET or None)
    page = None
    entries: list[PublicEntry] = []
    if form.is_bound and not form.is_valid():
        pass  # the errors are shown next to their fields; no results
    else:
        if not form.is_bound:
            form = PublicSearchForm({})
            form.is_valid()
        page = public_listing(request, form, today=today).page
        entries = [entry_for(document, today=today) for document in page.rows]
    searched = any(
        value
        for name, value in request.GET.items()
        if name not in ("page", "sort", "after", "before", "last", "from")
    )
    return render(
        request,
        "registry/public/list.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "searched": searched,
            "export_max_rows": EXPORT_MAX_ROWS,
        },
    )


def _public_document(code: str, *, today: date) -> Document:
    """The document with ``code`` for a detail page (restricted ones too: they show their
    metadata), with what its public entry needs; 404 when there is none."""
    document = (
        _documents()
        .select_related("in_reply_to", "parent")
        .defer(*(f"{link}__{name}" for link in ("in_reply_to", "parent") for name in HEAVY_FIELDS))
        .filter(public_code=code)
        .first()
    )
    if document is None:
        raise Http404
    if document.is_restricted(today):
        return document
    linked = Document.objects.only("public_code", "number", "registered_on")
    document.public_replies = list(linked.filter(in_reply_to=document).order_by("registered_on"))
    document.public_follow_ups = list(linked.filter(parent=document).order_by("follow_up_index"))
    document.public_files = list(
        document.attachments.filter(is_public=True).only(
            "public_code", "name", "kind", "size", "document_id"
        )
    )
    return document


@require_safe
@never_cache
@ratelimit(group="registry-public-pages", key="ip", rate=PAGE_RATE, block=True)
def public_detail(request, code: str):
    today = timezone.localdate()
    document = _public_document(code, today=today)
    entry = entry_for(document, today=today, detail=True)
    return render(request, "registry/public/detail.html", {"entry": entry})


@require_safe
@never_cache
@ratelimit(group="registry-public-downloads", key="ip", rate=DOWNLOAD_RATE, block=True)
def public_file(request, code: str, file_code: str):
    """A public file of a document without a restriction in force; otherwise the same 404 as
    for a code that does not exist."""
    today = timezone.localdate()
    attachment = (
        Attachment.objects.select_related("document", "document__restriction_basis")
        .filter(public_code=file_code, document__public_code=code, is_public=True)
        .exclude(document__in=Document.objects.restricted(today))
        .first()
    )
    if attachment is None or attachment.document.is_restricted(today):
        raise Http404
    response = file_download(
        attachment.file,
        filename=attachment.name,
        content_type=attachment.content_type,
        active_content=attachment.active_content,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
@never_cache
@ratelimit(group="registry-public-export", key="ip", rate=EXPORT_RATE, block=True)
def public_export(request):
    """The current search as CSV, at most EXPORT_MAX_ROWS rows, masked like the list."""
    today = timezone.localdate()
    form = PublicSearchForm(request.GET)
    if not form.is_valid():
        form = PublicSearchForm({})
        form.is_valid()
    documents = public_listing(request, form, today=today).ordered()[:EXPORT_MAX_ROWS]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dokumendiregister.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Register number"),
            _("Registered on"),
            _("Type"),
            _("Title"),
            _("Sender or recipient"),
            _("Access restriction"),
            _("Web address"),
        ]
    )
    base = request.build_absolute_uri("/")[:-1]
    for document in documents:
        entry = entry_for(document, today=today)
        writer.writerow(
            csv_cell(value)
            for value in [
                entry.number,
                entry.registered_on.strftime("%d.%m.%Y"),
                entry.type_label,
                entry.heading,
                entry.party,
                entry.restriction_basis,
                base + entry.url,
            ]
        )
    return response


class PublicFeed(Feed):
    """The latest FEED_ITEMS documents without a restriction in force (Atom)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Public document register")
    subtitle = gettext_lazy("Documents registered lately")

    def link(self):
        return reverse("registry:public-list")

    def items(self):
        today = timezone.localdate()
        documents = _documents().public(today).order_by("-registered_on", "-id")[:FEED_ITEMS]
        return [entry_for(document, today=today) for document in documents]

    def item_title(self, item: PublicEntry) -> str:
        return f"{item.number} {item.heading}"

    def item_description(self, item: PublicEntry) -> str:
        parts = [item.type_label, item.registered_on.strftime("%d.%m.%Y")]
        if item.party:
            parts.append(f"{item.party_label}: {item.party}")
        return " · ".join(parts)

    def item_link(self, item: PublicEntry) -> str:
        return item.url

    def item_pubdate(self, item: PublicEntry):
        return timezone.make_aware(datetime.combine(item.registered_on, time.min))


public_feed = require_safe(
    never_cache(
        ratelimit(group="registry-public-pages", key="ip", rate=PAGE_RATE, block=True)(PublicFeed())
    )
)


urlpatterns = [
    path("register/", public_list, name="public-list"),
    path("register/export.csv", public_export, name="public-export"),
    path("register/feed/", public_feed, name="public-feed"),
    path("register/<str:code>/", public_detail, name="public-detail"),
    path("register/<str:code>/files/<str:file_code>/", public_file, name="public-file"),
]
