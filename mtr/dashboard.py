"""The MTR's part of the overview (core.dashboard): the processing queue against its deadlines,
for the head with the areas' processing times, for a processor their own applications."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from core import languages
from core.dashboard import Group, Panel, Tile, link, tone
from mtr import selectors

#: How far back the MTR areas' processing times are counted on the overview.
AREA_DAYS = 90

QUEUE = ("mtr.view_application", "mtr:application-list")


def _clock(user, counts: dict, **scope) -> list[Tile]:
    return [
        Tile(
            "mtr_overdue",
            _("Past the processing deadline"),
            counts["overdue"],
            link(user, *QUEUE, **scope, due="overdue"),
            tone(counts["overdue"], "danger"),
        ),
        Tile(
            "mtr_due_soon",
            _("Deadline within %(days)d days") % {"days": counts["soon_days"]},
            counts["due_soon"],
            link(user, *QUEUE, **scope, due="soon"),
            tone(counts["due_soon"], "warning"),
        ),
    ]


def figures(today: date) -> dict:
    return {
        "counts": selectors.queue_counts(today=today),
        "areas": selectors.areas(start=today - timedelta(days=AREA_DAYS), end=today),
    }


def department(user, figures: dict, today: date) -> Group:
    mtr = figures["counts"]
    return Group(
        "mtr",
        _("MTR applications"),
        [
            *_clock(user, mtr),
            Tile(
                "mtr_received",
                _("Received, not taken yet"),
                mtr["received"],
                link(user, *QUEUE, status="received"),
            ),
            Tile(
                "mtr_in_review",
                _("In review"),
                mtr["in_review"],
                link(user, *QUEUE, status="in_review"),
            ),
            Tile(
                "mtr_deficient",
                _("Waiting for missing data"),
                mtr["deficient"],
                link(user, *QUEUE, status="deficient"),
                note=_("the clock stands"),
            ),
        ],
        link(user, *QUEUE),
        _("The processing queue"),
    )


def department_extra(user, figures: dict, today: date) -> dict:
    """The areas' processing times, with each area's name in the active language."""
    language = languages.active()
    areas = [
        {**row, "area_name": row["names"].get(language) or row["names"]["et"]}
        for row in figures["areas"]
    ]
    return {"areas": areas, "area_days": AREA_DAYS}


def mine(user, today: date) -> list[Group]:
    if not user.has_perm("mtr.process_application"):
        return []
    mtr = selectors.queue_counts(user=user, today=today)  # "unassigned": the whole queue's
    return [
        Group(
            "mtr",
            _("My MTR applications"),
            [
                *_clock(user, mtr, assignee="mine"),
                Tile(
                    "mtr_mine",
                    _("Assigned to me, not decided"),
                    mtr["open"],
                    link(user, *QUEUE, assignee="mine"),
                ),
                Tile(
                    "mtr_unassigned",
                    _("Nobody has taken yet"),
                    mtr["unassigned"],
                    link(user, *QUEUE, assignee="none"),
                    note=_("in the whole queue"),
                ),
            ],
            link(user, *QUEUE, assignee="mine"),
            _("My queue"),
        )
    ]


PANEL = Panel(
    "mtr", 20, figures=figures, department=department, department_extra=department_extra, mine=mine
)
