"""The classification scheme as CSV (functions and series, as Excel opens it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import Prefetch

from core.downloads import csv_cell
from registry.models import Function, Series
from registry.scheme_csv.common import COLUMNS, DELIMITER, code_key


def _flag(value: bool) -> str:
    return "1" if value else ""


def export_rows() -> Iterator[list[str]]:
    """The header and one row per series (or per function without series), in code order."""
    yield list(COLUMNS)
    series = Series.objects.select_related("default_restriction_basis")
    functions = Function.objects.prefetch_related(Prefetch("series", queryset=series))
    for function in sorted(functions, key=lambda f: code_key(f.code)):
        items = sorted(function.series.all(), key=lambda s: code_key(s.code))
        if not items:
            yield [
                function.code,
                csv_cell(function.title),
                "",
                "",
                "",
                "",
                _flag(function.is_closed),
            ]
        for item in items:
            basis = item.default_restriction_basis
            yield [
                function.code,
                csv_cell(function.title),
                item.code,
                csv_cell(item.title),
                "" if item.retention_years is None else str(item.retention_years),
                csv_cell(basis.code) if basis else "",
                _flag(item.is_closed),
            ]


def export_csv() -> str:
    """The scheme as CSV text, starting with a byte-order mark (spreadsheets then read UTF-8)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerows(export_rows())
    return out.getvalue()
