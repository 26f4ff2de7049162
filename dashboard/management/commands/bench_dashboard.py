"""Benchmark the dashboards on a year of data: the overview, and the trends of each period with
the cache cold. Prints the median time and the number of queries; asserts nothing.

    DJANGO_DEBUG=1 python manage.py bench_dashboard --documents 20000

It adds a year of documents, MTR applications, tickets, calls and visits in bulk on top of what
the database holds, and rolls all of it back at the end: run it against any database.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import roles
from core.models import User
from dashboard import overview, periods, trends
from helpdesk import services as helpdesk_services
from helpdesk.models import Call, Category, Ticket, TicketChannel, Visit
from mtr.models import ActivityArea, Application, Business, Kind
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the overview and the trends on a year of extra data (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=20_000)
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, documents: int, runs: int, **options):
        try:
            with transaction.atomic():
                self._run(documents, runs)
                raise Rollback
        except Rollback:
            self.stdout.write("(all benchmark rows rolled back)")

    def _time(self, label: str, runs: int, call) -> None:
        times = []
        for _ in range(runs):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
        self.stdout.write(
            f"{label}: {statistics.median(times):.3f} s median of {runs} runs, "
            f"{len(queries)} queries"
        )

    def _run(self, count: int, runs: int) -> None:
        started = time.perf_counter()
        head = _year_of_data(count)
        self.stdout.write(
            f"added {count} documents, {count // 4} applications, {count // 2} tickets, "
            f"{count // 4} calls and visits over a year in {time.perf_counter() - started:.1f} s"
        )
        self._time("overview (department)", runs, lambda: overview.department(head))
        self._time("overview (my work)", runs, lambda: overview.mine(head))
        today = timezone.localdate()
        for key, _label in periods.choices():
            period = periods.get(key, today=today)
            self._time(f"trends, {key} (cold cache)", runs, lambda p=period: trends.charts(p))


def _year_of_data(count: int) -> User:
    """``count`` documents and proportionate work over the last 365 days; returns a head."""
    rng = random.Random(9)  # noqa: S311 - benchmark data, not security
    now = timezone.now()
    today = timezone.localdate()
    head = User.objects.create(username="bench-dashboard-head", first_name="Pea")
    people = [
        User.objects.create(username=f"bench-dashboard-{n}", first_name=f"Töötaja {n}")
        for n in range(8)
    ]
    from django.contrib.auth.models import Group

    head.groups.add(Group.objects.get(name=roles.HEAD.group))
    function = registry_services.function_save(actor=head, code="97", title="Benchmark")
    series = registry_services.series_save(
        actor=head, function=function, code="97-1", title="Benchmark", retention_years=1
    )
    party = registry_services.party_create(
        actor=head, is_private_person=False, name="OÜ Näidis", address="Õuna tn 1, Tallinn"
    )
    template = registry_services.document_register(
        actor=head,
        series=series,
        doc_type=DocumentType.LETTER,
        channel=Channel.POST,
        title="Pöördumine",
        received_on=today,
        sender=party,
    )
    fields = [f.attname for f in Document._meta.concrete_fields if f.attname != "id"]
    rows = []
    for n in range(count):
        registered = today - timedelta(days=rng.randint(0, 364))
        row = Document(
            **{name: getattr(template, name) for name in fields if name != "public_code"}
        )
        row.number = f"97-1/{registered:%y}-B{n:06d}"
        row.sequence = 1_000_000 + n
        row.registered_on = row.received_on = registered
        row.doc_type = rng.choice([DocumentType.LETTER, DocumentType.INFORMATION_REQUEST])
        row.deadline = registered + timedelta(days=rng.choice([5, 7, 14, 30]))
        row.responsible = rng.choice([*people, None])
        if row.deadline < today and rng.random() < 0.9:
            row.status = Document.Status.ANSWERED
            row.closed_on = min(registered + timedelta(days=rng.randint(1, 25)), today)
        rows.append(row)
    Document.objects.bulk_create(rows, batch_size=5000)

    area = ActivityArea.objects.create(
        code="bench-area",
        name_et="Benchmark",
        name_en="Benchmark",
        name_ru="Benchmark",
        emtak_code="00000",
        kind=Kind.NOTICE,
        number_prefix="BEN",
    )
    business = Business.objects.create(registry_code="19999995", name="Näidis OÜ")
    applications = []
    for n in range(count // 4):
        submitted = now - timedelta(days=rng.uniform(0, 364))
        decided = submitted + timedelta(days=rng.uniform(3, 40))
        done = decided < now
        applications.append(
            Application(
                type=Application.Type.NEW,
                area=area,
                business=business,
                business_name=f"Näidis {n} OÜ",
                registry_code="10000000",
                address="Õuna tn 1, Tallinn",
                contact_person="Mari Maasikas",
                email="info@example.ee",
                status=Application.Status.GRANTED if done else Application.Status.IN_REVIEW,
                submitted_at=submitted,
                decided_at=decided if done else None,
                deadline=timezone.localdate(submitted) + timedelta(days=30),
                assignee=rng.choice(people),
            )
        )
    Application.objects.bulk_create(applications, batch_size=5000)

    first = helpdesk_services.ticket_create(
        subject="Küsimus",
        body="Tere",
        channel=TicketChannel.WEB,
        category=Category.ACCOUNT,
        requester_email="kasutaja@example.ee",
    )
    tickets = []
    for n in range(count // 2):
        created = now - timedelta(days=rng.uniform(0, 364))
        answered = created + timedelta(hours=rng.uniform(0.5, 30))
        resolved = answered + timedelta(hours=rng.uniform(0, 60))
        done = resolved < now
        tickets.append(
            Ticket(
                subject=f"Küsimus {n}",
                requester_email="kasutaja@example.ee",
                channel=first.channel,
                category=first.category,
                priority=first.priority,
                status=Ticket.Status.CLOSED if done else Ticket.Status.OPEN,
                assignee=rng.choice(people),
                created=created,
                first_response_due=created + timedelta(hours=8),
                first_responded_at=answered if answered < now else None,
                resolution_due=created + timedelta(hours=40),
                resolved_at=resolved if done else None,
                rating=rng.choice([None, 3, 4, 5]) if done else None,
            )
        )
    Ticket.objects.bulk_create(tickets, batch_size=5000)
    Call.objects.bulk_create(
        [
            Call(
                caller="Helistaja",
                topic="Küsimus",
                category=Category.ACCOUNT,
                outcome=Call.Outcome.ANSWERED,
                taken_by=rng.choice(people),
                at=now - timedelta(days=rng.uniform(0, 364)),
            )
            for _ in range(count // 4)
        ],
        batch_size=5000,
    )
    Visit.objects.bulk_create(
        [
            Visit(
                name="Külaline",
                host=rng.choice(people),
                purpose="Koosolek",
                badge_number=n % 50 + 1,
                arrived_at=(arrived := now - timedelta(days=rng.uniform(1, 364))),
                departed_at=arrived + timedelta(hours=1),
                registered_by=head,
            )
            for n in range(count // 4)
        ],
        batch_size=5000,
    )
    return head
