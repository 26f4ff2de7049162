"""The classification scheme: its services' rules, the CSV import/export, and its pages."""

import csv

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core import roles
from core.models import Event
from registry import scheme_csv, services
from registry.models import CaseFile, Document, Function, RestrictionBasis, Series
from tests.factories import FunctionFactory, SeriesFactory

pytestmark = pytest.mark.django_db

HEADER = ";".join(scheme_csv.COLUMNS)


def csv_bytes(*rows: str, bom: bool = False) -> bytes:
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode()


def scheme_state() -> list[tuple]:
    """Everything the import may touch, to compare before and after."""
    functions = list(Function.objects.order_by("code").values_list("code", "title", "is_closed"))
    series = list(
        Series.objects.order_by("code").values_list(
            "code",
            "function__code",
            "title",
            "retention_years",
            "default_restriction_basis__code",
            "is_closed",
            "closed_on",
        )
    )
    return functions + series


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def scheme(basis):
    """A small scheme with every kind of value: permanent and limited retention, a default
    restriction, a closed series, a function without series, and a title a spreadsheet would
    take for a formula."""
    management = FunctionFactory(code="1", title="Juhtimine")
    services_fn = FunctionFactory(code="2", title="Teenused; kliendid")
    FunctionFactory(code="10", title="Tühi funktsioon")
    SeriesFactory(function=management, code="1-1", title="Õigusaktid", retention_years=None)
    SeriesFactory(
        function=management,
        code="1-2",
        title="Kirjavahetus",
        retention_years=10,
        default_restriction_basis=basis,
    )
    SeriesFactory(
        function=services_fn,
        code="2-1",
        title='=Kliendi "pöördumised"',
        retention_years=5,
        is_closed=True,
        closed_on=timezone.localdate(),
    )
    SeriesFactory(function=services_fn, code="2-10", title="Arhiiv", retention_years=75)


# --- Rules of the scheme ------------------------------------------------------------------------


def test_closing_a_series_used_by_documents_works(advisor, make_document, series):
    make_document()
    closed = services.series_close(actor=advisor, series=series)
    assert closed.is_closed
    assert closed.closed_on == timezone.localdate()
    assert Event.objects.filter(object_id=str(series.pk), verb="series_closed").count() == 1


def test_deleting_a_series_in_use_is_refused_with_a_clear_message(advisor, make_document, series):
    make_document()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.series_delete(actor=advisor, series=series)
    assert "close it instead" in refused.value.messages[0]
    assert Series.objects.filter(pk=series.pk).exists()


def test_deleting_a_series_with_a_file_is_refused(advisor, series):
    services.case_file_save(actor=advisor, series=series, year=2026, title="Lepingud")
    with pytest.raises(ValidationError):
        services.series_delete(actor=advisor, series=series)
    assert Series.objects.filter(pk=series.pk).exists()


def test_an_unused_series_can_be_deleted(advisor, series):
    services.series_delete(actor=advisor, series=series)
    assert not Series.objects.filter(pk=series.pk).exists()


def test_registering_in_a_closed_series_is_refused(advisor, make_document, series):
    services.series_close(actor=advisor, series=series)
    with pytest.raises(ValidationError) as refused:
        make_document()
    assert "series" in refused.value.message_dict
    assert not Document.objects.exists()


def test_registering_in_a_series_of_a_closed_function_is_refused(advisor, make_document, series):
    function = series.function
    services.function_save(
        actor=advisor, function=function, code=function.code, title=function.title, is_closed=True
    )
    with pytest.raises(ValidationError):
        make_document()
    assert not Document.objects.exists()


@pytest.mark.parametrize("code", ["1/2", "A-1", "1-", "-1", "1--2", "1 2", ""])
def test_a_series_code_must_be_digits_and_dashes(advisor, code):
    function = FunctionFactory(code="1")
    with pytest.raises(ValidationError) as refused:
        services.series_save(actor=advisor, function=function, code=code, title="Sari")
    assert "code" in refused.value.message_dict
    assert not Series.objects.exists()


def test_a_series_code_must_be_unique(advisor, series):
    with pytest.raises(ValidationError) as refused:
        services.series_save(
            actor=advisor, function=series.function, code=series.code, title="Teine"
        )
    assert "code" in refused.value.message_dict


def test_the_code_of_a_series_in_use_cannot_change(advisor, make_document, series):
    make_document()
    with pytest.raises(ValidationError) as refused:
        services.series_save(
            actor=advisor, series=series, function=series.function, code="9-9", title=series.title
        )
    assert "code" in refused.value.message_dict
    series.refresh_from_db()
    assert series.code == "1-2"


def test_saving_an_unchanged_series_records_nothing(advisor, series):
    before = Event.objects.count()
    services.series_save(
        actor=advisor,
        series=series,
        function=series.function,
        code=series.code,
        title=series.title,
        retention_years=series.retention_years,
    )
    assert Event.objects.count() == before


def test_a_change_of_a_series_is_on_its_timeline(advisor, series):
    services.series_save(
        actor=advisor,
        series=series,
        function=series.function,
        code=series.code,
        title="Uus pealkiri",
        retention_years=None,
    )
    event = Event.objects.filter(object_id=str(series.pk), verb="changed").get()
    assert event.actor == advisor
    assert sorted(event.data["fields"]) == ["retention_years", "title"]


def test_a_file_title_is_unique_per_series_and_year(advisor, series):
    services.case_file_save(actor=advisor, series=series, year=2026, title="Lepingud")
    with pytest.raises(ValidationError) as refused:
        services.case_file_save(actor=advisor, series=series, year=2026, title="Lepingud")
    assert "title" in refused.value.message_dict
    services.case_file_save(actor=advisor, series=series, year=2025, title="Lepingud")
    assert CaseFile.objects.count() == 2


# --- CSV export and import ----------------------------------------------------------------------


def test_export_has_the_header_and_a_row_per_series_in_code_order(scheme):
    text = scheme_csv.export_csv()
    assert text.startswith("\ufeff" + HEADER + "\r\n")
    lines = text.lstrip("\ufeff").splitlines()
    codes = [row[2] for row in csv.reader(lines[1:], delimiter=";")]
    assert codes == ["1-1", "1-2", "2-1", "2-10", ""]  # 2-10 after 2-1; function 10 last
    assert lines[1] == "1;Juhtimine;1-1;Õigusaktid;;;"
    assert lines[2] == "1;Juhtimine;1-2;Kirjavahetus;10;avts-35-1-12;"
    assert lines[5] == "10;Tühi funktsioon;;;;;"


def test_export_defuses_a_title_a_spreadsheet_would_run_as_a_formula(scheme):
    text = scheme_csv.export_csv()
    assert ';"\'=Kliendi ""pöördumised""";5;;1' in text


def test_export_then_import_changes_nothing(scheme, advisor):
    before = scheme_state()
    events_before = Event.objects.count()
    result = scheme_csv.import_scheme(scheme_csv.export_csv().encode(), actor=advisor)
    assert result.ok, result.errors
    assert result.changed == 0
    assert result.unchanged == 7  # three functions, four series
    assert scheme_state() == before
    assert Event.objects.count() == events_before


def test_import_creates_functions_and_series(advisor, basis):
    data = csv_bytes(
        "1;Juhtimine;1-1;Õigusaktid;;;",
        "1;;1-2;Kirjavahetus;10;avts-35-1-12;0",
        "2;Teenused;2-1;Pöördumised;5;;1",
        "3;Funktsioon ilma sarjadeta;;;;;",
        bom=True,
    )
    result = scheme_csv.import_scheme(data, actor=advisor)
    assert result.ok, result.errors
    assert (result.functions_created, result.series_created) == (3, 3)
    first = Series.objects.get(code="1-1")
    assert first.function.title == "Juhtimine"
    assert first.is_permanent
    second = Series.objects.get(code="1-2")
    assert second.retention_years == 10
    assert second.default_restriction_basis == basis
    assert Series.objects.get(code="2-1").is_closed
    assert Function.objects.filter(code="3", series__isnull=True).exists()
    assert Event.objects.filter(verb="created", actor=advisor).count() == 6


def test_import_reads_a_file_without_byte_order_mark(advisor):
    result = scheme_csv.import_scheme(csv_bytes("5;Haldus;5-1;Hanked;7;;"), actor=advisor)
    assert result.ok, result.errors
    assert Series.objects.get(code="5-1").title == "Hanked"


def test_import_updates_by_code_and_never_deletes(scheme, advisor):
    data = csv_bytes("1;Juhtimine ja planeerimine;1-2;Kirjavahetus asutustega;;;1")
    result = scheme_csv.import_scheme(data, actor=advisor)
    assert result.ok, result.errors
    assert (result.functions_updated, result.series_updated) == (1, 1)
    changed = Series.objects.get(code="1-2")
    assert changed.title == "Kirjavahetus asutustega"
    assert changed.retention_years is None
    assert changed.default_restriction_basis is None
    assert changed.is_closed
    assert changed.closed_on == timezone.localdate()
    assert changed.function.title == "Juhtimine ja planeerimine"
    assert Series.objects.count() == 4  # the series not in the file are still there
    assert Function.objects.count() == 3


def test_import_can_move_a_series_to_another_function(scheme, advisor):
    result = scheme_csv.import_scheme(csv_bytes("2;;1-1;Õigusaktid;;;"), actor=advisor)
    assert result.ok, result.errors
    assert Series.objects.get(code="1-1").function.code == "2"


def test_import_with_a_bad_row_creates_nothing_and_reports_the_row_number(advisor):
    data = csv_bytes(
        "1;Juhtimine;1-1;Õigusaktid;;;",
        "1;Juhtimine;1-2;Kirjavahetus;10;;",
        "2;Teenused;2/1;Pöördumised;5;;",
    )
    with translation.override("en"):
        result = scheme_csv.import_scheme(data, actor=advisor)
    assert not result.ok
    assert [error.row for error in result.errors] == [4]
    assert "2/1" in result.errors[0].message
    assert not Function.objects.exists()
    assert not Series.objects.exists()
    assert not Event.objects.exists()


def test_import_reports_every_bad_row(advisor):
    data = csv_bytes(
        "1;Juhtimine;1-1;;;;",  # no series title
        "1;Juhtimine;1-2;Kirjavahetus;kümme;;",  # retention not a number
        "1;Juhtimine;1-3;Lepingud;;olematu;",  # unknown restriction basis
        "1;Juhtimine;1-2;Kirjavahetus;10;;",  # series twice
        "1;Juhtimine;1-4;Aruanded;;;võib-olla",  # closed neither yes nor no
        "1;Muu nimi;1-5;Aruanded;;;",  # the same function with another title
        "9;;9-1;Uus sari;;;",  # a new function without a title
        "1;Juhtimine;1-6",  # too few columns
    )
    result = scheme_csv.import_scheme(data, actor=advisor)
    assert sorted({error.row for error in result.errors}) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert not Series.objects.exists()


def test_import_row_numbers_count_the_header_and_blank_lines(advisor):
    data = (HEADER + "\r\n\r\n1;Juhtimine;1-1;Õigusaktid;;;\r\n1;Juhtimine;x;y;;;\r\n").encode()
    result = scheme_csv.import_scheme(data, actor=advisor)
    assert [error.row for error in result.errors] == [4]


def test_import_reads_a_file_separated_by_commas(advisor):
    """English Excel saves "CSV (comma delimited)": the delimiter is counted in the header."""
    data = (
        ",".join(scheme_csv.COLUMNS) + '\r\n1,Juhtimine,1-1,"Õigusaktid, määrused",,,\r\n'
    ).encode()
    result = scheme_csv.import_scheme(data, actor=advisor)
    assert result.ok, result.errors
    assert Series.objects.get(code="1-1").title == "Õigusaktid, määrused"


def test_import_names_the_columns_when_the_header_lacks_some(advisor):
    data = b"function_code,function_title,series_code\r\n1,Juhtimine,1-1\r\n"
    with translation.override("en"):
        result = scheme_csv.import_scheme(data, actor=advisor)
    assert result.errors[0].row == 1
    assert "series_title" in result.errors[0].message
    assert not Function.objects.exists()


def test_import_reads_a_windows_1257_file(advisor):
    """Estonian Excel's "CSV (semicolon delimited)" is windows-1257, not UTF-8."""
    data = csv_bytes() + "1;Õigus;1-1;Šoti-žürii sari;;;\r\n".encode("cp1257")
    result = scheme_csv.import_scheme(data, actor=advisor)
    assert result.ok, result.errors
    assert Series.objects.get(code="1-1").title == "Šoti-žürii sari"
    assert Function.objects.get(code="1").title == "Õigus"


def test_import_refuses_a_file_that_is_not_text(advisor):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20
    with translation.override("en"):
        result = scheme_csv.import_scheme(data, actor=advisor)
    assert not result.ok
    assert "cannot be read as text" in result.errors[0].message
    assert not Function.objects.exists()


def test_import_refuses_a_file_without_the_header(advisor):
    result = scheme_csv.import_scheme("1;Juhtimine;1-1;Õigusaktid;;;\r\n".encode(), actor=advisor)
    assert result.errors[0].row == 1
    assert not Function.objects.exists()


def test_an_empty_file_is_an_error(advisor):
    assert not scheme_csv.import_scheme(b"", actor=advisor).ok


def test_a_refusal_by_a_service_rolls_back_the_whole_import(scheme, advisor, monkeypatch):
    """A rule only the service knows fails the whole file: what earlier rows wrote is undone."""
    real = services.series_save

    def refuse_1_1(**kwargs):
        if kwargs["code"] == "1-1":
            raise ValidationError({"code": "refused"})
        return real(**kwargs)

    monkeypatch.setattr(services, "series_save", refuse_1_1)
    data = csv_bytes("7;Uus;7-1;Uus sari;;;", "1;Juhtimine;1-1;Muudetud;;;")
    result = scheme_csv.import_scheme(data, actor=advisor)
    assert [(error.row, error.message) for error in result.errors] == [(3, "refused")]
    assert not Function.objects.filter(code="7").exists()
    assert not Series.objects.filter(code="7-1").exists()
    assert Series.objects.get(code="1-1").title == "Õigusaktid"


def test_dry_run_counts_and_changes_nothing(scheme, advisor):
    before = scheme_state()
    result = scheme_csv.import_scheme(
        csv_bytes("1;Juhtimine;1-1;Uus pealkiri;;;", "4;Uus;4-1;Uus sari;;;"),
        actor=advisor,
        dry_run=True,
    )
    assert result.ok
    assert (result.series_updated, result.series_created, result.functions_created) == (1, 1, 1)
    assert scheme_state() == before


def test_the_management_command_imports_the_file(tmp_path, advisor, capsys):
    path = tmp_path / "skeem.csv"
    path.write_bytes(csv_bytes("1;Juhtimine;1-1;Õigusaktid;;;"))
    call_command("import_scheme", str(path), "--user", "advisor")
    assert Series.objects.get(code="1-1").title == "Õigusaktid"
    assert Event.objects.filter(verb="created", actor=advisor).exists()
    assert "1 series added" in capsys.readouterr().out


def test_the_management_command_reports_errors_and_imports_nothing(tmp_path, capsys):
    path = tmp_path / "skeem.csv"
    path.write_bytes(csv_bytes("1;Juhtimine;1-1;Õigusaktid;;;", "1;Juhtimine;1-x;Sari;;;"))
    with pytest.raises(CommandError):
        call_command("import_scheme", str(path))
    assert "row 3" in capsys.readouterr().err
    assert not Series.objects.exists()


# --- Pages --------------------------------------------------------------------------------------


def test_the_scheme_page_shows_the_tree(client, advisor, scheme, make_document):
    make_document(series=Series.objects.get(code="1-2"))
    make_document(series=Series.objects.get(code="1-2"))
    client.force_login(advisor)
    response = client.get(reverse("registry:scheme"))
    assert response.status_code == 200
    rows = {series.code: series for f in response.context["functions"] for series in f.series_list}
    assert rows["1-2"].document_count == 2
    assert rows["1-1"].document_count == 0
    codes = [f.code for f in response.context["functions"] if f.code in {"1", "2", "10"}]
    assert codes == ["1", "2", "10"]  # by number, not as text
    assert "Õigusaktid" in response.text
    assert "avts-35-1-12" not in response.text  # the basis is shown by its title
    assert "AvTS § 35 lg 1 p 12" in response.text


@pytest.mark.parametrize("role", [roles.CLERK, roles.MTR_PROCESSOR, roles.HEAD])
def test_staff_may_read_the_scheme(client, make_user, role, scheme):
    client.force_login(make_user(role))
    response = client.get(reverse("registry:scheme"))
    assert response.status_code == 200
    assert reverse("registry:series-create") not in response.text  # no editing links


def test_a_user_without_registry_roles_may_not_read_the_scheme(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("registry:scheme")).status_code == 403


def test_anonymous_is_sent_to_sign_in_from_the_scheme(client):
    response = client.get(reverse("registry:scheme"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_scheme_page_runs_the_same_queries_for_a_big_scheme(
    client, advisor, django_assert_max_num_queries
):
    client.force_login(advisor)
    SeriesFactory(code="1-1", function=FunctionFactory(code="1"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("registry:scheme"))
    for number in range(2, 12):
        function = FunctionFactory(code=str(number))
        for sub in range(1, 4):
            series = SeriesFactory(function=function, code=f"{number}-{sub}")
            CaseFile.objects.create(series=series, year=2026, title=f"Toimik {sub}")
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("registry:scheme"))
    assert response.status_code == 200
    assert sum(len(f.series_list) for f in response.context["functions"]) == 31


EDIT_PAGES = [
    ("registry:function-create", {}),
    ("registry:series-create", {}),
    ("registry:scheme-import", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_the_advisor_opens_the_edit_pages(client, advisor, name, kwargs):
    client.force_login(advisor)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_a_clerk_cannot_edit_the_scheme(client, clerk, name, kwargs):
    client.force_login(clerk)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    assert client.post(reverse(name, kwargs=kwargs), {}).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_anonymous_is_sent_to_sign_in_from_the_edit_pages(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_edit_pages_of_existing_items(client, advisor, clerk, series):
    case_file = services.case_file_save(actor=advisor, series=series, year=2026, title="Lepingud")
    urls = [
        reverse("registry:function-update", args=[series.function_id]),
        reverse("registry:series-update", args=[series.pk]),
        reverse("registry:casefile-create", args=[series.pk]),
        reverse("registry:casefile-update", args=[case_file.pk]),
    ]
    client.force_login(clerk)
    assert [client.get(url).status_code for url in urls] == [403] * 4
    client.force_login(advisor)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    client.logout()
    assert [client.get(url).status_code for url in urls] == [302] * 4


def test_the_advisor_adds_a_function_and_a_series(en_client, advisor, basis):
    en_client.force_login(advisor)
    response = en_client.post(reverse("registry:function-create"), {"code": "4", "title": "Haldus"})
    function = Function.objects.get(code="4")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:scheme") + f"#function-{function.pk}"
    response = en_client.post(
        reverse("registry:series-create"),
        {
            "function": function.pk,
            "code": "4-1",
            "title": "Hanked",
            "retention_years": "7",
            "default_restriction_basis": basis.pk,
        },
    )
    assert response.status_code == 302
    series = Series.objects.get(code="4-1")
    assert (series.function, series.retention_years) == (function, 7)
    assert series.default_restriction_basis == basis
    page = en_client.get(reverse("registry:scheme"))
    assert "Hanked" in page.text
    assert "7 years" in page.text


def test_a_bad_code_is_shown_next_to_the_field_and_saves_nothing(en_client, advisor):
    en_client.force_login(advisor)
    response = en_client.post(reverse("registry:function-create"), {"code": "1.2", "title": "X"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "digits separated by dashes" in response.text
    assert not Function.objects.exists()


def test_a_taken_code_is_shown_next_to_the_field(en_client, advisor, series):
    en_client.force_login(advisor)
    response = en_client.post(
        reverse("registry:series-create"),
        {"function": series.function_id, "code": series.code, "title": "Teine"},
    )
    assert response.status_code == 200
    assert "is taken" in str(response.context["form"].errors["code"])
    assert Series.objects.count() == 1


def test_the_code_of_a_used_series_is_locked_on_its_page(client, advisor, series, make_document):
    make_document()
    client.force_login(advisor)
    response = client.post(
        reverse("registry:series-update", args=[series.pk]),
        {"function": series.function_id, "code": "8-8", "title": "Uus nimi"},
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.code, series.title) == ("1-2", "Uus nimi")


def test_the_advisor_closes_a_used_series_but_cannot_delete_it(
    en_client, advisor, series, make_document
):
    make_document()
    en_client.force_login(advisor)
    response = en_client.post(reverse("registry:series-delete", args=[series.pk]), follow=True)
    assert "close it instead" in response.text
    assert Series.objects.filter(pk=series.pk).exists()
    en_client.post(reverse("registry:series-close", args=[series.pk]))
    series.refresh_from_db()
    assert series.is_closed
    en_client.post(reverse("registry:series-reopen", args=[series.pk]))
    series.refresh_from_db()
    assert not series.is_closed
    assert series.closed_on is None


def test_the_advisor_deletes_an_unused_series(client, advisor, series):
    client.force_login(advisor)
    response = client.post(reverse("registry:series-delete", args=[series.pk]))
    assert response.status_code == 302
    assert not Series.objects.filter(pk=series.pk).exists()


def test_a_clerk_cannot_close_or_delete_a_series(client, clerk, series):
    client.force_login(clerk)
    assert client.post(reverse("registry:series-close", args=[series.pk])).status_code == 403
    assert client.post(reverse("registry:series-delete", args=[series.pk])).status_code == 403
    series.refresh_from_db()
    assert not series.is_closed


def test_closing_is_post_only(client, advisor, series):
    client.force_login(advisor)
    assert client.get(reverse("registry:series-close", args=[series.pk])).status_code == 405


def test_the_advisor_adds_a_file_to_a_series(client, advisor, series):
    client.force_login(advisor)
    response = client.post(
        reverse("registry:casefile-create", args=[series.pk]), {"year": "2026", "title": "Hanked"}
    )
    assert response.status_code == 302
    assert CaseFile.objects.get(series=series).title == "Hanked"


def test_the_export_downloads_a_csv(client, clerk, scheme):
    client.force_login(clerk)
    response = client.get(reverse("registry:scheme-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="scheme-')
    assert response.content.decode("utf-8-sig").startswith(HEADER)


def test_the_export_is_refused_without_the_permission(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("registry:scheme-export")).status_code == 403
    client.logout()
    assert client.get(reverse("registry:scheme-export")).status_code == 302


def test_the_import_page_imports_a_good_file(client, advisor):
    client.force_login(advisor)
    upload = SimpleUploadedFile("skeem.csv", csv_bytes("1;Juhtimine;1-1;Õigusaktid;;;", bom=True))
    response = client.post(reverse("registry:scheme-import"), {"file": upload})
    assert response.status_code == 302
    assert Series.objects.get(code="1-1").function.title == "Juhtimine"


def test_the_import_page_lists_row_errors_and_imports_nothing(en_client, advisor):
    en_client.force_login(advisor)
    upload = SimpleUploadedFile(
        "skeem.csv", csv_bytes("1;Juhtimine;1-1;Õigusaktid;;;", "1;Juhtimine;1-2;Sari;-5;;")
    )
    response = en_client.post(reverse("registry:scheme-import"), {"file": upload})
    assert response.status_code == 200
    assert [error.row for error in response.context["result"].errors] == [3]
    assert "Nothing was imported" in response.text
    assert not Series.objects.exists()


def test_the_import_page_checks_without_importing(en_client, advisor):
    en_client.force_login(advisor)
    upload = SimpleUploadedFile("skeem.csv", csv_bytes("1;Juhtimine;1-1;Õigusaktid;;;"))
    response = en_client.post(reverse("registry:scheme-import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert response.context["result"].series_created == 1
    assert not Series.objects.exists()


def test_a_restriction_basis_can_be_kept_in_the_admin(client, make_user, second_factor):
    """The advisor keeps the restriction bases in the admin (with staff access)."""
    advisor = make_user(roles.ADVISOR, username="staff-advisor", is_staff=True)
    second_factor(advisor)
    response = client.post(
        reverse("admin:registry_restrictionbasis_add"),
        {"code": "avts-35-1-2", "title": "AvTS § 35 lg 1 p 2", "is_active": "on"},
    )
    assert response.status_code == 302
    assert RestrictionBasis.objects.filter(code="avts-35-1-2").exists()


def test_documents_are_read_only_in_the_admin_but_for_their_notes(
    client, make_document, admin_user, second_factor
):
    document = make_document()
    second_factor(admin_user)
    url = reverse("admin:registry_document_change", args=[document.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {"notes": "Märkus", "title": "Muudetud"}
    for inline in page.context["inline_admin_formsets"]:  # the read-only inlines' counters
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    response = client.post(url, data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.notes, document.title) == ("Märkus", "Kiri teenuse kohta")
    assert Event.objects.filter(object_id=str(document.pk), verb="changed").exists()
    assert client.get(reverse("admin:registry_document_add")).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "registry_function",
        "registry_series",
        "registry_casefile",
        "registry_restrictionbasis",
        "registry_party",
        "registry_document",
        "registry_attachment",
        "registry_parcel",
        "registry_task",
        "registry_documentshare",
    ],
)
def test_every_admin_list_opens(client, admin_user, make_document, name, second_factor):
    make_document()
    second_factor(admin_user)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
