"""What a list shows of a search: marked titles, a piece of file text where the hit is (staff),
and "did you mean" when nothing was found."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db import connection
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from registry.models import Document
from registry.search.index import MAX_FILE_TEXT
from registry.search.query import public_search, staff_search
from registry.search.words import WORD, query_words, stem, unaccent

SNIPPET_BEFORE, SNIPPET_LENGTH = 60, 200


def _terms(text: str) -> tuple[str, ...]:
    """The unaccented prefixes a word of a document must start with (or its stem must)."""
    terms = set()
    for word in query_words(text):
        terms.add(unaccent(word))
        terms.add(unaccent(stem(word)))
    return tuple(sorted(terms))


@lru_cache(maxsize=100_000)
def _hit(word: str, terms: tuple[str, ...]) -> bool:
    """Whether ``word`` (as written) is a hit of ``terms``; remembered, as a page marks the same
    words again and again (unaccenting letter by letter was a page's largest Python cost)."""
    low = word.lower()
    return unaccent(low).startswith(terms) or unaccent(stem(low)).startswith(terms)


def mark(text: str, query: str) -> SafeString:
    """``text`` escaped, with each word the query matches in <mark>."""
    terms = _terms(query)
    if not terms or not text:
        return escape(text)
    text = unicodedata.normalize("NFC", text)
    parts, end = [], 0
    for match in WORD.finditer(text):
        if _hit(match.group(), terms):
            parts += [escape(text[end : match.start()]), f"<mark>{escape(match.group())}</mark>"]
            end = match.end()
    if not parts:
        return escape(text)
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def _has_hit(text: str, terms: tuple[str, ...]) -> bool:
    return any(_hit(word, terms) for word in WORD.findall(text))


_SNIPPETS = """
SELECT DISTINCT ON (a.document_id) a.document_id,
       substr(a.text, greatest(p.at - %(before)s, 1), %(length)s)
FROM registry_attachment a
CROSS JOIN LATERAL (
    SELECT regexp_instr(
        CASE WHEN octet_length(a.text) > %(max)s THEN left(a.text, %(max)s) ELSE a.text END,
        %(pattern)s
    ) AS at
    OFFSET 0
) p
WHERE a.document_id = ANY(%(ids)s) AND p.at > 0
ORDER BY a.document_id, a.uploaded_at, a.id
"""


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """{letter: the accented letters unaccent makes into it} ("o": "òóôõöøō…")."""
    found: dict[str, str] = {}
    for code in (*range(0xC0, 0x250), *range(0x400, 0x460)):
        letter = chr(code)
        base = unaccent(letter)
        if letter.islower() and len(base) == 1 and base != letter:
            found[base] = found.get(base, "") + letter
    return found


def _any_accent(term: str) -> str:
    """A regular expression for ``term`` (unaccented, lower case) that matches the text as
    written: each letter a class of itself and its accented forms, in both cases."""
    parts = []
    for letter in term:
        forms = letter + _variants().get(letter, "")
        forms = "".join(dict.fromkeys(forms + forms.upper()))
        parts.append(f"[{forms}]" if len(forms) > 1 else letter)
    return "".join(parts)


def file_snippets(document_ids: list[int], query: str) -> dict[int, str]:
    """A piece of file text around the first hit in each document's files (one query). The
    text is searched as it is written, with a pattern that allows every accent and case: making
    each whole text lower case and unaccented first cost a page of rare-word hits 30 ms. A word
    starts at the text's start or after a space or punctuation mark (not ``\\m``, whose idea of
    a letter depends on the database's locale).

    The pattern runs once a file (``OFFSET 0`` keeps PostgreSQL from inlining it into both the
    condition and the piece cut out), and over the text itself: cutting every text to
    ``MAX_FILE_TEXT`` first (``left``, which counts the characters of each) cost more than the
    search; only a text longer in bytes is cut. 50 files of rare-word hits: 10 ms to 3."""
    terms = _terms(query)
    if not terms or not document_ids:
        return {}
    # terms are letters and digits only
    pattern = r"(^|[[:space:][:punct:]])(" + "|".join(_any_accent(t) for t in terms) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            _SNIPPETS,
            {
                "before": SNIPPET_BEFORE,
                "length": SNIPPET_LENGTH,
                "max": MAX_FILE_TEXT,
                "pattern": pattern,
                "ids": list(document_ids),
            },
        )
        return dict(cursor.fetchall())


def headlines(documents, text: str, *, files: bool = True) -> dict[int, SafeString]:
    """``{id: html}`` for the documents of a page: the title with its hits marked, and (staff,
    ``files``) when the title has none, a marked piece of file text where the hit is. At most one
    query, none without search words. Public pages pass ``files=False``."""
    terms = _terms(text or "")
    if not terms:
        return {}
    documents = list(documents)
    result = {document.pk: mark(document.title, text) for document in documents}
    if files:
        # A piece of file text only where the row itself shows no hit (title, sender, recipient).
        missing = [d.pk for d in documents if not any(_has_hit(t, terms) for t in _shown(d))]
        for pk, snippet in file_snippets(missing, text).items():
            piece = " ".join(snippet.split())
            result[pk] = format_snippet(result[pk], mark(piece, text))
    return result


def _shown(document) -> list[str]:
    """The texts of a list row a hit may be in: the title and the parties' names."""
    texts = [document.title]
    for party in (document.sender, document.recipient):
        if party is not None:
            texts.append(str(party))
    return texts


def format_snippet(title: SafeString, snippet: SafeString) -> SafeString:
    return mark_safe(  # noqa: S308 - both parts are escaped html
        f'{title}<span class="d-block small text-body-secondary search-snippet">…{snippet}…</span>'
    )


# --- Did you mean -------------------------------------------------------------------------------

_CANDIDATES = """
SELECT q.word, t.word
FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n)
CROSS JOIN LATERAL (
    SELECT word, similarity(word, q.word) AS score FROM registry_searchterm
    WHERE word %% q.word {public}
    ORDER BY score DESC, word LIMIT 1
) t
"""


def suggestion(queryset, text: str, *, search, public: bool) -> str | None:
    """A query like ``text`` with each unknown word replaced by the closest word of the title
    vocabulary (pg_trgm), offered only when ``search(queryset, suggestion)`` finds something:
    a word of a document the asker may not see is never suggested. Two queries at most."""
    words = [word for word in query_words(text) if not word.isdigit()][:4]
    if not words:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_CANDIDATES.format(public="AND public" if public else ""), [words])
        closest = dict(cursor.fetchall())
    suggested = [closest.get(word, word) for word in words]
    if suggested == words:
        return None
    proposal = " ".join(suggested)
    return proposal if search(queryset, proposal).exists() else None


def staff_suggestion(user, text: str) -> str | None:
    return suggestion(Document.objects.visible_to(user), text, search=staff_search, public=False)


def public_suggestion(text: str) -> str | None:
    """Only words seen in an unrestricted document's title, and only if a public search for the
    suggestion finds a document (restricted ones match words only for staff)."""
    today = timezone.localdate()
    return suggestion(
        Document.objects.all(),
        text,
        search=lambda queryset, proposal: public_search(queryset, proposal, today=today),
        public=True,
    )
