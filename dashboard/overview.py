"""The overview's tiles: the numbers that need action today, each with the filtered list behind
it. Every number comes from the owning app's selectors, and each link opens the list that shows
exactly those rows (tests compare them). ``department(user)`` is everybody's work, for the head
and the administrator; ``mine(user)`` the same for one person's own work.

A tile links only when the user may open its list. The department's figures are one aggregate
query per app (each read from an index of the open or late work, never a whole table), the
deadlines by person and the MTR areas; the page keeps them in the cache for
DASHBOARD_OVERVIEW_CACHE_SECONDS and says when they were counted. They are counts and names that
everybody who sees the department sees alike, so one cached copy serves them all; each viewer's
links and the most overdue documents' titles are worked out on every request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assets import selectors as assets_selectors
from core import languages
from correspondence import selectors as mail_selectors
from helpdesk import selectors as helpdesk_selectors
from mtr import selectors as mtr_selectors
from registry import selectors as registry_selectors
from registry.models import Document, DocumentType

#: How far back the MTR areas' processing times are counted on the overview.
AREA_DAYS = 90

QUEUE = ("mtr.view_application", "mtr:application-list")
TICKETS = ("helpdesk.view_ticket", "helpdesk:ticket-list")
DEADLINES = ("registry.change_document", "registry:deadlines")
LETTERS = ("correspondence.view_letter", "correspondence:letter-list")
INBOX = ("registry.add_document", "registry:inbox")


@dataclass
class Tile:
    key: str
    label: str
    value: int
    url: str = ""
    tone: str = ""  # "danger": late now; "warning": soon late; "": for information
    note: str = ""


@dataclass
class Group:
    key: str
    title: str
    tiles: list[Tile] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


def _url(user, permission: str | None, name: str, **params) -> str:
    """The list's address with its filters, or "" when ``user`` may not open it."""
    if permission and not user.has_perm(permission):
        return ""
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return reverse(name) + (f"?{query}" if query else "")


def _tone(value: int, tone: str) -> str:
    return tone if value else ""


def _date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# --- Tiles both overviews show ------------------------------------------------------------------
# ``scope`` is the lists' filter of one person's own work ({"assignee": "mine"}), or nothing.


def _mtr_clock(user, counts: dict, **scope) -> list[Tile]:
    return [
        Tile(
            "mtr_overdue",
            _("Past the processing deadline"),
            counts["overdue"],
            _url(user, *QUEUE, **scope, due="overdue"),
            _tone(counts["overdue"], "danger"),
        ),
        Tile(
            "mtr_due_soon",
            _("Deadline within %(days)d days") % {"days": counts["soon_days"]},
            counts["due_soon"],
            _url(user, *QUEUE, **scope, due="soon"),
            _tone(counts["due_soon"], "warning"),
        ),
    ]


def _ticket_clock(user, counts: dict, **scope) -> list[Tile]:
    return [
        Tile(
            "tickets_breached",
            _("Tickets breaching their SLA"),
            counts["breached"],
            _url(user, *TICKETS, **scope, sla="breached"),
            _tone(counts["breached"], "danger"),
        ),
        Tile(
            "tickets_soon",
            _("SLA runs out within 2 working hours"),
            counts["soon"],
            _url(user, *TICKETS, **scope, sla="soon"),
            _tone(counts["soon"], "warning"),
        ),
    ]


def _unassigned_tickets(user, counts: dict, note: str) -> Tile:
    return Tile(
        "tickets_unassigned",
        _("Tickets with nobody assigned"),
        counts["unassigned"],
        _url(user, *TICKETS, assignee="none"),
        note=note,
    )


def _visitors(user, value: int) -> Tile:
    return Tile(
        "visitors",
        _("Visitors in the building now"),
        value,
        _url(user, "helpdesk.view_visit", "helpdesk:visit-list"),
    )


def _post(user, mail: dict) -> Tile:
    return Tile(
        "letters_for_post",
        _("Letters waiting for the post"),
        mail["for_post"],
        _url(user, "correspondence.view_dispatchlist", "correspondence:dispatch-today"),
        note=_("dispatch list of %(day)s") % {"day": _date(mail["post_day"])},
    )


def _failed_letters(user, mail: dict) -> Tile:
    return Tile(
        "letters_failed",
        _("Letters whose sending failed"),
        mail["failed"],
        _url(user, *LETTERS, status="failed"),
        _tone(mail["failed"], "danger"),
    )


def _missing_assets(user, assets: dict) -> Tile:
    return Tile(
        "assets_missing",
        _("Assets missing"),
        assets["missing"],
        _url(user, "assets.view_asset", "assets:asset-list", state="missing"),
        _tone(assets["missing"], "danger"),
        _("after stocktaking or reported"),
    )


def _rights_ending(user, assets: dict, *, permission: str | None, note: str = "") -> Tile:
    """The systems' page lists the rights ending in the systems the user may look after: all of
    them with ``permission`` (the department's count), else the user's own (their count)."""
    return Tile(
        "rights_ending",
        _("Access rights ending within %(days)d days") % {"days": assets["notice_days"]},
        assets["rights_ending"],
        _url(user, permission, "assets:system-list"),
        _tone(assets["rights_ending"], "warning"),
        note,
    )


def _disposals_waiting(user, assets: dict) -> Tile:
    return Tile(
        "disposals_waiting",
        _("Disposals waiting for approval"),
        assets["disposals_waiting"],
        _url(user, "assets.view_disposal", "assets:disposal-list", status="proposed"),
        _tone(assets["disposals_waiting"], "warning"),
    )


def _due_soon_documents(value: int, url: str, soon_until) -> Tile:
    return Tile(
        "documents_due_soon",
        ngettext(
            "Due within %(days)d working day",
            "Due within %(days)d working days",
            settings.REGISTRY_DUE_SOON_WORKING_DAYS,
        )
        % {"days": settings.REGISTRY_DUE_SOON_WORKING_DAYS},
        value,
        url,
        _tone(value, "warning"),
        _("by %(day)s") % {"day": _date(soon_until)},
    )


def _inbox(user, value: int) -> Tile:
    """The registration inbox's messages not registered nor set aside (its "new" tab)."""
    return Tile(
        "inbox_new",
        _("Unregistered documents"),
        value,
        _url(user, *INBOX, status="new"),
        _tone(value, "warning"),
        _("in the registration inbox"),
    )


# --- The department -----------------------------------------------------------------------------


def department_figures(*, today) -> dict:
    """The department's numbers: each app's counts (one query each), the deadlines by person and
    the MTR areas. Only counts, dates and names, in no one language: what the cache keeps."""
    documents = registry_selectors.deadline_counts(today=today, inbox=True)
    due = Document.objects.open().filter(deadline__lte=documents["soon_until"])
    return {
        "documents": documents,
        "mtr": mtr_selectors.queue_counts(today=today),
        "support": helpdesk_selectors.queue_counts(visitors=True),
        "mail": mail_selectors.mail_counts(today=today),
        "assets": assets_selectors.asset_counts(today=today),
        "people": registry_selectors.deadlines_by_person(due, today=today),
        "areas": mtr_selectors.areas(start=today - timedelta(days=AREA_DAYS), end=today),
        "counted_at": timezone.now(),
    }


def cache_key(today) -> str:
    return f"dashboard:overview:department:{today.isoformat()}"


def _cached_figures(today, max_age: int) -> dict:
    """The department's figures at most ``max_age`` seconds old (0: counted now)."""
    if not max_age:
        return department_figures(today=today)
    key = cache_key(today)
    figures = cache.get(key)
    if figures is None:
        figures = department_figures(today=today)
        cache.set(key, figures, max_age)
    return figures


def department(user, *, max_age: int = 0) -> dict:
    """Everybody's work: the groups of tiles, the most overdue documents, the deadlines by person
    and the MTR areas, slowest first. ``max_age``: the page may show figures counted that many
    seconds ago (``counted_at`` says when); the PDF and the digest count afresh."""
    today = timezone.localdate()
    figures = _cached_figures(today, max_age)
    documents, mtr, support = figures["documents"], figures["mtr"], figures["support"]
    mail, assets = figures["mail"], figures["assets"]
    soon_until = documents["soon_until"]
    groups = [
        Group(
            "documents",
            _("Documents and deadlines"),
            [
                Tile(
                    "documents_overdue",
                    _("Documents overdue"),
                    documents["overdue"],
                    _url(user, *DEADLINES, state="overdue"),
                    _tone(documents["overdue"], "danger"),
                ),
                _due_soon_documents(
                    documents["due_soon"], _url(user, *DEADLINES, state="due_soon"), soon_until
                ),
                Tile(
                    "information_requests",
                    _("Information requests near their limit"),
                    documents["requests_due"],
                    _url(
                        user,
                        "registry.view_document",
                        "registry:document-list",
                        doc_type=DocumentType.INFORMATION_REQUEST,
                        status=Document.Status.OPEN,
                        deadline_to=soon_until.isoformat(),
                        sort="deadline",
                    ),
                    _tone(documents["requests_due"], "warning"),
                    ngettext(
                        "%(days)d working day; overdue ones included",
                        "%(days)d working days; overdue ones included",
                        settings.REGISTRY_INFORMATION_REQUEST_DAYS,
                    )
                    % {"days": settings.REGISTRY_INFORMATION_REQUEST_DAYS},
                ),
                _inbox(user, documents["inbox_new"]),
                Tile(
                    "tasks_late",
                    _("Tasks past their due date"),
                    documents["tasks_late"],
                    tone=_tone(documents["tasks_late"], "warning"),
                    note=ngettext(
                        "of %(count)d active task", "of %(count)d active tasks", documents["tasks"]
                    )
                    % {"count": documents["tasks"]},
                ),
            ],
            _url(user, *DEADLINES),
            _("All deadlines by person"),
        ),
        Group(
            "mtr",
            _("MTR applications"),
            [
                *_mtr_clock(user, mtr),
                Tile(
                    "mtr_received",
                    _("Received, not taken yet"),
                    mtr["received"],
                    _url(user, *QUEUE, status="received"),
                ),
                Tile(
                    "mtr_in_review",
                    _("In review"),
                    mtr["in_review"],
                    _url(user, *QUEUE, status="in_review"),
                ),
                Tile(
                    "mtr_deficient",
                    _("Waiting for missing data"),
                    mtr["deficient"],
                    _url(user, *QUEUE, status="deficient"),
                    note=_("the clock stands"),
                ),
            ],
            _url(user, *QUEUE),
            _("The processing queue"),
        ),
        Group(
            "support",
            _("User support and front desk"),
            [
                *_ticket_clock(user, support),
                _unassigned_tickets(
                    user,
                    support,
                    ngettext(
                        "of %(count)d not resolved",
                        "of %(count)d not resolved",
                        support["unresolved"],
                    )
                    % {"count": support["unresolved"]},
                ),
                _visitors(user, support["visitors"]),
            ],
            _url(user, *TICKETS),
            _("The support queue"),
        ),
        Group(
            "mail",
            _("Outgoing mail"),
            [
                _post(user, mail),
                Tile(
                    "letters_to_approve",
                    _("Letters waiting for approval"),
                    mail["awaiting_approval"],
                    _url(user, *LETTERS, show="to_approve"),
                    _tone(mail["awaiting_approval"], "warning"),
                ),
                _failed_letters(user, mail),
            ],
        ),
        Group(
            "assets",
            _("Assets and IT rights"),
            [
                _missing_assets(user, assets),
                _rights_ending(user, assets, permission="assets.view_accessgrant"),
                _disposals_waiting(user, assets),
            ],
        ),
    ]
    return {
        "groups": groups,
        "most_overdue": registry_selectors.most_overdue(viewer=user, today=today),
        "people": _people(user, figures["people"]),
        "areas": _areas(figures["areas"]),
        "area_days": AREA_DAYS,
        "today": today,
        "counted_at": figures["counted_at"],
    }


def _areas(rows: list[dict]) -> list[dict]:
    """The areas' rows with the area's name in the active language."""
    language = languages.active()
    return [{**row, "area_name": row["names"].get(language) or row["names"]["et"]} for row in rows]


def _people(user, rows: list[dict]) -> list[dict]:
    """The deadline list's counts per person, most overdue first, each with its link."""
    rows = [dict(row) for row in rows]  # the cached rows stay as they were
    for row in rows:
        row["name"] = row["name"] or _("Nobody responsible")
        row["url"] = _url(
            user,
            *DEADLINES,
            responsible=row["responsible_id"] or "none",
            state="overdue" if row["overdue"] else None,
        )
    rows.sort(key=lambda row: (-row["overdue"], -row["due_soon"], row["name"]))
    return rows


# --- One person's own work ----------------------------------------------------------------------


def mine(user) -> dict:
    """The overview of ``user``'s own work: what they hold and what their roles look after
    (the front desk's visitors and post for clerks, the property for the asset manager). Only
    the groups of the apps the user works in are built, so each runs its queries or none."""
    today = timezone.localdate()
    groups = [
        group
        for group in (
            _my_documents(user, today),
            _my_applications(user, today),
            _my_tickets(user),
            _my_desk(user, today),
            _my_assets(user, today),
        )
        if group is not None
    ]
    most_overdue = []
    if user.has_perm("registry.view_document"):
        most_overdue = registry_selectors.most_overdue(user=user, viewer=user, today=today)
    return {
        "groups": groups,
        "most_overdue": most_overdue,
        "today": today,
        "counted_at": timezone.now(),
    }


def _my_documents(user, today) -> Group | None:
    if not user.has_perm("registry.view_document"):
        return None
    may_register = user.has_perm(INBOX[0])
    documents = registry_selectors.deadline_counts(user=user, today=today, inbox=may_register)
    work = _url(user, None, "registry:my-documents")
    inbox = [_inbox(user, documents["inbox_new"])] if may_register else []
    return Group(
        "documents",
        _("My documents and tasks"),
        [
            *inbox,
            Tile(
                "documents_overdue",
                _("My documents overdue"),
                documents["overdue"],
                work,
                _tone(documents["overdue"], "danger"),
            ),
            _due_soon_documents(documents["due_soon"], work, documents["soon_until"]),
            Tile(
                "documents_open",
                _("My open documents"),
                documents["open"],
                _url(
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
                _tone(documents["tasks_late"], "warning"),
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


def _my_applications(user, today) -> Group | None:
    if not user.has_perm("mtr.process_application"):
        return None
    mtr = mtr_selectors.queue_counts(user=user, today=today)  # "unassigned": the whole queue's
    return Group(
        "mtr",
        _("My MTR applications"),
        [
            *_mtr_clock(user, mtr, assignee="mine"),
            Tile(
                "mtr_mine",
                _("Assigned to me, not decided"),
                mtr["open"],
                _url(user, *QUEUE, assignee="mine"),
            ),
            Tile(
                "mtr_unassigned",
                _("Nobody has taken yet"),
                mtr["unassigned"],
                _url(user, *QUEUE, assignee="none"),
                note=_("in the whole queue"),
            ),
        ],
        _url(user, *QUEUE, assignee="mine"),
        _("My queue"),
    )


def _my_tickets(user) -> Group | None:
    if not user.has_perm("helpdesk.change_ticket"):
        return None
    mine_counts = helpdesk_selectors.queue_counts(user=user)  # "unassigned": the whole queue's
    return Group(
        "support",
        _("My support tickets"),
        [
            *_ticket_clock(user, mine_counts, assignee="mine"),
            Tile(
                "tickets_mine",
                _("Assigned to me, not resolved"),
                mine_counts["unresolved"],
                _url(user, *TICKETS, assignee="mine"),
            ),
            _unassigned_tickets(user, mine_counts, _("in the whole queue")),
        ],
        _url(user, *TICKETS, assignee="mine"),
        _("My tickets"),
    )


def _my_desk(user, today) -> Group | None:
    """The front desk's visitors, today's post, the user's drafts and the failed letters."""
    tiles = []
    if user.has_perm("helpdesk.view_visit"):
        tiles.append(_visitors(user, helpdesk_selectors.visitors_in_building()))
    if user.has_perm("correspondence.add_letter"):
        mail = mail_selectors.mail_counts(user=user, today=today)
        if user.has_perm("correspondence.view_dispatchlist"):
            tiles.append(_post(user, mail))
        tiles.append(
            Tile(
                "letters_drafts",
                _("My letter drafts"),
                mail["drafts"],
                _url(user, *LETTERS, show="my_drafts"),
            )
        )
        if user.has_perm("correspondence.send_letter"):
            tiles.append(_failed_letters(user, mail))
    return Group("desk", _("Front desk and mail"), tiles) if tiles else None


def _my_assets(user, today) -> Group | None:
    """The property for the asset manager; the rights ending in the systems a main user looks
    after for everybody else who looks after one."""
    if not (user.has_perm("assets.view_asset") or user.main_systems.exists()):
        return None
    see_all = user.has_perm("assets.view_accessgrant")
    assets = assets_selectors.asset_counts(user=None if see_all else user, today=today)
    note = "" if see_all else _("in the systems you look after")
    rights = _rights_ending(user, assets, permission=None, note=note)
    if not user.has_perm("assets.view_asset"):
        return Group("assets", _("Assets and IT rights"), [rights])
    tiles = [_missing_assets(user, assets), _disposals_waiting(user, assets), rights]
    return Group("assets", _("Assets and IT rights"), tiles)
