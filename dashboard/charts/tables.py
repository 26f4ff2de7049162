"""A chart's data as a table for screen readers and as CSV (as Excel opens it)."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from core.downloads import csv_cell
from dashboard.charts.model import Chart, Series
from dashboard.charts.numbers import plain_number, unit_suffix


def category_heading() -> str:
    return gettext("Category")


def rows(chart: Chart) -> list[list]:
    """The figures as a table: a header row [first column label, *series labels], then one row
    per category with the raw values (None where there is no data)."""
    header = [category_heading(), *(s.label for s in chart.series)]
    body = [
        [category, *(_value_at(s, index) for s in chart.series)]
        for index, category in enumerate(chart.categories)
    ]
    return [header, *body]


def _value_at(series: Series, index: int):
    return series.values[index] if index < len(series.values) else None


def csv_response(chart: Chart, *, filename: str) -> HttpResponse:
    """The chart's figures as a CSV download: UTF-8 with a BOM (Excel shows õäöü right), text
    cells defused against formula injection, numbers plain (``1234.5``) so spreadsheets parse
    them. A unit goes into the column heading: "Share on time (%)"."""
    if not filename.lower().endswith(".csv"):
        filename = f"{filename}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")
    writer = csv.writer(response)
    header, *body = rows(chart)
    suffix = unit_suffix(chart.unit)
    if suffix:
        header = [header[0], *(f"{label} ({suffix})" for label in header[1:])]
    writer.writerow([csv_cell(cell) for cell in header])
    for category, *values in body:
        writer.writerow([csv_cell(category), *(plain_number(v) for v in values)])
    return response
