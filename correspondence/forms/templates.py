"""The form of a letter template (the advisor's page). It only parses input: the placeholders
and the uniqueness of code and language are checked by ``services.template_save``, whose
messages the view puts next to the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from correspondence.models import LANGUAGES, LetterTemplate

#: The form's fields, in the order ``services.template_save`` takes them.
FIELDS = (
    "code",
    "language",
    "name",
    "subject",
    "body",
    "for_replies",
    "needs_signature",
    "is_active",
)


class TemplateForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_(
            "The same code joins the language versions of one template "
            "(letters, digits, hyphens), e.g. reply-extension."
        ),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    name = forms.CharField(label=_("Name"), max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        help_text=_("An empty line starts a new paragraph."),
    )
    for_replies = forms.BooleanField(
        label=_("For replies"),
        required=False,
        initial=True,
        help_text=_("Offered when replying to a document."),
    )
    needs_signature = forms.BooleanField(
        label=_("Letters need a signature"),
        required=False,
        help_text=_(
            "Letters from this template (decisions, official answers) are sent only after their "
            "signer signs them."
        ),
    )
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("A template not in use is not offered for new letters."),
    )

    @classmethod
    def for_template(cls, template: LetterTemplate, data=None) -> TemplateForm:
        """The form of an existing template (its values as the initial ones)."""
        initial = {name: getattr(template, name) for name in FIELDS}
        return cls(data, initial=initial)
