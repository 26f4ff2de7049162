"""Choices as lists and menus show them.

And choice fields whose options a page reads once for all its forms. A page with several forms
that each offer the same people (the document page: assign, give a task, share, hand over a
parcel) read the same list once per form: Django's ``ModelChoiceField`` reads its queryset again
every time its options are rendered. A :class:`ListedModelChoiceField` renders from
``field.listed`` when the view has set it (``share_options``), and validates against its
queryset as usual, so a submitted value is still checked against the database.
"""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst


def capitalised(choices) -> list[tuple[str, str]]:
    """Choices as a list shows them: "Letter", not "letter" (the labels are lower case for
    use inside sentences)."""
    return [(value, capfirst(label)) for value, label in choices]


class _ListedIterator(ModelChoiceIterator):
    def __iter__(self):
        listed = getattr(self.field, "listed", None)
        if listed is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in listed:
            yield self.choice(obj)

    def __len__(self):
        listed = getattr(self.field, "listed", None)
        if listed is None:
            return super().__len__()
        return len(listed) + (1 if self.field.empty_label is not None else 0)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that renders its options from ``listed`` when it is set."""

    iterator = _ListedIterator
    listed: list | None = None


def share_options(forms_, queryset) -> None:
    """Let every ``ListedModelChoiceField`` of ``forms_`` whose queryset is of the same model
    render its options from one reading of ``queryset``, made when the first of them is
    rendered (none if no form shows one)."""
    fields = [
        field
        for form in forms_
        if form is not None
        for field in form.fields.values()
        if isinstance(field, ListedModelChoiceField) and field.queryset.model is queryset.model
    ]
    listed = SimpleLazyObject(lambda: list(queryset))
    for field in fields:
        field.listed = listed
