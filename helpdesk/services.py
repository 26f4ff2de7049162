"""Every write of user support and the front desk: tickets and their SLA clock, answers by
e-mail, the knowledge base, calls and visits.

The SLA clock runs in working hours (core.calendar: Mon–Fri office hours, Estonian holidays
excluded). The first answer and the resolution are due a number of working hours after the
ticket was made (HELPDESK_SLA by priority); while the ticket waits for the requester the clock
stands still, and the working time it stood is added to the resolution's due time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import calendar, events, numbering, pdf, pdf_active, roles
from core.models import Event, User
from core.redirects import site_url
from core.services import email_queue
from core.uploads import check_upload, content_type_for, safe_display_name
from core.workflow import locking
from helpdesk.models import (
    QUEUE_TERMS,
    Article,
    Call,
    InboundEmail,
    Message,
    MessageAttachment,
    Priority,
    Ticket,
    TicketChannel,
    Visit,
)
from helpdesk.verbs import Verb
from helpdesk.workflows import AFTER_REPLY, TICKET, set_due_times, transition_to

Status = Ticket.Status
TICKET_FILE_KINDS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg", "gif", "txt", "eml")
SOON = timedelta(hours=2)


# --- The SLA clock ------------------------------------------------------------------------------


def _target(due, done_at, *, now, paused: bool) -> dict:
    if due is None:
        return {"due": None, "state": "none", "left": None}
    if done_at is not None:
        return {"due": due, "state": "met" if done_at <= due else "breached", "left": None}
    if paused:
        return {"due": due, "state": "paused", "left": None}
    left = due - now
    if left < timedelta(0):
        state = "breached"
    elif calendar.working_hours_between(now, due) <= SOON:
        state = "soon"
    else:
        state = "ok"
    return {"due": due, "state": state, "left": left}


def sla_state(ticket: Ticket, *, now: datetime | None = None) -> dict:
    """Where the ticket stands against its two targets (no queries: the loaded fields only)."""
    now = now or timezone.now()
    waiting = ticket.status == Status.WAITING
    return {
        "first": _target(
            ticket.first_response_due, ticket.first_responded_at, now=now, paused=False
        ),
        "resolution": _target(
            ticket.resolution_due,
            ticket.resolved_at if ticket.status in (Status.RESOLVED, Status.CLOSED) else None,
            now=now,
            paused=waiting,
        ),
    }


def queue_order() -> list:
    """Open tickets, what breaches first on top: an unanswered ticket by its first-answer time,
    an answered one by its resolution time, one without a target last; waiting tickets after
    the rest (models.QUEUE_TERMS, which the queue's indexes hold)."""
    return [term.asc() for term in QUEUE_TERMS]


# --- Tickets ------------------------------------------------------------------------------------


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
    """Open a ticket with the requester's first message; its SLA due times are set and the
    requester (when they gave an e-mail address) is told its reference."""
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Write the subject.")
    if not body.strip():
        errors["body"] = _("Write the message.")
    if not requester_email.strip() and not requester_phone.strip() and channel != "phone":
        errors["requester_email"] = _("Give an e-mail address to answer to.")
    if registry_code.strip():
        from registry.validators import validate_registry_code

        try:
            validate_registry_code(registry_code.strip())
        except ValidationError as error:
            errors["registry_code"] = error.messages
    if errors:
        raise ValidationError(errors)
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
    set_due_times(ticket)
    ticket.full_clean(exclude=["code", "feedback_token"])
    ticket.save()
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.INCOMING,
        author=actor if channel in (TicketChannel.PHONE, TicketChannel.STAFF) else None,
        sender=requester_name.strip() or requester_email.strip(),
        body=body.strip(),
        quoted=quoted.strip(),
        created=ticket.created,
        email_message_id=email_message_id[:255],
        inbound_email=inbound_email,
    )
    _store_files(message, files)
    events.record(actor=actor, obj=ticket, verb=Event.Verb.REGISTERED, data={"channel": channel})
    if notify:
        _email_requester(ticket, "received", key=f"helpdesk-received-{ticket.pk}")
    return ticket


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


# --- E-mail: files, automatic messages, review (helpdesk/mail.py) ------------------------------


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
    inbound.status, inbound.ticket, inbound.error = InboundEmail.Status.HELD, ticket, ""
    inbound.outcome = _("held for review on %(reference)s") % {"reference": ticket.reference}
    inbound.save(update_fields=["status", "ticket", "error", "outcome"])
    events.record(actor=None, obj=ticket, verb=Verb.MAIL_HELD, data={"note": sender})
    return inbound


def _lock_held(inbound: InboundEmail) -> InboundEmail:
    inbound = locking(InboundEmail.objects).get(pk=inbound.pk)
    if inbound.status != InboundEmail.Status.HELD or inbound.ticket_id is None:
        raise ValidationError(_("This e-mail has already been reviewed."))
    return inbound


@transaction.atomic
def inbound_accept(*, actor: User, inbound: InboundEmail) -> Message:
    """The specialist has checked a held message: it joins the conversation as if the
    requester had written it (a waiting or resolved ticket opens again), with its files that
    passed the checks or were released; those in quarantine stay listed on the ticket."""
    from core.intake.models import InboundAttachment
    from helpdesk import mail

    inbound = _lock_held(inbound)
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
    inbound.status = InboundEmail.Status.DONE
    inbound.outcome = _("accepted into %(reference)s") % {"reference": inbound.ticket.reference}
    inbound.save(update_fields=["status", "outcome"])
    events.record(
        actor=actor, obj=inbound.ticket, verb=Verb.MAIL_ACCEPTED, data={"note": parsed.from_email}
    )
    return message


@transaction.atomic
def inbound_reject(*, actor: User, inbound: InboundEmail) -> InboundEmail:
    """The specialist has refused a held message: it stays kept as it came (nothing a user
    received is deleted) but is never added to the ticket; its sender is not told."""
    inbound = _lock_held(inbound)
    inbound.status = InboundEmail.Status.REJECTED
    inbound.save(update_fields=["status"])
    events.record(
        actor=actor,
        obj=inbound.ticket,
        verb=Verb.MAIL_REJECTED,
        data={"note": inbound.inbound.sender_email if inbound.inbound_id else ""},
    )
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


# --- SLA escalation and housekeeping ------------------------------------------------------------


def heads():
    from core import roles

    return get_user_model().objects.filter(is_active=True, groups__name=roles.HEAD.group)


def escalate_breaches(*, now: datetime | None = None) -> int:
    """E-mail the head about every open ticket that has broken its SLA (once per ticket).

    Safe to run twice, even at once: the tickets are locked (skipping those another run holds)
    and marked escalated in the transaction that queues the e-mail."""
    now = now or timezone.now()
    to = [user.email for user in heads() if user.email]
    if not to:
        return 0
    with transaction.atomic():
        breached = list(
            locking(
                Ticket.objects.open()
                .exclude(status=Status.WAITING)
                .filter(escalated_at__isnull=True)
                .filter(
                    Q(first_responded_at__isnull=True, first_response_due__lt=now)
                    | Q(resolution_due__lt=now)
                )
                .select_related("assignee"),
                skip_locked=True,
            )
        )
        if not breached:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "helpdesk/email/escalation.txt",
                {
                    "tickets": breached,
                    "queue_url": site_url("helpdesk:ticket-list"),
                    "agency_name": settings.AGENCY_NAME,
                },
            )
            subject = _("%(count)d support tickets have broken their SLA") % {
                "count": len(breached)
            }
        first = min(ticket.pk for ticket in breached)
        email_queue(
            to=to,
            subject=subject,
            body=body,
            key=f"helpdesk-escalation-{now:%Y%m%d%H%M}-{first}",
        )
        Ticket.objects.filter(pk__in=[t.pk for t in breached]).update(escalated_at=now)
        for ticket in breached:
            events.record(actor=None, obj=ticket, verb=Verb.ESCALATED)
    return len(breached)


def close_resolved(*, older_than_days: int | None = None) -> int:
    """Close the tickets resolved some days ago that the requester has not reopened."""
    days = older_than_days or settings.HELPDESK_CLOSE_AFTER_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    tickets = Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff)
    count = 0
    for ticket in tickets:
        with transaction.atomic():
            locked = TICKET.lock(ticket)
            if locked.status == Status.RESOLVED:
                TICKET.move(locked, "close", actor=None)
                locked.save()
                count += 1
    return count


# --- Knowledge base -----------------------------------------------------------------------------


@transaction.atomic
def article_save(*, actor: User, article: Article | None = None, **fields) -> Article:
    article = article or Article()
    for name, value in fields.items():
        setattr(article, name, value.strip() if isinstance(value, str) else value)
    article.updated_by = actor
    article.full_clean()
    created = article.pk is None
    article.save()
    events.record(actor=actor, obj=article, verb=Event.Verb.CREATED if created else "changed")
    return article


def articles_search(text: str, *, public_only: bool, language: str | None = None):
    """Articles whose title or text (in any language) holds every word of ``text``."""
    queryset = Article.objects.all()
    if public_only:
        queryset = queryset.filter(is_public=True)
    for word in re.findall(r"\w+", text or "")[:8]:
        condition = Q()
        for field in ("title_et", "title_en", "title_ru", "body_et", "body_en", "body_ru"):
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset.order_by("category", "title_et")


# --- Phone calls ------------------------------------------------------------------------------


@transaction.atomic
def call_log(
    *,
    actor: User,
    caller: str,
    topic: str,
    category: str,
    outcome: str,
    phone: str = "",
    notes: str = "",
    duration_minutes: int = 1,
    document=None,
) -> Call:
    call = Call(
        caller=caller.strip(),
        phone=phone.strip(),
        topic=topic.strip(),
        category=category,
        outcome=outcome,
        notes=notes.strip(),
        duration_minutes=duration_minutes or 1,
        taken_by=actor,
        document=document,
    )
    call.full_clean()
    call.save()
    return call


@transaction.atomic
def call_to_ticket(*, actor: User, call: Call, requester_email: str = "") -> Ticket:
    """Make a ticket of a call in one step (the call is linked to it)."""
    call = locking(Call.objects).get(pk=call.pk)
    if call.ticket_id:
        return call.ticket
    ticket = ticket_create(
        subject=call.topic,
        body=call.notes or call.topic,
        channel=TicketChannel.PHONE,
        category=call.category,
        requester_email=requester_email,
        requester_name=call.caller,
        requester_phone=call.phone,
        actor=actor,
        document=call.document,
        created=call.at,
    )
    call.ticket = ticket
    call.outcome = Call.Outcome.TICKET
    call.save(update_fields=["ticket", "outcome"])
    if ticket.assignee_id is None and actor.has_perm("helpdesk.change_ticket"):
        Ticket.objects.filter(pk=ticket.pk).update(assignee=actor, status=Status.OPEN)
        ticket.refresh_from_db()
    return ticket


# --- Visitors ---------------------------------------------------------------------------------


@transaction.atomic
def visit_arrive(
    *,
    actor: User,
    name: str,
    host: User,
    purpose: str,
    organisation: str = "",
    document_checked: bool = False,
) -> Visit:
    """Register a visitor; the badge numbers start from 1 each day."""
    if not name.strip():
        raise ValidationError({"name": _("Write the visitor's name.")})
    today = timezone.localdate()
    visit = Visit(
        name=name.strip(),
        organisation=organisation.strip(),
        document_checked=document_checked,
        host=host,
        purpose=purpose.strip(),
        registered_by=actor,
        badge_number=numbering.next_number(f"visit-badge:{today.isoformat()}", 0),
    )
    visit.full_clean()
    visit.save()
    events.record(actor=actor, obj=visit, verb=Event.Verb.REGISTERED, data={"host": str(host)})
    return visit


@transaction.atomic
def visit_depart(*, actor: User, visit: Visit) -> Visit:
    visit = locking(Visit.objects).get(pk=visit.pk)
    if visit.departed_at is not None:
        raise ValidationError(_("The visitor has already left."))
    visit.departed_at = timezone.now()
    visit.save(update_fields=["departed_at"])
    events.record(actor=actor, obj=visit, verb=Event.Verb.CLOSED)
    return visit


def visit_badge_pdf(visit: Visit) -> bytes:
    return pdf.render_pdf(
        "helpdesk/pdf/badge.html", {"visit": visit, "agency_name": settings.AGENCY_NAME}
    )


def visits_purge(*, now: datetime | None = None) -> int:
    """Delete the visits older than the retention period; the timeline keeps only the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HELPDESK_VISIT_RETENTION_DAYS)
    with transaction.atomic():
        count, _deleted = Visit.objects.filter(
            departed_at__isnull=False, arrived_at__lt=cutoff
        ).delete()
        if count:
            Event.objects.create(
                actor=None,
                verb=Verb.PURGED,
                content_type=ContentType.objects.get_for_model(Visit),
                object_id="",
                object_repr=_("%(count)d visits older than %(days)d days")
                % {"count": count, "days": settings.HELPDESK_VISIT_RETENTION_DAYS},
                data={"count": count, "before": cutoff.isoformat()},
            )
    return count
