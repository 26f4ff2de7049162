"""What leaves the portal as a file: stored files as downloads, and CSV cells."""

from __future__ import annotations

from django.http import FileResponse

# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula: such text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def file_download(fieldfile, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download (never shown inline), under its display name, with the type
    it was checked to be and no content sniffing."""
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
