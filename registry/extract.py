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

import codecs
import email
import email.policy
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import IO
from xml.etree import ElementTree

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


# --- PDF -----------------------------------------------------------------------------------------


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


# --- XML-based office documents ------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
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


def _parse_xml(stream: IO[bytes], target) -> None:
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


def _zip_xml(file: IO[bytes], member: str, target, *, required: bool = True) -> None:
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
    tags = {
        name: {f"{ns}{name}" for ns in (_W, _W_STRICT)} for name in ("t", "p", "r", "tab", "br")
    }
    specials: dict[str, Callable[[dict[str, str]], str]] = {}
    for ns in (_W, _W_STRICT):
        specials |= {
            f"{ns}tab": lambda _: "\t",
            f"{ns}br": lambda _: "\n",
            f"{ns}cr": lambda _: "\n",
        }
    target = _XmlText(
        text,
        text_tags=tags["t"],
        block_tags=tags["p"],
        specials=specials,
        special_parents=tags["r"],  # not the tab stops in a paragraph's properties
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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _SheetText:
    """A parser target for SpreadsheetML by local names (so Transitional and Strict OOXML alike):
    the ``<t>`` of shared strings (``<si>``) and of inline strings (``<c t="inlineStr"><is>``),
    and the cached ``<v>`` of formula strings (``<c t="str">``). Numbers are left out."""

    def __init__(self, text: _Text):
        self.text = text
        self.cell_type = ""
        self.keep = 0

    def doctype(self, name, pubid, system):
        raise ExtractionError("The document has a DTD, which office documents never need.")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        if name == "c":
            self.cell_type = attrs.get("t", "")
        elif name == "t" or (name == "v" and self.cell_type == "str"):
            self.keep += 1

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name == "t" or (name == "v" and self.cell_type == "str"):
            self.keep = max(0, self.keep - 1)
        elif name == "si" or (name == "c" and self.cell_type in ("inlineStr", "str")):
            self.text.add("\n")
        if name == "c":
            self.cell_type = ""

    def data(self, data: str) -> None:
        if self.keep:
            self.text.add(data)

    def close(self) -> None:
        return None


def _xlsx(file: IO[bytes], text: _Text, **_options) -> None:
    """The strings of a workbook: its shared strings, then the inline and formula strings of
    each sheet (numbers are left out). Part names are matched without regard to case, as some
    writers spell them their own way."""
    with zipfile.ZipFile(file) as archive:
        names = archive.namelist()
        shared = [
            n
            for n in names
            if n.lower().startswith("xl/") and n.lower().endswith("sharedstrings.xml")
        ]
        sheets = sorted(
            n
            for n in names
            if n.lower().startswith("xl/worksheets/") and n.lower().endswith(".xml")
        )[:MAX_SHEETS]
        for member in shared + sheets:
            with archive.open(member) as stream:
                _parse_xml(stream, _SheetText(text))


# --- E-mail and HTML -----------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    BLOCKS = frozenset(
        {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "table"}
    )
    HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})

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
        elif tag in ("td", "th"):
            self.text.add(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.text.add(data)


def _html_to_text(html: str, text: _Text) -> None:
    parser = _HtmlText(text)
    parser.feed(html)
    parser.close()


def _part_text(part) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset
        content = decode_text(part.get_payload(decode=True) or b"")
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
            _html_to_text(_part_text(part), text)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _html(file: IO[bytes], text: _Text, **_options) -> None:
    """An HTML page (Word's "Save as web page", a saved e-mail): the charset its BOM or
    ``<meta>`` names, else detected; scripts, styles and the head left out."""
    raw = file.read(text.limit * 4)
    declared = None
    if not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        match = _META_CHARSET.search(raw[:4096])
        declared = match.group(1).decode("ascii").lower() if match else None
    decoded = None
    if declared:
        try:
            decoded = raw.decode(declared, "replace")
        except LookupError:
            decoded = None
    _html_to_text(decoded if decoded is not None else decode_text(raw), text)


# --- Plain text ----------------------------------------------------------------------------------

#: What an Estonian office's text files are written in, besides Unicode: Windows Baltic, Windows
#: Cyrillic, DOS Cyrillic and KOI8-R. Fewer candidates make a better guess on short texts.
TEXT_ENCODINGS = ("utf_8", "cp1257", "cp1251", "cp866", "koi8_r")


def decode_text(raw: bytes) -> str:
    """Bytes of text in an unknown encoding: a BOM decides, else UTF-8 if it is valid (a
    character cut at the end is no reason to doubt), else ``charset-normalizer`` among
    ``TEXT_ENCODINGS``, else Windows-1257 (Estonian Windows)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace")
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(raw) % 4 == 0:
        return raw.decode("utf-32", "replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace")
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(TEXT_ENCODINGS)).best()
    if best is not None:
        return str(best)
    return raw.decode("cp1257", "replace")


def _txt(file: IO[bytes], text: _Text, **_options) -> None:
    text.add(decode_text(file.read(text.limit * 4)))


def _rtf(file: IO[bytes], text: _Text, **_options) -> None:
    """RTF is 7-bit text; its code page (``\\ansicpg``) and ``\\uN`` escapes give the letters."""
    from striprtf.striprtf import rtf_to_text

    raw = file.read(text.limit * 8)
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("The file is not RTF.")
    text.add(rtf_to_text(raw.decode("latin-1"), errors="ignore"))


# --- Old binary Office formats, by Debian's tools ------------------------------------------------


def _run_tool(commands: list[list[str]], file: IO[bytes], suffix: str) -> str:
    """The UTF-8 output of the first of ``commands`` (each with ``{}`` for the file's path)
    that is installed and succeeds; ``ToolMissing`` when none is installed, ``ExtractionError``
    with the tools' complaint when all fail."""
    with tempfile.TemporaryDirectory(prefix="extract-") as folder:
        path = os.path.join(folder, f"file{suffix}")
        with open(path, "wb") as copy:
            shutil.copyfileobj(file, copy, _CHUNK)
        errors, tried = [], 0
        for command in commands:
            if shutil.which(command[0]) is None:
                continue
            tried += 1
            try:
                done = subprocess.run(  # noqa: S603 - a fixed program, the path is ours
                    [path if part == "{}" else part for part in command],
                    capture_output=True,
                    timeout=TOOL_TIMEOUT_SECONDS,
                    check=False,
                    cwd=folder,
                    env={**os.environ, "LC_ALL": "C.UTF-8"},
                )
            except subprocess.TimeoutExpired:
                errors.append(f"{command[0]}: took longer than {TOOL_TIMEOUT_SECONDS} s")
                continue
            if done.returncode == 0 and done.stdout.strip():
                return done.stdout.decode("utf-8", "replace")
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            errors.append(f"{command[0]}: {message[-1] if message else 'no text'}")
        if not tried:
            names = ", ".join(command[0] for command in commands)
            raise ToolMissing(f"No program to read the file is installed ({names}).")
        raise ExtractionError("; ".join(errors))


def _doc(file: IO[bytes], text: _Text, **_options) -> None:
    text.add(
        _run_tool(
            [["antiword", "-m", "UTF-8.txt", "-w", "0", "{}"], ["catdoc", "-d", "utf-8", "{}"]],
            file,
            ".doc",
        )
    )


def _xls(file: IO[bytes], text: _Text, **_options) -> None:
    text.add(_run_tool([["xls2csv", "-d", "utf-8", "-q", "0", "{}"]], file, ".xls"))


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


# --- OCR -----------------------------------------------------------------------------------------

# OCRmyPDF's exit codes (ocrmypdf.ExitCode) that mean the file itself is the problem.
_OCR_BAD_INPUT = {2: "The file is not a PDF or image that can be read.", 8: "The PDF is encrypted."}
_OCR_MISSING = 3  # missing_dependency: tesseract or ghostscript not installed
_OCR_ALREADY_TEXT = 6  # prior OCR found (only without --skip-text)
_OCR_NOT_PDFA = 10  # the output is a valid PDF, but not PDF/A: good enough
_SKIPPED_PAGE = re.compile(r"\[OCR skipped on page\(s\) [^\]]*\]")


def _ocr_input(path: str, kind_key: str, folder: str) -> tuple[str, bool]:
    """The file OCRmyPDF reads, and whether it is an image: JPEG, TIFF and PNG without
    transparency as they are; GIF, and images with an alpha channel, as a PNG without one."""
    if kind_key not in OCR_IMAGE_KINDS:
        return path, False
    from PIL import Image

    try:
        with Image.open(path) as image:
            simple = image.format in ("JPEG", "TIFF", "PNG") and image.mode in ("1", "L", "RGB")
            if simple and not (image.format == "PNG" and "transparency" in image.info):
                return path, True
            image.seek(0)
            flat = image.convert("RGB")
    except Exception as error:  # Pillow: damaged, truncated, a decompression bomb …
        raise ExtractionError(f"The image cannot be read: {error}") from error
    converted = os.path.join(folder, "image.png")
    flat.save(converted, dpi=flat.info.get("dpi") or (300, 300))
    return converted, True


def _pdf_page_count(path: str) -> int:
    from pypdf import PdfReader

    try:
        return len(PdfReader(path, strict=False).pages)
    except Exception:
        return 0  # OCRmyPDF will say what is wrong


def ocr(
    path: str | os.PathLike,
    kind_key: str,
    *,
    output: str | os.PathLike,
    languages: str = OCR_LANGUAGES,
    timeout: int = 600,
    max_pages: int = 50,
    max_chars: int = MAX_TEXT_CHARS,
) -> str:
    """Read the text of a scan (an image, or a PDF whose pages are images) with OCRmyPDF and
    Tesseract in ``languages``; write the searchable PDF to ``output`` and return the text it
    read, cleaned. At most ``max_pages`` pages are read, in a child process that is killed
    after ``timeout`` seconds. ``ExtractionError`` when the file cannot be read (damaged,
    encrypted, too slow); ``ToolMissing`` or ``OSError`` otherwise (worth a retry).

    A scan becomes a PDF/A. A PDF with some pages of text and some scanned is read with
    ``--skip-text`` (its text pages are kept as they are), as PDF/A too where Ghostscript
    allows it; Ghostscript 10.0.0-10.02.0 (Debian bookworm) corrupts such PDFs, and OCRmyPDF
    refuses it for them, so those become a plain searchable PDF instead."""
    path = os.path.abspath(os.fspath(path))  # the child runs in a folder of its own
    deadline = _Deadline(timeout)
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        source, is_image = _ocr_input(path, kind_key, folder)
        sidecar = os.path.join(folder, "text.txt")
        result = os.path.join(folder, "searchable.pdf")
        options = ["--language", languages, "--sidecar", sidecar, "--jobs", "1", "--quiet"]
        if is_image:
            options += ["--image-dpi", "300"]  # used only when the image does not say
        elif _pdf_page_count(source) > max_pages:
            options += ["--pages", f"1-{max_pages}"]
        done = _ocrmypdf([*options, "--output-type", "pdfa"], source, result, folder, deadline)
        if done.returncode == _OCR_ALREADY_TEXT:  # some pages have text: leave those alone
            options += ["--skip-text"]
            done = _ocrmypdf([*options, "--output-type", "pdfa"], source, result, folder, deadline)
            if done.returncode == _OCR_MISSING and b"Ghostscript" in done.stderr:
                done = _ocrmypdf(
                    [*options, "--output-type", "pdf"], source, result, folder, deadline
                )
        last = _complaint(done.stderr)
        if done.returncode == _OCR_MISSING or (
            done.returncode != 0 and "No module named ocrmypdf" in last
        ):
            raise ToolMissing(f"OCR is not installed: {last}")
        if done.returncode in _OCR_BAD_INPUT:
            raise ExtractionError(f"{_OCR_BAD_INPUT[done.returncode]} {last}".strip())
        if done.returncode not in (0, _OCR_NOT_PDFA) or not os.path.exists(result):
            raise OSError(f"OCR failed (exit code {done.returncode}): {last}")
        shutil.copyfile(result, output)
        with open(sidecar, encoding="utf-8", errors="replace") as handle:
            read = handle.read(max_chars)
    return clean_text(_SKIPPED_PAGE.sub("", read)).strip()


def _complaint(stderr: bytes) -> str:
    """The last line of OCRmyPDF's error output that says something to staff (not a traceback's
    frames, not its advice to run it in Docker)."""
    lines = [
        line.strip()
        for line in stderr.decode("utf-8", "replace").splitlines()
        if line.strip()
        and not line.startswith((" ", "\t"))
        and "docker" not in line
        and not line.startswith(("Traceback", "Input file is a file"))
    ]
    return lines[-1][:500] if lines else ""


class _Deadline:
    def __init__(self, seconds: int):
        import time

        self.seconds, self._clock = seconds, time.monotonic
        self.end = self._clock() + seconds

    def left(self) -> float:
        left = self.end - self._clock()
        if left <= 0:
            raise ExtractionError(f"Reading the text took longer than {self.seconds} s.")
        return left


def _ocrmypdf(
    options: list[str], source: str, result: str, folder: str, deadline: _Deadline
) -> subprocess.CompletedProcess:
    """Run OCRmyPDF in a child process (killed at the deadline): a hung Tesseract or Ghostscript
    cannot hold the worker, and OCRmyPDF's own worker processes are not a Celery worker's."""
    command = [sys.executable, "-m", "ocrmypdf", *options, source, result]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "TMPDIR": folder}
    try:
        return subprocess.run(  # noqa: S603 - our own interpreter and arguments
            command,
            capture_output=True,
            timeout=deadline.left(),
            check=False,
            cwd=folder,
            env=env,
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionError(f"Reading the text took longer than {deadline.seconds} s.") from error
