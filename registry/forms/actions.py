"""The small forms of the actions on one document's page (registry.views.detail).

Each form only parses input; the rules are in registry.services, whose ValidationErrors the
views put next to the fields (:func:`add_service_errors`). Every form has its own prefix, so the
page can hold all of them at once with unique ids.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ListedModelChoiceField
from core.forms import DayInput
from core.uploads import MultipleFileField
from registry.forms.common import staff_users
from registry.models import DELIVERY_CHANNELS, Channel, RestrictionBasis
from registry.services import WITHHELD_WITHOUT_REASON


class AssignForm(forms.Form):
    prefix = "assign"

    responsible = ListedModelChoiceField(label=_("Responsible person"), queryset=staff_users())


class DeadlineExtendForm(forms.Form):
    prefix = "extend"

    new_deadline = forms.DateField(label=_("New deadline"), widget=DayInput)
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    requester_notified_on = forms.DateField(
        label=_("Requester told of the extension on"),
        required=False,
        widget=DayInput,
        help_text=_(
            "The person must be told of an extension: within the first term for an information "
            "request, before the extension for a memorandum or request for explanation."
        ),
    )

    def __init__(self, *args, ask_notified: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_notified:
            del self.fields["requester_notified_on"]


class CloseForm(forms.Form):
    prefix = "close"

    reason = forms.CharField(
        label=_("Reason for closing"),
        max_length=500,
        help_text=_("E.g. answered by phone, forwarded to another agency."),
    )


class ReopenForm(forms.Form):
    prefix = "reopen"

    reason = forms.CharField(label=_("Reason for reopening"), max_length=500, required=False)


class ReplyForm(forms.Form):
    prefix = "reply"

    title = forms.CharField(label=_("Title of the reply"), max_length=500)
    channel = forms.ChoiceField(label=_("Sent by"), choices=DELIVERY_CHANNELS)
    sent_on = forms.DateField(label=_("Sent on"), widget=DayInput)
    files = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"sent_on": timezone.localdate(), "channel": Channel.EMAIL})
        super().__init__(*args, **kwargs)


class RestrictForm(forms.Form):
    prefix = "restrict"

    basis = forms.ModelChoiceField(
        label=_("Legal basis"), queryset=RestrictionBasis.objects.filter(is_active=True)
    )
    end = forms.DateField(
        label=_("Restricted until"),
        required=False,
        widget=DayInput,
        help_text=_("Leave empty for the longest term the basis allows."),
    )


class RestrictionExtendForm(forms.Form):
    prefix = "extend_restriction"

    new_end = forms.DateField(label=_("Restricted until"), widget=DayInput)
    reason = forms.CharField(label=_("Reason for the extension"), max_length=500)


class RestrictionLiftForm(forms.Form):
    prefix = "lift"

    reason = forms.CharField(label=_("Reason for lifting the restriction"), max_length=500)


class ShareForm(forms.Form):
    prefix = "share"

    user = ListedModelChoiceField(label=_("Person"), queryset=staff_users())


class AttachmentAddForm(forms.Form):
    prefix = "attach"

    files = MultipleFileField(label=_("Files"))
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        initial=True,
        help_text=_("Downloadable from the public register while the document is not restricted."),
    )
    withheld_reason = forms.CharField(
        label=_("Why not published"),
        max_length=500,
        required=False,
        help_text=_("Needed when the files are not public (AvTS § 12 (4¹))."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("is_public") and not (data.get("withheld_reason") or "").strip():
            self.add_error("withheld_reason", WITHHELD_WITHOUT_REASON)
        return data


class ParcelHandOverForm(forms.Form):
    prefix = "parcel"

    handed_to = ListedModelChoiceField(label=_("Handed to"), queryset=staff_users())
    receipt_signed_by = forms.CharField(
        label=_("Receipt signed by"), max_length=255, help_text=_("Name of the receiver.")
    )


class TaskGiveForm(forms.Form):
    prefix = "task"

    assignee = ListedModelChoiceField(label=_("To whom"), queryset=staff_users())
    instruction = forms.CharField(
        label=_("Instruction"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("Due date"), widget=DayInput)
