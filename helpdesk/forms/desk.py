"""The front desk's forms: the quick form of a phone call, the arrival of a visitor, and the
filters of the call list and of the visitor log.

The forms only parse input; helpdesk.services checks the rules and writes, and the views put its
messages next to the fields. The call form is made for a call in progress and the keyboard
alone: the caller's field has the focus, the fields follow in the order they are asked
(caller → phone → topic → category → outcome → duration → notes) and Enter saves.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import capitalised
from core.forms import DayInput
from helpdesk.models import Call, Category, Visit


def active_staff():
    """Active people with a role: the hosts a visitor may come to see, and who takes calls."""
    users = get_user_model().objects
    with_role = users.filter(Q(groups__isnull=False) | Q(is_superuser=True)).values("pk")
    return users.filter(is_active=True, pk__in=with_role).order_by(
        "last_name", "first_name", "username"
    )


def call_takers():
    """Whoever has taken a call (the choices of the list's "taken by" filter)."""
    users = get_user_model().objects
    return users.filter(pk__in=Call.objects.values("taken_by")).order_by(
        "last_name", "first_name", "username"
    )


class FocusFirstErrorMixin:
    """The field with ``autofocus`` is the first one with an error once the form is checked
    (else the first field), so the keyboard starts where there is something to fix."""

    def focus_first_error(self) -> None:
        invalid = [name for name in self.fields if name in self.errors]
        if not invalid:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[invalid[0]].widget.attrs["autofocus"] = True


class CallForm(FocusFirstErrorMixin, forms.Form):
    """A phone call, typed while the caller talks. ``requester_email`` is only for a ticket."""

    caller = forms.CharField(
        label=_("Caller"),
        max_length=255,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
        help_text=_("Name, or the business the caller speaks for."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=capitalised(Category.choices), initial=Category.OTHER
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in capitalised(Call.Outcome.choices) if c[0] != Call.Outcome.TICKET],
        initial=Call.Outcome.ANSWERED,
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=600,
        initial=1,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    requester_email = forms.EmailField(
        label=_("Caller's e-mail for the ticket"),
        required=False,
        help_text=_(
            "Optional. Filled in, the call becomes a ticket and the caller gets its reference "
            "by e-mail."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    #: The fields call_log takes.
    CALL_FIELDS = ("caller", "phone", "topic", "category", "outcome", "duration_minutes", "notes")

    def call_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.CALL_FIELDS}
        values["duration_minutes"] = values["duration_minutes"] or 1
        return values


class CallTicketForm(forms.Form):
    """Make a ticket of a call already logged (a row's button): an e-mail optionally."""

    requester_email = forms.EmailField(label=_("Caller's e-mail"), required=False)


class VisitForm(FocusFirstErrorMixin, forms.Form):
    name = forms.CharField(
        label=_("Visitor's name"),
        max_length=255,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    document_checked = forms.BooleanField(label=_("Identity document checked"), required=False)
    host = forms.ModelChoiceField(label=_("Host"), queryset=None, empty_label=_("Choose the host"))
    purpose = forms.CharField(
        label=_("Purpose of the visit"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = active_staff()


def _words(value: str) -> list[str]:
    return value.split()[:8]


def day_start(day) -> datetime:
    """The first moment of ``day`` in the local time zone. The lists filter days as a range of
    moments (``at >= start``), which their index serves; ``at__date`` would convert every row."""
    return timezone.make_aware(datetime.combine(day, time.min))


class DayFromFilter(django_filters.DateFilter):
    """Moments from the start of the given day on."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__gte": day_start(value)})


class DayUntilFilter(django_filters.DateFilter):
    """Moments until the end of the given day."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__lt": day_start(value + timedelta(days=1))})


class CallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    date_from = DayFromFilter(label=_("From"), field_name="at", widget=DayInput)
    date_to = DayUntilFilter(label=_("Until"), field_name="at", widget=DayInput)
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"),
        choices=capitalised(Call.Outcome.choices),
        empty_label=_("All outcomes"),
    )
    taken_by = django_filters.ModelChoiceFilter(
        label=_("Taken by"),
        queryset=lambda request: call_takers(),
        empty_label=_("Everybody"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=capitalised(Category.choices),
        empty_label=_("All categories"),
    )

    class Meta:
        model = Call
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(
                Q(caller__icontains=word)
                | Q(phone__icontains=word)
                | Q(topic__icontains=word)
                | Q(notes__icontains=word)
            )
        return queryset


class VisitFilter(django_filters.FilterSet):
    """The log of visits: a search and the days of arrival."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    date_from = DayFromFilter(label=_("From"), field_name="arrived_at", widget=DayInput)
    date_to = DayUntilFilter(label=_("Until"), field_name="arrived_at", widget=DayInput)

    class Meta:
        model = Visit
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(organisation__icontains=word)
                | Q(purpose__icontains=word)
                | Q(host__first_name__icontains=word)
                | Q(host__last_name__icontains=word)
            )
        return queryset
