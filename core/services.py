"""Writes of the core app: the e-mail outbox and account actions.

Views, tasks and management commands all call these."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from core import events
from core.models import Event, OutboundEmail, User, UserSession


@transaction.atomic
def email_queue(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    key: str = "",
    attachments: Iterable[FieldFile] = (),
    callback: str = "",
) -> OutboundEmail:
    """Keep an e-mail in the outbox and send it by Celery once the transaction commits.

    ``callback`` names a Celery task (``"app.tasks.name"``) that is queued with the e-mail's id
    after every attempt to send it, so the part that sent it can record the outcome.

    ``attachments`` are stored files (a model's ``FileField`` values); the e-mail refers to them
    and reads them when it is sent.

    With a ``key``, an e-mail already queued under that key is returned instead: running the
    caller twice (a retried task, a second beat) sends nothing twice.
    """
    from core import tasks

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
        attachments=[
            {
                "name": attachment_name,
                "path": stored.name,
                "content_type": mimetypes.guess_type(attachment_name)[0]
                or "application/octet-stream",
            }
            for stored, attachment_name in _named(attachments)
        ],
    )
    email.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin with the same key wins
            email.save()
    except IntegrityError:
        if not key:
            raise
        return OutboundEmail.objects.get(key=key)
    tasks.send_email.delay_on_commit(email.pk)
    return email


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
) -> OutboundEmail:
    """Queue an e-mail whose subject and body come from ``<template>_subject.txt`` and ``.txt``."""
    context = {"site_url": settings.SITE_URL, "agency_name": settings.AGENCY_NAME, **context}
    with translation.override(language or translation.get_language()):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    return email_queue(
        to=to, subject=" ".join(subject.split()), body=body, key=key, attachments=attachments
    )


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail. Safe to run twice: a sent row is never sent again.

    Returns whether it was sent now. An SMTP error is recorded on the row and raised again so
    that the task retries; the sweeper gives up after OUTBOX_MAX_ATTEMPTS.
    """
    failure: Exception | None = None
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboundEmail.Status.QUEUED)
            .first()
        )
        if email is None:  # already sent, given up, gone, or another worker has it now
            return False
        email.attempts += 1
        try:
            message = EmailMessage(email.subject, email.body, None, email.to)
            for attachment in email.attachments:
                with default_storage.open(attachment["path"], "rb") as stored:
                    message.attach(attachment["name"], stored.read(), attachment["content_type"])
            message.send(fail_silently=False)
        except Exception as error:  # recorded on the row, then raised for the task to retry
            failure = error
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        if email.callback:
            import_string(email.callback).delay_on_commit(email.pk)
    if failure is not None:
        raise failure
    return True


def email_requeue_stuck(*, older_than_minutes: int | None = None) -> int:
    """Queue again the e-mails still waiting after a few minutes (a lost Redis message)."""
    from core import tasks

    minutes = older_than_minutes or settings.OUTBOX_STUCK_MINUTES
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    ids = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, created__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for email_id in ids:
        tasks.send_email.delay(email_id)
    return len(ids)


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
