"""The timeline: every service records an Event for every state change it makes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import Event

_verb_labels: dict[str, str] = {}


def register_verbs(choices: type[models.TextChoices]) -> None:
    """Let the timeline name an app's verbs (call it from the app's AppConfig.ready())."""
    _verb_labels.update(dict(choices.choices))


def verb_label(verb: str) -> str:
    return str(_verb_labels.get(verb, verb.replace("_", " ")))


def verb_choices() -> list[tuple[str, str]]:
    return sorted(((key, str(label)) for key, label in _verb_labels.items()), key=lambda c: c[1])


class UnknownVerb(ValueError):
    """A verb no app registered: the timeline could not name it (a typo, or a string verb)."""


def check_verb(verb: str) -> str:
    """``verb`` if an app registered it (register_verbs), else UnknownVerb."""
    if verb not in _verb_labels:
        raise UnknownVerb(f"{verb!r} is no registered timeline verb (events.register_verbs)")
    return verb


def unsaved(*, actor, obj: models.Model, verb: str, data: dict | None = None) -> Event:
    """The Event ``record`` saves, not saved: for a service that inserts it in a statement of its
    own (``obj`` may not be saved yet; the caller then fills in object_id and object_repr).
    An unregistered verb is refused (UnknownVerb): every verb is named on the timeline."""
    check_verb(verb)
    return Event(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id="" if obj.pk is None else str(obj.pk),
        object_repr=str(obj)[:255],
        data=data or {},
    )


def record(*, actor, obj: models.Model, verb: str, data: dict | None = None) -> Event:
    """Record that ``actor`` (a user, or None for the system) did ``verb`` to ``obj``."""
    event = unsaved(actor=actor, obj=obj, verb=verb, data=data)
    event.save(force_insert=True)
    return event


def for_object(obj: models.Model):
    """The events of one object, newest first, with their actors (one query)."""
    return (
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )
        .select_related("actor")
        .order_by("-created", "-id")
    )


def by_actor(user, *, limit: int = 10):
    """What ``user`` did last, newest first."""
    return Event.objects.filter(actor=user).select_related("content_type")[:limit]
