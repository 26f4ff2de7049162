"""Full-text search of the register: PostgreSQL tsvector with the `simple` configuration over
unaccented text (so "Õunapuu", "ounapuu" and "õunapuu" all match), GIN indexes, prefix matching.

Two vectors per document: ``search_vector`` holds everything staff may search (parties, sender's
number, extracted attachment text); ``public_search_vector`` only what the public register may
show — never a private person's name, never file text. A restricted document is excluded from
public text matches at query time (its restriction may end or start on any day).
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Func, Q, Value

from registry.models import Document

MAX_FILE_TEXT = 400_000  # a tsvector is at most 1 MB; file text beyond this is not searched
WORD = re.compile(r"\w+", re.UNICODE)


def _vector(text: str, weight: str) -> SearchVector:
    return SearchVector(Func(Value(text), function="unaccent"), config="simple", weight=weight)


def _party_text(party, *, public: bool) -> str:
    if party is None:
        return ""
    if public and party.is_private_person:
        return ""
    return " ".join(filter(None, [party.name, "" if public else party.code, party.email]))


def document_vectors(document: Document) -> tuple[SearchVector, SearchVector]:
    """The staff and public search vectors of a document, as expressions for an UPDATE."""
    head = " ".join(filter(None, [document.number, document.title]))
    parties = " ".join(
        [_party_text(document.sender, public=False), _party_text(document.recipient, public=False)]
    )
    extra = [document.sender_reference, document.notes]
    parcel = getattr(document, "parcel", None) if document.doc_type == "parcel" else None
    if parcel is not None:
        extra += [parcel.carrier, parcel.tracking_code]
    files = []
    for attachment in document.attachments.all():
        files += [attachment.name, attachment.text]
    file_text = " ".join(files)[:MAX_FILE_TEXT]
    staff = (
        _vector(head, "A")
        + _vector(parties, "B")
        + _vector(" ".join(filter(None, extra)), "C")
        + _vector(file_text, "D")
    )
    public_parties = " ".join(
        [_party_text(document.sender, public=True), _party_text(document.recipient, public=True)]
    )
    public = _vector(head, "A") + _vector(public_parties, "B")
    return staff, public


def refresh(document: Document) -> None:
    """Recompute the search vectors of one document (inside the caller's transaction)."""
    staff, public = document_vectors(document)
    Document.objects.filter(pk=document.pk).update(search_vector=staff, public_search_vector=public)


def to_query(text: str) -> SearchQuery | None:
    """A prefix query of every word in ``text`` (all must match), or None if it has no words."""
    words = WORD.findall(text.lower())[:12]
    if not words:
        return None
    raw = " & ".join(f"{word}:*" for word in words)  # only \\w characters: no query syntax
    return SearchQuery(Func(Value(raw), function="unaccent"), config="simple", search_type="raw")


def staff_search(queryset, text: str):
    """Documents matching ``text`` by number prefix or by words anywhere."""
    text = text.strip()
    query = to_query(text)
    condition = Q(number__startswith=text)
    if query is not None:
        condition |= Q(search_vector=query)
    return queryset.filter(condition)


def public_search(queryset, text: str, *, today):
    """Public matches: number prefix for every document; words only in unrestricted ones."""
    text = text.strip()
    query = to_query(text)
    condition = Q(number__startswith=text)
    if query is not None:
        condition |= Q(public_search_vector=query) & ~Document.objects.restricted_q(today)
    return queryset.filter(condition)
