"""Fixtures of the document register's tests."""

from datetime import date

import pytest
from django.utils import timezone

from core import roles
from registry import services
from registry.models import Channel, DocumentType
from tests.factories import (
    PartyFactory,
    PrivatePersonFactory,
    RestrictionBasisFactory,
    SeriesFactory,
    in_time,
)


@pytest.fixture
def advisor(make_user):
    return make_user(roles.ADVISOR, username="advisor")


@pytest.fixture
def processor(make_user):
    """Staff without registry write permissions (an MTR processor)."""
    return make_user(roles.MTR_PROCESSOR, username="processor")


@pytest.fixture
def series(db):
    return SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")


@pytest.fixture
def basis(db):
    return RestrictionBasisFactory()


@pytest.fixture
def organisation(db):
    return PartyFactory(name="OÜ Põhjarannik", code="")


@pytest.fixture
def private_person(db):
    return PrivatePersonFactory(name="Mari-Liis Õunapuu")


@pytest.fixture
def make_document(clerk, series, organisation):
    """Register a document through the service; keyword arguments override the defaults."""

    def make(**kwargs):
        defaults = {
            "actor": clerk,
            "series": series,
            "doc_type": DocumentType.LETTER,
            "channel": Channel.POST,
            "title": "Kiri teenuse kohta",
            "received_on": last_working_day(),
            "sender": organisation,
            "restriction_basis": None,
        }
        defaults.update(kwargs)
        # A document of the past, registered in time then (a register entered earlier): the
        # tests that register today, late or on a day off say so with registered_on=None.
        defaults.setdefault("registered_on", in_time(defaults))
        return services.document_register(**defaults)

    return make


def last_working_day() -> date:
    """Today, or the last working day before it (a document received then is registered then)."""
    from core import calendar

    day = timezone.localdate()
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() - 1)
    return day
