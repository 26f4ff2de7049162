"""The search vectors of documents and the title vocabulary: ``refresh`` for one document inside
a service's transaction, ``bulk_refresh`` for many (about 5,000 a second), ``reindex_all`` for
the whole register. Both build the texts with ``document_texts`` and write with one statement,
so they give the same vectors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from registry.models import Document
from registry.search.words import indexed_text, words_of

MAX_FILE_TEXT = 400_000  # a tsvector is at most 1 MB; file text beyond this is not searched
BATCH = 2_000  # documents per UPDATE of bulk_refresh
TERM_LENGTH = (3, 40)  # words of this length go into the "did you mean" vocabulary


@dataclass(frozen=True)
class IndexParty:
    name: str
    code: str
    email: str
    is_private_person: bool


@dataclass
class IndexRow:
    """What the vectors of one document are made of, read from a model instance (``refresh``)
    or straight from the database (``bulk_refresh``): one function builds the texts of both."""

    id: int
    number: str
    title: str
    sender_reference: str
    notes: str
    restricted: bool  # a restriction in force when the vectors are computed
    sender: IndexParty | None = None
    recipient: IndexParty | None = None
    parcel: tuple[str, str] | None = None  # carrier, tracking code
    files: list[tuple[str, str]] = field(default_factory=list)  # name, text, in upload order


def _party_text(party: IndexParty | None, *, public: bool) -> str:
    if party is None:
        return ""
    if public and party.is_private_person:
        return ""
    return " ".join(filter(None, [party.name, "" if public else party.code, party.email]))


def _restricted(basis_id, end: date | None, lifted_on: date | None, today: date) -> bool:
    """``Document.is_restricted`` on plain values (migrations have no model methods)."""
    return bool(basis_id and lifted_on is None and end is not None and today <= end)


def document_texts(row: IndexRow) -> dict[str, str]:
    """The texts of a document's vectors, by weight: what staff and the public may search."""
    parties = [row.sender, row.recipient]
    extra = [row.sender_reference, row.notes, *(row.parcel or ())]
    files = []
    for name, text in row.files:
        files += [name, text]
    return {
        "head": " ".join(filter(None, [row.number, row.title])),
        "parties": " ".join(_party_text(party, public=False) for party in parties),
        "extra": " ".join(filter(None, extra)),
        "files": " ".join(files)[:MAX_FILE_TEXT],
        "public_parties": " ".join(_party_text(party, public=True) for party in parties),
    }


def _index_party(party) -> IndexParty | None:
    if party is None:
        return None
    return IndexParty(party.name, party.code, party.email, party.is_private_person)


def row_of(document, *, today: date) -> IndexRow:
    """The ``IndexRow`` of a document instance (reads its sender, recipient, parcel and files;
    select or prefetch them)."""
    parcel = getattr(document, "parcel", None) if document.doc_type == "parcel" else None
    attachments = sorted(document.attachments.all(), key=lambda a: (a.uploaded_at, a.id))
    return IndexRow(
        id=document.pk,
        number=document.number,
        title=document.title,
        sender_reference=document.sender_reference,
        notes=document.notes,
        restricted=_restricted(
            document.restriction_basis_id,
            document.restriction_end,
            document.restriction_lifted_on,
            today,
        ),
        sender=_index_party(document.sender),
        recipient=_index_party(document.recipient),
        parcel=(parcel.carrier, parcel.tracking_code) if parcel is not None else None,
        files=[(a.name, a.text) for a in attachments],
    )


_PARTY_FIELDS = ("name", "code", "email", "is_private_person")
_ROW_FIELDS = (
    *("id", "number", "title", "sender_reference", "notes", "doc_type"),
    *("restriction_basis_id", "restriction_end", "restriction_lifted_on"),
    *(f"sender__{name}" for name in _PARTY_FIELDS),
    *(f"recipient__{name}" for name in _PARTY_FIELDS),
    *("parcel__carrier", "parcel__tracking_code"),
)


def _party_from(values: tuple) -> IndexParty | None:
    return None if values[0] is None else IndexParty(*values)


def rows_of(model, ids: list[int], *, today: date) -> list[IndexRow]:
    """The ``IndexRow``s of documents ``ids`` in two queries, without model instances (the
    same values ``row_of`` reads; ``model`` may be a migration's historical Document)."""
    rows = {}
    for values in model.objects.filter(pk__in=ids).order_by().values_list(*_ROW_FIELDS):
        pk, number, title, reference, notes, doc_type, basis, end, lifted = values[:9]
        carrier, tracking = values[17:19]
        rows[pk] = IndexRow(
            id=pk,
            number=number,
            title=title,
            sender_reference=reference,
            notes=notes,
            restricted=_restricted(basis, end, lifted, today),
            sender=_party_from(values[9:13]),
            recipient=_party_from(values[13:17]),
            parcel=(carrier, tracking) if doc_type == "parcel" and carrier is not None else None,
        )
    attachments = model._meta.get_field("attachments").related_model
    files = (
        attachments.objects.filter(document_id__in=ids)
        .order_by("document_id", "uploaded_at", "id")
        .values_list("document_id", "name", "text")
    )
    for document_id, name, text in files:
        rows[document_id].files.append((name, text))
    return list(rows.values())


_TEXT_COLUMNS = ("head", "parties", "extra", "files", "public_parties")
# One statement, one round trip: the vectors, then the title words. New words are inserted
# (DO NOTHING locks no existing row, so concurrent registrations with the same common title
# words never wait on each other); a word first seen in a restricted title becomes public by an
# UPDATE that touches only the rows it changes.
_WRITE = """
WITH new_terms AS (
    INSERT INTO registry_searchterm (word, public)
    SELECT word, public FROM unnest(%s::text[], %s::boolean[]) AS t(word, public) ORDER BY word
    ON CONFLICT (word) DO NOTHING
), public_terms AS (
    UPDATE registry_searchterm SET public = true WHERE word = ANY(%s::text[]) AND NOT public
)
UPDATE registry_document AS d SET
    search_vector =
        setweight(to_tsvector('simple', unaccent(v.head)), 'A')
        || setweight(to_tsvector('simple', unaccent(v.parties)), 'B')
        || setweight(to_tsvector('simple', unaccent(v.extra)), 'C')
        || setweight(to_tsvector('simple', unaccent(v.files)), 'D'),
    public_search_vector =
        setweight(to_tsvector('simple', unaccent(v.head)), 'A')
        || setweight(to_tsvector('simple', unaccent(v.public_parties)), 'B')
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
    AS v(id, head, parties, extra, files, public_parties)
WHERE d.id = v.id
"""


def _terms_of(title: str) -> set[str]:
    low, high = TERM_LENGTH
    return {word for word in words_of(title) if low <= len(word) <= high and word.isalpha()}


def _write(rows: Iterable[IndexRow]) -> int:
    """The vectors of ``rows`` and their title words, in one statement."""
    columns: dict[str, list] = {"id": [], **{name: [] for name in _TEXT_COLUMNS}}
    terms: dict[str, bool] = {}
    for row in rows:
        texts = document_texts(row)
        columns["id"].append(row.id)
        for name in _TEXT_COLUMNS:
            columns[name].append(indexed_text(texts[name]))
        for word in _terms_of(row.title):
            terms[word] = terms.get(word, False) or not row.restricted
    if not columns["id"]:
        return 0
    words = sorted(terms)  # one order for every writer: concurrent inserts never deadlock
    params = [words, [terms[word] for word in words], [word for word in words if terms[word]]]
    params += [columns["id"], *(columns[name] for name in _TEXT_COLUMNS)]
    with connection.cursor() as cursor:
        cursor.execute(_WRITE, params)
    return len(columns["id"])


def refresh(document) -> None:
    """Recompute the search vectors of one document (inside the caller's transaction).
    Writes with the same statement as ``bulk_refresh``, so both give the same vectors."""
    _write([row_of(document, today=timezone.localdate())])


def bulk_refresh(document_ids: Iterable[int], *, batch_size: int = BATCH, model=None) -> int:
    """Recompute the vectors of many documents, ``batch_size`` at a time: the texts are built in
    Python as ``refresh`` builds them, the tsvectors in one UPDATE per batch (about 5,000
    documents a second). ``model`` is the Document model (a migration passes its historical
    one). Returns the number of documents updated."""
    model = model or Document
    ids = sorted(set(document_ids))  # in id order: the UPDATEs walk the table forwards
    today = timezone.localdate()
    done = 0
    for start in range(0, len(ids), batch_size):
        done += _write(rows_of(model, ids[start : start + batch_size], today=today))
    return done


def reindex_all(*, model=None, batch_size: int = BATCH, progress=None) -> int:
    """``bulk_refresh`` of every document, in id order (``reindex_search`` and the migration)."""
    model = model or Document
    done, last = 0, 0
    while True:
        ids = list(
            model.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[: batch_size * 10]
        )
        if not ids:
            return done
        done += bulk_refresh(ids, batch_size=batch_size, model=model)
        last = ids[-1]
        if progress is not None:
            progress(done)
