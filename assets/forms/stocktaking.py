"""The forms of the stocktaking pages: start one, mark an asset (from its row or from the scan
page), and read what a phone's scanner or a person typed into the scan page.

They only parse input; the rules are in assets.services, whose ValidationErrors the views put
next to the fields.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assets.models import Asset, Location, StocktakingItem

Result = StocktakingItem.Result
# What is reported first: what differs from the books, then what nobody checked, then the rest.
DIFFERENT = (Result.MISSING, Result.DAMAGED, Result.WRONG_LOCATION)
REPORT_ORDER = (*DIFFERENT, Result.UNCHECKED, Result.FOUND)
# The path of a label's URL (assets:asset-label, "assets/l/<code>/"), wherever the site runs.
_LABEL_PATH = re.compile(r"/l/([A-Za-z0-9_-]{4,20})/?\Z")
_SPACES = re.compile(r"\s+")


def result_choices() -> list[tuple[str, str]]:
    """The answers a person gives about an asset ("not checked yet" is no answer)."""
    return [
        (value, capfirst(label)) for value, label in Result.choices if value != Result.UNCHECKED
    ]


class LocationChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Location.objects.order_by("building", "room"))
        super().__init__(**kwargs)


class StocktakingStartForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("For example “Yearly stocktaking 2026” or “Room 204 before the move”."),
    )
    location = LocationChoiceField(
        label=_("Where"),
        required=False,
        empty_label=_("The whole agency"),
        help_text=_("Every asset in use there is put on the list to be checked."),
    )


class MarkForm(forms.Form):
    """What was found about one asset. ``found_location`` is where it was seen: required when
    it is in the wrong place, and turns "found" into "in the wrong place" when it is not where
    the books say (the service decides that)."""

    asset = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    result = forms.ChoiceField(label=_("Result"), choices=result_choices)
    found_location = LocationChoiceField(label=_("Found at"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, expected_location_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_location_id = expected_location_id

    def clean(self):
        data = super().clean()
        result, where = data.get("result"), data.get("found_location")
        if result == Result.WRONG_LOCATION:
            if where is None:
                self.add_error("found_location", _("Choose where it was found."))
            elif self.expected_location_id and where.pk == self.expected_location_id:
                self.add_error(
                    "found_location",
                    _("That is where it should be: mark it found instead."),
                )
        if result == Result.MISSING:
            data["found_location"] = None  # nobody saw it anywhere
        return data


class ScanForm(forms.Form):
    """A label's URL or code, or an inventory number, as a scanner or a person types it."""

    code = forms.CharField(
        label=_("Label or inventory number"),
        max_length=500,
        strip=True,
        help_text=_("Scan the label, or type the inventory number, then press Enter."),
    )

    def clean_code(self) -> str:
        return _SPACES.sub("", self.cleaned_data["code"])


def asset_for_code(text: str) -> Asset | None:
    """The asset a scanned or typed text names: a label's URL, a label's code, or an inventory
    number (any letter case, with or without the "INV-" prefix). None when nothing matches."""
    text = _SPACES.sub("", text or "")
    if not text:
        return None
    if "/" in text:
        path = urlsplit(text).path if "://" in text else text.split("?")[0]
        match = _LABEL_PATH.search(path)
        if match is None:
            return None
        text = match.group(1)
    assets = Asset.objects.select_related("location", "responsible")
    asset = assets.filter(label_code=text).first()
    if asset is None:
        asset = assets.filter(inventory_number__iexact=text).first()
    if asset is None and not text.upper().startswith("INV-"):
        asset = assets.filter(inventory_number__iexact=f"INV-{text}").first()
    return asset
