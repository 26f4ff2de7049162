"""A stocktaking's report: the signed-off PDF and the rows as CSV (streamed, as Excel opens it)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from assets import services
from assets.forms.stocktaking import (
    REPORT_ORDER,
)
from assets.models import Stocktaking, StocktakingItem
from assets.views.stocktaking import VIEW, _name, _stocktaking_queryset
from core.downloads import csv_cell


def _report_rows(stocktaking: Stocktaking) -> list[StocktakingItem]:
    """The rows, what differs from the books first, then what was not checked, then the rest."""
    rank = {value: index for index, value in enumerate(REPORT_ORDER)}
    rows = list(services.stocktaking_report_rows(stocktaking))
    rows.sort(key=lambda row: (rank.get(row.result, 99), row.asset.inventory_number))
    return rows


@login_required
@permission_required(VIEW, raise_exception=True)
def stocktaking_pdf(request, pk: int):
    stocktaking = get_object_or_404(_stocktaking_queryset(), pk=pk)
    response = HttpResponse(services.stocktaking_pdf(stocktaking), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inventuur-{stocktaking.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class _Echo:
    """A file-like object whose write() hands the line back (csv.writer into a stream)."""

    def write(self, value: str) -> str:
        return value


@login_required
@permission_required(VIEW, raise_exception=True)
def stocktaking_csv(request, pk: int):
    """The rows for a spreadsheet (``;``-separated UTF-8 with a BOM), differences first."""
    stocktaking = get_object_or_404(_stocktaking_queryset(), pk=pk)
    rows = _report_rows(stocktaking)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    header = [
        _("Inventory number"),
        _("Name"),
        _("Expected at"),
        _("Result"),
        _("Found at"),
        _("Checked at"),
        _("Checked by"),
        _("Note"),
        _("Responsible person"),
    ]

    def lines():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            checked = timezone.localtime(row.checked_at) if row.checked_at else None
            yield writer.writerow(
                csv_cell(value)
                for value in (
                    row.asset.inventory_number,
                    row.asset.name,
                    row.expected_location or "",
                    row.get_result_display(),
                    row.found_location or "",
                    checked.strftime("%d.%m.%Y %H:%M") if checked else "",
                    _name(row.checked_by),
                    row.note,
                    _name(row.asset.responsible),
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inventuur-{stocktaking.pk}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("assets/stocktakings/<int:pk>/report.pdf", stocktaking_pdf, name="stocktaking-pdf"),
    path("assets/stocktakings/<int:pk>/report.csv", stocktaking_csv, name="stocktaking-csv"),
]
