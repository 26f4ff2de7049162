"""A client's file name made fit for showing and for Content-Disposition (never a path), stored
names, and the content type of a name."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
import uuid

from django.utils import timezone

from core.uploads.kinds import _KIND_LIST

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
