"""The small forms of the post page: a registered letter's tracking code, its delivery notice
and a letter the post brought back.

Several rows of the page each hold their own copy of a form, so every form gets ``auto_id``
with the dispatch's id (``for_dispatch``): the labels and fields of different rows never share
an id. The rules are in correspondence.services; these forms only parse.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DayInput


class DispatchForm(forms.Form):
    kind = ""

    @classmethod
    def for_dispatch(cls, dispatch_id: int, data=None, **kwargs):
        return cls(data, auto_id=f"{cls.kind}-{dispatch_id}-%s", **kwargs)


class TrackingForm(DispatchForm):
    kind = "tracking"

    tracking_code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "text-uppercase"}
        ),
    )


class DeliveryForm(DispatchForm):
    kind = "delivery"

    delivered_on = forms.DateField(label=_("Delivery notice date"), widget=DayInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReturnForm(DispatchForm):
    kind = "return"

    returned_on = forms.DateField(label=_("Returned on"), widget=DayInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("E.g. not collected, addressee moved, refused."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"returned_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
