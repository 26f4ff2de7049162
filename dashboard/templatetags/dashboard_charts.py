"""``{% load dashboard_charts %}{% chart chart csv_url %}``: a chart with its table and CSV link."""

from django import template

from dashboard import charts

register = template.Library()


@register.inclusion_tag("dashboard/includes/chart.html")
def chart(chart: charts.Chart, csv_url: str = ""):
    """The figure for ``chart``: SVG, the same figures as a table, and a "Download CSV" link to
    ``csv_url`` (none when empty, as in a PDF)."""
    decimals = charts.value_decimals(chart) if not charts.is_empty(chart) else 0
    header, *body = charts.rows(chart)
    table_rows = [
        {
            "category": category,
            "cells": [charts.format_value(v, chart.unit, decimals) for v in values],
        }
        for category, *values in body
    ]
    return {
        "chart": chart,
        "empty": charts.is_empty(chart),
        "svg": charts.svg(chart),
        "header": header,
        "table_rows": table_rows,
        "csv_url": csv_url,
    }
