"""Filters of the staff document list (and its CSV export, which uses the same FilterSet)."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import DateField, PositiveIntegerField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.choices import capitalised
from core.forms import DayInput
from core.listing import Order
from registry import search
from registry.forms.common import staff_users
from registry.models import Direction, Document, DocumentType, Series

# The offered orders: ?sort=<key> (ascending) or ?sort=-<key>. Each is served by an index of
# registry.Document (checked by EXPLAIN in tests/registry/test_list_plans.py). By number: series,
# year, sequence, an original before its follow-ups (1-2/26-001, 1-2/26-001-1). A missing deadline
# sorts last both ways (Coalesce: NULLs do not compare in a keyset).
NO_DEADLINE_LAST = Coalesce("deadline", Value(date(9999, 12, 31)), output_field=DateField())
NO_DEADLINE_FIRST = Coalesce("deadline", Value(date(1, 1, 1)), output_field=DateField())
FOLLOW_UP = Coalesce("follow_up_index", Value(0), output_field=PositiveIntegerField())
ORDERS = {
    "number": Order(("series_id", "year", "sequence", FOLLOW_UP)),
    "-number": Order(("-series_id", "-year", "-sequence", FOLLOW_UP.desc())),
    "registered": Order(("registered_on", "registered_at"), jump="date"),
    "-registered": Order(("-registered_on", "-registered_at"), jump="date"),
    "deadline": Order((NO_DEADLINE_LAST,), jump="date"),
    "-deadline": Order((NO_DEADLINE_FIRST.desc(),), jump="date"),
    "title": Order(("title",), jump="text"),
    "-title": Order(("-title",), jump="text"),
}
DEFAULT_SORT = "-registered"


class CheckboxFilter(django_filters.BooleanFilter):
    """A plain checkbox: ticked filters, unticked does not (False reaches the method)."""

    field_class = forms.BooleanField


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number, title, party or file text")}
        ),
    )
    doc_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=capitalised(DocumentType.choices), empty_label=_("All types")
    )
    series = django_filters.ModelChoiceFilter(
        label=_("Series"), queryset=Series.objects.all(), empty_label=_("All series")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=capitalised(Document.Status.choices),
        empty_label=_("All statuses"),
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible person"),
        queryset=lambda request: staff_users(),
        empty_label=_("Everybody"),
        null_label=_("Nobody responsible"),
        null_value="none",
    )
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=capitalised(Direction.choices),
        empty_label=_("Incoming and outgoing"),
    )
    registered_from = django_filters.DateFilter(
        label=_("Registered from"),
        field_name="registered_on",
        lookup_expr="gte",
        widget=DayInput(),
    )
    registered_to = django_filters.DateFilter(
        label=_("Registered until"),
        field_name="registered_on",
        lookup_expr="lte",
        widget=DayInput(),
    )
    deadline_from = django_filters.DateFilter(
        label=_("Deadline from"), field_name="deadline", lookup_expr="gte", widget=DayInput()
    )
    deadline_to = django_filters.DateFilter(
        label=_("Deadline until"), field_name="deadline", lookup_expr="lte", widget=DayInput()
    )
    overdue = CheckboxFilter(label=_("Overdue only"), method="filter_overdue")
    restricted = CheckboxFilter(label=_("Restricted only"), method="filter_restricted")

    class Meta:
        model = Document
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        # A plain condition: the list finds few hits first itself (core.listing.Listing._keys).
        if not value.strip():
            return queryset
        return search.staff_search(queryset, value, few=False)

    def searching(self) -> bool:
        """Whether the list is searched for words or a number (a valid ``q``)."""
        return self.is_valid() and bool(self.form.cleaned_data.get("q", "").strip())

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_restricted(self, queryset, name, value):
        return queryset.restricted() if value else queryset
