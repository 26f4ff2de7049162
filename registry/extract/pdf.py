"""PDF text (pypdf), and whether a PDF's pages or an image would give more text to OCR."""

from __future__ import annotations

import itertools
from typing import IO

from registry.extract.common import MIN_PAGE_CHARS, ExtractionError, _Full, _Text, clean_text


def _has_image(page) -> bool:
    """Whether a PDF page draws an image of its own (a scan), by its resources only."""
    try:
        xobjects = page.get("/Resources", {}).get_object().get("/XObject")
        if xobjects is None:
            return False
        xobjects = xobjects.get_object()
        return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)
    except Exception:  # a damaged resource dictionary: let OCR have a look
        return True


def _pdf(file: IO[bytes], text: _Text, *, max_pages: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(file, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ExtractionError("The PDF is encrypted with a password.")
    read = failed = 0
    first_error: Exception | None = None
    for page in itertools.islice(reader.pages, max_pages):
        try:
            page_text = page.extract_text() or ""
        except _Full:
            raise
        except Exception as error:  # one broken page (a bad font, a bad stream): the rest count
            failed += 1
            first_error = first_error or error
            page_text = ""
        else:
            read += 1
        if len("".join(page_text.split())) < MIN_PAGE_CHARS and _has_image(page):
            text.needs_ocr = True
        text.add(clean_text(page_text))
        text.add("\n")
    if failed and not read:
        raise ExtractionError(f"No page of the PDF could be read: {first_error}")


#: An image smaller than this (a logo, an icon, a tracking pixel in an e-mail) holds no page of
#: text: it is not sent to OCR.
MIN_OCR_SIDE_PX = 200


MIN_OCR_AREA_PX = 200_000


def _images(file: IO[bytes], text: _Text, **_options) -> None:
    """No text of its own; a picture big enough to be a page goes to OCR (one Pillow cannot
    open goes too, and OCR says what is wrong with it)."""
    from PIL import Image

    try:
        with Image.open(file) as image:  # reads the header only
            width, height = image.size
    except Exception:
        text.needs_ocr = True
        return
    text.needs_ocr = min(width, height) >= MIN_OCR_SIDE_PX and width * height >= MIN_OCR_AREA_PX
