"""core.counts: the status tabs' capped counts, several in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.counts import capped_counts, count_label
from core.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_count_stops_past_the_cap_and_all_are_read_in_one_query(settings):
    settings.LANGUAGE_CODE = "en"
    for n in range(5):
        UserFactory(username=f"user{n}", is_active=n != 0)
    with CaptureQueriesContext(connection) as queries:
        counts = capped_counts(
            {
                "active": User.objects.filter(is_active=True),
                "inactive": User.objects.filter(is_active=False),
                "none": User.objects.filter(pk=-1),
            },
            cap=2,
        )
    assert len(queries) == 1
    assert counts == {"active": 3, "inactive": 1, "none": 0}
    assert count_label(counts["active"], cap=2) == "over 2"
    assert count_label(counts["inactive"], cap=2) == "1"
