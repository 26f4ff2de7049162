"""Filters of the processors' queue of applications and of the register's entries."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import fields

from core.choices import capitalised
from core.counts import capped_counts_by
from core.listing import Order
from mtr import selectors, services
from mtr.models import NO_DEADLINE_LAST, ActivityArea, Application, Business, Entry
from mtr.selectors import SOON_DAYS

OPEN = "open"
ALL = "all"
MINE = "mine"
UNASSIGNED = "none"
OVERDUE = "overdue"
SOON = "soon"
LATER = "later"

_NOT_CODE = re.compile(r"[\s-]+")

# The queue's offered orders (?sort=), each served by an index of mtr.Application alone and with
# the open tab, a status or a processor (tests/mtr/test_list_plans.py). By default the soonest
# deadline first, none last, then the earliest submitted.
APPLICATION_ORDERS = {
    "deadline": Order((NO_DEADLINE_LAST, "submitted_at"), jump="date"),
    "submitted": Order(("submitted_at",)),
    "-submitted": Order(("-submitted_at",)),
}
APPLICATION_DEFAULT = "deadline"
# The register by number (unique); a status or an area keeps it on an index.
ENTRY_ORDERS = {"number": Order(("number",), unique=True, jump="text")}
ENTRY_DEFAULT = "number"
# The most businesses a search of the entries looks up by name before reading their entries.
BUSINESSES_LOOKED_UP = 2000
# What a new filter or status link drops: the position in the list.
PAGING_PARAMS = ("page", "after", "before", "last", "from")


def status_choices() -> list[tuple[str, str]]:
    return [
        (OPEN, pgettext_lazy("applications not decided yet", "Open")),
        *capitalised(Application.Status.choices),
        (ALL, _("All statuses")),
    ]


class _AssigneeChoices(fields.ModelChoiceIterator):
    """The options: everybody, me, nobody yet, then the processors."""

    def __iter__(self):
        choices = super().__iter__()
        if self.field.empty_label is not None:
            yield next(choices)
        yield (MINE, _("Me"))
        yield from choices

    def __len__(self):
        return super().__len__() + 1


class AssigneeField(fields.ModelChoiceField):
    """A processor, or "mine", or "none" (the null value): a model choice, so that the filter
    card remembers the processors (core.choices.remembered_choices) where reading them cost the
    queue a query and a tenth of its time on every page (issue 16)."""

    iterator = _AssigneeChoices
    # The message a choice of the list had: "Select a valid choice. abc is not one of …"
    default_error_messages = {
        "invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]
    }

    def to_python(self, value):
        return value if value == MINE else super().to_python(value)


class AssigneeFilter(django_filters.ModelChoiceFilter):
    field_class = AssigneeField


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
    assignee = AssigneeFilter(
        label=_("Processor"),
        queryset=lambda request: services.processors(),
        empty_label=_("Everybody"),
        null_label=_("Nobody yet"),
        null_value=UNASSIGNED,
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
        return queryset.filter(assignee=value)

    def filter_due(self, queryset, name, value):
        queryset = queryset.filter(status__in=Application.OPEN_STATUSES)
        return queryset.filter(selectors.due_q(value, timezone.localdate()))

    def status_counts(self) -> dict[str, int]:
        """How many applications each status has with the other filters applied, each capped
        as the list's count is (core.counts; one query): {"received": 3, …, "open": 8,
        "all": 15}; a number over core.listing.COUNT_CAP means "more than that"."""
        queryset = self.queryset.all()
        data = self.form.cleaned_data if self.form.is_valid() else {}
        for name, value in data.items():
            if name != "status" and value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        counts, total = capped_counts_by(queryset, "status", Application.Status.values)
        counts[ALL] = total
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
        """An entry number's start, or a business's name or registry code. The businesses are
        looked up first (the name's trigram index, one query): "these businesses or this
        number" is then two index ranges of the entries, where a name condition across the
        join would read all of them. A word so common that it names more than
        ``BUSINESSES_LOOKED_UP`` businesses is searched across the join.

        The number is only asked for when the text can start one (:func:`may_start_number`):
        "these businesses" alone is counted from the business index without reading the
        entries (an index-only scan), where the "or" of the two made the count of a common
        word's entries read every one of them, 30–150 ms on 200,000 entries (issue 16)."""
        text = value.strip()
        if not text:
            return queryset
        businesses = Q(name__icontains=text)
        if text.isdigit():
            businesses |= Q(registry_code__startswith=text)
        ids = list(
            Business.objects.filter(businesses)
            .order_by()
            .values_list("pk", flat=True)[: BUSINESSES_LOOKED_UP + 1]
        )
        if len(ids) > BUSINESSES_LOOKED_UP:
            found = Q(business__in=Business.objects.filter(businesses).values("pk"))
        else:
            found = Q(AnyOf("business_id", ids))
        if may_start_number(text):
            found |= Q(number__startswith=text.upper())
        return queryset.filter(found)


class AnyOf(Func):
    """``column = ANY(array)``, the values as one array: ``IN (%s, %s, …)`` of 2,000 ids cost
    the search more to quote, send and parse, twice (count and page), than its index scans
    (issue 16)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()

    def __init__(self, column: str, values: list[int]):
        super().__init__(F(column), Value(values, output_field=ArrayField(BigIntegerField())))


def may_start_number(text: str) -> bool:
    """Whether ``text`` can be the start of an entry number: an area's prefix of at most four
    characters and then digits (mtr.services.entries._entry_number), so nothing but digits after the
    fourth character, and no longer than a number."""
    tail = text[4:]
    return len(text) <= Entry._meta.get_field("number").max_length and (not tail or tail.isdigit())
