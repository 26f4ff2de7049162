"""What the intake's parts share: the job that processes a kept message, the handlers each purpose
(the register, the support desk) registers, its mailboxes, and text cleaned for the database."""

from __future__ import annotations

import logging
from collections.abc import Callable

from core.intake.models import Mailbox

log = logging.getLogger(__name__)


PROCESS_JOB = "intake.process"


EMAIL_SUFFIXES = (".eml", ".msg")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Outlook .msg file


Handler = Callable[..., str]


_handlers: dict[str, Handler] = {}


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


def _clean(text: str | None, limit: int | None = None) -> str:
    """Text PostgreSQL can hold: no NUL characters, no lone surrogates."""
    text = str(text or "").replace("\x00", "")
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    return text[:limit] if limit else text
