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

import codecs
import contextlib
import datetime as dt
import email
import email.header
import email.utils
import html
import logging
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from html.parser import HTMLParser

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


# --------------------------------------------------------------------------- entry points

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


# --------------------------------------------------------------------------- headers


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


# what mail without a (right) charset is really written in, here: UTF-16/32 only with a BOM
_LIKELY_CHARSETS = [
    "utf_8", "cp1252", "iso8859_15", "cp1257", "iso8859_13", "iso8859_4", "cp1251", "koi8_r",
    "koi8_u", "cp866", "iso8859_5", "mac_cyrillic", "cp1250", "iso8859_2", "latin_1",
    "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "iso2022_jp",
]  # fmt: skip


def _text_from_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes as text: the declared charset when it fits, else UTF-8, else what
    ``charset-normalizer`` finds, else cp1252 (never fails)."""
    declared = (declared or "").strip().strip('"').lower()
    if declared in ("unknown-8bit", "x-unknown", "unknown", "8bit", "default", "x-user-defined"):
        declared = ""
    candidates = []
    if declared:
        with contextlib.suppress(LookupError):
            candidates.append(codecs.lookup(declared).name)
    for charset in candidates:
        if charset == "ascii" and not data.isascii():
            continue  # 8-bit text declared as us-ascii: find what it really is
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass
    if data.isascii():
        return data.decode("ascii")
    for bom, charset in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                         (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(charset, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    charset = _detect(data)
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", "replace")


def _fix_surrogates(text: str) -> str:
    """Text whose 8-bit bytes the parser kept as surrogates, decoded properly."""
    if not _has_surrogates(text):
        return text
    return _text_from_bytes(text.encode("utf-8", "surrogateescape"))


def _clean(text: str) -> str:
    """No surrogates, no NULs: fit for PostgreSQL."""
    text = _fix_surrogates(text)
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return value if isinstance(value, str) else str(value)
    return None


def _decode_words(value: str) -> str:
    """RFC 2047 encoded words in ``value`` decoded the old way (``compat32``)."""
    value = _fix_surrogates(value)
    try:
        parts = email.header.decode_header(value)
    except Exception:
        return value
    decoded = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes) and charset is None:  # the plain text between the words
            decoded.append(chunk.decode("raw-unicode-escape", "replace"))
        elif isinstance(chunk, bytes):
            decoded.append(_text_from_bytes(chunk, charset))
        else:
            decoded.append(chunk)
    return "".join(decoded)


def _eight_bit_header(message: Message, raw: str) -> str:
    """An 8-bit header value in the charset of all the message's 8-bit headers together (one
    name alone is too short to tell cp1251 from anything)."""
    charset = getattr(message, "_intake_header_charset", None)
    if charset is None:
        block = b"\n".join(
            value.encode("utf-8", "surrogateescape")
            for _name, value in message.raw_items()
            if isinstance(value, str) and _has_surrogates(value)
        )
        charset = _detect(block)
        with contextlib.suppress(AttributeError):
            message._intake_header_charset = charset
    data = raw.encode("utf-8", "surrogateescape")
    try:
        text = data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        text = _text_from_bytes(data)
    return _decode_words(text) if "=?" in text else text


def _detect(data: bytes) -> str:
    """The charset of 8-bit bytes: UTF-8 when they are valid UTF-8, else the detector's guess."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data[:200_000], cp_isolation=_LIKELY_CHARSETS))
    except Exception:  # pragma: no cover - the detector is a library; never let it crash us
        log.exception("charset detection failed")
        matches = []
    if not matches:
        return "cp1252"
    # Among the readings the detector finds as clean, prefer the one in our languages' letters:
    # short Russian text in cp1251 otherwise often comes out as "Slovak" in cp1250.
    least = min(match.chaos for match in matches)
    clean = [match for match in matches if match.chaos <= least + 0.1]
    return max(clean, key=lambda match: _our_letters(str(match))).encoding


def _our_letters(text: str) -> float:
    """The share of non-ASCII letters that are Estonian or Russian ones."""
    letters = [char for char in text if char.isalpha() and not char.isascii()]
    if not letters:
        return 0.0
    ours = sum(char in "õäöüšžÕÄÖÜŠŽ" or "\u0400" <= char <= "\u04ff" for char in letters)
    return ours / len(letters)


def header(message: Message, name: str) -> str:
    """A header's value decoded to one string ("" when missing); never raises."""
    raw = None
    try:
        raw = _raw_header(message, name)
        if raw is None:
            return ""
        if _has_surrogates(raw):  # 8-bit header: decode its bytes as the whole header block
            return _clean(_eight_bit_header(message, raw))
        value = message.get(name)
        text = str(value) if value is not None else ""
        if "=?" in text:  # an encoded word the parser left alone (e.g. inside quotes)
            text = _decode_words(text)
        return _clean(text)
    except Exception:
        return _clean(_decode_words(raw or ""))


def _one_line(text: str, limit: int = 255) -> str:
    return " ".join(text.split())[:limit]


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs of an address header."""
    pairs: list[tuple[str, str]] = []
    try:
        value = message.get(name)
        if value is not None and hasattr(value, "addresses") and not _has_surrogates(str(value)):
            for address in value.addresses:
                addr = (address.addr_spec or "").strip()
                if addr and addr != "<>":
                    pairs.append((_clean(address.display_name or ""), addr.lower()))
            if pairs or not str(value).strip():
                return _valid(pairs)
    except Exception:
        pairs = []
    text = header(message, name)
    if not text:
        return []
    for display, addr in email.utils.getaddresses([text]):
        if addr and "@" in addr:
            pairs.append((display, addr.lower()))
    if not pairs:  # "juri@example.ee" in an odd shape: find the address anywhere
        found = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", text)
        if found:
            pairs.append(("", found.group(0).lower()))
    return _valid(pairs)


def _valid(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(n, a[:254]) for n, a in pairs if "@" in a and " " not in a]


def _message_ids(text: str) -> list[str]:
    return [found[:255] for found in re.findall(r"<[^<>\s]+>", text)]


def _message_id(text: str) -> str:
    ids = _message_ids(text)
    if ids:
        return ids[0]
    text = text.strip()
    return f"<{text}>"[:255] if text and " " not in text and "@" in text else ""


def _date(message: Message) -> dt.datetime | None:
    text = header(message, "date")
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None or not 1970 <= moment.year <= 2200:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _language(message: Message, text: str) -> str:
    value = header(message, "content-language").lower()
    for tag in re.split(r"[,\s]+", value):
        if tag[:2] in LANGUAGES:
            return tag[:2]
    letters = [char for char in text[:4000] if char.isalpha()]
    if letters and sum("\u0400" <= char <= "\u04ff" for char in letters) > len(letters) / 2:
        return "ru"
    return "et"


# --------------------------------------------------------------------------- bodies


class _HTMLText(HTMLParser):
    """HTML turned into readable text: block elements on lines of their own, list items with a
    dash, links with their address, blockquotes as ``>`` lines; scripts and styles never."""

    SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "object"}
    BLOCK = {
        "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "address", "dl",
        "dt", "dd", "center", "form", "fieldset", "figure", "main", "nav", "aside",
    }  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.quote = 0
        self.pre = 0
        self.links: list[str | None] = []

    def _break(self):
        line = "".join(self.current)
        if not self.pre:
            line = " ".join(line.split())
        self.lines.append(("> " * self.quote) + line if line else ("> " * self.quote).rstrip())
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in self.BLOCK:
            self._break()
        if tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "li":
            self.current.append("- ")
        elif tag in ("td", "th"):
            self.current.append("\t")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.current.append(f"[{alt}]")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "a" and self.links:
            href = self.links.pop()
            shown = "".join(self.current)
            if href and href.startswith(("http:", "https:")) and href not in shown:
                self.current.append(f" <{href}>")
        if tag in self.BLOCK:
            self._break()
        if tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def text(self) -> str:
        self._break()
        text = "\n".join(line.rstrip() for line in self.lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML body (scripts and styles dropped)."""
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # HTMLParser is lenient; this is for the unforeseen
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    return parser.text()


def _payload_bytes(part: Message) -> bytes:
    """The part's decoded content; the payload as it came when it cannot be decoded."""
    try:
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            return data
    except Exception:
        log.debug("part could not be decoded; kept as it came", exc_info=True)
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", "surrogateescape")
    if isinstance(payload, bytes):
        return payload
    try:
        return part.as_bytes()
    except Exception:
        return b""


def _part_text(part: Message) -> str:
    data = _payload_bytes(part)
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    if not charset and part.get_content_type() == "text/html":  # <meta charset> says it
        found = re.search(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", data[:4096], re.I)
        charset = found.group(1).decode("ascii") if found else None
    return _clean(_text_from_bytes(data, charset)).replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- files


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


# --------------------------------------------------------------------------- the walk


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
    maintype = content_type.split("/")[0]

    if maintype == "multipart":
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
        return

    if content_type == "message/rfc822" or (
        content_type.startswith("message/") and isinstance(part.get_payload(), list)
        and content_type not in ("message/delivery-status", "message/disposition-notification")
    ):  # fmt: skip
        _walk_forwarded(part, walk, depth)
        return
    if content_type in (
        "message/delivery-status",
        "message/global-delivery-status",
        "message/disposition-notification",
    ):
        walk.delivery_status.extend(_status_blocks(part))
        return
    if content_type in ("text/rfc822-headers", "message/global-headers", "message/rfc822-headers"):
        try:
            headers = email.message_from_bytes(_payload_bytes(part), policy=policy.default)
            walk.returned_headers.append(headers)
        except Exception:
            walk.segments.append(_Segment(plain=_part_text(part)))
        return

    name = _part_name(part)
    is_tnef = content_type in ("application/ms-tnef", "application/vnd.ms-tnef") or (
        name.lower() == "winmail.dat"
    )
    if is_tnef:
        data = _payload_bytes(part)
        unpacked = _tnef_files(data)
        if unpacked is not None and (unpacked[0] or unpacked[1].strip()):
            files, text = unpacked
            walk.files.extend(files)
            walk.tnef_text = walk.tnef_text or text
            return  # the raw message keeps the winmail.dat itself
        # unreadable (or empty) winmail.dat: keep it as it came

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


# --------------------------------------------------------------------------- the message


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


# --------------------------------------------------------------------------- quoted text

_QUOTE_HEADS = [
    re.compile(
        r"^\s*-{2,}\s*(original message|algne (kiri|sõnum)|algsõnum|исходное сообщение"
        r"|ursprüngliche nachricht|message d'origine)\s*-{2,}\s*$",
        re.I,
    ),  # fmt: skip
    re.compile(r"^.{0,250}\bwrote:\s*$", re.I),
    re.compile(r"^.{0,250}\bkirjutas\b.{0,120}:\s*$", re.I),
    re.compile(r"^.{0,250}\b(написал|написала|написал\(а\)|пишет)\s*:\s*$", re.I),
    re.compile(r"^.{0,250}\bschrieb\b.{0,80}:\s*$", re.I),
]
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|saatja|kellelt|от|von|de|lähettäjä)\s*:\*?\s*\S", re.I)
_OUTLOOK_SENT = re.compile(
    r"^\s*\*?(sent|date|saadetud|saatmisaeg|kuupäev|отправлено|дата|gesendet|envoyé|lähetetty)"
    r"\s*:\*?\s*\S",
    re.I,
)
_RULE = re.compile(r"^\s*_{10,}\s*$")


def _quote_start(lines: list[str]) -> int | None:
    start = _quote_head(lines)
    # the line above a quote head that introduces it ("Friday, 4 December 2026, 10:00 from X:")
    while (
        start and lines[start - 1].rstrip().endswith(":") and re.search(r"[@\d]", lines[start - 1])
    ):
        start -= 1
    return start


def _quote_head(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        # "<date> <name> <address>:" right above ">" lines (mail.ru, Yandex, many others)
        if (
            line.rstrip().endswith(":")
            and re.search(r"@|\d", line)
            and index + 1 < len(lines)
            and lines[index + 1].startswith(">")
        ):
            return index
        if any(pattern.match(line) for pattern in _QUOTE_HEADS):
            return index
        # Gmail's "On …, Name <address> wrote:" wrapped over two lines
        if index + 1 < len(lines) and re.match(r"^\s*(on|kontakti)\b", line, re.I):
            joined = f"{line} {lines[index + 1]}"
            if len(joined) < 300 and any(p.match(joined) for p in _QUOTE_HEADS[1:]):
                return index
        if _OUTLOOK_FROM.match(line):
            following = lines[index + 1 : index + 5]
            if any(_OUTLOOK_SENT.match(other) for other in following):
                if index > 0 and _RULE.match(lines[index - 1]):
                    return index - 1
                return index
    # ">"-quoted lines at the end (a reply above the quote; interleaved answers stay whole)
    quoted = [i for i, line in enumerate(lines) if line.startswith(">")]
    if quoted:
        first = quoted[0]
        rest = lines[first:]
        if all(line.startswith(">") or not line.strip() for line in rest):
            return first
    return None


def split_quoted(text: str) -> tuple[str, str]:
    """The new part of a message's text and the quoted earlier messages below it (Outlook's
    "-----Original Message-----" and "From: … Sent: …" blocks in English and Estonian, Gmail's
    "On … wrote:", "… kirjutas:", "… написал(а):", ">" lines). Nothing is removed: when no new
    text is left above the quote, all of it is the new part."""
    if not text:
        return "", ""
    lines = text.replace("\r\n", "\n").split("\n")
    start = _quote_start(lines)
    if start is None:
        return text.strip(), ""
    new = "\n".join(lines[:start]).strip()
    quoted = "\n".join(lines[start:]).strip()
    if not new:
        return text.strip(), ""
    return new, quoted


# --------------------------------------------------------------------------- classification

_DAEMONS = {"mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster", "mail.daemon"}
_NOREPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|noreply[-_.].*|.*[-_.]noreply)$"
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification|delivery failure|failure notice|returned mail"
    r"|mail delivery (failed|system|subsystem)|undelivered mail|could not be delivered"
    r"|non remis|unzustellbar|kohale ei jõudnud|ei õnnestunud kohale toimetada"
    r"|не доставлено|недоставлен|delivery has failed",
    re.I,
)
_OOO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?reply|autoreply|auto[- ]?response|automaatne vastus"
    r"|automaatvastus|автоматический ответ|автоответ|abwesenheitsnotiz|réponse automatique)\b"
    r"|out of (the )?office|kontorist väljas|puhkusel\s*:|eemal\s*:",
    re.I,
)
_PRECEDENCE = {"bulk": "bulk", "list": "bulk", "junk": "bulk", "auto_reply": "auto_reply"}


def classify(message: Message, parsed: ParsedMail, walk: _Walk | None = None) -> tuple[str, str]:
    """(kind, reason): ``bounce``, ``auto_reply``, ``bulk`` or ``message`` (RFC 3834 and what
    mail systems really send). ``X-Auto-Response-Suppress`` alone means nothing: Outlook puts it
    on ordinary mail too."""
    report_type = walk.report_type if walk else ""
    local = parsed.from_email.partition("@")[0]
    if report_type == "delivery-status" or (
        walk and walk.delivery_status and report_type != "disposition-notification"
    ):
        return "bounce", "delivery status notification"
    if local in _DAEMONS and (
        local.startswith("mailer")
        or _BOUNCE_SUBJECT.search(parsed.subject)
        or (walk and walk.forwarded)
    ):
        return "bounce", _one_line(f"From: {parsed.from_email}")
    if _BOUNCE_SUBJECT.search(parsed.subject) and header(message, "return-path").strip() == "<>":
        return "bounce", _one_line(f"Subject: {parsed.subject}")
    if report_type == "disposition-notification":
        return "auto_reply", "read receipt (disposition notification)"
    auto = header(message, "auto-submitted").strip()
    if auto and auto.split(";")[0].strip().lower() != "no":
        return "auto_reply", _one_line(f"Auto-Submitted: {auto}")
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply"):
        value = header(message, name).strip()
        if value and value.lower() not in ("no", "false", "0"):
            return "auto_reply", _one_line(f"{_title(name)}: {value}")
    precedence = header(message, "precedence").strip().lower()
    if precedence in _PRECEDENCE:
        return _PRECEDENCE[precedence], f"Precedence: {precedence}"
    for name in ("list-id", "list-unsubscribe"):
        value = header(message, name).strip()
        if value:
            return "bulk", _one_line(f"{_title(name)}: {value}")
    if local in _DAEMONS:
        return "auto_reply", _one_line(f"From: {parsed.from_email}")
    if local and _NOREPLY.match(local):
        # a web form sends as noreply@ with the person's address in Reply-To: a person wrote it
        reply_local = parsed.reply_to_email.partition("@")[0]
        if parsed.reply_to_email in ("", parsed.from_email) or _NOREPLY.match(reply_local):
            return "auto_reply", _one_line(f"From: {parsed.from_email}")
    if _OOO_SUBJECT.search(parsed.subject):
        return "auto_reply", _one_line(f"Subject: {parsed.subject}")
    if header(message, "return-path").strip() == "<>" and header(
        message, "x-ms-exchange-generated-message-source"
    ):
        return "auto_reply", "generated by Exchange"
    return "message", ""


def _title(name: str) -> str:
    """``list-id`` as ``List-Id``."""
    return "-".join("Id" if word == "id" else word.capitalize() for word in name.split("-"))


_STATUS_CODE = re.compile(r"\b[245]\d\d[ -]#?[245]\.\d{1,3}\.\d{1,3}\b[^\n]*|\b5\d\d\b[^\n]{3,}")


def _bounce(message: Message, parsed: ParsedMail, walk: _Walk) -> Bounce:
    original = ""
    for returned in parsed.forwarded:
        if returned.message_id:
            original = returned.message_id
            break
    if not original:
        for headers in walk.returned_headers:
            original = _message_id(header(headers, "message-id"))
            if original:
                break
    body = parsed.text + "\n" + parsed.quoted
    if not original:  # "failure notice" with the returned message pasted in the text
        found = re.search(r"^\s*message-id:\s*(<[^<>\s]+>)", body, re.I | re.M)
        if found:
            original = found.group(1)
    if not original:
        original = parsed.in_reply_to or (parsed.references[-1] if parsed.references else "")
    recipients: list[str] = []
    diagnostics: list[str] = []
    for block in walk.delivery_status:
        recipient = header(block, "final-recipient") or header(block, "original-recipient")
        if recipient:
            address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
            if "@" in address and address not in recipients:
                recipients.append(address)
        diagnostic = header(block, "diagnostic-code")
        if diagnostic:
            diagnostics.append(diagnostic.split(";", 1)[-1].strip())
        elif header(block, "status") and header(block, "action").lower() == "failed":
            diagnostics.append(f"{header(block, 'status')} failed")
    if not recipients:
        for headers in walk.returned_headers:
            recipients.extend(addr for _n, addr in _addresses(headers, "to"))
        for returned in parsed.forwarded[:1]:
            recipients.extend(returned.to)
        if not recipients:
            found = re.findall(r"<([^<>\s@]+@[^<>\s]+)>:", body)
            recipients.extend(address.lower() for address in found)
    if not diagnostics:
        found = _STATUS_CODE.search(body)
        if found:
            diagnostics.append(found.group(0))
    diagnostic = _one_line(" ".join(dict.fromkeys(diagnostics)), 1000)
    return Bounce(
        original_message_id=original,
        recipients=list(dict.fromkeys(recipients)),
        diagnostic=diagnostic,
    )


# --------------------------------------------------------------------------- Outlook .msg


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
    headers = _msg_attr(msg, "header")
    if not isinstance(headers, Message):
        headers = email.message.Message()
    message = email.message.EmailMessage(policy=policy.default)
    for name, value in headers.items():
        with contextlib.suppress(Exception):
            message[name] = str(value)

    def replace(name: str, value) -> None:
        if value:
            del message[name]
            with contextlib.suppress(Exception):
                message[name] = _one_line(str(value), 2000)

    replace("From", _msg_attr(msg, "sender"))
    replace("To", _msg_attr(msg, "to"))
    replace("Cc", _msg_attr(msg, "cc"))
    replace("Subject", _msg_attr(msg, "subject"))
    replace("Message-ID", _msg_attr(msg, "messageId"))
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

    number = 0
    for attachment in _msg_attr(msg, "attachments", []) or []:
        number += 1
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

    parsed.language = _language(message, parsed.text)
    walk = _Walk(forwarded=parsed.forwarded)
    parsed.kind, parsed.kind_reason = classify(message, parsed, walk)
    if parsed.kind == "bounce":
        parsed.bounce = _bounce(message, parsed, walk)
    return parsed


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
