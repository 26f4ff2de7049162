"""Reading an IMAP folder by UID, above a stored high-water mark (RFC 3501 § 2.3.1.1).

The unseen flag says nothing about what we have kept: a message opened in Outlook first is
"seen" and still new to us. So the folder is opened read-only (EXAMINE), messages are fetched
with ``BODY.PEEK[]`` (which never sets ``\\Seen``), and ``Mailbox.last_uid`` is the highest UID
kept so far under ``Mailbox.uidvalidity``. Each message is kept (``services.keep``) and the mark
advanced in one transaction, so a reader killed at any point reads again at most the message it
was at, and ``keep`` returns the row already kept for it. A new UIDVALIDITY (the folder was
recreated or the server rebuilt its index) starts from UID 1 again; messages whose bytes were
kept before are recognised by their SHA-256 and not made twice.

URL: ``imaps://user:password@host[:993]/Folder`` (TLS) or ``imap://…[:143]/Folder``, which uses
STARTTLS when the server offers it and is refused in clear text except to a loopback address
(a password never crosses a network unencrypted). User and password are percent-encoded.
"""

from __future__ import annotations

import imaplib
import ipaddress
import logging
import re
import ssl
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils import timezone

from core.intake import services
from core.intake.models import InboundMessage, Mailbox

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)", re.IGNORECASE)
_FETCH_UID = re.compile(rb"UID (\d+)", re.IGNORECASE)


class MailboxError(Exception):
    """The mailbox cannot be read now (the reason is kept on the mailbox row)."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(url: str) -> tuple[imaplib.IMAP4, str]:
    """A logged-in client and the folder's name, from a mailbox URL."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("imap", "imaps") or not host:
        raise MailboxError(f"not an imap:// or imaps:// URL: {parts.scheme}://{host}")
    context = ssl.create_default_context()
    if parts.scheme == "imaps":
        client = imaplib.IMAP4_SSL(
            host, parts.port or 993, ssl_context=context, timeout=TIMEOUT_SECONDS
        )
    else:
        client = imaplib.IMAP4(host, parts.port or 143, timeout=TIMEOUT_SECONDS)
        if "STARTTLS" in client.capabilities:
            client.starttls(ssl_context=context)
        elif not _is_loopback(host):
            client.shutdown()
            raise MailboxError(
                f"{host} offers no STARTTLS: use imaps:// (the password is never sent in clear "
                "text except to this machine)"
            )
    try:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    except Exception:
        client.shutdown()
        raise
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return client, folder


def _check(status: str, data, what: str) -> None:
    if status != "OK":
        detail = b" ".join(item for item in data if isinstance(item, bytes)).decode(
            errors="replace"
        )
        raise MailboxError(f"{what}: {status} {detail}".strip())


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _select(client: imaplib.IMAP4, folder: str) -> int:
    """Open the folder read-only; its UIDVALIDITY."""
    status, data = client.select(_quoted(folder), readonly=True)
    _check(status, data, f"EXAMINE {folder}")
    _name, values = client.response("UIDVALIDITY")
    value = next((v for v in values or [] if v), None)
    if value is None:
        status, data = client.status(_quoted(folder), "(UIDVALIDITY)")
        _check(status, data, f"STATUS {folder}")
        match = _UIDVALIDITY.search(data[0] or b"")
        if match is None:
            raise MailboxError(f"{folder}: the server gave no UIDVALIDITY")
        value = match.group(1)
    return int(value)


def _new_uids(client: imaplib.IMAP4, last_uid: int, limit: int) -> list[int]:
    status, data = client.uid("SEARCH", f"UID {last_uid + 1}:*")
    _check(status, data, "UID SEARCH")
    uids = sorted({int(uid) for uid in (data[0] or b"").split()})
    # "n:*" always includes the highest UID, even when it is below n (RFC 3501 § 6.4.8).
    return [uid for uid in uids if uid > last_uid][:limit]


def _fetch(client: imaplib.IMAP4, uid: int) -> bytes | None:
    """The message as it is on the server, without setting \\Seen; None when it is gone."""
    status, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    _check(status, data, f"UID FETCH {uid}")
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2:
            match = _FETCH_UID.search(item[0])
            if match is None or int(match.group(1)) == uid:
                return item[1]
    return None


def read_mailbox(*, mailbox: Mailbox, url: str, limit: int = 200) -> int:
    """Keep the messages of ``url``'s folder above ``mailbox.last_uid``; how many were new.

    Never raises for a mailbox that cannot be read (a server down, a wrong password): the reason
    is kept in ``mailbox.last_error`` and logged, and the next run tries again."""
    with services.reading(mailbox) as mine:
        if not mine:
            log.info("intake: %s is being read by another process", mailbox)
            return 0
        try:
            kept = _read(mailbox, url, limit)
        except (OSError, EOFError, imaplib.IMAP4.error, MailboxError) as error:
            reason = f"{type(error).__name__}: {error}"[:2000]
            log.warning("intake: mailbox %s cannot be read: %s", mailbox, reason)
            Mailbox.objects.filter(pk=mailbox.pk).update(last_error=reason)
            mailbox.last_error = reason
            return 0
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_read_at=now, last_error="")
    mailbox.last_read_at, mailbox.last_error = now, ""
    return kept


def _read(mailbox: Mailbox, url: str, limit: int) -> int:
    client, folder = connect(url)
    kept = 0
    try:
        uidvalidity = _select(client, folder)
        mailbox.refresh_from_db(fields=["uidvalidity", "last_uid"])
        if mailbox.uidvalidity != uidvalidity:
            if mailbox.uidvalidity is not None:
                log.warning(
                    "intake: %s has a new UIDVALIDITY (%s, was %s): reading it from the start",
                    mailbox,
                    uidvalidity,
                    mailbox.uidvalidity,
                )
            Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
            mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
        for uid in _new_uids(client, mailbox.last_uid, limit):
            raw = _fetch(client, uid)
            with transaction.atomic():
                if raw is not None:  # None: expunged since the search; nothing to keep
                    _message, created = services.keep(
                        mailbox=mailbox,
                        raw=raw,
                        source=InboundMessage.Source.IMAP,
                        uid=uid,
                        uidvalidity=uidvalidity,
                    )
                    kept += created
                Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)
            mailbox.last_uid = uid
    finally:
        try:
            client.logout()
        except (OSError, EOFError, imaplib.IMAP4.error):
            log.info("intake: logout from %s failed", mailbox)
    return kept
