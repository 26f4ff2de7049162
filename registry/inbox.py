"""The registration inbox (*registreerimata dokumendid*): every message of the agency's general
mailbox and every scan of its scanner (``core.intake``, purpose "registry") becomes one
``InboxItem``, which a clerk registers as an incoming document in one step or sets aside with a
reason.

Rules:
- One item per message, whatever happens (the handler runs again after a crash: idempotent on
  the OneToOne to ``core.InboundMessage``).
- Nothing is lost and nothing is deleted. Automatic messages (auto-replies, bounces, newsletters)
  are items too, set aside from the start ("automatic message"), so the clerk's list shows only
  real mail yet the message can still be found and returned to the inbox.
- Registering is all or nothing: the new sender, the document, its files (every kept or released
  attachment, through ``registry.services.attachment_add`` so their text is extracted) and the
  item's new status are written in one transaction, with the item's row locked, so a second
  submit (another tab, another clerk) makes no second document.
- Every change is an event on the item's timeline (and the registration on the document's).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.intake.models import InboundAttachment, InboundMessage
from core.models import User
from core.uploads import safe_display_name
from core.validators import validate_registry_code
from registry import search, services
from registry.models import Document, InboxItem, Party
from registry.verbs import Verb
from registry.workflows import INBOX

PURPOSE = "registry"
AUTOMATIC_KINDS = frozenset(
    {
        InboundMessage.Kind.AUTO_REPLY,
        InboundMessage.Kind.BOUNCE,
        InboundMessage.Kind.BULK,
    }
)
#: The attachments that become the document's files.
USABLE = (InboundAttachment.Status.KEPT, InboundAttachment.Status.RELEASED)
#: The reasons a clerk may choose (an automatic message is set aside by the system only).
CLERK_REASONS = [
    choice for choice in InboxItem.Reason.choices if choice[0] != InboxItem.Reason.AUTOMATIC
]
REGISTRY_CODE = re.compile(r"(?<!\d)([1789]\d{7})(?!\d)")


# --- E-mail files brought by hand ----------------------------------------------------------------

UPLOAD_MAILBOX = "uploads"


def files_upload(*, actor: User, files) -> list[InboundMessage]:
    """E-mails a clerk saved from Outlook or a webmail (``.eml``, ``.msg``) and drops on the
    inbox: each one goes through the same intake as the general mailbox (kept as it came, then
    made into an item), so a file brought twice makes one item. A file that is not an e-mail is
    refused by name, and none of the files is taken then (register a paper document instead)."""
    from core.intake import parse
    from core.intake import services as intake

    read = []
    for uploaded in files:
        name = safe_display_name(uploaded.name or "message.eml")
        uploaded.seek(0)
        data = b"".join(uploaded.chunks())
        if not parse.is_email_file(name, data):
            raise ValidationError(
                _("%(name)s is not an e-mail saved as .eml or an Outlook .msg file.")
                % {"name": name}
            )
        read.append((name, data))
    mailbox = intake.mailbox(UPLOAD_MAILBOX, PURPOSE)
    kept = []
    for name, data in read:
        message, created = intake.keep(mailbox=mailbox, raw=data, source="file", name=name)
        if created:
            events.record(actor=actor, obj=message, verb=Verb.INBOX_UPLOADED, data={"file": name})
        intake.settle(message)
        kept.append(message)
    return kept


# --- The handler of core.intake -----------------------------------------------------------------


def handle(*, message: InboundMessage, parsed=None) -> str:
    """``core.intake``'s handler of purpose "registry": the message's inbox item (made once)."""
    item, created = item_receive(message=message)
    if not created:
        return _("inbox item %(pk)d (already there)") % {"pk": item.pk}
    if item.status == InboxItem.Status.DISMISSED:
        return _("inbox item %(pk)d, set aside: automatic message") % {"pk": item.pk}
    return _("inbox item %(pk)d") % {"pk": item.pk}


@transaction.atomic
def item_receive(*, message: InboundMessage) -> tuple[InboxItem, bool]:
    """The item of ``message``, made if missing: new, or set aside when the message is an
    automatic one (nobody decided: the system did, with the reason it recognised)."""
    existing = InboxItem.objects.filter(message=message).first()
    if existing is not None:
        return existing, False
    item = InboxItem(message=message, received_at=message.kept_at or timezone.now())
    if message.kind in AUTOMATIC_KINDS:
        item.status = InboxItem.Status.DISMISSED
        item.reason = InboxItem.Reason.AUTOMATIC
        item.note = _("automatic message: %(reason)s") % {
            "reason": message.kind_reason or message.get_kind_display()
        }
        item.decided_at = timezone.now()
    item.full_clean(exclude=["message"])
    item.save()
    events.record(
        actor=None,
        obj=item,
        verb=Verb.INBOX_RECEIVED,
        data={"from": message.sender_email, "kind": message.kind},
    )
    if item.status == InboxItem.Status.DISMISSED:
        events.record(
            actor=None,
            obj=item,
            verb=Verb.INBOX_SET_ASIDE,
            data={"reason": item.get_reason_display(), "note": item.note},
        )
    return item, True


# --- What the registration form starts with -----------------------------------------------------


def title_of(message: InboundMessage) -> str:
    """The document's title: the subject; a scan's file name without its extension."""
    if message.kind == InboundMessage.Kind.SCAN or not message.subject.strip():
        name = message.raw_name or message.subject
        if message.kind != InboundMessage.Kind.SCAN and not name:
            return ""
        stem = PurePosixPath(name.replace("\\", "/")).name
        stem = stem.rsplit(".", 1)[0] if "." in stem else stem
        title = " ".join(re.sub(r"[_]+", " ", stem).split())
        return title or message.subject.strip()
    return " ".join(message.subject.split())


def received_on_of(message: InboundMessage, *, today: date | None = None) -> date:
    """The day of receipt: the message's Date, else when it was kept; never in the future."""
    today = today or timezone.localdate()
    moment = message.sent_at or message.kept_at
    day = timezone.localdate(moment) if moment else today
    return min(day, today)


def registry_codes(*texts: str) -> list[str]:
    """Valid Estonian registry codes (8 digits, checksum) found in ``texts``, in order."""
    found: list[str] = []
    for text in texts:
        for code in REGISTRY_CODE.findall(text or ""):
            try:
                validate_registry_code(code)
            except ValidationError:
                continue
            if code not in found:
                found.append(code)
    return found


def sender_of(message: InboundMessage) -> tuple[Party | None, dict]:
    """The party who sent the message: by its e-mail, else by a registry code in the subject or
    the text. When none matches: what a new sender's form starts with (name, e-mail, a valid
    registry code if one was written). Two queries at most."""
    if message.kind == InboundMessage.Kind.SCAN:
        return None, {}
    if message.sender_email:
        party = (
            Party.objects.filter(email__iexact=message.sender_email).order_by("name", "id").first()
        )
        if party is not None:
            return party, {}
    codes = registry_codes(message.subject, message.text)
    if codes:
        party = Party.objects.filter(code__in=codes).order_by("name", "id").first()
        if party is not None:
            return party, {}
    new = {
        "name": message.sender_name or message.sender_email,
        "email": message.sender_email,
    }
    if codes:
        new["code"] = codes[0]
    return None, new


# --- Decisions ----------------------------------------------------------------------------------


def message_file_name(message: InboundMessage) -> str:
    """The name of the message itself as a document's file: its subject, ``.eml``."""
    stem = re.sub(r"[^\w .,()-]+", " ", message.subject or "").strip()[:100] or _("message")
    return safe_display_name(f"{stem}.eml")


@transaction.atomic
def item_register(
    *,
    actor: User,
    item: InboxItem,
    sender: Party | None = None,
    new_sender: dict | None = None,
    keep_message: bool = True,
    **document_fields,
) -> Document:
    """Register the item's message as an incoming document (``document_register`` with the
    form's fields), with a new sender if ``new_sender`` is given, every kept or released
    attachment as a file (and the message itself as an ``.eml`` when ``keep_message``), and
    mark the item registered. A second call for the same item is refused (its row is locked
    first, so two clerks at once make one document)."""
    item = INBOX.lock(item)
    INBOX.check(item, "register", actor)
    message = InboundMessage.objects.get(pk=item.message_id)
    if new_sender is not None:
        sender = services.party_create(actor=actor, **new_sender)
    document = services.document_register(actor=actor, sender=sender, **document_fields)
    attached, refused = [], []
    files = list(
        message.attachments.filter(status__in=USABLE).exclude(file="").order_by("position", "pk")
    )
    publicity = {
        "is_public": document_fields.get("public_files"),
        "withheld_reason": document_fields.get("withheld_reason", ""),
    }
    if keep_message and message.raw and message.kind != InboundMessage.Kind.SCAN:
        _attach(
            actor, document, message.raw, message_file_name(message), attached, refused, publicity
        )
    for attachment in files:
        _attach(actor, document, attachment.file, attachment.name, attached, refused, publicity)
    search.refresh(document)
    item.document = document
    item.reason = ""
    item.decided_by = actor
    item.decided_at = timezone.now()
    data = {"number": document.number, "files": attached}
    if refused:
        data["not_attached"] = refused
    INBOX.move(item, "register", actor=actor, **data)
    item.save(update_fields=["status", "document", "reason", "decided_by", "decided_at"])
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.INBOX_REGISTERED,
        data={"from": message.sender_email, "subject": message.subject, **data},
    )
    document.inbox_refused_files = refused
    return document


def _attach(
    actor, document, fieldfile, name: str, attached: list, refused: list, publicity: dict
) -> None:
    """One file through ``attachment_add`` (its checks, its text extraction). A file the
    register refuses (a released file of a kind it does not take) leaves the registration in
    place: it stays with the message, and the clerk is told."""
    try:
        with transaction.atomic(), fieldfile.open("rb") as handle:
            services.attachment_add(
                actor=actor,
                document=document,
                uploaded=File(handle, name=name),
                refresh=False,
                **publicity,
            )
    except ValidationError as error:
        refused.append({"file": name, "reason": " ".join(error.messages)})
    else:
        attached.append(name)


@transaction.atomic
def item_set_aside(*, actor: User, item: InboxItem, reason: str, note: str = "") -> InboxItem:
    """Not for registration (spam, a duplicate, personal mail, …), with the reason; reversible."""
    if reason not in dict(CLERK_REASONS):
        raise ValidationError({"reason": _("Choose the reason.")})
    if reason == InboxItem.Reason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say why the message is not registered.")})
    item = INBOX.lock(item)
    item.reason = reason
    item.note = note.strip()
    INBOX.move(item, "set_aside", actor=actor, reason=item.get_reason_display(), note=item.note)
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save(update_fields=["status", "reason", "note", "decided_by", "decided_at"])
    return item


@transaction.atomic
def item_return(*, actor: User, item: InboxItem) -> InboxItem:
    """Back to the inbox: a message set aside (by a clerk or as automatic) can be registered."""
    item = INBOX.lock(item)
    INBOX.move(item, "return", actor=actor, was=item.get_reason_display())
    item.reason = ""
    item.note = ""
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save(update_fields=["status", "reason", "note", "decided_by", "decided_at"])
    return item
