"""Full-text search of the register: stemmed words in PostgreSQL tsvectors, GIN indexes, prefix
matching, a search that starts from the matching set, highlighting and "did you mean".

**Vectors.** PostgreSQL 15 has no Estonian text-search configuration, so stemming happens in
Python with the Snowball stemmers of the ``snowballstemmer`` package (Estonian for Latin-script
words, Russian for Cyrillic ones). Each text is indexed with the ``simple`` configuration over
unaccented, lowercased text, and every word whose stem differs from it adds its stem as one
more lexeme of the same weight ("teabenõude" is indexed as ``teabenoude`` and ``teabenou``).
Weights: A number and title, B parties, C sender's number, notes and parcel, D file text.
Two vectors per document: ``search_vector`` holds everything staff may search;
``public_search_vector`` only what the public register may show — never a private person's name,
never file text. A restricted document is excluded from public text matches at query time (its
restriction may end or start on any day).

**Query.** Every word of the query must match (AND); a word matches a lexeme that starts with
the word or with the word's stem: ``'teabenõu':*`` for "teabenõude" (its stem is a prefix of it,
so the stem alone asks for both), ``('pöördumine':* | 'pöördumise':*)`` where it is not; unaccent
applies to the query as to the index. So an inflected query finds
the base form and the other inflections whenever the stemmer cuts the inflected word back to a
prefix of them: "teabenõude" finds "teabenõue" and "teabenõuded", "õunapuule" finds "õunapuu",
"заявления" finds "заявление", and "taotlus" finds "taotluse" (prefix, as before).
Limits, as the Snowball Estonian stemmer gives them: it does not undo consonant gradation or
the -se genitive of -us nouns, so a base-form query does not always find a changed stem
("teabenõue" does not find "teabenõude"; "taotluse" does not find "taotlus", though "taotlus"
finds "taotluse"); short words (under three letters) and words with digits are not stemmed; a
prefix also finds longer words ("kiri" finds "kirik"). A document number matches by prefix.

**Speed.** The lists search with a plain condition (``vector @@ query``), and
``core.listing.Listing`` finds few hits first itself: their keys and sort values in a subquery
PostgreSQL may not merge into the page's (``OFFSET 0``), found through the GIN index, then only
those sorted (``Listing._keys``). Left to the planner, a rare word sorted by date made it walk
the ``registered_on`` index backwards through the whole table (its estimate for a prefix query
is 0.5 % of the rows, so it expected a match every 200 rows). Where there is no list to fence
it (the ``exists()`` of "did you mean"), ``staff_search``/``public_search`` with ``few=True``
write ``id = ANY(ARRAY(SELECT id … WHERE vector @@ query))``, which PostgreSQL runs first as
well. The cost grows with the hits: a few ms for a rare word, about the cost of visiting every
matching row for the commonest.

**Highlighting** marks, in Python, the title words the query matches (the same rule as the
index, so no query), and for staff finds a short piece of file text around the first hit for
the rows of the page (one query). **"Did you mean"** looks the query words up in
``SearchTerm``, a vocabulary of title words with a pg_trgm index, and offers a suggestion only
when searching for it finds something the asker may see.
"""

from registry.search.hits import (
    file_snippets,
    headlines,
    mark,
    public_suggestion,
    staff_suggestion,
    suggestion,
)
from registry.search.index import (
    BATCH,
    MAX_FILE_TEXT,
    TEXT_COLUMNS,
    IndexParty,
    IndexRow,
    bulk_refresh,
    document_texts,
    indexed_texts,
    is_restricted,
    numbered_vectors,
    refresh,
    reindex_all,
    row_of,
    rows_of,
    title_terms,
    unsaved_row,
    vector_sql,
    write_terms,
    write_title_terms,
)
from registry.search.query import public_search, staff_search
from registry.search.words import (
    WORD,
    indexed_text,
    query_words,
    raw_query,
    stem,
    to_query,
    unaccent,
    words_of,
)

__all__ = [
    "BATCH",
    "MAX_FILE_TEXT",
    "TEXT_COLUMNS",
    "WORD",
    "IndexParty",
    "IndexRow",
    "bulk_refresh",
    "document_texts",
    "file_snippets",
    "headlines",
    "indexed_text",
    "indexed_texts",
    "is_restricted",
    "mark",
    "numbered_vectors",
    "public_search",
    "public_suggestion",
    "query_words",
    "raw_query",
    "refresh",
    "reindex_all",
    "row_of",
    "rows_of",
    "staff_search",
    "staff_suggestion",
    "stem",
    "suggestion",
    "title_terms",
    "to_query",
    "unaccent",
    "unsaved_row",
    "vector_sql",
    "words_of",
    "write_terms",
    "write_title_terms",
]
