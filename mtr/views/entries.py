"""The public register of economic activities: search, one entry's page and the open-data export.

No login; Estonian, English and Russian. What the public may see of an entry is its number, the
business's name and registry code, the area, the addresses of operation, the validity and the
status. Nothing here hands an ``Entry`` to a template or a file: each becomes a ``PublicEntry``
(or an open-data row) first, so applications, contacts, the entry's ``data`` and the reason of
its status never leave. An entry being entered (``pending``) is not public at all.

The export is the whole register of valid entries (not the visitor's search): one stable address
an open-data portal can fetch. It is streamed from a server-side cursor, so its memory and time
stay flat however many entries there are.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from core.downloads import csv_cell
from core.listing import Listing, Order
from core.ratelimits import setting_rate
from mtr.forms.entries import PUBLIC_STATUS_LABELS, PUBLIC_STATUSES, EntrySearchForm
from mtr.models import Entry

PER_PAGE = 25
ORDERS = {"number": Order(("number",), unique=True)}  # the number is unique and indexed
EXPORT_CHUNK = 2000

# The columns a public page or the export reads; never ``data``, ``status_reason`` or contacts.
PUBLIC_FIELDS = (
    "number",
    "kind",
    "addresses",
    "status",
    "valid_from",
    "valid_to",
    "business",
    "business__name",
    "business__registry_code",
    "area",
    "area__code",
    "area__name_et",
    "area__name_en",
    "area__name_ru",
    "area__emtak_code",
)
# The open-data columns, in order: the CSV header and the JSON keys. Changing them breaks users.
EXPORT_KEYS = (
    "number",
    "business_name",
    "registry_code",
    "area_code",
    "area_name_et",
    "area_name_en",
    "area_name_ru",
    "emtak_code",
    "kind",
    "addresses",
    "valid_from",
    "valid_to",
    "status",
)


PAGE_RATE = setting_rate("MTR_PUBLIC_PAGE_RATE", "120/m")
EXPORT_RATE = setting_rate("MTR_PUBLIC_EXPORT_RATE", "10/m")


def _entries():
    """Public entries with what a public page reads, in a stable order (the number is unique)."""
    return (
        Entry.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("business", "area")
        .only(*PUBLIC_FIELDS)
        .order_by("number")
    )


@dataclass(frozen=True)
class PublicEntry:
    """An entry as the public register shows it."""

    number: str
    business_name: str
    registry_code: str
    area_name: str
    area_code: str
    emtak_code: str
    kind_label: str
    addresses: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    status: str
    status_label: str

    @property
    def url(self) -> str:
        return reverse("mtr:public-entry", args=[self.number])


def public_entry(entry: Entry) -> PublicEntry:
    return PublicEntry(
        number=entry.number,
        business_name=entry.business.name,
        registry_code=entry.business.registry_code,
        area_name=entry.area.name,  # in the current language
        area_code=entry.area.code,
        emtak_code=entry.area.emtak_code,
        kind_label=entry.get_kind_display(),
        addresses=tuple(str(address) for address in entry.addresses or ()),
        valid_from=entry.valid_from,
        valid_to=entry.valid_to,
        status=entry.status,
        status_label=str(PUBLIC_STATUS_LABELS[entry.status]),
    )


def open_data_row(entry: Entry) -> dict:
    """One entry of the export, under EXPORT_KEYS (language-independent values)."""
    return {
        "number": entry.number,
        "business_name": entry.business.name,
        "registry_code": entry.business.registry_code,
        "area_code": entry.area.code,
        "area_name_et": entry.area.name_et,
        "area_name_en": entry.area.name_en,
        "area_name_ru": entry.area.name_ru,
        "emtak_code": entry.area.emtak_code,
        "kind": entry.kind,
        "addresses": [str(address) for address in entry.addresses or ()],
        "valid_from": entry.valid_from.isoformat(),
        "valid_to": entry.valid_to.isoformat() if entry.valid_to else None,
        "status": entry.status,
    }


# --- Pages --------------------------------------------------------------------------------------


@require_safe
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, block=True)
def public_entries(request):
    form = EntrySearchForm(request.GET or None)
    page = None
    entries: list[PublicEntry] = []
    if form.is_bound and not form.is_valid():
        pass  # the errors are shown next to their fields; no results
    else:
        if not form.is_bound:
            form = EntrySearchForm({})
            form.is_valid()
        listing = Listing(
            request, form.filter(_entries()), orders=ORDERS, default="number", per_page=PER_PAGE
        )
        page = listing.page
        entries = [public_entry(entry) for entry in page.rows]
    return render(
        request,
        "mtr/entries/list.html",
        {"form": form, "page": page, "entries": entries},
    )


@require_safe
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, block=True)
def public_entry_detail(request, number: str):
    entry = _entries().filter(number=number.upper()).first()
    if entry is None:  # unknown and pending entries alike
        raise Http404
    return render(request, "mtr/entries/detail.html", {"entry": public_entry(entry)})


# --- Open data ----------------------------------------------------------------------------------


def _export_rows():
    """Every valid entry as an open-data row, read in chunks from a server-side cursor."""
    entries = _entries().filter(status=Entry.Status.VALID)
    for entry in entries.iterator(chunk_size=EXPORT_CHUNK):
        yield open_data_row(entry)


def _download(content, *, content_type: str, extension: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type=content_type)
    filename = f"mtr-entries-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Line:
    """A file-like object whose ``write`` hands back the line csv.writer formats."""

    def write(self, value: str) -> str:
        return value


def _csv_lines():
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(EXPORT_KEYS)  # Excel opens UTF-8 with a byte-order mark
    for row in _export_rows():
        values = {**row, "addresses": "; ".join(row["addresses"])}
        yield writer.writerow([csv_cell(values[key]) for key in EXPORT_KEYS])


def _json_chunks(generated_at: str):
    yield f'{{"generated_at": {json.dumps(generated_at)}, "entries": ['
    separator = "\n"
    for row in _export_rows():
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


@require_safe
@never_cache
@ratelimit(group="mtr-public-export", key="ip", rate=EXPORT_RATE, block=True)
def public_entries_csv(request):
    """All valid entries as CSV (UTF-8 with BOM, ``;``-separated, formulas defused)."""
    return _download(_csv_lines(), content_type="text/csv; charset=utf-8", extension="csv")


@require_safe
@never_cache
@ratelimit(group="mtr-public-export", key="ip", rate=EXPORT_RATE, block=True)
def public_entries_json(request):
    """All valid entries as JSON: {"generated_at": …, "entries": [{EXPORT_KEYS…}, …]}."""
    generated_at = timezone.now().isoformat(timespec="seconds")
    return _download(
        _json_chunks(generated_at),
        content_type="application/json; charset=utf-8",
        extension="json",
    )


urlpatterns = [
    path("mtr/entries/", public_entries, name="public-entries"),
    path("mtr/entries/export.csv", public_entries_csv, name="public-entries-csv"),
    path("mtr/entries/export.json", public_entries_json, name="public-entries-json"),
    path("mtr/entries/<str:number>/", public_entry_detail, name="public-entry"),
]
