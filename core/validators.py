"""Estonian identifiers: the personal code (isikukood) and the business registry code.

Both end in a check digit computed the same way (standard EVS 585:2007 for personal codes):
the weighted sum of the other digits with weights 1, 2, 3, 4, 5, 6, 7, 8, 9, 1 modulo 11; if that
is 10, again with weights 3, 4, 5, 6, 7, 8, 9, 1, 2, 3; if that is 10 too, the check digit is 0.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 1)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)

# The first digit of a personal code: the century of birth (and the sex, odd for men).
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def check_digit(digits: str) -> int:
    """The check digit of ``digits`` (at most 10 of them) by the two-pass weighted sum."""
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS_FIRST, strict=False)) % 11
    if remainder == 10:
        remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS_SECOND, strict=False)) % 11
    return 0 if remainder == 10 else remainder


def _is_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _birth_date(code: str) -> date | None:
    """The date of birth in an 11-digit personal code, or None if it is not a possible one."""
    century = _CENTURY.get(code[0])
    if century is None:
        return None
    try:
        born = date(century + int(code[1:3]), int(code[3:5]), int(code[5:7]))
    except ValueError:
        return None
    return born if born <= timezone.localdate() else None


def validate_personal_code(value) -> None:
    """Raise ``ValidationError`` unless ``value`` is a valid Estonian personal code."""
    code = str(value)
    params = {"value": code}
    if code and not _is_digits(code):
        raise ValidationError(
            _("%(value)s is not a valid Estonian personal code (it may contain only digits)."),
            code="personal_code_digits",
            params=params,
        )
    if len(code) != 11:
        raise ValidationError(
            _("%(value)s is not a valid Estonian personal code (it must have 11 digits)."),
            code="personal_code_length",
            params=params,
        )
    if code[0] not in _CENTURY:
        raise ValidationError(
            _("%(value)s is not a valid Estonian personal code (the first digit must be 1 to 6)."),
            code="personal_code_century",
            params=params,
        )
    if _birth_date(code) is None:
        raise ValidationError(
            _(
                "%(value)s is not a valid Estonian personal code "
                "(digits 2 to 7 are not a possible date of birth)."
            ),
            code="personal_code_date",
            params=params,
        )
    if check_digit(code[:10]) != int(code[10]):
        raise ValidationError(
            _("%(value)s is not a valid Estonian personal code (the check digit does not match)."),
            code="personal_code_check_digit",
            params=params,
        )


def personal_code_birth_date(code: str) -> date:
    """The date of birth in a personal code; ``ValidationError`` if the code is not valid."""
    validate_personal_code(code)
    born = _birth_date(str(code))
    assert born is not None  # validate_personal_code checked it
    return born


def validate_registry_code(value) -> None:
    """Raise ``ValidationError`` unless ``value`` is a valid code of the Estonian business
    register (companies 1…, state and municipal bodies 7…, non-profits 8…, foundations 9…)."""
    code = str(value)
    params = {"value": code}
    if code and not _is_digits(code):
        raise ValidationError(
            _("%(value)s is not a valid Estonian registry code (it may contain only digits)."),
            code="registry_code_digits",
            params=params,
        )
    if len(code) != 8:
        raise ValidationError(
            _("%(value)s is not a valid Estonian registry code (it must have 8 digits)."),
            code="registry_code_length",
            params=params,
        )
    if code[0] not in "1789":
        raise ValidationError(
            _("%(value)s is not a valid Estonian registry code (it must start with 1, 7, 8 or 9)."),
            code="registry_code_first_digit",
            params=params,
        )
    if check_digit(code[:7]) != int(code[7]):
        raise ValidationError(
            _("%(value)s is not a valid Estonian registry code (the check digit does not match)."),
            code="registry_code_check_digit",
            params=params,
        )
