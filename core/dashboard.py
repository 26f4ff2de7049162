"""The overview's tiles, contributed by the apps (as ``core.navigation`` takes their menu items).

Each app registers a ``Panel`` in its ``AppConfig.ready`` (``<app>/dashboard.py``): the
department's figures it counts (one query or a few; counts, dates and names only, which the
overview keeps in the cache), the group of tiles it shows the head from those figures, what else
of the department's page it adds (the most overdue documents, the MTR areas), and the groups of
one person's own work. A tile knows its list's address with the filters that show exactly its
rows, and links only when the viewer may open that list: the app that owns the list says so,
and the dashboard app knows no app's URL, filter or permission.

Groups of several apps with the same key are one group on the page, their tiles in the panels'
order (the front desk's visitors and its post)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats


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


def link(user, permission: str | None, name: str, **params) -> str:
    """The list's address with its filters, or "" when ``user`` may not open it."""
    if permission and not user.has_perm(permission):
        return ""
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return reverse(name) + (f"?{query}" if query else "")


def tone(value: int, name: str) -> str:
    """``name`` ("danger", "warning") when there is something to act on, else none."""
    return name if value else ""


def short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


Figures = Callable[[date], dict]
DepartmentGroup = Callable[[object, dict, date], "Group | None"]
Extra = Callable[[object, dict, date], dict]
MyGroups = Callable[[object, date], "list[Group]"]


@dataclass(frozen=True)
class Panel:
    """One app's part of the overview.

    - ``figures(today)`` counts the department's numbers (kept in the cache);
    - ``department(user, figures, today)`` is the head's group built from them;
    - ``department_extra(user, figures, today)`` adds to the department page's context (names
      the dashboard's template shows: the most overdue documents, the MTR areas);
    - ``mine(user, today)`` the groups of one person's own work (none when the user does not
      work in the app), ``mine_extra(user, today)`` what it adds to that page's context."""

    key: str
    order: int
    figures: Figures | None = None
    department: DepartmentGroup | None = None
    department_extra: Extra | None = None
    mine: MyGroups | None = None
    mine_extra: Callable[[object, date], dict] | None = None


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def merged(groups: list[Group]) -> list[Group]:
    """Groups of the same key as one (at the first one's place, the tiles in order); a group
    with no tiles is left out."""
    by_key: dict[str, Group] = {}
    for group in groups:
        if group.key in by_key:
            by_key[group.key].tiles.extend(group.tiles)
        else:
            by_key[group.key] = group
    return [group for group in by_key.values() if group.tiles]
