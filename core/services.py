"""Writes of the core app: the e-mail outbox and account actions.

Views, tasks and management commands all call these."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection  # noqa: F401
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core import events, mail
from core.models import Event, OutboundEmail, User, UserSession
from core.uploads import content_type_for
from core.workflow import locking

log = logging.getLogger(__name__)


EMAIL_JOB = "core.email"
EMAIL_CALLBACK_JOB = "core.email_callback"


def email_job_key(email_id: int) -> str:
    return f"{EMAIL_JOB}:{email_id}"


@transaction.atomic
def email_queue(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    key: str = "",
    attachments: Iterable[FieldFile] = (),
    callback: str = "",
    automatic: bool = True,
    auto_submitted: str = "",
    in_reply_to: str = "",
) -> OutboundEmail:
    """Keep an e-mail in the outbox; a background job (``core.jobs``) sends it after the commit.

    ``callback`` names a function (``"app.tasks.name"``, a Celery task is fine) that is called
    with the e-mail's id, as a job of its own, after every attempt to send it, so the part that
    sent it can record the outcome.

    ``attachments`` are stored files (a model's ``FileField`` values); the e-mail refers to them
    and reads them when it is sent.

    ``automatic`` e-mails (receipts, notices, acknowledgements, digests: everything no person
    wrote) carry ``Auto-Submitted: auto-generated`` (RFC 3834) so that auto-responders do not
    answer them; a letter or a reply a person wrote passes ``automatic=False``. An automatic
    answer to a message that came in (a ticket's acknowledgement) passes
    ``auto_submitted="auto-replied"`` and ``in_reply_to=<that message's Message-ID>``
    (RFC 3834 § 5; ``core.intake.outgoing``). Every e-mail is sent with a local-time ``Date``
    and an HTML alternative beside its text.

    With a ``key``, an e-mail already queued under that key is returned instead: running the
    caller twice (a retried task, a second beat) sends nothing twice.
    """
    from core import jobs

    if key:
        existing = OutboundEmail.objects.filter(key=key).first()
        if existing is not None:
            return existing
    email = OutboundEmail(
        to=sorted(set(to)),
        subject=subject[:255],
        body=body,
        key=key,
        callback=callback,
        automatic=automatic or bool(auto_submitted),
        auto_submitted=auto_submitted,
        in_reply_to=in_reply_to[:255],
        attachments=_attachment_rows(attachments),
    )
    email.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin with the same key wins
            email.save()
    except IntegrityError:
        if not key:
            raise
        return OutboundEmail.objects.get(key=key)
    jobs.enqueue(EMAIL_JOB, key=email_job_key(email.pk), email_id=email.pk)
    return email


def _attachment_rows(attachments) -> list[dict]:
    """What the outbox keeps of each attachment: the name the recipient sees, the stored file's
    path and its content type."""
    return [
        {"name": name, "path": stored.name, "content_type": content_type_for(name)}
        for stored, name in _named(attachments)
    ]


def _named(attachments) -> list[tuple[FieldFile, str]]:
    """(stored file, name the recipient sees) pairs; a bare file is named by its base name."""
    named = []
    for item in attachments:
        stored, name = item if isinstance(item, tuple) else (item, None)
        named.append((stored, name or stored.name.rsplit("/", 1)[-1]))
    return named


def email_queue_template(
    *,
    to: Iterable[str],
    template: str,
    context: dict,
    language: str | None = None,
    key: str = "",
    attachments: Iterable = (),
    callback: str = "",
    auto_submitted: str = "",
    in_reply_to: str = "",
) -> OutboundEmail:
    """Queue an e-mail whose subject and body come from ``<template>_subject.txt`` and ``.txt``
    (``callback``, ``auto_submitted``, ``in_reply_to``: as ``email_queue``'s)."""
    context = {"site_url": settings.SITE_URL, "agency_name": settings.AGENCY_NAME, **context}
    with translation.override(language or translation.get_language()):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    return email_queue(
        to=to,
        subject=" ".join(subject.split()),
        body=body,
        key=key,
        attachments=attachments,
        callback=callback,
        auto_submitted=auto_submitted,
        in_reply_to=in_reply_to,
    )


def email_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The message of an outbox row: its stable Message-ID on the site's domain, a local-time
    Date, Auto-Submitted and X-Auto-Response-Suppress when automatic, In-Reply-To when it
    answers a message, and an HTML alternative beside the text (``core.intake.outgoing``)."""
    from core.intake import outgoing

    headers = {
        "Message-ID": mail.message_id(pk=email.pk, token=email.token),
        "Date": outgoing.local_date(),
    }
    if email.automatic:
        headers.update(
            outgoing.automatic_headers(
                auto_submitted=email.auto_submitted or outgoing.AUTO_GENERATED,
                in_reply_to=email.in_reply_to,
            )
        )
    else:
        headers.update(outgoing.reply_headers(email.in_reply_to))
    message = EmailMultiAlternatives(email.subject, email.body, None, email.to, headers=headers)
    message.attach_alternative(outgoing.text_to_html(email.body, title=email.subject), "text/html")
    for attachment in email.attachments:
        content_type = attachment["content_type"]
        if content_type == "application/octet-stream":  # queued before the type was known
            content_type = content_type_for(attachment["name"])
        with default_storage.open(attachment["path"], "rb") as stored:
            message.attach(attachment["name"], stored.read(), content_type)
    return message


def _email_update(email_id: int, from_status: list[str], **fields) -> int:
    return OutboundEmail.objects.filter(pk=email_id, status__in=from_status).update(**fields)


def _email_told(email: OutboundEmail) -> None:
    """Tell the part that sent the e-mail what became of it (its ``callback``), as a job."""
    if email.callback:
        from core import jobs

        with transaction.atomic():
            jobs.enqueue(EMAIL_CALLBACK_JOB, callback=email.callback, email_id=email.pk)


def email_callback_run(*, callback: str, email_id: int) -> None:
    """The callback job's body: call ``callback(email_id)`` (a Celery task runs in-process)."""
    import_string(callback)(email_id)


def email_send(*, email_id: int) -> bool:
    """Send one outbox e-mail at most once (the e-mail job's body; see ``core.mail``).

    The row moves queued → sending (committed before the SMTP exchange) → delivering (committed
    right before the end of DATA is written) → sent (after the server's 250). Run again after a
    crash, the row tells what to do: ``sending`` never reached the server and is sent again;
    ``delivering`` may have been accepted and becomes ``uncertain`` — never sent again by
    itself, an administrator checks and resends it from the admin. A refusal (an SMTP error
    before or at the end of DATA) puts the row back to queued and raises, so the job retries with
    back-off; after its last attempt the job marks the row failed (``email_send_failed``).

    Returns whether it was sent now.
    """
    Status = OutboundEmail.Status
    email = _claim(email_id)
    if email is None:
        return False

    def point_of_no_return() -> None:
        if not _email_update(email.pk, [Status.SENDING], status=Status.DELIVERING):
            raise RuntimeError("the e-mail is no longer being sent by this worker")

    exchange = mail.Exchange(point_of_no_return=point_of_no_return)
    try:
        message = email_message(email)
        connection = get_connection()
        message.connection = connection
        records = getattr(connection, "records_exchange", False)
        if not records:
            point_of_no_return()  # no SMTP dialogue to watch: handing over is the point
            exchange.delivering = True
        with mail.recording(exchange):
            try:
                message.send(fail_silently=False)
            except Exception:
                # Without a recorded dialogue, a backend that raised did not take the message
                # (console, file, locmem); only a worker dying in it leaves it uncertain.
                exchange.refused = exchange.refused or not records
                raise
        if not records:
            exchange.accepted = True
    except Exception as error:
        if not exchange.accepted:
            if _email_attempt_failed(email, exchange, error):
                raise  # queued again: the job retries after its back-off
            return False
    _email_update(
        email.pk,
        [Status.SENDING, Status.DELIVERING],
        status=Status.SENT,
        sent_at=timezone.now(),
        last_error="",
    )
    email.refresh_from_db()
    _email_told(email)
    return True


def _claim(email_id: int) -> OutboundEmail | None:
    """The e-mail, now ``sending`` with one attempt more (committed before any SMTP); None when
    there is nothing to send: sent, given up, uncertain, gone, another worker has it now, or a
    dead worker left it delivering (it becomes uncertain here)."""
    Status = OutboundEmail.Status
    with transaction.atomic():
        email = (
            locking(OutboundEmail.objects, skip_locked=True)
            .filter(pk=email_id, status__in=[Status.QUEUED, Status.SENDING, Status.DELIVERING])
            .first()
        )
        if email is None:
            return None
        if email.status == Status.DELIVERING:
            email.status = Status.UNCERTAIN
            email.last_error = _(
                "The worker stopped after handing the e-mail to the mail server; it may have "
                "been delivered. Check with the recipient or the server's log before sending it "
                "again."
            )
            email.save(update_fields=["status", "last_error"])
            log.error("e-mail %s: left delivering by a dead worker; now uncertain", email.pk)
            transaction.on_commit(lambda: _email_told(email))
            return None
        email.status = Status.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts"])
    return email


def _email_attempt_failed(email: OutboundEmail, exchange: mail.Exchange, error: Exception) -> bool:
    """Record a failed attempt; returns whether the e-mail is queued to be tried again."""
    Status = OutboundEmail.Status
    reason = f"{type(error).__name__}: {error}"[:2000]
    retry = not exchange.delivering or exchange.refused
    if retry:
        _email_update(
            email.pk, [Status.SENDING, Status.DELIVERING], status=Status.QUEUED, last_error=reason
        )
    else:  # the dot went out and no answer came back: the server may have the message
        _email_update(email.pk, [Status.DELIVERING], status=Status.UNCERTAIN, last_error=reason)
        log.error("e-mail %s: no answer after the end of DATA; now uncertain", email.pk)
    email.refresh_from_db()
    _email_told(email)
    return retry


def email_send_failed(*, email_id: int, error: str) -> None:
    """The e-mail job's last attempt failed: the row shows it failed (and its sender is told)."""
    Status = OutboundEmail.Status
    if _email_update(
        email_id, [Status.QUEUED, Status.SENDING], status=Status.FAILED, last_error=error[:2000]
    ):
        _email_told(OutboundEmail.objects.get(pk=email_id))


@transaction.atomic
def email_resend(*, email: OutboundEmail, to: Iterable[str] | None = None) -> OutboundEmail:
    """Send a failed or uncertain e-mail again (after the address, the server or the recipient
    was checked): the row is queued with its attempts from 0 and its job is run again. The
    Message-ID stays, so a receiver can still tell a copy."""
    from core import jobs

    Status = OutboundEmail.Status
    fields = {"status": Status.QUEUED, "attempts": 0, "last_error": ""}
    if to is not None:
        fields["to"] = sorted(set(to))
    if not _email_update(email.pk, [Status.FAILED, Status.UNCERTAIN], **fields):
        raise ValidationError(_("Only a failed or uncertain e-mail can be sent again."))
    job = jobs.enqueue(EMAIL_JOB, key=email_job_key(email.pk), email_id=email.pk)
    jobs.requeue(job)
    email.refresh_from_db()
    return email


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """Record a password change and tell the user by e-mail (ASVS 2.2.3)."""
    events.record(actor=user, obj=user, verb=Event.Verb.PASSWORD_CHANGED)
    if user.email:
        email_queue_template(
            to=[user.email],
            template="core/email/password_changed",
            context={"user": user, "when": timezone.localtime()},
        )


@transaction.atomic
def user_sign_out_other_sessions(*, user: User, keep_session_key: str | None) -> int:
    """End every session of ``user`` except the current one. Returns how many were ended."""
    ended, _ = (
        UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "").delete()
    )
    events.record(
        actor=user, obj=user, verb=Event.Verb.SIGNED_OUT_OTHER_SESSIONS, data={"count": ended}
    )
    return ended


def clear_expired_sessions() -> int:
    """Delete expired sessions. Returns how many were deleted."""
    deleted, _ = UserSession.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


# --- Bounces of our e-mails (helpdesk and registry intake: core.intake) ---------------------


def email_for_message_id(message_id: str) -> OutboundEmail | None:
    """The outbox row whose Message-ID (``core.mail.message_id``) ``message_id`` is, if any."""
    import re

    match = re.search(r"kantselei\.email\.(\d+)\.([A-Za-z0-9_-]+)@", message_id or "", re.I)
    if match is None:
        return None
    return OutboundEmail.objects.filter(pk=int(match.group(1)), token=match.group(2)).first()


@transaction.atomic
def outbound_bounced(*, message_id: str, reason: str) -> OutboundEmail | None:
    """A delivery failure notice (a bounce, RFC 3464) came back for one of our e-mails: its
    outbox row is marked failed with the reason (the mail server's diagnostic) and the part that
    sent it is told (its ``callback``). Returns the row, or None when the Message-ID is not
    ours. Safe to run twice: a row already failed for this reason is left as it is."""
    email = email_for_message_id(message_id)
    if email is None:
        return None
    email = locking(OutboundEmail.objects).get(pk=email.pk)
    error = (_("Returned by the mail server: %(reason)s") % {"reason": reason or "—"})[:2000]
    if email.status == OutboundEmail.Status.FAILED and email.last_error == error:
        return email
    old, email.status, email.last_error = email.status, OutboundEmail.Status.FAILED, error
    email.save(update_fields=["status", "last_error"])
    events.record(
        actor=None,
        obj=email,
        verb=Event.Verb.STATUS_CHANGED,
        data={"from": old, "to": email.status, "note": (reason or "")[:200]},
    )
    transaction.on_commit(lambda: _email_told(email))
    return email
