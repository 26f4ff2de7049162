"""core.choices.remembered_choices: a list's filter options read once a minute, and at once
again after a change through the portal (a new person, a new group member, a renamed series)."""

from __future__ import annotations

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from core import roles
from core.choices import remembered_choices
from registry.filters import DocumentFilter
from tests.factories import SeriesFactory


def _options(user, data=None):
    """What the document list's filter card offers ``user``: (series, responsible)."""
    form = DocumentFilter(data, request=None).form
    return remembered_choices(form["series"], user), remembered_choices(form["responsible"], user)


def _labels(choices) -> list[str]:
    return [label for _value, label in choices]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.mark.django_db
def test_options_are_read_once_and_again_after_a_change(make_user):
    clerk = make_user(roles.CLERK, username="kadri", first_name="Kadri", last_name="Kask")
    series = SeriesFactory(code="5-1", title="Teabenõuded")
    series_options, people = _options(clerk)
    assert "5-1 Teabenõuded" in _labels(series_options)
    assert "Kadri Kask" in _labels(people)
    assert series_options[0][0] == ""  # "all series" first

    with CaptureQueriesContext(connection) as read:
        assert _options(clerk) == (series_options, people)
    assert not [q for q in read.captured_queries if "SAVEPOINT" not in q["sql"]]

    series.title = "Teabenõuded ja selgitustaotlused"  # renamed through the portal
    series.save()
    newcomer = make_user(roles.CLERK, username="mart", first_name="Mart", last_name="Mets")
    series_options, people = _options(clerk)
    assert "5-1 Teabenõuded ja selgitustaotlused" in _labels(series_options)
    assert "Mart Mets" in _labels(people)

    newcomer.groups.clear()  # no longer staff of the register: gone at once
    assert "Mart Mets" not in _labels(_options(clerk)[1])


@pytest.mark.django_db
def test_options_are_remembered_per_asker_and_language(make_user, settings):
    from django.utils import translation

    clerk = make_user(roles.CLERK, username="kadri")
    head = make_user(roles.HEAD, username="juhan")
    with translation.override("en"):
        english = _options(clerk)[1]
        assert english[0][1] == "Everybody"
    with translation.override("et"):
        assert _options(clerk)[1][0][1] != "Everybody"
    with CaptureQueriesContext(connection) as read:
        _options(head)
    assert read.captured_queries  # another asker reads their own


def test_filterset_names_are_unique():
    """A FilterSet's form class is named after the FilterSet (and made in django_filters'
    module), and remembered options are told apart by that name: two FilterSets of the same
    name would share their options."""
    assert get_resolver().url_patterns  # every view imported, and with it every filter
    names = [cls.__name__ for cls in _subclasses(django_filters.FilterSet)]
    assert len(names) > 5
    assert len(names) == len(set(names)), sorted(names)
