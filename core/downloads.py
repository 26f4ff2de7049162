"""What leaves the portal as a file: stored files as downloads, and CSV cells."""

from __future__ import annotations

import io

from django.http import FileResponse

from core import pdf_active
from core.uploads import content_type_for

# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula: such text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def file_download(
    fieldfile, *, filename: str, content_type: str, active_content: str = ""
) -> FileResponse:
    """A stored file as a download (never shown inline), under its display name, with the type
    it was checked to be and no content sniffing. An uploaded PDF flagged with
    ``active_content`` (core/pdf_active.py) is served as a copy without its JavaScript and
    embedded files; the stored original is not touched. Without a known type the type follows
    the name (``core.uploads.content_type_for``: a ``.bdoc`` is an ASiC-E container)."""
    if not content_type or content_type == "application/octet-stream":
        content_type = content_type_for(filename)
    content = fieldfile.open("rb")
    if active_content and content_type == "application/pdf":
        with content:
            clean = pdf_active.stripped(content)
        content = io.BytesIO(clean) if clean is not None else fieldfile.open("rb")
    response = FileResponse(
        content,
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
