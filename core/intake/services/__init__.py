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

from core.intake.services.common import (  # noqa: F401 - the package's names
    EMAIL_SUFFIXES,
    OLE_MAGIC,
    PROCESS_JOB,
    Handler,
    _clean,
    _handlers,
    handler_for,
    log,
    mailbox,
    register_handler,
)
from core.intake.services.files import (  # noqa: F401 - the package's names
    attachment_delete,
    attachment_download,
    attachment_release,
    raw_download,
    raw_filename,
)
from core.intake.services.keeping import (  # noqa: F401 - the package's names
    _existing,
    _headers,
    keep,
)
from core.intake.services.processing import (  # noqa: F401 - the package's names
    _attachment_name,
    _attachments,
    _fail,
    _fill,
    _parse,
    _scan,
    _store,
    message_requeue,
    process,
    process_failed,
    settle,
)
from core.intake.services.reading import (  # noqa: F401 - the package's names
    _LOCK_CLASS,
    read_sources,
    reading,
    sources,
)
