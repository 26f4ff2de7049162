"""What every app's forms share: the date field as the portal types it, and a service's
refusal put on the form that asked for it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DayInput(forms.DateInput):
    """A date typed as dd.mm.yyyy: one Tab stop (a date picker has three), quick to type, and
    shown the same in every browser (a picker follows the browser's language, not ours: an
    English browser showed 12/19/2026 where the rest of the portal says 19.12.2026). An ISO date
    (2026-12-19) is accepted too (config/formats: DATE_INPUT_FORMATS)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("dd.mm.yyyy"), "autocomplete": "off", **(attrs or {})}
        )


def add_service_errors(form: forms.Form, error: ValidationError, field_map=None, default=None):
    """Put a service's ValidationError on the form: a message for a field next to the field
    (``field_map`` renames the service's keys to the form's fields), the rest above the form.
    ``default`` is the field that gets messages without a key."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = field_map.get(key, key)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(default if default in form.fields else None, error.messages)
