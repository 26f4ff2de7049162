"""The assets' part of the overview (core.dashboard): assets missing, access rights ending and
disposals waiting; for a main user of a system the rights ending in their systems."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from assets import selectors
from core.dashboard import Group, Panel, Tile, link, tone


def _missing(user, assets: dict) -> Tile:
    return Tile(
        "assets_missing",
        _("Assets missing"),
        assets["missing"],
        link(user, "assets.view_asset", "assets:asset-list", state="missing"),
        tone(assets["missing"], "danger"),
        _("after stocktaking or reported"),
    )


def _rights_ending(user, assets: dict, *, permission: str | None, note: str = "") -> Tile:
    """The systems' page lists the rights ending in the systems the user may look after: all of
    them with ``permission`` (the department's count), else the user's own (their count)."""
    return Tile(
        "rights_ending",
        _("Access rights ending within %(days)d days") % {"days": assets["notice_days"]},
        assets["rights_ending"],
        link(user, permission, "assets:system-list"),
        tone(assets["rights_ending"], "warning"),
        note,
    )


def _disposals_waiting(user, assets: dict) -> Tile:
    return Tile(
        "disposals_waiting",
        _("Disposals waiting for approval"),
        assets["disposals_waiting"],
        link(user, "assets.view_disposal", "assets:disposal-list", status="proposed"),
        tone(assets["disposals_waiting"], "warning"),
    )


def figures(today: date) -> dict:
    return {"counts": selectors.asset_counts(today=today)}


def department(user, figures: dict, today: date) -> Group:
    assets = figures["counts"]
    return Group(
        "assets",
        _("Assets and IT rights"),
        [
            _missing(user, assets),
            _rights_ending(user, assets, permission="assets.view_accessgrant"),
            _disposals_waiting(user, assets),
        ],
    )


def mine(user, today: date) -> list[Group]:
    """The property for the asset manager; the rights ending in the systems a main user looks
    after for everybody else who looks after one."""
    if not (user.has_perm("assets.view_asset") or user.main_systems.exists()):
        return []
    see_all = user.has_perm("assets.view_accessgrant")
    assets = selectors.asset_counts(user=None if see_all else user, today=today)
    note = "" if see_all else _("in the systems you look after")
    rights = _rights_ending(user, assets, permission=None, note=note)
    if not user.has_perm("assets.view_asset"):
        return [Group("assets", _("Assets and IT rights"), [rights])]
    tiles = [_missing(user, assets), _disposals_waiting(user, assets), rights]
    return [Group("assets", _("Assets and IT rights"), tiles)]


PANEL = Panel("assets", 50, figures=figures, department=department, mine=mine)
