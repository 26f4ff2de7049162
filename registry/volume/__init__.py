"""Generated volume of the register (``manage.py generate_volume``): parties, documents over the
demo scheme 2017–today, replies, parcels, files with text and each document's timeline.

Every row is what the services would have written: numbers gapless per series and year in the
order of registration (continuing after what ``core.numbering`` already handed out), deadlines
from ``registry.deadlines``, restrictions from the series' default basis or a personal-data
basis with their legal end dates (an ended one marked as recorded, with its event, as the daily
``restrictions_expire`` would), a reply that answers its document, and the search vectors
computed by ``registry.search`` itself.
"""

from __future__ import annotations

import random

from core import volume
from core.models import Event, User
from registry import search
from registry.models import Attachment, Document, Parcel, Party, Series
from registry.volume.documents import Documents, Staff
from registry.volume.parties import make_parties

OPTIONS = [
    ("documents", 1_000_000, "documents over the demo series, 2017 to today"),
    ("parties", 40_000, "senders and recipients: companies, private persons, agencies"),
    ("attachments", 50_000, "files with extracted text"),
]

#: Tables whose secondary indexes are built after the load (core.volume.indexes_built_after);
#: the attachments keep theirs, which registry.search reads the files by.
BULK_MODELS = [Document, Party, Parcel, Event]


def check() -> str | None:
    if not Series.objects.exists() or not User.objects.filter(username="mari").exists():
        return (
            "the classification scheme or the demo staff is missing: run "
            "`manage.py seed_demo --allow-production` (or with DJANGO_DEBUG=1) first; "
            "generate_volume spreads documents over the demo series and staff."
        )
    return None


def generate(counts: dict[str, int], rng: random.Random, log: volume.Log) -> None:
    staff = Staff()
    parties = make_parties(counts["parties"], rng)
    log(f"{sum(len(p) for p in parties.values()):,} parties")
    maker = Documents(counts, rng, staff, parties)
    ids = maker.write_all(log)
    log(f"{len(ids):,} documents, {maker.events:,} events, {maker.files:,} files")
    _refresh(ids, log)
    volume.analyze(Party, Document, Attachment, Parcel, Event)


def _refresh(ids: list[int], log: volume.Log) -> None:
    """The search vectors, by registry.search itself (bulk when it offers that)."""
    if hasattr(search, "bulk_refresh"):
        search.bulk_refresh(ids)
        log("search vectors: registry.search.bulk_refresh")
        return
    for document in (
        Document.objects.filter(pk__in=ids)
        .select_related("sender", "recipient", "parcel")
        .prefetch_related("attachments")
        .iterator(chunk_size=2000)
    ):
        search.refresh(document)
    log("search vectors: registry.search.refresh per document (no bulk_refresh yet)")
