"""The registration inbox's forms: register a message as an incoming document (the register's
own form, its files coming from the message instead of an upload) and set a message aside."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.uploads import MultipleFileInput
from registry.forms.documents import DocumentRegisterForm
from registry.forms.parties import PartyForm, party_label
from registry.inbox import CLERK_REASONS, received_on_of, sender_of, title_of
from registry.models import Channel, InboxItem

NEW_SENDER_PREFIX = "new_sender"


class InboxRegisterForm(DocumentRegisterForm):
    """``DocumentRegisterForm`` without an upload: the files are the message's own."""

    keep_message = forms.BooleanField(
        label=_("Keep the e-mail itself as a file (.eml)"),
        required=False,
        help_text=_("Its text, sender and date as they came; the attachments are added anyway."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["files"]

    def service_kwargs(self) -> dict:
        self.cleaned_data.setdefault("files", [])
        kwargs = super().service_kwargs()
        kwargs.pop("files")
        return kwargs


def register_forms(item: InboxItem, *, user, data=None) -> tuple[InboxRegisterForm, PartyForm]:
    """The registration form and the new-sender form: bound to ``data``, or pre-filled from the
    message (title from the subject or the scan's name, the sender found by e-mail or registry
    code, else a new sender with the message's name and address, the day of receipt, the
    channel)."""
    if data is not None:
        form = InboxRegisterForm(data, user=user)
        new = data.get("sender_mode") == InboxRegisterForm.SENDER_NEW
        party_form = PartyForm(data if new else None, prefix=NEW_SENDER_PREFIX)
        return form, party_form
    message = item.message
    is_scan = message.kind == message.Kind.SCAN
    initial = {
        "title": title_of(message)[:500],
        "received_on": received_on_of(message),
        "channel": Channel.POST if is_scan else Channel.EMAIL,
        "keep_message": not is_scan,
    }
    party, new_sender = sender_of(message)
    if party is not None:
        initial["sender"] = party_label(party)
        initial["sender_party"] = str(party.pk)
    elif new_sender.get("name"):
        initial["sender_mode"] = InboxRegisterForm.SENDER_NEW
    form = InboxRegisterForm(initial=initial, user=user)
    party_form = PartyForm(initial=new_sender, prefix=NEW_SENDER_PREFIX)
    return form, party_form


class SetAsideForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it not registered?"),
        choices=[("", _("— choose the reason —")), *CLERK_REASONS],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “other reason”: e.g. the number of the registered original."),
    )


class EmailFilesField(forms.FileField):
    """One or more e-mail files; whether each is an e-mail is decided by its content
    (``registry.inbox.files_upload``), its size here."""

    widget = MultipleFileInput(
        attrs={"accept": ".eml,.msg,message/rfc822,application/vnd.ms-outlook"}
    )

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(_("Choose one or more e-mail files."), code="required")
        for uploaded in files:
            if uploaded.size > settings.INTAKE_MAX_BYTES:
                raise ValidationError(
                    _("%(name)s is larger than %(limit)s.")
                    % {"name": uploaded.name, "limit": filesizeformat(settings.INTAKE_MAX_BYTES)}
                )
        return files


class EmailFilesForm(forms.Form):
    files = EmailFilesField(
        label=_("E-mails saved from Outlook or a webmail"),
        help_text=_(
            "Files .eml or .msg; each becomes a message of the inbox with its attachments."
        ),
    )
