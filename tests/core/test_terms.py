"""The challenge period of a delivered decision (core.terms): 30 days from the day after delivery,
a last day that is a weekend day or a public holiday moved to the next working day; and which
delivery events start it."""

from datetime import date

import pytest

from core import terms
from core.terms import DeliveryMethod, challenge_period_end


@pytest.mark.parametrize(
    ("delivered_on", "last_day"),
    [
        # An ordinary Wednesday 30 days on.
        (date(2025, 3, 3), date(2025, 4, 2)),
        # The 30th day is a Saturday → Monday.
        (date(2025, 1, 2), date(2025, 2, 3)),
        # The 30th day is a Sunday → Monday.
        (date(2025, 1, 3), date(2025, 2, 3)),
        # Delivered on 31 January: 2 March 2025 is a Sunday → Monday 3 March.
        (date(2025, 1, 31), date(2025, 3, 3)),
        # In a leap year 31 January + 30 days is Friday 1 March.
        (date(2024, 1, 31), date(2024, 3, 1)),
        # Independence Day, Monday 24 February 2025 → Tuesday.
        (date(2025, 1, 25), date(2025, 2, 25)),
        # Good Friday 18 April 2025, then the weekend and Easter Sunday → Monday 21 April.
        (date(2025, 3, 19), date(2025, 4, 21)),
        # Victory Day and Midsummer Day (23 and 24 June 2025) → Wednesday 25 June.
        (date(2025, 5, 24), date(2025, 6, 25)),
        # Christmas Eve to Boxing Day, then a weekend → Monday 29 December 2025.
        (date(2025, 11, 24), date(2025, 12, 29)),
        # New Year's Day 2026 (Thursday) → Friday 2 January.
        (date(2025, 12, 2), date(2026, 1, 2)),
    ],
)
def test_the_challenge_period_ends_on_the_30th_day_moved_off_a_day_off(delivered_on, last_day):
    assert challenge_period_end(delivered_on) == last_day


def test_the_delivery_day_itself_does_not_count():
    # Delivered on Monday 3 March 2025: day 1 is 4 March, day 30 is 2 April.
    assert challenge_period_end(date(2025, 3, 3)) == date(2025, 4, 2)
    assert challenge_period_end(date(2025, 3, 4)) == date(2025, 4, 3)


def test_no_delivery_no_period():
    assert challenge_period_end(None) is None


def test_the_number_of_days_is_a_setting(settings):
    settings.CHALLENGE_PERIOD_DAYS = 14
    # 3 March 2025 + 14 = Monday 17 March.
    assert challenge_period_end(date(2025, 3, 3)) == date(2025, 3, 17)


def test_term_end_refuses_negative_days():
    with pytest.raises(ValueError, match="negative"):
        terms.term_end(date(2025, 3, 3), -1)


def test_an_accepted_email_is_evidence_not_delivery():
    assert not terms.counts_as_delivery(DeliveryMethod.EMAIL_ACCEPTED)
    for method in (
        DeliveryMethod.LINK_OPENED,
        DeliveryMethod.CONFIRMED,
        DeliveryMethod.REGISTERED_POST,
        DeliveryMethod.IN_PERSON,
        DeliveryMethod.DEEMED,
    ):
        assert terms.counts_as_delivery(method)
    assert not terms.counts_as_delivery("carrier_pigeon")


def test_the_first_delivery_wins():
    first = date(2025, 3, 3)
    assert terms.first_delivery(None, DeliveryMethod.EMAIL_ACCEPTED, first) is None
    assert terms.first_delivery(None, DeliveryMethod.REGISTERED_POST, first) == first
    assert terms.first_delivery(first, DeliveryMethod.LINK_OPENED, date(2025, 3, 1)) == first


def test_an_undelivered_decision_is_late_after_the_warning_days(settings):
    settings.DELIVERY_WARNING_DAYS = 7
    sent = date(2025, 3, 3)
    assert not terms.delivery_is_late(sent, today=date(2025, 3, 9))
    assert terms.delivery_is_late(sent, today=date(2025, 3, 10))
    assert not terms.delivery_is_late(None, today=date(2025, 3, 10))


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        # Two months from Monday 2 March 2026: Saturday 2 May → Monday 4 May.
        (date(2026, 3, 2), 2, date(2026, 5, 4)),
        # From 31 December: February has no 31st, so its last day (TsÜS § 136 (3)); Saturday
        # 28 February 2026 → Monday 2 March.
        (date(2025, 12, 31), 2, date(2026, 3, 2)),
        # One month from 31 January 2028 (a leap year): Tuesday 29 February.
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        # Ending on Midsummer Day, Wednesday 24 June 2026 → Thursday 25 June.
        (date(2026, 4, 24), 2, date(2026, 6, 25)),
    ],
)
def test_tsus_136_a_term_in_months_ends_on_the_same_date_moved_off_a_day_off(
    start, months, last_day
):
    assert terms.month_term_end(start, months) == last_day


def test_month_term_end_refuses_negative_months():
    with pytest.raises(ValueError, match="negative"):
        terms.month_term_end(date(2025, 3, 3), -1)
