"""Control characters are refused in every text the portal takes in.

NUL and the other C0/C1 control characters (tab, line feed and carriage return excepted) and
DEL never belong in a name, a title or a letter; PostgreSQL refuses NUL outright (a 500 where a
user should have seen an error) and the others end up in PDFs, e-mail headers and CSV exports.
So they are refused in one place each for:

- **forms**: every ``forms.CharField`` of every form (``EmailField``, ``SlugField``, the admin's
  and django.contrib.auth's forms included) carries ``ControlCharactersValidator``; ``install``
  (called once in ``CoreConfig.ready``) adds it in ``BaseForm.full_clean``, so a new form cannot
  forget it, and a system check (core.E101) fails if it is missing. The form shows an error
  in the user's language and keeps what else was typed.
- **URLs**: ``core.middleware.HostileInputMiddleware`` answers 400 to a path or query string
  (keys and values) with such characters or with percent-encodings that are not UTF-8.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django import forms
from django.core import checks
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls except tab, LF and CR; DEL; C1 controls; lone surrogates (only possible in text
# that did not come from valid UTF-8).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a character no text input of the portal accepts."""
    return bool(CONTROL_CHARACTERS.search(text))


def is_clean_query(raw_query: str) -> bool:
    """Whether a raw query string (``QUERY_STRING``) decodes as UTF-8 to keys and values without
    control characters. Django itself would silently replace bad UTF-8 with U+FFFD."""
    for pair in raw_query.replace(";", "&").split("&"):
        try:
            text = unquote_to_bytes(pair.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
        if has_control_characters(text):
            return False
    return True


@deconstructible
class ControlCharactersValidator:
    """Refuses control characters except tab, line feed and carriage return.

    NUL is left to Django's own ``ProhibitNullCharactersValidator`` so the user sees one
    message, not two."""

    message = _("Remove the control characters (invisible special characters) from this text.")
    code = "control_characters"

    def __call__(self, value) -> None:
        if value is None:
            return
        text = str(value)
        if has_control_characters(text.replace("\x00", "")):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharactersValidator)

    def __hash__(self) -> int:
        return hash(self.code)


_original_full_clean = forms.BaseForm.full_clean


def _full_clean(self):
    for field in self.fields.values():
        if isinstance(field, forms.CharField) and not any(
            isinstance(v, ControlCharactersValidator) for v in field.validators
        ):
            field.validators.append(ControlCharactersValidator())
    _original_full_clean(self)


def install() -> None:
    """Give the text fields of every form the validator just before it is cleaned (idempotent).
    Done on the instance's fields when cleaning, so fields made before ``ready`` (admin, auth)
    or added in a form's ``__init__`` are covered too."""
    if forms.BaseForm.full_clean is not _full_clean:
        forms.BaseForm.full_clean = _full_clean


class _Probe(forms.Form):
    text = forms.CharField()


@checks.register(checks.Tags.security)
def check_installed(app_configs=None, **kwargs):
    """The validator must be on every form text field; fail ``check`` if the install is gone."""
    probe = _Probe(data={"text": "a\x01b"})
    if not probe.is_valid() and probe.has_error("text", ControlCharactersValidator.code):
        return []
    return [
        checks.Error(
            "Form text fields do not refuse control characters.",
            hint="core.textinput.install() must run in CoreConfig.ready().",
            id="core.E101",
        )
    ]
