"""Status changes: one mechanism for every stateful model (issue 17).

A ``Workflow`` names a model's ``Transition``s: where each may start, where it leads, who may
make it, a guard that says why not, and the timeline verb it records. A service locks the row,
moves it and saves it in its own transaction::

    application = WORKFLOW.lock(application)
    WORKFLOW.move(application, "grant", actor=actor)
    application.save(update_fields=["status", ...])

``move`` raises ``Refused`` (a ValidationError, shown to the user as it is) when the transition
does not start from the row's status, the actor lacks the permission, or the guard refuses.
Views and templates ask ``available(obj, user)`` which actions to offer, so each rule lives once,
here, and never again in a view.

Rows are locked with ``SELECT … FOR UPDATE OF <table>`` (joined rows are read, not locked), and
several rows in the order of their keys, so two writers locking the same rows cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import events
from core.models import Event

Guard = Callable[[models.Model], "str | None"]


# Every workflow made (the tests check each one's verbs are registered, once apps are ready).
WORKFLOWS: list[Workflow] = []


def locking(queryset: models.QuerySet, *, skip_locked: bool = False) -> models.QuerySet:
    """``queryset``'s own rows locked until the end of the transaction (``FOR UPDATE OF`` its
    table: rows it joins are read, not locked). The one way a row is locked outside a workflow:
    an edit that changes no status, a queue taken by workers (``skip_locked``)."""
    return queryset.select_for_update(of=("self",), skip_locked=skip_locked)


class Refused(ValidationError):
    """A transition that may not be made now; its message says why, in the user's language."""


class Forbidden(PermissionDenied):
    """The actor may not make this transition at all (its permission, or ``may``): a 403."""


@dataclass(frozen=True)
class Transition:
    """One way a row's status may change.

    ``target`` None is an action that keeps the status (recorded all the same). ``guard(obj)``
    returns the refusal text, or None when the move may be made. ``permission`` (an
    "app.codename") and ``may(obj, user)`` (who, of those, may: e.g. only the task's assignee)
    are checked for a signed-in actor; the system (actor None) is trusted. ``verb`` None is a
    move that is one step of a larger one its caller records (a letter's copy leaving with the
    letter, which records "sent" once for all its copies)."""

    name: str
    sources: frozenset[str]
    target: str | None
    verb: str | None = Event.Verb.STATUS_CHANGED
    permission: str | None = None
    guard: Guard | None = None
    label: str = ""
    may: Callable[[models.Model, object], bool] | None = None
    denied: str = ""  # said to a user ``may`` refuses ("You may not do this." otherwise)
    # When ``may`` says no: the user may never do this (a 403), or only not to this row (a
    # refusal with ``denied``: four eyes, where the proposer is a head like any other).
    may_forbids: bool = True
    wrong_status: str = ""  # said when the row's status is not among ``sources``
    by_system: bool = False  # made only by the system (actor None): never offered to a user

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(self.sources))


class Workflow:
    """The transitions of one model's status field (``field``). ``related`` are joined when
    the row is locked (read, not locked: FOR UPDATE OF the row's own table). ``effect(obj, old,
    at)`` is called on every move after the status is set: what a change of status does to the
    row's other fields whichever transition made it (e.g. a ticket's SLA clock). ``timeline(obj)``
    is the object whose timeline records the moves when it is not the row itself (a task's
    moves are on its document's timeline). ``wrong_status(obj)`` says why nothing can be done
    from the row's status, where the general "cannot be done when the status is …" says too
    little (e.g. "already registered as 3-1/26-17")."""

    def __init__(
        self,
        model: type[models.Model],
        transitions: Iterable[Transition],
        *,
        field: str = "status",
        related: tuple[str, ...] = (),
        effect: Callable[[models.Model, str, datetime], None] | None = None,
        timeline: Callable[[models.Model], models.Model] | None = None,
        wrong_status: Callable[[models.Model], str] | None = None,
    ) -> None:
        self.timeline = timeline
        self.wrong_status = wrong_status
        self.model = model
        self.field = field
        self.related = related
        self.effect = effect
        self.transitions = tuple(transitions)
        self.by_name = {t.name: t for t in self.transitions}
        if len(self.by_name) != len(self.transitions):
            raise ValueError(f"{model.__name__}: two transitions share a name")
        states = {value for value, _label in model._meta.get_field(field).choices}
        for transition in self.transitions:
            unknown = (transition.sources | ({transition.target} - {None})) - states
            if unknown:
                raise ValueError(f"{model.__name__}.{transition.name}: no state {unknown}")
        WORKFLOWS.append(self)

    # --- Locking ---------------------------------------------------------------------------

    def locked(self) -> models.QuerySet:
        return locking(self.model._default_manager.select_related(*self.related))

    def lock(self, obj: models.Model) -> models.Model:
        """The row again, locked until the end of the transaction (call inside one)."""
        return self.locked().get(pk=obj.pk)

    def lock_all(self, queryset: models.QuerySet) -> list[models.Model]:
        """Several rows locked in the order of their keys (no deadlock between two writers)."""
        pks = queryset.values("pk")
        return list(self.locked().filter(pk__in=pks).order_by("pk"))

    # --- Asking ----------------------------------------------------------------------------

    def transition(self, name: str) -> Transition:
        return self.by_name[name]

    def state(self, obj: models.Model) -> str:
        return getattr(obj, self.field)

    def refusal(self, obj: models.Model, name: str, user=None) -> str | None:
        """Why ``user`` may not make transition ``name`` on ``obj`` now; None when they may."""
        reason, _forbidden = self._check(obj, name, user)
        return reason

    def forbids(self, obj: models.Model, name: str, user) -> bool:
        """Whether ``user`` may never make transition ``name`` on ``obj``, whatever its status."""
        transition = self.by_name[name]
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if transition.by_system:
            return True
        if transition.permission and not user.has_perm(transition.permission):
            return True
        return transition.may is not None and not transition.may(obj, user)

    def check(self, obj: models.Model, name: str, user) -> None:
        """Raise what ``move`` would (Forbidden, Refused) without moving: for a service that
        does its work first and moves (and records it, with the work's results) at the end."""
        reason, forbidden = self._check(obj, name, user)
        if forbidden:
            raise Forbidden(reason)
        if reason:
            raise Refused(reason, code="refused")

    def require(self, obj: models.Model, name: str, user) -> None:
        """Forbidden unless ``user`` may make transition ``name`` (checked before the form)."""
        reason, forbidden = self._check(obj, name, user)
        if forbidden:
            raise Forbidden(reason)

    def _check(self, obj: models.Model, name: str, user) -> tuple[str | None, bool]:
        transition = self.by_name[name]
        if self.forbids(obj, name, user):
            if transition.permission and not user.has_perm(transition.permission):
                return str(_("You may not do this.")), True
            return str(transition.denied or _("You may not do this.")), transition.may_forbids
        if self.state(obj) not in transition.sources:
            if transition.wrong_status:
                return str(transition.wrong_status), False
            if self.wrong_status is not None:
                return str(self.wrong_status(obj)), False
            return (
                str(
                    _("This cannot be done when the status is “%(status)s”.")
                    % {"status": self._status_label(obj)}
                ),
                False,
            )
        if transition.guard is not None:
            reason = transition.guard(obj)
            if reason:
                return str(reason), False
        return None, False

    def allows(self, obj: models.Model, name: str, user=None) -> bool:
        return self.refusal(obj, name, user) is None

    def available(self, obj: models.Model, user=None) -> dict[str, bool]:
        """Every transition's name → whether ``user`` may make it now (what a page offers)."""
        return {name: self.allows(obj, name, user) for name in self.by_name}

    def can_reach(self, obj: models.Model, target: str) -> bool:
        """Whether some transition leads from ``obj``'s status to ``target`` (guards aside)."""
        state = self.state(obj)
        return any(t.target == target and state in t.sources for t in self.transitions)

    # --- Moving ----------------------------------------------------------------------------

    def move(
        self,
        obj: models.Model,
        name: str,
        /,
        *,
        actor,
        trusted: bool = False,
        at: datetime | None = None,
        **data,
    ) -> str:
        """Make transition ``name`` on ``obj`` (locked by the caller, who saves it): check it,
        set the status, apply the workflow's effect (as of ``at``, now by default), record the
        event (from, to and ``data``). Returns the old status.

        The actor's permission is checked unless ``trusted`` (a service moving a row as the
        consequence of another decision, e.g. an entry ended by a granted termination)."""
        self.check(obj, name, None if trusted else actor)
        transition = self.by_name[name]
        old = self.state(obj)
        if transition.target is not None:
            setattr(obj, self.field, transition.target)
            if self.effect is not None:
                self.effect(obj, old, at or timezone.now())
        if transition.verb is None:
            pass  # one step of a move its caller records
        elif self.timeline is None:
            events.record(
                actor=actor,
                obj=obj,
                verb=transition.verb,
                data={"from": old, "to": self.state(obj), **data},
            )
        else:  # on another object's timeline the verb says what happened (the row's own
            # from/to would read as that object's)
            events.record(actor=actor, obj=self.timeline(obj), verb=transition.verb, data=data)
        return old

    def _status_label(self, obj: models.Model) -> str:
        display = getattr(obj, f"get_{self.field}_display", None)
        return str(display()) if display else self.state(obj)
