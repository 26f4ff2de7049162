"""Keeping and processing incoming messages: the only writer of the intake's rows.

``keep`` stores a message as it came — the raw bytes in storage, the row committed in its own
transaction together with its ``core.jobs`` job — before anything else can fail; it is
idempotent on (mailbox, UIDVALIDITY, UID) for IMAP and on (mailbox, SHA-256) for everything, so
reading a message again (a run killed before it advanced the high-water mark, a new
UIDVALIDITY, the same file dropped twice) returns the row already kept.

``process`` is that job: it parses the message, stores every attachment on its own (kept, or
quarantined with the reason ``core.uploads.check_upload`` gave) and hands it to the handler its
mailbox's purpose names (``register_handler``). The attachment rows, the handler's work and
"done" are one transaction, taken with the message row locked: a run killed half-way leaves
nothing behind but files it overwrites on the next run (their names are fixed by message,
position and content), and a second run of a done message does nothing. A message that cannot
be read at all (``Unreadable``), one over INTAKE_MAX_BYTES and one whose purpose has no handler
are failed at once with the reason; any other error is retried by ``core.jobs`` with back-off and
failed with the reason after the last attempt. Nothing is ever deleted: a failed message keeps
its raw bytes for staff to download.
"""

from __future__ import annotations

import email.policy
import hashlib
import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, jobs
from core.intake.models import InboundAttachment, InboundMessage, Mailbox
from core.intake.verbs import Verb
from core.intake.workflows import QUARANTINE
from core.uploads import check_upload, content_type_for, safe_display_name
from core.workflow import locking

log = logging.getLogger(__name__)

PROCESS_JOB = "intake.process"
EMAIL_SUFFIXES = (".eml", ".msg")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Outlook .msg file

Handler = Callable[..., str]
_handlers: dict[str, Handler] = {}


# --- Handlers ------------------------------------------------------------------------------------


def register_handler(purpose: str, func: Handler) -> None:
    """Say who makes something of the messages of mailboxes with ``purpose`` (called from the
    purpose's app in ``AppConfig.ready()``: core imports no app).

    ``func(*, message, parsed) -> str`` runs inside the transaction that marks the message done,
    with the message's attachment rows already there; it returns the outcome text ("KT-…") and
    must be idempotent (a run killed after it and before the commit is rolled back with it, but
    the handler may still be asked twice for a message whose row it cannot see as done)."""
    _handlers[purpose] = func


def handler_for(purpose: str) -> Handler | None:
    return _handlers.get(purpose)


def mailbox(name: str, purpose: str) -> Mailbox:
    """The mailbox called ``name``, made with ``purpose`` the first time (its purpose is then
    kept: an existing mailbox is never switched to another purpose here)."""
    box, _created = Mailbox.objects.get_or_create(name=name, defaults={"purpose": purpose})
    return box


# --- Keeping -------------------------------------------------------------------------------------


def _existing(box: Mailbox, uid: int | None, uidvalidity: int | None, digest: str):
    if uid is not None:
        found = InboundMessage.objects.filter(mailbox=box, uidvalidity=uidvalidity, uid=uid).first()
        if found is not None:
            return found
    # The same bytes again: a file dropped twice, or an IMAP message read again under a new
    # UIDVALIDITY (the server keeps the bytes; Received headers make a new delivery differ).
    return InboundMessage.objects.filter(mailbox=box, sha256=digest).order_by("pk").first()


def _headers(raw: bytes) -> dict[str, str]:
    """What a list shows of a message before it is processed (or when it cannot be): its
    subject, sender and Message-ID from the headers alone; nothing when they cannot be read."""
    try:
        headers = BytesHeaderParser(policy=email.policy.default).parsebytes(raw[:262144])
        name, address = parseaddr(str(headers.get("From", "")))
        return {
            "message_id": _clean(str(headers.get("Message-ID", "")).strip(), 255),
            "subject": _clean(" ".join(str(headers.get("Subject", "")).split()), 255),
            "sender_email": _clean(address.strip().lower(), 254) if "@" in address else "",
            "sender_name": _clean(name.strip(), 255),
        }
    except Exception:  # any header the email package cannot decode: the parser will tell
        log.info("intake: headers not readable before processing", exc_info=True)
        return {}


def keep(
    *,
    mailbox: Mailbox,
    raw: bytes,
    source: str,
    uid: int | None = None,
    uidvalidity: int | None = None,
    name: str = "",
    sent_at: datetime | None = None,
) -> tuple[InboundMessage, bool]:
    """Store ``raw`` as it came and queue its processing; ``(message, created)``.

    The bytes go to storage first, then the row and its job are committed together (a savepoint
    when the caller has a transaction open: the IMAP reader advances its high-water mark in the
    same one). ``name`` is the file's name (uploads, drop folder); ``sent_at`` the time a drop
    folder's file was written (a scan has no Date header)."""
    raw = bytes(raw)
    digest = hashlib.sha256(raw).hexdigest()
    found = _existing(mailbox, uid, uidvalidity, digest)
    if found is not None:
        return found, False
    message = InboundMessage(
        mailbox=mailbox,
        source=source,
        uid=uid,
        uidvalidity=uidvalidity if uid is not None else None,
        sha256=digest,
        raw_name=safe_display_name(name)[:255] if name else "",
        size=len(raw),
        sent_at=sent_at,
    )
    is_drop_scan = source == InboundMessage.Source.DROP and not name.lower().endswith(".eml")
    if not raw.startswith(OLE_MAGIC) and not is_drop_scan:  # an RFC 5322 message
        for field, value in _headers(raw).items():
            setattr(message, field, value)
    message.raw.save("message.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            message.save()
            jobs.enqueue(PROCESS_JOB, key=f"{PROCESS_JOB}:{message.pk}", message_id=message.pk)
    except IntegrityError:  # a twin committed first (two uploads of one file at once)
        message.raw.delete(save=False)
        found = _existing(mailbox, uid, uidvalidity, digest)
        if found is None:
            raise
        return found, False
    return message, True


# --- Processing ----------------------------------------------------------------------------------


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


def _clean(text: str | None, limit: int | None = None) -> str:
    """Text PostgreSQL can hold: no NUL characters, no lone surrogates."""
    text = str(text or "").replace("\x00", "")
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    return text[:limit] if limit else text


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


# --- Quarantine ----------------------------------------------------------------------------------


@transaction.atomic
def attachment_release(*, actor, attachment: InboundAttachment) -> InboundAttachment:
    """Release a quarantined file: staff have looked at it and it may be used as it is. The
    consumer's view checks the permission and attaches the file where it belongs."""
    locked = QUARANTINE.lock(attachment)
    QUARANTINE.move(
        locked, "release", actor=actor, attachment=locked.pk, name=locked.name, reason=locked.reason
    )
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def attachment_delete(*, actor, attachment: InboundAttachment, reason: str) -> InboundAttachment:
    """Delete a quarantined file: the file goes (after commit), the row stays with who, when and
    why, and the timeline says so."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the file is deleted."))
    locked = QUARANTINE.lock(attachment)
    QUARANTINE.move(
        locked,
        "delete",
        actor=actor,
        attachment=locked.pk,
        name=locked.name,
        reason=reason,
        quarantine_reason=locked.reason,
    )
    path = locked.file.name
    locked.reason, locked.file = reason, ""
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "file", "decided_by", "decided_at"])
    if path:
        storage = locked.file.storage
        transaction.on_commit(lambda: storage.delete(path))
    return locked


# --- Downloads for the consumers' views -----------------------------------------------------------


def raw_filename(message: InboundMessage) -> str:
    """The download name of a message as it came: its file's name, else its subject + .eml."""
    if message.raw_name and message.source != InboundMessage.Source.IMAP:
        return message.raw_name
    subject = (message.subject or "").replace("/", "_").replace("\\", "_")  # not folders
    stem = safe_display_name(subject, max_length=120).removesuffix(".eml")
    return f"{stem if message.subject else f'message-{message.pk}'}.eml"


def raw_download(message: InboundMessage) -> FileResponse:
    """The message as it came, as a download (the caller's view checks permission)."""
    name = raw_filename(message)
    is_email = PurePath(name.lower()).suffix == ".eml"
    return FileResponse(
        message.raw.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="message/rfc822" if is_email else "application/octet-stream",
    )


def attachment_download(attachment: InboundAttachment) -> FileResponse:
    """One attachment as a download (quarantined ones too: staff decide on them). Never shown
    inline: its type may be a lie."""
    if not attachment.file:
        raise FileNotFoundError(attachment.name)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type="application/octet-stream",
    )


# --- Reading the configured sources ---------------------------------------------------------------

_LOCK_CLASS = 0x494E  # "IN": the first key of the intake's advisory locks


@contextmanager
def reading(box: Mailbox):
    """Whether this process may read ``box`` now: one reader per mailbox at a time (a read that
    outlasts beat's minute, a manual ``read_mail`` beside beat). A PostgreSQL session lock, so a
    reader killed with ``kill -9`` lets go of it with its connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, box.pk])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, box.pk])


def sources() -> list[tuple[str, str, str, str]]:
    """The configured sources: ``(mailbox name, purpose, "imap" | "drop", url or path)``."""
    found = []
    if settings.HELPDESK_IMAP_URL:
        found.append(("helpdesk", "helpdesk", "imap", settings.HELPDESK_IMAP_URL))
    if settings.REGISTRY_IMAP_URL:
        found.append(("registry", "registry", "imap", settings.REGISTRY_IMAP_URL))
    if settings.SCANNER_DROP_DIR:
        found.append(("scanner", "registry", "drop", str(settings.SCANNER_DROP_DIR)))
    return found


def read_sources(*, only: str | None = None, limit: int | None = None) -> dict[str, int]:
    """Read every configured source once (or the one named ``only``): ``{name: new messages}``.
    Never raises for a source that cannot be reached: its mailbox row keeps ``last_error``."""
    from core.intake import drop, imap

    limit = limit or settings.INTAKE_READ_LIMIT
    read = {}
    for name, purpose, kind, where in sources():
        if only and name != only:
            continue
        box = mailbox(name, purpose)
        try:
            if kind == "imap":
                read[name] = imap.read_mailbox(mailbox=box, url=where, limit=limit)
            else:
                read[name] = drop.read_folder(mailbox=box, path=where, limit=limit)
        except Exception as error:  # e.g. the database went away: the next run tries again
            log.exception("intake: reading %s failed", name)
            Mailbox.objects.filter(pk=box.pk).update(
                last_error=_clean(f"{type(error).__name__}: {error}", 2000)
            )
            read[name] = 0
    return read
