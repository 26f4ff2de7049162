"""Shared pieces of ``manage.py generate_volume``: COPY writing, id reservation, counters
(``core.volume.db``), and word lists, identifiers and the spreading of dates over working days
(``core.volume.fake``). Generators use them as ``from core import volume; volume.Copy(...)``.

Each app owns its generator (``<app>/volume.py``) with ``OPTIONS`` (its counts) and
``generate(counts, rng, log)``; the command finds them through the app registry, so core imports
no app. Rows go in with PostgreSQL COPY (a million documents in minutes, where ``bulk_create``
takes an hour), ids are handed out ahead from each table's sequence so that related rows can be
written in the same pass, and every number counter (``core.numbering``) is moved to the last
number written, so the next real registration continues without a gap or a clash.

Random codes that guard something (public codes, tracking codes, feedback tokens) come from the
models' own defaults (``secrets``), not from the seed: a seed printed in the docs must not let
anyone guess a public URL. Everything else follows ``--seed``.
"""

from core.volume.db import (
    MARKER_PREFIX,
    Copy,
    Log,
    Timeline,
    analyze,
    check_foreign_keys,
    copy_rows,
    counter_last,
    counters_like,
    counters_set,
    defer_row_checks,
    indexes_built_after,
    is_generated,
    mark_generated,
    reserve_ids,
)
from core.volume.fake import (
    COMPANY_TRADES,
    FIRST_DAY,
    SUBJECTS,
    Days,
    add_working_days,
    address,
    agency_name,
    company_name,
    moment,
    paragraph,
    person_name,
    personal_code,
    registration_day,
    registry_codes,
    sample_pdf,
    scaled,
    slug,
    split,
    store_file,
    today,
)

__all__ = [
    "MARKER_PREFIX",
    "Copy",
    "Log",
    "analyze",
    "check_foreign_keys",
    "copy_rows",
    "counter_last",
    "counters_like",
    "counters_set",
    "defer_row_checks",
    "indexes_built_after",
    "is_generated",
    "mark_generated",
    "reserve_ids",
    "Timeline",
    "COMPANY_TRADES",
    "FIRST_DAY",
    "SUBJECTS",
    "Days",
    "add_working_days",
    "address",
    "agency_name",
    "company_name",
    "moment",
    "paragraph",
    "person_name",
    "personal_code",
    "registration_day",
    "registry_codes",
    "sample_pdf",
    "scaled",
    "slug",
    "split",
    "store_file",
    "today",
]
