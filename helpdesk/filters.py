"""Filters of the support queue: status, priority, category, channel, assignee, SLA and a search."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import capitalised, remembered
from core.counts import capped_counts_by
from core.listing import Order
from helpdesk import selectors, services
from helpdesk.models import QUEUE_TERMS, Category, Priority, Ticket, TicketChannel

Status = Ticket.Status
OPEN_STATUSES = selectors.OPEN_STATUSES

UNRESOLVED = "unresolved"  # new, open and waiting (not the status "open" alone)
ALL = "all"
MINE = "mine"
UNASSIGNED = "none"
BREACHED = "breached"
SOON = "soon"
OK = "ok"

# The offered orders of the staff lists (?sort=), each served by an index of its model alone and
# with the list's common filter (tests/helpdesk/test_list_plans.py). The queue by default: what
# breaches first on top, waiting tickets last (services.queue_order).
TICKET_ORDERS = {
    "queue": Order(QUEUE_TERMS),
    "-created": Order(("-created",)),
    "created": Order(("created",)),
    "subject": Order(("subject",), jump="text"),
    "-subject": Order(("-subject",), jump="text"),
}
TICKET_DEFAULT = "queue"
CALL_ORDERS = {"-at": Order(("-at",))}  # newest first
VISIT_ORDERS = {"-arrived": Order(("-arrived_at",))}  # newest first
ARTICLE_ORDERS = {
    "category": Order(("category", "title_et")),
    "-updated": Order(("-updated",)),
}
# What a new filter or status link drops: the position in the list.
PAGING_PARAMS = ("page", "after", "before", "last", "from")

_REFERENCE = re.compile(r"\A(?:KT)?[\s-]*([0-9A-Z]{4,16})\Z")


def status_choices() -> list[tuple[str, str]]:
    return [
        (UNRESOLVED, pgettext_lazy("tickets", "Not resolved")),
        *capitalised(Status.choices),
        (ALL, _("All statuses")),
    ]


def assignee_choices() -> list[tuple[str, str]]:
    return [(MINE, _("Me")), (UNASSIGNED, _("Nobody yet")), *_specialists()]


def _specialists() -> list[tuple[str, str]]:
    """Who handles tickets, as (pk, name), remembered as the other lists' filter options are
    (core.choices; they are not a model field's choices, which it remembers by itself): reading
    them cost the queue a tenth of its time (issue 16)."""
    return remembered(
        "helpdesk:specialists",
        lambda: [(str(user.pk), str(user)) for user in services.specialists()],
        models=(get_user_model(),),
    )


def sla_choices() -> list[tuple[str, str]]:
    return [
        (BREACHED, _("Breached")),
        (SOON, _("Due within 2 working hours")),
        (OK, _("On time")),
    ]


class TicketFilter(django_filters.FilterSet):
    """The queue. Without a status in the query it shows what is not resolved."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=status_choices, empty_label=None, method="filter_status"
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=capitalised(Priority.choices), empty_label=_("Any priority")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=capitalised(Category.choices), empty_label=_("All categories")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Came in by"),
        choices=capitalised(TicketChannel.choices),
        empty_label=_("Any channel"),
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Assignee"),
        choices=assignee_choices,
        empty_label=_("Everybody"),
        method="filter_assignee",
    )
    sla = django_filters.ChoiceFilter(
        label=_("Service level"),
        choices=sla_choices,
        empty_label=_("Any"),
        method="filter_sla",
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if data.get("status") not in {key for key, _label in status_choices()}:
            data["status"] = UNRESOLVED  # none or a wrong one: what is not resolved
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        condition = (
            Q(subject__icontains=text)
            | Q(requester_email__icontains=text)
            | Q(requester_name__icontains=text)
        )
        reference = _REFERENCE.match(text.upper())
        if reference:
            condition |= Q(code__startswith=reference.group(1))
        return queryset.filter(condition)

    def filter_status(self, queryset, name, value):
        if value == UNRESOLVED:
            return queryset.filter(status__in=OPEN_STATUSES)
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

    def filter_sla(self, queryset, name, value):
        """The clocks that run (selectors.sla_breached_q): breached, due within
        services.SOON working hours, or on time."""
        now = timezone.now()
        breached = selectors.sla_breached_q(now)
        soon = selectors.sla_soon_q(now, services.SOON)
        queryset = queryset.filter(status__in=OPEN_STATUSES)
        if value == BREACHED:
            return queryset.filter(breached)
        if value == SOON:
            return queryset.filter(soon).exclude(breached)
        return queryset.exclude(soon)

    def status_counts(self) -> dict[str, int]:
        """How many tickets each status has with the other filters applied, each capped as the
        list's count is (one query): {"new": 3, "open": 4, …, "unresolved": 8, "all": 15} (new,
        open and waiting); over core.listing.COUNT_CAP: "more than that".

        Closed are most tickets: the total is the tabs' sum (core.counts.capped_counts_by), so
        a search for a common word reads its hits once, not once for all and again for closed."""
        queryset = self.queryset.all()
        data = self.form.cleaned_data if self.form.is_valid() else {}
        for name, value in data.items():
            if name != "status" and value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        counts, total = capped_counts_by(queryset, "status", Status.values)
        counts[ALL] = total
        counts[UNRESOLVED] = sum(counts[status] for status in OPEN_STATUSES)
        return counts
