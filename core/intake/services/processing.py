"""Processing a kept message as a job: parsed (or a scan read), its files stored and checked
(quarantined when suspicious), handed to its purpose's handler; a failure is recorded and can be
queued again."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, jobs
from core.intake.models import InboundAttachment, InboundMessage
from core.intake.services.common import EMAIL_SUFFIXES, PROCESS_JOB, _clean, handler_for, log
from core.intake.verbs import Verb
from core.uploads import check_upload, content_type_for, safe_display_name
from core.workflow import locking


def _parse(message: InboundMessage, raw: bytes):
    from core.intake import parse

    name = message.raw_name
    if message.source == InboundMessage.Source.IMAP:
        return parse.parse_email(raw)
    if message.source == InboundMessage.Source.FILE:
        return parse.parse_file(name or "message.eml", raw)
    if PurePath(name.lower()).suffix in EMAIL_SUFFIXES and parse.is_email_file(name, raw):
        return parse.parse_file(name, raw)
    return _scan(message, raw)


def _scan(message: InboundMessage, raw: bytes):
    """A file of the drop folder that is not an e-mail: a "message" of kind scan whose one
    attachment is the file, named after it."""
    from core.intake.parse import MailFile, ParsedMail

    name = message.raw_name or "scan"
    return ParsedMail(
        message_id="",
        in_reply_to="",
        references=[],
        from_email="",
        from_name="",
        reply_to_email="",
        to=[],
        cc=[],
        subject=PurePath(name).stem.replace("_", " ").strip()[:255] or name,
        sent_at=message.sent_at,
        language="et",
        text="",
        quoted="",
        html="",
        files=[MailFile(name=name, content=raw, content_type=content_type_for(name))],
        forwarded=[],
        kind=InboundMessage.Kind.SCAN,
        kind_reason="",
        bounce=None,
    )


def _fill(message: InboundMessage, parsed) -> None:
    message.message_id = _clean(parsed.message_id, 255)
    message.kind = parsed.kind or InboundMessage.Kind.MESSAGE
    message.kind_reason = _clean(parsed.kind_reason, 255)
    message.sender_email = _clean(parsed.from_email, 254)
    message.sender_name = _clean(parsed.from_name, 255)
    message.subject = _clean(" ".join(str(parsed.subject or "").split()), 255)
    message.sent_at = parsed.sent_at or message.sent_at
    message.text = _clean(parsed.text)
    message.quoted = _clean(parsed.quoted)


def _attachment_name(message: InboundMessage, position: int, digest: str) -> str:
    """Fixed by message, position and content: a run killed after storing files and before its
    commit is followed by one that overwrites them, leaving no orphans."""
    return f"intake/files/{message.kept_at:%Y/%m}/{message.pk}-{position}-{digest[:32]}"


def _store(name: str, content: bytes) -> str:
    storage = InboundAttachment._meta.get_field("file").storage
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(content))


def _attachments(message: InboundMessage, files, stored: list[str]) -> list[InboundAttachment]:
    rows = []
    for position, mail_file in enumerate(files):
        content = bytes(mail_file.content or b"")
        name = safe_display_name(_clean(mail_file.name) or "attachment", max_length=255)
        digest = hashlib.sha256(content).hexdigest()
        upload = SimpleUploadedFile(name, content, content_type=mail_file.content_type or None)
        try:
            kind = check_upload(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
        except ValidationError as refused:
            status, kind_key, reason = (
                InboundAttachment.Status.QUARANTINED,
                "",
                " ".join(str(text) for text in refused.messages),
            )
        else:
            status, kind_key, reason = InboundAttachment.Status.KEPT, kind.key, ""
        path = _store(_attachment_name(message, position, digest), content)
        stored.append(path)
        rows.append(
            InboundAttachment(
                message=message,
                position=position,
                name=name,
                content_type=(mail_file.content_type or content_type_for(name))[:100],
                kind=kind_key,
                size=len(content),
                sha256=digest,
                file=path,
                origin=_clean(getattr(mail_file, "origin", ""), 255),
                status=status,
                reason=_clean(reason),
            )
        )
    InboundAttachment.objects.bulk_create(rows)
    return rows


def _fail(message_id: int, reason: str) -> bool:
    """Failed for good (no retry), with the reason; the raw bytes stay."""
    InboundMessage.objects.filter(pk=message_id, status=InboundMessage.Status.NEW).update(
        status=InboundMessage.Status.FAILED, error=_clean(reason, 2000), processed_at=timezone.now()
    )
    log.warning("intake: message %s failed: %s", message_id, reason)
    return False


def settle(message: InboundMessage) -> None:
    """Eager mode (no broker): process ``message`` now, inside the caller's transaction, so a
    clerk who brought a file by hand sees its item at once (``core.jobs.settle``)."""
    from core.models import Job

    job = Job.objects.filter(key=f"{PROCESS_JOB}:{message.pk}").first()
    if job is not None:
        jobs.settle(job)


def process(*, message_id: int) -> bool:
    """Parse a kept message, store its attachments and hand it to its handler (the job function
    of PROCESS_JOB; see the module docstring). Returns whether it was made done now."""
    message = InboundMessage.objects.select_related("mailbox").filter(pk=message_id).first()
    if message is None or message.status != InboundMessage.Status.NEW:
        return False  # gone, done, or failed: safe to run twice
    InboundMessage.objects.filter(pk=message_id).update(attempts=F("attempts") + 1)
    purpose = message.mailbox.purpose
    handler = handler_for(purpose)
    if handler is None:
        return _fail(message_id, f"No handler is registered for the purpose {purpose!r}.")
    if message.size > settings.INTAKE_MAX_BYTES:
        return _fail(
            message_id,
            f"The message is larger than INTAKE_MAX_BYTES ({message.size} > "
            f"{settings.INTAKE_MAX_BYTES} bytes); it is kept as it came.",
        )
    from core.intake.parse import Unreadable

    stored: list[str] = []
    try:
        with message.raw.open("rb") as stored_raw:
            raw = stored_raw.read()
        try:
            parsed = _parse(message, raw)
        except Unreadable as error:
            return _fail(message_id, str(error) or "The message cannot be read.")
        with transaction.atomic():
            locked = locking(InboundMessage.objects).select_related("mailbox").get(pk=message_id)
            if locked.status != InboundMessage.Status.NEW:
                return False  # another run finished it meanwhile
            _fill(locked, parsed)
            _attachments(locked, parsed.files, stored)
            outcome = handler(message=locked, parsed=parsed)
            locked.outcome = _clean(outcome, 255)
            locked.status, locked.error = InboundMessage.Status.DONE, ""
            locked.processed_at = timezone.now()
            locked.save()
    except Exception as error:
        storage = InboundAttachment._meta.get_field("file").storage
        for path in stored:  # rolled back: their rows are gone, so are they
            try:
                storage.delete(path)
            except OSError:
                log.warning("intake: could not remove %s", path)
        try:  # shown until the next attempt (core.jobs retries with back-off)
            InboundMessage.objects.filter(pk=message_id).update(
                error=_clean(f"{type(error).__name__}: {error}", 2000)
            )
        except Exception:  # the database itself is away: core.jobs records the error
            log.warning("intake: message %s: error not recorded", message_id, exc_info=True)
        raise
    return True


def process_failed(*, error: str, message_id: int) -> None:
    """``on_failure`` of PROCESS_JOB: the last attempt failed; the message says why."""
    _fail(message_id, error)


@transaction.atomic
def message_requeue(*, actor, message: InboundMessage) -> InboundMessage:
    """Process a failed message again (its purpose's handler now exists, a bug was fixed)."""
    locked = locking(InboundMessage.objects).get(pk=message.pk)
    if locked.status != InboundMessage.Status.FAILED:
        raise ValidationError(
            _("Only a message that could not be processed can be processed again.")
        )
    locked.status, locked.error, locked.attempts, locked.processed_at = (
        InboundMessage.Status.NEW,
        "",
        0,
        None,
    )
    locked.save(update_fields=["status", "error", "attempts", "processed_at"])
    job = jobs.enqueue(PROCESS_JOB, key=f"{PROCESS_JOB}:{locked.pk}", message_id=locked.pk)
    jobs.requeue(job)
    events.record(actor=actor, obj=locked, verb=Verb.MESSAGE_REQUEUED)
    return locked
