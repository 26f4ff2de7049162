"""The text of attachments, for full-text search.

``extract_text`` takes a path or an open binary file and the kind key ``core.uploads`` gave the
file. The text is capped (``MAX_TEXT_CHARS``), as are the PDF pages read and the XML bytes
parsed; a damaged file raises ``ExtractionError``. Images and signed containers have no text.

XML is parsed with ElementTree into a small target that keeps only the text; a document with a
DTD (``<!DOCTYPE``, where entities are declared) is refused before any entity can be expanded.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import itertools
import os
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from typing import IO
from xml.etree import ElementTree

MAX_TEXT_CHARS = 1_000_000
MAX_PDF_PAGES = 500
MAX_XML_BYTES = 200 * 1024 * 1024
_CHUNK = 64 * 1024

#: Kinds of ``core.uploads`` that have no text to extract.
NO_TEXT_KINDS = frozenset({"png", "jpeg", "tiff", "gif", "asice", "asics"})


class ExtractionError(Exception):
    """The file is damaged, encrypted or otherwise unreadable."""


class _Full(Exception):
    """Enough text: stop reading."""


class _Text:
    """Collects text up to ``limit`` characters, then raises ``_Full``."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[str] = []
        self.length = 0

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


# --- PDF -----------------------------------------------------------------------------------------


def _pdf(file: IO[bytes], text: _Text, *, max_pages: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ExtractionError("The PDF is encrypted with a password.")
    for page in itertools.islice(reader.pages, max_pages):
        text.add(page.extract_text() or "")
        text.add("\n")


# --- XML-based office documents ------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class _XmlText:
    """An ElementTree parser target that keeps the character data inside ``text_tags``, writes
    ``"\\n"`` after each of ``block_tags`` and ``specials[tag](attrs)`` for empty elements such
    as tabs and line breaks (when inside ``special_parents``, if given)."""

    def __init__(
        self,
        text: _Text,
        *,
        text_tags: set[str],
        block_tags: set[str],
        specials: dict[str, Callable[[dict[str, str]], str]],
        special_parents: set[str] | None = None,
    ):
        self.text = text
        self.text_tags = text_tags
        self.block_tags = block_tags
        self.specials = specials
        self.special_parents = special_parents
        self.stack: list[str] = []
        self.depth = 0

    def doctype(self, name, pubid, system):
        raise ExtractionError("The document has a DTD, which office documents never need.")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        special = self.specials.get(tag)
        if special is not None and (
            self.special_parents is None or (self.stack and self.stack[-1] in self.special_parents)
        ):
            self.text.add(special(attrs))
        self.stack.append(tag)
        if tag in self.text_tags:
            self.depth += 1

    def end(self, tag: str) -> None:
        self.stack.pop()
        if tag in self.text_tags:
            self.depth -= 1
        if tag in self.block_tags:
            self.text.add("\n")

    def data(self, data: str) -> None:
        if self.depth:
            self.text.add(data)

    def close(self) -> None:
        return None


def _parse_xml(stream: IO[bytes], target: _XmlText) -> None:
    # The target refuses a DTD, so no entity is declared, let alone expanded (what defusedxml
    # guards against); expat loads no external resources.
    parser = ElementTree.XMLParser(target=target)  # noqa: S314
    fed = 0
    while chunk := stream.read(_CHUNK):
        fed += len(chunk)
        if fed > MAX_XML_BYTES:
            raise _Full
        parser.feed(chunk)
    parser.close()


def _zip_xml(file: IO[bytes], member: str, target: _XmlText, *, required: bool = True) -> None:
    with zipfile.ZipFile(file) as archive:
        try:
            info = archive.getinfo(member)
        except KeyError:
            if required:
                raise ExtractionError(f"The file has no {member}.") from None
            return
        with archive.open(info) as stream:
            _parse_xml(stream, target)


def _docx(file: IO[bytes], text: _Text, **_options) -> None:
    target = _XmlText(
        text,
        text_tags={f"{_W}t"},
        block_tags={f"{_W}p"},
        specials={f"{_W}tab": lambda _: "\t", f"{_W}br": lambda _: "\n", f"{_W}cr": lambda _: "\n"},
        special_parents={f"{_W}r"},  # not the tab stops in a paragraph's properties
    )
    _zip_xml(file, "word/document.xml", target)


def _spaces(attrs: dict[str, str]) -> str:
    count = attrs.get(f"{_T}c", "1")
    return " " * min(int(count), 100) if count.isdigit() else " "


def _odf(file: IO[bytes], text: _Text, **_options) -> None:
    target = _XmlText(
        text,
        text_tags={f"{_T}p", f"{_T}h"},
        block_tags={f"{_T}p", f"{_T}h"},
        specials={f"{_T}s": _spaces, f"{_T}tab": lambda _: "\t", f"{_T}line-break": lambda _: "\n"},
    )
    _zip_xml(file, "content.xml", target)


def _xlsx(file: IO[bytes], text: _Text, **_options) -> None:
    """The shared strings of a workbook: the text of its cells (numbers are left out)."""
    target = _XmlText(text, text_tags={f"{_S}t"}, block_tags={f"{_S}si"}, specials={})
    _zip_xml(file, "xl/sharedStrings.xml", target, required=False)


# --- E-mail --------------------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6"})
    HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self, text: _Text):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.text.add("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.text.add(data)


def _part_text(part) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return content if isinstance(content, str) else ""


def _eml(file: IO[bytes], text: _Text, **_options) -> None:
    message = email.message_from_binary_file(file, policy=email.policy.default)
    for header in ("subject", "from", "to", "cc"):
        try:
            value = message.get(header)
        except (ValueError, LookupError, TypeError, AttributeError):
            continue  # a header the parser cannot make sense of: the body may still be fine
        if value:
            text.add(f"{value}\n")
    plain, html = [], []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/plain":
            plain.append(part)
        elif part.get_content_type() == "text/html":
            html.append(part)
    for part in plain:
        text.add("\n" + _part_text(part))
    if not plain:
        for part in html:
            parser = _HtmlText(text)
            parser.feed(_part_text(part))
            parser.close()


# --- Plain text ----------------------------------------------------------------------------------


def _txt(file: IO[bytes], text: _Text, **_options) -> None:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1257 (Estonian Windows)."""
    raw = file.read(text.limit * 4)
    if raw.startswith(codecs.BOM_UTF8):
        decoded = raw[3:].decode("utf-8", "replace")
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = raw.decode("utf-16", "replace")
    else:
        try:  # incremental: a character cut at the end of what was read is not an error
            decoded = codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
        except UnicodeDecodeError:
            decoded = raw.decode("cp1257", "replace")
    text.add(decoded)


_EXTRACTORS: dict[str, Callable[..., None]] = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "odt": _odf,
    "ods": _odf,
    "eml": _eml,
    "txt": _txt,
}


def extract_text(
    source: str | os.PathLike | IO[bytes],
    kind_key: str,
    *,
    max_chars: int = MAX_TEXT_CHARS,
    max_pages: int = MAX_PDF_PAGES,
) -> str:
    """The text of a file of kind ``kind_key`` (a ``core.uploads.KINDS`` key), at most
    ``max_chars`` characters; "" for kinds without text. ``ExtractionError`` if the file is
    damaged; ``OSError`` (reading failed: worth a retry) passes through."""
    if kind_key in NO_TEXT_KINDS:
        return ""
    extractor = _EXTRACTORS.get(kind_key)
    if extractor is None:
        raise ValueError(f"Unknown file kind: {kind_key!r}")
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            return _extract(extractor, file, max_chars=max_chars, max_pages=max_pages)
    source.seek(0)
    return _extract(extractor, source, max_chars=max_chars, max_pages=max_pages)


def _extract(extractor, file: IO[bytes], *, max_chars: int, max_pages: int) -> str:
    text = _Text(max_chars)
    try:
        extractor(file, text, max_pages=max_pages)
    except _Full:
        pass
    except (ExtractionError, OSError):
        raise
    except Exception as error:  # parsers of damaged files raise all kinds of errors
        raise ExtractionError(f"{type(error).__name__}: {error}") from error
    return text.value()
