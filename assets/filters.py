"""Filters of the inventory: category, state, location, responsible person and a search.

Without a state in the query the list shows the assets still held (every state but disposed).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assets.forms.inventory import people
from assets.models import Asset, Category, Location
from core.choices import capitalised

ACTIVE = "active"  # every state but disposed
ALL = "all"


def state_choices() -> list[tuple[str, str]]:
    return [
        (ACTIVE, _("Held (not disposed)")),
        *capitalised(Asset.State.choices),
        (ALL, _("All states")),
    ]


class AssetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=capitalised(Category.choices), empty_label=_("All categories")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=state_choices, empty_label=None, method="filter_state"
    )
    location = django_filters.ModelChoiceFilter(
        label=_("Location"), queryset=Location.objects.all(), empty_label=_("All locations")
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible person"), queryset=people(), empty_label=_("Everybody")
    )

    class Meta:
        model = Asset
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if data.get("state") not in {key for key, _label in state_choices()}:
            data["state"] = ACTIVE  # none or a wrong one: what the agency still holds
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(inventory_number__icontains=text)
            | Q(name__icontains=text)
            | Q(serial_number__icontains=text)
        )

    def filter_state(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.active()
        if value == ALL:
            return queryset
        return queryset.filter(state=value)

    @property
    def filtering(self) -> bool:
        """Whether anything narrows the list beyond the default."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return (
            any(value for key, value in data.items() if key != "state")
            or data.get("state", ACTIVE) != ACTIVE
        )
