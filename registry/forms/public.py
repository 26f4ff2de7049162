"""The search form of the public document register (GET, no login).

Only orders that reveal nothing are offered: by registration date or by register number. An order
by title or party would place a restricted document among the others by its hidden title.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.listing import Order
from registry.models import DocumentType, Series

SORTS = {
    # value in the URL: (label, order: each served by an index, core.listing keyset pages)
    "-date": (_("Newest first"), Order(("-registered_on", "-registered_at"), jump="date")),
    "date": (_("Oldest first"), Order(("registered_on", "registered_at"), jump="date")),
    "number": (_("Register number, ascending"), Order(("number",), unique=True)),
    "-number": (_("Register number, descending"), Order(("-number",), unique=True)),
}
ORDERS = {value: order for value, (_label, order) in SORTS.items()}
DEFAULT_SORT = "-date"


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Series) -> str:
        return f"{obj.code} {obj.title}"


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words of the title or a register number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words may be word beginnings; every word must match."),
    )
    party = forms.CharField(
        label=_("Sender or recipient"),
        required=False,
        max_length=200,
        help_text=_("Name of an organisation. Private persons are not shown by name."),
    )
    number = forms.CharField(
        label=_("Register number begins with"),
        required=False,
        max_length=40,
        help_text=_("E.g. 1-2/25"),
    )
    doc_type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", pgettext_lazy("document type", "All types")), *DocumentType.choices],
    )
    series = SeriesChoiceField(
        label=_("Series"),
        required=False,
        queryset=Series.objects.all(),
        to_field_name="code",
        empty_label=pgettext_lazy("series", "All series"),
    )
    date_from = forms.DateField(
        label=_("Registered from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Registered until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(value, label) for value, (label, _order) in SORTS.items()],
    )

    ADVANCED = ("number", "doc_type", "series", "date_from", "date_to", "sort")

    @property
    def advanced_used(self) -> bool:
        """Whether the "more search options" part is in use (then it is shown open)."""
        if not self.is_bound:
            return False
        if any(name in self.errors for name in self.ADVANCED):
            return True
        return any(
            self.data.get(name) for name in self.ADVANCED if name != "sort"
        ) or self.data.get("sort", DEFAULT_SORT) not in ("", DEFAULT_SORT)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def clean_party(self) -> str:
        return self.cleaned_data["party"].strip()

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or DEFAULT_SORT

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned

    @property
    def sort_key(self) -> str:
        return self.cleaned_data.get("sort") or DEFAULT_SORT
