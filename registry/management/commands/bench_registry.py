"""Benchmark the register's lists and searches on many documents; prints, asserts nothing.

    DJANGO_DEBUG=1 python manage.py bench_registry --documents 10000

Everything it creates is rolled back at the end: run it against any database.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from django.contrib.postgres.search import SearchVector
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries, transaction
from django.db.models import F, Func
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.models import User
from registry import search
from registry.models import Channel, Document, DocumentType, Function, Party, Series

WORDS = [
    *("tegevusluba", "majutus", "teabenõue", "märgukiri", "arve", "pakk", "õunapuu"),
    *("järelevalve", "taotlus", "vastus", "kirjavahetus", "hange", "leping", "volikiri"),
    *("koolitus", "inventuur", "toitlustamine", "alkohol", "jaemüük"),
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the document list, search and public register on N documents (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=10_000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, documents: int, repeat: int, **options):
        try:
            with transaction.atomic():
                self._run(documents, repeat)
                raise Rollback
        except Rollback:
            self.stdout.write("(all benchmark rows rolled back)")

    def _run(self, count: int, repeat: int) -> None:
        started = time.perf_counter()
        user = self._documents(count)
        self.stdout.write(f"{count} documents made in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_document")
        client = Client()
        client.force_login(user)
        pages = {
            "staff list": reverse("registry:document-list"),
            "staff list, page 50": reverse("registry:document-list") + "?page=50",
            "staff search 'õunapuu'": reverse("registry:document-list") + "?q=ounapuu",
            "staff search number": reverse("registry:document-list") + "?q=9-9/26-01",
            "my work": reverse("registry:my-documents"),
            "public list": reverse("registry:public-list"),
            "public search 'majutus'": reverse("registry:public-list") + "?q=majutus",
        }
        for name, url in pages.items():
            times, queries = [], 0
            for _ in range(repeat):
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url, HTTP_ACCEPT_LANGUAGE="et")
                    times.append(time.perf_counter() - start)
                queries = len(captured)
                assert response.status_code == 200, (url, response.status_code)
            self.stdout.write(
                f"{name:<26} median {statistics.median(times) * 1000:7.1f} ms  {queries:3d} queries"
            )
        query = search.to_query("ounapuu")
        plan = Document.objects.filter(search_vector=query).explain()
        uses_index = "registry_document_search_idx" in plan
        self.stdout.write(f"full-text search uses the GIN index: {uses_index}")

    def _documents(self, count: int) -> User:
        rng = random.Random(1)  # noqa: S311 - benchmark data
        user = User.objects.create(username="bench-user", first_name="Bench", last_name="Mark")
        user.groups.add(*roles_groups())
        function = Function.objects.create(code="99", title="Benchmark")
        series = Series.objects.create(function=function, code="9-9", title="Benchmark")
        parties = Party.objects.bulk_create(
            Party(name=f"{rng.choice(WORDS).title()} OÜ {n}") for n in range(200)
        )
        today = timezone.localdate()
        rows = []
        for n in range(1, count + 1):
            day = today - timedelta(days=rng.randint(0, 365))
            rows.append(
                Document(
                    number=f"9-9/26-{n:05d}",
                    series=series,
                    year=2026,
                    sequence=n,
                    doc_type=rng.choice(DocumentType.values),
                    channel=Channel.POST,
                    title=" ".join(rng.sample(WORDS, 4)).capitalize(),
                    sender=rng.choice(parties),
                    received_on=day,
                    registered_on=day,
                    registered_by=user,
                    responsible=user if n % 10 == 0 else None,
                    deadline=day + timedelta(days=30) if n % 3 == 0 else None,
                )
            )
        Document.objects.bulk_create(rows, batch_size=2000)
        # The same vectors as registry.search.refresh, in one UPDATE instead of one per row.
        text = [Func(F(name), function="unaccent") for name in ("number", "title")]
        Document.objects.filter(series=series).update(
            search_vector=SearchVector(*text, config="simple"),
            public_search_vector=SearchVector(*text, config="simple"),
        )
        return user


def roles_groups():
    from django.contrib.auth.models import Group

    roles.sync_roles()
    return Group.objects.filter(name__in=[roles.CLERK.group, roles.ADVISOR.group])
