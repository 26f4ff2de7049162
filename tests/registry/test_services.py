"""The rules of the document register in registry.services: numbers, registration day,
deadlines and their extension, access restrictions, replies and tasks.

Dates are passed in (received_on, ``on=``, ``today=``) rather than frozen: the service refuses a
date of receipt in the future, so the fixed dates below are all in the past.
"""

import threading
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from core import calendar, roles, terms
from core.models import Event
from registry import services
from registry.models import (
    DELIVERY_CHANNELS,
    Channel,
    Direction,
    Document,
    DocumentType,
    Task,
)
from registry.verbs import Verb
from tests.factories import (
    FunctionFactory,
    RestrictionBasisFactory,
    SeriesFactory,
    UserFactory,
)
from tests.registry.conftest import last_working_day


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the source language); the site's default is et."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def verbs_of(document):
    return list(
        Event.objects.filter(object_id=str(document.pk), content_type__model="document")
        .order_by("created", "id")
        .values_list("verb", flat=True)
    )


@pytest.fixture
def general_basis(db):
    """A basis without sensitive personal data: at most 5 years, extendable once by 5."""
    return RestrictionBasisFactory(
        code="avts-35-1-2",
        title="AvTS § 35 lg 1 p 2",
        description="Riikliku järelevalve menetluse teave",
        is_personal_data=False,
    )


@pytest.fixture
def information_request(make_document):
    """An information request registered on the last working day: its deadline is ahead."""
    return make_document(doc_type=DocumentType.INFORMATION_REQUEST, title="Teabenõue")


# --- Register numbers ---------------------------------------------------------------------------


def test_numbers_run_per_series_and_year_from_001(make_document):
    first = make_document(received_on=date(2026, 2, 2))
    second = make_document(received_on=date(2026, 2, 3))
    third = make_document(received_on=date(2026, 2, 3))

    assert [first.number, second.number, third.number] == [
        "1-2/26-001",
        "1-2/26-002",
        "1-2/26-003",
    ]
    assert (second.year, second.sequence) == (2026, 2)


def test_numbers_restart_each_year(make_document):
    last_year = [make_document(received_on=date(2025, 3, 3)) for _ in range(2)]
    this_year = make_document(received_on=date(2026, 1, 5))

    assert [d.number for d in last_year] == ["1-2/25-001", "1-2/25-002"]
    assert this_year.number == "1-2/26-001"


def test_each_series_has_its_own_sequence(make_document):
    other = SeriesFactory(code="3-1", title="Teabenõuded", function=FunctionFactory(code="3"))

    a = make_document(received_on=date(2026, 2, 2))
    b = make_document(received_on=date(2026, 2, 2), series=other)
    c = make_document(received_on=date(2026, 2, 2))

    assert (a.number, b.number, c.number) == ("1-2/26-001", "3-1/26-001", "1-2/26-002")


def test_follow_ups_take_the_original_number_with_a_suffix(make_document):
    original = make_document(received_on=date(2026, 2, 2))
    make_document(received_on=date(2026, 2, 2))  # another matter in between

    first = make_document(received_on=date(2026, 2, 4), parent=original)
    second = make_document(received_on=date(2026, 2, 5), parent=original)
    of_follow_up = make_document(received_on=date(2026, 2, 6), parent=first)

    assert [first.number, second.number] == ["1-2/26-001-1", "1-2/26-001-2"]
    # A follow-up of a follow-up belongs to the same matter: the original's next suffix.
    assert of_follow_up.number == "1-2/26-001-3"
    assert of_follow_up.parent == original
    # The series' own sequence was not used by the follow-ups.
    assert make_document(received_on=date(2026, 2, 6)).number == "1-2/26-003"


def test_follow_up_in_another_series_is_refused(make_document):
    original = make_document(received_on=date(2026, 2, 2))
    other = SeriesFactory(code="3-1", title="Teabenõuded", function=FunctionFactory(code="3"))

    with pytest.raises(ValidationError) as error:
        make_document(received_on=date(2026, 2, 3), parent=original, series=other)

    assert "series" in error.value.message_dict


def test_a_rolled_back_registration_burns_no_number(make_document):
    make_document(received_on=date(2026, 2, 2))
    taken = []

    def register_then_fail():
        with transaction.atomic():
            taken.append(make_document(received_on=date(2026, 2, 2)).number)
            raise RuntimeError("the caller's transaction fails after the number was taken")

    with pytest.raises(RuntimeError):
        register_then_fail()

    assert taken == ["1-2/26-002"]

    assert not Document.objects.filter(number="1-2/26-002").exists()
    assert make_document(received_on=date(2026, 2, 3)).number == "1-2/26-002"


def test_a_refused_registration_burns_no_number(make_document):
    make_document(received_on=date(2026, 2, 2))
    with pytest.raises(ValidationError):  # refused after the number was taken: parcel data
        make_document(
            received_on=date(2026, 2, 2),
            doc_type=DocumentType.PARCEL,
            parcel={"carrier": "Omniva", "tracking_code": "X" * 101},
        )

    assert Document.objects.count() == 1

    assert make_document(received_on=date(2026, 2, 2)).number == "1-2/26-002"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_gapless_numbers(clerk, series, organisation):
    """Several real connections register in the same series at the same moment."""
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    numbers, errors = [], []

    def register(index):
        try:
            barrier.wait(timeout=10)
            document = services.document_register(
                actor=clerk,
                series=series,
                doc_type=DocumentType.LETTER,
                channel=Channel.POST,
                title=f"Samaaegne kiri {index}",
                received_on=date(2026, 3, 2),
                sender=organisation,
                restriction_basis=None,
            )
            numbers.append(document.number)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    year = f"{terms.registration_today():%y}"  # numbered in the year they are registered
    assert sorted(numbers) == [f"1-2/{year}-{n:03d}" for n in range(1, threads_count + 1)]
    assert Document.objects.count() == threads_count


# --- Registration day and deadlines -------------------------------------------------------------


def test_a_date_of_receipt_in_the_future_is_refused(make_document):
    with pytest.raises(ValidationError) as error:
        make_document(received_on=date.today() + timedelta(days=3))

    assert "received_on" in error.value.message_dict
    assert not Document.objects.exists()


def test_information_request_deadline_skips_christmas(make_document):
    document = make_document(
        doc_type=DocumentType.INFORMATION_REQUEST, received_on=date(2025, 12, 18)
    )

    assert document.deadline == calendar.add_working_days(date(2025, 12, 18), 5)
    # Fri 19, Mon 22, Tue 23 — 24, 25, 26 December are holidays — Mon 29, Tue 30.
    assert document.deadline == date(2025, 12, 30)
    assert document.initial_deadline == document.deadline


def test_information_request_deadline_from_saturday_counts_from_monday(make_document):
    document = make_document(
        doc_type=DocumentType.INFORMATION_REQUEST, received_on=date(2026, 11, 21)
    )

    assert document.deadline == date(2026, 11, 30)  # Tue 24 … Mon 30 after Monday 23


@pytest.mark.parametrize(
    "doc_type", [DocumentType.MEMORANDUM, DocumentType.REQUEST_FOR_EXPLANATION]
)
def test_memorandum_deadline_is_30_calendar_days(make_document, doc_type):
    document = make_document(doc_type=doc_type, received_on=date(2026, 3, 2))

    assert document.deadline == date(2026, 4, 1)


@pytest.mark.parametrize(
    "doc_type", [DocumentType.MEMORANDUM, DocumentType.REQUEST_FOR_EXPLANATION]
)
def test_tsus_136_a_memorandum_term_ending_on_a_day_off_ends_on_the_next_working_day(
    make_document, doc_type
):
    """TsÜS § 136: the 30th day after 5 March 2026 is Saturday 4 April (Easter Saturday): the
    term ends on Monday 6 April, as MTR's terms end (core.terms.term_end); it used to stay on
    the Saturday."""
    document = make_document(doc_type=doc_type, received_on=date(2026, 3, 5))

    assert document.deadline == date(2026, 4, 6)
    assert document.initial_deadline == date(2026, 4, 6)


def test_deadline_setting_is_used(make_document, settings):
    settings.REGISTRY_MEMORANDUM_DAYS = 14
    document = make_document(doc_type=DocumentType.MEMORANDUM, received_on=date(2026, 3, 2))

    assert document.deadline == date(2026, 3, 16)


def test_other_documents_have_the_deadline_the_clerk_sets_or_none(make_document):
    without = make_document(received_on=date(2026, 3, 2))
    with_one = make_document(received_on=date(2026, 3, 2), deadline=date(2026, 3, 20))

    assert without.deadline is None
    assert with_one.deadline == date(2026, 3, 20)


# --- Extending and closing deadlines ------------------------------------------------------------


def test_information_request_can_be_extended_once_to_15_working_days(clerk, information_request):
    doc = information_request
    latest = calendar.add_working_days(doc.registered_on, 15)

    extended = services.document_extend_deadline(
        actor=clerk,
        document=doc,
        new_deadline=latest,
        reason="Palju dokumente",
        requester_notified_on=doc.registered_on,
    )

    assert extended.deadline == latest
    assert extended.initial_deadline == doc.deadline
    assert extended.requester_notified_on == doc.registered_on
    assert extended.deadline_extension_reason == "Palju dokumente"
    assert Verb.DEADLINE_EXTENDED in verbs_of(doc)
    with pytest.raises(ValidationError, match="once"):
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=latest + timedelta(days=1),
            reason="Veel kord",
            requester_notified_on=doc.registered_on,
        )


def test_information_request_extension_beyond_15_working_days_is_refused(
    clerk, information_request
):
    doc = information_request
    with pytest.raises(ValidationError) as error:
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=calendar.add_working_days(doc.registered_on, 16),
            reason="Palju dokumente",
            requester_notified_on=doc.registered_on,
        )

    assert "new_deadline" in error.value.message_dict
    doc.refresh_from_db()
    assert doc.deadline == doc.initial_deadline


def test_information_request_extension_needs_the_requester_told(clerk, information_request):
    doc = information_request
    with pytest.raises(ValidationError) as error:
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=calendar.add_working_days(doc.registered_on, 10),
            reason="Palju dokumente",
        )

    assert "requester_notified_on" in error.value.message_dict


def test_requester_told_after_the_first_deadline_is_refused(clerk, make_document):
    doc = make_document(doc_type=DocumentType.INFORMATION_REQUEST, received_on=date(2026, 1, 5))
    with pytest.raises(ValidationError):
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=date(2026, 1, 20),
            reason="Palju dokumente",
            requester_notified_on=date(2026, 1, 13),  # the deadline was 12 January
        )


def test_requester_told_before_registration_is_refused(clerk, information_request):
    doc = information_request
    with pytest.raises(ValidationError) as error:
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=calendar.add_working_days(doc.registered_on, 10),
            reason="Palju dokumente",
            requester_notified_on=doc.registered_on - timedelta(days=1),
        )

    assert "requester_notified_on" in error.value.message_dict


def test_information_request_cannot_be_extended_after_its_deadline_passed(clerk, make_document):
    doc = make_document(doc_type=DocumentType.INFORMATION_REQUEST, received_on=date(2026, 1, 5))
    assert doc.deadline == date(2026, 1, 12)

    with pytest.raises(ValidationError, match="before the first deadline"):
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=date(2026, 1, 26),
            reason="Hiljaks jäänud",
            requester_notified_on=date(2026, 1, 8),
        )


def test_extension_needs_a_reason_and_a_later_date(clerk, information_request):
    doc = information_request
    with pytest.raises(ValidationError) as error:
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=doc.deadline + timedelta(days=3),
            reason="  ",
            requester_notified_on=doc.registered_on,
        )
    assert "reason" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=doc.deadline,
            reason="Põhjus",
            requester_notified_on=doc.registered_on,
        )
    assert "new_deadline" in error.value.message_dict


def test_msvs_6_a_memorandum_extension_needs_notice_to_the_person(clerk, make_document):
    """MSVS § 6: the term of a memorandum or request for explanation may be extended only with
    notice to the person (it used to need none: test_memorandum_extension_needs_no_notice_date)."""
    doc = make_document(doc_type=DocumentType.MEMORANDUM, received_on=last_working_day())
    later = doc.deadline + timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        services.document_extend_deadline(
            actor=clerk, document=doc, new_deadline=later, reason="Ekspertiis"
        )
    assert "requester_notified_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=later,
            reason="Ekspertiis",
            requester_notified_on=timezone.localdate() + timedelta(days=1),
        )
    assert "requester_notified_on" in refused.value.message_dict  # not told yet: in the future

    extended = services.document_extend_deadline(
        actor=clerk,
        document=doc,
        new_deadline=later,
        reason="Ekspertiis",
        requester_notified_on=timezone.localdate(),
    )
    assert extended.deadline == later
    assert extended.requester_notified_on == timezone.localdate()


@pytest.mark.parametrize(
    "doc_type", [DocumentType.MEMORANDUM, DocumentType.REQUEST_FOR_EXPLANATION]
)
def test_msvs_6_a_memorandum_is_extended_to_two_months_from_registration_at_most(
    clerk, make_document, doc_type
):
    """MSVS § 6: at most two months in all from registration (the last day moved off a day off,
    TsÜS § 136); within that it may be extended again. There was no cap."""
    doc = make_document(doc_type=doc_type, received_on=last_working_day())
    latest = calendar.registration_day(doc.registered_on + relativedelta(months=2))
    told = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.document_extend_deadline(
            actor=clerk,
            document=doc,
            new_deadline=latest + timedelta(days=1),
            reason="Ekspertiis",
            requester_notified_on=told,
        )
    assert "new_deadline" in refused.value.message_dict
    first = doc.deadline + timedelta(days=5)
    services.document_extend_deadline(
        actor=clerk,
        document=doc,
        new_deadline=first,
        reason="Ekspertiis",
        requester_notified_on=told,
    )
    again = services.document_extend_deadline(
        actor=clerk,
        document=doc,
        new_deadline=latest,
        reason="Veel üks",
        requester_notified_on=told,
    )
    assert again.deadline == latest


def test_closing_with_a_reason_and_reopening(clerk, information_request):
    doc = information_request
    with pytest.raises(ValidationError):
        services.document_close(actor=clerk, document=doc, reason="")

    closed = services.document_close(actor=clerk, document=doc, reason="Vastatud telefoni teel")
    assert closed.status == Document.Status.CLOSED
    assert closed.close_reason == "Vastatud telefoni teel"
    assert closed.closed_on is not None
    assert not Document.objects.overdue(closed.deadline + timedelta(days=30)).filter(pk=doc.pk)
    with pytest.raises(ValidationError):
        services.document_close(actor=clerk, document=doc, reason="Teist korda")

    reopened = services.document_reopen(actor=clerk, document=doc, reason="Küsis uuesti")
    assert reopened.status == Document.Status.OPEN
    assert reopened.closed_on is None
    assert verbs_of(doc)[-2:] == [Verb.CLOSED, Verb.REOPENED]


def test_overdue_and_due_by(make_document):
    doc = make_document(doc_type=DocumentType.INFORMATION_REQUEST, received_on=date(2026, 1, 5))

    assert doc in Document.objects.overdue(date(2026, 1, 13))
    assert doc not in Document.objects.overdue(date(2026, 1, 12))
    assert doc in Document.objects.due_by(date(2026, 1, 14), on=date(2026, 1, 12))


# --- Replies ------------------------------------------------------------------------------------


def test_a_reply_closes_the_deadline_as_answered(clerk, information_request, organisation):
    doc = information_request
    reply = services.document_register_reply(
        actor=clerk,
        document=doc,
        title="Vastus teabenõudele",
        channel=Channel.EMAIL,
        sent_on=doc.registered_on,
    )

    doc.refresh_from_db()
    assert doc.status == Document.Status.ANSWERED
    assert doc.closed_on == reply.received_on
    assert reply.in_reply_to == doc
    assert list(doc.replies.all()) == [reply]
    assert reply.series == doc.series
    assert reply.direction == "out"
    assert reply.doc_type == DocumentType.REPLY
    assert reply.recipient == organisation
    assert reply.deadline is None
    assert reply.status == Document.Status.NO_ACTION
    assert reply.sequence == doc.sequence + 1  # its own number in the same series
    assert Verb.REPLIED in verbs_of(doc)
    assert doc not in Document.objects.overdue(doc.deadline + timedelta(days=10))


def test_a_reply_to_a_restricted_document_is_restricted_alike(clerk, make_document, basis):
    doc = make_document(restriction_basis=basis)

    reply = services.document_register_reply(
        actor=clerk, document=doc, title="Vastus", channel=Channel.POST, sent_on=doc.registered_on
    )

    assert reply.is_restricted()
    assert reply.restriction_basis == basis
    assert reply.restriction_end == doc.restriction_end


def test_a_reply_dated_in_the_future_is_refused(clerk, information_request):
    with pytest.raises(ValidationError) as error:
        services.document_register_reply(
            actor=clerk,
            document=information_request,
            title="Vastus",
            channel=Channel.POST,
            sent_on=date.today() + timedelta(days=5),
        )

    assert "received_on" in error.value.message_dict
    information_request.refresh_from_db()
    assert information_request.status == Document.Status.OPEN


# --- Access restrictions ------------------------------------------------------------------------


def test_restriction_lasts_at_most_5_years(make_document, general_basis):
    start = date(2026, 3, 2)
    ok = make_document(
        received_on=start,
        restriction_basis=general_basis,
        restriction_end=start + relativedelta(years=5),
    )
    assert ok.restriction_start == start
    assert ok.restriction_end == date(2031, 3, 2)

    with pytest.raises(ValidationError) as error:
        make_document(
            received_on=start,
            restriction_basis=general_basis,
            restriction_end=start + relativedelta(years=5, days=1),
        )
    assert "restriction_end" in error.value.message_dict


def test_restriction_without_an_end_gets_the_longest_term(make_document, general_basis, basis):
    start = date(2026, 3, 2)

    general = make_document(received_on=start, restriction_basis=general_basis)
    personal = make_document(received_on=start, restriction_basis=basis)

    assert general.restriction_end == date(2031, 3, 2)
    assert personal.restriction_end == date(2101, 3, 2)


def test_personal_data_restriction_lasts_up_to_75_years(make_document, basis):
    start = date(2026, 3, 2)
    ok = make_document(received_on=start, restriction_basis=basis, restriction_end=date(2101, 3, 2))
    assert ok.restriction_end == date(2101, 3, 2)

    with pytest.raises(ValidationError):
        make_document(received_on=start, restriction_basis=basis, restriction_end=date(2101, 3, 3))


def test_restriction_ending_before_it_starts_is_refused(make_document, general_basis):
    with pytest.raises(ValidationError):
        make_document(
            received_on=date(2026, 3, 2),
            restriction_basis=general_basis,
            restriction_end=date(2026, 3, 1),
        )


def test_series_default_restriction_applies(make_document, series, general_basis):
    series.default_restriction_basis = general_basis
    series.save()
    from registry.services import SERIES_DEFAULT

    document = make_document(restriction_basis=SERIES_DEFAULT)

    assert document.restriction_basis == general_basis
    assert document.is_restricted()


def test_restriction_is_extended_once_by_at_most_5_years(advisor, make_document, general_basis):
    doc = make_document(
        received_on=last_working_day(),
        restriction_basis=general_basis,
        restriction_end=last_working_day() + relativedelta(years=1),
    )
    end = doc.restriction_end

    with pytest.raises(ValidationError) as error:
        services.document_extend_restriction(
            actor=advisor,
            document=doc,
            new_end=end + relativedelta(years=5, days=1),
            reason="Menetlus kestab",
        )
    assert "new_end" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.document_extend_restriction(
            actor=advisor, document=doc, new_end=end + relativedelta(years=2), reason=""
        )
    assert "reason" in error.value.message_dict

    extended = services.document_extend_restriction(
        actor=advisor, document=doc, new_end=end + relativedelta(years=5), reason="Menetlus kestab"
    )
    assert extended.restriction_end == end + relativedelta(years=5)
    assert extended.restriction_extended
    assert Verb.RESTRICTION_EXTENDED in verbs_of(doc)

    with pytest.raises(ValidationError, match="once"):
        services.document_extend_restriction(
            actor=advisor,
            document=doc,
            new_end=end + relativedelta(years=5, days=1),
            reason="Veel",
        )


def test_personal_data_restriction_extends_up_to_75_years_from_start(advisor, make_document, basis):
    doc = make_document(
        restriction_basis=basis, restriction_end=last_working_day() + relativedelta(years=10)
    )
    limit = doc.restriction_start + relativedelta(years=75)

    with pytest.raises(ValidationError):
        services.document_extend_restriction(
            actor=advisor, document=doc, new_end=limit + timedelta(days=1), reason="Terviseandmed"
        )
    extended = services.document_extend_restriction(
        actor=advisor, document=doc, new_end=limit, reason="Terviseandmed"
    )
    assert extended.restriction_end == limit


def test_restricting_later_starts_today(advisor, make_document, general_basis):
    doc = make_document()
    assert not doc.is_restricted()

    restricted = services.document_restrict(actor=advisor, document=doc, basis=general_basis)

    assert restricted.is_restricted()
    assert restricted.restriction_end == restricted.restriction_start + relativedelta(years=5)
    assert doc in Document.objects.restricted()
    with pytest.raises(ValidationError, match="already"):
        services.document_restrict(actor=advisor, document=doc, basis=general_basis)


def test_an_inactive_basis_cannot_be_used(advisor, make_document, general_basis):
    general_basis.is_active = False
    general_basis.save()

    with pytest.raises(ValidationError):
        services.document_restrict(actor=advisor, document=make_document(), basis=general_basis)


def test_lifting_records_who_and_why(advisor, make_document, basis):
    doc = make_document(restriction_basis=basis)
    assert doc in Document.objects.restricted()

    with pytest.raises(ValidationError):
        services.document_lift_restriction(actor=advisor, document=doc, reason=" ")
    lifted = services.document_lift_restriction(
        actor=advisor, document=doc, reason="Menetlus lõppes"
    )

    assert lifted.restriction_lifted_by == advisor
    assert lifted.restriction_lifted_on is not None
    assert lifted.restriction_lift_reason == "Menetlus lõppes"
    assert not lifted.is_restricted()
    assert doc not in Document.objects.restricted()
    assert doc in Document.objects.public()
    assert Verb.RESTRICTION_LIFTED in verbs_of(doc)
    with pytest.raises(ValidationError):
        services.document_lift_restriction(actor=advisor, document=doc, reason="Uuesti")


def test_restricted_and_public_on_the_first_and_last_day(make_document, general_basis):
    start = date(2026, 3, 2)
    end = date(2026, 6, 30)
    doc = make_document(received_on=start, restriction_basis=general_basis, restriction_end=end)

    def restricted_on(day):
        return Document.objects.restricted(day).filter(pk=doc.pk).exists()

    def public_on(day):
        return Document.objects.public(day).filter(pk=doc.pk).exists()

    # The start is the day the term counts from (AvTS § 40(1)), not a day before which the
    # document would be public: restricted from the moment it exists (issue 13).
    assert (restricted_on(start - timedelta(days=1)), public_on(start - timedelta(days=1))) == (
        True,
        False,
    )
    assert (restricted_on(start), public_on(start)) == (True, False)
    assert (restricted_on(end), public_on(end)) == (True, False)
    assert (restricted_on(end + timedelta(days=1)), public_on(end + timedelta(days=1))) == (
        False,
        True,
    )
    assert doc.is_restricted(end)
    assert not doc.is_restricted(end + timedelta(days=1))


def test_restrictions_expire_records_one_event_once(make_document, general_basis):
    expired = make_document(
        received_on=date(2026, 3, 2),
        restriction_basis=general_basis,
        restriction_end=date(2026, 6, 30),
    )
    running = make_document(received_on=date(2026, 3, 2), restriction_basis=general_basis)

    assert services.restrictions_expire(today=date(2026, 7, 1)) == 1
    assert services.restrictions_expire(today=date(2026, 7, 1)) == 0
    assert services.restrictions_expire(today=date(2026, 7, 2)) == 0

    assert verbs_of(expired).count(Verb.RESTRICTION_EXPIRED) == 1
    assert Verb.RESTRICTION_EXPIRED not in verbs_of(running)
    assert expired in Document.objects.public(date(2026, 7, 1))


def test_restriction_not_yet_ended_does_not_expire(make_document, general_basis):
    make_document(
        received_on=date(2026, 3, 2),
        restriction_basis=general_basis,
        restriction_end=date(2026, 6, 30),
    )

    assert services.restrictions_expire(today=date(2026, 6, 30)) == 0


def test_visible_to_hides_restricted_documents_from_others(make_user, make_document, basis):
    clerk_b = make_user(roles.CLERK, username="clerk_b")
    responsible = make_user(roles.CLERK, username="responsible")
    advisor = make_user(roles.ADVISOR, username="advisor_b")
    shared = make_user(roles.MTR_PROCESSOR, username="shared")
    outsider = make_user(username="outsider")  # no role at all
    doc = make_document(restriction_basis=basis, responsible=responsible)
    services.document_share(actor=advisor, document=doc, user=shared)

    def sees(user):
        return Document.objects.visible_to(user).filter(pk=doc.pk).exists()

    assert not sees(clerk_b)
    assert not sees(outsider)
    assert [sees(responsible), sees(advisor), sees(shared), sees(doc.registered_by)] == [True] * 4

    services.document_unshare(actor=advisor, document=doc, user=shared)
    assert not sees(shared)
    assert verbs_of(doc)[-2:] == [Verb.SHARED, Verb.UNSHARED]


# --- Parcels ------------------------------------------------------------------------------------


def test_parcel_hand_over_records_receiver_and_signature(clerk, make_document, advisor):
    doc = make_document(
        doc_type=DocumentType.PARCEL,
        channel=Channel.COURIER,
        parcel={"carrier": "Omniva", "tracking_code": "CC123456789EE"},
    )
    with pytest.raises(ValidationError):
        services.parcel_hand_over(
            actor=clerk, document=doc, handed_to=advisor, receipt_signed_by=""
        )

    parcel = services.parcel_hand_over(
        actor=clerk, document=doc, handed_to=advisor, receipt_signed_by="Ants Advisor"
    )

    assert parcel.handed_to == advisor
    assert parcel.handed_at is not None
    assert parcel.receipt_signed_by == "Ants Advisor"
    assert Verb.PARCEL_HANDED_OVER in verbs_of(doc)


def test_hand_over_of_a_document_that_is_no_parcel_is_refused(clerk, make_document, advisor):
    with pytest.raises(ValidationError):
        services.parcel_hand_over(
            actor=clerk, document=make_document(), handed_to=advisor, receipt_signed_by="Ants"
        )


# --- Tasks --------------------------------------------------------------------------------------


@pytest.fixture
def given(advisor, clerk, make_document):
    return services.task_give(
        actor=advisor,
        document=make_document(),
        assignee=clerk,
        instruction="Valmista vastus ette",
        due_on=date.today() + timedelta(days=3),
    )


def test_task_is_given_accepted_and_completed(advisor, clerk, given):
    assert given.status == Task.Status.GIVEN
    assert given.given_by == advisor

    accepted = services.task_accept(actor=clerk, task=given)
    assert accepted.status == Task.Status.ACCEPTED
    assert accepted.accepted_at is not None

    done = services.task_complete(actor=clerk, task=given, comment="Vastus saadetud")
    assert done.status == Task.Status.COMPLETED
    assert done.finished_at is not None
    assert done.comment == "Vastus saadetud"
    assert verbs_of(given.document)[-3:] == [
        Verb.TASK_GIVEN,
        Verb.TASK_ACCEPTED,
        Verb.TASK_COMPLETED,
    ]


def test_task_can_be_completed_without_accepting_first(clerk, given):
    done = services.task_complete(actor=clerk, task=given)

    assert done.status == Task.Status.COMPLETED
    assert done.accepted_at is not None


def test_refused_task_transitions_are_errors(clerk, given):
    services.task_complete(actor=clerk, task=given)

    for action in (
        lambda: services.task_accept(actor=clerk, task=given),
        lambda: services.task_complete(actor=clerk, task=given),
        lambda: services.task_return(actor=clerk, task=given, comment="Ei jõua"),
        lambda: services.task_forward(actor=clerk, task=given, to_agency="Maa-amet"),
    ):
        with pytest.raises(ValidationError):
            action()
    given.refresh_from_db()
    assert given.status == Task.Status.COMPLETED


def test_returning_needs_a_comment_and_ends_the_task(clerk, given):
    with pytest.raises(ValidationError) as error:
        services.task_return(actor=clerk, task=given, comment="")
    assert "comment" in error.value.message_dict

    returned = services.task_return(actor=clerk, task=given, comment="Pole minu valdkond")
    assert returned.status == Task.Status.RETURNED
    with pytest.raises(ValidationError):
        services.task_accept(actor=clerk, task=given)


def test_only_the_assignee_moves_a_task(advisor, head, given):
    for action in (
        lambda user: services.task_accept(actor=user, task=given),
        lambda user: services.task_complete(actor=user, task=given),
        lambda user: services.task_return(actor=user, task=given, comment="Ei"),
        lambda user: services.task_forward(actor=user, task=given, to_agency="Maa-amet"),
    ):
        for user in (advisor, head):
            with pytest.raises(PermissionDenied):
                action(user)
    given.refresh_from_db()
    assert given.status == Task.Status.GIVEN


def test_forwarding_to_a_person_gives_them_a_new_task(clerk, make_user, given):
    colleague = make_user(roles.CLERK, username="colleague")

    new_task = services.task_forward(
        actor=clerk, task=given, to_user=colleague, comment="Sinu valdkond"
    )

    given.refresh_from_db()
    assert given.status == Task.Status.FORWARDED
    assert given.comment == "Sinu valdkond"
    assert new_task.pk != given.pk
    assert new_task.assignee == colleague
    assert new_task.forwarded_from == given
    assert new_task.instruction == given.instruction
    assert new_task.status == Task.Status.GIVEN
    assert Verb.TASK_FORWARDED in verbs_of(given.document)


def test_forwarding_to_an_agency_is_recorded(clerk, given):
    result = services.task_forward(actor=clerk, task=given, to_agency="Andmekaitse Inspektsioon")

    assert result.pk == given.pk
    assert result.status == Task.Status.FORWARDED
    assert result.forwarded_to_agency == "Andmekaitse Inspektsioon"
    assert Task.objects.filter(document=given.document).count() == 1


def test_forwarding_needs_exactly_one_target(clerk, make_user, given):
    colleague = make_user(roles.CLERK, username="colleague")
    with pytest.raises(ValidationError):
        services.task_forward(actor=clerk, task=given)
    with pytest.raises(ValidationError):
        services.task_forward(actor=clerk, task=given, to_user=colleague, to_agency="Maa-amet")
    with pytest.raises(ValidationError):
        services.task_forward(actor=clerk, task=given, to_user=clerk)


def test_task_due_in_the_past_or_without_instruction_is_refused(advisor, clerk, make_document):
    document = make_document()
    with pytest.raises(ValidationError) as error:
        services.task_give(
            actor=advisor,
            document=document,
            assignee=clerk,
            instruction="Tee",
            due_on=date.today() - timedelta(days=1),
        )
    assert "due_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.task_give(
            actor=advisor, document=document, assignee=clerk, instruction=" ", due_on=date.today()
        )
    assert "instruction" in error.value.message_dict


def test_task_is_cancelled_by_its_giver_or_a_task_manager(advisor, clerk, make_user, given):
    other_clerk = make_user(roles.CLERK, username="other_clerk")
    with pytest.raises(PermissionDenied):
        services.task_cancel(actor=other_clerk, task=given)

    cancelled = services.task_cancel(actor=advisor, task=given)

    assert cancelled.status == Task.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.task_cancel(actor=advisor, task=given)


def test_task_notification_is_queued_for_the_assignee(
    advisor, clerk, make_document, django_capture_on_commit_callbacks
):
    from core.models import OutboundEmail

    with django_capture_on_commit_callbacks(execute=True):
        task = services.task_give(
            actor=advisor,
            document=make_document(),
            assignee=clerk,
            instruction="Vasta",
            due_on=date.today() + timedelta(days=2),
        )

    emails = OutboundEmail.objects.filter(key=f"registry-task:{task.pk}")
    assert [email.to for email in emails] == [[clerk.email]]


def test_restricted_access_and_refusal_are_recorded(clerk, make_document, basis):
    doc = make_document(restriction_basis=basis)
    attachment_user = UserFactory(username="someone")

    services.restricted_access_record(actor=clerk, document=doc)
    services.restricted_refusal_record(actor=attachment_user, document=doc)

    assert verbs_of(doc)[-2:] == [Verb.RESTRICTED_VIEWED, Verb.RESTRICTED_REFUSED]


def test_an_internal_document_is_neither_received_nor_sent_and_has_no_channel(clerk, series):
    """Issue 17, item 9: internal documents (acts, orders, memos) were registered as
    "outgoing, hand delivery". They have their own direction and no channel of delivery."""
    common = {
        "actor": clerk,
        "series": series,
        "doc_type": DocumentType.OTHER,
        "title": "Käskkiri puhkuste ajakava kohta",
        "received_on": last_working_day(),
        "restriction_basis": None,
    }
    made = services.document_register(
        direction=Direction.INTERNAL, channel=Channel.INTERNAL, **common
    )
    assert made.status == Document.Status.NO_ACTION
    assert made.sender is None
    assert made.deadline is None
    for direction, channel in (
        (Direction.INTERNAL, Channel.HAND),
        (Direction.OUTGOING, Channel.INTERNAL),
    ):
        with pytest.raises(ValidationError) as refused:
            services.document_register(direction=direction, channel=channel, **common)
        assert "channel" in refused.value.message_dict
    assert Channel.INTERNAL not in dict(DELIVERY_CHANNELS)
