"""Tickets: created, answered, assigned, moved through their workflow (a part of
helpdesk.services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import events, pdf_active, roles
from core.models import Event, User
from core.redirects import site_url
from core.services import email_queue
from core.uploads import check_upload, safe_display_name
from helpdesk.models import (
    InboundEmail,
    Message,
    MessageAttachment,
    Priority,
    Ticket,
    TicketChannel,
)
from helpdesk.services.common import TICKET_FILE_KINDS, Status
from helpdesk.verbs import Verb
from helpdesk.workflows import AFTER_REPLY, TICKET, set_due_times, transition_to


def _store_files(message: Message, files: Iterable[UploadedFile]) -> list[str]:
    """Keep the files that pass the upload checks; the names of the refused ones come back."""
    refused = []
    for uploaded in files:
        try:
            kind = check_upload(
                uploaded, allowed=TICKET_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES
            )
        except ValidationError as error:
            refused.append(f"{safe_display_name(uploaded.name or 'file')}: {error.messages[0]}")
            continue
        attachment = MessageAttachment(
            message=message,
            name=safe_display_name(uploaded.name or "file"),
            content_type=kind.content_type,
            size=uploaded.size,
            active_content=pdf_active.flags_for(uploaded, kind.key),
        )
        attachment.file.save(attachment.name, uploaded, save=False)
        attachment.save()
    return refused


def _check_files(files: Iterable[UploadedFile]) -> list[UploadedFile]:
    files = [f for f in files if f]
    errors = []
    for uploaded in files:
        try:
            check_upload(uploaded, allowed=TICKET_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return files


def _subject(ticket: Ticket, text: str) -> str:
    return f"[{ticket.reference}] {text}"[:255]


def _email_requester(
    ticket: Ticket,
    template: str,
    *,
    key: str = "",
    auto_submitted: str = "",
    in_reply_to: str = "",
    **context,
):
    """Queue an e-mail to the requester in the ticket's language (none without an address).
    ``auto_submitted``: "auto-replied" for an automatic answer to an e-mail (RFC 3834 § 5,
    with ``in_reply_to`` its Message-ID); other automatic notices carry "auto-generated"."""
    if not ticket.requester_email:
        return None
    context = {
        "ticket": ticket,
        "agency_name": settings.AGENCY_NAME,
        "help_url": site_url("helpdesk:public-help"),
        **context,
    }
    with translation.override(ticket.language):
        subject = render_to_string(f"helpdesk/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"helpdesk/email/{template}.txt", context)
    attachments = context.get("attachments", ())
    return email_queue(
        to=[ticket.requester_email],
        subject=_subject(ticket, " ".join(subject.split())),
        body=body,
        key=key,
        attachments=attachments,
        automatic=template != "reply",  # a reply is written by a person; the rest are notices
        auto_submitted=auto_submitted,
        in_reply_to=in_reply_to,
    )


def _check_ticket(
    *,
    subject: str,
    body: str,
    channel: str,
    requester_email: str,
    requester_phone: str,
    registry_code: str,
) -> None:
    """A new ticket's rules, every broken one by its field: something to answer to, unless the
    requester called."""
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Write the subject.")
    if not body.strip():
        errors["body"] = _("Write the message.")
    if not requester_email.strip() and not requester_phone.strip() and channel != "phone":
        errors["requester_email"] = _("Give an e-mail address to answer to.")
    if registry_code.strip():
        from core.validators import validate_registry_code

        try:
            validate_registry_code(registry_code.strip())
        except ValidationError as error:
            errors["registry_code"] = error.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ticket_create(
    *,
    subject: str,
    body: str,
    channel: str,
    category: str,
    requester_email: str = "",
    requester_name: str = "",
    requester_phone: str = "",
    registry_code: str = "",
    priority: str = Priority.NORMAL,
    language: str = "et",
    actor: User | None = None,
    files: Iterable[UploadedFile] = (),
    document=None,
    application=None,
    email_message_id: str = "",
    created: datetime | None = None,
    notify: bool = True,
    quoted: str = "",
    inbound_email: InboundEmail | None = None,
) -> Ticket:
    """Open a ticket with its first message and SLA times; the requester is told its reference."""
    _check_ticket(
        subject=subject,
        body=body,
        channel=channel,
        requester_email=requester_email,
        requester_phone=requester_phone,
        registry_code=registry_code,
    )
    files = _check_files(files)
    ticket = Ticket(
        subject=subject.strip()[:255],
        requester_email=requester_email.strip().lower(),
        requester_name=requester_name.strip(),
        requester_phone=requester_phone.strip(),
        registry_code=registry_code.strip(),
        category=category,
        priority=priority,
        channel=channel,
        language=(language or "et")[:2],
        document=document,
        application=application,
        created=created or timezone.now(),
    )
    message = Message(
        kind=Message.Kind.INCOMING,
        author=actor if channel in (TicketChannel.PHONE, TicketChannel.STAFF) else None,
        sender=requester_name.strip() or requester_email.strip(),
        body=body.strip(),
        quoted=quoted.strip(),
        email_message_id=email_message_id[:255],
        inbound_email=inbound_email,
    )
    _save_opened(ticket, message, files, actor=actor)
    if notify:
        _email_requester(ticket, "received", key=f"helpdesk-received-{ticket.pk}")
    return ticket


def _save_opened(ticket: Ticket, message: Message, files, *, actor) -> None:
    """A new ticket saved with its SLA due times, its first message (at the ticket's moment)
    and that message's files, and recorded as registered."""
    set_due_times(ticket)
    ticket.full_clean(exclude=["code", "feedback_token"])
    ticket.save()
    message.ticket = ticket
    message.created = ticket.created
    message.save()
    _store_files(message, files)
    events.record(
        actor=actor, obj=ticket, verb=Event.Verb.REGISTERED, data={"channel": ticket.channel}
    )


def _change(ticket: Ticket, target: str, *, actor: User | None, at: datetime) -> None:
    """Move the (locked) ticket to ``target`` through its workflow; nothing when it is there."""
    name = transition_to(ticket, target)
    if name is not None:
        TICKET.move(ticket, name, actor=actor, at=at)


@transaction.atomic
def ticket_reply(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    files: Iterable[UploadedFile] = (),
    then: str = "open",
    notify: bool = True,
) -> Message:
    """Answer the requester: kept in the conversation and e-mailed to them (by Celery, after
    commit, retried). ``then``: "open" (go on), "wait" (for the requester: the SLA clock
    stops), "resolve" (the e-mail carries the link to rate the answer)."""
    if not body.strip():
        raise ValidationError({"body": _("Write the answer.")})
    if then not in ("open", "wait", "resolve"):
        raise ValidationError(_("Choose what happens after the answer."))
    files = _check_files(files)
    ticket = TICKET.lock(ticket)
    if ticket.status == Status.CLOSED:
        raise ValidationError(_("A closed ticket is not answered any more: reopen it first."))
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.REPLY, author=actor, body=body.strip(), created=now
    )
    _store_files(message, files)
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
    if ticket.assignee_id is None:
        ticket.assignee = actor
    _change(ticket, AFTER_REPLY[then], actor=actor, at=now)
    ticket.save()
    events.record(actor=actor, obj=ticket, verb=Verb.ANSWERED, data={"then": then})
    if not notify:  # an answer given by phone, or recorded afterwards
        return message
    email = _email_requester(
        ticket,
        "reply",
        key=f"helpdesk-reply-{message.pk}",
        message=message,
        resolved=then == "resolve",
        rate_url=site_url("helpdesk:public-rate", ticket.feedback_token),
        attachments=[(a.file, a.name) for a in message.attachments.all()],
    )
    if email is not None:
        message.outbound_email = email
        message.save(update_fields=["outbound_email"])
    return message


@transaction.atomic
def ticket_note(*, actor: User, ticket: Ticket, body: str) -> Message:
    """An internal note: only staff see it; nothing is sent."""
    if not body.strip():
        raise ValidationError({"body": _("Write the note.")})
    return Message.objects.create(
        ticket=ticket, kind=Message.Kind.NOTE, author=actor, body=body.strip()
    )


def specialists():
    """Active users who may handle tickets (choices for assigning)."""
    return roles.holders("change_ticket")


@transaction.atomic
def ticket_assign(*, actor: User, ticket: Ticket, assignee: User) -> Ticket:
    if not (assignee.is_active and assignee.has_perm("helpdesk.change_ticket")):
        raise ValidationError(
            {"assignee": _("%(name)s does not handle tickets.") % {"name": assignee}}
        )
    ticket = TICKET.lock(ticket)
    ticket.assignee = assignee
    if ticket.status == Status.NEW:
        # Given to someone, it is open: whoever gave it (the head on the workload page).
        TICKET.move(ticket, "open", actor=actor, trusted=True)
    ticket.save()
    events.record(actor=actor, obj=ticket, verb=Event.Verb.ASSIGNED, data={"to": str(assignee)})
    return ticket


@transaction.atomic
def ticket_update(
    *, actor: User, ticket: Ticket, category: str, priority: str, document=None, application=None
) -> Ticket:
    """Change what the ticket is about; a new priority sets new due times."""
    ticket = TICKET.lock(ticket)
    changed = {}
    for name, value in (
        ("category", category),
        ("priority", priority),
        ("document", document),
        ("application", application),
    ):
        if getattr(ticket, name) != value:
            changed[name] = str(value or "")
            setattr(ticket, name, value)
    if "priority" in changed:
        set_due_times(ticket)
    ticket.full_clean(exclude=["code", "feedback_token"])
    ticket.save()
    if changed:
        events.record(actor=actor, obj=ticket, verb=Event.Verb.CHANGED, data=changed)
    return ticket


@transaction.atomic
def ticket_resolve(*, actor: User, ticket: Ticket) -> Ticket:
    ticket = TICKET.lock(ticket)
    TICKET.move(ticket, "resolve", actor=actor)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_close(*, actor: User, ticket: Ticket) -> Ticket:
    ticket = TICKET.lock(ticket)
    TICKET.move(ticket, "close", actor=actor)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_reopen(*, actor: User | None, ticket: Ticket) -> Ticket:
    ticket = TICKET.lock(ticket)
    TICKET.move(ticket, "reopen", actor=actor)
    ticket.save()
    return ticket


@transaction.atomic
def requester_message(
    *,
    ticket: Ticket,
    body: str,
    sender: str = "",
    files: Iterable[UploadedFile] = (),
    email_message_id: str = "",
    quoted: str = "",
    inbound_email: InboundEmail | None = None,
) -> Message:
    """The requester writes again: kept in the conversation; a waiting ticket's clock runs
    again and a resolved one is reopened. Files that fail the checks are named in the text
    (e-mail's files come through ``inbound_files_add`` instead: kept or in quarantine)."""
    ticket = TICKET.lock(ticket)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.INCOMING,
        created=now,
        sender=sender[:255],
        body=body.strip() or "—",
        quoted=quoted.strip(),
        email_message_id=email_message_id[:255],
        inbound_email=inbound_email,
    )
    refused = _store_files(message, files)
    if refused:
        message.body += "\n\n" + _("Attachments not kept:") + "\n" + "\n".join(refused)
        message.save(update_fields=["body"])
    if ticket.status in (Status.WAITING, Status.RESOLVED):
        _change(ticket, Status.OPEN, actor=None, at=now)
        ticket.save()
    events.record(actor=None, obj=ticket, verb=Verb.REQUESTER_WROTE)
    return message
