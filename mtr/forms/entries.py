"""The search form of the public register of economic activities (GET, no login).

Only entries in a public status can be found: valid ones by default, suspended and ended ones
when asked for. An entry still being entered (``pending``) is never shown.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.validators import validate_registry_code
from mtr.models import ActivityArea, Entry

MAX_WORDS = 10

# What the public sees of each status it may see; "pending" is not among them.
PUBLIC_STATUS_LABELS = {
    Entry.Status.VALID: pgettext_lazy("register entry", "Valid"),
    Entry.Status.SUSPENDED: pgettext_lazy("register entry", "Suspended"),
    Entry.Status.INVALID: pgettext_lazy("register entry", "Ended"),
}
PUBLIC_STATUSES = tuple(PUBLIC_STATUS_LABELS)
ALL = "all"
STATUS_CHOICES = [
    *PUBLIC_STATUS_LABELS.items(),
    (ALL, pgettext_lazy("register entry", "Valid, suspended or ended")),
]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActivityArea) -> str:
        return obj.name  # in the current language


class EntrySearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the business"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words or parts of words, in any case; every word must match."),
    )
    registry_code = forms.CharField(
        label=_("Registry code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("8 digits"),
    )
    area = AreaChoiceField(
        label=_("Area of activity"),
        required=False,
        queryset=ActivityArea.objects.all(),
        to_field_name="code",
        empty_label=pgettext_lazy("activity area", "All areas"),
    )
    number = forms.CharField(
        label=_("Entry number begins with"),
        required=False,
        max_length=20,
        help_text=_("E.g. KTO0001"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=STATUS_CHOICES,
        initial=Entry.Status.VALID,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (translation.get_language() or "et")[:2]
        if language not in ("et", "en", "ru"):
            language = "et"
        self.fields["area"].queryset = ActivityArea.objects.order_by(f"name_{language}", "code")

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_registry_code(self) -> str:
        code = "".join(self.cleaned_data["registry_code"].split())
        if code:
            validate_registry_code(code)
        return code

    def clean_number(self) -> str:
        # Entry numbers are stored in capitals (KTO000123): an upper-cased prefix is
        # case-insensitive and can use the number's pattern index.
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or Entry.Status.VALID

    def filter(self, entries):
        """``entries`` narrowed to what a valid form asks for (public statuses only)."""
        data = self.cleaned_data
        status = data.get("status") or Entry.Status.VALID
        statuses = PUBLIC_STATUSES if status == ALL else (status,)
        entries = entries.filter(status__in=statuses)
        words = data.get("name", "").split()[:MAX_WORDS]
        if words:
            condition = Q()
            for word in words:
                condition &= Q(business__name__icontains=word)
            entries = entries.filter(condition)
        if data.get("registry_code"):
            entries = entries.filter(business__registry_code=data["registry_code"])
        if data.get("area"):
            entries = entries.filter(area=data["area"])
        if data.get("number"):
            entries = entries.filter(number__startswith=data["number"])
        return entries
