"""Filters of the staff document list (and its CSV export, which uses the same FilterSet)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.choices import capitalised
from registry import search
from registry.forms.common import staff_users
from registry.forms.documents import DayInput
from registry.models import Direction, Document, DocumentType, Series

# The sortable columns: ?sort=<key> (ascending) or ?sort=-<key>. Only these reach order_by().
# An original comes before its follow-ups (1-2/26-001, 1-2/26-001-1); no deadline sorts last.
SORTS = {
    "number": ["series__code", "year", "sequence", F("follow_up_index").asc(nulls_first=True)],
    "-number": ["-series__code", "-year", "-sequence", F("follow_up_index").desc(nulls_last=True)],
    "registered": ["registered_on", "registered_at"],
    "-registered": ["-registered_on", "-registered_at"],
    "deadline": [F("deadline").asc(nulls_last=True)],
    "-deadline": [F("deadline").desc(nulls_last=True)],
    "title": ["title"],
    "-title": ["-title"],
}
DEFAULT_SORT = "-registered"


def sort_terms(sort: str) -> list:
    """The order_by() terms of a whitelisted sort key (the default order for anything else),
    with the id last so that pages never overlap."""
    if sort not in SORTS:
        sort = DEFAULT_SORT
    return [*SORTS[sort], "-id" if sort.startswith("-") else "id"]


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
        return search.staff_search(queryset, value) if value.strip() else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_restricted(self, queryset, name, value):
        return queryset.restricted() if value else queryset
