"""Reading the configured sources (IMAP mailboxes, the scanner's folder), each under its advisory
lock."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from core.intake.models import Mailbox
from core.intake.services.common import _clean, log, mailbox

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
