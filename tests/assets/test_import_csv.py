"""The asset import with the files Excel in an Estonian office makes (built here as bytes),
through the page as the asset manager: all or nothing, errors by the file's line, never a 500."""

import codecs
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets import services
from assets.models import Asset
from assets.services import inventory

pytestmark = pytest.mark.django_db

IMPORT = reverse("assets:asset-import")
NBSP, NNBSP = "\u00a0", "\u202f"
HEADER = (
    "inventory_number;name;category;location;responsible;purchase_date;price;warranty_until;notes"
)


@pytest.fixture
def signed_in(client, manager):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    return client


def post(client, data: bytes, name: str = "inventar.csv"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(IMPORT, {"file": upload}, follow=True)


def excel_csv() -> bytes:
    """Estonian Excel's "CSV UTF-8": byte-order mark, semicolons, CR LF, a three-line note,
    no-break spaces between thousands, decimal commas, dd.mm.yyyy and d.m.yyyy, the empty
    columns Excel leaves after the last one and empty lines at the end."""
    lines = [
        HEADER + ";;",
        f";Sülearvuti Dell Latitude;computer;Suur-Ameerika 1, 204;andres;14.03.2025;"
        f'1{NBSP}249,00;14.03.2028;"Laadija kaasas;\nkott ""Targus""\nhiir puudub";;',
        f";Töötool Šveitsist;furniture;Ladu;;1.3.2025;1{NNBSP}234,50;;;;",
        "INV-2020-0007;Žalusii;other;;;2020-05-04;89.9;;;;",
        ";;;;;;;;;;",
        "",
        "",
    ]
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def test_an_excel_file_is_imported_whole(signed_in, manager):
    """The file that crashed the import (csv.Sniffer: "Could not determine delimiter")."""
    response = post(signed_in, excel_csv())
    assert response.status_code == 200
    assert "3 assets were imported." in response.text
    laptop = Asset.objects.get(name="Sülearvuti Dell Latitude")
    assert laptop.price == Decimal("1249.00")
    assert (laptop.purchase_date, laptop.warranty_until) == (date(2025, 3, 14), date(2028, 3, 14))
    assert laptop.notes == 'Laadija kaasas;\nkott "Targus"\nhiir puudub'
    assert laptop.responsible == manager
    assert str(laptop.location) == "Suur-Ameerika 1, 204"
    chair = Asset.objects.get(name="Töötool Šveitsist")
    assert (chair.price, chair.purchase_date) == (Decimal("1234.50"), date(2025, 3, 1))
    blind = Asset.objects.get(inventory_number="INV-2020-0007")
    assert (blind.name, blind.price) == ("Žalusii", Decimal("89.90"))


def test_a_windows_1257_file_keeps_the_estonian_letters(signed_in):
    """Excel's "CSV (semicolon delimited)" on Estonian Windows: windows-1257, no BOM."""
    text = (
        "name;category;location;notes\r\n"
        "Šokolaadiautomaat;other;Õismäe tee 1, 5;Žürii ühisruum\r\n"
        "Kõrvaklapid;other;;õäöüšž ÕÄÖÜŠŽ\r\n"
    )
    response = post(signed_in, text.encode("cp1257"))
    assert "2 assets were imported." in response.text
    machine = Asset.objects.get(name="Šokolaadiautomaat")
    assert (str(machine.location), machine.notes) == ("Õismäe tee 1, 5", "Žürii ühisruum")
    assert Asset.objects.get(name="Kõrvaklapid").notes == "õäöüšž ÕÄÖÜŠŽ"


def test_excel_unicode_text_is_utf16_separated_by_tabs(signed_in):
    text = (
        "name\tcategory\tprice\tpurchase_date\tnotes\r\n"
        'Monitor Eizo\tmonitor\t310,50\t02.01.2026\t"kaks\nrida"\r\n'
        "Лампа настольная\tother\t\t\t\r\n"
    )
    response = post(signed_in, codecs.BOM_UTF16_LE + text.encode("utf-16-le"), name="inv.txt")
    assert "2 assets were imported." in response.text
    monitor = Asset.objects.get(name="Monitor Eizo")
    assert (monitor.price, monitor.purchase_date) == (Decimal("310.50"), date(2026, 1, 2))
    assert monitor.notes == "kaks\nrida"
    assert Asset.objects.filter(name="Лампа настольная").exists()


def test_a_comma_file_with_decimal_points(signed_in):
    data = b'name,category,location,price\r\nMonitor,monitor,"Suur-Ameerika 1, 102",1234.50\r\n'
    response = post(signed_in, data)
    assert "1 asset was imported." in response.text
    assert Asset.objects.get().price == Decimal("1234.50")


def test_a_broken_file_lists_its_errors_by_the_line_of_the_file(signed_in):
    """Row errors name the line a text editor shows: the note of line 2 takes three lines, so
    the bad row starts on line 5; nothing is imported."""
    text = (
        "\ufeffname;category;responsible;purchase_date;price;notes\r\n"
        'Sülearvuti;computer;andres;14.03.2025;1 249,00;"üks\nkaks\nkolm"\r\n'
        "Laud;tool;nobody;31.02.2025;odav;\r\n"
        ";furniture;;14.03.25;1,234;\r\n"
        "Kapp;furniture;;;;;lisa\r\n"
    )
    response = post(signed_in, text.encode())
    assert response.status_code == 200
    assert not Asset.objects.exists()
    errors = response.context["errors"]
    assert sorted({line for line, _message in errors}) == [5, 6, 7]
    messages = [message for _line, message in errors]
    assert "Unknown category tool." in messages
    assert "No active user nobody." in messages
    assert "purchase_date: 31.02.2025: there is no such date." in messages
    assert "price: odav is not a number (e.g. 1 234,50)." in messages
    assert "The name is missing." in messages
    assert "purchase_date: 14.03.25: write the year with four digits (dd.mm.yyyy)." in messages
    assert "price: 1,234 has more than 2 decimal places." in messages
    assert any("more values than the first row has columns" in m for m in messages)
    assert f"Nothing was imported: the file has {len(errors)} errors." in response.text
    assert '<th scope="row" class="text-end fw-normal">5</th>' in response.text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "file is empty"),  # Django's own check of an empty upload
        (b"\r\n;;;\r\n\r\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00", "cannot be read as text"),
        (b"name;notes\r\nLaud;tuba\r\n", "Line 1: Missing columns: category."),
        (b'name;category\r\nLaud;furniture\r\n"Kapp;furniture\r\n', "Line 3: A quotation mark"),
        (b'name;category\r\n"Laud" suur;furniture\r\n', "Line 2: A quotation mark"),
        (b"name;category\r\nLaud\x07;furniture\r\n", "Line 2: Remove the control characters"),
    ],
)
def test_a_file_that_cannot_be_read_is_an_error_on_the_form(signed_in, data, words):
    response = post(signed_in, data)
    assert response.status_code == 200
    assert any(words in error for error in response.context["form"].errors["file"])
    assert words in response.text.replace("&quot;", '"')
    assert not Asset.objects.exists()


def test_the_file_holds_no_rows(signed_in):
    response = post(signed_in, b"name;category;;\r\n;;;\r\n")
    assert response.context["errors"] == [(1, "The file holds no rows.")]


def test_values_the_database_would_refuse_are_row_errors(signed_in):
    data = (
        b"inventory_number;name;category;price\r\n"
        b"INV-2025-0001-LISA-NUMBER;Laud;furniture;\r\n"
        b"INV-2025-0002;Laud;furniture;12 345 678 901,00\r\n"
        b"INV-2025-0003;Laud;furniture;-5,00\r\n"
    )
    response = post(signed_in, data)
    assert response.status_code == 200
    assert [line for line, _message in response.context["errors"]] == [2, 3, 4]
    assert not Asset.objects.exists()


def test_a_refusal_while_writing_undoes_the_whole_file(manager, monkeypatch):
    """A rule only the model knows, found on the second row: the first row is undone too and
    the error names the line of the row."""
    real = services.asset_create

    def refuse_the_chair(**fields):
        if fields["name"] == "Tool":
            raise ValidationError("refused")
        return real(**fields)

    monkeypatch.setattr(inventory, "asset_create", refuse_the_chair)
    data = b'name;category;notes\r\nLaud;furniture;"a\nb"\r\nTool;furniture;\r\n'
    result = services.assets_import_csv(actor=manager, data=data)
    assert (result.created, result.errors) == (0, [(4, "refused")])
    assert not Asset.objects.exists()


def test_a_user_without_the_permission_gets_403(client, make_user):
    from core import roles

    clerk = make_user(roles.CLERK, username="mari")
    client.force_login(clerk)
    assert client.get(IMPORT).status_code == 403
    upload = SimpleUploadedFile("inventar.csv", excel_csv(), content_type="text/csv")
    assert client.post(IMPORT, {"file": upload}).status_code == 403
    assert not Asset.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    upload = SimpleUploadedFile("inventar.csv", excel_csv(), content_type="text/csv")
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    assert not Asset.objects.exists()
