"""What reading a table shares: the delimiters and code pages Excel uses here, the table and its
rows, and the errors that say where a table or a cell is wrong."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.downloads import FORMULA_START

DELIMITERS = (";", "\t", ",")  # on a tie the first wins: ";" is Estonian Excel's own


# Windows code pages of the offices' Excel, the Estonian one first (it wins a tie).
CODE_PAGES = ("cp1257", "cp1251", "cp1252")


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1257": "windows-1257",
    "cp1251": "windows-1251",
    "cp1252": "windows-1252",
}


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


CYRILLIC = re.compile(r"[\u0400-\u04ff]")


WORD = re.compile(r"[^\W\d_]+")


NON_ASCII_LINE = re.compile(rb"[^\r\n]*[\x80-\xff][^\r\n]*")


SAMPLE_BYTES = 64 * 1024


CYRILLIC_VOWELS = set("аеёиоуыэяіїє")


ESTONIAN_LETTERS = set("õäöüšžÕÄÖÜŠŽ")


SIGN_IN_WORD = re.compile(r"[^\W\d_][×÷]|[×÷][^\W\d_]")


SEP_LINE = re.compile(r"\A\s*sep=(.)\s*\Z", re.IGNORECASE)


class TableError(Exception):
    """The file cannot be read as a table. ``line`` is the file's line (0: the file as a whole);
    ``message`` is for the user, in the active language."""

    def __init__(self, message: str, *, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class CellError(ValueError):
    """A value that is not what its column needs; ``message`` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """One record: ``line`` is the file's line where it begins, ``end_line`` where it ends
    (later than ``line`` when a quoted value holds line breaks)."""

    line: int
    end_line: int
    cells: list[str]
    header: tuple[str, ...] = field(repr=False, default=())

    def get(self, name: str, default: str = "") -> str:
        """The cell of column ``name`` without surrounding spaces ("" when the row is short),
        and without the apostrophe an export put before a formula-like text."""
        try:
            index = self.header.index(name)
        except ValueError:
            return default
        return cell_text(self.cells[index]) if index < len(self.cells) else default

    def as_dict(self) -> dict[str, str]:
        return {name: self.get(name) for name in self.header if name}

    @property
    def extra_cells(self) -> int:
        """Cells that have a value but no column in the header."""
        return sum(1 for cell in self.cells[len(self.header) :] if cell.strip())


@dataclass
class Table:
    header: tuple[str, ...]
    header_line: int
    rows: list[Row]
    encoding: str
    delimiter: str

    @property
    def encoding_name(self) -> str:
        """The encoding as users know it: "UTF-8", "windows-1257"."""
        return ENCODING_NAMES.get(self.encoding, self.encoding)


def cell_text(value: str) -> str:
    """A cell without surrounding spaces and without the apostrophe that
    ``core.downloads.csv_cell`` puts before a text a spreadsheet would run as a formula."""
    value = (value or "").strip()
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
