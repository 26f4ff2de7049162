from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from faker import Faker

from core.validators import (
    check_digit,
    personal_code_birth_date,
    validate_personal_code,
    validate_registry_code,
)


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the source language); the site's default is et."""
    with translation.override("en"):
        yield


def error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.code


def test_codes_made_by_faker_are_valid_personal_codes():
    faker = Faker("et_EE")
    faker.seed_instance(2026)
    for _ in range(500):
        validate_personal_code(faker.ssn())


def test_a_known_personal_code_is_valid():
    validate_personal_code("37605030299")


@pytest.mark.parametrize("last", [d for d in "0123456789" if d != "9"])
def test_changing_the_check_digit_makes_a_personal_code_invalid(last):
    assert error_code(validate_personal_code, "3760503029" + last) == "personal_code_check_digit"


def test_a_wrong_check_digit_is_named_in_the_message():
    with pytest.raises(ValidationError) as caught:
        validate_personal_code("37605030298")
    message = caught.value.messages[0]
    assert "37605030298" in message
    assert "check digit" in message


def test_check_digit_uses_the_second_weights_when_the_first_give_ten():
    # 4·1 + 8·2 + 5·3 + 1·5 + 1·7 + 7·1 = 54 ≡ 10; 4·3 + 8·4 + 5·5 + 1·7 + 1·9 + 7·3 = 106 ≡ 7
    assert check_digit("4850101007") == 7
    validate_personal_code("48501010077")


def test_check_digit_is_zero_when_both_weights_give_ten():
    assert check_digit("4850101160") == 0
    validate_personal_code("48501011600")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("3760503029", "personal_code_length"),
        ("376050302990", "personal_code_length"),
        ("", "personal_code_length"),
        ("3760503029a", "personal_code_digits"),
        ("37605 30299", "personal_code_digits"),
        ("３７６０５０３０２９９", "personal_code_digits"),  # full-width digits
        ("07605030299", "personal_code_century"),
        ("77605030299", "personal_code_century"),
        ("37613030299", "personal_code_date"),  # month 13
        ("37602300299", "personal_code_date"),  # 30 February
        ("30002290000", "personal_code_date"),  # 1900 was not a leap year
        ("69912310002", "personal_code_date"),  # born on 31 December 2099: not yet
    ],
)
def test_personal_code_refusals_say_what_is_wrong(value, code):
    assert error_code(validate_personal_code, value) == code


def test_a_leap_day_is_a_possible_date_of_birth():
    validate_personal_code("62402290008")
    assert personal_code_birth_date("62402290008") == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("code", "born"),
    [
        ("37605030299", date(1976, 5, 3)),
        ("18501010000", date(1885, 1, 1)),
        ("51001010008", date(2010, 1, 1)),
    ],
)
def test_personal_code_birth_date(code, born):
    assert personal_code_birth_date(code) == born


def test_personal_code_birth_date_refuses_an_invalid_code():
    with pytest.raises(ValidationError):
        personal_code_birth_date("37605030298")


@pytest.mark.parametrize("value", ["10000356", "10137319", "70004465", "70000740", "10000062"])
def test_valid_registry_codes(value):
    # Check digits worked out by hand, e.g. 10000062: 1·1 + 6·7 = 43 ≡ 10, so the second
    # weights: 1·3 + 6·9 = 57 ≡ 2.
    validate_registry_code(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("10000357", "registry_code_check_digit"),
        ("70000896", "registry_code_check_digit"),
        ("1000035", "registry_code_length"),
        ("100003566", "registry_code_length"),
        ("1000035x", "registry_code_digits"),
        ("20000356", "registry_code_first_digit"),
        ("37605030299", "registry_code_length"),
    ],
)
def test_registry_code_refusals_say_what_is_wrong(value, code):
    assert error_code(validate_registry_code, value) == code


def test_registry_code_messages_show_the_value():
    with pytest.raises(ValidationError) as caught:
        validate_registry_code("20000356")
    assert "20000356" in caught.value.messages[0]
    assert "1, 7, 8 or 9" in caught.value.messages[0]
