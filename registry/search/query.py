"""The search conditions of the staff list and the public register: a plain condition for the
lists (core.listing.Listing finds few hits first itself), or one that finds its matching set
first by itself (``few``)."""

from __future__ import annotations

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from registry.models import Document
from registry.search.words import raw_query, to_query


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def could_be_number(text: str) -> bool:
    """Whether ``text`` may be the start of a register number ("1-3/18-92", code/year-sequence):
    one typed far enough to matter has a digit or the slash. A search for
    words alone leaves the number condition out: an OR with it made PostgreSQL test the words
    again on every hit, reading each file text's vector (issue 16)."""
    return "/" in text or any(character.isdigit() for character in text)


_VECTORS = ("search_vector", "public_search_vector")


def _matching(vector: str, text: str) -> RawSQL:
    """The documents whose number starts with ``text`` or whose ``vector`` matches it, as
    ``id = ANY(ARRAY(subquery))``: PostgreSQL runs the subquery once, first (an InitPlan: a
    bitmap OR of the GIN and number indexes), then fetches those rows by primary key and sorts
    and pages only them. It cannot turn this into a walk of a date index that tests every row."""
    if vector not in _VECTORS:
        raise ValueError(vector)
    conditions, values = [], []
    if could_be_number(text):
        conditions.append("number LIKE %s")
        values.append(_like_prefix(text))
    raw = raw_query(text)
    if raw is not None:
        conditions.append(f"{vector} @@ to_tsquery('simple', unaccent(%s))")
        values.append(raw)
    if not conditions:
        return RawSQL("false", [], output_field=BooleanField())  # noqa: S611
    # A column name from _VECTORS; the values are parameters.
    where = " OR ".join(conditions)
    subquery = f"SELECT id FROM registry_document WHERE {where}"  # noqa: S608
    sql = f'"registry_document"."id" = ANY(ARRAY({subquery}))'
    return RawSQL(sql, values, output_field=BooleanField())  # noqa: S611


def _plain(vector: str, text: str) -> Q:
    """The same condition as ``_matching``, left to the planner: for a common word, walking the
    list order's index finds a page's rows at once (every few rows is a hit)."""
    condition = Q(number__startswith=text) if could_be_number(text) else Q(pk__in=[])
    query = to_query(text)
    if query is not None:
        condition |= Q(**{vector: query})
    return condition


def staff_search(queryset, text: str, *, few: bool = True):
    """Documents matching ``text`` by number prefix or by words anywhere. ``few``: as a query
    that finds the matching set first by itself (for a query without the list's fence, e.g.
    "did you mean"'s ``exists()``); else as a plain condition (the lists, whose
    core.listing.Listing finds few hits first itself, and the capped count)."""
    text = text.strip()
    if few:
        return queryset.filter(_matching("search_vector", text))
    return queryset.filter(_plain("search_vector", text))


def public_search(queryset, text: str, *, today, few: bool = True):
    """Public matches: number prefix for every document; words only in unrestricted ones."""
    text = text.strip()
    found = _matching("public_search_vector", text) if few else _plain("public_search_vector", text)
    # (number or words) and (number or not restricted) = number or (words and not restricted)
    return queryset.filter(found).filter(
        Q(number__startswith=text) | ~Document.objects.restricted_q(today)
    )
