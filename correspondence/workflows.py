"""The state machines of outgoing mail on core.workflow: the letter and each addressee's copy.

A draft is sent for approval when it needs it, approved or returned by the head, sent (each
addressee's copy by its channel) and settles as sent or failed from its copies' outcomes; a
letter not sent yet may be cancelled.

A copy (``Dispatch``) waits until its letter is sent; then its e-mail is queued (and is sent or
fails for good, and may be sent again), or it leaves by hand or on the day's dispatch list;
registered post gets its tracking code and its delivery notice; post may come back and e-mail
bounce. The clerk's moves are on the letter's timeline; the system's are part of the letter's.

A signing on the phone (``SigningSession``) waits for the signer; it ends signed (the container
kept on the letter says so), failed (with the reason, on the letter's timeline), or cancelled by
the signer or by a new signing of the same letter.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from correspondence.models import Channel, Dispatch, Letter, SigningSession
from correspondence.verbs import Verb

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
        Transition("sending", SENT_OR_SENDING - {Status.SENDING}, Status.SENDING, by_system=True),
        Transition("sent", SENT_OR_SENDING - {Status.SENT}, Status.SENT, by_system=True),
        Transition("failed", SENT_OR_SENDING - {Status.FAILED}, Status.FAILED, by_system=True),
    ],
    wrong_status=_wrong_status,
)


# --- Each addressee's copy ------------------------------------------------------------------

Copy = Dispatch.Status
SEND = "correspondence.send_letter"
LEFT = {Copy.SENT, Copy.DELIVERED}


def _registered(dispatch: Dispatch):
    if dispatch.channel != Channel.REGISTERED:
        return _("Only registered post comes with a delivery notice.")
    return None


def _on_a_list(dispatch: Dispatch):
    if dispatch.channel != Channel.REGISTERED:
        return _("Only registered post has a tracking code.")
    if dispatch.dispatch_list_id is None:
        return _("The copy is on no dispatch list yet.")
    return None


def _not_by_email(dispatch: Dispatch):
    return _("An e-mail does not come back by post.") if dispatch.channel == Channel.EMAIL else None


def _by_email(dispatch: Dispatch):
    return None if dispatch.channel == Channel.EMAIL else _("Only an e-mail bounces.")


def _has_email(dispatch: Dispatch):
    if dispatch.outbound_email_id is None:
        return _("Only a failed e-mail can be sent again.")
    return None


def _copy_wrong_status(dispatch: Dispatch) -> str:
    return _("This cannot be done to the copy for %(name)s: it is %(status)s.") % {
        "name": dispatch.name,
        "status": dispatch.get_status_display(),
    }


DISPATCH = Workflow(
    Dispatch,
    [
        # The system's moves, each a step of what the letter's timeline already says.
        Transition("queue_email", {Copy.WAITING}, Copy.SENDING, verb=None, by_system=True),
        Transition("leave", {Copy.WAITING}, Copy.SENT, verb=None, by_system=True),
        Transition("accepted", {Copy.SENDING, Copy.FAILED}, Copy.SENT, verb=None, by_system=True),
        Transition("failed", {Copy.SENDING, Copy.FAILED}, Copy.FAILED, verb=None, by_system=True),
        # The clerk's.
        Transition(
            "retry",
            {Copy.FAILED},
            Copy.SENDING,
            verb=Verb.RESENT,
            permission=SEND,
            guard=_has_email,
            label=_("send again"),
            wrong_status=_("Only a failed e-mail can be sent again."),
        ),
        Transition(
            "tracking",
            {Copy.WAITING} | LEFT,
            None,
            verb=Verb.TRACKING_RECORDED,
            permission=SEND,
            guard=_on_a_list,
            label=_("record the tracking code"),
        ),
        Transition(
            "delivered",
            LEFT,
            Copy.DELIVERED,
            verb=Verb.DELIVERED,
            permission=SEND,
            guard=_registered,
            label=_("record the delivery"),
            wrong_status=_("Only a sent letter can be delivered."),
        ),
        Transition(
            "returned",
            LEFT,
            Copy.RETURNED,
            verb=Verb.RETURNED,
            permission=SEND,
            guard=_not_by_email,
            label=_("record the return"),
            wrong_status=_("Only a sent letter can come back."),
        ),
        Transition(
            "bounced",
            LEFT,
            Copy.BOUNCED,
            verb=Verb.BOUNCED,
            permission=SEND,
            guard=_by_email,
            label=_("record the bounce"),
            wrong_status=_("Only a sent letter can come back."),
        ),
    ],
    related=("letter", "outbound_email"),
    timeline=lambda dispatch: dispatch.letter,
    wrong_status=_copy_wrong_status,
)


# --- Signing on the phone ---------------------------------------------------------------------

Signing = SigningSession.Status


def _the_signer(session: SigningSession, user) -> bool:
    return session.signer_id == user.pk


SIGNING = Workflow(
    SigningSession,
    [
        Transition("signed", {Signing.PENDING}, Signing.SIGNED, verb=None, by_system=True),
        Transition(
            "failed", {Signing.PENDING}, Signing.FAILED, verb=Verb.SIGNING_FAILED, by_system=True
        ),
        Transition("replaced", {Signing.PENDING}, Signing.CANCELLED, verb=None, by_system=True),
        Transition(
            "cancel",
            {Signing.PENDING},
            Signing.CANCELLED,
            verb=None,
            may=_the_signer,
            denied=_("Only the letter's signer can sign it."),
            label=_("cancel"),
        ),
    ],
    related=("letter", "signer"),
    timeline=lambda session: session.letter,
)
