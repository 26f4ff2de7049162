"""Fill the database with realistic volume for every app (documents, parties, files, timelines,
MTR, support, assets, letters) to measure lists and searches on a register decades old.

    python manage.py seed_demo --allow-production   # the scheme, staff and MTR areas it builds on
    python manage.py generate_volume                # 1,000,000 documents and the rest in proportion
    python manage.py generate_volume --scale 0.01   # a small world

Each app's generator is ``<app>/volume.py`` (``OPTIONS`` and ``generate``), found through the
app registry so that core imports no app. An app whose volume is already there is skipped, so a
second run changes nothing and a run stopped half-way goes on with the next app.
"""

from __future__ import annotations

import importlib
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import volume


def generators() -> list[tuple[str, object]]:
    """(app label, module) of every installed app with a ``volume`` module, in app order."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.volume")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.volume":
                raise
            continue
        if hasattr(module, "generate"):
            found.append((config.label, module))
    return found


def _scale_of_first_count(options: dict) -> float:
    """The scale a count given alone implies (``--documents 10000``: 0.01), else 1."""
    for _label, module in generators():
        for name, default, _text in module.OPTIONS:
            if options.get(name) is not None and default:
                return max(options[name] / default, 1e-6)
    return 1.0


class Command(BaseCommand):
    help = (
        "Fill the database with generated volume for every app (after migrate and seed_demo). "
        "Idempotent: apps that already hold generated volume are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help=(
                "Multiply every default count (0.01 gives a small world for tests). Without it, "
                "the first count given sets the scale of the others: --documents 10000 makes "
                "a world a hundredth of the default."
            ),
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        for label, module in generators():
            for name, default, text in module.OPTIONS:
                parser.add_argument(
                    f"--{name.replace('_', '-')}",
                    dest=name,
                    type=int,
                    default=None,
                    help=f"{text} ({label}; default {default:,} times --scale).",
                )

    def handle(self, *args, scale: float | None, seed: int, **options):
        if scale is None:
            scale = _scale_of_first_count(options)
        if scale <= 0:
            raise CommandError("--scale must be above 0.")
        started = time.perf_counter()
        done = 0
        for label, module in generators():
            counts = {
                name: options[name] if options.get(name) is not None else volume.scaled(d, scale)
                for name, d, _text in module.OPTIONS
            }
            if volume.is_generated(label):
                self.stdout.write(f"{label}: volume already generated, skipped.")
                continue
            problem = module.check() if hasattr(module, "check") else None
            if problem:
                raise CommandError(f"{label}: {problem}")
            # Each app from its own seed: changing one app's counts leaves the others' rows be.
            rng = random.Random(f"{seed}:{label}")  # noqa: S311 - generated data, not security
            app_started = time.perf_counter()
            log = self._log(label)
            bulk = getattr(module, "BULK_MODELS", None) or apps.get_app_config(label).get_models()
            with transaction.atomic():
                checks_deferred = volume.defer_row_checks()
                with volume.indexes_built_after(bulk):
                    module.generate(counts, rng, log)
                log("indexes built")
                if checks_deferred:
                    volume.check_foreign_keys(label)
                volume.mark_generated(label)
            done += 1
            self.stdout.write(f"{label}: done in {time.perf_counter() - app_started:.1f} s")
        if done:
            # Statistics for the planner, and the visibility map: rows written by COPY are not
            # yet "all visible", so until a VACUUM every index-only scan (the capped counts, the
            # overview's tiles) would visit the table as well.
            vacuum_started = time.perf_counter()
            with connection.cursor() as cursor:  # (in a test's transaction: ANALYZE alone)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
            self.stdout.write(f"VACUUM (ANALYZE) in {time.perf_counter() - vacuum_started:.1f} s")
        self.stdout.write(
            f"generate_volume: {done} app(s) filled in {time.perf_counter() - started:.1f} s."
        )

    def _log(self, label: str):
        started = time.perf_counter()

        def log(message: str) -> None:
            self.stdout.write(f"  {label} {time.perf_counter() - started:6.1f} s  {message}")
            self.stdout.flush()

        return log
