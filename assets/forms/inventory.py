"""The forms of the inventory pages: an asset, its files and state, the CSV import, a handover.

Each form only parses input; the rules are in assets.services, whose ValidationErrors the views
put next to the fields. A place is chosen from the known locations or typed as "Building, room"
(the view turns the text into a location through services.location_get).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assets import services
from assets.models import Asset, Category, Location
from core.choices import capitalised
from core.forms import DayInput
from core.uploads import UploadField

IMPORT_MAX_BYTES = 5 * 1024 * 1024
# The states a person sets by hand (missing and disposed come from a stocktaking or a disposal).
HAND_STATES = (Asset.State.IN_USE, Asset.State.IN_STORAGE, Asset.State.IN_REPAIR)


def people():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")


class MoneyField(forms.DecimalField):
    """Euros as people type them: "1 234,50", "1234.50" or "1234"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\xa0", "").replace("€", "").replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="decimal", autocomplete="off")
        return attrs


class PlaceFields(forms.Form):
    """A location from the list, or a new one typed as "Building, room" (the typed one wins)."""

    location_field = "location"

    new_location = forms.CharField(
        label=_("Or a new place"),
        max_length=190,
        required=False,
        help_text=_("Not in the list? Type it as “Building, room”, e.g. “Suur-Ameerika 1, 204”."),
    )

    def clean_new_location(self):
        text = " ".join((self.cleaned_data.get("new_location") or "").split())
        building, _sep, room = text.partition(",")
        if text and not building.strip():
            raise ValidationError(_("Start with the building, then a comma and the room."))
        if len(building.strip()) > 120 or len(room.strip()) > 60:
            raise ValidationError(_("At most 120 characters for the building and 60 for the room."))
        return text

    def place_text(self) -> str:
        return self.cleaned_data.get("new_location") or ""

    def chosen_place(self) -> Location | None:
        return self.cleaned_data.get(self.location_field)


class AssetForm(PlaceFields):
    """An asset's data. A new asset may bring its old number; empty gives the next one."""

    inventory_number = forms.CharField(
        label=_("Inventory number"),
        max_length=20,
        required=False,
        help_text=_("Empty: the next number (INV-year-number) is given."),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    category = forms.ChoiceField(label=_("Category"), choices=capitalised(Category.choices))
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.all(),
        required=False,
        empty_label=_("— no place —"),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=people(),
        required=False,
        empty_label=_("— nobody —"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=capitalised((s.value, s.label) for s in HAND_STATES),
        initial=Asset.State.IN_USE,
    )
    purchase_date = forms.DateField(label=_("Purchase date"), required=False, widget=DayInput)
    price = MoneyField(label=_("Price (€)"), required=False)
    supplier = forms.CharField(label=_("Supplier"), max_length=255, required=False)
    warranty_until = forms.DateField(label=_("Warranty until"), required=False, widget=DayInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    FIELDS = (
        "name",
        "category",
        "serial_number",
        "responsible",
        "purchase_date",
        "price",
        "supplier",
        "warranty_until",
        "notes",
    )

    def __init__(self, *args, asset: Asset | None = None, **kwargs):
        self.asset = asset
        if asset is not None and not args and "data" not in kwargs:
            initial = {name: getattr(asset, name) for name in self.FIELDS}
            initial.update(location=asset.location_id, responsible=asset.responsible_id)
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.order_fields(["inventory_number", "name", "category", "serial_number", "location"])
        if asset is not None:  # the number and the state do not change here
            del self.fields["inventory_number"]
            del self.fields["state"]
        else:
            self.fields["inventory_number"].widget.attrs.update(
                autocomplete="off", spellcheck="false"
            )
        self.fields["serial_number"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_inventory_number(self):
        number = (self.cleaned_data.get("inventory_number") or "").strip().upper()
        if number and Asset.objects.filter(inventory_number=number).exists():
            raise ValidationError(
                _("The inventory number %(number)s is already in use."), params={"number": number}
            )
        return number

    def clean(self):
        data = super().clean()
        bought, warranty = data.get("purchase_date"), data.get("warranty_until")
        if bought and warranty and warranty < bought:
            self.add_error("warranty_until", _("The warranty cannot end before the purchase."))
        return data

    def service_arguments(self, location: Location | None) -> dict:
        """The fields for services.asset_create / asset_update (the place resolved by the view)."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.FIELDS}
        fields["location"] = location
        if self.asset is None:
            fields["inventory_number"] = data["inventory_number"]
            fields["state"] = data["state"]
        return fields


class AssetFileForm(forms.Form):
    prefix = "file"

    file = UploadField(
        label=_("File"),
        allowed=services.ASSET_FILE_KINDS,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        help_text=_("An invoice, a warranty card, a photo: PDF, DOCX, ODT, XLSX, ODS, PNG, JPEG."),
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=[(s.value, s.label) for s in HAND_STATES])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A CSV file as Excel saves it (CSV UTF-8, CSV with semicolons or Unicode text), the "
            "first row naming the columns as in the template."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is too big: at most %(size)s MB."),
                params={"size": IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        return uploaded


class HandoverForm(PlaceFields):
    """Hand the asset to a person, to a room, or both."""

    location_field = "to_location"

    to_person = forms.ModelChoiceField(
        label=_("To the person"),
        queryset=people(),
        required=False,
        empty_label=_("— nobody —"),
        help_text=_("They confirm the receipt on the act's page (they get an e-mail)."),
    )
    to_location = forms.ModelChoiceField(
        label=_("To the room"),
        queryset=Location.objects.all(),
        required=False,
        empty_label=_("— the place stays —"),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. with the charger and the bag."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["to_person", "to_location", "new_location", "note"])

    def clean(self):
        data = super().clean()
        chosen = data.get("to_person") or data.get("to_location") or data.get("new_location")
        if not chosen and not self.errors:
            self.add_error("to_person", _("Choose the person or the room."))
        return data
