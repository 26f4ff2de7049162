import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation
from pypdf import PdfReader

from core.pdf import html_to_pdf
from dashboard import charts
from dashboard.charts import Chart, Series

SVG = "{http://www.w3.org/2000/svg}"
TAG = Template("{% load dashboard_charts %}{% chart c url %}")


@pytest.fixture(autouse=True)
def _english():
    """Assert on the English msgids; tests about Estonian formats switch language themselves."""
    with translation.override("en"):
        yield


def weekly(**kwargs) -> Chart:
    defaults = {
        "key": "documents-weekly",
        "title": "Documents per week",
        "categories": ["W40", "W41", "W42"],
        "series": [
            Series("Registered", [12, 1500, 7]),
            Series("Answered", [10, None, 0]),
        ],
    }
    return Chart(**{**defaults, **kwargs})


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(charts.svg(chart)))  # noqa: S314 - our own output


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


def render_tag(chart: Chart, url: str = "/dashboard/documents.csv") -> str:
    return TAG.render(Context({"c": chart, "url": url}))


def test_svg_is_an_image_labelled_by_its_title_and_description():
    root = parse(weekly())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("width") == "100%"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Documents per week"
    assert "table below" in desc.text
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_bars_draw_one_rect_per_value_and_nothing_for_missing_data():
    root = parse(weekly())
    bars = by_class(root, "chart-bar")
    assert len(bars) == 5  # six values, one None
    assert all(b.tag == f"{SVG}rect" for b in bars)
    assert len({b.get("fill") for b in bars}) == 2


def test_a_zero_bar_is_visible_but_lower_than_any_other():
    root = parse(weekly())
    heights = [float(b.get("height")) for b in by_class(root, "chart-bar")]
    assert 0 < min(heights) <= 1


def test_line_draws_one_path_per_series_broken_at_missing_data():
    chart = weekly(kind="line", series=[Series("Calls", [3, None, 5]), Series("Visits", [1, 2, 3])])
    root = parse(chart)
    lines = by_class(root, "chart-line")
    assert len(lines) == 2
    assert lines[0].get("d").count("M") == 2  # the gap starts a new stroke
    assert lines[1].get("d").count("M") == 1
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")


def test_category_labels_are_thinned_out_for_52_weeks():
    weeks = [f"W{n}" for n in range(1, 53)]
    chart = weekly(categories=weeks, series=[Series("Registered", list(range(52)))])
    root = parse(chart)
    shown = [" ".join(e.itertext()) for e in by_class(root, "chart-category")]
    assert 4 <= len(shown) <= 14
    assert shown[0] == "W1"
    assert len(by_class(root, "chart-bar")) == 52


def test_few_categories_are_all_labelled():
    shown = ["".join(e.itertext()) for e in by_class(parse(weekly()), "chart-category")]
    assert shown == ["W40", "W41", "W42"]


def test_hbars_wrap_long_names_and_keep_the_whole_name_as_a_tooltip():
    areas = ["Alkohoolse joogi jaemüük", "Mootorsõidukite remont ja hooldus ning rehvitööd", "Muu"]
    chart = weekly(
        kind="hbars",
        categories=areas,
        series=[Series("Share", [35.5, 12.0, 50.0])],
        unit="%",
        max_value=100,
    )
    root = parse(chart)
    assert len(by_class(root, "chart-bar")) == 3
    names = [e.find(f"{SVG}title").text for e in by_class(root, "chart-categories")[0]]
    assert names == areas
    assert "Alkohoolse joogi jaemüük" in " ".join(texts(root))


def test_user_text_is_escaped():
    chart = weekly(
        title='<b>"Title"</b>',
        series=[Series("<script>alert(1)</script>", [1, 2, 3]), Series("A & B", [1, 2, 3])],
    )
    markup = str(charts.svg(chart))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert "<b>" not in markup
    root = ET.fromstring(markup)  # noqa: S314 - still well-formed
    assert "<script>alert(1)</script>" in texts(root)
    html = render_tag(chart)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_percent_axis_tops_at_max_value_in_quarters():
    chart = weekly(unit="%", max_value=100, series=[Series("On time", [87.5, 92.0, 40.0])])
    assert charts.axis_ticks(chart) == [0, 25, 50, 75, 100]
    labels = texts(parse(chart))
    assert "100\xa0%" in labels
    assert "125\xa0%" not in labels


def test_computed_axis_has_four_or_five_nice_values_above_the_data():
    for top, expected in [(14, [0, 5, 10, 15]), (1500, [0, 500, 1000, 1500]), (3, [0, 1, 2, 3])]:
        chart = weekly(series=[Series("N", [1, top, 0])])
        assert charts.axis_ticks(chart) == expected
    for top in (7, 42, 99, 101, 860, 12345):
        ticks = charts.axis_ticks(weekly(series=[Series("N", [top])]))
        assert 4 <= len(ticks) <= 5
        assert ticks[-1] >= top


def test_axis_numbers_are_formatted_in_the_active_language():
    chart = weekly(series=[Series("Value", [0, 1800, 3600])], unit="€")
    with translation.override("et"):
        assert "4\xa0000\xa0€" in texts(parse(chart))
    with translation.override("en"):
        assert "4\xa0000\xa0€" in texts(parse(chart))  # config/formats: the same everywhere


def test_an_all_zero_chart_draws_nothing_without_dividing_by_zero():
    chart = weekly(series=[Series("Registered", [0, 0, 0]), Series("Answered", [None, 0, None])])
    assert charts.is_empty(chart)
    assert str(charts.svg(chart)) == ""
    assert charts.axis_ticks(chart) == [0, 1]
    html = render_tag(chart)
    assert "No data for this period." in html
    assert "<table" not in html
    assert 'id="chart-documents-weekly"' in html


def test_a_chart_without_categories_is_empty():
    chart = weekly(categories=[], series=[Series("Registered", [])])
    assert str(charts.svg(chart)) == ""
    assert "No data for this period." in render_tag(chart)


def test_a_zero_max_value_with_data_does_not_divide_by_zero():
    chart = weekly(max_value=0, series=[Series("N", [0, 0, 2])])
    assert charts.axis_ticks(chart)[-1] >= 2
    assert len(by_class(parse(chart), "chart-bar")) == 3


def test_rows_have_a_header_and_one_row_per_category():
    assert charts.rows(weekly()) == [
        ["Category", "Registered", "Answered"],
        ["W40", 12, 10],
        ["W41", 1500, None],
        ["W42", 7, 0],
    ]


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_download_has_bom_header_plain_numbers_and_empty_cells_for_no_data():
    chart = weekly(series=[Series("Registered", [12, 1500, 7]), Series("Päevi", [4.5, None, 0])])
    with translation.override("et"):
        response = charts.csv_response(chart, filename="documents-weekly")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="documents-weekly.csv"'
    assert read_csv(response) == [
        ["Kategooria", "Registered", "Päevi"],  # in Estonian, but the numbers stay plain
        ["W40", "12", "4.5"],
        ["W41", "1500", ""],
        ["W42", "7", "0"],
    ]


def test_csv_puts_the_unit_in_the_heading_and_writes_decimals_with_a_dot():
    chart = weekly(unit="%", series=[Series("On time", [87.25, 100.0, 1 / 3])])
    rows = read_csv(charts.csv_response(chart, filename="on-time.csv"))
    assert rows[0] == ["Category", "On time (%)"]
    assert [r[1] for r in rows[1:]] == ["87.25", "100", "0.333333"]


def test_csv_neutralises_formula_like_labels():
    chart = weekly(
        categories=['=HYPERLINK("http://x")', "+1", "W42"], series=[Series("@SUM(A1)", [1, 2, 3])]
    )
    rows = read_csv(charts.csv_response(chart, filename="x.csv"))
    assert rows[0][1] == "'@SUM(A1)"
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[2][0] == "'+1"
    assert rows[3] == ["W42", "3"]


def test_csv_filename_with_estonian_letters_is_encoded():
    response = charts.csv_response(weekly(), filename="tähtajad.csv")
    assert "filename*=utf-8''t%C3%A4htajad.csv" in response["Content-Disposition"]


def table_cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S) for row in rows]


def test_include_renders_figure_svg_and_a_table_with_the_same_numbers():
    chart = weekly(note="Counted by the date of registration.")
    html = render_tag(chart)
    assert '<figure class="chart" id="chart-documents-weekly">' in html
    assert '<h3 class="h5 chart-title">Documents per week</h3>' in html
    assert "Counted by the date of registration." in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<caption>Documents per week</caption>" in html
    assert html.count('<th scope="col"') == 3
    assert html.count('<th scope="row">') == 3
    assert "Figures as a table" in html
    assert table_cells(html) == [
        ["W40", "12", "10"],
        ["W41", "1\xa0500", "–"],  # config/formats: 1 234,5 in every language
        ["W42", "7", "0"],
    ]
    bar_values = sorted(
        e.find(f"{SVG}title").text.rsplit(": ", 1)[1] for e in by_class(parse(chart), "chart-bar")
    )
    table_values = sorted(c for row in table_cells(html) for c in row[1:] if c != "–")
    assert bar_values == table_values


def test_include_formats_units_and_decimals_in_estonian():
    chart = weekly(unit="%", max_value=100, series=[Series("Õigel ajal", [87.5, 100, None])])
    with translation.override("et"):
        html = render_tag(chart)
    assert table_cells(html) == [
        ["W40", "87,5\xa0%"],
        ["W41", "100,0\xa0%"],
        ["W42", "–"],
    ]


def test_include_links_the_csv_only_when_given_a_url():
    assert 'href="/dashboard/documents.csv"' in render_tag(weekly())
    assert "Download CSV" in render_tag(weekly())
    assert "Download CSV" not in render_tag(weekly(), url="")


def test_include_in_a_pdf_shows_the_title_and_the_figures():
    chart = weekly(title="Dokumendid nädalas", series=[Series("Registreeritud", [12, 1537, 7])])
    html = (
        '<!DOCTYPE html><html lang="et"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="css/kantselei.css">'
        '<style>@font-face { font-family: "K"; src: url("fonts/DejaVuSans.ttf"); }'
        'html { font-family: "K"; }</style></head><body>'
        f"{render_tag(chart, url='')}</body></html>"
    )
    data = html_to_pdf(html)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Dokumendid nädalas" in text
    assert "Registreeritud" in text
    assert re.search(r"1\s?537", text)  # the table's figure, grouped with a no-break space
    assert "Download CSV" not in text


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="pie"):
        charts.svg(weekly(kind="pie"))
