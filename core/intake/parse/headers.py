"""Headers as they really arrive: encoded words (RFC 2047) and raw 8-bit headers in whatever
charset (charset-normalizer guesses when none is declared), addresses, Message-IDs, the date and
the language."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import email
import email.header
import email.utils
import re
from email.message import Message

from core.intake.parse.model import LANGUAGES, log


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
