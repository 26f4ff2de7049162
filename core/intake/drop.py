"""The scanner's drop folder (or any folder files are put into): each file kept, then moved.

A file is taken only when it is finished: dotfiles and ``*.part``/``*.tmp``/``*.crdownload``
names are being written by their program, and a file changed in the last
INTAKE_DROP_SETTLE_SECONDS may still be growing (a scanner writing over SMB). It is kept
(``services.keep``, idempotent on the file's SHA-256) and only then moved to
``done/YYYY-MM-DD/`` beside it — never deleted, so the folder is its own record. A reader killed
between the two keeps it again next time, which returns the row already kept, and moves it.

An ``.eml`` or Outlook ``.msg`` file is processed as the e-mail it is; anything else becomes a
message of kind *scan* with the file as its one attachment (subject from the file's name, sent
at the file's time).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core.intake import services
from core.intake.models import InboundMessage, Mailbox

log = logging.getLogger(__name__)

DONE = "done"
UNFINISHED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".filepart")


def _waiting(path: Path, now: float) -> bool:
    """Whether ``path`` is not ready to be taken (see the module docstring)."""
    name = path.name
    if name.startswith((".", "~$")) or name.lower().endswith(UNFINISHED_SUFFIXES):
        return True
    return now - path.stat().st_mtime < settings.INTAKE_DROP_SETTLE_SECONDS


def _move_done(path: Path, root: Path) -> Path:
    """Move a kept file to ``done/YYYY-MM-DD/`` under ``root`` (a new name if taken)."""
    folder = root / DONE / timezone.localdate().isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    counter = 1
    while target.exists():
        target = folder / f"{path.stem}-{counter}{path.suffix}"
        counter += 1
    os.replace(path, target)
    return target


def ready_files(root: Path) -> list[Path]:
    """The finished files of the folder, oldest first (sub-folders, ``done/`` included, are not
    read)."""
    now = time.time()
    found = []
    for path in root.iterdir():
        try:
            if path.is_file() and not path.is_symlink() and not _waiting(path, now):
                found.append(path)
        except FileNotFoundError:  # taken by someone else meanwhile
            continue
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def read_folder(*, mailbox: Mailbox, path, limit: int | None = None) -> int:
    """Keep the finished files of the folder ``path`` and move them to ``done/``; how many were
    new. Never raises for a folder or a file that cannot be read: the reason is kept in
    ``mailbox.last_error`` (a file that cannot be read does not hold up the others)."""
    root = Path(path)
    limit = limit or settings.INTAKE_READ_LIMIT
    kept, errors = 0, []
    with services.reading(mailbox) as mine:
        if not mine:
            log.info("intake: %s is being read by another process", mailbox)
            return 0
        try:
            files = ready_files(root)[:limit]
        except OSError as error:  # not mounted, no permission
            files, errors = [], [f"{root}: {type(error).__name__}: {error}"]
        for file in files:
            try:
                kept += _take(mailbox, root, file)
            except OSError as error:  # this file only: the others go on
                errors.append(f"{file.name}: {type(error).__name__}: {error}")
    reason = "\n".join(errors)[:2000]
    if reason:
        log.warning("intake: folder %s: %s", root, reason)
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_read_at=now, last_error=reason)
    mailbox.last_read_at, mailbox.last_error = now, reason
    return kept


def _take(mailbox: Mailbox, root: Path, file: Path) -> int:
    """Keep one file, then move it to ``done/``; 1 when it was new."""
    data = file.read_bytes()
    mtime = datetime.fromtimestamp(file.stat().st_mtime, tz=UTC)
    _message, created = services.keep(
        mailbox=mailbox, raw=data, source=InboundMessage.Source.DROP, name=file.name, sent_at=mtime
    )
    _move_done(file, root)
    return int(created)
