"""Estonian working days, shortened pre-holiday days and office-hour arithmetic."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.calendar import (
    add_working_days,
    add_working_hours,
    is_shortened_day,
    is_working_day,
    next_working_day,
    office_hours,
    registration_day,
    working_days_between,
    working_hours_between,
)

TALLINN = ZoneInfo("Europe/Tallinn")

# Public holidays by the Public Holidays and Days of National Importance Act, written out by hand
# so that the test checks the `holidays` package rather than repeating it.
PUBLIC_HOLIDAYS = {
    2025: [
        date(2025, 1, 1),
        date(2025, 2, 24),
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 20),  # Easter Sunday
        date(2025, 5, 1),
        date(2025, 6, 8),  # Pentecost
        date(2025, 6, 23),
        date(2025, 6, 24),
        date(2025, 8, 20),
        date(2025, 12, 24),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ],
    2026: [
        date(2026, 1, 1),
        date(2026, 2, 24),
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 5),  # Easter Sunday
        date(2026, 5, 1),
        date(2026, 5, 24),  # Pentecost
        date(2026, 6, 23),
        date(2026, 6, 24),
        date(2026, 8, 20),
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ],
    2027: [
        date(2027, 1, 1),
        date(2027, 2, 24),
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 28),  # Easter Sunday
        date(2027, 5, 1),
        date(2027, 5, 16),  # Pentecost
        date(2027, 6, 23),
        date(2027, 6, 24),
        date(2027, 8, 20),
        date(2027, 12, 24),
        date(2027, 12, 25),
        date(2027, 12, 26),
    ],
}
ALL_HOLIDAYS = [day for days in PUBLIC_HOLIDAYS.values() for day in days]

# (weekday holiday, working day before it, working day after it)
WEEKDAY_HOLIDAY_NEIGHBOURS = [
    (date(2025, 1, 1), date(2024, 12, 31), date(2025, 1, 2)),
    (date(2025, 2, 24), date(2025, 2, 21), date(2025, 2, 25)),
    (date(2025, 4, 18), date(2025, 4, 17), date(2025, 4, 21)),
    (date(2025, 5, 1), date(2025, 4, 30), date(2025, 5, 2)),
    (date(2025, 6, 23), date(2025, 6, 20), date(2025, 6, 25)),
    (date(2025, 6, 24), date(2025, 6, 20), date(2025, 6, 25)),
    (date(2025, 8, 20), date(2025, 8, 19), date(2025, 8, 21)),
    (date(2025, 12, 24), date(2025, 12, 23), date(2025, 12, 29)),
    (date(2025, 12, 25), date(2025, 12, 23), date(2025, 12, 29)),
    (date(2025, 12, 26), date(2025, 12, 23), date(2025, 12, 29)),
    (date(2026, 1, 1), date(2025, 12, 31), date(2026, 1, 2)),
    (date(2026, 2, 24), date(2026, 2, 23), date(2026, 2, 25)),
    (date(2026, 4, 3), date(2026, 4, 2), date(2026, 4, 6)),
    (date(2026, 5, 1), date(2026, 4, 30), date(2026, 5, 4)),
    (date(2026, 6, 23), date(2026, 6, 22), date(2026, 6, 25)),
    (date(2026, 6, 24), date(2026, 6, 22), date(2026, 6, 25)),
    (date(2026, 8, 20), date(2026, 8, 19), date(2026, 8, 21)),
    (date(2026, 12, 24), date(2026, 12, 23), date(2026, 12, 28)),
    (date(2026, 12, 25), date(2026, 12, 23), date(2026, 12, 28)),
    (date(2027, 1, 1), date(2026, 12, 31), date(2027, 1, 4)),
    (date(2027, 2, 24), date(2027, 2, 23), date(2027, 2, 25)),
    (date(2027, 3, 26), date(2027, 3, 25), date(2027, 3, 29)),
    (date(2027, 6, 23), date(2027, 6, 22), date(2027, 6, 25)),
    (date(2027, 6, 24), date(2027, 6, 22), date(2027, 6, 25)),
    (date(2027, 8, 20), date(2027, 8, 19), date(2027, 8, 23)),
    (date(2027, 12, 24), date(2027, 12, 23), date(2027, 12, 27)),
]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TALLINN)


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


@pytest.fixture(autouse=True)
def _office_settings(settings):
    """Pin the documented defaults so the tests do not depend on the project's settings."""
    settings.TIME_ZONE = "Europe/Tallinn"
    settings.OFFICE_DAY_START = time(9)
    settings.OFFICE_DAY_END = time(17)
    settings.PRE_HOLIDAY_SHORTENED_HOURS = 3


# --- working days -------------------------------------------------------------------------------


@pytest.mark.parametrize("holiday", ALL_HOLIDAYS, ids=str)
def test_public_holiday_is_not_a_working_day(holiday):
    assert not is_working_day(holiday)


@pytest.mark.parametrize("year", sorted(PUBLIC_HOLIDAYS))
def test_no_weekday_other_than_the_public_holidays_is_a_day_off(year):
    weekdays_off = [d for d in days_of(year) if d.weekday() < 5 and not is_working_day(d)]
    assert weekdays_off == [d for d in PUBLIC_HOLIDAYS[year] if d.weekday() < 5]


def test_easter_monday_is_a_working_day():
    assert is_working_day(date(2026, 4, 6))


def test_weekend_is_not_a_working_day():
    assert not is_working_day(date(2026, 3, 14))
    assert not is_working_day(date(2026, 3, 15))


@pytest.mark.parametrize(("holiday", "before", "after"), WEEKDAY_HOLIDAY_NEIGHBOURS, ids=str)
def test_working_days_around_a_weekday_holiday(holiday, before, after):
    assert add_working_days(holiday, -1) == before
    assert next_working_day(holiday) == after
    assert add_working_days(holiday, 1) == after


def test_next_working_day_is_strictly_after_a_working_day():
    assert next_working_day(date(2026, 3, 10)) == date(2026, 3, 11)


def test_next_working_day_skips_the_weekend():
    assert next_working_day(date(2026, 3, 13)) == date(2026, 3, 16)


def test_information_request_deadline_skips_christmas():
    assert add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 29)


def test_deadline_over_midsummer_skips_victory_day_and_midsummer_day():
    assert add_working_days(date(2026, 6, 19), 5) == date(2026, 6, 30)


def test_deadline_over_easter_skips_good_friday_but_not_easter_monday():
    assert add_working_days(date(2026, 4, 1), 3) == date(2026, 4, 7)


def test_deadline_crosses_the_year_boundary_and_skips_new_year():
    assert add_working_days(date(2025, 12, 29), 5) == date(2026, 1, 6)


def test_deadline_skips_a_weekend():
    assert add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)


def test_deadline_from_a_saturday_counts_from_monday():
    assert add_working_days(date(2026, 3, 14), 1) == date(2026, 3, 16)


def test_zero_working_days_returns_the_start_even_on_a_day_off():
    assert add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 14)


def test_negative_working_days_go_back_over_christmas():
    assert add_working_days(date(2026, 12, 29), -5) == date(2026, 12, 18)


def test_negative_working_days_from_a_sunday_start_at_friday():
    assert add_working_days(date(2026, 3, 15), -1) == date(2026, 3, 13)


def test_document_received_on_saturday_is_registered_on_monday():
    assert registration_day(date(2026, 3, 14)) == date(2026, 3, 16)


def test_document_received_on_christmas_eve_is_registered_after_christmas():
    assert registration_day(date(2026, 12, 24)) == date(2026, 12, 28)


def test_document_received_on_a_working_day_is_registered_that_day():
    assert registration_day(date(2026, 3, 10)) == date(2026, 3, 10)


def test_deadline_of_document_received_on_saturday_counts_from_monday_registration():
    registered = registration_day(date(2026, 12, 19))
    assert registered == date(2026, 12, 21)
    assert add_working_days(registered, 5) == date(2026, 12, 30)


# --- working_days_between -----------------------------------------------------------------------


def test_working_days_between_counts_christmas_example():
    assert working_days_between(date(2026, 12, 18), date(2026, 12, 29)) == 5


def test_working_days_between_is_negative_backwards():
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 18)) == -5


def test_working_days_between_same_day_is_zero():
    assert working_days_between(date(2026, 3, 10), date(2026, 3, 10)) == 0


def test_working_days_between_over_a_weekend_only_is_zero():
    assert working_days_between(date(2026, 3, 13), date(2026, 3, 15)) == 0


def test_working_days_between_backwards_counts_the_earlier_working_day():
    # Saturday back to Friday is one working day back, as add_working_days(Saturday, -1) == Friday.
    assert working_days_between(date(2026, 3, 14), date(2026, 3, 13)) == -1


@pytest.mark.parametrize("year", sorted(PUBLIC_HOLIDAYS))
def test_working_days_between_inverts_add_working_days(year):
    for start in days_of(year):
        for n in (-23, -10, -5, -2, -1, 0, 1, 2, 5, 10, 15, 23):
            assert working_days_between(start, add_working_days(start, n)) == n, (start, n)


# --- shortened days and office hours ------------------------------------------------------------


def test_office_hours_of_an_ordinary_day_are_nine_to_five_local():
    assert office_hours(date(2026, 3, 10)) == (local(2026, 3, 10, 9), local(2026, 3, 10, 17))


def test_office_hours_are_aware_in_tallinn():
    opens, closes = office_hours(date(2026, 7, 7))
    assert opens.tzinfo == TALLINN
    assert opens.utcoffset() == timedelta(hours=3)
    assert closes.astimezone(UTC) == datetime(2026, 7, 7, 14, tzinfo=UTC)


def test_office_hours_are_none_on_a_holiday():
    assert office_hours(date(2026, 12, 24)) is None


def test_office_hours_are_none_on_a_weekend():
    assert office_hours(date(2026, 3, 14)) is None


def test_day_before_christmas_eve_ends_three_hours_early():
    assert date(2026, 12, 23).weekday() == 2  # Wednesday
    assert is_shortened_day(date(2026, 12, 23))
    assert office_hours(date(2026, 12, 23)) == (local(2026, 12, 23, 9), local(2026, 12, 23, 14))


@pytest.mark.parametrize(
    "day", [date(2026, 2, 23), date(2026, 6, 22), date(2026, 12, 23), date(2026, 12, 31)], ids=str
)
def test_working_day_before_a_listed_holiday_is_shortened(day):
    assert is_shortened_day(day)
    assert office_hours(day)[1] == local(day.year, day.month, day.day, 14)


def test_ordinary_day_is_not_shortened():
    assert not is_shortened_day(date(2026, 12, 22))


def test_sunday_pre_holiday_day_does_not_matter():
    assert not is_shortened_day(date(2025, 2, 23))
    assert office_hours(date(2025, 2, 23)) is None
    # ... and does not move the shortening to the Friday before.
    assert office_hours(date(2025, 2, 21))[1] == local(2025, 2, 21, 17)


def test_office_hours_follow_settings(settings):
    settings.OFFICE_DAY_START = time(8)
    settings.OFFICE_DAY_END = time(16, 30)
    assert office_hours(date(2026, 3, 10)) == (local(2026, 3, 10, 8), local(2026, 3, 10, 16, 30))
    assert office_hours(date(2026, 12, 23))[1] == local(2026, 12, 23, 13, 30)


def test_shortening_follows_settings(settings):
    settings.PRE_HOLIDAY_SHORTENED_HOURS = 1
    assert office_hours(date(2026, 12, 23))[1] == local(2026, 12, 23, 16)


def test_working_hours_follow_settings(settings):
    settings.OFFICE_DAY_START = time(8)
    settings.OFFICE_DAY_END = time(16, 30)
    assert add_working_hours(local(2026, 3, 10, 16), 1) == local(2026, 3, 11, 8, 30)
    assert working_hours_between(local(2026, 3, 9), local(2026, 3, 10)) == timedelta(hours=8.5)


# --- add_working_hours --------------------------------------------------------------------------


def test_working_hours_within_a_day():
    assert add_working_hours(local(2026, 3, 10, 10), 3) == local(2026, 3, 10, 13)


def test_working_hours_filling_the_day_end_at_closing():
    assert add_working_hours(local(2026, 3, 10, 9), 8) == local(2026, 3, 10, 17)


def test_working_hours_continue_next_morning():
    assert add_working_hours(local(2026, 3, 10, 15), 4) == local(2026, 3, 11, 11)


def test_working_hours_skip_the_weekend():
    assert add_working_hours(local(2026, 3, 13, 16), 3) == local(2026, 3, 16, 11)


def test_working_hours_from_saturday_count_from_monday_opening():
    assert add_working_hours(local(2026, 3, 14, 12), 1) == local(2026, 3, 16, 10)


def test_working_hours_skip_christmas_after_the_shortened_day():
    assert add_working_hours(local(2026, 12, 23, 13), 2) == local(2026, 12, 28, 10)


def test_working_hours_skip_new_year_after_the_shortened_new_years_eve():
    assert add_working_hours(local(2026, 12, 31, 13), 2) == local(2027, 1, 4, 10)


def test_working_hours_before_opening_count_from_opening():
    assert add_working_hours(local(2026, 3, 10, 7, 30), 1.5) == local(2026, 3, 10, 10, 30)


def test_working_hours_after_closing_count_from_next_opening():
    assert add_working_hours(local(2026, 3, 10, 18), 1) == local(2026, 3, 11, 10)


def test_working_hours_accept_a_timedelta():
    assert add_working_hours(local(2026, 3, 10, 10), timedelta(minutes=90)) == local(
        2026, 3, 10, 11, 30
    )


def test_zero_working_hours_return_the_start_even_outside_office_hours():
    start = local(2026, 3, 14, 12)
    assert add_working_hours(start, 0) == start


def test_working_hours_result_is_in_tallinn_for_a_utc_start():
    result = add_working_hours(datetime(2026, 3, 10, 8, tzinfo=UTC), 1)  # 10:00 in Tallinn
    assert result.tzinfo == TALLINN
    assert result == local(2026, 3, 10, 11)
    assert (result.hour, result.minute) == (11, 0)


def test_working_hours_keep_wall_time_over_spring_dst_change():
    result = add_working_hours(local(2026, 3, 27, 16), 2)
    assert result == local(2026, 3, 30, 10)
    assert result.utcoffset() == timedelta(hours=3)


def test_working_hours_keep_wall_time_over_autumn_dst_change():
    result = add_working_hours(local(2026, 10, 23, 16), 2)
    assert result == local(2026, 10, 26, 10)
    assert result.utcoffset() == timedelta(hours=2)


def test_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        add_working_hours(datetime(2026, 3, 10, 10), 1)  # noqa: DTZ001


def test_negative_working_hours_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_hours(local(2026, 3, 10, 10), -1)


def test_thousands_of_working_hours_finish_and_land_in_office_hours():
    start = local(2026, 1, 5, 9)
    result = add_working_hours(start, 2000)
    opens, closes = office_hours(result.date())
    assert opens < result <= closes
    assert working_hours_between(start, result) == timedelta(hours=2000)


# --- working_hours_between ----------------------------------------------------------------------


def test_working_hours_between_zero_when_end_before_start():
    assert working_hours_between(local(2026, 3, 10, 12), local(2026, 3, 10, 10)) == timedelta(0)


def test_working_hours_between_zero_when_end_equals_start():
    moment = local(2026, 3, 10, 12)
    assert working_hours_between(moment, moment) == timedelta(0)


def test_working_hours_between_a_whole_week_is_forty_hours():
    assert working_hours_between(local(2026, 3, 9), local(2026, 3, 16)) == timedelta(hours=40)


def test_working_hours_between_in_christmas_week_counts_the_shortened_day():
    assert working_hours_between(local(2026, 12, 21), local(2026, 12, 28)) == timedelta(hours=21)


def test_working_hours_between_over_dst_change_is_wall_time():
    start, end = local(2026, 3, 27, 16), local(2026, 3, 30, 10)
    assert working_hours_between(start, end) == timedelta(hours=2)


def test_working_hours_between_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        working_hours_between(datetime(2026, 3, 10, 10), local(2026, 3, 11, 10))  # noqa: DTZ001


@pytest.mark.parametrize(
    "start",
    [
        local(2026, 3, 10, 9),
        local(2026, 3, 10, 16, 45),
        local(2026, 3, 27, 15),
        local(2026, 10, 23, 12, 10),
        local(2026, 12, 23, 13, 30),
        local(2026, 12, 31, 9, 5),
        local(2025, 6, 20, 11),
    ],
    ids=str,
)
def test_working_hours_between_inverts_add_working_hours(start):
    for hours in (0.25, 1, 2.5, 5, 8, 13, 40, 100, 333.75):
        end = add_working_hours(start, hours)
        assert working_hours_between(start, end) == timedelta(hours=hours), hours
