"""Text made rows: the delimiter found (Excel's sep= line, else the first line), quoted fields,
empty columns trimmed, the header checked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.tabular.common import DELIMITERS, SEP_LINE, Row, Table, TableError
from core.tabular.decoding import _not_text_message, decode
from core.textinput import has_control_characters


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
