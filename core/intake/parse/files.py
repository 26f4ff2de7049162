"""Attachments: their names made safe (RFC 2231 and encoded words, path parts removed, a default by
type), their type checked by content, and what Outlook puts in winmail.dat (TNEF) and RTF
bodies."""

from __future__ import annotations

import email
import email.header
import email.utils
import mimetypes
import re
import unicodedata
from email.message import Message

from core.intake.parse.bodies import html_to_text
from core.intake.parse.headers import (
    _clean,
    _decode_words,
    _fix_surrogates,
    _raw_header,
    _text_from_bytes,
)
from core.intake.parse.model import MAX_NAME, MailFile, log

_DEFAULT_NAMES = {
    "application/ms-tnef": "winmail.dat",
    "application/vnd.ms-tnef": "winmail.dat",
    "application/pkcs7-signature": "smime.p7s",
    "application/x-pkcs7-signature": "smime.p7s",
    "application/pkcs7-mime": "smime.p7m",
    "application/x-pkcs7-mime": "smime.p7m",
    "text/calendar": "invite.ics",
    "message/rfc822": "message.eml",
}


_GENERIC_TYPES = {"application/octet-stream", "application/x-unknown", "application/unknown", ""}


_SNIFF = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF8", "image/gif", ".gif"),
    (b"PK\x03\x04", "application/zip", ".zip"),
    (b"MZ", "application/x-msdownload", ".exe"),
]


def clean_name(name: str, default: str = "attachment") -> str:
    """A file name fit to keep: decoded, NFC, no path, no control characters, at most 255
    characters with its extension kept."""
    name = _fix_surrogates(name or "")
    if "=?" in name:
        name = _decode_words(name)
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split()).strip(". ") or default
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: MAX_NAME - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME]
    return name


def _file_type(name: str, declared: str, content: bytes) -> str:
    if declared and declared not in _GENERIC_TYPES:
        return declared
    guessed = mimetypes.guess_type(name)[0]
    if guessed:
        return guessed
    for magic, content_type, _extension in _SNIFF:
        if content.startswith(magic):
            return content_type
    return declared or "application/octet-stream"


def _default_name(content_type: str, content: bytes, number: int) -> str:
    if content_type in _DEFAULT_NAMES:
        return _DEFAULT_NAMES[content_type]
    extension = mimetypes.guess_extension(content_type) if content_type else None
    if not extension or content_type in _GENERIC_TYPES:
        extension = next((ext for magic, _t, ext in _SNIFF if content.startswith(magic)), ".bin")
    stem = "image" if content_type.startswith("image/") else "attachment"
    return f"{stem}-{number}{extension}"


def _part_name(part: Message) -> str:
    name = None
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        try:
            name = part.get_param("name", header="content-type")
            if isinstance(name, tuple):
                name = email.utils.collapse_rfc2231_value(name)
        except Exception:
            name = None
    if not name:  # a header too broken for the modern parser: read the raw value
        for header_name in ("content-disposition", "content-type"):
            raw = _raw_header(part, header_name) or ""
            found = re.search(r'(?:file)?name\*?=\s*"?([^";\r\n]+)"?', raw, re.I)
            if found:
                name = found.group(1)
                break
    return name or ""


def _tnef_files(data: bytes) -> tuple[list[MailFile], str] | None:
    """The files and body text inside a ``winmail.dat``; None when it cannot be read."""
    try:
        import tnefparse

        tnef = tnefparse.TNEF(data, do_checksum=False)
    except Exception:
        log.info("winmail.dat could not be read", exc_info=True)
        return None
    files = []
    for number, attachment in enumerate(tnef.attachments, start=1):
        content = attachment.data if isinstance(attachment.data, bytes) else b""
        try:
            raw_name = attachment.long_filename() or attachment.name
        except Exception:
            raw_name = getattr(attachment, "name", "")
        if isinstance(raw_name, bytes):
            raw_name = _text_from_bytes(raw_name)
        name = clean_name(raw_name or "", default=f"attachment-{number}.bin")
        files.append(
            MailFile(
                name=name,
                content=content,
                content_type=_file_type(name, "", content),
                origin="winmail.dat",
            )
        )
    text = ""
    try:
        if tnef.body:
            body = tnef.body
            text = _text_from_bytes(body) if isinstance(body, bytes) else str(body)
        elif tnef.htmlbody:
            body = tnef.htmlbody
            text = html_to_text(_text_from_bytes(body) if isinstance(body, bytes) else body)
        elif tnef.rtfbody:
            text = rtf_to_text(tnef.rtfbody)
    except Exception:
        log.info("winmail.dat body could not be read", exc_info=True)
    return files, _clean(text)


def rtf_to_text(rtf: bytes | str) -> str:
    """Plain text of an RTF body: the HTML or text Outlook encapsulated in it (RTFDE), else the
    RTF with its control words removed."""
    data = rtf if isinstance(rtf, bytes) else rtf.encode("latin-1", "replace")
    try:
        from RTFDE.deencapsulate import DeEncapsulator

        rtf_obj = DeEncapsulator(data)
        rtf_obj.deencapsulate()
        if rtf_obj.content_type == "html":
            markup = rtf_obj.html
            return html_to_text(_text_from_bytes(markup) if isinstance(markup, bytes) else markup)
        text = rtf_obj.text
        return _text_from_bytes(text) if isinstance(text, bytes) else str(text)
    except Exception:
        log.debug("RTF is not encapsulated HTML or text", exc_info=True)
    text = data.decode("latin-1")
    text = re.sub(r"\\'([0-9a-f]{2})", lambda m: bytes.fromhex(m.group(1)).decode("cp1252"), text)
    text = re.sub(r"\{\\\*[^{}]*\}|\{\\fonttbl.*?\}\}|\{\\colortbl[^}]*\}", "", text, flags=re.S)
    text = re.sub(r"\\par[d]?\b ?", "\n", text)
    text = re.sub(r"\\[a-z]+-?\d* ?|[{}]", "", text)
    return text.strip()
