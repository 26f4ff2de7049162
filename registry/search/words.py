"""Words, stems and accents: the one place that decides what a word of the register is, for the
index, the query and the marks alike (see the package docstring for the approach and limits)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchQuery
from django.db.models import Func, Value

MAX_QUERY_WORDS = 12
WORD = re.compile(r"\w+", re.UNICODE)
# Characters a query word keeps: letters and decimal digits. Modifier letters (ʼ) and fractions
# (½) are \w too, but unaccent turns them into quotes and slashes, which are query syntax.
QUERY_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lo", "Nd"})
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MIN_STEM_LENGTH = 3

_ESTONIAN = snowballstemmer.stemmer("estonian")
_RUSSIAN = snowballstemmer.stemmer("russian")


def words_of(text: str) -> list[str]:
    """The lowercased words of ``text`` (NFC, so a decomposed "õ" is one letter)."""
    return WORD.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a lowercased word: Russian for Cyrillic, Estonian otherwise; the
    word itself when it is short or holds digits."""
    if len(word) < MIN_STEM_LENGTH or not word.isalpha():
        return word
    stemmer = _RUSSIAN if CYRILLIC.search(word) else _ESTONIAN
    return stemmer.stemWord(word)


def indexed_text(text: str) -> str:
    """``text`` lowercased, followed by the stems that differ from their words: what
    ``to_tsvector('simple', unaccent(...))`` turns into lexemes."""
    text = unicodedata.normalize("NFC", text).lower()
    stems = {}
    # Each word once, in the order of its first use (a long text repeats its words): the same
    # stems in the same order as word by word, with far fewer calls.
    for word in dict.fromkeys(WORD.findall(text)):
        stemmed = stem(word)
        if stemmed != word:
            stems[stemmed] = None
    return f"{text} {' '.join(stems)}" if stems else text


_ACCENTS = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i"}
)


def unaccent(text: str) -> str:
    """What PostgreSQL's ``unaccent`` gives for lowercase Estonian, Latvian, Lithuanian, Finnish,
    German and Russian letters (tested against it); used only to mark hits, never to index."""
    return "".join(_unaccent_letter(ch) for ch in text)


@lru_cache(maxsize=4096)
def _unaccent_letter(ch: str) -> str:
    if ch in "йЙ":  # unaccent keeps it (NFKD would make it и)
        return ch
    decomposed = unicodedata.normalize("NFKD", ch.translate(_ACCENTS))
    return "".join(part for part in decomposed if not unicodedata.combining(part))


def query_words(text: str) -> list[str]:
    """The words of a query, without characters that unaccent would make into query syntax."""
    words = []
    for word in words_of(text):
        kept = "".join(ch for ch in word if unicodedata.category(ch) in QUERY_CATEGORIES)
        if kept and "ŉ" not in kept:  # ŉ unaccents to 'n
            words.append(kept)
    return words[:MAX_QUERY_WORDS]


def raw_query(text: str) -> str | None:
    """The tsquery text (before unaccent) of ``text``: every word as a prefix, or its stem."""
    terms = []
    for word in query_words(text):
        stemmed = stem(word)
        if word.startswith(stemmed):  # every lexeme starting with the word starts with its stem
            terms.append(f"'{stemmed}':*")
        else:
            terms.append(f"('{word}':* | '{stemmed}':*)")
    return " & ".join(terms) or None


def to_query(text: str) -> SearchQuery | None:
    """The tsquery of ``text`` (for ``filter(search_vector=...)``), or None if it has no words."""
    raw = raw_query(text)
    if raw is None:
        return None
    return SearchQuery(Func(Value(raw), function="unaccent"), config="simple", search_type="raw")
