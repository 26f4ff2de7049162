"""core.tabular: CSV files as Excel in an Estonian office saves them, built here as bytes."""

import codecs
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from core import tabular
from core.tabular import CellError, TableError, parse_date, parse_decimal, read_table

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def excel_file() -> bytes:
    """Estonian Excel's "CSV UTF-8": a byte-order mark, semicolons, CR LF, a note with two line
    breaks, a price with a no-break space between thousands, trailing empty columns, a blank
    line and a row of empty cells at the end."""
    text = (
        "\ufeffname;category;price;purchase_date;notes;;\r\n"
        f'Töötool Šveitsist;furniture;1{NBSP}234,50;14.03.2025;"Esimene rida\n'
        'teine; semikooloniga\nkolmas ""jutumärkidega""";;\r\n'
        "Žalusii;other;89,90;1.3.2025;;;\r\n"
        "\r\n"
        ";;;;;;\r\n"
    )
    return text.encode("utf-8")


def test_an_excel_csv_with_bom_semicolons_and_a_multi_line_note():
    table = read_table(excel_file(), required=["name", "category"])
    assert table.encoding_name == "UTF-8"
    assert table.delimiter == ";"
    assert table.header == ("name", "category", "price", "purchase_date", "notes")
    first, second = table.rows
    assert (first.line, first.end_line) == (2, 4)
    assert first.get("notes") == 'Esimene rida\nteine; semikooloniga\nkolmas "jutumärkidega"'
    assert first.get("name") == "Töötool Šveitsist"
    assert parse_decimal(first.get("price")) == Decimal("1234.50")
    assert parse_date(first.get("purchase_date")) == date(2025, 3, 14)
    assert (second.line, second.end_line) == (5, 5)  # the line a text editor shows
    assert second.extra_cells == 0
    assert parse_date(second.get("purchase_date")) == date(2025, 3, 1)


def test_line_numbers_count_blank_lines_and_line_breaks_of_every_kind():
    text = 'a;b\n\n1;"x\r\ny"\r\n2;z\r3;w\n'
    rows = read_table(text.encode()).rows
    assert [(row.line, row.end_line, row.cells) for row in rows] == [
        (3, 4, ["1", "x\ny"]),
        (5, 5, ["2", "z"]),
        (6, 6, ["3", "w"]),
    ]


def test_utf8_without_a_byte_order_mark():
    table = read_table("nimi;märkus\nÕun;šokolaad ja žele\n".encode())
    assert table.encoding == "utf-8"
    assert table.rows[0].cells == ["Õun", "šokolaad ja žele"]


@pytest.mark.parametrize(
    "words",
    [
        "Töötool; Õismäe; Šokolaadi tn 5; Žürii",
        "õunapuu; äri; öökull; üür; šašlõkk; žanr",
        "Tõnis Mägi; Pärnu mnt 15; Häädemeeste; Jõgeva",
        "ÕÄÖÜŠŽ; õäöüšž",
    ],
)
def test_a_windows_1257_file_comes_out_right(words):
    """Estonian Excel's "CSV (semicolon delimited)": windows-1257, found by charset-normalizer
    and the rules of core.tabular (windows-1251 and -1252 would read š, ž or õ wrong)."""
    text = "nimi;asukoht;märkus\r\n" + words.replace("; ", ";", 2) + "\r\n"
    data = text.encode("cp1257")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data)
    assert table.encoding_name == "windows-1257"
    assert table.header == ("nimi", "asukoht", "märkus")
    assert ";".join(table.rows[0].cells) == words.replace("; ", ";", 2)


def test_a_windows_1251_file_of_russian_names():
    text = "name;notes\r\nИванов Иван;улица Ленина 5, Нарва\r\nСчёт;щука\r\n"
    table = read_table(text.encode("cp1251"))
    assert table.encoding_name == "windows-1251"
    assert table.rows[0].cells == ["Иванов Иван", "улица Ленина 5, Нарва"]


def test_a_windows_1252_file_with_s_caron():
    """English Windows writes š as 0x9A, a byte windows-1257 does not have."""
    table = read_table("name;notes\r\nšokolaad;Žürii\r\n".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows[0].cells == ["šokolaad", "Žürii"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_is_utf16_with_tabs(codec):
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    text = 'name\tcategory\tnotes\r\nTöötool\tfurniture\t"kaks\nrida"\r\nЛампа\tother\t\r\n'
    table = read_table(bom + text.encode(codec))
    assert table.encoding_name == "UTF-16"
    assert table.delimiter == "\t"
    assert [row.cells for row in table.rows] == [
        ["Töötool", "furniture", "kaks\nrida"],
        ["Лампа", "other", ""],
    ]
    assert [row.line for row in table.rows] == [2, 4]


def test_utf16_without_a_byte_order_mark():
    table = read_table("name\tnotes\r\nÕun\tõ\r\n".encode("utf-16-le"))
    assert table.rows[0].cells == ["Õun", "õ"]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("name;category;notes", ";"),
        ("name,category,notes", ","),
        ("name\tcategory\tnotes", "\t"),
        ('"name, full";category;notes', ";"),  # a comma inside quotes does not count
        ('"a;b";c,d,e', ","),
        ("name", ";"),
    ],
)
def test_the_delimiter_is_counted_in_the_header_outside_quotes(header, delimiter):
    assert tabular.find_delimiter(header) == delimiter


def test_commas_with_a_quoted_comma_and_a_decimal_point():
    data = b'name,location,price\r\nMonitor,"Suur-Ameerika 1, 102",1234.50\r\n'
    row = read_table(data).rows[0]
    assert row.get("location") == "Suur-Ameerika 1, 102"
    assert parse_decimal(row.get("price")) == Decimal("1234.50")


def test_excel_sep_line_names_the_delimiter():
    table = read_table(b"sep=,\r\nname;x,category\r\nLaud;1,furniture\r\n")
    assert table.delimiter == ","
    assert table.header == ("name;x", "category")
    assert table.rows[0].line == 3


def test_header_names_are_trimmed_and_in_lower_case():
    table = read_table(b" Name ;CATEGORY\r\nLaud;furniture\r\n", required=["name", "category"])
    assert table.rows[0].as_dict() == {"name": "Laud", "category": "furniture"}


def test_a_short_row_reads_empty_cells_and_extra_values_are_counted():
    rows = read_table(b"a;b;c\r\n1\r\n1;2;3;;;\r\n1;2;3;4;\r\n").rows
    assert (rows[0].get("c"), rows[0].extra_cells) == ("", 0)
    assert (rows[1].cells, rows[1].extra_cells) == (["1", "2", "3"], 0)
    assert rows[2].extra_cells == 1


def test_the_apostrophe_of_an_export_before_a_formula_is_removed():
    row = read_table(b"a;b\r\n'=SUM(A1);'tere\r\n").rows[0]
    assert (row.get("a"), row.get("b")) == ("=SUM(A1)", "'tere")


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 0, "empty"),
        (b"\r\n  \r\n;;;\r\n", 0, "empty"),
        (b"sep=;\r\n", 0, "empty"),
        (b'a;b\r\n1;"open\r\n2;3\r\n', 2, "quotation mark"),
        (b'a;b\r\n1;2\r\n3;"closed" and more\r\n', 3, "quotation mark"),
        (b"a;b;A\r\n1;2;3\r\n", 1, "named more than once"),
        (b"a;c\r\n1;2\r\n", 1, "Missing columns: b"),
        (b"a;b\r\n1;2\x0b3\r\n", 2, "control characters"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00", 0, "cannot be read as text"),
        (codecs.BOM_UTF8 + b"a;b\r\n\xff\xfe;x\r\n", 0, "cannot be read as text"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_error_with_its_line(data, line, words):
    with pytest.raises(TableError) as caught:
        read_table(data, required=["a", "b"])
    assert caught.value.line == line
    assert words in caught.value.message
    if line:
        assert str(caught.value).startswith(f"Line {line}: ")


def test_too_many_rows_is_an_error():
    with pytest.raises(TableError, match="At most 2 rows"):
        read_table(b"a\r\n1\r\n2\r\n3\r\n", max_rows=2)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,50", Decimal("1234.50")),
        (f"1{NBSP}234,50", Decimal("1234.50")),
        (f"1{NNBSP}234{NNBSP}567,5", Decimal("1234567.5")),
        ("1234.50", Decimal("1234.50")),
        ("1234,5", Decimal("1234.5")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("1 249,00 €", Decimal("1249.00")),
        ("EUR 15", Decimal("15")),
        ("-5,25", Decimal("-5.25")),
        ("\u22125,25", Decimal("-5.25")),
        ("  42  ", Decimal("42")),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_decimal_reads_what_offices_write(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["abc", "1 23,50", "12,34,56", "1,5.5", "NaN", "Infinity", "1e5"])
def test_parse_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(CellError, match="is not a number"):
        parse_decimal(text)


def test_parse_decimal_keeps_the_limits_of_the_field():
    assert parse_decimal("1249,5", max_digits=12, decimal_places=2) == Decimal("1249.50")
    with pytest.raises(CellError, match="more than 2 decimal places"):
        parse_decimal("1,234", max_digits=12, decimal_places=2)
    with pytest.raises(CellError, match="too large"):
        parse_decimal("12 345 678 901,00", max_digits=12, decimal_places=2)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14.03.2025", date(2025, 3, 14)),
        ("1.3.2025", date(2025, 3, 1)),
        ("2025-03-14", date(2025, 3, 14)),
        ("14.03.2025 0:00", date(2025, 3, 14)),
        ("14.03.2025 00:00:00", date(2025, 3, 14)),
        ("29.02.2024", date(2024, 2, 29)),
        ("", None),
    ],
)
def test_parse_date_reads_what_offices_write(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("31.02.2025", "there is no such date"),
        ("2025-13-01", "there is no such date"),
        ("14.03.25", "four digits"),
        ("14/03/2025", "is not a date (dd.mm.yyyy)"),
        ("14.03.2025 12:30", "is not a date"),
        ("homme", "is not a date"),
    ],
)
def test_parse_date_says_what_is_wrong(text, words):
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert words in caught.value.message


def test_a_missing_column_is_named_before_the_rows_are_read():
    with pytest.raises(TableError, match="Missing columns: b") as caught:
        read_table(b'a;c\r\n1;2\r\n3;"open\r\n', required=["a", "b"])
    assert caught.value.line == 1
