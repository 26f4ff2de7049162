"""Time every list, search and dashboard page next to its bare SQL floor; optionally measure
registration throughput with concurrent processes. Prints a table; ``--json FILE`` writes it.

    python manage.py generate_volume --documents 1000000
    python manage.py bench --json var/bench.json
    python manage.py bench --registrations 4000 --processes 8

The cases come from each app's ``bench.py`` (core.bench). The page time is server time in this
process (test client, DEBUG off); the floor is the plain SQL that fetches the page's rows by
the ideal index, run in the same run. Registrations are real and stay in the database (they
would leave a gap in the numbers if removed): run it on a generated database, not production.
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import override_settings

from core import bench, roles
from core.models import User

BENCH_USER = "bench"


def bench_user() -> User:
    """A staff user holding every role (created once, unusable password)."""
    user, created = User.objects.get_or_create(
        username=BENCH_USER, defaults={"first_name": "Bench", "last_name": "Mark"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    roles.sync_roles()
    from django.contrib.auth.models import Group

    user.groups.add(*Group.objects.filter(name__in=[role.group for role in roles.ROLES]))
    return user


def _register_worker(args) -> tuple[int, list[str]]:
    """One process's registrations: (how many made, errors)."""
    count, series_ids, seed = args
    connections.close_all()  # a forked process opens its own connection
    import random
    from datetime import timedelta

    from django.utils import timezone

    from registry import services
    from registry.models import Channel, DocumentType, Party, Series

    rng = random.Random(seed)  # noqa: S311 - benchmark data
    user = User.objects.get(username=BENCH_USER)
    series = list(Series.objects.filter(pk__in=series_ids))
    senders = list(Party.objects.order_by("pk")[:200])
    today = timezone.localdate()
    made, errors = 0, []
    for number in range(count):
        try:
            services.document_register(
                actor=user,
                series=rng.choice(series),
                doc_type=DocumentType.LETTER,
                channel=Channel.EMAIL,
                title=f"Koormustesti kiri {seed}-{number}",
                sender=rng.choice(senders) if senders else None,
                received_on=today - timedelta(days=rng.randint(0, 3)),
                restriction_basis=None,
            )
            made += 1
        except Exception as error:  # noqa: BLE001 - counted and reported, never hidden
            errors.append(f"{type(error).__name__}: {error}")
    connections.close_all()
    return made, errors[:5]


class Command(BaseCommand):
    help = "Time each page's p50/p95 next to its SQL floor; optionally registrations per second."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per case")
        parser.add_argument("--json", dest="json_file", help="write the results to this file")
        parser.add_argument("--only", help="only cases whose app or name contains this text")
        parser.add_argument(
            "--registrations",
            type=int,
            default=0,
            help="also register this many documents with --processes processes (0: skip)",
        )
        parser.add_argument("--processes", type=int, default=8)
        parser.add_argument(
            "--pdfs",
            action="store_true",
            help="also time the letter and dispatch-list PDFs (bench_correspondence)",
        )
        parser.add_argument(
            "--series", type=int, default=6, help="spread the registrations over this many series"
        )

    def handle(
        self, *args, repeat: int, json_file, only, registrations, processes, series, pdfs, **o
    ):
        user = bench_user()
        client, anonymous = Client(), Client()
        client.force_login(user)
        for each in (client, anonymous):  # the pages in English: "Last" is found by its label
            each.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        context = bench.Context(client=client, anonymous=anonymous, options=o)
        results = []
        # As in production (DEBUG off), but without needing collectstatic's manifest first.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        before = bench.calibration_ms()
        self.stdout.write(f"machine: plain Python calibration {before} ms (lower is faster)")
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"], STORAGES=storages):
            for module in bench.discover():
                for case in module.cases(context):
                    if only and only not in case.app and only not in case.name:
                        continue
                    result = bench.run_case(case, context, repeat=repeat)
                    results.append(result)
                    self._print(result)
        after = bench.calibration_ms()
        self.stdout.write(f"machine: plain Python calibration {after} ms after the pages")
        report = {
            "documents": self._count("registry_document"),
            "repeat": repeat,
            "calibration_ms": {"before": before, "after": after},
            "pages": [result.as_dict() for result in results],
            "within_budget": all(result.within_budget for result in results),
        }
        if registrations:
            report["registrations"] = self._registrations(registrations, processes, series)
        if pdfs:
            call_command("bench_correspondence", stdout=self.stdout)
        if json_file:
            Path(json_file).parent.mkdir(parents=True, exist_ok=True)
            Path(json_file).write_text(json.dumps(report, indent=2, ensure_ascii=False))
            self.stdout.write(f"written to {json_file}")

    def _print(self, result: bench.Result) -> None:
        floor = (
            f"{result.floor_p50_ms:7.2f} /{result.floor_p95_ms:7.2f}"
            if result.floor_p95_ms
            else " " * 16
        )
        ratio = f"{result.ratio:6.1f}x" if result.ratio else " " * 7
        mark = "ok " if result.within_budget else "OVER"
        times = f"{result.p50_ms:8.1f} /{result.p95_ms:8.1f} ms"
        self.stdout.write(
            f"{mark} {result.app:<14} {result.name:<38} {times}  floor {floor} ms {ratio}"
            f"  {result.queries:3d} q  {' '.join(result.notes)}"
        )

    @staticmethod
    def _count(table: str) -> int:
        with connection.cursor() as cursor:  # the planner's estimate: a count(*) of 1 M is slow
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def _registrations(self, total: int, processes: int, spread: int) -> dict:
        from registry.models import Series

        series_ids = list(
            Series.objects.filter(is_closed=False, function__is_closed=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:spread]
        )
        if not series_ids:
            raise CommandError("No open series to register in: run seed_demo first.")
        per_process = max(1, total // processes)
        connections.close_all()
        context = multiprocessing.get_context("fork")
        started = time.perf_counter()
        with context.Pool(processes) as pool:
            outcomes = pool.map(
                _register_worker,
                [(per_process, series_ids, seed) for seed in range(processes)],
            )
        elapsed = time.perf_counter() - started
        made = sum(count for count, _errors in outcomes)
        errors = [error for _count, errs in outcomes for error in errs]
        gaps = self._gaps(series_ids)
        rate = made / elapsed if elapsed else 0.0
        self.stdout.write(
            f"registrations: {made} in {elapsed:.1f} s = {rate:.0f}/s with {processes} processes "
            f"over {len(series_ids)} series; gaps: {gaps or 'none'}; errors: {len(errors)}"
        )
        return {
            "made": made,
            "seconds": round(elapsed, 2),
            "per_second": round(rate, 1),
            "processes": processes,
            "series": len(series_ids),
            "gaps": gaps,
            "errors": errors,
            "per_process": statistics.mean(count for count, _e in outcomes),
        }

    @staticmethod
    def _gaps(series_ids: list[int]) -> list[dict]:
        """(series, year) whose originals are not numbered 1…n without a gap or a repeat."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT series_id, year, count(*), count(DISTINCT sequence), max(sequence)
                FROM registry_document
                WHERE parent_id IS NULL AND series_id = ANY(%s)
                GROUP BY series_id, year
                HAVING count(*) <> max(sequence) OR count(DISTINCT sequence) <> count(*)
                """,
                [series_ids],
            )
            return [
                {"series": s, "year": y, "rows": n, "distinct": d, "max": m}
                for s, y, n, d, m in cursor.fetchall()
            ]
