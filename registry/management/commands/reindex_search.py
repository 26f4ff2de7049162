"""Recompute every document's search vectors and the "did you mean" vocabulary.

Needed after a change of what registry.search indexes (the stemmer, the texts, the weights);
the registry's migration 0007 runs the same code once. Safe to run again at any time: each
batch writes what ``refresh`` would write for its documents.
"""

import time

from django.core.management.base import BaseCommand

from registry import search


class Command(BaseCommand):
    help = "Recompute the search vectors of every document (registry.search.bulk_refresh)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=search.BATCH)

    def handle(self, *args, batch_size: int, **options):
        started = time.monotonic()

        def progress(done: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"{done} documents ({rate:,.0f}/s)")

        done = search.reindex_all(batch_size=batch_size, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Reindexed {done} documents in {elapsed:.1f} s."))
