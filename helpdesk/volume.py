"""Generated volume of user support (``manage.py generate_volume``): knowledge-base articles,
tickets with their messages, phone calls and visits.

A ticket's SLA due times are those ``helpdesk.services`` sets (``calendar.add_working_hours``
from its creation by its priority); old tickets are closed, the last weeks' still open or
waiting. Visitor badges are numbered per day as ``visit_register`` numbers them, and each day's
counter is moved past the last badge given.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings

from core import calendar, volume
from core.models import User
from helpdesk.models import (
    Article,
    Call,
    Category,
    Message,
    Priority,
    Ticket,
    TicketChannel,
    Visit,
    ticket_code,
)
from helpdesk.workflows import sla_hours

OPTIONS = [
    ("tickets", 200_000, "support tickets (with their messages)"),
    ("calls", 50_000, "phone calls"),
    ("visits", 20_000, "visits"),
    ("articles", 500, "knowledge-base articles"),
]
TOPICS = {
    Category.ESERVICE: ("MTR e-teenus ei salvesta taotlust", "E-teeninduse vorm annab vea"),
    Category.ACCOUNT: ("Ei pääse sisse ID-kaardiga", "Parooli lähtestamine", "Smart-ID ei tööta"),
    Category.APPLICATION: ("Taotluse menetluse seis", "Kanne on peatatud", "Tegevusloa muutmine"),
    Category.DOCUMENTS: ("Teabenõude vastus", "Dokumendi koopia", "Registri väljavõte"),
    Category.TECHNICAL: ("Veebileht ei avane", "PDF-fail ei avane", "Arvuti ei käivitu"),
    Category.OTHER: ("Üldine küsimus", "Kontaktandmete muutmine", "Kaebus teeninduse kohta"),
}
RUSSIAN_TOPICS = ("Вопрос о разрешении", "Не могу войти в систему", "Статус заявления")
PURPOSES = ("Kohtumine", "Dokumentide üleandmine", "Nõustamine", "Koolitus", "Hooldustööd")


def check() -> str | None:
    if not User.objects.filter(is_active=True).exists():
        return "no staff: run `manage.py seed_demo` first."
    return None


def generate(counts: dict[str, int], rng: random.Random, log: volume.Log) -> None:
    staff = list(User.objects.filter(is_active=True).order_by("pk"))
    desk = [u for u in staff if u.username in ("mari", "liis")] or staff
    texts = [volume.paragraph(rng, rng.randint(10, 40)) for _ in range(2000)]
    _articles(counts["articles"], rng, staff, texts)
    tickets, messages = _tickets(counts["tickets"], rng, desk, texts)
    log(f"{tickets:,} tickets, {messages:,} messages")
    _calls(counts["calls"], rng, desk, texts)
    _visits(counts["visits"], rng, staff)
    log(f"{counts['calls']:,} calls, {counts['visits']:,} visits")
    volume.analyze(Ticket, Message, Call, Visit, Article)


def _articles(count, rng, staff, texts) -> None:
    columns = ["category", "title_et", "title_en", "title_ru", "body_et", "body_en", "body_ru"]
    columns += ["is_public", "updated", "updated_by_id"]
    days = volume.Days(volume.FIRST_DAY, volume.today())
    with volume.Copy(Article, columns) as copy:
        for _ in range(count):
            category = rng.choice(list(TOPICS))
            title = f"{rng.choice(TOPICS[category])}: {rng.choice(volume.SUBJECTS)} juhend"
            body = "\n\n".join(rng.choices(texts, k=rng.randint(3, 10)))
            copy.write(
                (
                    category, title, "", rng.choice(RUSSIAN_TOPICS) if rng.random() < 0.3 else "",
                    body, "", "", rng.random() < 0.6, volume.moment(rng, days.one(rng)),
                    rng.choice(staff).pk,
                )
            )  # fmt: skip


TICKET_COLUMNS = [
    "id", "code", "subject", "requester_email", "requester_phone", "requester_name", "language",
    "category", "priority", "channel", "status", "assignee_id", "created",
    "first_response_due", "first_responded_at", "resolution_due", "resolved_at",
    "closed_at", "waiting_since", "rating",
]  # fmt: skip


def _tickets(count, rng, desk, texts) -> tuple[int, int]:
    today = volume.today()
    now = volume.moment(rng, today, start=0, end=1)
    days = volume.Days(volume.FIRST_DAY, today, off=0.15)
    created_days = sorted(days.sample(rng, count))
    first = volume.reserve_ids(Ticket, count)
    close_after = timedelta(days=settings.HELPDESK_CLOSE_AFTER_DAYS)
    messages: list[tuple] = []
    timeline = volume.Timeline(Ticket)
    with volume.Copy(Ticket, TICKET_COLUMNS) as copy:
        for offset, day in enumerate(created_days):
            pk = first + offset
            created = volume.moment(rng, day, start=7, end=20)
            priority = rng.choices(list(Priority), [2, 10, 75, 13])[0]
            category = rng.choice(list(TOPICS))
            language = rng.choices(["et", "ru", "en"], [85, 12, 3])[0]
            subject = rng.choice(RUSSIAN_TOPICS if language == "ru" else TOPICS[category])
            name = volume.person_name(rng)
            email = f"{volume.slug(name)}{rng.randint(1, 99)}@example.ee"
            first_hours, resolution_hours = sla_hours(priority)
            first_due = calendar.add_working_hours(created, first_hours)
            resolution_due = calendar.add_working_hours(created, timedelta(hours=resolution_hours))
            age = (today - day).days
            status = _status(rng, age)
            assignee = None if status == Ticket.Status.NEW else rng.choice(desk).pk
            responded, resolved, closed, waiting = _times(rng, status, created, now, close_after)
            rating = rng.choice((None, None, 5, 4, 5, 3)) if resolved else None
            code, channel = ticket_code(), rng.choice(list(TicketChannel))
            copy.write(
                (
                    pk, code, subject, email, "", name, language, category, priority,
                    channel, status, assignee, created, first_due,
                    responded, resolution_due, resolved, closed, waiting, rating,
                )
            )  # fmt: skip
            text = f"[KT-{code}] {subject}"
            timeline.add(pk, text, created, None, "registered", {"channel": channel})
            if responded:
                timeline.add(pk, text, responded, assignee, "answered", {"then": "open"})
            if closed or resolved:
                done = {"from": "open", "to": status}
                timeline.add(pk, text, closed or resolved, assignee, "status_changed", done)
            messages.append((pk, "in", None, f"{name} <{email}>", rng.choice(texts), created))
            if responded:
                messages.append((pk, "reply", assignee, "", rng.choice(texts), responded))
                if rng.random() < 0.4:
                    later = min(responded + timedelta(hours=rng.randint(1, 48)), now)
                    messages.append((pk, "in", None, email, rng.choice(texts), later))
    timeline.write()
    columns = ["ticket_id", "kind", "author_id", "sender", "body", "created"]
    with volume.Copy(Message, columns) as copy:
        for row in messages:
            copy.write(row)
    return count, len(messages)


def _times(rng, status, created, now, close_after) -> tuple:
    """When a ticket of ``status`` was first answered, resolved, closed and set waiting (None
    for what has not happened), never after ``now``."""
    responded = resolved = closed = waiting = None
    if status != Ticket.Status.NEW:
        responded = min(created + timedelta(minutes=rng.randint(5, 60 * 24)), now)
    if status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        resolved = min(responded + timedelta(hours=rng.randint(0, 72)), now)
    if status == Ticket.Status.CLOSED:
        closed = min(resolved + close_after, now)
    if status == Ticket.Status.WAITING:
        waiting = responded
    return responded, resolved, closed, waiting


def _status(rng, age: int) -> str:
    if age > 30:
        return Ticket.Status.CLOSED
    if age > 10:
        return rng.choice([Ticket.Status.CLOSED] * 4 + [Ticket.Status.RESOLVED])
    return rng.choice(list(Ticket.Status))


def _calls(count, rng, desk, texts) -> None:
    days = volume.Days(volume.FIRST_DAY, volume.today())
    columns = ["caller", "phone", "topic", "category", "outcome", "notes", "duration_minutes"]
    columns += ["taken_by_id", "at"]
    with volume.Copy(Call, columns) as copy:
        for day in sorted(days.sample(rng, count)):
            category = rng.choice(list(TOPICS))
            copy.write(
                (
                    volume.person_name(rng), f"+372 5{rng.randint(1000000, 9999999)}",
                    rng.choice(TOPICS[category]), category,
                    rng.choices(list(Call.Outcome), [70, 0, 20, 10])[0],
                    rng.choice(texts) if rng.random() < 0.3 else "", rng.randint(1, 25),
                    rng.choice(desk).pk, volume.moment(rng, day),
                )
            )  # fmt: skip


def _visits(count, rng, staff) -> None:
    days = volume.Days(volume.FIRST_DAY, volume.today(), off=0.0)
    taken = volume.counters_like("visit-badge:")
    badges: dict[str, int] = {}
    columns = ["name", "organisation", "document_checked", "host_id", "purpose", "badge_number"]
    columns += ["arrived_at", "departed_at", "registered_by_id"]
    receptionist = next((u for u in staff if u.username == "mari"), staff[0])
    with volume.Copy(Visit, columns) as copy:
        for day in sorted(days.sample(rng, count)):
            key = f"visit-badge:{day.isoformat()}"
            if key not in badges:
                badges[key] = taken.get((key, 0), 0)
            badges[key] += 1
            arrived = volume.moment(rng, day, start=8, end=16)
            departed = arrived + timedelta(minutes=rng.randint(15, 180))
            copy.write(
                (
                    volume.person_name(rng),
                    volume.company_name(rng) if rng.random() < 0.6 else "",
                    rng.random() < 0.8, rng.choice(staff).pk, rng.choice(PURPOSES),
                    badges[key], arrived, departed if day < volume.today() else None,
                    receptionist.pk,
                )
            )  # fmt: skip
    volume.counters_set({(key, 0): last for key, last in badges.items()})
