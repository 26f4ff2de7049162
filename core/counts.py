"""Capped counts of several querysets in one query: the status tabs above a list.

A tab's number is a count like the list's own (core.listing): exact up to ``cap``, beyond it
only "more than ``cap``". ``COUNT(*) FILTER (…)`` over the whole table reads every row (100 ms
over 200,000 tickets); each capped count stops after ``cap + 1`` rows of its status's index.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Count, Q, QuerySet, Value
from django.utils.formats import number_format
from django.utils.translation import gettext

from core.listing import COUNT_CAP


def capped_counts(querysets: dict[str, QuerySet], cap: int = COUNT_CAP) -> dict[str, int]:
    """{key: the number of rows of the queryset, at most ``cap + 1``} (over ``cap``: more than
    ``cap``), all in one query."""
    if not querysets:
        return {}
    using = next(iter(querysets.values())).db
    parts = {key: capped_count_sql(queryset, cap) for key, queryset in querysets.items()}
    return _count_together(parts, using)


def _count_together(parts: dict[str, tuple[str, list]], using: str) -> dict[str, int]:
    params = [value for _sql, values in parts.values() for value in values]
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql for sql, _values in parts.values()), params)
        row = cursor.fetchone()
    return dict(zip(parts, row, strict=True))


def capped_counts_by(
    queryset: QuerySet, field: str, values, cap: int | None = None
) -> tuple[dict[str, int], int]:
    """The capped count of ``queryset``'s rows for each of ``values`` of ``field`` (the status
    tabs), and of all of them, in one query. ``values`` must be every value the field can hold
    (a status): the total is then the sum of the tabs, capped, and never counted on its own.
    Counting the total as well read the commonest status's rows twice (200,000 tickets, most of
    them closed: ``cap + 1`` rows for all, as many again for closed). ``cap``: COUNT_CAP.

    The queryset is compiled twice, not once per value: the two compilations tell which
    parameters are the value, and the other values' counts reuse that SQL with their value in
    those places (compiling eight filtered querysets cost a list page 2–3 ms of Python)."""
    cap = COUNT_CAP if cap is None else cap
    values = list(values)
    compiled = [capped_count_sql(queryset.filter(**{field: value}), cap) for value in values[:2]]
    parts = dict(zip(values, compiled, strict=False))
    if len(compiled) == 2 and compiled[0][0] == compiled[1][0]:
        sql, first = compiled[0]
        spots = [i for i, (a, b) in enumerate(zip(first, compiled[1][1], strict=True)) if a != b]
        if spots and all(first[i] == values[0] for i in spots):
            for value in values[2:]:
                params = list(first)
                for i in spots:
                    params[i] = value
                parts[value] = (sql, params)
    for value in values[len(parts) :]:  # SQL that did not compare: compile each
        parts[value] = capped_count_sql(queryset.filter(**{field: value}), cap)
    counts = _count_together(parts, queryset.db) if parts else {}
    return counts, min(sum(counts.values()), cap + 1)


def capped_count_sql(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[str, list]:
    """SQL (a scalar subquery) and its parameters that count the rows of ``queryset`` up to
    ``cap + 1``: for a query that puts several counts together."""
    sql, values = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    return f"(SELECT COUNT(*) FROM ({sql}) AS capped)", list(values)  # noqa: S608 (Django's SQL)


def shown_count(filterset, counts: dict[str, int], field: str = "status") -> int | None:
    """The capped count of what a list with status tabs shows, taken from its tabs' ``counts``
    (keyed by the values of ``field``), so that the list need not count it again
    (``Listing(found=…)``); None when the form is not valid (the tabs then leave out every
    filter, the list only the wrong ones)."""
    if not filterset.form.is_valid():
        return None
    return counts.get(filterset.form.cleaned_data[field])


def count_label(count: int, cap: int = COUNT_CAP) -> str:
    """A capped count as a tab shows it: "8", or "over 10,000"."""
    if count > cap:
        return gettext("over %(count)s") % {"count": number_format(cap, force_grouping=True)}
    return number_format(count, force_grouping=True)


def aggregate_together(parts: dict[str, tuple[QuerySet, dict]]) -> dict[str, dict]:
    """Several ``queryset.aggregate(**aggregates)`` in one query: {part: {name: value}}.

    A page that counts several tables (documents, their tasks and the inbox) asks the database
    once instead of once per table. Each part is an aggregate without GROUP BY, so it is always
    exactly one row (counts of nothing are 0), and the parts are cross joined into one row; each
    part is planned on its own, with its own indexes. Values come back as the driver reads them
    (ints for counts, lists for array aggregates)."""
    selects, froms, params, names = [], [], [], []
    using = None
    for n, (part, (queryset, aggregates)) in enumerate(parts.items()):
        using = using or queryset.db
        # A constant "column" adds nothing to GROUP BY: the aggregates cover the whole queryset.
        query = queryset.order_by().annotate(one=Value(1)).values("one").annotate(**aggregates)
        sql, values = query.query.sql_with_params()
        froms.append(f"({sql}) AS part{n}")
        params.extend(values)
        for name in aggregates:
            selects.append(f'part{n}."{name}"')
            names.append((part, name))
    if not froms:
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)} FROM {' CROSS JOIN '.join(froms)}", params)  # noqa: S608 (Django's SQL)
        row = cursor.fetchone()
    result: dict[str, dict] = {part: {} for part in parts}
    for (part, name), value in zip(names, row, strict=True):
        result[part][name] = value
    return result


def count_rows(condition: Q | None = None) -> Count:
    """``COUNT(1) FILTER (WHERE condition)``: counts rows without reading any column (not even
    the primary key), so that a partial index without the key can answer from the index alone.
    Django refuses ``Count("*", filter=…)``."""
    return Count(Value(1), filter=condition)
