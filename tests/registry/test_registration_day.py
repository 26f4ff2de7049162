"""Law 8 of issue 17: a late registration is never back-dated to the day of receipt.

A document received or sent is registered at the latest on the working day after (AvTS § 12 (1)
1)). The register keeps both days: the day it came and the day it was registered, which is the
day the clerk registers it (the next working day when that is a day off). A late registration
says how late it was, and a term counted from registration counts from the day it was due, so
registering late gives the agency no more time (core.terms)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import calendar, terms
from core.models import Event
from registry.models import Direction, DocumentType
from registry.verbs import Verb

TALLINN = ZoneInfo("Europe/Tallinn")
MONDAY, TUESDAY, THURSDAY = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 26)
SATURDAY = date(2026, 11, 21)


def on(day: date, hour: int = 10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=TALLINN), tick=False
    )


def test_avts_12_a_document_registered_on_a_day_off_is_dated_the_next_working_day(make_document):
    with on(SATURDAY):
        document = make_document(received_on=SATURDAY, registered_on=None)
    assert document.received_on == SATURDAY
    assert document.registered_on == MONDAY
    assert document.registration_lateness == 0


def test_avts_12_a_holiday_receipt_is_registered_on_the_next_working_day(make_document):
    christmas_eve = date(2025, 12, 24)
    with on(christmas_eve):
        document = make_document(received_on=christmas_eve, registered_on=None)
    assert document.registered_on == date(2025, 12, 29)


def test_avts_12_the_next_working_day_is_in_time(make_document):
    with on(TUESDAY):
        document = make_document(received_on=MONDAY, registered_on=None)
    assert (document.received_on, document.registered_on) == (MONDAY, TUESDAY)
    assert document.registration_lateness == 0
    event = Event.objects.get(object_id=str(document.pk), verb=Verb.REGISTERED)
    assert "late" not in event.data


def test_avts_12_a_late_registration_keeps_both_days_and_says_how_late(
    make_document, client, clerk
):
    """Received on Monday, registered on Thursday: dated Thursday, two working days late (the
    due day was Tuesday), not back-dated to Monday as it was."""
    with on(THURSDAY):
        document = make_document(received_on=MONDAY, registered_on=None, title="Hilinenud kiri")
        client.force_login(clerk)
        client.cookies["django_language"] = "en"
        page = client.get(reverse("registry:document-detail", args=[document.pk]))
    assert document.received_on == MONDAY
    assert document.registered_on == THURSDAY
    assert document.registration_due == TUESDAY
    assert document.registration_lateness == 2
    event = Event.objects.get(object_id=str(document.pk), verb=Verb.REGISTERED)
    assert event.data["late"] == 2
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-registered-late="2"' in html
    assert "working days late: 2" in html  # on the timeline too
    assert "24.11.2026" in html


def test_avts_12_the_number_is_of_the_year_it_is_registered_in(make_document, series):
    """Received on 30 December, registered on 4 January: a number of the new year."""
    received = date(2026, 12, 30)
    with on(date(2027, 1, 4)):
        document = make_document(received_on=received, registered_on=None)
    assert document.registered_on == date(2027, 1, 4)
    assert f"/{27}-" in document.number


@pytest.mark.parametrize(
    ("doc_type", "expected"),
    [
        # 5 working days from Tuesday, the due day, not from Thursday (which gave 3.12).
        (DocumentType.INFORMATION_REQUEST, calendar.add_working_days(TUESDAY, 5)),
        # 30 calendar days from Tuesday: 24.12 is a holiday, so the term ends on 29.12.
        (DocumentType.MEMORANDUM, terms.term_end(TUESDAY, 30)),
    ],
)
def test_avts_12_a_late_registration_lengthens_no_term(make_document, doc_type, expected):
    with on(THURSDAY):
        document = make_document(received_on=MONDAY, registered_on=None, doc_type=doc_type)
    assert document.deadline == expected


def test_avts_12_what_the_agency_sends_is_dated_the_day_it_is_registered(make_document, clerk):
    with on(SATURDAY):
        document = make_document(
            received_on=SATURDAY,
            registered_on=None,
            direction=Direction.OUTGOING,
            doc_type=DocumentType.LETTER,
            sender=None,
        )
    assert document.registered_on == SATURDAY  # not Monday: never dated in the future


def test_a_registration_day_entered_from_another_register_is_checked(make_document):
    with on(THURSDAY), pytest.raises(ValidationError) as error:
        make_document(received_on=TUESDAY, registered_on=MONDAY)
    assert "received_on" in error.value.message_dict
    with on(THURSDAY), pytest.raises(ValidationError):
        make_document(received_on=MONDAY, registered_on=date(2026, 12, 10))
