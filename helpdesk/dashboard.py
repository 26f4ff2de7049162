"""The helpdesk's part of the overview (core.dashboard): tickets against their SLA, those nobody
holds and the visitors in the building; for a specialist their own tickets, for the front desk
its visitors (in the desk's group, with the post)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dashboard import Group, Panel, Tile, link, tone
from helpdesk import selectors
from helpdesk.services import SOON

TICKETS = ("helpdesk.view_ticket", "helpdesk:ticket-list")


def _clock(user, counts: dict, **scope) -> list[Tile]:
    hours = int(SOON.total_seconds() // 3600)
    return [
        Tile(
            "tickets_breached",
            _("Tickets breaching their SLA"),
            counts["breached"],
            link(user, *TICKETS, **scope, sla="breached"),
            tone(counts["breached"], "danger"),
        ),
        Tile(
            "tickets_soon",
            ngettext(
                "SLA runs out within %(hours)d working hour",
                "SLA runs out within %(hours)d working hours",
                hours,
            )
            % {"hours": hours},
            counts["soon"],
            link(user, *TICKETS, **scope, sla="soon"),
            tone(counts["soon"], "warning"),
        ),
    ]


def _unassigned(user, counts: dict, note: str) -> Tile:
    return Tile(
        "tickets_unassigned",
        _("Tickets with nobody assigned"),
        counts["unassigned"],
        link(user, *TICKETS, assignee="none"),
        note=note,
    )


def _visitors(user, value: int) -> Tile:
    return Tile(
        "visitors",
        _("Visitors in the building now"),
        value,
        link(user, "helpdesk.view_visit", "helpdesk:visit-list"),
    )


def figures(today: date) -> dict:
    return {"counts": selectors.queue_counts(visitors=True)}


def department(user, figures: dict, today: date) -> Group:
    support = figures["counts"]
    unresolved = support["unresolved"]
    return Group(
        "support",
        _("User support and front desk"),
        [
            *_clock(user, support),
            _unassigned(
                user,
                support,
                ngettext("of %(count)d not resolved", "of %(count)d not resolved", unresolved)
                % {"count": unresolved},
            ),
            _visitors(user, support["visitors"]),
        ],
        link(user, *TICKETS),
        _("The support queue"),
    )


def mine(user, today: date) -> list[Group]:
    groups = []
    if user.has_perm("helpdesk.change_ticket"):
        counts = selectors.queue_counts(user=user)  # "unassigned": the whole queue's
        groups.append(
            Group(
                "support",
                _("My support tickets"),
                [
                    *_clock(user, counts, assignee="mine"),
                    Tile(
                        "tickets_mine",
                        _("Assigned to me, not resolved"),
                        counts["unresolved"],
                        link(user, *TICKETS, assignee="mine"),
                    ),
                    _unassigned(user, counts, _("in the whole queue")),
                ],
                link(user, *TICKETS, assignee="mine"),
                _("My tickets"),
            )
        )
    if user.has_perm("helpdesk.view_visit"):
        visitors = _visitors(user, selectors.visitors_in_building())
        groups.append(Group("desk", _("Front desk and mail"), [visitors]))
    return groups


PANEL = Panel("support", 30, figures=figures, department=department, mine=mine)
