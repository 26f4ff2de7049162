"""Each count of the overview and the workload is read from an index of the open or late work,
never by reading a whole table: EXPLAIN of each aggregate (with sequential and bitmap scans made
prohibitively expensive, tests/plans.py) names the index that serves it. At a million documents
these are ranges of a few thousand index entries (docs/performance.md), however large the
register grows; no wall-clock time is asserted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets import selectors as assets_selectors
from assets.models import AccessGrant, Asset, Disposal
from correspondence import selectors as mail_selectors
from correspondence.models import Letter
from helpdesk import selectors as helpdesk_selectors
from helpdesk.models import Ticket, Visit
from mtr import selectors as mtr_selectors
from mtr.models import Application
from registry import deadlines
from registry import selectors as registry_selectors
from registry.models import Document, Task
from tests.plans import analyze, plan

pytestmark = pytest.mark.django_db

# The indexes that hold only the open work, or start with its status (a range of it). At a
# million documents, vacuumed, the planner takes the covering ones (registry_doc_open_*,
# mtr_app_open_counts) and reads them alone; a test's tables have no visibility map, so it may
# take another index of the same range.
OPEN_DOCUMENTS = "registry_document_deadline_idx"
OPEN_APPLICATIONS = (
    "mtr_app_open_counts|mtr_app_status|mtr_application_queue_idx|mtr_app_open_deadline"
)


def _clones(model, template, count: int, skip=(), **changes) -> list:
    """``count`` copies of ``template`` with ``changes`` (a value, or a function of the copy's
    number); unique fields not changed get their defaults (codes, tokens)."""
    fields = [
        field.attname
        for field in model._meta.concrete_fields
        if field.attname not in ("id", *skip) and (not field.unique or field.attname in changes)
    ]
    rows = []
    for n in range(count):
        values = {name: getattr(template, name) for name in fields}
        values.update(
            {key: value(n) if callable(value) else value for key, value in changes.items()}
        )
        rows.append(model(**values))
    return model.objects.bulk_create(rows, batch_size=1000)


@pytest.fixture
def counted(department):
    """The department, and what a register holds beside it: many closed documents and open
    ones without a deadline, decided applications of past years, closed tickets and ended
    visits, so that the planner weighs the indexes by what they hold (as at volume)."""
    today = timezone.localdate()
    document = Document.objects.filter(responsible__isnull=False).first()
    people = [counted_person.pk for counted_person in department.values()]
    _clones(
        Document,
        document,
        1200,
        number=lambda n: f"9-9/26-{n + 1:05d}",
        sequence=lambda n: 100000 + n,
        status=lambda n: Document.Status.OPEN if n % 3 == 0 else Document.Status.CLOSED,
        deadline=lambda n: None if n % 3 == 0 else today - timedelta(days=400 + n),
        responsible_id=lambda n: people[n % len(people)],
    )
    application = Application.objects.filter(status=Application.Status.GRANTED).first()
    _clones(
        Application,
        application,
        1200,
        skip=("document_id",),
        decided_at=lambda n: timezone.now() - timedelta(days=200 + n),
    )
    ticket = Ticket.objects.first()
    _clones(
        Ticket,
        ticket,
        1200,
        status=Ticket.Status.CLOSED,
        assignee_id=lambda n: people[n % len(people)],
    )
    visit = Visit.objects.first()
    _clones(
        Visit,
        visit,
        1200,
        arrived_at=lambda n: timezone.now() - timedelta(days=n + 1, hours=2),
        departed_at=lambda n: timezone.now() - timedelta(days=n + 1),
    )
    analyze(Document, Task, Application, Ticket, Visit, Letter, Asset, AccessGrant, Disposal)
    return department


def the_query(call, table: str) -> str:
    """The one query of ``call()`` that reads ``table``."""
    with CaptureQueriesContext(connection) as captured:
        call()
    found = [
        query["sql"] for query in captured.captured_queries if f'FROM "{table}"' in query["sql"]
    ]
    assert len(found) == 1, [query["sql"][:120] for query in captured.captured_queries]
    return found[0]


def assert_served_by(sql: str, table: str, *indexes: str) -> str:
    """``table`` is read through each of ``indexes`` (one of them, when given as "a|b"), and
    never by a sequential scan."""
    text = plan(sql)
    assert f"Seq Scan on {table}" not in text, text
    for index in indexes:
        assert any(f" {name} on {table}" in text for name in index.split("|")), text
    return text


def _due():
    today = timezone.localdate()
    return Document.objects.open().filter(deadline__lte=deadlines.due_soon_until(today))


def test_the_departments_deadline_tiles_are_one_range_of_the_open_documents_due(counted):
    sql = the_query(lambda: registry_selectors.deadline_counts(inbox=True), "registry_document")
    text = assert_served_by(sql, "registry_document", f"registry_doc_open_due|{OPEN_DOCUMENTS}")
    assert "deadline <= " in text, text  # the range up to the due-soon day


def test_the_deadlines_by_person_read_the_same_range(counted):
    today = timezone.localdate()
    sql = the_query(
        lambda: registry_selectors.deadlines_by_person(_due(), today=today), "registry_document"
    )
    assert_served_by(sql, "registry_document", f"registry_doc_open_due|{OPEN_DOCUMENTS}")


def test_one_persons_documents_are_a_range_of_their_open_documents(counted):
    clerk = counted["clerk"]
    sql = the_query(lambda: registry_selectors.deadline_counts(user=clerk), "registry_document")
    text = assert_served_by(
        sql,
        "registry_document",
        "registry_doc_open_resp|registry_doc_resp_open|registry_doc_resp_idx",
    )
    assert "responsible_id =" in text, text


def test_the_workload_counts_the_open_documents_by_holder_from_their_index(counted):
    sql = the_query(registry_selectors.workload, "registry_document")
    # At volume, with the visibility map set, the index alone (registry_doc_open_resp); on a
    # test's few rows the planner may walk the open range of the deadline index instead.
    assert_served_by(sql, "registry_document", f"registry_doc_open_resp|{OPEN_DOCUMENTS}")


@pytest.mark.parametrize(
    "call",
    [mtr_selectors.queue_counts, mtr_selectors.workload],
    ids=["queue counts", "workload"],
)
def test_the_mtr_counts_read_the_open_applications_index(counted, call):
    sql = the_query(call, "mtr_application")
    assert_served_by(sql, "mtr_application", OPEN_APPLICATIONS)


def test_the_mtr_areas_read_the_open_and_the_recently_decided_applications_only(counted):
    today = timezone.localdate()
    sql = the_query(
        lambda: mtr_selectors.areas(start=today.replace(day=1), end=today), "mtr_application"
    )
    assert_served_by(sql, "mtr_application", OPEN_APPLICATIONS, "mtr_app_decided")


def test_the_support_counts_read_the_open_tickets_and_the_visits_not_ended(counted):
    with CaptureQueriesContext(connection) as captured:
        helpdesk_selectors.queue_counts(visitors=True)
    (sql,) = [query["sql"] for query in captured.captured_queries]
    assert_served_by(
        sql,
        "helpdesk_ticket",
        # the status's index, or the partial index of the open tickets (a tie on a few rows)
        "helpdesk_ticket_status_d9beeff6|helpdesk_ticket_queue|helpdesk_tkt_open_queue",
    )
    assert_served_by(sql, "helpdesk_visit", "helpdesk_visit_in_building")


def test_the_letters_are_read_by_their_status(counted):
    sql = the_query(mail_selectors.mail_counts, "correspondence_letter")
    assert_served_by(
        sql,
        "correspondence_letter",
        # (the status's pattern index serves the same equality: a tie on a few rows)
        "correspondence_letter_status_9030e507|corr_letter_status_created"
        "|correspondence_letter_status_9030e507_like",
    )


def test_the_assets_are_read_by_their_state(counted):
    """On a few rows the planner ties between the state's index and (category, state), both
    read alone; at volume the state's index wins (EXPLAIN on 100,000 assets)."""
    sql = the_query(assets_selectors.asset_counts, "assets_asset")
    assert_served_by(
        sql,
        "assets_asset",
        "assets_asset_state_no|assets_asset_state_3f8e9058|assets_asset_state_3f8e9058_like"
        "|assets_category_state",
    )
