"""What every extractor shares: the limits, the kinds without text and those OCR reads, the errors,
and the text collected up to its limit and cleaned."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT_CHARS = 1_000_000


MAX_PDF_PAGES = 500


MAX_XML_BYTES = 200 * 1024 * 1024


MAX_SHEETS = 200


TOOL_TIMEOUT_SECONDS = 120  # antiword, catdoc, xls2csv


_CHUNK = 64 * 1024


#: Kinds of ``core.uploads`` that have no text to extract (images get theirs by OCR).
NO_TEXT_KINDS = frozenset({"png", "jpeg", "tiff", "gif", "asice", "asics"})


#: Kinds that are read by OCR: scans and photos; PDFs when a page has an image but no text.
OCR_IMAGE_KINDS = frozenset({"png", "jpeg", "tiff", "gif"})


OCR_LANGUAGES = "est+rus+eng"


#: A PDF page with fewer letters than this has no text layer worth the name.
MIN_PAGE_CHARS = 20


class ExtractionError(Exception):
    """The file is damaged, encrypted or otherwise unreadable: trying again gives the same."""


class ToolMissing(OSError):
    """A program that reads the kind (antiword, catdoc, ocrmypdf, tesseract) is not installed."""


class _Full(Exception):
    """Enough text: stop reading."""


@dataclass(frozen=True)
class Extracted:
    text: str
    needs_ocr: bool = False


class _Text:
    """Collects text up to ``limit`` characters, then raises ``_Full``."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[str] = []
        self.length = 0
        self.needs_ocr = False

    def add(self, text: str) -> None:
        if not text:
            return
        room = self.limit - self.length
        self.parts.append(text[:room])
        self.length += min(len(text), room)
        if self.length >= self.limit:
            raise _Full

    def value(self) -> str:
        return "".join(self.parts)


# Lone surrogates (pypdf gives them for a broken ToUnicode map; "surrogateescape" decoding
# leaves them), NUL and the other C0 controls but tab, line feed, form feed and carriage return.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` fit for PostgreSQL and search: a surrogate pair becomes its character, a lone
    surrogate, a NUL or another control character is dropped."""
    if not text:
        return ""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return _UNWANTED.sub("", text)
