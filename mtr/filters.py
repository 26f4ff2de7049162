"""Filters of the processors' queue of applications and of the register's entries."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.choices import capitalised
from mtr import selectors, services
from mtr.models import ActivityArea, Application, Entry
from mtr.selectors import SOON_DAYS

OPEN = "open"
ALL = "all"
MINE = "mine"
UNASSIGNED = "none"
OVERDUE = "overdue"
SOON = "soon"
LATER = "later"

_NOT_CODE = re.compile(r"[\s-]+")


def status_choices() -> list[tuple[str, str]]:
    return [
        (OPEN, pgettext_lazy("applications not decided yet", "Open")),
        *capitalised(Application.Status.choices),
        (ALL, _("All statuses")),
    ]


def assignee_choices() -> list[tuple[str, str]]:
    people = [(str(u.pk), str(u)) for u in services.processors()]
    return [(MINE, _("Me")), (UNASSIGNED, _("Nobody yet")), *people]


def due_choices() -> list[tuple[str, str]]:
    return [
        (OVERDUE, _("Overdue")),
        (SOON, gettext("Due within %(days)d days") % {"days": SOON_DAYS}),
        (LATER, pgettext_lazy("a deadline", "Later")),
    ]


class ApplicationFilter(django_filters.FilterSet):
    """The queue. Without a status in the query it shows the open applications."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Activity area"),
        queryset=ActivityArea.objects.all(),
        empty_label=_("All areas"),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=capitalised(Application.Type.choices),
        empty_label=_("All types"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=status_choices, empty_label=None, method="filter_status"
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Processor"),
        choices=assignee_choices,
        empty_label=_("Everybody"),
        method="filter_assignee",
    )
    due = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=due_choices,
        empty_label=_("Any deadline"),
        method="filter_due",
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if data.get("status") not in {key for key, _label in status_choices()}:
            data["status"] = OPEN  # none or a wrong one: the open applications
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        code = _NOT_CODE.sub("", text).upper()
        condition = Q(business_name__icontains=text) | Q(business__name__icontains=text)
        if text.isdigit():
            condition |= Q(registry_code__startswith=text)
        if len(code) >= 4 and code.isalnum():
            condition |= Q(tracking_code__startswith=code)
        return queryset.filter(condition)

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=Application.OPEN_STATUSES)
        if value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_assignee(self, queryset, name, value):
        if value == MINE:
            user = getattr(self.request, "user", None)
            return queryset.filter(assignee_id=getattr(user, "pk", None))
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value))

    def filter_due(self, queryset, name, value):
        queryset = queryset.filter(status__in=Application.OPEN_STATUSES)
        return queryset.filter(selectors.due_q(value, timezone.localdate()))

    def status_counts(self) -> dict[str, int]:
        """How many applications each status has with the other filters applied (one query):
        {"received": 3, …, "open": 8, "all": 15}."""
        queryset = self.queryset.all()
        data = self.form.cleaned_data if self.form.is_valid() else {}
        for name, value in data.items():
            if name != "status" and value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        counts = queryset.order_by().aggregate(
            **{s.value: Count("pk", filter=Q(status=s)) for s in Application.Status},
            **{ALL: Count("pk")},
        )
        counts[OPEN] = sum(counts[status] for status in Application.OPEN_STATUSES)
        return counts


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=capitalised(Entry.Status.choices),
        empty_label=_("All statuses"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Activity area"),
        queryset=ActivityArea.objects.all(),
        empty_label=_("All areas"),
    )

    class Meta:
        model = Entry
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        condition = Q(business__name__icontains=text) | Q(number__startswith=text.upper())
        if text.isdigit():
            condition |= Q(business__registry_code__startswith=text)
        return queryset.filter(condition)
