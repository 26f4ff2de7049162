"""The assets' state machines on core.workflow: the disposal of an asset (four eyes) and a
person's right in an information system.

A disposal is proposed, approved or refused by the head (never by the one who proposed it),
and done when the act is made, which closes the asset. The moves are on the asset's timeline.

An asset is in use, in storage or in repair as its manager puts it; a stocktaking finds it
missing, damaged (to repair) or found again; a handover puts it back in use; a disposal's act
ends it for good. The moves are on the asset's timeline.

A right is requested by anyone, granted or refused by the system's main user (or whoever may
change every right), and revoked by them or by the system when it expires; the moves are on the
system's timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assets.models import AccessGrant, Asset, Disposal, InformationSystem, Stocktaking
from assets.verbs import Verb
from core.models import Event
from core.workflow import Transition, Workflow

Status = Disposal.Status
APPROVE = "assets.approve_disposal"


def _not_the_proposer(disposal: Disposal, user) -> bool:
    return disposal.proposed_by_id != user.pk


def _wrong_status(disposal: Disposal) -> str:
    if disposal.status == Status.PROPOSED:
        return _("The disposal needs the head's approval first.")
    return _("Only a proposal waiting for approval can be decided.")


DISPOSAL = Workflow(
    Disposal,
    [
        Transition(
            "approve",
            {Status.PROPOSED},
            Status.APPROVED,
            verb=Verb.DISPOSAL_APPROVED,
            permission=APPROVE,
            may=_not_the_proposer,
            denied=_("The one who proposed it cannot approve it."),
            may_forbids=False,
            label=_("approve"),
        ),
        Transition(
            "refuse",
            {Status.PROPOSED},
            Status.REFUSED,
            verb=Verb.DISPOSAL_REFUSED,
            permission=APPROVE,
            label=_("refuse"),
        ),
        Transition(
            "complete",
            {Status.APPROVED},
            Status.DONE,
            verb=Verb.DISPOSED,
            permission="assets.change_disposal",
            label=_("make the act"),
        ),
    ],
    related=("asset",),
    timeline=lambda disposal: disposal.asset,
    wrong_status=_wrong_status,
)


# --- Rights in information systems ----------------------------------------------------------

Right = AccessGrant.Status


def decides(user, system: InformationSystem) -> bool:
    """Whether ``user`` decides on ``system``'s rights: its main user, or whoever may change
    every right (the pages ask this, and the right's workflow)."""
    return system.main_user_id == user.pk or user.has_perm("assets.change_accessgrant")


def _decides_on(grant: AccessGrant, user) -> bool:
    return decides(user, grant.role.system)


def _right(name, sources, target, verb, label, wrong_status):
    return Transition(
        name,
        sources,
        target,
        verb=verb,
        may=_decides_on,
        denied=_("Only the system's main user decides on its rights."),
        label=label,
        wrong_status=wrong_status,
    )


GRANT = Workflow(
    AccessGrant,
    [
        _right(
            "grant",
            {Right.REQUESTED},
            Right.GRANTED,
            Verb.GRANTED,
            _("grant"),
            _("Only a request can be granted."),
        ),
        _right(
            "refuse",
            {Right.REQUESTED},
            Right.REFUSED,
            Verb.GRANT_REFUSED,
            _("refuse"),
            _("Only a request can be refused."),
        ),
        _right(
            "revoke",
            {Right.GRANTED},
            Right.REVOKED,
            Verb.REVOKED,
            _("revoke"),
            _("Only a granted right can be revoked."),
        ),
        _right(
            "confirm",
            {Right.GRANTED},
            None,
            Verb.GRANT_CONFIRMED,
            _("confirm"),
            _("Only a granted right can be confirmed."),
        ),
    ],
    related=("role__system", "person"),
    timeline=lambda grant: grant.role.system,
)


# --- The state of an asset --------------------------------------------------------------------

State = Asset.State
CHANGE_ASSET = "assets.change_asset"
LIVE = {State.IN_USE, State.IN_STORAGE, State.IN_REPAIR, State.MISSING}


def _asset_wrong_status(asset: Asset) -> str:
    if asset.state == State.DISPOSED:
        return _("A disposed asset is not changed any more.")
    return _("The asset is %(state)s already.") % {"state": asset.get_state_display()}


def _put(name, target, label):
    """The manager's buttons: in use, in storage, in repair (from any other live state)."""
    return Transition(name, LIVE - {target}, target, permission=CHANGE_ASSET, label=label)


ASSET = Workflow(
    Asset,
    [
        _put("use", State.IN_USE, _("in use")),
        _put("store", State.IN_STORAGE, _("in storage")),
        _put("repair", State.IN_REPAIR, _("in repair")),
        # A stocktaking's findings, moved when it is closed (by whoever closes it).
        Transition("lost", LIVE - {State.MISSING}, State.MISSING, permission=CHANGE_ASSET),
        Transition("damaged", LIVE - {State.IN_REPAIR}, State.IN_REPAIR, permission=CHANGE_ASSET),
        Transition("found", {State.MISSING}, State.IN_USE, permission=CHANGE_ASSET),
        # Handed over from storage (or when it had gone missing): in use again, a step of the
        # handover, which is on the timeline as such.
        Transition("handed_over", {State.IN_STORAGE, State.MISSING}, State.IN_USE, verb=None),
        # The disposal's act ends it: the disposal's own "disposed" is on the timeline.
        Transition("disposed", LIVE, State.DISPOSED, verb=None, by_system=True),
    ],
    field="state",
    wrong_status=_asset_wrong_status,
)

#: The manager's buttons, by the state they put an asset in.
PUT = {State.IN_USE: "use", State.IN_STORAGE: "store", State.IN_REPAIR: "repair"}


# --- A stocktaking ------------------------------------------------------------------------------

STOCKTAKING = Workflow(
    Stocktaking,
    [
        Transition(
            "close",
            {Stocktaking.Status.OPEN},
            Stocktaking.Status.CLOSED,
            verb=Event.Verb.CLOSED,
            permission="assets.change_stocktaking",
            label=_("close"),
            wrong_status=_("The stocktaking is closed already."),
        )
    ],
)
