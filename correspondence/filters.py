"""Filters of the list of letters: status, channel, the day prepared, signer, a search, and the
quick filters "my drafts" and "awaiting approval"."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.choices import capitalised
from core.forms import DayInput
from correspondence.forms.letters import PersonChoiceField, signers
from correspondence.models import Channel, Dispatch, Letter

MY_DRAFTS = "my_drafts"
TO_APPROVE = "to_approve"
AWAITING_SIGNATURE = "awaiting"
SIGNED = "signed"


class SignerFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class LetterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=capitalised(Letter.Status.choices), empty_label=_("All statuses")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"),
        choices=capitalised(Channel.choices),
        empty_label=_("All channels"),
        method="filter_channel",
    )
    prepared_from = django_filters.DateFilter(
        label=_("Prepared from"), field_name="created", lookup_expr="date__gte", widget=DayInput
    )
    prepared_to = django_filters.DateFilter(
        label=_("Prepared until"), field_name="created", lookup_expr="date__lte", widget=DayInput
    )
    signer = SignerFilter(
        label=_("Signer"), queryset=lambda request: signers(), empty_label=_("Everybody")
    )
    signature = django_filters.ChoiceFilter(
        label=_("Signature"),
        choices=[(AWAITING_SIGNATURE, _("Awaiting signature")), (SIGNED, _("Signed digitally"))],
        empty_label=_("All letters"),
        method="filter_signature",
    )
    show = django_filters.ChoiceFilter(
        label=_("Quick filter"),
        choices=[(MY_DRAFTS, _("My drafts")), (TO_APPROVE, _("Awaiting approval"))],
        method="filter_show",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Letter
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        addressee = Dispatch.objects.filter(letter=OuterRef("pk"), name__unaccent__icontains=text)
        return queryset.filter(
            Q(number__icontains=text) | Q(subject__unaccent__icontains=text) | Exists(addressee)
        )

    def filter_channel(self, queryset, name, value):
        return queryset.filter(
            Exists(Dispatch.objects.filter(letter=OuterRef("pk"), channel=value))
        )

    def filter_signature(self, queryset, name, value):
        if value == AWAITING_SIGNATURE:
            return queryset.awaiting_signature()
        if value == SIGNED:
            return queryset.verified()
        return queryset

    def filter_show(self, queryset, name, value):
        if value == MY_DRAFTS:
            user = getattr(self.request, "user", None)
            return queryset.filter(
                status=Letter.Status.DRAFT, created_by_id=getattr(user, "pk", None)
            )
        if value == TO_APPROVE:
            return queryset.filter(status=Letter.Status.AWAITING_APPROVAL)
        return queryset
