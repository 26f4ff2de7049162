"""Reading an e-mail as it came into what the intake needs: sender, subject, the new text and the
quoted one, every file, and whether a person wrote it (issue 15).

The rules, and why:
- Nothing is dropped. Every attachment and inline image is a ``MailFile``; a part that cannot be
  decoded is kept with its payload as it came; ``winmail.dat`` (TNEF) is unpacked with
  ``tnefparse``; forwarded messages (``message/rfc822``) are parsed too and their files added
  with their ``origin``. Quoted earlier messages go to ``quoted``, never away.
- Nothing crashes. The standard library's parser (``email.policy.default``) reads the message;
  a header it chokes on is read again the old way (``compat32``), a part without a usable
  charset is decoded with the charset ``charset-normalizer`` finds, 8-bit headers likewise.
  Only input that is not a mail at all raises ``Unreadable``.
- Machines are recognised (RFC 3834 and common practice) so that no auto-reply, bounce or
  newsletter becomes a ticket or gets an acknowledgement: ``kind`` and ``kind_reason``;
  a delivery failure notice also says which of our messages failed (``Bounce``).

Outlook's own ``.msg`` files are read with ``extract-msg`` (``parse_file``).
"""

from __future__ import annotations

import email
import email.header
import email.utils
from email import policy
from email.message import Message

from core.intake.parse.bodies import (  # noqa: F401 - the package's names
    _HTMLText,
    _part_text,
    _payload_bytes,
    html_to_text,
)
from core.intake.parse.classify import (  # noqa: F401 - the package's names
    _BOUNCE_SUBJECT,
    _DAEMONS,
    _NOREPLY,
    _OOO_SUBJECT,
    _PRECEDENCE,
    _STATUS_CODE,
    _bounce,
    _title,
    classify,
)
from core.intake.parse.files import (  # noqa: F401 - the package's names
    _DEFAULT_NAMES,
    _GENERIC_TYPES,
    _SNIFF,
    _default_name,
    _file_type,
    _part_name,
    _tnef_files,
    clean_name,
    rtf_to_text,
)
from core.intake.parse.headers import (  # noqa: F401 - the package's names
    _LIKELY_CHARSETS,
    _addresses,
    _clean,
    _date,
    _decode_words,
    _detect,
    _eight_bit_header,
    _fix_surrogates,
    _has_surrogates,
    _language,
    _message_id,
    _message_ids,
    _one_line,
    _our_letters,
    _raw_header,
    _text_from_bytes,
    _valid,
    header,
)
from core.intake.parse.model import (  # noqa: F401 - the package's names
    LANGUAGES,
    MAX_DEPTH,
    MAX_NAME,
    Bounce,
    MailFile,
    ParsedMail,
    Unreadable,
    log,
)
from core.intake.parse.outlook import (  # noqa: F401 - the package's names
    _msg_attr,
    _msg_to_parsed,
    _parse_msg,
)
from core.intake.parse.quoted import (  # noqa: F401 - the package's names
    _OUTLOOK_FROM,
    _OUTLOOK_SENT,
    _QUOTE_HEADS,
    _RULE,
    _quote_head,
    _quote_start,
    split_quoted,
)
from core.intake.parse.walk import (  # noqa: F401 - the package's names
    _FORWARD,
    _as_bytes,
    _is_attachment,
    _is_forward,
    _opaque_signed,
    _parse_message,
    _recover_multipart,
    _Segment,
    _status_blocks,
    _subparts,
    _Walk,
    _walk,
    _walk_alternative,
    _walk_forwarded,
)

_MAIL_HEADERS = {
    "from", "to", "cc", "subject", "date", "message-id", "received", "return-path",
    "mime-version", "content-type", "sender", "delivered-to", "reply-to", "in-reply-to",
    "references", "x-mailer", "user-agent", "auto-submitted", "x-original-to",
}  # fmt: skip


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def parse_email(raw: bytes) -> ParsedMail:
    """An RFC 5322 message's bytes, read; ``Unreadable`` if they are not a mail at all."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if not raw or not raw.strip():
        raise Unreadable("The file is empty.")
    if raw.startswith(OLE_MAGIC):
        return _parse_msg(raw)
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
    except Exception as error:  # the parser itself is lenient; this is for the unforeseen
        raise Unreadable(f"Not an e-mail message: {error}") from error
    if not _looks_like_mail(message):
        raise Unreadable("Not an e-mail message: no mail headers found.")
    return _parse_message(message, depth=0)


def parse_file(name: str, data: bytes) -> ParsedMail:
    """An ``.eml`` or Outlook ``.msg`` file, read; ``Unreadable`` for anything else."""
    if data.startswith(OLE_MAGIC):
        return _parse_msg(data)
    if name.lower().endswith(".msg") and not data.lstrip()[:1].isalpha():
        raise Unreadable("Not an Outlook message file.")
    return parse_email(data)


def is_email_file(name: str, data: bytes) -> bool:
    """Whether ``parse_file`` can read the file: an ``.eml`` with mail headers or an Outlook
    ``.msg`` (the scanner's drop folder keeps everything else as a scan)."""
    lower = name.lower()
    if not lower.endswith((".eml", ".msg")):
        return False
    if data.startswith(OLE_MAGIC):  # Outlook's own format, whichever of the two names it has
        return b"_\x00_\x00s\x00u\x00b\x00s\x00t\x00g\x001\x00" in data
    if lower.endswith(".msg") and not data.lstrip()[:1].isalpha():
        return False
    try:
        message = email.message_from_bytes(data[:65536], policy=policy.compat32)
    except Exception:
        return False
    return _looks_like_mail(message)


def _looks_like_mail(message: Message) -> bool:
    try:
        names = {name.lower() for name, _value in message.raw_items()}
    except Exception:
        return False
    return bool(names & _MAIL_HEADERS)


__all__ = [
    "Bounce",
    "MailFile",
    "ParsedMail",
    "Unreadable",
    "classify",
    "clean_name",
    "html_to_text",
    "is_email_file",
    "parse_email",
    "parse_file",
    "split_quoted",
]
