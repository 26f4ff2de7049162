"""The forms of the disposal pages: the proposal, the head's refusal, and the act.

They only parse input; the rules (one disposal at a time, the proposer does not approve, the
certificate of a destruction, the price of a sale) are in assets.services, whose
ValidationErrors the views put next to the fields.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assets.forms.inventory import MoneyField
from assets.models import Asset, Disposal
from core.forms import DayInput

Method = Disposal.Method

RECIPIENT_LABELS = {
    Method.WRITE_OFF: _("Recipient"),
    Method.DESTRUCTION: _("Recycler"),
    Method.TRANSFER: _("Receiving agency"),
    Method.SALE: _("Buyer"),
}
RECIPIENT_HELP = {
    Method.WRITE_OFF: _("Who took the written-off asset away, or where it went."),
    Method.DESTRUCTION: _("The licensed recycler that destroyed it."),
    Method.TRANSFER: _("The agency that received it."),
    Method.SALE: _("The buyer's name (a person or a company)."),
}


def method_choices() -> list[tuple[str, str]]:
    return [(value, capfirst(label)) for value, label in Method.choices]


class DisposalProposeForm(forms.Form):
    """The asset (by its inventory number, or fixed when the page was opened from the asset),
    how and why it is to be disposed of, and what it is worth now."""

    asset = forms.CharField(
        label=_("Inventory number"),
        max_length=20,
        help_text=_("For example INV-2026-0001."),
    )
    method = forms.ChoiceField(label=_("Method"), choices=method_choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why it is no longer needed or usable: broken, outdated, surplus …"),
        error_messages={"required": _("Give the reason.")},
    )
    residual_value = MoneyField(
        label=_("Residual value (€)"),
        required=False,
        initial=0,
        help_text=_("Its value in the books today; 0 when fully depreciated."),
    )

    def __init__(self, *args, asset: Asset | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_asset = asset
        if asset is not None:
            self.fields["asset"].widget = forms.HiddenInput()
            self.fields["asset"].initial = asset.inventory_number

    def clean_asset(self) -> Asset:
        number = "".join(self.cleaned_data["asset"].split())
        asset = Asset.objects.filter(inventory_number__iexact=number).first()
        if asset is None:
            raise ValidationError(_("No asset has this inventory number."))
        return asset

    def clean_residual_value(self):
        return self.cleaned_data.get("residual_value") or 0


class RefuseForm(forms.Form):
    prefix = "refuse"

    reason = forms.CharField(
        label=_("Reason of the refusal"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The asset manager sees it."),
        error_messages={"required": _("Give the reason of the refusal.")},
    )


class DisposalCompleteForm(forms.Form):
    """The act: when and to whom the asset went, with the recycler's certificate (destruction)
    or the price it was sold for (sale)."""

    prefix = "act"

    disposed_on = forms.DateField(label=_("Disposal date"), widget=DayInput)
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=255,
        error_messages={"required": _("Name the recipient, the recycler or the buyer.")},
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        max_length=100,
        required=False,
        help_text=_("The number of the recycler's certificate of destruction."),
        error_messages={"required": _("Give the number of the recycler's certificate.")},
    )
    sale_price = MoneyField(
        label=_("Sale price (€)"),
        required=False,
        error_messages={"required": _("Give the sale price.")},
    )

    def __init__(self, *args, disposal: Disposal, **kwargs):
        kwargs.setdefault("initial", {"disposed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        method = disposal.method
        self.fields["recipient"].label = RECIPIENT_LABELS.get(method, _("Recipient"))
        self.fields["recipient"].help_text = RECIPIENT_HELP.get(method, "")
        if method == Method.DESTRUCTION:
            self.fields["certificate_number"].required = True
        else:
            self.fields["certificate_number"].help_text = _("If there is one.")
        if method == Method.SALE:
            self.fields["sale_price"].required = True
        else:
            del self.fields["sale_price"]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "disposed_on": data["disposed_on"],
            "recipient": data["recipient"],
            "certificate_number": data.get("certificate_number") or "",
            "sale_price": data.get("sale_price"),
        }
