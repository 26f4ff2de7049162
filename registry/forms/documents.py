"""The registration form of incoming documents (letters, requests, parcels…).

The form parses and resolves the input (the sender typed by name, the earlier document typed by
its number); registry.services.document_register checks the rules and writes. Its field names are
the keys of the service's ValidationErrors (series, received_on, sender, carrier, deadline,
restriction_end, …), so a refused registration shows its message next to the right field.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ListedModelChoiceField, capitalised, share_options
from core.forms import DayInput
from core.uploads import MultipleFileField
from registry import deadlines
from registry.forms.common import staff_users
from registry.forms.parties import party_label, party_search
from registry.models import (
    DELIVERY_CHANNELS,
    Channel,
    Document,
    DocumentType,
    Party,
    RestrictionBasis,
    Series,
)
from registry.services import SERIES_DEFAULT, WITHHELD_WITHOUT_REASON

# An incoming document's types: a reply is registered from the document it answers.
INCOMING_TYPES = [choice for choice in DocumentType.choices if choice[0] != DocumentType.REPLY]
NO_RESTRICTION = "none"
# What a registered document's files may be (DOMAIN.md): PDF, DOCX, ODT, images, signed
# containers and e-mails. Size: settings.UPLOAD_MAX_BYTES.
FILE_KINDS = (
    *("pdf", "docx", "odt", "rtf", "doc", "xlsx", "ods", "xls", "html", "txt"),
    *("png", "jpeg", "tiff", "gif", "asice", "eml"),
)
LABEL_WITH_EXTRA = re.compile(r"(?P<name>.+?)\s*\((?P<extra>[^()]+)\)\s*")


def resolve_party(text: str) -> list[Party]:
    """The parties a typed sender may mean: "Name (code)" or "Name (e-mail)" as the pick list
    offers it, a bare code, or a bare name (all parties of that name)."""
    text = " ".join(text.split())
    if not text:
        return []
    match = LABEL_WITH_EXTRA.fullmatch(text)
    if match:
        extra = match["extra"].strip()
        found = list(
            Party.objects.filter(name__iexact=match["name"]).filter(
                Q(code=extra) | Q(email__iexact=extra)
            )[:2]
        )
        if found:
            return found
    if text.isdigit():
        return list(Party.objects.filter(code=text)[:1])
    return list(Party.objects.filter(name__iexact=text).order_by("name", "id")[:20])


class DocumentRegisterForm(forms.Form):
    SENDER_EXISTING = "existing"
    SENDER_NEW = "new"

    doc_type = forms.ChoiceField(
        label=_("Type"), choices=capitalised(INCOMING_TYPES), initial=DocumentType.LETTER
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=capitalised(DELIVERY_CHANNELS), initial=Channel.POST
    )
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.select_related("default_restriction_basis"),
        empty_label=_("— choose the series —"),
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=DayInput(),
        help_text=_(
            "It is registered today (on a day off, the next working day). Received before the "
            "last working day, it is registered late: the register keeps both days."
        ),
    )
    sender_mode = forms.ChoiceField(
        label=_("Sender"),
        choices=[
            (SENDER_EXISTING, _("from the list")),
            (SENDER_NEW, _("new sender")),
        ],
        initial=SENDER_EXISTING,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    sender = forms.CharField(
        label=_("Name or code"),
        max_length=300,
        required=False,
        help_text=_("Type a name or a code and choose from the list."),
        widget=forms.TextInput(attrs={"list": "sender-options", "autocomplete": "off"}),
    )
    sender_party = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=500)
    sender_reference = forms.CharField(label=_("Sender's number"), max_length=100, required=False)
    sender_date = forms.DateField(label=_("Sender's date"), required=False, widget=DayInput())
    responsible = ListedModelChoiceField(
        label=_("Responsible person"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— nobody yet —"),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DayInput(),
        help_text=_("Not for types whose deadline the law sets (e.g. information requests)."),
    )
    restriction_basis = forms.ChoiceField(label=_("Access restriction"), required=False, initial="")
    restriction_end = forms.DateField(
        label=_("Restricted until"),
        required=False,
        widget=DayInput(),
        help_text=_("Empty: the longest the basis allows."),
    )
    parent_number = forms.CharField(
        label=_("Earlier document of the matter"),
        max_length=40,
        required=False,
        help_text=_("Its register number, e.g. 1-2/26-014."),
    )
    files = MultipleFileField(
        label=_("Files"),
        allowed=FILE_KINDS,
        required=False,
        help_text=_(
            "Documents (PDF, DOCX, ODT, RTF, DOC, spreadsheets, HTML, text), images and scans, "
            "signed containers (.asice, .bdoc) or e-mails (.eml)."
        ),
    )
    public_files = forms.TypedChoiceField(
        label=_("The files in the public register"),
        choices=[
            ("", _("As the law says: public; a private person's kept back until checked")),
            ("yes", _("Public")),
            ("no", _("Not published (write why)")),
        ],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        help_text=_(
            "Files of an unrestricted document are public (AvTS § 12 (4¹)); a restricted "
            "document's files never are."
        ),
    )
    withheld_reason = forms.CharField(
        label=_("Why the files are not published"),
        max_length=500,
        required=False,
        help_text=_("E.g. a scan with a signature, someone's personal data, copyright."),
    )
    carrier = forms.CharField(
        label=_("Carrier"), max_length=100, required=False, help_text=_("E.g. Omniva, DPD.")
    )
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=100, required=False)
    handed_to = ListedModelChoiceField(
        label=_("Handed to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— not yet —"),
    )
    receipt_signed_by = forms.CharField(
        label=_("Receipt signed by"), max_length=255, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.sender_candidates: list[Party] = []
        staff = staff_users()
        self.fields["responsible"].queryset = staff
        self.fields["handed_to"].queryset = staff
        share_options([self], staff)  # both fields' options from one query
        self.fields["restriction_basis"].choices = [
            ("", _("Series default")),
            (NO_RESTRICTION, _("No restriction")),
            *[
                (str(basis.pk), str(basis))
                for basis in RestrictionBasis.objects.filter(is_active=True)
            ],
        ]
        # A closed series is not offered; sent anyway (an old tab), the service says it is closed.
        self.open_series = list(Series.objects.open().select_related("default_restriction_basis"))
        self.fields["series"].widget.choices = [
            ("", self.fields["series"].empty_label),
            *[(series.pk, str(series)) for series in self.open_series],
        ]
        self.fields["received_on"].initial = timezone.localdate
        self.fields["doc_type"].widget.attrs.update(
            {
                "autofocus": True,
                "data-fixed-deadline": " ".join(
                    value for value, _label in INCOMING_TYPES if deadlines.is_fixed_by_law(value)
                ),
            }
        )
        self.fields["sender"].widget.attrs.update(
            {
                # htmx fills the <datalist> as the clerk types; without JavaScript the typed
                # name or code is resolved when the form is sent.
                "hx-get": reverse("registry:party-search"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#sender-options",
                "hx-swap": "innerHTML",
                "hx-params": "sender",
                "hx-sync": "this:replace",
            }
        )

    def series_defaults(self) -> dict[str, str]:
        """Each open series' default restriction, for the hint next to the restriction field."""
        return {
            str(series.pk): str(series.default_restriction_basis or "")
            for series in self.open_series
        }

    def clean_restriction_basis(self):
        value = self.cleaned_data.get("restriction_basis") or ""
        if value == "":
            return SERIES_DEFAULT
        if value == NO_RESTRICTION:
            return None
        basis = RestrictionBasis.objects.filter(pk=value, is_active=True).first()
        if basis is None:
            raise ValidationError(_("Choose a basis from the list."))
        return basis

    def clean_parent_number(self):
        number = " ".join(self.cleaned_data.get("parent_number", "").split())
        if not number:
            return None
        parent = Document.objects.visible_to(self.user).filter(number=number).first()
        if parent is None:
            raise ValidationError(
                _("No document %(number)s in the register."), params={"number": number}
            )
        return parent

    def clean(self):
        data = super().clean()
        if data.get("doc_type") and deadlines.is_fixed_by_law(data["doc_type"]):
            data["deadline"] = None
        if data.get("sender_mode") == self.SENDER_EXISTING:
            data["sender_party"] = self._clean_sender(data)
        else:
            data["sender_party"] = None
        if data.get("doc_type") == DocumentType.PARCEL and not data.get("carrier"):
            self.add_error("carrier", _("Enter the carrier of the parcel."))
        if data.get("public_files") is False and not (data.get("withheld_reason") or "").strip():
            self.add_error("withheld_reason", WITHHELD_WITHOUT_REASON)
        return data

    def _clean_sender(self, data) -> Party | None:
        """The sender picked from the list (its id came with it), or the one the typed text
        names; several candidates are offered to choose from (this works without JavaScript)."""
        text = " ".join(data.get("sender", "").split())
        chosen_pk = data.get("sender_party") or ""
        chosen = Party.objects.filter(pk=chosen_pk).first() if chosen_pk.isdigit() else None
        if chosen is not None and text.lower() in ("", party_label(chosen).lower()):
            return chosen
        if not text:
            self.add_error("sender", _("Choose the sender or add a new one."))
            return None
        found = resolve_party(text)
        if len(found) == 1:
            return found[0]
        candidates = found or list(party_search(text, limit=10))
        if chosen is not None and chosen in candidates:
            return chosen  # chosen below among several
        self.sender_candidates = candidates
        if found:
            message = _("Several senders have this name: choose one below.")
        elif candidates:
            message = _("Choose the sender below, or add a new sender.")
        else:
            message = _("No sender “%(text)s” found: check the spelling or add a new sender.") % {
                "text": text
            }
        self.add_error("sender", message)
        return None

    def service_kwargs(self) -> dict:
        """Keyword arguments for services.document_register (all but actor and sender)."""
        data = self.cleaned_data
        parcel = None
        if data["doc_type"] == DocumentType.PARCEL:
            parcel = {
                "carrier": data["carrier"],
                "tracking_code": data["tracking_code"],
                "handed_to": data["handed_to"],
                "receipt_signed_by": data["receipt_signed_by"],
            }
        return {
            "series": data["series"],
            "doc_type": data["doc_type"],
            "channel": data["channel"],
            "title": data["title"],
            "received_on": data["received_on"],
            "responsible": data["responsible"],
            "parent": data["parent_number"],
            "sender_reference": data["sender_reference"],
            "sender_date": data["sender_date"],
            "deadline": data["deadline"],
            "restriction_basis": data["restriction_basis"],
            "restriction_end": data["restriction_end"],
            "files": data["files"] or [],
            "public_files": data["public_files"],
            "withheld_reason": data["withheld_reason"],
            "parcel": parcel,
        }
