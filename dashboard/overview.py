"""The overview's tiles: the numbers that need action today, each with the filtered list behind
it. ``department(user)`` is everybody's work, for the head and the administrator; ``mine(user)``
the same for one person's own work.

The tiles are the apps' own (``core.dashboard``: each app registers a panel in its
``dashboard.py``, with its figures, its links and who may follow them); this module only puts
them together, and knows no app's URL, filter or permission. Every number comes from the
owning app's selectors, and each link opens the list that shows exactly those rows (tests
compare them). A tile links only when the user may open its list.

The department's figures are one aggregate query per app (each read from an index of the open
or late work, never a whole table), the deadlines by person and the MTR areas; the page keeps
them in the cache for DASHBOARD_OVERVIEW_CACHE_SECONDS and says when they were counted. They are
counts and names that everybody who sees the department sees alike, so one cached copy serves
them all; each viewer's links and the most overdue documents' titles are worked out on every
request."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from core.dashboard import Group, Tile, merged, panels

__all__ = ["Group", "Tile", "cache_key", "department", "department_figures", "mine"]


def department_figures(*, today) -> dict:
    """The department's numbers, each app's under its panel's key. Only counts, dates and
    names, in no one language: what the cache keeps."""
    figures = {panel.key: panel.figures(today) for panel in panels() if panel.figures}
    return {**figures, "counted_at": timezone.now()}


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
    groups, context = [], {}
    for panel in panels():
        if not panel.figures:
            continue
        own = figures[panel.key]
        if panel.department:
            group = panel.department(user, own, today)
            if group is not None:
                groups.append(group)
        if panel.department_extra:
            context.update(panel.department_extra(user, own, today))
    return {
        **context,
        "groups": merged(groups),
        "today": today,
        "counted_at": figures["counted_at"],
    }


def mine(user) -> dict:
    """The overview of ``user``'s own work: what they hold and what their roles look after
    (the front desk's visitors and post for clerks, the property for the asset manager). Only
    the groups of the apps the user works in are built, so each runs its queries or none."""
    today = timezone.localdate()
    groups, context = [], {"most_overdue": []}
    for panel in panels():
        if panel.mine:
            groups.extend(panel.mine(user, today))
        if panel.mine_extra:
            context.update(panel.mine_extra(user, today))
    return {**context, "groups": merged(groups), "today": today, "counted_at": timezone.now()}
