"""The quarantine of an incoming file on core.workflow: a file held back (active content, a
kind not taken, a virus) is released by staff as it is, or deleted with the reason. The moves
are on the message's timeline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.intake.models import InboundAttachment
from core.intake.verbs import Verb
from core.workflow import Transition, Workflow

Status = InboundAttachment.Status


def _not_in_quarantine(attachment: InboundAttachment) -> str:
    return _("The file %(name)s is not in quarantine.") % {"name": attachment.name}


QUARANTINE = Workflow(
    InboundAttachment,
    [
        Transition(
            "release",
            {Status.QUARANTINED},
            Status.RELEASED,
            verb=Verb.ATTACHMENT_RELEASED,
            label=_("release"),
        ),
        Transition(
            "delete",
            {Status.QUARANTINED},
            Status.DELETED,
            verb=Verb.ATTACHMENT_DELETED,
            label=_("delete"),
        ),
    ],
    related=("message",),
    timeline=lambda attachment: attachment.message,
    wrong_status=_not_in_quarantine,
)
