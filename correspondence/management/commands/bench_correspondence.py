"""Benchmark the PDFs of outgoing mail: one letter, and a dispatch list of N post letters.
Prints the median of a few runs; asserts nothing.

    DJANGO_DEBUG=1 python manage.py bench_correspondence --letters 100

Everything it creates is rolled back at the end: run it against any database.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from core.models import User
from correspondence import services
from correspondence.models import Channel, Dispatch, Letter, PdfStatus
from registry import services as registry_services

BODY = (
    "Lugupeetud {{ addressee }}\n\n"
    "Vastame Teie pöördumisele. Teenuse kasutamise tingimused on muutunud alates 1. jaanuarist; "
    "palume tutvuda lisatud juhendiga ning esitada vajadusel täiendavad andmed.\n\n"
    "Küsimuste korral võtke ühendust."
)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time one letter's PDF and a dispatch list of N post letters (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--letters", type=int, default=100)
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, letters: int, runs: int, **options):
        try:
            with transaction.atomic():
                self._run(letters, runs)
                raise Rollback
        except Rollback:
            self.stdout.write("(all benchmark rows rolled back)")

    def _median(self, runs: int, render) -> tuple[float, int]:
        times, size = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            size = len(render())
            times.append(time.perf_counter() - start)
        return statistics.median(times), size

    def _run(self, count: int, runs: int) -> None:
        # Rolled back with the rest; may do what a clerk sending the letters may.
        actor = User.objects.create(
            username="bench-correspondence", first_name="Bench", is_superuser=True
        )
        function = registry_services.function_save(actor=actor, code="98", title="Benchmark")
        series = registry_services.series_save(
            actor=actor, function=function, code="98-1", title="Benchmark", retention_years=1
        )

        def letter(n: int) -> Letter:
            party = registry_services.party_create(
                actor=actor,
                is_private_person=False,
                name=f"OÜ Näidis {n}",
                address=f"Õuna tn {n}, 10111 Tallinn",
            )
            channel = Channel.REGISTERED if n % 4 == 0 else Channel.POST
            return services.letter_create(
                actor=actor,
                subject=f"Teade nr {n}",
                body=BODY,
                signer=actor,
                addressees=[services.Addressee(party, channel)],
                series=series,
            )

        one = letter(0)
        seconds, size = self._median(runs, lambda: services.letter_pdf_bytes(one))
        self.stdout.write(f"letter PDF: {seconds:.3f} s median of {runs} runs ({size // 1024} KiB)")

        started = time.perf_counter()
        made = [letter(n) for n in range(1, count + 1)]
        # The letters' own PDFs are not what is measured: mark them made instead of rendering
        # each (letter_send needs a ready PDF). Rolled back with the rest.
        Letter.objects.filter(pk__in=[m.pk for m in made]).update(pdf_status=PdfStatus.READY)
        for item in made:
            services.letter_send(actor=actor, letter=item)
        dispatch_list = (
            Dispatch.objects.filter(letter=made[-1]).select_related("dispatch_list").get()
        ).dispatch_list
        rows = services.dispatch_list_rows(dispatch_list).count()
        self.stdout.write(
            f"{count} post letters made and sent in {time.perf_counter() - started:.1f} s "
            f"(list of {dispatch_list.day:%d.%m.%Y}: {rows} letters)"
        )
        seconds, size = self._median(runs, lambda: services.dispatch_list_pdf(dispatch_list))
        self.stdout.write(
            f"dispatch list PDF, {rows} letters: {seconds:.3f} s median of {runs} runs "
            f"({size // 1024} KiB)"
        )
