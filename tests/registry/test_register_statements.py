"""A registration's statements: how many there are (the number is taken in the last one, so the
counter row is locked only from there to the commit), and that what they write is what the
general paths write: the vectors of ``search.refresh``, the events, gapless numbers."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core import roles
from core.models import Event, Job, NumberCounter
from registry import search, services
from registry.models import Channel, Document, DocumentType, Party
from registry.verbs import Verb
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def statements(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def vectors(document) -> tuple[str, str]:
    return (
        Document.objects.filter(pk=document.pk)
        .values_list("search_vector", "public_search_vector")
        .get()
    )


def test_a_registration_is_three_statements(make_document, clerk, basis):
    make_document(received_on=date(2026, 2, 2))  # what is cached per process: content types
    with CaptureQueriesContext(connection) as captured:
        document = make_document(
            received_on=date(2026, 2, 2), responsible=clerk, restriction_basis=basis
        )

    sql = statements(captured)
    assert len(sql) == 3, sql
    assert "registry_series" in sql[0]  # the series as it is now: is it closed?
    assert "registry_searchterm" in sql[1]  # the title words, before the number
    assert all(
        table in sql[2] for table in ("core_numbercounter", "registry_document", "core_event")
    )
    assert document.number == "1-2/26-002"


def test_the_number_is_taken_in_the_last_statement(make_document, make_user):
    """A responsible person to notify adds the job's statements, before the number: the counter
    row is locked from the last statement to the commit only."""
    colleague = make_user(roles.CLERK, username="kolleeg", email="kolleeg@example.org")
    make_document(received_on=date(2026, 2, 2))
    with CaptureQueriesContext(connection) as captured:
        document = make_document(received_on=date(2026, 2, 2), responsible=colleague)

    sql = statements(captured)
    assert "core_numbercounter" in sql[-1]
    assert not any("core_numbercounter" in each for each in sql[:-1])
    assert any("core_job" in each for each in sql[:-1])
    assert Job.objects.filter(kind=services.NOTIFY_ASSIGNMENT_JOB).count() == 1
    assert Job.objects.get().args == {"document_id": document.pk, "user_id": colleague.pk}


def test_the_vectors_are_those_refresh_writes(make_document, clerk, basis, private_person):
    original = make_document(
        received_on=date(2026, 2, 2),
        title="Teabenõude pöördumine: заявления о выдаче",
        sender=private_person,
        sender_reference="Nr 7/12",
        notes="Märkused õunapuu kohta",
    )
    follow_up = make_document(
        received_on=date(2026, 2, 3),
        parent=original,
        title="Teabenõuded ja taotlused",
        restriction_basis=basis,
        responsible=clerk,
    )
    NumberCounter.objects.filter(series="registry:1-2", year=2026).update(last=999)
    wide = make_document(received_on=date(2026, 2, 4), title="Tuhandes kiri")

    assert (follow_up.number, wide.number, wide.sequence) == ("1-2/26-001-1", "1-2/26-1000", 1000)
    for document in (original, follow_up, wide):
        written = vectors(document)
        assert all(written)
        search.refresh(Document.objects.get(pk=document.pk))
        assert vectors(document) == written, document.number


def test_the_events_of_a_registration_carry_its_number(make_document, clerk, basis):
    document = make_document(
        received_on=date(2026, 2, 2), responsible=clerk, restriction_basis=basis
    )

    events = list(
        Event.objects.filter(object_id=str(document.pk), content_type__model="document").order_by(
            "created", "id"
        )
    )
    assert [event.verb for event in events] == [
        Verb.REGISTERED,
        Verb.RESTRICTION_SET,
        Verb.ASSIGNED,
    ]
    deadline = document.deadline.isoformat() if document.deadline else None
    assert events[0].data == {"number": "1-2/26-001", "deadline": deadline}
    assert events[2].data == {"responsible": str(clerk), "responsible_id": clerk.pk}
    assert {(event.object_repr, event.actor_id) for event in events} == {("1-2/26-001", clerk.pk)}


def test_an_unsaved_party_is_refused(make_document):
    with pytest.raises(ValueError, match="unsaved related object"):
        make_document(sender=Party(name="Salvestamata OÜ"))
    assert not Document.objects.exists()


def register(clerk, series, sender, title):
    return services.document_register(
        actor=clerk,
        series=series,
        doc_type=DocumentType.LETTER,
        channel=Channel.POST,
        title=title,
        received_on=date(2026, 3, 2),
        sender=sender,
        restriction_basis=None,
    )


@pytest.mark.django_db(transaction=True)
def test_a_party_deleted_meanwhile_is_refused_by_the_foreign_key(clerk, series):
    """The validation does not ask for the related rows again: the foreign key refuses a row
    that is gone (at the commit), and the number is given back."""
    gone = PartyFactory(name="Kustutatud OÜ")
    Party.objects.filter(pk=gone.pk).delete()

    with pytest.raises(IntegrityError):
        register(clerk, series, gone, "Kiri kadunud saatjalt")

    assert not Document.objects.exists()
    document = register(clerk, series, PartyFactory(), "Järgmine kiri")
    # Numbered in the year it is registered (today), whatever day it came.
    assert document.number == f"1-2/{document.registered_on:%y}-001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_with_failures_stay_gapless(clerk, series, organisation):
    """Connections register in one series at once; some of their transactions fail after the
    number was taken. The committed ones are numbered 1…n without a gap or a repeat."""
    threads_count, each = 6, 5
    barrier = threading.Barrier(threads_count)
    sequences, errors = [], []
    lock = threading.Lock()

    def work(index):
        try:
            barrier.wait(timeout=10)
            for attempt in range(each):
                try:
                    with transaction.atomic():
                        document = register(clerk, series, organisation, f"Kiri {index}-{attempt}")
                        if (index + attempt) % 3 == 0:
                            raise RuntimeError("the caller fails after the registration")
                except RuntimeError:
                    continue
                with lock:
                    sequences.append(document.sequence)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    committed = sum(1 for i in range(threads_count) for a in range(each) if (i + a) % 3 != 0)
    assert errors == []
    assert sorted(sequences) == list(range(1, committed + 1))
    assert sorted(Document.objects.values_list("sequence", flat=True)) == sorted(sequences)
