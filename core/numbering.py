"""Gapless numbers per series and year (register numbers, inventory numbers, MTR numbers …).

One statement takes a number: it creates the counter row with 1 the first time and otherwise adds
one to it. Either way the row stays locked until the caller's transaction ends: a second
registration in the same series waits until the first commits, and a registration that rolls
back gives its number back, so numbers are never skipped nor handed out twice. Take the number
as late in the transaction as the work allows: the row is locked from then until the commit.
"""

from __future__ import annotations

from django.db import connection

from core.models import NumberCounter


class NotInTransaction(RuntimeError):
    """next_number() was called outside transaction.atomic(): the number could be lost."""


# The counters' ids come from a bigint identity, so the value the INSERT draws and drops when the
# row is already there costs nothing that matters.
TAKE = """
INSERT INTO core_numbercounter AS counter (series, year, last) VALUES (%s, %s, 1)
ON CONFLICT (series, year) DO UPDATE SET last = counter.last + 1
RETURNING last
"""


def take_sql(series: str, year: int) -> tuple[str, list]:
    """The statement that takes the next number of ``series`` in ``year``, returning ``last``:
    for a caller that runs it as a WITH query of its own statement, so that the counter is
    locked only from that statement to the commit. The caller must be in transaction.atomic()."""
    if not connection.in_atomic_block:
        raise NotInTransaction("a number must be taken inside transaction.atomic()")
    return TAKE, [series, year]


def next_number(series: str, year: int) -> int:
    """The next number of ``series`` in ``year`` (1, 2, 3 …); call inside transaction.atomic()."""
    sql, params = take_sql(series, year)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def peek(series: str, year: int) -> int:
    """The last number handed out (0 when none), without locking: for display only."""
    return (
        NumberCounter.objects.filter(series=series, year=year)
        .values_list("last", flat=True)
        .first()
        or 0
    )
