"""Outgoing mail's part of the overview (core.dashboard): today's post, letters waiting for
approval and those whose sending failed; for a person their drafts (in the desk's group)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.dashboard import Group, Panel, Tile, link, short_date, tone
from correspondence import selectors

LETTERS = ("correspondence.view_letter", "correspondence:letter-list")


def _post(user, mail: dict) -> Tile:
    return Tile(
        "letters_for_post",
        _("Letters waiting for the post"),
        mail["for_post"],
        link(user, "correspondence.view_dispatchlist", "correspondence:dispatch-today"),
        note=_("dispatch list of %(day)s") % {"day": short_date(mail["post_day"])},
    )


def _failed(user, mail: dict) -> Tile:
    return Tile(
        "letters_failed",
        _("Letters whose sending failed"),
        mail["failed"],
        link(user, *LETTERS, status="failed"),
        tone(mail["failed"], "danger"),
    )


def figures(today: date) -> dict:
    return {"counts": selectors.mail_counts(today=today)}


def department(user, figures: dict, today: date) -> Group:
    mail = figures["counts"]
    return Group(
        "mail",
        _("Outgoing mail"),
        [
            _post(user, mail),
            Tile(
                "letters_to_approve",
                _("Letters waiting for approval"),
                mail["awaiting_approval"],
                link(user, *LETTERS, show="to_approve"),
                tone(mail["awaiting_approval"], "warning"),
            ),
            _failed(user, mail),
        ],
    )


def mine(user, today: date) -> list[Group]:
    """The post, the user's drafts and the failed letters, in the front desk's group."""
    if not user.has_perm("correspondence.add_letter"):
        return []
    mail = selectors.mail_counts(user=user, today=today)
    tiles = []
    if user.has_perm("correspondence.view_dispatchlist"):
        tiles.append(_post(user, mail))
    tiles.append(
        Tile(
            "letters_drafts",
            _("My letter drafts"),
            mail["drafts"],
            link(user, *LETTERS, show="my_drafts"),
        )
    )
    if user.has_perm("correspondence.send_letter"):
        tiles.append(_failed(user, mail))
    return [Group("desk", _("Front desk and mail"), tiles)]


PANEL = Panel("mail", 40, figures=figures, department=department, mine=mine)
