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

from core.tabular.common import (  # noqa: F401 - the package's names
    BOMS,
    CODE_PAGES,
    CYRILLIC,
    CYRILLIC_VOWELS,
    DELIMITERS,
    ENCODING_NAMES,
    ESTONIAN_LETTERS,
    LATIN,
    NON_ASCII_LINE,
    SAMPLE_BYTES,
    SEP_LINE,
    SIGN_IN_WORD,
    WORD,
    CellError,
    Row,
    Table,
    TableError,
    cell_text,
)
from core.tabular.decoding import (  # noqa: F401 - the package's names
    _code_page,
    _not_text_message,
    _odd_words,
    _utf16_without_bom,
    decode,
)
from core.tabular.rows import (  # noqa: F401 - the package's names
    _check_header,
    _first_line,
    _quote_message,
    _records,
    _trim,
    find_delimiter,
    read_table,
)
from core.tabular.values import (  # noqa: F401 - the package's names
    _CURRENCY,
    _DATE_DOTTED,
    _DATE_ISO,
    _MIDNIGHT,
    _NUMBER,
    _SPACE,
    parse_date,
    parse_decimal,
)
