"""The text of attachments, for full-text search, and OCR for scans.

``extract(source, kind_key)`` takes a path or an open binary file and the kind key
``core.uploads`` gave the file, and returns the text and whether the file needs OCR (an image,
or a PDF with pages that carry an image but no text). ``extract_text`` returns the text only.
The text is capped (``MAX_TEXT_CHARS``), as are the PDF pages read and the XML bytes parsed; it
is cleaned (``clean_text``: no NULs, control characters or lone surrogates, which PostgreSQL
refuses) before it is returned. A damaged file raises ``ExtractionError`` (a permanent failure:
trying again gives the same); reading the file or a missing tool raises ``OSError`` (worth a
retry). Signed containers have no text.

What offices send: PDF (text layer, page by page: a page pypdf cannot read is skipped, not the
file), DOCX and XLSX (also Strict OOXML; shared, inline and formula strings of every sheet), ODT
and ODS, RTF (``striprtf``), HTML (scripts and styles left out), ``.doc`` and ``.xls`` (Debian's
``antiword``, else ``catdoc``; ``xls2csv`` from ``catdoc``), e-mails, and text in any common
encoding (a BOM, else UTF-8, else ``charset-normalizer`` among the Estonian and Russian code
pages: cp1257, cp1251, cp866, KOI8-R).

``ocr(path, kind_key, output=...)`` runs OCRmyPDF (Tesseract, Estonian + Russian + English) in a
child process with a time limit and writes a searchable PDF/A to ``output``; it returns the text
it read. Pages that already have text are skipped (``--skip-text``).

XML is parsed with ElementTree into a small target that keeps only the text; a document with a
DTD (``<!DOCTYPE``, where entities are declared) is refused before any entity can be expanded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO

from registry.extract.binary import (  # noqa: F401 - the package's names
    _doc,
    _run_tool,
    _xls,
)
from registry.extract.common import (  # noqa: F401 - the package's names
    _CHUNK,
    _UNWANTED,
    MAX_PDF_PAGES,
    MAX_SHEETS,
    MAX_TEXT_CHARS,
    MAX_XML_BYTES,
    MIN_PAGE_CHARS,
    NO_TEXT_KINDS,
    OCR_IMAGE_KINDS,
    OCR_LANGUAGES,
    TOOL_TIMEOUT_SECONDS,
    Extracted,
    ExtractionError,
    ToolMissing,
    _Full,
    _Text,
    clean_text,
)
from registry.extract.ocr import (  # noqa: F401 - the package's names
    _OCR_ALREADY_TEXT,
    _OCR_BAD_INPUT,
    _OCR_MISSING,
    _OCR_NOT_PDFA,
    _SKIPPED_PAGE,
    _complaint,
    _Deadline,
    _ocr_input,
    _ocrmypdf,
    _pdf_page_count,
    ocr,
)
from registry.extract.office import (  # noqa: F401 - the package's names
    _T,
    _W,
    _W_STRICT,
    _docx,
    _local,
    _odf,
    _parse_xml,
    _SheetText,
    _spaces,
    _xlsx,
    _XmlText,
    _zip_xml,
)
from registry.extract.pdf import (  # noqa: F401 - the package's names
    MIN_OCR_AREA_PX,
    MIN_OCR_SIDE_PX,
    _has_image,
    _images,
    _pdf,
)
from registry.extract.plain import (  # noqa: F401 - the package's names
    TEXT_ENCODINGS,
    _rtf,
    _txt,
    decode_text,
)
from registry.extract.web import (  # noqa: F401 - the package's names
    _META_CHARSET,
    _eml,
    _html,
    _html_to_text,
    _HtmlText,
    _part_text,
)


def _nothing(file: IO[bytes], text: _Text, **_options) -> None:
    return None


_EXTRACTORS: dict[str, Callable[..., None]] = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "odt": _odf,
    "ods": _odf,
    "eml": _eml,
    "txt": _txt,
    "rtf": _rtf,
    "html": _html,
    "doc": _doc,
    "xls": _xls,
}


def extract(
    source: str | os.PathLike | IO[bytes],
    kind_key: str,
    *,
    max_chars: int = MAX_TEXT_CHARS,
    max_pages: int = MAX_PDF_PAGES,
) -> Extracted:
    """The cleaned text of a file of kind ``kind_key`` (a ``core.uploads.KINDS`` key), at most
    ``max_chars`` characters, and whether OCR would find more. ``ExtractionError`` if the file
    is damaged; ``OSError`` (reading failed, a tool is missing: worth a retry) passes through."""
    if kind_key in OCR_IMAGE_KINDS:
        extractor = _images
    elif kind_key in NO_TEXT_KINDS:
        extractor = _nothing
    else:
        extractor = _EXTRACTORS.get(kind_key)
    if extractor is None:
        raise ValueError(f"Unknown file kind: {kind_key!r}")
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            return _extract(extractor, file, max_chars=max_chars, max_pages=max_pages)
    source.seek(0)
    return _extract(extractor, source, max_chars=max_chars, max_pages=max_pages)


def extract_text(
    source: str | os.PathLike | IO[bytes],
    kind_key: str,
    *,
    max_chars: int = MAX_TEXT_CHARS,
    max_pages: int = MAX_PDF_PAGES,
) -> str:
    """The text of ``extract`` only; "" for kinds without text."""
    return extract(source, kind_key, max_chars=max_chars, max_pages=max_pages).text


def _extract(extractor, file: IO[bytes], *, max_chars: int, max_pages: int) -> Extracted:
    text = _Text(max_chars)
    try:
        extractor(file, text, max_pages=max_pages)
    except _Full:
        pass
    except (ExtractionError, OSError):
        raise
    except RecursionError as error:
        raise ExtractionError("The file is nested too deeply to read.") from error
    except Exception as error:  # parsers of damaged files raise all kinds of errors
        raise ExtractionError(f"{type(error).__name__}: {error}") from error
    return Extracted(text=clean_text(text.value()), needs_ocr=text.needs_ocr)
