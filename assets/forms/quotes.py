"""The forms of the quote pages: a new request for quotes, a supplier asked or a quote received,
a quote recorded for a supplier asked earlier, and the choice with its reason.

The forms only parse input; the rules (the threshold, the reason a dearer quote needs) are in
assets.services, whose ValidationErrors the views put next to the fields.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assets import services
from assets.models import QuoteRequest
from core.forms import DayInput
from core.uploads import UploadField

FILE_HELP = _("The quote as PDF, DOCX, ODT, XLSX, ODS or an image.")


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_digits=12, decimal_places=2, **kwargs)


def _not_future(value):
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class QuoteRequestForm(forms.Form):
    subject = forms.CharField(
        label=_("What is ordered"),
        max_length=255,
        help_text=_("The goods, service or works, as the suppliers are asked."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(value, capfirst(label)) for value, label in QuoteRequest.Kind.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "Construction works and special services (hotel and catering, security, legal "
            "services …) have thresholds of their own."
        ),
    )
    estimated_value = _money(_("Estimated value (€, without VAT)"))
    deadline = forms.DateField(label=_("Quotes by"), widget=DayInput)


class QuoteAddForm(forms.Form):
    """A supplier asked (no amount yet), or a quote received (with its amount)."""

    prefix = "add"

    supplier = forms.CharField(label=_("Supplier"), max_length=255)
    supplier_email = forms.EmailField(label=_("Supplier's e-mail"), required=False)
    amount = _money(
        _("Amount (€, without VAT)"),
        required=False,
        help_text=_("Empty while the supplier has not answered."),
    )
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=DayInput,
        help_text=_("Empty with an amount: today."),
    )
    file = UploadField(
        label=_("Quote file"),
        allowed=services.ASSET_FILE_KINDS,
        required=False,
        help_text=FILE_HELP,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_received_on(self):
        return _not_future(self.cleaned_data.get("received_on"))

    def clean(self):
        data = super().clean()
        received = data.get("received_on") or data.get("file")
        if received and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount of the quote received."))
        return data


class QuoteRecordForm(forms.Form):
    """The quote of a supplier asked earlier."""

    amount = _money(_("Amount (€, without VAT)"))
    received_on = forms.DateField(
        label=_("Received on"), widget=DayInput, initial=timezone.localdate
    )
    file = UploadField(
        label=_("Quote file"),
        allowed=services.ASSET_FILE_KINDS,
        required=False,
        help_text=FILE_HELP,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_received_on(self):
        return _not_future(self.cleaned_data.get("received_on"))


class QuoteChooseForm(forms.Form):
    prefix = "choose"

    quote = forms.TypedChoiceField(
        label=_("Chosen quote"), coerce=int, widget=forms.RadioSelect, choices=()
    )
    reason = forms.CharField(
        label=_("Why this one"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The cheapest needs a short reason; any other a fuller explanation."),
    )

    def __init__(self, *args, quotes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quote"].choices = [
            (
                quote.pk,
                f"{quote.supplier} — {number_format(quote.amount, 2, force_grouping=True)} €",
            )
            for quote in quotes
        ]
