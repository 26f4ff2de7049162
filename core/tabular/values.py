"""Cell values as people type them: text, decimal numbers with a comma or point and spaces, euros,
and dates (dd.mm.yyyy, ISO)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.tabular.common import CellError, cell_text

_SPACE = "[ \u00a0\u202f\u2007\u2009]"  # space, no-break, narrow no-break, figure, thin space


_NUMBER = re.compile(
    r"(?P<sign>[-+\u2212]?)"
    r"(?:"
    r"(?P<plain>\d+)(?:[.,](?P<plain_fraction>\d+))?"  # 1234,50  1234.50
    rf"|(?P<spaced>\d{{1,3}}(?:{_SPACE}\d{{3}})+)(?:[.,](?P<spaced_fraction>\d+))?"  # 1 234,50
    r"|(?P<dotted>\d{1,3}(?:\.\d{3})+)(?:,(?P<dotted_fraction>\d+))?"  # 1.234,50
    r"|(?P<commas>\d{1,3}(?:,\d{3})+)(?:\.(?P<commas_fraction>\d+))?"  # 1,234.50
    r")"
)


_CURRENCY = re.compile(rf"^(?:€|eur){_SPACE}*|{_SPACE}*(?:€|eur)$", re.IGNORECASE)


def parse_decimal(
    text: str, *, max_digits: int | None = None, decimal_places: int | None = None
) -> Decimal | None:
    """A number as offices write it (see the module docstring); None for an empty cell.
    ``max_digits`` and ``decimal_places`` are the limits of the field it goes into."""
    raw = cell_text(text)
    if not raw:
        return None
    value = _CURRENCY.sub("", raw).strip()
    match = _NUMBER.fullmatch(value)
    if match is None:
        raise CellError(_("%(value)s is not a number (e.g. 1 234,50).") % {"value": raw})
    for kind in ("plain", "spaced", "dotted", "commas"):
        if match.group(kind) is not None:
            whole = re.sub(r"\D", "", match.group(kind))
            fraction = match.group(f"{kind}_fraction") or ""
            break
    sign = "-" if match.group("sign") in ("-", "\u2212") else ""
    try:
        number = Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation as error:  # pragma: no cover - the pattern allows only digits
        raise CellError(_("%(value)s is not a number (e.g. 1 234,50).") % {"value": raw}) from error
    if decimal_places is not None and len(fraction.rstrip("0")) > decimal_places:
        raise CellError(
            _("%(value)s has more than %(places)s decimal places.")
            % {"value": raw, "places": decimal_places}
        )
    if max_digits is not None:
        places = decimal_places or 0
        if len(whole.lstrip("0")) > max_digits - places:
            raise CellError(_("%(value)s is too large.") % {"value": raw})
    if decimal_places is not None:
        number = number.quantize(Decimal(1).scaleb(-decimal_places))
    return number


_DATE_DOTTED = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})")


_DATE_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")


_MIDNIGHT = re.compile(r"(?:[ T]0?0:00(?::00)?)?")


def parse_date(text: str) -> date | None:
    """A date written ``dd.mm.yyyy``, ``d.m.yyyy`` or ``yyyy-mm-dd`` (a midnight time after it,
    as Excel writes a date-time cell, is allowed); None for an empty cell."""
    raw = cell_text(text)
    if not raw:
        return None
    match = None
    for pattern in (_DATE_DOTTED, _DATE_ISO):
        found = pattern.match(raw)
        if found and _MIDNIGHT.fullmatch(raw[found.end() :]):
            match = found
            break
    if match is None:
        raise CellError(_("%(value)s is not a date (dd.mm.yyyy).") % {"value": raw})
    if len(match.group("year")) == 2:
        raise CellError(
            _("%(value)s: write the year with four digits (dd.mm.yyyy).") % {"value": raw}
        )
    try:
        return date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    except ValueError as error:
        raise CellError(_("%(value)s: there is no such date.") % {"value": raw}) from error
