"""The register's part of the overview (core.dashboard): documents and their deadlines, the
registration inbox and tasks; for the head also the deadlines by person and the most overdue
documents, for a person their own documents and tasks."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dashboard import Group, Panel, Tile, link, short_date, tone
from registry import selectors
from registry.models import Document, DocumentType

DEADLINES = ("registry.change_document", "registry:deadlines")
INBOX = ("registry.add_document", "registry:inbox")


def _due_soon(value: int, url: str, soon_until) -> Tile:
    days = settings.REGISTRY_DUE_SOON_WORKING_DAYS
    return Tile(
        "documents_due_soon",
        ngettext("Due within %(days)d working day", "Due within %(days)d working days", days)
        % {"days": days},
        value,
        url,
        tone(value, "warning"),
        _("by %(day)s") % {"day": short_date(soon_until)},
    )


def _inbox(user, value: int) -> Tile:
    """The registration inbox's messages not registered nor set aside (its "new" tab)."""
    return Tile(
        "inbox_new",
        _("Unregistered documents"),
        value,
        link(user, *INBOX, status="new"),
        tone(value, "warning"),
        _("in the registration inbox"),
    )


def figures(today: date) -> dict:
    counts = selectors.deadline_counts(today=today, inbox=True)
    due = Document.objects.open().filter(deadline__lte=counts["soon_until"])
    return {"counts": counts, "people": selectors.deadlines_by_person(due, today=today)}


def department(user, figures: dict, today: date) -> Group:
    documents = figures["counts"]
    soon_until = documents["soon_until"]
    request_days = settings.REGISTRY_INFORMATION_REQUEST_DAYS
    return Group(
        "documents",
        _("Documents and deadlines"),
        [
            Tile(
                "documents_overdue",
                _("Documents overdue"),
                documents["overdue"],
                link(user, *DEADLINES, state="overdue"),
                tone(documents["overdue"], "danger"),
            ),
            _due_soon(documents["due_soon"], link(user, *DEADLINES, state="due_soon"), soon_until),
            Tile(
                "information_requests",
                _("Information requests near their limit"),
                documents["requests_due"],
                link(
                    user,
                    "registry.view_document",
                    "registry:document-list",
                    doc_type=DocumentType.INFORMATION_REQUEST,
                    status=Document.Status.OPEN,
                    deadline_to=soon_until.isoformat(),
                    sort="deadline",
                ),
                tone(documents["requests_due"], "warning"),
                ngettext(
                    "%(days)d working day; overdue ones included",
                    "%(days)d working days; overdue ones included",
                    request_days,
                )
                % {"days": request_days},
            ),
            _inbox(user, documents["inbox_new"]),
            Tile(
                "tasks_late",
                _("Tasks past their due date"),
                documents["tasks_late"],
                tone=tone(documents["tasks_late"], "warning"),
                note=ngettext(
                    "of %(count)d active task", "of %(count)d active tasks", documents["tasks"]
                )
                % {"count": documents["tasks"]},
            ),
        ],
        link(user, *DEADLINES),
        _("All deadlines by person"),
    )


def department_extra(user, figures: dict, today: date) -> dict:
    """The most overdue documents the viewer may read, and the deadlines by person."""
    return {
        "most_overdue": selectors.most_overdue(viewer=user, today=today),
        "people": _people(user, figures["people"]),
    }


def _people(user, rows: list[dict]) -> list[dict]:
    """The deadline list's counts per person, most overdue first, each with its link."""
    rows = [dict(row) for row in rows]  # the cached rows stay as they were
    for row in rows:
        row["name"] = row["name"] or _("Nobody responsible")
        row["url"] = link(
            user,
            *DEADLINES,
            responsible=row["responsible_id"] or "none",
            state="overdue" if row["overdue"] else None,
        )
    rows.sort(key=lambda row: (-row["overdue"], -row["due_soon"], row["name"]))
    return rows


def mine(user, today: date) -> list[Group]:
    if not user.has_perm("registry.view_document"):
        return []
    may_register = user.has_perm(INBOX[0])
    documents = selectors.deadline_counts(user=user, today=today, inbox=may_register)
    work = link(user, None, "registry:my-documents")
    inbox = [_inbox(user, documents["inbox_new"])] if may_register else []
    group = Group(
        "documents",
        _("My documents and tasks"),
        [
            *inbox,
            Tile(
                "documents_overdue",
                _("My documents overdue"),
                documents["overdue"],
                work,
                tone(documents["overdue"], "danger"),
            ),
            _due_soon(documents["due_soon"], work, documents["soon_until"]),
            Tile(
                "documents_open",
                _("My open documents"),
                documents["open"],
                link(
                    user,
                    None,
                    "registry:document-list",
                    responsible=user.pk,
                    status=Document.Status.OPEN,
                ),
            ),
            Tile(
                "tasks",
                _("My active tasks"),
                documents["tasks"],
                work + "#tasks",
                tone(documents["tasks_late"], "warning"),
                ngettext(
                    "%(count)d past its due date",
                    "%(count)d past their due date",
                    documents["tasks_late"],
                )
                % {"count": documents["tasks_late"]},
            ),
        ],
        work,
        _("My work in the register"),
    )
    return [group]


def mine_extra(user, today: date) -> dict:
    """The most overdue of the user's own documents."""
    if not user.has_perm("registry.view_document"):
        return {}
    return {"most_overdue": selectors.most_overdue(user=user, viewer=user, today=today)}


PANEL = Panel(
    "documents",
    10,
    figures=figures,
    department=department,
    department_extra=department_extra,
    mine=mine,
    mine_extra=mine_extra,
)
