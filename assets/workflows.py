"""The assets' state machines on core.workflow: the disposal of an asset (four eyes).

A disposal is proposed, approved or refused by the head (never by the one who proposed it),
and done when the act is made, which closes the asset. The moves are on the asset's timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assets.models import Disposal
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
