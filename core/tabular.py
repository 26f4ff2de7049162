"""Reading the CSV files offices make with Excel: one reader for every import of the portal.

What Estonian offices send, and what this module reads:

- **Encodings**: UTF-8 with a byte-order mark ("CSV UTF-8"), UTF-8 without one, UTF-16 with a
  byte-order mark (Excel's "Unicode text", tab-separated), and the Windows code pages of the
  office's Excel ("CSV (semikooloniga eraldatud)": windows-1257; Russian or English Windows:
  windows-1251, windows-1252). Without a byte-order mark and when the bytes are not UTF-8,
  ``charset-normalizer`` measures how garbled the text would be in each of these code pages; a
  reading with words no language has (Latin and Cyrillic letters in one word, ``Tццtool`` for
  ``Töötool``; Latin words made mostly of letters with diacritics, ``Ïðèâåò`` for ``Привет``)
  loses, and of equal readings the Estonian code page wins. Only when none of them reads the
  file does charset-normalizer choose among every encoding it knows.
- **Delimiter**: counted in the header line outside quotes: ``;`` (Estonian Excel's default),
  ``,`` or a tab; Excel's ``sep=;`` first line is honoured. ``csv.Sniffer`` is not used: it
  guesses from the whole sample and fails on a quoted multi-line note ("Could not determine
  delimiter").
- **Quotes**: quoted fields with delimiters, doubled quotes and line breaks (a multi-line note).
  A quote that never closes, or text after a closing quote, is an error naming the line where
  the row begins (``strict`` csv), not a row quietly holding the rest of the file.
- **Shape**: blank lines (also ``;;;;``) are skipped, trailing empty columns Excel adds are
  dropped, header names are compared in lower case without surrounding spaces.
- **Line numbers** are the file's: a row that holds a three-line note counts three lines, so
  the next row's number is the line a text editor shows.
- **Values**: ``parse_decimal`` reads "1 234,50" (space, no-break space or narrow no-break
  space between thousands), "1234.50", "1.234,50", "1 234,50 €"; ``parse_date`` reads
  ``dd.mm.yyyy``, ``d.m.yyyy`` and ``yyyy-mm-dd`` (a midnight time Excel may add is allowed).
  Both raise ``CellError`` with a message a user can act on.

A file that cannot be read as a whole (not text, empty, a broken quote, a missing or doubled
column, a control character) raises ``TableError`` with the line it concerns (0: the whole
file); an import turns it into one error on its form, never a server error.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.downloads import FORMULA_START
from core.textinput import has_control_characters

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


# --- Bytes to text ------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the codec it was read with (see the module docstring)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff"), codec
            except UnicodeDecodeError as error:
                raise TableError(_not_text_message()) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return _utf16_without_bom(data)
    return _code_page(data)


def _not_text_message() -> str:
    return _(
        "The file cannot be read as text. Save it in Excel as “CSV UTF-8 (comma delimited)” "
        "or “CSV (semicolon delimited)” and try again."
    )


def _utf16_without_bom(data: bytes) -> tuple[str, str]:
    """UTF-16 text without a byte-order mark: in Latin text every other byte is zero."""
    even, odd = data[0::2], data[1::2]
    for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros and zeros.count(0) > len(zeros) * 0.6:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    raise TableError(_not_text_message())


def _odd_words(text: str) -> int:
    """Words a wrong code page makes of real ones:

    - Latin and Cyrillic letters in one word (``Tццtool`` for ``Töötool``);
    - a Cyrillic word without a vowel (``хдцьрю`` for ``õäöüšž``: Estonian letters read as
      windows-1251 give only х д ц ь р ю);
    - a Latin word of four or more letters most of which carry diacritics, some not Estonian
      (``Ïðèâåò`` or ``Čāąķīā`` for Russian words; Estonian words have few and only õäöüšž);
    - a multiplication or division sign inside a word (``ń÷øņ`` for ``счёт``).
    """
    odd = len(SIGN_IN_WORD.findall(text))
    for word in WORD.findall(text):
        if CYRILLIC.search(word):
            odd += bool(LATIN.search(word)) or (
                len(word) >= 2 and not any(char in CYRILLIC_VOWELS for char in word.lower())
            )
        elif len(word) >= 4:
            foreign = [char for char in word if not char.isascii()]
            odd += len(foreign) * 2 > len(word) and any(
                char not in ESTONIAN_LETTERS for char in foreign
            )
    return odd


def _code_page(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    # The lines with bytes beyond ASCII are where code pages differ: judge on (some of) them.
    sample = b"\n".join(NON_ASCII_LINE.findall(data[: SAMPLE_BYTES * 8]))[:SAMPLE_BYTES]
    candidates = []
    for rank, codec in enumerate(CODE_PAGES):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        match = from_bytes(sample, cp_isolation=[codec]).best()
        chaos = 1.0 if match is None else round(match.chaos, 2)  # None: too garbled, or short
        candidates.append((_odd_words(sample.decode(codec)), chaos, rank, codec, text))
    if candidates:
        *_, codec, text = min(candidates)
        return text, codec
    match = from_bytes(data).best()
    if match is None:
        raise TableError(_not_text_message())
    return str(match), match.encoding


# --- Text to rows -------------------------------------------------------------------------------


def find_delimiter(line: str) -> str:
    """The delimiter of a header line: the candidate found most often outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda candidate: counts[candidate])
    return best if counts[best] else DELIMITERS[0]


def _first_line(text: str) -> tuple[str, int]:
    """The first line that is not blank, and its number."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if line.strip():
            return line, number
    return "", 0


def _quote_message() -> str:
    return _(
        "A quotation mark is not closed, or text follows a closing one. A value in quotation "
        'marks must end with a quotation mark; write a quotation mark inside it twice ("").'
    )


def _records(text: str, delimiter: str, skip_lines: int) -> Iterable[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of every record; line numbers are the file's."""
    stream = io.StringIO(text, newline="")
    for _skipped in range(skip_lines):
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    end = skip_lines
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise TableError(_quote_message(), line=start) from error
        end = skip_lines + reader.line_num
        yield start, end, [cell.replace("\r\n", "\n") for cell in cells]


def _trim(cells: list[str]) -> list[str]:
    """The cells without the empty ones Excel writes after the last used column."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def read_table(data: bytes, *, required: Iterable[str] = (), max_rows: int | None = None) -> Table:
    """The table in ``data`` (a file's bytes): its header (names in lower case, Excel's trailing
    empty columns dropped) and its non-blank rows with their line numbers. Raises TableError
    for a file that cannot be read, an empty one, a broken quote, a control character, a
    column named twice or a column of ``required`` missing."""
    text, encoding = decode(data)
    if "\x00" in text:
        raise TableError(_not_text_message())
    text = text.rstrip("\x1a")  # the end-of-file mark of old DOS programs
    first, number = _first_line(text)
    if not first.strip():
        raise TableError(_("The file is empty."))
    skip = 0
    sep = SEP_LINE.match(first)
    if sep:  # Excel's "sep=;" line names the delimiter
        delimiter, skip = sep.group(1), number
    else:
        delimiter = find_delimiter(first)

    header: tuple[str, ...] = ()
    header_line = 0
    rows: list[Row] = []
    for start, end, cells in _records(text, delimiter, skip):
        if not any(cell.strip() for cell in cells):
            continue
        for cell in cells:
            if has_control_characters(cell):
                raise TableError(
                    _(
                        "Remove the control characters (invisible special characters) from "
                        "this row."
                    ),
                    line=start,
                )
        if not header_line:
            header = tuple(cell.strip().lower() for cell in _trim(cells))
            header_line = start
            _check_header(header, header_line, required)
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise TableError(_("At most %(count)s rows at a time.") % {"count": max_rows})
        kept = (
            cells
            if len(cells) <= len(header)
            else cells[: len(header)] + _trim(cells[len(header) :])
        )
        rows.append(Row(line=start, end_line=end, cells=kept, header=header))

    if not header_line:
        raise TableError(_("The file is empty."))
    return Table(
        header=header, header_line=header_line, rows=rows, encoding=encoding, delimiter=delimiter
    )


def _check_header(header: tuple[str, ...], line: int, required: Iterable[str]) -> None:
    named = [name for name in header if name]
    doubled = sorted({name for name in named if named.count(name) > 1})
    if doubled:
        raise TableError(
            _("The column %(names)s is named more than once.") % {"names": ", ".join(doubled)},
            line=line,
        )
    missing = [name for name in required if name not in header]
    if missing:
        raise TableError(
            _("Missing columns: %(names)s.") % {"names": ", ".join(missing)}, line=line
        )


# --- Values -------------------------------------------------------------------------------------


def cell_text(value: str) -> str:
    """A cell without surrounding spaces and without the apostrophe that
    ``core.downloads.csv_cell`` puts before a text a spreadsheet would run as a formula."""
    value = (value or "").strip()
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


_SPACE = "[ \u00a0\u202f\u2007\u2009]"  # space, no-break, narrow no-break, figure, thin space
_NUMBER = re.compile(
    r"(?P<sign>[-+\u2212]?)"
    r"(?:"
    r"(?P<plain>\d+)(?:[.,](?P<plain_fraction>\d+))?"  # 1234,50  1234.50
    rf"|(?P<spaced>\d{{1,3}}(?:{_SPACE}\d{{3}})+)(?:[.,](?P<spaced_fraction>\d+))?"  # 1 234,50
    r"|(?P<dotted>\d{1,3}(?:\.\d{3})+)(?:,(?P<dotted_fraction>\d+))?"  # 1.234,50
    r"|(?P<commas>\d{1,3}(?:,\d{3})+)(?:\.(?P<commas_fraction>\d+))?"  # 1,234.50
    r")"
)
_CURRENCY = re.compile(rf"^(?:€|eur){_SPACE}*|{_SPACE}*(?:€|eur)$", re.IGNORECASE)


def parse_decimal(
    text: str, *, max_digits: int | None = None, decimal_places: int | None = None
) -> Decimal | None:
    """A number as offices write it (see the module docstring); None for an empty cell.
    ``max_digits`` and ``decimal_places`` are the limits of the field it goes into."""
    raw = cell_text(text)
    if not raw:
        return None
    value = _CURRENCY.sub("", raw).strip()
    match = _NUMBER.fullmatch(value)
    if match is None:
        raise CellError(_("%(value)s is not a number (e.g. 1 234,50).") % {"value": raw})
    for kind in ("plain", "spaced", "dotted", "commas"):
        if match.group(kind) is not None:
            whole = re.sub(r"\D", "", match.group(kind))
            fraction = match.group(f"{kind}_fraction") or ""
            break
    sign = "-" if match.group("sign") in ("-", "\u2212") else ""
    try:
        number = Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation as error:  # pragma: no cover - the pattern allows only digits
        raise CellError(_("%(value)s is not a number (e.g. 1 234,50).") % {"value": raw}) from error
    if decimal_places is not None and len(fraction.rstrip("0")) > decimal_places:
        raise CellError(
            _("%(value)s has more than %(places)s decimal places.")
            % {"value": raw, "places": decimal_places}
        )
    if max_digits is not None:
        places = decimal_places or 0
        if len(whole.lstrip("0")) > max_digits - places:
            raise CellError(_("%(value)s is too large.") % {"value": raw})
    if decimal_places is not None:
        number = number.quantize(Decimal(1).scaleb(-decimal_places))
    return number


_DATE_DOTTED = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})")
_DATE_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_MIDNIGHT = re.compile(r"(?:[ T]0?0:00(?::00)?)?")


def parse_date(text: str) -> date | None:
    """A date written ``dd.mm.yyyy``, ``d.m.yyyy`` or ``yyyy-mm-dd`` (a midnight time after it,
    as Excel writes a date-time cell, is allowed); None for an empty cell."""
    raw = cell_text(text)
    if not raw:
        return None
    match = None
    for pattern in (_DATE_DOTTED, _DATE_ISO):
        found = pattern.match(raw)
        if found and _MIDNIGHT.fullmatch(raw[found.end() :]):
            match = found
            break
    if match is None:
        raise CellError(_("%(value)s is not a date (dd.mm.yyyy).") % {"value": raw})
    if len(match.group("year")) == 2:
        raise CellError(
            _("%(value)s: write the year with four digits (dd.mm.yyyy).") % {"value": raw}
        )
    try:
        return date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    except ValueError as error:
        raise CellError(_("%(value)s: there is no such date.") % {"value": raw}) from error
