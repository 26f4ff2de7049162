from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation

LANGUAGES = ["et", "en", "ru"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_day_month_year_in_every_language(language):
    with translation.override(language):
        assert formats.date_format(date(2026, 2, 24)) == "24.02.2026"
        assert formats.date_format(date(2026, 2, 24), "SHORT_DATE_FORMAT") == "24.02.2026"


@pytest.mark.parametrize("language", LANGUAGES)
def test_times_are_24_hour_in_tallinn_time(language):
    moment = datetime(2026, 12, 23, 13, 5, tzinfo=ZoneInfo("UTC"))
    with translation.override(language), timezone.override("Europe/Tallinn"):
        shown = formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    assert shown == "23.12.2026 15:05"


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_has_a_space_for_thousands_and_a_decimal_comma(language):
    template = Template("{% load kantselei %}{{ amount|money }}")
    with translation.override(language):
        shown = template.render(Context({"amount": Decimal("1234.56")}))
    assert shown == "1\xa0234,56\xa0€"


def test_money_of_nothing_is_empty():
    assert Template("{% load kantselei %}{{ amount|money }}").render(Context({})) == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_read_as_day_month_year(language):
    from django import forms

    with translation.override(language):
        assert forms.DateField().clean("24.02.2026") == date(2026, 2, 24)
