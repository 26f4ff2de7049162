"""The classification scheme import with files as Excel saves them (built here as bytes): the
shared reader core.tabular, all or nothing, errors by the file's line, through the import page
as the archives advisor, never a 500."""

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from registry import scheme_csv
from registry.models import Function, Series

pytestmark = pytest.mark.django_db

IMPORT = reverse("registry:scheme-import")
HEADER = ";".join(scheme_csv.COLUMNS)


@pytest.fixture
def en_client(client):
    client.cookies["django_language"] = "en"
    return client


def post(client, data: bytes, **extra):
    upload = SimpleUploadedFile("skeem.csv", data, content_type="text/csv")
    return client.post(IMPORT, {"file": upload, **extra})


def test_an_excel_file_with_bom_trailing_columns_and_blank_lines(advisor):
    """ "CSV UTF-8" from Excel: a byte-order mark, the header in capitals, the empty columns
    Excel leaves after the last one, a quoted title with a semicolon, empty rows at the end."""
    text = (
        "\ufeff"
        + HEADER.upper()
        + ";;\r\n"
        + '1;Juhtimine;1-1;"Õigusaktid; käskkirjad";;;;;\r\n'
        + "1;;1-2;Šifreeritud kirjavahetus;10;;1;;\r\n"
        + ";;;;;;;;\r\n\r\n\r\n"
    )
    result = scheme_csv.import_scheme(text.encode(), actor=advisor)
    assert result.ok, result.errors
    assert Series.objects.get(code="1-1").title == "Õigusaktid; käskkirjad"
    second = Series.objects.get(code="1-2")
    assert (second.title, second.retention_years, second.is_closed) == (
        "Šifreeritud kirjavahetus",
        10,
        True,
    )


def test_excel_unicode_text_is_utf16_separated_by_tabs(advisor):
    text = "\t".join(scheme_csv.COLUMNS) + "\r\n2\tTeenused\t2-1\tPöördumised ja žalbad\t5\t\t\r\n"
    result = scheme_csv.import_scheme(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), actor=advisor)
    assert result.ok, result.errors
    assert Series.objects.get(code="2-1").title == "Pöördumised ja žalbad"


def test_row_numbers_count_the_lines_of_a_value_with_line_breaks(advisor):
    """The bad rows begin on lines 2 and 6 of the file: the first spans three lines."""
    text = (
        HEADER + "\r\n"
        '1;"Juhtimine\nja\nplaneerimine";1/1;Õigusaktid;;;\r\n'
        "2;Teenused;2-1;Kirjavahetus;10;;\r\n"
        "3;Haldus;3-1;Lepingud;kümme;;\r\n"
    )
    with translation.override("en"):
        result = scheme_csv.import_scheme(text.encode(), actor=advisor)
    assert [error.row for error in result.errors] == [2, 6]
    assert not Function.objects.exists()


def test_the_import_page_imports_a_windows_1257_file(client, advisor):
    """Excel's "CSV (semicolon delimited)" on Estonian Windows."""
    client.force_login(advisor)
    text = HEADER + "\r\n1;Õigus ja žürii;1-1;Šifrid, õäöüšž ÕÄÖÜŠŽ;;;\r\n"
    response = post(client, text.encode("cp1257"))
    assert response.status_code == 302
    assert Series.objects.get(code="1-1").title == "Šifrid, õäöüšž ÕÄÖÜŠŽ"
    assert Function.objects.get(code="1").title == "Õigus ja žürii"


def test_the_import_page_checks_a_comma_file_without_importing(en_client, advisor):
    en_client.force_login(advisor)
    text = ",".join(scheme_csv.COLUMNS) + '\r\n1,Juhtimine,1-1,"Õigusaktid, määrused",,,\r\n'
    response = post(en_client, text.encode(), dry_run="on")
    assert response.status_code == 200
    assert response.context["result"].series_created == 1
    assert not Series.objects.exists()


@pytest.mark.parametrize(
    ("data", "row", "words"),
    [
        (b"\r\n;;;\r\n", 0, "The file is empty."),
        (b"\x00\x01\x02PK\x03\x04\x00\x00" * 8, 0, "cannot be read as text"),
        ((HEADER + '\r\n1;"Juhtimine;1-1;Sari;;;\r\n').encode(), 2, "A quotation mark"),
        ((HEADER + '\r\n1;"Juhtimine" x;1-1;Sari;;;\r\n').encode(), 2, "A quotation mark"),
        (b"function_code;function_title\r\n1;Juhtimine\r\n", 1, "must name the columns"),
        ((HEADER + ";closed\r\n1;J;1-1;S;;;;\r\n").encode(), 1, "named more than once"),
        ((HEADER + "\r\n1;J\x1b;1-1;S;;;\r\n").encode(), 2, "control characters"),
    ],
)
def test_the_import_page_shows_why_a_file_cannot_be_read(en_client, advisor, data, row, words):
    en_client.force_login(advisor)
    response = post(en_client, data)
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert [(error.row, words in error.message) for error in errors] == [(row, True)]
    assert "Nothing was imported" in response.text
    assert not Function.objects.exists()


def test_the_import_page_is_refused_to_a_clerk(client, clerk):
    client.force_login(clerk)
    response = post(client, (HEADER + "\r\n1;Juhtimine;1-1;Õigusaktid;;;\r\n").encode())
    assert response.status_code == 403
    assert not Function.objects.exists()
