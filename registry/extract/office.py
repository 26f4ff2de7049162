"""Text of the XML-based office documents: Word (.docx), OpenDocument (.odt, .ods) and Excel
(.xlsx), read as XML streams with entities refused."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import IO
from xml.etree import ElementTree

from registry.extract.common import _CHUNK, MAX_SHEETS, MAX_XML_BYTES, ExtractionError, _Full, _Text

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
