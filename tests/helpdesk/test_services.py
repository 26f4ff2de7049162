"""User support through its services: SLA due times across evenings, weekends and Estonian
holidays, the clock stopping while waiting, answers by e-mail, rating, escalation, calls and
the visitor log."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core import roles
from core.models import Event
from helpdesk import services
from helpdesk.models import Call, Category, Priority, Ticket, Visit

TZ = ZoneInfo("Europe/Tallinn")


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=TZ)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block queued for after the commit (the e-mails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("created", "priority", "first_due", "resolution_due"),
    [
        # Friday afternoon: the first answer is due on Monday (8 working hours).
        (at(2026, 11, 27, 16, 0), Priority.NORMAL, at(2026, 11, 30, 16, 0), at(2026, 12, 4, 16, 0)),
        # Friday evening after office hours: Monday 9:00 plus one hour.
        (
            at(2026, 11, 27, 19, 30),
            Priority.URGENT,
            at(2026, 11, 30, 10, 0),
            at(2026, 11, 30, 13, 0),
        ),
        # Saturday: the clock starts on Monday morning (Tuesday 17:00 is Wednesday 9:00).
        (at(2026, 11, 28, 11, 0), Priority.HIGH, at(2026, 11, 30, 13, 0), at(2026, 12, 1, 17, 0)),
        # The short day before Independence Day (9–14), the holiday, then the next day.
        (at(2027, 2, 23, 12, 0), Priority.HIGH, at(2027, 2, 25, 11, 0), at(2027, 2, 26, 15, 0)),
        # Before Christmas: 23.12 is short, 24.–26.12 holidays, 27.12 Sunday; 31.12 is short
        # too and 1.1 a holiday.
        (at(2026, 12, 23, 10, 0), Priority.NORMAL, at(2026, 12, 28, 13, 0), at(2027, 1, 4, 16, 0)),
    ],
)
def test_sla_due_times_count_working_hours_only(
    make_ticket, created, priority, first_due, resolution_due
):
    ticket = make_ticket(created=created, priority=priority)
    assert ticket.first_response_due == first_due
    assert ticket.resolution_due == resolution_due


def test_the_requester_is_told_the_reference(make_ticket, committed):
    with committed():
        ticket = make_ticket(language="en")
    [email] = mail.outbox
    assert email.to == ["kasutaja@example.ee"]
    assert f"[{ticket.reference}]" in email.subject
    assert ticket.reference in email.body


def test_an_answer_is_e_mailed_and_sets_the_first_response(make_ticket, specialist, committed):
    ticket = make_ticket()
    with committed():
        services.ticket_reply(actor=specialist, ticket=ticket, body="Proovige uuesti.")
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.assignee == specialist
    [email] = mail.outbox
    assert f"[{ticket.reference}]" in email.subject
    assert "Proovige uuesti." in email.body


def test_waiting_stops_the_clock_and_the_answer_starts_it(make_ticket, specialist):
    ticket = make_ticket(created=at(2026, 11, 23, 9, 0), priority=Priority.NORMAL)
    due = ticket.resolution_due
    services.ticket_reply(
        actor=specialist, ticket=ticket, body="Palun saatke kuvatõmmis.", then="wait"
    )
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    assert services.sla_state(ticket)["resolution"]["state"] == "paused"
    # The requester answers 3 working hours later.
    Ticket.objects.filter(pk=ticket.pk).update(waiting_since=at(2026, 11, 24, 10, 0))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: at(2026, 11, 24, 13, 0))
        ticket.refresh_from_db()
        services.requester_message(ticket=ticket, body="Siin on pilt.", sender="Kati")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.paused == timedelta(hours=3)
    assert due == at(2026, 11, 27, 17, 0)
    assert ticket.resolution_due == at(2026, 11, 30, 12, 0)  # three working hours later


def test_resolving_sends_the_rating_link_and_the_rating_is_kept(make_ticket, specialist, committed):
    ticket = make_ticket()
    with pytest.raises(ValidationError):
        services.ticket_rate(token=ticket.feedback_token, rating=5)  # not resolved yet
    with committed():
        services.ticket_reply(actor=specialist, ticket=ticket, body="Lahendatud.", then="resolve")
    assert ticket.feedback_token in mail.outbox[-1].body
    services.ticket_rate(token=ticket.feedback_token, rating=4, comment="Kiire vastus")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rating) == (Ticket.Status.RESOLVED, 4)
    with pytest.raises(ValidationError):
        services.ticket_rate(token=ticket.feedback_token, rating=9)
    with pytest.raises(Ticket.DoesNotExist):
        services.ticket_rate(token="x", rating=3)


def test_a_message_after_resolution_reopens(make_ticket, specialist):
    ticket = make_ticket()
    services.ticket_reply(actor=specialist, ticket=ticket, body="Vastus.", then="resolve")
    services.requester_message(ticket=ticket, body="Ei aidanud.")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.resolved_at is None


def test_notes_are_not_sent_and_a_closed_ticket_is_not_answered(make_ticket, specialist, committed):
    ticket = make_ticket()
    with committed():
        services.ticket_note(actor=specialist, ticket=ticket, body="Kontrollida logist.")
    assert mail.outbox == []
    services.ticket_close(actor=specialist, ticket=ticket)
    with pytest.raises(ValidationError):
        services.ticket_reply(actor=specialist, ticket=ticket, body="Hilja")


def test_a_new_priority_sets_new_due_times(make_ticket, specialist):
    ticket = make_ticket(created=at(2026, 11, 23, 9, 0))
    services.ticket_update(
        actor=specialist, ticket=ticket, category=Category.TECHNICAL, priority=Priority.URGENT
    )
    ticket.refresh_from_db()
    assert ticket.first_response_due == at(2026, 11, 23, 10, 0)


def test_canned_answers_fill_the_name_and_reference(make_ticket, specialist):
    article = services.article_save(
        actor=specialist,
        title_et="Parool",
        body_et="Tere, {{ name }}! Viide: {{ code }}.",
        body_en="Hello {{ name }}! Reference: {{ code }}.",
        category=Category.ACCOUNT,
        is_public=True,
    )
    ticket = make_ticket(language="en")
    assert services.canned_answer(article=article, ticket=ticket) == (
        f"Hello Kati Kask! Reference: {ticket.reference}."
    )
    assert list(services.articles_search("viide", public_only=True)) == [article]


def test_breaches_are_escalated_to_the_head_once(make_ticket, make_user, committed):
    head = make_user(roles.HEAD, username="kadri")
    ticket = make_ticket(created=timezone.now() - timedelta(days=20))
    with committed():
        assert services.escalate_breaches() == 1
    assert services.escalate_breaches() == 0
    [email] = mail.outbox
    assert email.to == [head.email]
    assert ticket.reference in email.body


def test_the_queue_puts_what_breaches_first_on_top(make_ticket, specialist):
    later = make_ticket(subject="hiljem", priority=Priority.LOW)
    sooner = make_ticket(subject="varem", priority=Priority.URGENT)
    waiting = make_ticket(subject="ootel", priority=Priority.URGENT)
    services.ticket_reply(actor=specialist, ticket=waiting, body="?", then="wait")
    order = list(Ticket.objects.open().order_by(*services.queue_order()))
    assert order == [sooner, later, waiting]


def test_a_call_becomes_a_ticket_in_one_step(specialist):
    call = services.call_log(
        actor=specialist,
        caller="Toomas Org",
        phone="+372 5555 0000",
        topic="Majutusteate muutmine",
        category=Category.APPLICATION,
        outcome=Call.Outcome.CALL_BACK,
        notes="Soovib muuta tegevuskoha aadressi.",
        duration_minutes=4,
    )
    ticket = services.call_to_ticket(actor=specialist, call=call)
    call.refresh_from_db()
    assert (call.ticket, call.outcome) == (ticket, Call.Outcome.TICKET)
    assert ticket.channel == "phone"
    assert ticket.requester_phone == "+372 5555 0000"
    assert services.call_to_ticket(actor=specialist, call=call) == ticket  # a second click


def test_visitors_badges_departure_and_purge(specialist, make_user):
    host = make_user(roles.HEAD, username="kadri")
    first = services.visit_arrive(
        actor=specialist, name="Ülle Õun", host=host, purpose="Koosolek", document_checked=True
    )
    second = services.visit_arrive(actor=specialist, name="Peeter Paas", host=host, purpose="Tarne")
    assert (first.badge_number, second.badge_number) == (1, 2)
    assert list(Visit.objects.in_building()) == [second, first]
    services.visit_depart(actor=specialist, visit=first)
    with pytest.raises(ValidationError):
        services.visit_depart(actor=specialist, visit=first)
    Visit.objects.filter(pk=first.pk).update(
        arrived_at=timezone.now() - timedelta(days=400),
        departed_at=timezone.now() - timedelta(days=400),
    )
    assert services.visits_purge() == 1
    assert not Visit.objects.filter(pk=first.pk).exists()
    assert Event.objects.filter(verb="purged", data__count=1).exists()
