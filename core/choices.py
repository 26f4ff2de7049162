"""Choices as lists and menus show them.

And choice fields whose options a page reads once for all its forms. A page with several forms
that each offer the same people (the document page: assign, give a task, share, hand over a
parcel) read the same list once per form: Django's ``ModelChoiceField`` reads its queryset again
every time its options are rendered. A :class:`ListedModelChoiceField` renders from
``field.listed`` when the view has set it (``share_options``), and validates against its
queryset as usual, so a submitted value is still checked against the database.

And the options of a list's filter card, remembered (:func:`remembered_choices`): every list page
shows its filters on every request, and reading the staff or the series for them cost a list
page a fifth of its time (issue 16). They are kept in the cache for ``FILTER_CHOICES_CACHE_SECONDS``
per language; a save or delete of a model some remembered options were read from (and any change
of a many-to-many relation: group membership, a group's permissions) starts a new generation, so
this process and every other that shares the cache reads them afresh. A process that never
rendered such options does not know what to watch: a change made there shows within the minute.
"""

from __future__ import annotations

import hashlib
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.forms.models import ModelChoiceIterator
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst
from django.utils.translation import get_language


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


GENERATION_KEY = "choices:generation"
_watched: set[str] = set()


def remembered_choices(field, user=None) -> list[tuple[str, str]]:
    """The options of ``field`` (a bound ``ModelChoiceField``: its form and name identify it) as
    (value, label) strings, the empty and "nobody" choices included, read from the database at
    most once per generation, language, asker and ``FILTER_CHOICES_CACHE_SECONDS``. Only for
    showing them: a submitted value is validated against the field's queryset as usual.

    Identified by the form's class and the field's name (compiling the queryset's SQL to tell
    them apart cost a millisecond): a FilterSet's form is named after the FilterSet, so FilterSet
    names are unique in the project (tests/core/test_choices.py checks it). Per asker, so options
    that depend on who asks stay theirs."""
    form_field = field.field
    form = type(field.form)
    identity = (form.__module__, form.__qualname__, field.name, getattr(user, "pk", None))
    name = hashlib.sha256(repr(identity).encode()).hexdigest()
    return remembered(
        name,
        lambda: [
            ("" if value is None else str(value), str(text)) for value, text in form_field.choices
        ],
        models=(form_field.queryset.model,),
    )


def remembered(name: str, build, *, models=()) -> list:
    """What ``build()`` gives (options that are not a model field's choices, e.g. a list of
    people for a plain choice field), remembered per ``name``, language and generation for at
    most ``FILTER_CHOICES_CACHE_SECONDS``; a save or delete of one of ``models`` starts a new
    generation."""
    for model in models:
        _watched.add(model._meta.label)
    key = f"choices:{name}:{get_language()}:{cache.get(GENERATION_KEY, 0)}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, settings.FILTER_CHOICES_CACHE_SECONDS)
    return found


def forget_choices() -> None:
    """Start a new generation of remembered options (every process sharing the cache)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _changed(sender, update_fields=None, **kwargs) -> None:
    # A sign-in saves the user's last_login: nothing an option shows.
    if sender._meta.label in _watched and set(update_fields or ()) != {"last_login"}:
        forget_choices()


def _relation_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        forget_choices()


post_save.connect(_changed, dispatch_uid="core.choices.saved")
post_delete.connect(_changed, dispatch_uid="core.choices.deleted")
m2m_changed.connect(_relation_changed, dispatch_uid="core.choices.related")
