"""Capped counts of several querysets in one query: the status tabs above a list.

A tab's number is a count like the list's own (core.listing): exact up to ``cap``, beyond it
only "more than ``cap``". ``COUNT(*) FILTER (…)`` over the whole table reads every row (100 ms
over 200,000 tickets); each capped count stops after ``cap + 1`` rows of its status's index.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext

from core.listing import COUNT_CAP


def capped_counts(querysets: dict[str, QuerySet], cap: int = COUNT_CAP) -> dict[str, int]:
    """{key: the number of rows of the queryset, at most ``cap + 1``} (over ``cap``: more than
    ``cap``), all in one query."""
    if not querysets:
        return {}
    parts, params = [], []
    using = next(iter(querysets.values())).db
    for queryset in querysets.values():
        sql, values = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608 (Django's SQL)
        params.extend(values)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def count_label(count: int, cap: int = COUNT_CAP) -> str:
    """A capped count as a tab shows it: "8", or "over 10,000"."""
    if count > cap:
        return gettext("over %(count)s") % {"count": number_format(cap, force_grouping=True)}
    return number_format(count, force_grouping=True)
