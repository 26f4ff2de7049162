"""core.html: the list rows' format_html gives what Django's does, value for value."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core import html

VALUES = [
    "plain",
    "<script>alert('x')</script> & \"quoted\"",
    mark_safe("<b>already safe</b>"),
    gettext_lazy("Search"),
    mark_safe(gettext_lazy("Search")),  # noqa: S308 - a test value
    42,
    Decimal("3.50"),
    None,
    datetime.date(2026, 12, 6),
    "Õun & Šokolaad <ЮЛ>",
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(value)[:30] for value in VALUES])
def test_conditional_escape_and_format_html_match_django(value):
    assert html.conditional_escape(value) == django_html.conditional_escape(value)
    ours = html.format_html('<td title="{}">{}</td>', value, value)
    assert ours == django_html.format_html('<td title="{}">{}</td>', value, value)
    assert isinstance(ours, SafeString)
    named = html.format_html('<a href="{url}">{text}</a>', url=value, text=value)
    assert named == django_html.format_html('<a href="{url}">{text}</a>', url=value, text=value)


def test_format_html_join_matches_django_with_tuples_and_dicts():
    rows = [("a<", 1), (mark_safe("<i>b</i>"), 2)]
    assert html.format_html_join(", ", "<li>{}={}</li>", rows) == django_html.format_html_join(
        ", ", "<li>{}={}</li>", rows
    )
    named = [{"k": "x&y"}, {"k": mark_safe("<br>")}]
    assert html.format_html_join("<hr>", "{k}", named) == django_html.format_html_join(
        "<hr>", "{k}", named
    )
