"""The small forms of the processors' actions on an application's and an entry's page.

Each form only parses input; the rules are in mtr.services, whose ValidationErrors the views put
next to the fields. Every form has its own prefix, so one page can hold all of them at once.
"""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import terms
from core.forms import DayInput
from mtr import services


class ClaimForm(forms.Form):
    """Take the application into review and assign it to oneself: nothing to fill in."""

    prefix = "claim"


class AssignForm(forms.Form):
    prefix = "assign"

    assignee = forms.ModelChoiceField(label=_("Processor"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = services.processors()


class RequestDataForm(forms.Form):
    prefix = "request"

    text = forms.CharField(
        label=_("What is missing"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant sees this text and answers it on the status page."),
    )
    due_on = forms.DateField(label=_("Answer by"), widget=DayInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"due_on": services.deficiency_answer_by()})
        super().__init__(*args, **kwargs)


class DecideForm(forms.Form):
    """Grant or refuse: the page's two buttons send ``decision``; reasons are needed for a
    refusal (the service says so too)."""

    prefix = "decide"
    GRANT = "grant"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        choices=[(GRANT, _("grant")), (REFUSE, _("refuse"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reasons of the decision"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for a refusal. They are written in the decision letter."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reasons for the refusal."))
        return data

    @property
    def grant(self) -> bool:
        return self.cleaned_data["decision"] == self.GRANT


class WithdrawForm(forms.Form):
    prefix = "withdraw"

    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        max_length=2000,
        help_text=_("E.g. the applicant's e-mail of 3 March asking to withdraw."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UnexaminedForm(forms.Form):
    """Leave an application unexamined (HMS § 15(2)): the reasons go into the letter."""

    prefix = "unexamined"

    reason = forms.CharField(
        label=_("Reasons"),
        max_length=8000,
        initial=_(
            "The applicant did not give the missing data asked by the date set, so the "
            "application cannot be examined."
        ),
        help_text=_("They are written in the letter to the applicant."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckForm(forms.Form):
    """A notice in effect was checked afterwards."""

    prefix = "check"

    note = forms.CharField(
        label=_("What was checked"),
        max_length=2000,
        required=False,
        help_text=_("E.g. the data agree with the business register; the insurance is valid."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(forms.Form):
    """Extend the term of the decision once, with reasons sent to the applicant."""

    prefix = "extend"

    until = forms.DateField(label=_("New term"), widget=DayInput)
    reason = forms.CharField(
        label=_("Reasons of the extension"),
        max_length=2000,
        help_text=_("The applicant is sent them by e-mail at once."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliveryForm(forms.Form):
    """Record the decision's delivery by another means than the personal link (mtr.delivery)."""

    prefix = "delivery"

    method = forms.ChoiceField(
        label=_("How it was delivered"),
        choices=[(method.value, capfirst(method.label)) for method in terms.RECORDED_BY_STAFF],
    )
    delivered_on = forms.DateField(
        label=_("Delivered on"),
        widget=DayInput,
        help_text=_("For registered post: the date on the returned delivery notice."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_(
            "E.g. the notice's tracking code, who signed the receipt; for a delivery deemed by "
            "law its legal basis."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EntryReasonForm(forms.Form):
    """Suspend, reinstate or terminate an entry: a reason each time (the prefix names the
    action, so the three forms can share a page)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
