"""The kinds of file the portal accepts (their extensions, content types and how each is
recognised) and the limits of a ZIP-based file."""

from __future__ import annotations

from dataclasses import dataclass

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
