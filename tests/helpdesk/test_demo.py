from django.db.models import Count

from core import demo as core_demo
from helpdesk import demo
from helpdesk.models import Article, Call, Ticket, Visit


def test_the_demo_is_big_enough():
    assert demo.TICKETS_PER_STATUS >= 100


def test_demo_tickets_in_every_status_calls_and_visits(db, monkeypatch):
    monkeypatch.setattr(demo, "TICKETS_PER_STATUS", 3)
    core_demo.seed_users()
    assert demo.seed_articles() >= 5
    assert demo.seed_tickets() == 3 * len(Ticket.Status.choices)
    counts = dict(Ticket.objects.values_list("status").annotate(Count("id")))
    assert counts == {status: 3 for status, _label in Ticket.Status.choices}
    calls, visits = demo.seed_desk()
    assert calls > 10
    assert visits > 10
    assert Visit.objects.in_building().count() == 2
    assert Article.objects.filter(is_public=False).exists()
    # A second run changes nothing.
    assert (demo.seed_articles(), demo.seed_tickets(), demo.seed_desk()) == (0, 0, (0, 0))
    assert Call.objects.count() == calls
