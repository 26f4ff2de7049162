"""The search vectors of documents and the title vocabulary: ``refresh`` for one document inside
a service's transaction, ``bulk_refresh`` for many (about 5,000 a second), ``reindex_all`` for
the whole register. Both build the texts with ``document_texts`` and write with one statement,
so they give the same vectors. ``generate_volume`` inserts its documents with the same texts
(``indexed_texts``) and the same SQL (``vector_sql``), and their words with ``title_terms``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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


def is_restricted(basis_id, end: date | None, lifted_on: date | None, today: date) -> bool:
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
    return replace(
        unsaved_row(document, today=today),
        id=document.pk,
        parcel=(parcel.carrier, parcel.tracking_code) if parcel is not None else None,
        files=[(a.name, a.text) for a in attachments],
    )


def unsaved_row(document, *, today: date) -> IndexRow:
    """The ``IndexRow`` of a document not yet inserted (no query): no files and no parcel yet,
    whose texts a caller that adds them writes again with ``refresh``."""
    return IndexRow(
        id=0,
        number=document.number,
        title=document.title,
        sender_reference=document.sender_reference,
        notes=document.notes,
        restricted=is_restricted(
            document.restriction_basis_id,
            document.restriction_end,
            document.restriction_lifted_on,
            today,
        ),
        sender=_index_party(document.sender),
        recipient=_index_party(document.recipient),
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
            restricted=is_restricted(basis, end, lifted, today),
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


#: The texts a document's vectors are made of (``indexed_texts``), in this order.
TEXT_COLUMNS = ("head", "parties", "extra", "files", "public_parties")
# The vocabulary write: new words are inserted (DO NOTHING locks no existing row, so concurrent
# registrations with the same common title words never wait on each other); a word first seen in
# a restricted title becomes public by an UPDATE that touches only the rows it changes.
_TERMS = """
new_terms AS (
    INSERT INTO registry_searchterm (word, public)
    SELECT word, public FROM unnest(%s::text[], %s::boolean[]) AS t(word, public) ORDER BY word
    ON CONFLICT (word) DO NOTHING
), public_terms AS (
    UPDATE registry_searchterm SET public = true WHERE word = ANY(%s::text[]) AND NOT public
)"""
# The two vectors from the texts of ``document_texts`` (after ``indexed_text``): the one place
# that says how, for ``_WRITE`` and ``generate_volume`` (through ``vector_sql``) and for
# ``numbered_vectors``.
_VECTOR = """
        setweight(to_tsvector('simple', unaccent({head})), 'A')
        || setweight(to_tsvector('simple', unaccent({parties})), 'B')
        || setweight(to_tsvector('simple', unaccent({extra})), 'C')
        || setweight(to_tsvector('simple', unaccent({files})), 'D')"""
_PUBLIC_VECTOR = """
        setweight(to_tsvector('simple', unaccent({head})), 'A')
        || setweight(to_tsvector('simple', unaccent({public_parties})), 'B')"""


def vector_sql(table: str) -> dict[str, str]:
    """The SQL of ``search_vector`` and ``public_search_vector`` (by column name) from the
    texts of ``indexed_texts`` held in the columns ``TEXT_COLUMNS`` of ``table``: what
    ``refresh`` and ``bulk_refresh`` write, and ``generate_volume`` inserts its documents with."""
    head, parties, extra, files, public_parties = (f"{table}.{c}" for c in TEXT_COLUMNS)
    return {
        "search_vector": _VECTOR.format(head=head, parties=parties, extra=extra, files=files),
        "public_search_vector": _PUBLIC_VECTOR.format(head=head, public_parties=public_parties),
    }


_VECTORS = vector_sql("v")
# One statement, one round trip: the title words, then the vectors.
_WRITE = f"""
WITH {_TERMS}
UPDATE registry_document AS d SET
    search_vector = {_VECTORS["search_vector"]},
    public_search_vector = {_VECTORS["public_search_vector"]}
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
    AS v(id, head, parties, extra, files, public_parties)
WHERE d.id = v.id
"""  # noqa: S608 - made of this module's constants only
_WRITE_TERMS = f"WITH {_TERMS} SELECT 1"
# What stands for the running number in a text whose number is not taken yet: not a word
# character (so no stem is added for it and no word runs into it), unchanged by lower() and NFC,
# and never in a stored text (PostgreSQL text cannot hold it).
_PENDING = "\x00"


def _terms_of(title: str) -> set[str]:
    low, high = TERM_LENGTH
    return {word for word in words_of(title) if low <= len(word) <= high and word.isalpha()}


def title_terms(rows: Iterable[IndexRow], terms: dict[str, bool] | None = None) -> dict[str, bool]:
    """The vocabulary words of the titles of ``rows``, each with whether an unrestricted title
    holds it (added to ``terms`` when given, so a caller may gather many batches)."""
    terms = {} if terms is None else terms
    for row in rows:
        for word in _terms_of(row.title):
            terms[word] = terms.get(word, False) or not row.restricted
    return terms


def _term_params(terms: dict[str, bool]) -> list:
    words = sorted(terms)  # one order for every writer: concurrent inserts never deadlock
    return [words, [terms[word] for word in words], [word for word in words if terms[word]]]


def indexed_texts(row: IndexRow) -> list[str]:
    """The texts of ``document_texts`` as the vectors index them (``indexed_text``), in the
    order of ``TEXT_COLUMNS``."""
    texts = document_texts(row)
    return [indexed_text(texts[name]) for name in TEXT_COLUMNS]


def _write(rows: Iterable[IndexRow]) -> int:
    """The vectors of ``rows`` and their title words, in one statement."""
    rows = list(rows)
    if not rows:
        return 0
    ids = [row.id for row in rows]
    texts = list(zip(*(indexed_texts(row) for row in rows), strict=True))
    params = _term_params(title_terms(rows)) + [ids, *(list(column) for column in texts)]
    with connection.cursor() as cursor:
        cursor.execute(_WRITE, params)
    return len(rows)


def write_terms(row: IndexRow) -> None:
    """Add the title words of a document to the vocabulary (one statement): for a registration,
    which writes them before it takes its number and its vectors with ``numbered_vectors``."""
    with connection.cursor() as cursor:
        cursor.execute(_WRITE_TERMS, _term_params(title_terms([row])))


def write_title_terms(terms: dict[str, bool]) -> None:
    """Add the words ``title_terms`` gathered to the vocabulary, as ``refresh`` adds a
    document's (one statement; ``generate_volume`` after its COPY)."""
    if terms:
        with connection.cursor() as cursor:
            cursor.execute(_WRITE_TERMS, _term_params(terms))


def numbered_vectors(row: IndexRow, running_number_sql: str) -> tuple[str, str, list]:
    """The SQL of the staff and public vectors of a document whose number is taken in the same
    statement: ``row.number`` is the number without its running part (``"1-2/26-"``) and
    ``running_number_sql`` the SQL text of that part. The vectors are the ones ``refresh`` writes
    for the finished number (the running part is digits, which are never stemmed, and follows a
    hyphen, so no word runs into it). Returns (staff SQL, public SQL, parameters of both)."""
    texts = document_texts(replace(row, number=row.number + _PENDING))
    before, _pending, after = indexed_text(texts["head"]).partition(_PENDING)
    head = f"(%s || {running_number_sql} || %s)"
    staff = _VECTOR.format(head=head, parties="%s", extra="%s", files="%s")
    public = _PUBLIC_VECTOR.format(head=head, public_parties="%s")
    params = [before, after, *(indexed_text(texts[name]) for name in ("parties", "extra", "files"))]
    params += [before, after, indexed_text(texts["public_parties"])]
    return staff, public, params


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
