"""Recognising a file's kind by its content: magic bytes, the entries of ZIP-based kinds (read from
the central directory, nothing extracted), OLE streams, text and e-mail headers."""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import IO

from core.uploads.kinds import HEAD_BYTES, KINDS


@dataclass
class _ZipListing:
    entries: int
    infos: list[zipfile.ZipInfo]  # empty when there were too many entries to list
    mimetype: bytes  # the content of the "mimetype" entry, if small

    @cached_property
    def names(self) -> set[str]:
        return {info.filename for info in self.infos}


_EOCD = struct.Struct("<4s4H2LH")


_ZIP64_LOCATOR = struct.Struct("<4sLQL")


_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


_MAX_CENTRAL_DIRECTORY_BYTES_PER_ENTRY = 512


def _zip_end_record(file: IO[bytes], size: int) -> tuple[int, int] | None:
    """(entries, central directory size) from a ZIP's end records, without listing it."""
    tail_size = min(size, _EOCD.size + 0xFFFF)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    _sig, _disk, _cd_disk, _disk_entries, entries, cd_size, _cd_offset, _comment = (
        _EOCD.unpack_from(tail, at)
    )
    if entries != 0xFFFF and cd_size != 0xFFFFFFFF:
        return entries, cd_size
    if at < _ZIP64_LOCATOR.size:
        return None
    signature, _disk, offset, _disks = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
    if signature != b"PK\x06\x07" or offset + _ZIP64_EOCD.size > size:
        return None
    file.seek(offset)
    record = file.read(_ZIP64_EOCD.size)
    if len(record) < _ZIP64_EOCD.size:
        return None
    signature, *_rest, entries, cd_size, _cd_offset = _ZIP64_EOCD.unpack(record)
    return (entries, cd_size) if signature == b"PK\x06\x06" else None


def _read_zip(file: IO[bytes], size: int, max_entries: int) -> _ZipListing | None:
    """The entries of a ZIP file, or None if it is not a readable ZIP. Reads no file data except
    a small ``mimetype`` entry. Too many entries are counted, not listed."""
    try:
        end = _zip_end_record(file, size)
        if end is None:
            return None
        entries, cd_size = end
        if entries > max_entries:
            return _ZipListing(entries=entries, infos=[], mimetype=b"")
        if cd_size > max_entries * _MAX_CENTRAL_DIRECTORY_BYTES_PER_ENTRY:
            return None  # the end record lies, or the names are absurdly long
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            mimetype = b""
            info = next((i for i in infos if i.filename == "mimetype"), None)
            if info is not None and info.file_size <= 256 and info.compress_size <= 1024:
                mimetype = archive.read(info).strip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        return None
    except (ValueError, struct.error, RuntimeError, OSError):
        return None  # a damaged or encrypted archive
    return _ZipListing(entries=len(infos), infos=infos, mimetype=mimetype)


class _Content:
    """The head of an uploaded file and, if it is a ZIP file, its listing (read once)."""

    def __init__(self, file: IO[bytes], size: int, max_entries: int):
        self.file = file
        self.size = size
        self.max_entries = max_entries
        file.seek(0)
        self.head = file.read(HEAD_BYTES)

    @property
    def is_zip(self) -> bool:
        return self.head.startswith(b"PK\x03\x04")

    @cached_property
    def zip(self) -> _ZipListing | None:
        return _read_zip(self.file, self.size, self.max_entries) if self.is_zip else None


def _zip_with(predicate: Callable[[_ZipListing], bool]) -> Callable[[_Content], bool]:
    def matches(content: _Content) -> bool:
        listing = content.zip
        return listing is not None and bool(listing.infos) and predicate(listing)

    return matches


def _is_ooxml(folder: str) -> Callable[[_ZipListing], bool]:
    def matches(listing: _ZipListing) -> bool:
        return "[Content_Types].xml" in listing.names and any(
            name.startswith(folder) for name in listing.names
        )

    return matches


def _has_mimetype(mimetype: bytes, *, first: bool) -> Callable[[_ZipListing], bool]:
    def matches(listing: _ZipListing) -> bool:
        if first and listing.infos[0].filename != "mimetype":
            return False
        return listing.mimetype == mimetype

    return matches


# Bytes that do not occur in text: C0 controls except tab, line feed, form feed, carriage
# return and escape; and DEL.
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


_HEADER = re.compile(r"([!-9;-~]+):")


_MAIL_HEADERS = {
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "received",
    "return-path",
    "message-id",
    "mime-version",
    "delivered-to",
    "reply-to",
    "sender",
    "dkim-signature",
    "content-type",
}


def _utf16_head(content: _Content) -> bytes | None:
    """The head of a UTF-16 text with a BOM (Windows Notepad's "Unicode") as UTF-8, or None."""
    head = content.head
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.startswith(b"\xff\xfe\x00\x00"):
        return None
    even = head[: len(head) // 2 * 2]
    return even.decode("utf-16", "replace").encode("utf-8")


def _is_text(content: _Content) -> bool:
    utf16 = _utf16_head(content)
    return not _NOT_TEXT.search(content.head if utf16 is None else utf16)


_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


def _is_html(content: _Content) -> bool:
    """Text that starts as an HTML page does (a doctype, ``<html>``, ``<head>`` or ``<body>``)."""
    if not _is_text(content):
        return False
    head = _utf16_head(content) or content.head
    return bool(_HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")))


def _is_rtf(content: _Content) -> bool:
    return content.head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{\\rtf")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_with(*streams: str) -> Callable[[_Content], bool]:
    """An OLE2 compound file (old Office) that holds one of ``streams`` (read with olefile)."""

    def matches(content: _Content) -> bool:
        if not content.head.startswith(_OLE_MAGIC):
            return False
        import olefile

        try:
            content.file.seek(0)
            with olefile.OleFileIO(content.file) as ole:
                return any(ole.exists(stream) for stream in streams)
        except Exception:  # olefile raises OSError, struct.error, IndexError … on damaged files
            return False

    return matches


def _is_email(content: _Content) -> bool:
    """Text that starts with RFC 5322 header lines, at least two of them well-known ones."""
    if not _is_text(content):
        return False
    text = content.head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    lines = text.splitlines()
    if len(content.head) == HEAD_BYTES:
        lines = lines[:-1]  # the last line may be cut off
    names: set[str] = set()
    for index, line in enumerate(lines):
        if not line.strip():
            break
        if line[0] in " \t" and index > 0:
            continue  # a folded header goes on
        match = _HEADER.match(line)
        if match is None:
            return False
        names.add(match.group(1).lower())
    return len(names & _MAIL_HEADERS) >= 2


_MATCHERS: dict[str, Callable[[_Content], bool]] = {
    "pdf": lambda content: b"%PDF-" in content.head[:1024],
    "docx": _zip_with(_is_ooxml("word/")),
    "xlsx": _zip_with(_is_ooxml("xl/")),
    "odt": _zip_with(_has_mimetype(b"application/vnd.oasis.opendocument.text", first=False)),
    "ods": _zip_with(_has_mimetype(b"application/vnd.oasis.opendocument.spreadsheet", first=False)),
    "asice": _zip_with(_has_mimetype(b"application/vnd.etsi.asic-e+zip", first=True)),
    "asics": _zip_with(_has_mimetype(b"application/vnd.etsi.asic-s+zip", first=True)),
    "png": lambda content: content.head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpeg": lambda content: content.head.startswith(b"\xff\xd8\xff"),
    "tiff": lambda content: content.head[:4] in (b"II*\x00", b"MM\x00*"),
    "gif": lambda content: content.head[:6] in (b"GIF87a", b"GIF89a"),
    "eml": _is_email,
    "doc": _ole_with("WordDocument"),
    "xls": _ole_with("Workbook", "Book"),
    "rtf": _is_rtf,
    "html": _is_html,
    "txt": _is_text,
}


assert set(_MATCHERS) == set(KINDS)
