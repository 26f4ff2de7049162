"""The parts of a list: an offered order (a whitelisted, indexed sort with its keys and the jump it
allows by date, number or text), a column whose header links to it, a page with its rows and
links, and a page's cursor encoded for a URL."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import BooleanField, Func
from django.db.models.expressions import Expression, OrderBy

CURSOR_MAX = 2_000  # characters: a longer ?after= is not a cursor we made


class Row(Func):
    """A row value ``(a, b, c)``: PostgreSQL compares rows column by column, which an index on
    ``(a, b, c)`` serves as one range."""

    function = ""
    template = "(%(expressions)s)"
    output_field = BooleanField()


@dataclass(frozen=True)
class Order:
    """One offered order of a list.

    ``terms`` are field names (no joins) or expressions, each prefixed with ``-`` (a string) or
    wrapped in ``.desc()`` for descending; the primary key is appended in the direction of the
    last term (not when ``unique``: a unique column orders on its own). ``label`` names it in
    a sort menu (optional); ``jump`` says what ``?from=`` takes: ``"date"`` or ``"text"``
    (None: no jump).
    """

    terms: tuple
    label: str = ""
    jump: str | None = None
    unique: bool = False  # the terms alone identify a row (a unique column): no pk appended

    def parsed(self, model) -> list[tuple[str | Expression, bool]]:
        """[(term, descending)] with the primary key last (unless the terms are unique)."""
        result = []
        for term in self.terms:
            if isinstance(term, str):
                result.append((term.lstrip("-"), term.startswith("-")))
            elif isinstance(term, OrderBy):
                result.append((term.expression, term.descending))
            else:
                result.append((term, False))
        if not self.unique:
            descending = result[-1][1] if result else False
            result.append((model._meta.pk.attname, descending))
        return result


@dataclass
class Column:
    """A column header: its label and, if sortable, the order key a click asks for."""

    label: str
    key: str | None = None
    next: str | None = None
    aria_sort: str | None = None
    classes: str = ""


@dataclass
class Page:
    """A page of a list: the rows and the links around it (URLs with every other parameter)."""

    rows: list
    count: int | None
    capped: bool
    links: dict = field(default_factory=dict)
    count_url: str = ""  # the count comes later, from this URL (``Listing(count_later=True)``)
    has_previous: bool = False
    has_next: bool = False
    sort: str = ""
    jump: str | None = None
    jump_value: str = ""

    @property
    def several(self) -> bool:
        """More than one page: the pager is shown."""
        return self.has_previous or self.has_next


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(values: list) -> str:
    raw = json.dumps([_json_value(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> list | None:
    """The values in a cursor, or None if it is not one of ours."""
    if not token or len(token) > CURSOR_MAX:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) else None
