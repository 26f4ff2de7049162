"""The staff's entry of an application that arrived on paper or by e-mail.

A clerk or a processor types it in so that it gets a tracking code, its processing clock starts
on the day it was received, and the business can follow it on the public status page. The two
steps are the public form's: step 1 is ``ChoiceForm`` (what was filed, and where), step 2
``ApplicationForm`` without the consent box and the honeypot (the page is behind sign-in), with
its attachments optional (a paper original may be scanned later), plus what only the office
knows: the day it arrived, the applicant's language, the register number of the letter it came
in, and whether to e-mail the receipt.
"""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DayInput
from mtr.forms.application import ApplicationForm
from mtr.forms.public import ChoiceForm, file_help
from registry.models import Channel as RegistryChannel
from registry.models import Direction, Document

ATTACHMENT_HELP = _("Not required here: a paper original may be scanned and added later.")


class IntakeChoiceForm(ChoiceForm):
    """Step 1: what the applicant asks, and in which area or about which entry (GET)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].label = _("What does the applicant want to do?")


class IntakeForm(ApplicationForm):
    """Step 2: the whole application as the applicant gave it, and how it arrived."""

    received_on = forms.DateField(
        label=_("Received on"),
        widget=DayInput,
        help_text=_("The day the application arrived; the processing time is counted from it."),
    )
    language = forms.ChoiceField(
        label=_("Language of the applicant"),
        choices=settings.LANGUAGES,
        help_text=_("The receipt and every e-mail about the application are written in it."),
    )
    registered_as = forms.CharField(
        label=_("Registered as"),
        required=False,
        max_length=40,
        help_text=_(
            "The register number of the incoming letter it came in, if that is already "
            "registered. Leave empty to register the application now."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Arrived by"),
        choices=[
            (RegistryChannel.POST, RegistryChannel.POST.label),
            (RegistryChannel.EMAIL, RegistryChannel.EMAIL.label),
            (RegistryChannel.HAND, RegistryChannel.HAND.label),
            (RegistryChannel.DHX, RegistryChannel.DHX.label),
        ],
        initial=RegistryChannel.POST,
        help_text=_("Recorded on the registered document (when it is registered here)."),
    )
    notify = forms.BooleanField(
        label=_("Send the receipt to the applicant by e-mail"),
        required=False,
        initial=True,
    )

    honeypot_name = None  # behind sign-in: no honeypot
    INTAKE_FIELDS = ("received_on", "channel", "language", "registered_as", "notify")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        del self.fields["consent"]
        del self.fields["website"]
        today = timezone.localdate()
        self.fields["received_on"].initial = today
        self.fields["received_on"].widget.attrs["max"] = today.isoformat()
        self.fields["language"].initial = settings.LANGUAGE_CODE[:2]
        self.fields["registered_as"].widget.attrs.update(autocomplete="off", spellcheck="false")
        for name in self.attachment_names:
            self.fields[name].required = False
            self.fields[name].help_text = f"{ATTACHMENT_HELP} {file_help()}"
        self.order_fields(self.INTAKE_FIELDS)  # first, as the clerk reads them off the letter

    @property
    def intake_fields(self):
        return self.group(self.INTAKE_FIELDS)

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date of receipt cannot be in the future."))
        return day

    def clean_registered_as(self):
        number = " ".join((self.cleaned_data.get("registered_as") or "").split())
        if not number:
            return None
        document = Document.objects.visible_to(self.user).filter(number=number).first()
        if document is None:
            raise ValidationError(
                _("No document %(number)s in the register."), params={"number": number}
            )
        if document.direction != Direction.INCOMING:
            raise ValidationError(
                _(
                    "%(number)s is an outgoing document: give the number of the letter the "
                    "application came in."
                ),
                params={"number": number},
            )
        return document

    def submitted_at(self) -> datetime:
        """Noon of the day it was received (local time), or now when that is still to come:
        the processing clock counts from the day, the queue orders by the moment."""
        noon = timezone.make_aware(datetime.combine(self.cleaned_data["received_on"], time(12)))
        return min(noon, timezone.now())

    def submit_arguments(self) -> dict:
        """The keyword arguments of ``services.application_submit``, language included."""
        data = self.cleaned_data
        return {
            **super().submit_arguments(),
            "language": data["language"],
            "submitted_at": self.submitted_at(),
            "notify": data["notify"],
            "document": data["registered_as"],
            "channel": data["channel"],
            "actor": self.user,
        }
