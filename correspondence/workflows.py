"""The letter's state machine on core.workflow.

A draft is sent for approval when it needs it, approved or returned by the head, sent (each
addressee's copy by its channel) and settles as sent or failed from its copies' outcomes; a
letter not sent yet may be cancelled.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from correspondence.models import Letter

Status = Letter.Status
APPROVE = "correspondence.approve_letter"
CHANGE = "correspondence.change_letter"
UNSENT = {Status.DRAFT, Status.AWAITING_APPROVAL, Status.APPROVED}
SENT_OR_SENDING = {Status.SENDING, Status.SENT, Status.FAILED}


def _approved_if_needed(letter: Letter):
    if letter.needs_approval and letter.status == Status.DRAFT:
        return _("The letter needs the head's approval before it is sent.")
    return None


def _wrong_status(letter: Letter) -> str:
    return _("A letter that is %(status)s cannot be changed like this.") % {
        "status": letter.get_status_display()
    }


LETTER = Workflow(
    Letter,
    [
        Transition(
            "submit",
            {Status.DRAFT},
            Status.AWAITING_APPROVAL,
            permission=CHANGE,
            label=_("send for approval"),
        ),
        Transition(
            "approve",
            {Status.AWAITING_APPROVAL},
            Status.APPROVED,
            permission=APPROVE,
            label=_("approve"),
        ),
        Transition(
            "return",
            {Status.AWAITING_APPROVAL},
            Status.DRAFT,
            permission=APPROVE,
            label=_("return to the author"),
        ),
        Transition(
            "send",
            {Status.DRAFT, Status.APPROVED},
            Status.SENDING,
            permission="correspondence.send_letter",
            guard=_approved_if_needed,
            label=_("send"),
        ),
        Transition("cancel", UNSENT, Status.CANCELLED, permission=CHANGE, label=_("cancel")),
        # Settled by the system from the outcomes of the copies (services._refresh_status).
        Transition("sending", SENT_OR_SENDING - {Status.SENDING}, Status.SENDING),
        Transition("sent", SENT_OR_SENDING - {Status.SENT}, Status.SENT),
        Transition("failed", SENT_OR_SENDING - {Status.FAILED}, Status.FAILED),
    ],
    wrong_status=_wrong_status,
)
