"""The forms of the letter pages: compose or edit a letter (with its addressees as a small
formset), and the small action forms of a letter's page.

The forms only parse and resolve the input (an addressee typed by name or picked from the list,
the template chosen); correspondence.services checks the rules and writes. Field names are the
keys of the services' ValidationErrors (subject, body, series, addressees, …) so a refused letter
shows each message next to its field.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import DayInput
from core.uploads import MultipleFileField, UploadField
from correspondence import services
from correspondence.models import LANGUAGES, Channel, LetterTemplate
from registry.forms.documents import resolve_party
from registry.forms.parties import party_label, party_search
from registry.models import Party, Series

MAX_ADDRESSEES = 5
ADDRESSEE_ROWS = 3  # rows shown at first; "More addressees" shows MAX_ADDRESSEES


def signers():
    """Active people who work with letters (and superusers): who may sign one."""
    permission = Q(
        groups__permissions__codename__in=["view_letter", "approve_letter"],
        groups__permissions__content_type__app_label="correspondence",
    ) | Q(
        user_permissions__codename__in=["view_letter", "approve_letter"],
        user_permissions__content_type__app_label="correspondence",
    )
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(
        pk__in=get_user_model().objects.filter(permission | Q(is_superuser=True)).values("pk")
    ).order_by("last_name", "first_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        name = str(user)
        return f"{name}, {user.job_title}" if getattr(user, "job_title", "") else name


def template_choices(*, for_replies: bool, language: str | None = None) -> list:
    """Active templates as <optgroup>s by language (the chosen template sets the letter's
    language); only the templates for replies when replying, the others otherwise."""
    templates = LetterTemplate.objects.filter(is_active=True, for_replies=for_replies)
    if language:
        templates = templates.filter(language=language)
    groups = {code: [] for code, _label in LANGUAGES}
    for template in templates.order_by("name", "id"):
        groups[template.language].append((template.pk, template.name))
    choices = [("", _("— no template —"))]
    for code, label in LANGUAGES:
        if groups[code]:
            choices.append((capfirst(label), groups[code]))
    return choices


class LetterForm(forms.Form):
    """The letter itself: series (a letter not answering anything), template, language, subject,
    text, signer, approval and files. ``mode`` is "new", "reply" or "edit": a reply is
    registered in the series of the document it answers, and a saved letter keeps its series,
    language and files (files are added on the registered document's page)."""

    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("— choose the series —"),
        help_text=_("The letter is registered in this series of the classification scheme."),
    )
    template = forms.TypedChoiceField(
        label=_("Template"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(label=_("Language of the letter"), choices=LANGUAGES, initial="et")
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Paragraphs are separated by an empty line. The placeholders below are filled in "
            "when the PDF is made."
        ),
    )
    signer = PersonChoiceField(label=_("Signer"), queryset=get_user_model().objects.none())
    needs_approval = forms.BooleanField(
        label=_("Needs the head's approval before it is sent"), required=False
    )
    needs_signature = forms.BooleanField(
        label=_("Needs the signer's signature before it is sent"),
        required=False,
        help_text=_(
            "The letter is sent only with a signed container (DigiDoc, Smart-ID or Mobile-ID) "
            "whose signature is valid."
        ),
    )
    files = MultipleFileField(
        label=_("Attachments"),
        allowed=services.LETTER_FILE_KINDS,
        required=False,
        help_text=_("PDF, DOCX, ODT, XLSX, ODS or images; they are sent with the letter."),
    )

    def __init__(
        self, *args, mode: str = "new", is_reply: bool = False, language: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.mode = mode
        self.fields["signer"].queryset = signers()
        # A saved letter keeps its language: only its templates are offered.
        self.fields["template"].choices = template_choices(
            for_replies=is_reply, language=language if mode == "edit" else None
        )
        if mode == "new":
            self.fields["series"].queryset = Series.objects.open().select_related("function")
            self.fields["series"].required = True
        else:
            del self.fields["series"]
        if mode == "edit":
            del self.fields["language"]
            del self.fields["files"]
        self.fields["body"].widget.attrs["aria-describedby"] = "placeholders-help"

    def clean_template(self):
        pk = self.cleaned_data.get("template")
        if pk is None:
            return None
        template = LetterTemplate.objects.filter(pk=pk, is_active=True).first()
        if template is None:
            raise ValidationError(_("Choose a template from the list."))
        return template

    def chosen_template(self, data) -> LetterTemplate | None:
        """The template the "Use the template" button asks for (the form need not be valid)."""
        value = str(data.get(self.add_prefix("template")) or "")
        if not value.isdigit():
            return None
        allowed = {
            pk for _group, items in self.fields["template"].choices[1:] for pk, _name in items
        }
        if int(value) not in allowed:
            return None
        return LetterTemplate.objects.filter(pk=int(value), is_active=True).first()


class AddresseeForm(forms.Form):
    """One addressee: a party typed (or picked from the list the search fills) and the channel
    the letter goes to them by. Several parties of one name are offered as a choice."""

    party = forms.CharField(
        label=_("Addressee"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"list": "party-options", "autocomplete": "off"}),
    )
    party_id = forms.CharField(required=False, widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(value, capfirst(label)) for value, label in Channel.choices],
        initial=Channel.POST,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: list[Party] = []
        self.fields["party"].widget.attrs.update(
            {
                # htmx fills the shared <datalist> as the clerk types; without JavaScript the
                # typed name or code is resolved when the form is sent.
                "hx-get": reverse("correspondence:letter-party-search"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#party-options",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )

    def clean(self):
        data = super().clean()
        text = " ".join((data.get("party") or "").split())
        chosen_pk = data.get("party_id") or ""
        chosen = Party.objects.filter(pk=chosen_pk).first() if chosen_pk.isdigit() else None
        data["party_obj"] = None
        if chosen is not None and text.lower() in ("", party_label(chosen).lower()):
            data["party_obj"] = chosen
            return data
        if not text:
            return data  # an empty row
        found = resolve_party(text)
        if len(found) == 1:
            data["party_obj"] = found[0]
            return data
        candidates = found or list(party_search(text, limit=10))
        if chosen is not None and chosen in candidates:
            data["party_obj"] = chosen
            return data
        self.candidates = candidates
        if found:
            message = _("Several parties have this name: choose one below.")
        elif candidates:
            message = _("Choose the addressee below.")
        else:
            message = _(
                "No party “%(text)s” in the register: check the spelling, or register the "
                "party first."
            ) % {"text": text}
        self.add_error("party", message)
        return data


class BaseAddresseeFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if not self.addressees():
            raise ValidationError(_("Add at least one addressee."))

    def addressees(self) -> list[services.Addressee]:
        return [
            services.Addressee(
                party=form.cleaned_data["party_obj"], channel=form.cleaned_data["channel"]
            )
            for form in self.forms
            if form.cleaned_data.get("party_obj") is not None
        ]

    def add_service_errors(self, messages) -> None:
        """The service's messages about the addressees, above the rows."""
        self._non_form_errors = self.error_class(
            [*self.non_form_errors(), *messages], error_class="nonform", renderer=self.renderer
        )


def addressee_formset(*args, rows: int = ADDRESSEE_ROWS, initial=None, **kwargs):
    """The addressees' formset with ``rows`` rows (the initial ones first)."""
    initial = list(initial or [])[:MAX_ADDRESSEES]
    rows = min(
        max(rows, len(initial) + (1 if len(initial) < MAX_ADDRESSEES else 0)), MAX_ADDRESSEES
    )
    formset_class = forms.formset_factory(
        AddresseeForm,
        formset=BaseAddresseeFormSet,
        extra=rows - len(initial),
        max_num=MAX_ADDRESSEES,
        absolute_max=MAX_ADDRESSEES,
        validate_max=True,
    )
    return formset_class(*args, initial=initial, prefix="addressees", **kwargs)


def default_channel(party: Party, preferred: str | None = None) -> str:
    """The channel a party is first offered: the one it wrote by, if it can be used, else
    e-mail when it has an address, else post."""
    if preferred == Channel.EMAIL and party.email:
        return Channel.EMAIL
    if preferred in (Channel.POST, Channel.HAND, Channel.DHX) and (
        party.address or preferred != Channel.POST
    ):
        return preferred
    if party.email:
        return Channel.EMAIL
    return Channel.POST


# --- Action forms on a letter's page ------------------------------------------------------------


class ReturnForm(forms.Form):
    prefix = "return"

    comment = forms.CharField(
        label=_("What should be changed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author gets the comment by e-mail; the letter becomes a draft again."),
    )


class CancelForm(forms.Form):
    prefix = "cancel"

    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignForm(forms.Form):
    prefix = "sign"

    container = UploadField(
        label=_("Signed container"),
        allowed=("asice",),
        help_text=_(
            "The letter signed in DigiDoc (.asice or .bdoc). It is kept as it is and sent instead "
            "of the PDF."
        ),
    )


class PhoneSignForm(forms.Form):
    """The signer signs on the phone through the signing gateway (SiGa)."""

    prefix = "phone"

    method = forms.ChoiceField(
        label=_("Sign with"),
        choices=[("smartid", _("Smart-ID")), ("mobileid", _("Mobile-ID"))],
        initial="smartid",
        widget=forms.RadioSelect,
    )
    person_code = forms.CharField(
        label=_("Your personal code"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile-ID phone number"),
        max_length=20,
        required=False,
        help_text=_("Only for Mobile-ID, e.g. +37251234567."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class TrackingForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Tracking code"), max_length=40, help_text=_("E.g. RR123456785EE.")
    )


class DeliveredForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivery notice date"), widget=DayInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReturnedForm(forms.Form):
    returned_on = forms.DateField(label=_("Came back on"), widget=DayInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("E.g. not collected, addressee moved, mailbox full."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"returned_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
