"""The assets' state machines on core.workflow: the disposal of an asset (four eyes) and a
person's right in an information system.

A disposal is proposed, approved or refused by the head (never by the one who proposed it),
and done when the act is made, which closes the asset. The moves are on the asset's timeline.

A right is requested by anyone, granted or refused by the system's main user (or whoever may
change every right), and revoked by them or by the system when it expires; the moves are on the
system's timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assets.models import AccessGrant, Disposal, InformationSystem
from assets.verbs import Verb
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
