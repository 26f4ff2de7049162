"""A new party (sender or recipient) entered inline, e.g. in the registration form.

The form only parses and checks the input; registry.services.party_create writes it (and checks
the code again, so nothing bypasses the checksum).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.validators import validate_personal_code, validate_registry_code
from registry.models import Party


def party_label(party: Party) -> str:
    """How a party is named in a pick list and typed back: "Name (code)", "Name (e-mail)"."""
    extra = party.code or party.email
    return f"{party.name} ({extra})" if extra else party.name


def party_search(text: str, *, limit: int = 10):
    """Parties whose name, or a word of it, or whose code starts with ``text`` (accents ignored:
    "ounapuu" finds "Õunapuu")."""
    text = " ".join(text.split())[:100]
    if not text:
        return Party.objects.none()
    condition = (
        Q(name__unaccent__istartswith=text)
        | Q(name__unaccent__icontains=f" {text}")
        | Q(name__unaccent__icontains=f"-{text}")
        | Q(email__istartswith=text)
    )
    if text.isdigit():
        condition |= Q(code__startswith=text)
    return Party.objects.filter(condition).order_by("name", "id")[:limit]


class PartyForm(forms.Form):
    """A new sender: organisation or private person, with its code checked by its checksum."""

    is_private_person = forms.TypedChoiceField(
        label=_("The sender is"),
        choices=[
            ("False", pgettext_lazy("party kind", "an organisation")),
            ("True", pgettext_lazy("party kind", "a private person")),
        ],
        coerce=lambda value: value in (True, "True"),
        initial="False",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    code = forms.CharField(
        label=_("Personal or registry code"),
        max_length=11,
        required=False,
        help_text=_("Personal code of a person (11 digits), registry code of an organisation (8)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data.get("code", "").split())
        if not code:
            return code
        if self.cleaned_data.get("is_private_person"):
            validate_personal_code(code)
        else:
            validate_registry_code(code)
        if Party.objects.filter(code=code).exists():
            raise ValidationError(
                _("A party with this code already exists: choose it from the list of senders.")
            )
        return code

    def service_kwargs(self) -> dict:
        """Keyword arguments for services.party_create."""
        data = self.cleaned_data
        return {
            "is_private_person": data["is_private_person"],
            "name": data["name"],
            "code": data["code"],
            "address": data["address"],
            "email": data["email"],
            "phone": data["phone"],
        }
