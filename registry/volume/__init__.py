"""Generated volume of the register (``manage.py generate_volume``): parties, documents over the
demo scheme 2017–today, replies, parcels, files with text and each document's timeline.

Every row is what the services would have written: numbers gapless per series and year in the
order of registration (continuing after what ``core.numbering`` already handed out), deadlines
from ``registry.deadlines``, restrictions from the series' default basis or a personal-data
basis with their legal end dates (an ended one marked as recorded, with its event, as the daily
``restrictions_expire`` would), a reply that answers its document, and the search vectors and
title vocabulary of ``registry.search`` itself: its texts and its SQL, written with each
document's row (``core.volume.Copy`` with computed columns) rather than by an update after.
"""

from __future__ import annotations

import random

from core import volume
from core.models import Event, User
from registry.models import Attachment, Document, Parcel, Party, Series
from registry.volume.documents import Documents, Staff
from registry.volume.parties import make_parties

OPTIONS = [
    ("documents", 1_000_000, "documents over the demo series, 2017 to today"),
    ("parties", 40_000, "senders and recipients: companies, private persons, agencies"),
    ("attachments", 50_000, "files with extracted text"),
]

#: Tables whose secondary indexes are built after the load (core.volume.indexes_built_after).
BULK_MODELS = [Document, Party, Parcel, Attachment, Event]


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
    parties, party_texts = make_parties(counts["parties"], rng)
    log(f"{sum(len(p) for p in parties.values()):,} parties")
    maker = Documents(counts, rng, staff, parties, party_texts)
    ids = maker.write_all(log)
    log(f"{len(ids):,} documents with vectors, {maker.events:,} events, {maker.files:,} files")
    volume.analyze(Party, Document, Attachment, Parcel, Event)
