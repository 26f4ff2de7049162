"""Checking uploaded files by their real content, for every upload form in the portal.

A file is accepted when its name ends with the extension of an allowed kind *and* its content
is of that kind (magic bytes; for ZIP-based kinds the entries inside). ZIP-based files are also
refused when their declared unpacked size, compression ratio or number of entries is absurd (a
zip bomb); nothing is extracted to find out. The client's file name is never used as a path:
``safe_display_name`` makes it fit for showing and for ``Content-Disposition`` only.

``check_upload`` raises ``ValidationError``; ``UploadField`` and ``MultipleFileField`` run it in
forms, with the size limit from ``settings.UPLOAD_MAX_BYTES`` unless given.
"""

from __future__ import annotations

import mimetypes
import re
import struct
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import IO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024
HEAD_BYTES = 16 * 1024  # read from the start of a file to recognise its kind


@dataclass(frozen=True)
class FileKind:
    """A kind of file the portal accepts: ``extensions`` are lower case with the dot."""

    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    zip_based: bool = False


_KIND_LIST = [
    FileKind("pdf", "PDF", (".pdf",), "application/pdf"),
    FileKind(
        "docx",
        "DOCX",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        zip_based=True,
    ),
    FileKind(
        "xlsx",
        "XLSX",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        zip_based=True,
    ),
    FileKind("odt", "ODT", (".odt",), "application/vnd.oasis.opendocument.text", zip_based=True),
    FileKind(
        "ods", "ODS", (".ods",), "application/vnd.oasis.opendocument.spreadsheet", zip_based=True
    ),
    FileKind(
        "asice",
        "ASiC-E",
        (".asice", ".sce", ".bdoc"),
        "application/vnd.etsi.asic-e+zip",
        zip_based=True,
    ),
    FileKind(
        "asics",
        "ASiC-S",
        (".asics", ".scs"),
        "application/vnd.etsi.asic-s+zip",
        zip_based=True,
    ),
    FileKind("png", "PNG", (".png",), "image/png"),
    FileKind("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg"),
    FileKind("tiff", "TIFF", (".tif", ".tiff"), "image/tiff"),
    FileKind("gif", "GIF", (".gif",), "image/gif"),
    FileKind("eml", "EML", (".eml",), "message/rfc822"),
    # Old Office files (OLE2 compound files, recognised by the streams inside), RTF and HTML as
    # offices send them; their text is read for search (registry.extract).
    FileKind("doc", "DOC", (".doc",), "application/msword"),
    FileKind("xls", "XLS", (".xls",), "application/vnd.ms-excel"),
    FileKind("rtf", "RTF", (".rtf",), "application/rtf"),
    FileKind("html", "HTML", (".html", ".htm"), "text/html"),
    FileKind("txt", "TXT", (".txt",), "text/plain"),
]

#: Every kind the portal knows, by key.
KINDS: dict[str, FileKind] = {kind.key: kind for kind in _KIND_LIST}
#: What upload forms accept unless told otherwise.
DEFAULT_KINDS: tuple[str, ...] = tuple(KINDS)


@dataclass(frozen=True)
class ZipLimits:
    """What a ZIP-based upload may declare: unpacked bytes, unpacked/packed ratio, entries."""

    max_unpacked_bytes: int = 200 * MB
    max_ratio: int = 100
    min_bytes_for_ratio: int = 1 * MB  # small files may compress as well as they like
    max_entries: int = 10_000


DEFAULT_ZIP_LIMITS = ZipLimits()


# --- File names ----------------------------------------------------------------------------------

_UNSAFE_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
_EXTENSION = re.compile(r"\.[0-9a-z]{1,16}\Z", re.IGNORECASE)


def storage_name(folder: str) -> str:
    """Where an upload is stored: ``folder/yyyy/mm/<random>``. The uploader's file name is
    never part of the path; the display name is kept in the row beside the file."""
    return f"{folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


def safe_display_name(name: str, *, max_length: int = 150) -> str:
    """A client's file name made fit for showing: no folders, control characters or characters
    Windows forbids, at most ``max_length`` characters, the extension kept. Never a path."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    # Category C: control and format characters (incl. right-to-left overrides that make
    # "gpj.exe" look like "exe.jpg"), unassigned, private use and surrogates.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE_CHARACTERS.sub("_", name)
    name = " ".join(name.split()).rstrip(". ")
    match = _EXTENSION.search(name)
    extension = match.group() if match else ""
    stem = name[: len(name) - len(extension)].strip(". ")
    stem = stem[: max(1, max_length - len(extension))].rstrip(". ") or "file"
    return stem + extension


def _extension(name: str) -> str:
    match = _EXTENSION.search(name)
    return match.group().lower() if match else ""


# --- Content types by name -----------------------------------------------------------------------

#: Types Python's ``mimetypes`` does not know; ``register_mimetypes`` adds them (core.apps).
EXTRA_MIMETYPES: dict[str, str] = {
    extension: kind.content_type
    for kind in _KIND_LIST
    if kind.key in ("asice", "asics")
    for extension in kind.extensions
}


def register_mimetypes() -> None:
    """Teach ``mimetypes`` the signed containers (``.asice``, ``.sce``, ``.bdoc``, ``.asics``,
    ``.scs``), so that every guess by file name (e-mail attachments, ``FileResponse``) gives
    their ETSI type and not ``application/octet-stream``."""
    for extension, content_type in EXTRA_MIMETYPES.items():
        mimetypes.add_type(content_type, extension)


def content_type_for(name: str) -> str:
    """The content type of a file by its name's extension: a kind of ours first, then
    ``mimetypes``; ``application/octet-stream`` when unknown."""
    extension = _extension(str(name or ""))
    kind = next((kind for kind in _KIND_LIST if extension in kind.extensions), None)
    if kind is not None:
        return kind.content_type
    return mimetypes.guess_type(f"file{extension}")[0] or "application/octet-stream"


# --- Recognising content -------------------------------------------------------------------------


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


# --- Checking ------------------------------------------------------------------------------------


def _allowed_kinds(allowed: Iterable[str]) -> list[FileKind]:
    keys = [allowed] if isinstance(allowed, str) else list(allowed)
    unknown = [key for key in keys if key not in KINDS]
    if unknown:
        raise ValueError(f"Unknown file kinds: {unknown}")
    return [KINDS[key] for key in keys]


def allowed_extensions(allowed: Iterable[str] = DEFAULT_KINDS) -> list[str]:
    """The file name extensions of the ``allowed`` kinds (".pdf", ".docx", ...)."""
    return [ext for kind in _allowed_kinds(allowed) for ext in kind.extensions]


def _file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


def _check_zip_limits(listing: _ZipListing | None, name: str, limits: ZipLimits) -> None:
    if listing is None:
        return  # not a readable ZIP: the content check refuses it
    if listing.entries > limits.max_entries:
        raise ValidationError(
            _("The file %(name)s contains %(count)s files; at most %(limit)s are allowed."),
            code="zip_entries",
            params={"name": name, "count": listing.entries, "limit": limits.max_entries},
        )
    unpacked = sum(info.file_size for info in listing.infos)
    packed = sum(info.compress_size for info in listing.infos)
    if unpacked > limits.max_unpacked_bytes:
        raise ValidationError(
            _("The file %(name)s would unpack to %(size)s; at most %(limit)s is allowed."),
            code="zip_size",
            params={
                "name": name,
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(limits.max_unpacked_bytes),
            },
        )
    if unpacked > limits.min_bytes_for_ratio and unpacked > limits.max_ratio * max(packed, 1):
        raise ValidationError(
            _("The file %(name)s is compressed too much to be a real document."),
            code="zip_ratio",
            params={"name": name},
        )


def check_upload(
    uploaded_file,
    *,
    allowed: Iterable[str] = DEFAULT_KINDS,
    max_bytes: int,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
) -> FileKind:
    """The kind of an uploaded file whose name and content agree and are ``allowed``; otherwise
    ``ValidationError``. The file is left at position 0."""
    kinds = _allowed_kinds(allowed)
    name = safe_display_name(getattr(uploaded_file, "name", "") or "")
    size = _file_size(uploaded_file)
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty."), code="empty", params={"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is too large: %(size)s; at most %(limit)s is allowed."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    extension = _extension(name)
    claimed = next((kind for kind in kinds if extension in kind.extensions), None)
    if claimed is None:
        raise ValidationError(
            _("The file %(name)s is not an allowed type (%(allowed)s)."),
            code="type_not_allowed",
            params={"name": name, "allowed": ", ".join(allowed_extensions(allowed))},
        )
    try:
        content = _Content(uploaded_file, size, zip_limits.max_entries)
        if claimed.zip_based and content.is_zip:
            _check_zip_limits(content.zip, name, zip_limits)
        if _MATCHERS[claimed.key](content):
            return claimed
        actual = next((kind for kind in _KIND_LIST if _MATCHERS[kind.key](content)), None)
    finally:
        uploaded_file.seek(0)
    if actual is not None:
        raise ValidationError(
            _("The file %(name)s is in %(kind)s format, but its name ends with %(extension)s."),
            code="extension_mismatch",
            params={"name": name, "kind": actual.label, "extension": extension},
        )
    raise ValidationError(
        _("The content of the file %(name)s is not in %(kind)s format."),
        code="content_mismatch",
        params={"name": name, "kind": claimed.label},
    )


# --- Forms ---------------------------------------------------------------------------------------


@deconstructible
class UploadValidator:
    """Runs ``check_upload``; ``max_bytes=None`` means ``settings.UPLOAD_MAX_BYTES`` (read when
    a file is checked, so tests may override it)."""

    def __init__(self, max_bytes: int | None = None, allowed: Iterable[str] = DEFAULT_KINDS):
        self.max_bytes = max_bytes
        self.allowed = tuple(kind.key for kind in _allowed_kinds(allowed))

    def __call__(self, uploaded_file) -> None:
        max_bytes = self.max_bytes if self.max_bytes is not None else settings.UPLOAD_MAX_BYTES
        check_upload(uploaded_file, allowed=self.allowed, max_bytes=max_bytes)

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.max_bytes, self.allowed) == (
            other.max_bytes,
            other.allowed,
        )

    def __hash__(self) -> int:
        return hash((self.max_bytes, self.allowed))


def validate_upload(
    max_bytes: int | None = None, allowed: Iterable[str] = DEFAULT_KINDS
) -> UploadValidator:
    """A validator for a form or model ``FileField`` that runs ``check_upload``."""
    return UploadValidator(max_bytes=max_bytes, allowed=allowed)


class UploadField(forms.FileField):
    """A file field that checks the file's real content; its widget accepts only the allowed
    extensions in the browser's file picker."""

    def __init__(
        self, *, allowed: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None, **kwargs
    ):
        self.allowed = tuple(kind.key for kind in _allowed_kinds(allowed))
        self.max_bytes = max_bytes
        super().__init__(**kwargs)
        self.validators.append(UploadValidator(max_bytes=max_bytes, allowed=self.allowed))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(allowed_extensions(self.allowed))
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    """Several files at once (Django's recipe); each is checked, and the errors of all of them
    are shown. Cleans to a list of files."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for uploaded_file in files:
            try:
                cleaned.append(super().clean(uploaded_file, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


def active_content_field() -> models.CharField:
    """The field of a stored upload that says what active content its PDF carried (JavaScript,
    embedded files: ``core.pdf_active.flags_for``), for staff to see; every copy served has it
    stripped. One definition for the attachments of every app."""
    return models.CharField(
        gettext_lazy("active content"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=gettext_lazy(
            "What the PDF carried (core.pdf_active); removed from every copy served."
        ),
    )
