"""Outlook's .msg files (extract-msg): the same ParsedMail as from an e-mail, with their
attachments and embedded messages."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.header
import email.utils
from email import policy
from email.message import Message

from core.intake.parse.bodies import html_to_text
from core.intake.parse.classify import _bounce, classify
from core.intake.parse.files import _default_name, _file_type, clean_name, rtf_to_text
from core.intake.parse.headers import (
    _addresses,
    _clean,
    _date,
    _language,
    _message_id,
    _message_ids,
    _one_line,
    _text_from_bytes,
    header,
)
from core.intake.parse.model import MAX_DEPTH, MailFile, ParsedMail, Unreadable, log
from core.intake.parse.quoted import split_quoted
from core.intake.parse.walk import _is_forward, _Walk


def _parse_msg(data: bytes, depth: int = 0) -> ParsedMail:
    try:
        import extract_msg

        msg = extract_msg.openMsg(data, strict=False)
    except Exception as error:
        raise Unreadable(f"Not an Outlook message file: {error}") from error
    try:
        return _msg_to_parsed(msg, depth)
    finally:
        with contextlib.suppress(Exception):
            msg.close()


def _msg_attr(msg, name: str, default=None):
    try:
        value = getattr(msg, name, default)
    except Exception:
        return default
    return default if value is None else value


def _msg_to_parsed(msg, depth: int) -> ParsedMail:
    """An extract-msg message read like an e-mail: its transport headers (when Outlook kept
    them) for the ids and the classification, its properties for the rest."""
    message = _msg_headers(msg)
    parsed = ParsedMail()
    parsed.message_id = _message_id(header(message, "message-id"))
    parsed.in_reply_to = _message_id(header(message, "in-reply-to"))
    parsed.references = _message_ids(header(message, "references"))
    senders = _addresses(message, "from")
    if senders:
        parsed.from_name, parsed.from_email = _one_line(senders[0][0]), senders[0][1]
    reply_to = _addresses(message, "reply-to")
    parsed.reply_to_email = reply_to[0][1] if reply_to else parsed.from_email
    parsed.to = [addr for _n, addr in _addresses(message, "to")]
    parsed.cc = [addr for _n, addr in _addresses(message, "cc")]
    parsed.subject = _one_line(_clean(str(_msg_attr(msg, "subject", ""))))
    date = _msg_attr(msg, "date")
    if isinstance(date, dt.datetime):
        parsed.sent_at = date if date.tzinfo else date.replace(tzinfo=dt.UTC)
    else:
        parsed.sent_at = _date(message)
    _msg_body(msg, parsed)
    _msg_files(msg, parsed, depth)
    parsed.language = _language(message, parsed.text)
    walk = _Walk(forwarded=parsed.forwarded)
    parsed.kind, parsed.kind_reason = classify(message, parsed, walk)
    if parsed.kind == "bounce":
        parsed.bounce = _bounce(message, parsed, walk)
    return parsed


def _msg_headers(msg) -> email.message.EmailMessage:
    """The transport headers Outlook kept, with the message's own properties over them."""
    headers = _msg_attr(msg, "header")
    if not isinstance(headers, Message):
        headers = email.message.Message()
    message = email.message.EmailMessage(policy=policy.default)
    for name, value in headers.items():
        with contextlib.suppress(Exception):
            message[name] = str(value)
    for name, attribute in (
        ("From", "sender"),
        ("To", "to"),
        ("Cc", "cc"),
        ("Subject", "subject"),
        ("Message-ID", "messageId"),
    ):
        value = _msg_attr(msg, attribute)
        if value:
            del message[name]
            with contextlib.suppress(Exception):
                message[name] = _one_line(str(value), 2000)
    return message


def _msg_body(msg, parsed: ParsedMail) -> None:
    """The text (else the HTML as text, else the RTF body's) and the quoted part of a reply."""
    body = _msg_attr(msg, "body", "")
    html_body = _msg_attr(msg, "htmlBody", b"")
    if isinstance(html_body, bytes):
        html_body = _text_from_bytes(html_body)
    parsed.html = _clean(html_body or "")
    text = _clean(str(body or "")) or (html_to_text(parsed.html) if parsed.html else "")
    if not text.strip():
        try:
            rtf = _msg_attr(msg, "rtfBody")
            text = rtf_to_text(rtf) if rtf else ""
        except Exception:
            text = ""
    text = text.replace("\r\n", "\n").strip()
    if _is_forward(parsed.subject):
        parsed.text, parsed.quoted = text, ""
    else:
        parsed.text, parsed.quoted = split_quoted(text)


def _msg_files(msg, parsed: ParsedMail, depth: int) -> None:
    """The attachments: files with safe names and checked types, and embedded messages read
    as forwarded ones (their files kept too, with where they came from)."""
    for number, attachment in enumerate(_msg_attr(msg, "attachments", []) or [], start=1):
        content = _msg_attr(attachment, "data")
        if content is not None and not isinstance(content, bytes | str) and depth < MAX_DEPTH:
            try:
                forwarded = _msg_to_parsed(content, depth + 1)
            except Exception:
                log.info("embedded Outlook message could not be read", exc_info=True)
                continue
            parsed.forwarded.append(forwarded)
            origin = _one_line(f"Fwd: {forwarded.subject}" if forwarded.subject else "Fwd:")
            for file in forwarded.files:
                parsed.files.append(
                    MailFile(file.name, file.content, file.content_type, file.origin or origin)
                )
            continue
        if isinstance(content, str):
            content = content.encode("utf-8")
        if not isinstance(content, bytes):
            content = b""
        raw_name = (
            _msg_attr(attachment, "longFilename")
            or _msg_attr(attachment, "shortFilename")
            or _msg_attr(attachment, "displayName")
            or ""
        )
        declared = str(_msg_attr(attachment, "mimetype", "") or "")
        name = clean_name(str(raw_name), default=_default_name(declared, content, number))
        parsed.files.append(MailFile(name, content, _file_type(name, declared, content)))
