"""core.counts: the status tabs' capped counts, several in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.counts import capped_counts, capped_counts_by, count_label
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


def test_counts_by_a_field_reuse_one_compilation_and_match_each_count_alone():
    """capped_counts_by compiles the queryset twice and puts each other value in the value's
    places: a parameter of another filter equal to a value stays as it was."""
    names = ["Anna", "Anna", "Bert", "Carl", "Carl", "Carl", "Dora"]
    for n, first_name in enumerate(names):
        UserFactory(username=f"u{n}", first_name=first_name, last_name="Anna" if n % 2 else "Tamm")
    queryset = User.objects.filter(last_name="Anna")
    values = ["Anna", "Bert", "Carl", "Dora", "Eve"]
    with CaptureQueriesContext(connection) as queries:
        counts, total = capped_counts_by(queryset, "first_name", values, cap=2)
    assert len(queries) == 1
    alone = {value: min(queryset.filter(first_name=value).count(), 3) for value in values}
    assert counts == alone
    assert total == min(sum(alone.values()), 3)
    assert capped_counts_by(queryset, "first_name", ["Carl"]) == ({"Carl": 2}, 2)
    assert capped_counts_by(queryset, "first_name", []) == ({}, 0)
