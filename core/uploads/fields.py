"""Uploads in forms and models: the validator (deconstructible as core.uploads.UploadValidator),
the single and multiple file fields, and the model field that records active content."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy

from core.uploads.checking import _allowed_kinds, allowed_extensions, check_upload
from core.uploads.kinds import DEFAULT_KINDS


@deconstructible(path="core.uploads.UploadValidator")  # as the migrations name it
class UploadValidator:
    """Runs ``check_upload``; ``max_bytes=None`` means ``settings.UPLOAD_MAX_BYTES`` (read when
    a file is checked, so tests may override it)."""

    def __init__(self, max_bytes: int | None = None, allowed: Iterable[str] = DEFAULT_KINDS):
        self.max_bytes = max_bytes
        self.allowed = tuple(kind.key for kind in _allowed_kinds(allowed))

    def __call__(self, uploaded_file) -> None:
        max_bytes = self.max_bytes if self.max_bytes is not None else settings.UPLOAD_MAX_BYTES
        check_upload(uploaded_file, allowed=self.allowed, max_bytes=max_bytes)

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.max_bytes, self.allowed) == (
            other.max_bytes,
            other.allowed,
        )

    def __hash__(self) -> int:
        return hash((self.max_bytes, self.allowed))


def validate_upload(
    max_bytes: int | None = None, allowed: Iterable[str] = DEFAULT_KINDS
) -> UploadValidator:
    """A validator for a form or model ``FileField`` that runs ``check_upload``."""
    return UploadValidator(max_bytes=max_bytes, allowed=allowed)


class UploadField(forms.FileField):
    """A file field that checks the file's real content; its widget accepts only the allowed
    extensions in the browser's file picker."""

    def __init__(
        self, *, allowed: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None, **kwargs
    ):
        self.allowed = tuple(kind.key for kind in _allowed_kinds(allowed))
        self.max_bytes = max_bytes
        super().__init__(**kwargs)
        self.validators.append(UploadValidator(max_bytes=max_bytes, allowed=self.allowed))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(allowed_extensions(self.allowed))
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    """Several files at once (Django's recipe); each is checked, and the errors of all of them
    are shown. Cleans to a list of files."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for uploaded_file in files:
            try:
                cleaned.append(super().clean(uploaded_file, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


def active_content_field() -> models.CharField:
    """The field of a stored upload that says what active content its PDF carried (JavaScript,
    embedded files: ``core.pdf_active.flags_for``), for staff to see; every copy served has it
    stripped. One definition for the attachments of every app."""
    return models.CharField(
        gettext_lazy("active content"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=gettext_lazy(
            "What the PDF carried (core.pdf_active); removed from every copy served."
        ),
    )
