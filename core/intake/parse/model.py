"""What reading an e-mail gives: the parsed mail with its addresses, texts, files and what kind of
mail it is, a file of it, a bounce's details, and the error for what cannot be read at all."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


MAX_DEPTH = 5  # forwarded messages inside forwarded messages, at most


MAX_NAME = 255


LANGUAGES = ("et", "en", "ru")


class Unreadable(ValueError):
    """The input is not an e-mail at all (the reason is the message)."""


@dataclass
class MailFile:
    name: str
    content: bytes
    content_type: str
    origin: str = ""  # "" for the message's own files; "Fwd: <subject>" or "winmail.dat"


@dataclass
class Bounce:
    original_message_id: str
    recipients: list[str] = field(default_factory=list)
    diagnostic: str = ""


@dataclass
class ParsedMail:
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    from_email: str = ""
    from_name: str = ""
    reply_to_email: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    sent_at: dt.datetime | None = None
    language: str = "et"
    text: str = ""
    quoted: str = ""
    html: str = ""
    files: list[MailFile] = field(default_factory=list)
    forwarded: list[ParsedMail] = field(default_factory=list)
    kind: str = "message"
    kind_reason: str = ""
    bounce: Bounce | None = None
