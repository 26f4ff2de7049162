"""Gapless numbers per series and year (register numbers, inventory numbers, MTR numbers …).

The counter row is locked with SELECT … FOR UPDATE inside the caller's transaction: a second
registration in the same series waits until the first commits, and a registration that rolls
back gives its number back, so numbers are never skipped nor handed out twice.
"""

from __future__ import annotations

from django.db import connection

from core.models import NumberCounter


class NotInTransaction(RuntimeError):
    """next_number() was called outside transaction.atomic(): the number could be lost."""


def next_number(series: str, year: int) -> int:
    """The next number of ``series`` in ``year`` (1, 2, 3 …); call inside transaction.atomic()."""
    if not connection.in_atomic_block:
        raise NotInTransaction("core.numbering.next_number must run inside transaction.atomic()")
    # Make sure the row exists without taking a lock the caller would have to wait on twice.
    NumberCounter.objects.bulk_create(
        [NumberCounter(series=series, year=year, last=0)], ignore_conflicts=True
    )
    counter = NumberCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def peek(series: str, year: int) -> int:
    """The last number handed out (0 when none), without locking: for display only."""
    return (
        NumberCounter.objects.filter(series=series, year=year)
        .values_list("last", flat=True)
        .first()
        or 0
    )
