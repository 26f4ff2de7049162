"""The public forms of user support: searching the help, writing to support, rating an answer.
No login; everything a visitor types is checked here, the rules of tickets in
``helpdesk.services``.

The contact form carries a signed one-time key (``new_submission_key``): the view remembers
which ticket each key made, so a double click or a reload of the POST makes one ticket.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import submissions
from core.uploads import MultipleFileField
from core.validators import validate_registry_code
from helpdesk.models import Category

PUBLIC_FILE_KINDS = ("pdf", "png", "jpeg", "gif", "txt")
MAX_FILES = 5
RATINGS = [
    (5, _("5 – very good")),
    (4, _("4 – good")),
    (3, _("3 – fair")),
    (2, _("2 – poor")),
    (1, _("1 – very poor")),
]


def new_submission_key() -> str:
    """A fresh one-time key for the contact form (``core.submissions``: signed, not made up)."""
    return submissions.new_key()


def read_submission_key(value: str) -> uuid.UUID | None:
    """The key a form was sent with, or None when it is missing, tampered with or too old."""
    return submissions.read_key(value)


class SearchForm(forms.Form):
    """The search box of the public help (GET)."""

    q = forms.CharField(label=_("Search the help"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(autocomplete="off")

    @property
    def text(self) -> str:
        if not self.is_valid():
            return ""
        return " ".join(self.cleaned_data["q"].split())


class ContactForm(forms.Form):
    """A question to support: who asks, about what, and optional files."""

    name = forms.CharField(label=_("Your name"), max_length=255)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_(
            "The answer and a confirmation with the reference of your question are sent here."
        ),
    )
    registry_code = forms.CharField(
        label=_("Registry code"),
        required=False,
        max_length=8,
        validators=[validate_registry_code],
        help_text=_("If your question is about a business: its 8-digit registry code."),
    )
    category = forms.ChoiceField(label=_("Topic"))
    subject = forms.CharField(label=_("Subject"), max_length=255)
    message = forms.CharField(
        label=_("Your question"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)  # the honeypot

    honeypot_name = "website"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_spam = False
        self.submission_key: uuid.UUID | None = None
        self.fields["category"].choices = [
            ("", _("Choose a topic")),
            *((value, capfirst(label)) for value, label in Category.choices),
        ]
        for name, autocomplete in (("name", "name"), ("email", "email")):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["registry_code"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["subject"].widget.attrs["autocomplete"] = "off"
        size = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        self.fields["files"] = MultipleFileField(
            label=_("Attachments"),
            required=False,
            allowed=PUBLIC_FILE_KINDS,
            help_text=_(
                "Optional: a screenshot or a document. PDF, PNG, JPEG, GIF or TXT, at most "
                "%(size)s MB each, at most %(count)s files."
            )
            % {"size": size, "count": MAX_FILES},
        )
        self.fields["website"] = self.fields.pop("website")  # the honeypot last

    def clean_registry_code(self):
        return (self.cleaned_data.get("registry_code") or "").strip()

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("At most %(count)s files may be attached.") % {"count": MAX_FILES}
            )
        return files

    def clean(self):
        data = super().clean()
        if (self.data.get(self.honeypot_name) or "").strip():
            self.is_spam = True
            raise ValidationError(
                _("The message could not be sent. Check the data and send it again."),
                code="rejected",
            )
        self.submission_key = read_submission_key(self.data.get("submission_key", ""))
        if self.submission_key is None:
            self.add_error(None, _("The form has expired; please send it again."))
        return data

    def create_arguments(self) -> dict:
        """The keyword arguments of ``services.ticket_create`` the visitor gave."""
        data = self.cleaned_data
        return {
            "subject": data["subject"],
            "body": data["message"],
            "requester_name": data["name"],
            "requester_email": data["email"],
            "registry_code": data["registry_code"],
            "category": data["category"],
            "files": data["files"],
        }


class RatingForm(forms.Form):
    """The requester's rating (1–5) of the answer, and a comment."""

    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
