"""Keyset paging's SQL side: the order's terms with the primary key as the tie-breaker, the
row values a cursor holds, the condition "beyond these values" in either direction (a row
comparison that the order's index serves), and a jump's value (a date, number or text) parsed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ValidationError,
)
from django.db.models import F, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.functional import cached_property

from core.listing.parts import (  # noqa: F401 - the package's names
    CURSOR_MAX,
    Column,
    Order,
    Page,
    Row,
    _json_value,
    decode_cursor,
    encode_cursor,
)


class Keyset:
    """The keyset mechanics of ``core.listing.Listing`` (a mixin: it uses the listing's
    ``queryset`` and ``order``)."""

    @cached_property
    def _terms(self) -> list[tuple[str, bool]]:
        """[(annotation name, descending)]: each order term annotated as ``_k<n>``."""
        return [(f"_k{index}", desc) for index, (_term, desc) in enumerate(self._parsed)]

    @cached_property
    def _parsed(self):
        parsed = self.order.parsed(self.queryset.model)
        for term, _desc in parsed:
            if isinstance(term, str):
                try:
                    model_field = self.queryset.model._meta.get_field(term)
                except FieldDoesNotExist:
                    model_field = None
                if model_field is not None and model_field.null:
                    raise ImproperlyConfigured(
                        f"{self.queryset.model.__name__}.{term} may be NULL: order by "
                        "Coalesce(…) instead (NULLs do not compare in a keyset)."
                    )
        return parsed

    def _annotate(self, queryset):
        annotations = {
            name: (F(term) if isinstance(term, str) else term)
            for (name, _desc), (term, _d) in zip(self._terms, self._parsed, strict=True)
        }
        return queryset.annotate(**annotations)

    @cached_property
    def _annotated(self):
        return self._annotate(self.queryset)

    def _ordering(self, *, reverse: bool = False) -> list:
        result = []
        for name, desc in self._terms:
            descending = desc != reverse
            result.append(F(name).desc() if descending else F(name).asc())
        return result

    def _values(self, values: list) -> list | None:
        """The cursor's values converted to the terms' types (None if they do not fit)."""
        if len(values) != len(self._terms):
            return None
        converted = []
        for (name, _desc), value in zip(self._terms, values, strict=True):
            output = self._annotated.query.annotations[name].output_field
            try:
                converted.append(output.to_python(value))
            except (ValidationError, TypeError, ValueError):
                return None
        return converted

    def _beyond(self, values: list, *, backwards: bool) -> Q:
        """Rows after (or before, backwards) the row whose sort values are ``values``."""
        directions = {desc for _name, desc in self._terms}
        if len(directions) == 1:  # one direction: a row comparison, one index range
            descending = directions.pop() != backwards
            lookup = LessThan if descending else GreaterThan
            lhs = Row(*[F(name) for name, _desc in self._terms])
            rhs = Row(*[Value(value) for value in values])
            return Q(lookup(lhs, rhs))
        # Mixed directions: (a > x) OR (a = x AND b < y) OR …
        condition = Q(pk__in=[])
        for index, (name, desc) in enumerate(self._terms):
            equal = Q(**{other: values[i] for i, (other, _d) in enumerate(self._terms[:index])})
            descending = desc != backwards
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[index]})
            condition |= equal & step
        return condition

    def _from_value(self, text: str):
        """The ?from= value as the first term's type, or None."""
        name = self._terms[0][0]
        output = self._annotated.query.annotations[name].output_field
        text = text.strip()[:100]
        if not text:
            return None
        try:
            if self.order.jump == "date":  # dd.mm.yyyy as typed everywhere else, or ISO
                return forms.DateField().clean(text)
            return output.to_python(text)
        except (ValidationError, TypeError, ValueError):
            return None
