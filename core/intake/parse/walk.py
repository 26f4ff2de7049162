"""The walk through a message's MIME tree: the text and HTML alternatives, attachments and inline
parts, signed and encrypted parts, forwarded messages (each parsed as a message of its own, to a
depth), and broken multiparts recovered; and a message made a ParsedMail from it."""

from __future__ import annotations

import email
import email.header
import email.utils
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message

from core.intake.parse.bodies import _part_text, _payload_bytes, html_to_text
from core.intake.parse.classify import _bounce, classify
from core.intake.parse.files import _default_name, _file_type, _part_name, _tnef_files, clean_name
from core.intake.parse.headers import (
    _addresses,
    _clean,
    _date,
    _language,
    _message_id,
    _message_ids,
    _one_line,
    header,
)
from core.intake.parse.model import MAX_DEPTH, MailFile, ParsedMail
from core.intake.parse.quoted import split_quoted


@dataclass
class _Segment:
    plain: str | None = None
    html: str | None = None

    def as_text(self) -> str:
        if self.plain is not None:
            return self.plain
        return html_to_text(self.html or "")


@dataclass
class _Walk:
    """What walking a message's parts found."""

    segments: list[_Segment] = field(default_factory=list)
    files: list[MailFile] = field(default_factory=list)
    forwarded: list[ParsedMail] = field(default_factory=list)
    tnef_text: str = ""
    delivery_status: list[Message] = field(default_factory=list)
    returned_headers: list[Message] = field(default_factory=list)
    report_type: str = ""
    counter: list[int] = field(default_factory=lambda: [0])

    def number(self) -> int:
        self.counter[0] += 1
        return self.counter[0]

    def child(self) -> _Walk:
        return _Walk(counter=self.counter)

    def take(self, other: _Walk, *, text: bool = True) -> None:
        if text:
            self.segments.extend(other.segments)
        self.files.extend(other.files)
        self.forwarded.extend(other.forwarded)
        self.tnef_text = self.tnef_text or other.tnef_text
        self.delivery_status.extend(other.delivery_status)
        self.returned_headers.extend(other.returned_headers)
        self.report_type = self.report_type or other.report_type


def _is_attachment(part: Message) -> bool:
    try:
        disposition = (part.get_content_disposition() or "").lower()
    except Exception:
        disposition = ""
    return disposition == "attachment"


def _subparts(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [sub for sub in payload if isinstance(sub, Message)]
    return []


def _recover_multipart(part: Message) -> list[Message]:
    """A multipart whose boundary is missing or wrong: find the boundary its body uses."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return []
    candidates = []
    for line in payload.splitlines():
        found = re.match(r"^--([\w'()+,./:=?-]{6,}?)(--)?\s*$", line)
        if found and found.group(1) not in candidates:
            candidates.append(found.group(1))
    for boundary in candidates:
        rebuilt = (
            f'Content-Type: {part.get_content_type()}; boundary="{boundary}"\n\n'.encode()
            + payload.encode("utf-8", "surrogateescape")
        )
        try:
            message = email.message_from_bytes(rebuilt, policy=policy.default)
        except Exception:  # noqa: S112 - the next candidate boundary may do
            continue
        subparts = _subparts(message)
        if subparts:
            return subparts
    return []


def _walk(part: Message, walk: _Walk, depth: int) -> None:
    try:
        content_type = part.get_content_type()
    except Exception:
        content_type = "application/octet-stream"
    if content_type.split("/")[0] == "multipart":
        _walk_multipart(part, content_type, walk, depth)
        return
    if _walk_message_part(part, content_type, walk, depth):
        return
    name = _part_name(part)
    if _walk_tnef(part, content_type, name, walk):
        return
    if content_type in ("application/pkcs7-mime", "application/x-pkcs7-mime") and depth < MAX_DEPTH:
        inner = _opaque_signed(_payload_bytes(part))
        if inner is not None:  # signed, not encrypted: read what was signed (the p7m is kept too)
            _walk(inner, walk, depth + 1)

    if content_type in ("text/plain", "text/html") and not name and not _is_attachment(part):
        text = _part_text(part)
        if content_type == "text/plain":
            walk.segments.append(_Segment(plain=text))
        else:
            walk.segments.append(_Segment(html=text))
        return

    content = _payload_bytes(part)
    number = walk.number()
    name = clean_name(name, default=_default_name(content_type, content, number))
    walk.files.append(
        MailFile(name=name, content=content, content_type=_file_type(name, content_type, content))
    )


def _walk_multipart(part: Message, content_type: str, walk: _Walk, depth: int) -> None:
    """A multipart's parts (the alternatives chosen between; a broken one recovered, or its
    text kept)."""
    subparts = _subparts(part) or _recover_multipart(part)
    if not subparts:
        text = _part_text(part)
        if text.strip():
            walk.segments.append(_Segment(plain=text))
        return
    if content_type == "multipart/report":
        walk.report_type = (part.get_param("report-type") or "").lower() or "report"
    if content_type == "multipart/alternative":
        _walk_alternative(subparts, walk, depth)
        return
    for sub in subparts:
        _walk(sub, walk, depth)


def _walk_message_part(part: Message, content_type: str, walk: _Walk, depth: int) -> bool:
    """A forwarded message, a delivery or read report's status, or a bounce's returned
    headers; whether the part was one of them."""
    if content_type == "message/rfc822" or (
        content_type.startswith("message/") and isinstance(part.get_payload(), list)
        and content_type not in ("message/delivery-status", "message/disposition-notification")
    ):  # fmt: skip
        _walk_forwarded(part, walk, depth)
        return True
    if content_type in (
        "message/delivery-status",
        "message/global-delivery-status",
        "message/disposition-notification",
    ):
        walk.delivery_status.extend(_status_blocks(part))
        return True
    if content_type in ("text/rfc822-headers", "message/global-headers", "message/rfc822-headers"):
        try:
            headers = email.message_from_bytes(_payload_bytes(part), policy=policy.default)
            walk.returned_headers.append(headers)
        except Exception:
            walk.segments.append(_Segment(plain=_part_text(part)))
        return True
    return False


def _walk_tnef(part: Message, content_type: str, name: str, walk: _Walk) -> bool:
    """Outlook's winmail.dat unpacked into its files and text; whether that was done (an
    unreadable or empty one is kept as it came)."""
    is_tnef = content_type in ("application/ms-tnef", "application/vnd.ms-tnef") or (
        name.lower() == "winmail.dat"
    )
    if not is_tnef:
        return False
    unpacked = _tnef_files(_payload_bytes(part))
    if unpacked is not None and (unpacked[0] or unpacked[1].strip()):
        files, text = unpacked
        walk.files.extend(files)
        walk.tnef_text = walk.tnef_text or text
        return True  # the raw message keeps the winmail.dat itself
    return False


def _opaque_signed(data: bytes) -> Message | None:
    """The MIME entity inside an opaque S/MIME signature (``smime-type=signed-data``: Outlook's
    "send clear text signed message" switched off); None for encrypted or unreadable data."""
    try:
        from asn1crypto import cms

        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            return None
        content = info["content"]["encap_content_info"]["content"].native
    except Exception:
        return None
    if not isinstance(content, bytes) or not content.strip():
        return None
    try:
        return email.message_from_bytes(content, policy=policy.default)
    except Exception:
        return None


def _walk_alternative(subparts: list[Message], walk: _Walk, depth: int) -> None:
    """One text of the alternatives (plain preferred, the HTML kept beside it); the files of
    every alternative (an iPhone puts images inside the HTML one)."""
    children = []
    for sub in subparts:
        child = walk.child()
        _walk(sub, child, depth)
        children.append(child)
        walk.take(child, text=False)
    plain = next(
        (c for c in children if any(s.plain is not None and s.plain.strip() for s in c.segments)),
        None,
    )
    rich = next((c for c in reversed(children) if any(s.html for s in c.segments)), None)
    segment = _Segment()
    if plain is not None:
        segment.plain = "\n\n".join(s.as_text() for s in plain.segments)
    if rich is not None:
        segment.html = "\n".join(s.html for s in rich.segments if s.html)
        if plain is None:
            segment.plain = "\n\n".join(s.as_text() for s in rich.segments)
    if segment.plain is None and segment.html is None:
        for child in children:
            walk.segments.extend(child.segments)
        return
    walk.segments.append(segment)


def _walk_forwarded(part: Message, walk: _Walk, depth: int) -> None:
    inner = _subparts(part)
    if not inner:
        payload = _payload_bytes(part)
        try:
            inner = [email.message_from_bytes(payload, policy=policy.default)]
        except Exception:
            inner = []
    if depth >= MAX_DEPTH or not inner:
        content = _payload_bytes(part) if not inner else _as_bytes(inner[0])
        name = clean_name(_part_name(part), default=f"message-{walk.number()}.eml")
        walk.files.append(MailFile(name=name, content=content, content_type="message/rfc822"))
        return
    forwarded = _parse_message(inner[0], depth=depth + 1)
    walk.forwarded.append(forwarded)
    origin = _one_line(f"Fwd: {forwarded.subject}" if forwarded.subject else "Fwd:")
    for file in forwarded.files:
        walk.files.append(
            MailFile(
                name=file.name,
                content=file.content,
                content_type=file.content_type,
                origin=file.origin or origin,
            )
        )


def _as_bytes(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=policy.compat32)
    except Exception:
        try:
            return str(message).encode("utf-8", "surrogateescape")
        except Exception:
            return b""


def _status_blocks(part: Message) -> list[Message]:
    blocks = _subparts(part)
    if blocks:
        return blocks
    text = _payload_bytes(part).decode("utf-8", "replace")
    found = []
    for chunk in re.split(r"\r?\n\s*\r?\n", text):
        if chunk.strip():
            found.append(email.message_from_string(chunk.strip() + "\n", policy=policy.compat32))
    return found


def _parse_message(message: Message, *, depth: int) -> ParsedMail:
    parsed = ParsedMail()
    parsed.message_id = _message_id(header(message, "message-id"))
    parsed.in_reply_to = _message_id(header(message, "in-reply-to"))
    parsed.references = _message_ids(header(message, "references"))
    senders = _addresses(message, "from") or _addresses(message, "sender")
    if senders:
        parsed.from_name, parsed.from_email = senders[0]
        parsed.from_name = _one_line(parsed.from_name)
    reply_to = _addresses(message, "reply-to")
    parsed.reply_to_email = reply_to[0][1] if reply_to else parsed.from_email
    parsed.to = [addr for _name, addr in _addresses(message, "to")]
    parsed.cc = [addr for _name, addr in _addresses(message, "cc")]
    parsed.subject = _one_line(header(message, "subject"))
    parsed.sent_at = _date(message)

    walk = _Walk()
    try:
        _walk(message, walk, depth)
    except RecursionError:  # absurdly deep MIME nesting: keep the whole message as a file
        walk.files.append(MailFile("message.eml", _as_bytes(message), "message/rfc822"))
    body = "\n\n".join(s.as_text().strip("\n") for s in walk.segments if s.as_text().strip())
    if not body.strip() and walk.tnef_text:
        body = walk.tnef_text
    body = _clean(body).strip()
    parsed.html = _clean("\n".join(s.html for s in walk.segments if s.html))
    if _is_forward(parsed.subject):
        parsed.text, parsed.quoted = body, ""  # a forward's "quote" is its content
    else:
        parsed.text, parsed.quoted = split_quoted(body)
    parsed.files = walk.files
    parsed.forwarded = walk.forwarded
    parsed.language = _language(message, parsed.text)
    parsed.kind, parsed.kind_reason = classify(message, parsed, walk)
    if parsed.kind == "bounce":
        parsed.bounce = _bounce(message, parsed, walk)
    return parsed


_FORWARD = re.compile(r"^\s*(fwd?|fw|edasi|edastatud|wg|tr|пересл\w*|fwd\s*\[\d+\])\s*:", re.I)


def _is_forward(subject: str) -> bool:
    return bool(_FORWARD.match(subject))
