"""Fixtures of the user-support tests: a specialist, and tickets made through the service."""

import pytest

from core import roles
from helpdesk import services
from helpdesk.models import Category, TicketChannel


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def specialist(make_user):
    return make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm")


@pytest.fixture
def make_ticket(db):
    """Open a ticket through the service; keyword arguments override the defaults."""

    def make(**kwargs):
        values = {
            "subject": "Ei saa e-teenusesse sisse logida",
            "body": "Tere! Mobiil-ID-ga sisselogimine annab vea. Mida teha?",
            "channel": TicketChannel.WEB,
            "category": Category.ACCOUNT,
            "requester_email": "kasutaja@example.ee",
            "requester_name": "Kati Kask",
        }
        values.update(kwargs)
        return services.ticket_create(**values)

    return make
