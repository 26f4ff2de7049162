"""Who holds what: the department's workload by person, composed from the apps' selectors, and the
head's reassignment of documents, MTR applications and tickets through each owning app's service
(which writes the object's timeline).

``rows(viewer)`` runs a fixed number of queries whatever the number of people and objects: one
grouped count per kind of work held (documents, tasks, applications, tickets; each read from an
index of the open work, see the apps' selectors) and one for the people, with, for each list,
whether it can be filtered by them (a link to a filter the list would refuse would show the wrong
rows). Each number links to the list that shows exactly those rows (tests compare them). The page
may keep these counts and names in the cache for a short time (they are the same for everybody
who sees the page; each viewer's links are made per request) and says when they were counted; a
reassignment through this page forgets them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from core.listing import Order
from core.workflow import locking
from helpdesk import selectors as helpdesk_selectors
from helpdesk import services as helpdesk_services
from helpdesk.models import QUEUE_TERMS, Ticket
from mtr import selectors as mtr_selectors
from mtr import services as mtr_services
from mtr.models import NO_DEADLINE_LAST, Application
from registry import selectors as registry_selectors
from registry import services as registry_services
from registry.forms.common import staff_users
from registry.models import Document

DOCUMENTS = "documents"
APPLICATIONS = "applications"
TICKETS = "tickets"
NOBODY = "none"  # the lists' filter value for "nobody holds it"
MAX_IDS = 500  # at most this many objects are moved by one request

# A person's lists on their workload page (core.listing keyset pages), the nearest deadline (or
# SLA) first as ``Kind.order``; each is one range of an index of the owning app that starts with
# the holder (registry_doc_resp_open, mtr_app_open_assignee, helpdesk_tkt_open_assignee).
DOCUMENT_NO_DEADLINE_LAST = Coalesce(
    "deadline", Value(date(9999, 12, 31)), output_field=DateField()
)
HELD_ORDERS = {
    DOCUMENTS: Order((DOCUMENT_NO_DEADLINE_LAST, "registered_on")),
    APPLICATIONS: Order((NO_DEADLINE_LAST, "submitted_at")),
    TICKETS: Order(QUEUE_TERMS),
}


# --- Kinds of work that can be given to somebody else ------------------------------------------


@dataclass(frozen=True)
class Kind:
    key: str
    holder: str  # the field that says who holds the object
    open: Callable[[], QuerySet]  # the objects still open, as the workload counts them
    order: Callable[[], list]  # deadline or SLA first
    eligible: Callable[[], QuerySet]  # who may be given them (the form's choices)
    number: Callable[[object], str]  # how the object is named in messages
    assign: Callable[..., object]  # the owning app's service: (actor, obj, to_user)
    refused: Callable[[object], str]  # the message when the target may not hold them


def _document_refused(user) -> str:
    return _("%(name)s may not hold documents.") % {"name": user}


def _application_refused(user) -> str:
    return _("%(name)s may not process applications.") % {"name": user}


def _ticket_refused(user) -> str:
    return _("%(name)s does not handle tickets.") % {"name": user}


KINDS: dict[str, Kind] = {
    DOCUMENTS: Kind(
        key=DOCUMENTS,
        holder="responsible",
        open=lambda: Document.objects.open(),
        order=lambda: [F("deadline").asc(nulls_last=True), "registered_on", "id"],
        eligible=staff_users,
        number=lambda document: document.number,
        assign=lambda actor, obj, to_user: registry_services.document_assign(
            actor=actor, document=obj, responsible=to_user
        ),
        refused=_document_refused,
    ),
    APPLICATIONS: Kind(
        key=APPLICATIONS,
        holder="assignee",
        open=lambda: Application.objects.open(),
        order=lambda: [F("deadline").asc(nulls_last=True), "submitted_at", "id"],
        eligible=mtr_services.processors,
        number=lambda application: application.tracking_code_display,
        assign=lambda actor, obj, to_user: mtr_services.application_assign(
            actor=actor, application=obj, assignee=to_user
        ),
        refused=_application_refused,
    ),
    TICKETS: Kind(
        key=TICKETS,
        holder="assignee",
        open=lambda: Ticket.objects.filter(status__in=helpdesk_selectors.OPEN_STATUSES),
        order=lambda: [*helpdesk_services.queue_order(), "id"],
        eligible=helpdesk_services.specialists,
        number=lambda ticket: ticket.reference,
        assign=lambda actor, obj, to_user: helpdesk_services.ticket_assign(
            actor=actor, ticket=obj, assignee=to_user
        ),
        refused=_ticket_refused,
    ),
}


def held(kind: str, person) -> QuerySet:
    """The open objects of ``kind`` that ``person`` holds, deadline (or SLA) first; tickets carry
    ``breached`` (a running SLA clock has passed its target)."""
    spec = KINDS[kind]
    queryset = spec.open().filter(**{spec.holder: person}).order_by(*spec.order())
    if kind == DOCUMENTS:
        return queryset.select_related("restriction_basis")
    if kind == APPLICATIONS:
        return queryset.select_related("area")
    breached = helpdesk_selectors.sla_breached_q(timezone.now())
    return queryset.annotate(breached=ExpressionWrapper(breached, output_field=BooleanField()))


def choices_by_kind(*, exclude) -> dict[str, list]:
    """Per kind, the people its objects may be given to (its ``eligible``, in its own order),
    without their present holder ``exclude``: one query for all kinds."""
    people = list(
        get_user_model()
        .objects.annotate(
            **{
                f"may_take_{kind}": Exists(spec.eligible().order_by().filter(pk=OuterRef("pk")))
                for kind, spec in KINDS.items()
            }
        )
        .filter(Q(*[(f"may_take_{kind}", True) for kind in KINDS], _connector=Q.OR))
        .exclude(pk=getattr(exclude, "pk", None))
    )
    result = {}
    for kind, spec in KINDS.items():
        order = [name.lstrip("-") for name in spec.eligible().query.order_by]
        result[kind] = sorted(
            (person for person in people if getattr(person, f"may_take_{kind}")),
            key=lambda person, order=order: [getattr(person, name) or "" for name in order],
        )
    return result


# --- Reassignment -------------------------------------------------------------------------------


def reassign(*, actor, kind: str, ids, to_user, from_user) -> tuple[list[str], list[str]]:
    """Give the open objects of ``kind`` among ``ids`` that ``from_user`` holds to ``to_user``,
    each through its app's service in a transaction of its own: one refused object does not undo
    the others. Ids of objects somebody else holds, or closed ones, are ignored.

    Returns (the numbers of the objects moved, the errors as "number: message")."""
    spec = KINDS[kind]
    if to_user.pk == from_user.pk:
        return [], [_("%(name)s holds them already.") % {"name": to_user}]
    if not spec.eligible().filter(pk=to_user.pk).exists():
        return [], [spec.refused(to_user)]
    ids = sorted({int(pk) for pk in ids})[:MAX_IDS]
    candidates = list(
        spec.open().filter(pk__in=ids, **{spec.holder: from_user}).order_by(*spec.order())
    )
    done: list[str] = []
    errors: list[str] = []
    for obj in candidates:
        number = spec.number(obj)
        try:
            with transaction.atomic():
                # Still open and still theirs once locked (someone may have moved it meanwhile).
                current = locking(spec.open()).filter(pk=obj.pk, **{spec.holder: from_user}).first()
                if current is None:
                    continue
                spec.assign(actor, current, to_user)
                transaction.on_commit(forget_counts)
        except ValidationError as error:
            errors.append(
                _("%(number)s: %(message)s")
                % {"number": number, "message": " ".join(error.messages)}
            )
        else:
            done.append(number)
    return done, errors


# --- The table of people ------------------------------------------------------------------------


@dataclass
class Figure:
    value: int = 0
    url: str = ""


@dataclass
class Row:
    person: object | None  # None: the work nobody holds
    name: str
    figures: dict[str, Figure] = field(default_factory=dict)
    total: int = 0

    def __getattr__(self, key: str) -> Figure:  # row.documents, row.tickets_breached
        figures = self.__dict__.get("figures", {})
        if key in figures:
            return figures[key]
        raise AttributeError(key)

    @property
    def cells(self) -> list[tuple[Figure, Figure, str]]:
        """The table's columns in order: (all, late, what "late" is called)."""
        return [
            (self.figures[key], self.figures[late], label)
            for key, late, label in (
                ("documents", "documents_late", _("overdue")),
                ("tasks", "tasks_late", _("late")),
                ("applications", "applications_late", _("overdue")),
                ("tickets", "tickets_breached", _("breaching SLA")),
            )
        ]


# Per figure: the selector's key, the permission the list needs, the list and its filters
# (``{pk}`` is the person's id or "none"), and who the list can be filtered by.
FIGURES = {
    "documents": (
        "registry.view_document",
        "registry:document-list",
        {"responsible": "{pk}", "status": Document.Status.OPEN},
        DOCUMENTS,
    ),
    "documents_late": (
        "registry.change_document",
        "registry:deadlines",
        {"responsible": "{pk}", "state": "overdue"},
        DOCUMENTS,
    ),
    "tasks": (None, None, {}, None),
    "tasks_late": (None, None, {}, None),
    "applications": (
        "mtr.view_application",
        "mtr:application-list",
        {"assignee": "{pk}"},
        APPLICATIONS,
    ),
    "applications_late": (
        "mtr.view_application",
        "mtr:application-list",
        {"assignee": "{pk}", "due": "overdue"},
        APPLICATIONS,
    ),
    "tickets": ("helpdesk.view_ticket", "helpdesk:ticket-list", {"assignee": "{pk}"}, TICKETS),
    "tickets_breached": (
        "helpdesk.view_ticket",
        "helpdesk:ticket-list",
        {"assignee": "{pk}", "sla": "breached"},
        TICKETS,
    ),
}
TOTALLED = ("documents", "tasks", "applications", "tickets")
# Every list can show the work nobody holds (responsible=none, assignee=none).
NO_NOBODY_FILTER: set[str] = set()


def _url(name: str, params: dict, pk) -> str:
    query = {key: (str(pk) if value == "{pk}" else value) for key, value in params.items()}
    query = {key: value for key, value in query.items() if value != "None"}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


COUNTS_KEY = "dashboard:workload:counts"


def counts() -> dict:
    """{"people": {person's id (None: nobody): {figure: count}}, "persons": the people who hold
    work or a role, each with ``may_filter_<kind>`` (whether that kind's list can be filtered
    by them), "counted_at": when}: one grouped query per kind of work and one for the people.
    Counts and names only, the same for everybody who sees the page."""
    people: dict = {}
    for figures in (
        registry_selectors.workload(),
        mtr_selectors.workload(),
        helpdesk_selectors.workload(),
    ):
        for pk, values in figures.items():
            people.setdefault(pk, {}).update(values)
    role_groups = [role.group for role in roles.ROLES]
    holders = [pk for pk in people if pk is not None]
    persons = list(
        get_user_model()
        .objects.filter(Q(pk__in=holders) | Q(is_active=True, groups__name__in=role_groups))
        .distinct()
        .only("id", "username", "first_name", "last_name", "is_active")
        .annotate(
            **{
                f"may_filter_{kind}": Exists(
                    KINDS[kind].eligible().order_by().filter(pk=OuterRef("pk"))
                )
                for kind in KINDS
            }
        )
        .order_by("last_name", "first_name", "username")
    )
    return {"people": people, "persons": persons, "counted_at": timezone.now()}


def cached_counts(max_age: int) -> dict:
    """``counts()`` at most ``max_age`` seconds old (0: counted now)."""
    if not max_age:
        return counts()
    figures = cache.get(COUNTS_KEY)
    if figures is None:
        figures = counts()
        cache.set(COUNTS_KEY, figures, max_age)
    return figures


def forget_counts() -> None:
    """After a reassignment here the head sees the counts it made at once."""
    cache.delete(COUNTS_KEY)


def rows(viewer, *, sort: str = "total", max_age: int = 0) -> tuple[list[Row], Row, object]:
    """One row per person who holds anything or holds a role, the most loaded first (or by name
    with ``sort="name"``), then the row of the work nobody holds; the department's sums; and
    when the counts were made (at most ``max_age`` seconds ago)."""
    figures = cached_counts(max_age)
    counts_by_person, people = figures["people"], figures["persons"]
    # Who each list can be filtered by, for the lists the viewer may open.
    filterable: dict[str, set] = {
        kind: {person.pk for person in people if getattr(person, f"may_filter_{kind}")}
        for permission, _list, _params, kind in FIGURES.values()
        if kind and viewer.has_perm(permission)
    }

    def row(person) -> Row:
        pk = person.pk if person else None
        values = counts_by_person.get(pk, {})
        result = Row(person=person, name=str(person) if person else _("Nobody"))
        for key, (permission, list_name, params, kind) in FIGURES.items():
            figure = Figure(values.get(key, 0))
            may_link = (
                list_name
                and figure.value
                and viewer.has_perm(permission)
                and (pk in filterable.get(kind, ()) if pk else key not in NO_NOBODY_FILTER)
            )
            if may_link:
                figure.url = _url(list_name, params, pk if pk else NOBODY)
            result.figures[key] = figure
        result.total = sum(result.figures[key].value for key in TOTALLED)
        return result

    result = [row(person) for person in people]
    if sort != "name":
        result.sort(key=lambda item: -item.total)  # stable: by name within the same total
    nobody = row(None)

    sums = Row(person=None, name=_("All"))
    for key, (permission, list_name, params, _kind) in FIGURES.items():
        value = sum(item.figures[key].value for item in [*result, nobody])
        figure = Figure(value)
        if list_name and value and viewer.has_perm(permission):
            figure.url = _url(list_name, params, None)
        sums.figures[key] = figure
    sums.total = sum(sums.figures[key].value for key in TOTALLED)
    return [*result, nobody], sums, figures["counted_at"]
