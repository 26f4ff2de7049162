"""Reads of the register that the dashboards use: deadline counts, who holds what, and the
figures of a period. Every function runs one aggregate query (the lists run two), whatever the
number of documents; ``user`` narrows the figures to that person's own work."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Trunc
from django.utils import timezone

from core.aggregates import DaysBetween, Median
from core.counts import aggregate_together, count_rows
from core.intake.models import InboundAttachment
from registry import deadlines
from registry.models import Direction, Document, DocumentType, InboxItem, Task


def deadline_counts(*, user=None, today: date | None = None, inbox: bool = False) -> dict:
    """Open documents overdue and due soon (within REGISTRY_DUE_SOON_WORKING_DAYS working days),
    active tasks and those past their due date, and with ``inbox`` the registration inbox's new
    messages (its "new" tab), in one query.

    Everybody's (the department's overview) adds the information requests due by the due-soon
    day, overdue ones included; it counts only the open documents due by then, one range of
    ``registry_doc_open_due`` read from the index alone, never the open documents without a
    deadline (a fifth of the register). One person's adds all the open documents they hold (a
    range of ``registry_doc_open_resp``)."""
    today = today or timezone.localdate()
    soon_until = deadlines.due_soon_until(today)
    documents = Document.objects.open()
    tasks = Task.objects.active()
    counted = {
        "overdue": count_rows(Q(deadline__lt=today)),
        "due_soon": count_rows(Q(deadline__gte=today, deadline__lte=soon_until)),
    }
    if user is None:
        documents = documents.filter(deadline__lte=soon_until)
        counted["requests_due"] = count_rows(Q(doc_type=DocumentType.INFORMATION_REQUEST))
    else:
        documents = documents.filter(responsible=user)
        tasks = tasks.filter(assignee=user)
        counted["open"] = count_rows()
    parts = {
        "documents": (documents, counted),
        "tasks": (tasks, {"tasks": count_rows(), "tasks_late": count_rows(Q(due_on__lt=today))}),
    }
    if inbox:
        parts["inbox"] = (
            InboxItem.objects.filter(status=InboxItem.Status.NEW),
            {"inbox_new": count_rows()},
        )
    counts = {}
    for values in aggregate_together(parts).values():
        counts.update(values)
    counts["soon_until"] = soon_until
    return counts


def deadlines_by_person(base: QuerySet, *, today: date) -> list[dict]:
    """Per responsible person (``responsible_id`` None: nobody) the overdue and due-soon
    documents of ``base`` (open documents due by the due-soon day), as the department's deadline
    list shows them; each row's ``name`` is the person's name ("" for nobody)."""
    rows = list(
        base.values(
            "responsible_id",
            "responsible__first_name",
            "responsible__last_name",
            "responsible__username",
        )
        .annotate(
            overdue=count_rows(Q(deadline__lt=today)),
            due_soon=count_rows(Q(deadline__gte=today)),
        )
        .order_by(
            F("responsible__last_name").asc(nulls_last=True),
            "responsible__first_name",
            "responsible__username",
        )
    )
    for row in rows:
        name = f"{row['responsible__first_name'] or ''} {row['responsible__last_name'] or ''}"
        row["name"] = name.strip() or row["responsible__username"] or ""
    return rows


def most_overdue(
    *, user=None, viewer=None, limit: int = 5, today: date | None = None
) -> list[Document]:
    """The open documents longest past their deadline, with whom they are held by; each has
    ``days_late``. A restricted one is shown by number alone to those who may not see it: with
    ``viewer``, each is marked ``title_visible`` (``Document.objects.visible_to``) in the same
    query."""
    today = today or timezone.localdate()
    documents = Document.objects.overdue(today)
    if user is not None:
        documents = documents.filter(responsible=user)
    if viewer is not None:
        visible = Document.objects.visible_to(viewer)
        documents = documents.annotate(
            title_visible=Value(False)
            if visible.query.is_empty()
            else Exists(visible.filter(pk=OuterRef("pk")))
        )
    rows = list(
        documents.select_related("responsible", "restriction_basis", "series").order_by(
            "deadline", "registered_on", "id"
        )[:limit]
    )
    for document in rows:
        document.days_late = (today - document.deadline).days
    return rows


def mark_title_visible(user, documents: list) -> list:
    """Marks each document ``title_visible`` when ``user`` may read its title: a restricted one
    is shown to the others by its number alone. One query."""
    visible = set(
        Document.objects.visible_to(user)
        .filter(pk__in=[document.pk for document in documents])
        .values_list("pk", flat=True)
    )
    for document in documents:
        document.title_visible = document.pk in visible
    return documents


def workload() -> dict[int | None, dict[str, int]]:
    """Per person (None: nobody) the open documents they hold, how many are overdue, and their
    active tasks and late tasks. Two queries."""
    today = timezone.localdate()
    people: dict[int | None, dict[str, int]] = {}
    for row in (
        Document.objects.open()
        .order_by()
        .values("responsible_id")
        .annotate(documents=count_rows(), documents_late=count_rows(Q(deadline__lt=today)))
    ):
        people.setdefault(row.pop("responsible_id"), {}).update(row)
    for row in (
        Task.objects.active()
        .order_by()
        .values("assignee_id")
        .annotate(tasks=count_rows(), tasks_late=count_rows(Q(due_on__lt=today)))
    ):
        people.setdefault(row.pop("assignee_id"), {}).update(row)
    return people


def _days_to_answer():
    return DaysBetween("closed_on", "registered_on")


def trend(*, start: date, end: date, kind: str, user=None) -> dict:
    """Incoming documents registered and answered per ``kind`` ("day", "week", "month") from
    ``start`` to ``end``, how many of the answered had a deadline and met it, and the median
    days to answer by type. Three queries.

    Returns {"registered": {bucket: n}, "answered": {bucket: n}, "with_deadline": {…},
    "on_time": {…}, "median_days": [(doc_type, median, count), …]} slowest first."""
    incoming = Document.objects.filter(direction=Direction.INCOMING)
    if user is not None:
        incoming = incoming.filter(responsible=user)
    registered = (
        incoming.filter(registered_on__range=(start, end))
        .order_by()
        .annotate(bucket=Trunc("registered_on", kind))
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    answered_rows = incoming.filter(
        status=Document.Status.ANSWERED, closed_on__range=(start, end)
    ).order_by()
    answered = (
        answered_rows.annotate(bucket=Trunc("closed_on", kind))
        .values("bucket")
        .annotate(
            n=Count("pk"),
            with_deadline=Count("pk", filter=Q(deadline__isnull=False)),
            on_time=Count("pk", filter=Q(deadline__isnull=False, closed_on__lte=F("deadline"))),
        )
    )
    by_type = (
        answered_rows.values("doc_type")
        .annotate(median=Median(_days_to_answer()), n=Count("pk"))
        .order_by("doc_type")
    )
    answered = list(answered)
    return {
        "registered": {row["bucket"]: row["n"] for row in registered},
        "answered": {row["bucket"]: row["n"] for row in answered},
        "with_deadline": {row["bucket"]: row["with_deadline"] for row in answered},
        "on_time": {row["bucket"]: row["on_time"] for row in answered},
        "median_days": sorted(
            ((row["doc_type"], row["median"], row["n"]) for row in by_type),
            key=lambda item: -(item[1] or 0),
        ),
    }


# --- Registration inbox -------------------------------------------------------------------------

#: The inbox list's tabs: status filter of each ("all": none).
INBOX_TABS = ("new", "registered", "dismissed", "all")


def inbox_items(*, status: str = "new", text: str = "") -> QuerySet:
    """The registration inbox's items of one tab (``INBOX_TABS``), newest first, with their
    message, mailbox and document, the number of files and of quarantined files: one query
    whatever the page holds. ``text`` searches the subject and the sender (name, e-mail)."""
    items = InboxItem.objects.select_related("message", "message__mailbox", "document")
    if status in InboxItem.Status.values:
        items = items.filter(status=status)
    text = " ".join(text.split())[:200]
    if text:
        items = items.filter(
            Q(message__subject__icontains=text)
            | Q(message__sender_email__icontains=text)
            | Q(message__sender_name__icontains=text)
        )
    deleted = InboundAttachment.Status.DELETED
    quarantined = InboundAttachment.Status.QUARANTINED
    return items.annotate(
        files=Count("message__attachments", filter=~Q(message__attachments__status=deleted)),
        quarantined=Count(
            "message__attachments", filter=Q(message__attachments__status=quarantined)
        ),
    ).order_by("-received_at", "-id")


def inbox_counts() -> dict[str, int]:
    """How many items wait in the registration inbox (the "my work" and overview tiles; the
    list's "new" tab shows exactly these). One query."""
    return InboxItem.objects.order_by().aggregate(
        new=Count("pk", filter=Q(status=InboxItem.Status.NEW)),
    )


def inbox_next(item: InboxItem) -> InboxItem | None:
    """The item a clerk goes on to after ``item``: the next older one not registered yet, else
    the newest one left. One query."""
    older = Q(received_at__lt=item.received_at) | Q(received_at=item.received_at, id__lt=item.id)
    return (
        InboxItem.objects.waiting()
        .exclude(pk=item.pk)
        .annotate(later=Case(When(older, then=Value(0)), default=Value(1)))
        .order_by("later", "-received_at", "-id")
        .first()
    )
