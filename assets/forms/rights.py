"""The forms of the IT-system pages: ask for a right, and the small forms on a system's page
(approve with an end date, refuse or revoke with a reason).

The forms only parse input; the rules are in assets.services, whose ValidationErrors the views
put next to the fields. Each form on the system's page has a prefix naming the action and the
right (``approve-12``), so the page holds one per request or holder and the labels stay unique.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models import InformationSystem
from core.forms import DayInput


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        name = str(user)
        return f"{name} ({user.job_title})" if user.job_title else name


def _future(value):
    if value is not None and value <= timezone.localdate():
        raise forms.ValidationError(_("The end date must be in the future."))
    return value


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role) -> str:
        return f"{role.name} — {role.description}" if role.description else role.name


class GrantRequestForm(forms.Form):
    """Ask for a role in one system: for oneself, or (the asset manager) for anyone."""

    person = PersonChoiceField(queryset=get_user_model().objects.none(), label=_("Person"))
    role = RoleChoiceField(queryset=None, label=_("Role"), empty_label=_("— choose a role —"))
    reason = forms.CharField(
        label=_("Why it is needed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The main user of the system reads this when deciding."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DayInput,
        help_text=_("Leave empty for a right without an end date (it is still reviewed)."),
    )

    def __init__(self, *args, system: InformationSystem, for_anyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = system.roles.order_by("name")
        if for_anyone:
            self.fields["person"].queryset = get_user_model().objects.filter(is_active=True)
            self.fields["person"].empty_label = _("— choose a person —")
        else:
            del self.fields["person"]

    def clean_valid_until(self):
        return _future(self.cleaned_data.get("valid_until"))


class ApproveForm(forms.Form):
    """The end date of the right (the page says an empty one means until revoked)."""

    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DayInput)

    def clean_valid_until(self):
        return _future(self.cleaned_data.get("valid_until"))


class ReasonForm(forms.Form):
    """The reason of a refusal or a revocation."""

    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
