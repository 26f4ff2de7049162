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

from core.uploads.checking import (  # noqa: F401 - the package's names
    _allowed_kinds,
    _check_zip_limits,
    _file_size,
    allowed_extensions,
    check_upload,
)
from core.uploads.content import (  # noqa: F401 - the package's names
    _EOCD,
    _HEADER,
    _HTML_START,
    _MAIL_HEADERS,
    _MATCHERS,
    _MAX_CENTRAL_DIRECTORY_BYTES_PER_ENTRY,
    _NOT_TEXT,
    _OLE_MAGIC,
    _ZIP64_EOCD,
    _ZIP64_LOCATOR,
    _Content,
    _has_mimetype,
    _is_email,
    _is_html,
    _is_ooxml,
    _is_rtf,
    _is_text,
    _ole_with,
    _read_zip,
    _utf16_head,
    _zip_end_record,
    _zip_with,
    _ZipListing,
)
from core.uploads.fields import (  # noqa: F401 - the package's names
    MultipleFileField,
    MultipleFileInput,
    UploadField,
    UploadValidator,
    active_content_field,
    validate_upload,
)
from core.uploads.kinds import (  # noqa: F401 - the package's names
    _KIND_LIST,
    DEFAULT_KINDS,
    DEFAULT_ZIP_LIMITS,
    HEAD_BYTES,
    KINDS,
    MB,
    FileKind,
    ZipLimits,
)
from core.uploads.names import (  # noqa: F401 - the package's names
    _EXTENSION,
    _UNSAFE_CHARACTERS,
    EXTRA_MIMETYPES,
    _extension,
    content_type_for,
    register_mimetypes,
    safe_display_name,
    storage_name,
)
