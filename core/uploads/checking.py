"""Checking an upload: its extension and content agree with an allowed kind, its size, and a ZIP's
declared unpacked size, compression ratio and number of entries."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.uploads.content import _MATCHERS, _Content, _ZipListing
from core.uploads.kinds import (
    _KIND_LIST,
    DEFAULT_KINDS,
    DEFAULT_ZIP_LIMITS,
    KINDS,
    FileKind,
    ZipLimits,
)
from core.uploads.names import _extension, safe_display_name


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
