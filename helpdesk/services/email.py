"""E-mail of the helpdesk: files, automatic messages and the review of held mail
(helpdesk/mail.py) (a part of helpdesk.services)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from core import events, pdf_active
from core.models import User
from core.uploads import content_type_for, safe_display_name
from core.workflow import locking
from helpdesk.models import (
    Article,
    InboundEmail,
    Message,
    MessageAttachment,
    Ticket,
)
from helpdesk.services.common import Status
from helpdesk.services.tickets import _email_requester, requester_message
from helpdesk.verbs import Verb
from helpdesk.workflows import INBOUND


def inbound_files_add(*, message: Message, attachments: Iterable) -> list[MessageAttachment]:
    """Copy files of an incoming e-mail (``core.intake`` ``InboundAttachment`` rows, kept or
    released) to a message of the conversation. Each file is copied once, however often this
    runs (a retried job, a second click)."""
    added = []
    for inbound_file in attachments:
        if MessageAttachment.objects.filter(inbound_attachment=inbound_file).exists():
            continue
        name = safe_display_name(inbound_file.name or "file")
        with inbound_file.file.open("rb") as stored:
            attachment = MessageAttachment(
                message=message,
                name=name,
                content_type=inbound_file.content_type or content_type_for(name),
                size=inbound_file.size or inbound_file.file.size,
                active_content=pdf_active.flags_for(stored, inbound_file.kind),
                inbound_attachment=inbound_file,
            )
            stored.seek(0)
            attachment.file.save(name, File(stored), save=False)
        attachment.save()
        added.append(attachment)
    return added


@transaction.atomic
def automatic_mail_note(
    *, ticket: Ticket, inbound: InboundEmail, sender: str, body: str, quoted: str, reason: str
) -> Message:
    """An automatic reply, a delivery failure or a list message that names ``ticket``: shown in
    the conversation as an automatic message (greyed, staff only). It changes nothing: no
    status moves, the clock does not restart, nobody is told."""
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.AUTO,
        sender=sender[:255],
        body=body.strip() or "—",
        quoted=quoted.strip(),
        email_message_id=inbound.message_id[:255],
        inbound_email=inbound,
    )
    events.record(actor=None, obj=ticket, verb=Verb.MAIL_AUTOMATIC, data={"note": reason[:200]})
    return message


def ticket_acknowledge(*, ticket: Ticket, in_reply_to: str = ""):
    """Tell the requester of a ticket made from an e-mail its reference (once per ticket), as an
    automatic answer to that e-mail (``Auto-Submitted: auto-replied`` and ``In-Reply-To``,
    RFC 3834 § 5) that no auto-responder answers again."""
    return _email_requester(
        ticket,
        "received",
        key=f"helpdesk-received-{ticket.pk}",
        auto_submitted="auto-replied",
        in_reply_to=in_reply_to,
    )


@transaction.atomic
def inbound_hold(*, inbound: InboundEmail, ticket: Ticket, sender: str = "") -> InboundEmail:
    """A message naming ``ticket`` from an address that is neither the requester's nor staff's
    waits on the ticket's page: nothing is added, nothing changes status, nothing is sent (no
    acknowledgement a stranger or an auto-responder could answer again)."""
    inbound.ticket, inbound.error = ticket, ""
    INBOUND.move(inbound, "hold", actor=None, note=sender)
    inbound.outcome = _("held for review on %(reference)s") % {"reference": ticket.reference}
    inbound.save(update_fields=["status", "ticket", "error", "outcome"])
    return inbound


@transaction.atomic
def inbound_accept(*, actor: User, inbound: InboundEmail) -> Message:
    """The specialist has checked a held message: it joins the conversation as if the
    requester had written it (a waiting or resolved ticket opens again), with its files that
    passed the checks or were released; those in quarantine stay listed on the ticket."""
    from core.intake.models import InboundAttachment
    from helpdesk import mail

    inbound = INBOUND.lock(inbound)
    INBOUND.check(inbound, "accept", actor)
    parsed = mail.parsed_of(inbound.inbound)
    body, quoted = mail.texts(parsed)
    message = requester_message(
        ticket=inbound.ticket,
        body=body,
        quoted=quoted,
        sender=f"{parsed.from_name} <{parsed.from_email}>".strip(),
        email_message_id=parsed.message_id,
        inbound_email=inbound,
    )
    inbound_files_add(
        message=message,
        attachments=inbound.inbound.attachments.filter(
            status__in=(InboundAttachment.Status.KEPT, InboundAttachment.Status.RELEASED)
        ).order_by("position", "pk"),
    )
    INBOUND.move(inbound, "accept", actor=actor, note=parsed.from_email)
    inbound.outcome = _("accepted into %(reference)s") % {"reference": inbound.ticket.reference}
    inbound.save(update_fields=["status", "outcome"])
    return message


@transaction.atomic
def inbound_reject(*, actor: User, inbound: InboundEmail) -> InboundEmail:
    """The specialist has refused a held message: it stays kept as it came (nothing a user
    received is deleted) but is never added to the ticket; its sender is not told."""
    inbound = INBOUND.lock(inbound)
    sender = inbound.inbound.sender_email if inbound.inbound_id else ""
    INBOUND.move(inbound, "reject", actor=actor, note=sender)
    inbound.save(update_fields=["status"])
    return inbound


def _quarantined(ticket: Ticket, attachment):
    """The file in quarantine of an e-mail of ``ticket`` (locked), or ``ValidationError``."""
    from core.intake.models import InboundAttachment

    attachment = (
        locking(InboundAttachment.objects)
        .filter(pk=attachment.pk, message__helpdesk_email__ticket=ticket)
        .select_related("message")
        .first()
    )
    if attachment is None or attachment.status != InboundAttachment.Status.QUARANTINED:
        raise ValidationError(_("This file is no longer in quarantine."))
    return attachment


@transaction.atomic
def quarantined_file_release(*, actor: User, ticket: Ticket, attachment):
    """A specialist has checked a file the checks refused and lets it in: it becomes a file of
    the message it came with (of the held e-mail once that is accepted)."""
    from core.intake import services as intake

    attachment = _quarantined(ticket, attachment)
    attachment = intake.attachment_release(actor=actor, attachment=attachment)
    message = (
        Message.objects.filter(inbound_email__inbound=attachment.message_id, ticket=ticket)
        .order_by("pk")
        .first()
    )
    if message is not None:
        inbound_files_add(message=message, attachments=[attachment])
    events.record(actor=actor, obj=ticket, verb=Verb.FILE_RELEASED, data={"note": attachment.name})
    return attachment


@transaction.atomic
def quarantined_file_delete(*, actor: User, ticket: Ticket, attachment, reason: str):
    """A file in quarantine is deleted (its row, name and reason stay for the record)."""
    from core.intake import services as intake

    if not reason.strip():
        raise ValidationError({"reason": _("Write why the file is deleted.")})
    attachment = _quarantined(ticket, attachment)
    attachment = intake.attachment_delete(actor=actor, attachment=attachment, reason=reason.strip())
    events.record(
        actor=actor,
        obj=ticket,
        verb=Verb.FILE_DELETED,
        data={"note": f"{attachment.name}: {reason.strip()}"[:200]},
    )
    return attachment


@transaction.atomic
def ticket_rate(*, token: str, rating: int, comment: str = "") -> Ticket:
    ticket = locking(Ticket.objects).filter(feedback_token=token).first()
    if ticket is None:
        raise Ticket.DoesNotExist
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError(_("The answer can be rated once the question is resolved."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Choose from 1 to 5.")})
    ticket.rating, ticket.rating_comment = rating, comment.strip()[:2000]
    ticket.save(update_fields=["rating", "rating_comment"])
    events.record(actor=None, obj=ticket, verb=Verb.RATED, data={"rating": rating})
    return ticket


def canned_answer(*, article: Article, ticket: Ticket, language: str | None = None) -> str:
    """The article's text for this ticket: ``{{ name }}`` and ``{{ code }}`` filled in."""
    text = article.body_in(language or ticket.language)
    values = {"name": ticket.requester_name or "", "code": ticket.reference}
    return re.sub(r"\{\{\s*(name|code)\s*\}\}", lambda m: values[m.group(1)], text)
