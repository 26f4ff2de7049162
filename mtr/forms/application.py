"""The public application form's second step: the applicant, the business, the area's own fields
(built from the area's field specifications), the declarations and the files; what it keeps is
JSON the processor reads back."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.validators import validate_registry_code
from mtr.forms.public import (
    ADDRESS_INPUTS,
    _multiple_upload_field,
    _upload_field,
    file_help,
    max_files,
    read_submission_key,
)
from mtr.models import ActivityArea, Application, Entry


def _extra_form_field(spec: dict) -> forms.Field:
    label, required = spec["label"], spec["required"]
    kind = spec.get("type", "text")
    if kind == "number":
        return forms.DecimalField(
            label=label, required=required, min_value=0, max_digits=12, decimal_places=2
        )
    if kind == "date":
        return forms.DateField(
            label=label,
            required=required,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    if kind == "bool":
        return forms.BooleanField(label=label, required=required)
    return forms.CharField(label=label, required=required, max_length=500)


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class ApplicationForm(forms.Form):
    """The application itself. ``area``, ``type`` and ``entry`` come from step 1."""

    business_name = forms.CharField(label=_("Name of the business"), max_length=255)
    registry_code = forms.CharField(
        label=_("Registry code"),
        max_length=8,
        validators=[validate_registry_code],
        help_text=_("The 8-digit code of the Estonian business register."),
    )
    address = forms.CharField(label=_("Address of the seat"), max_length=255)
    contact_person = forms.CharField(label=_("Contact person"), max_length=255)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("The receipt and every message about the application are sent here."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    more_addresses = forms.CharField(
        label=_("More addresses, one per line"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the data of this application are processed for the Register of "
            "Economic Activities under the General Part of the Economic Activities Code Act, and "
            "that the public register shows the business name, registry code, area of activity, "
            "addresses of operation, entry number and validity."
        ),
        error_messages={
            "required": _("Tick the box to agree, or the application cannot be filed.")
        },
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)  # the honeypot

    honeypot_name = "website"

    def __init__(self, *args, area: ActivityArea, type: str, entry: Entry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.area, self.type, self.entry = area, type, entry
        self.is_spam = False
        self.key_expired = False
        self.submission_key: uuid.UUID | None = None
        new = type == Application.Type.NEW
        termination = type == Application.Type.TERMINATION

        for name, autocomplete in (
            ("business_name", "organization"),
            ("address", "street-address"),
            ("contact_person", "name"),
            ("email", "email"),
            ("phone", "tel"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["registry_code"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.input_type = "tel"
        if entry is not None:
            # A change or termination is about the holder's own entry: the code is step 1's.
            self.fields["registry_code"].disabled = True
            self.fields["registry_code"].help_text = _(
                "The code of the business holding entry %(number)s."
            ) % {"number": entry.number}
            self.initial.setdefault("registry_code", entry.business.registry_code)
            self.initial.setdefault("business_name", entry.business.name)
            self.initial.setdefault("address", entry.business.address)

        self.address_names: list[str] = []
        self.extra_names: list[str] = []
        self.attachment_names: list[str] = []
        self.attachment_keys: dict[str, str] = {}
        if not termination:
            self._add_addresses(entry)
            self._add_area_fields(area, entry, required_files=new)
        else:
            del self.fields["more_addresses"]
        self.fields["other_files"] = _multiple_upload_field(
            label=_("Other attachments"),
            required=False,
            help_text=_("You may choose several files. %(types)s At most %(count)s files in all.")
            % {"types": file_help(), "count": max_files()},
        )
        # The consent and the honeypot last.
        self.fields["consent"] = self.fields.pop("consent")
        self.fields["website"] = self.fields.pop("website")

    def _add_addresses(self, entry: Entry | None) -> None:
        """The inputs of the addresses of operation (an entry's own filled in), and the text
        area for more after them."""
        current = list(entry.addresses) if entry is not None else []
        for index in range(1, ADDRESS_INPUTS + 1):
            name = f"address_{index}"
            self.fields[name] = forms.CharField(
                label=_("Address %(number)s") % {"number": index},
                required=index == 1,
                max_length=255,
            )
            self.fields[name].widget.attrs["autocomplete"] = "off"
            if len(current) >= index:
                self.initial.setdefault(name, current[index - 1])
            self.address_names.append(name)
        if len(current) > ADDRESS_INPUTS:
            self.initial.setdefault("more_addresses", "\n".join(current[ADDRESS_INPUTS:]))
        self.fields["more_addresses"] = self.fields.pop("more_addresses")  # after the inputs

    def _add_area_fields(self, area: ActivityArea, entry: Entry | None, *, required_files: bool):
        """The area's own fields (an entry's data filled in) and the attachments it asks for
        (required on a new application)."""
        for spec in area.extra_field_list():
            name = f"extra_{spec['key']}"
            self.fields[name] = _extra_form_field(spec)
            if entry is not None and spec["key"] in (entry.data or {}):
                self.initial.setdefault(name, entry.data[spec["key"]])
            self.extra_names.append(name)
        for item in area.attachment_list():
            name = f"file_{item['key']}"
            self.fields[name] = _upload_field(
                label=item["label"], required=required_files, help_text=file_help()
            )
            self.attachment_names.append(name)
            self.attachment_keys[name] = item["key"]

    # What the template shows in which group.
    BUSINESS_FIELDS = (
        "business_name",
        "registry_code",
        "address",
        "contact_person",
        "email",
        "phone",
    )

    def group(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def business_fields(self):
        return self.group(self.BUSINESS_FIELDS)

    @property
    def address_fields(self):
        return self.group([*self.address_names, "more_addresses"])

    @property
    def extra_fields(self):
        return self.group(self.extra_names)

    @property
    def attachment_fields(self):
        return self.group(self.attachment_names)

    @property
    def has_file_fields(self) -> bool:
        return True  # "other attachments" is always offered

    def clean_registry_code(self):
        return (self.cleaned_data.get("registry_code") or "").strip()

    def clean(self):
        data = super().clean()
        if (self.data.get(self.honeypot_name) or "").strip():
            self.is_spam = True
            raise ValidationError(
                _("The application could not be sent. Check the data and send it again."),
                code="rejected",
            )
        self.submission_key = read_submission_key(self.data.get("submission_key", ""))
        if self.submission_key is None:
            self.key_expired = True
            self.add_error(None, _("The form has expired; please send it again."))
        count = sum(1 for name in self.attachment_names if data.get(name)) + len(
            data.get("other_files") or []
        )
        if count > max_files():
            self.add_error(
                "other_files",
                _("At most %(count)s files may be attached in all.") % {"count": max_files()},
            )
        if self.address_names and not self.addresses():
            self.add_error(self.address_names[0], _("Give at least one address of operation."))
        return data

    def addresses(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        values = [data.get(name) or "" for name in self.address_names]
        values += (data.get("more_addresses") or "").splitlines()
        seen, result = set(), []
        for value in (v.strip() for v in values):
            if value and value not in seen:
                seen.add(value)
                result.append(value)
        return result

    def extra_data(self) -> dict:
        data = {}
        for name in self.extra_names:
            value = self.cleaned_data.get(name)
            if value is None or value == "":
                continue
            data[name.removeprefix("extra_")] = _json_value(value)
        return data

    def uploads(self) -> list[tuple[str, object]]:
        files = [
            (self.attachment_keys[name], self.cleaned_data[name])
            for name in self.attachment_names
            if self.cleaned_data.get(name)
        ]
        files += [("", file) for file in self.cleaned_data.get("other_files") or []]
        return files

    def submit_arguments(self) -> dict:
        """The keyword arguments of ``services.application_submit`` (without language)."""
        data = self.cleaned_data
        return {
            "area": self.area,
            "type": self.type,
            "entry": self.entry,
            "business_name": data["business_name"],
            "registry_code": data["registry_code"],
            "address": data["address"],
            "contact_person": data["contact_person"],
            "email": data["email"],
            "phone": data.get("phone") or "",
            # A termination ends the entry at the addresses it has.
            "addresses": self.addresses() if self.address_names else list(self.entry.addresses),
            "data": self.extra_data(),
            "submission_key": self.submission_key,
            "files": self.uploads(),
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ``ValidationError`` on the field it names (or above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        aliases = {
            "addresses": self.address_names[0] if self.address_names else None,
            "files": "other_files",
        }
        if self.entry is not None:
            aliases["entry"] = "registry_code"
        for key, errors in error.error_dict.items():
            name = aliases.get(key, key)
            if key.startswith("attachment_"):
                name = "file_" + key.removeprefix("attachment_")
            elif name not in self.fields and f"extra_{key}" in self.fields:
                name = f"extra_{key}"
            self.add_error(name if name in self.fields else None, errors)
