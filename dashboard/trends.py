"""The trends of a period as charts: each from the owning app's selectors, zero-filled per
bucket, with the totals of the period. The selectors' figures are cached for a few minutes
(TREND_CACHE_SECONDS; never today's action tiles, which are always counted afresh)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assets import selectors as assets_selectors
from assets.models import Asset, Category
from core import languages
from dashboard.charts import Chart, Series
from dashboard.periods import Period
from helpdesk import selectors as helpdesk_selectors
from mtr import selectors as mtr_selectors
from registry import selectors as registry_selectors
from registry.models import DocumentType


def figures(period: Period, *, user=None) -> dict:
    """The raw figures of ``period`` (everybody's, or ``user``'s own), cached."""
    scope = f"user{user.pk}" if user is not None else "department"
    key = f"dashboard:trends:{scope}:{period.key}:{period.start}:{period.end}"
    data = cache.get(key)
    if data is None:
        arguments = {"start": period.start, "end": period.end, "user": user}
        data = {
            "documents": registry_selectors.trend(kind=period.kind, **arguments),
            "mtr": mtr_selectors.trend(kind=period.kind, **arguments),
            "areas": mtr_selectors.areas(**arguments),
            "support": helpdesk_selectors.trend(kind=period.kind, **arguments),
            "assets": assets_selectors.totals(Asset.objects.active()) if user is None else [],
        }
        cache.set(key, data, settings.DASHBOARD_TREND_CACHE_SECONDS)
    return data


def _per_bucket(period: Period, values: dict) -> list:
    return [values.get(bucket, 0) for bucket in period.buckets()]


def _share(part: dict, whole: dict, period: Period) -> list:
    """Percent per bucket; None where there was nothing to count."""
    shares = []
    for bucket in period.buckets():
        total = whole.get(bucket) or 0
        shares.append(round(100 * (part.get(bucket) or 0) / total, 1) if total else None)
    return shares


def _ratio(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rounded(value):
    return None if value is None else round(value, 1)


def charts(period: Period, *, user=None) -> dict:
    """{"charts": [Chart, …] grouped by app, "totals": {...}} for the trends page and PDF."""
    data = figures(period, user=user)
    labels = [period.bucket_label(bucket) for bucket in period.buckets()]
    documents, mtr, support = data["documents"], data["mtr"], data["support"]
    count = sum
    type_labels = dict(DocumentType.choices)

    document_charts = [
        Chart(
            "documents",
            _("Incoming documents registered and answered"),
            labels,
            [
                Series(
                    pgettext("series", "Registered"), _per_bucket(period, documents["registered"])
                ),
                Series(pgettext("series", "Answered"), _per_bucket(period, documents["answered"])),
            ],
            note=period.kind_label,
        ),
        Chart(
            "documents-on-time",
            _("Answered on time"),
            labels,
            [
                Series(
                    _("On time"), _share(documents["on_time"], documents["with_deadline"], period)
                )
            ],
            kind="line",
            unit="%",
            max_value=100,
            note=_("Share of the documents answered in the period that had a deadline."),
        ),
        Chart(
            "documents-days",
            _("Median days to answer, by type"),
            [
                capfirst(str(type_labels.get(key, key)))
                for key, _median, _n in documents["median_days"]
            ],
            [Series(_("Median days"), [_rounded(m) for _l, m, _n in documents["median_days"]])],
            kind="hbars",
            unit="days",
            note=_("Calendar days from registration to the answer."),
        ),
    ]
    areas = data["areas"]
    language = languages.active()
    for row in areas:
        row["area_name"] = row["names"].get(language) or row["names"]["et"]
    mtr_charts = [
        Chart(
            "mtr",
            _("MTR applications received and decided"),
            labels,
            [
                Series(pgettext("series", "Received"), _per_bucket(period, mtr["received"])),
                Series(pgettext("series", "Decided"), _per_bucket(period, mtr["decided"])),
            ],
            note=period.kind_label,
        ),
        Chart(
            "mtr-days",
            _("Median processing days"),
            labels,
            [
                Series(
                    _("Median days"),
                    [_rounded(mtr["median_days"].get(bucket)) for bucket in period.buckets()],
                )
            ],
            kind="line",
            unit="days",
            note=_(
                "Days from submission to decision; the days waiting for missing data are left out."
            ),
        ),
        Chart(
            "mtr-areas",
            _("Median processing days by activity area"),
            [row["area_name"] for row in areas],
            [Series(_("Median days"), [_rounded(row["median_days"]) for row in areas])],
            kind="hbars",
            unit="days",
            note=_("The slowest area first."),
        ),
        Chart(
            "mtr-deficiency",
            _("Missing data requested, by activity area"),
            [row["area_name"] for row in areas],
            [Series(_("Share of decided applications"), [row["deficiency_rate"] for row in areas])],
            kind="hbars",
            unit="%",
            max_value=100,
        ),
    ]
    support_charts = [
        Chart(
            "tickets",
            _("Tickets opened and resolved"),
            labels,
            [
                Series(pgettext("series", "Opened"), _per_bucket(period, support["opened"])),
                Series(pgettext("series", "Resolved"), _per_bucket(period, support["resolved"])),
            ],
            note=period.kind_label,
        ),
        Chart(
            "tickets-sla",
            _("Service level met"),
            labels,
            [
                Series(
                    _("First answer in time"),
                    _share(support["first_met"], support["first_answered"], period),
                ),
                Series(
                    _("Resolved in time"),
                    _share(support["resolution_met"], support["resolution_targets"], period),
                ),
            ],
            kind="line",
            unit="%",
            max_value=100,
        ),
        Chart(
            "tickets-rating",
            _("Satisfaction"),
            labels,
            [
                Series(
                    _("Average rating (1–5)"),
                    [_rounded(support["rating"].get(bucket)) for bucket in period.buckets()],
                )
            ],
            kind="line",
            max_value=5,
        ),
        Chart(
            "desk",
            _("Phone calls and visits"),
            labels,
            [
                Series(_("Calls"), _per_bucket(period, support["calls"])),
                Series(_("Visits"), _per_bucket(period, support["visits"])),
            ],
            note=period.kind_label,
        ),
    ]
    asset_charts = []
    if user is None:
        states = [s for s in Asset.State if s != Asset.State.DISPOSED]
        value = {(row["category"], row["state"]): row["value"] for row in data["assets"]}
        categories = [c for c in Category if any(key[0] == c for key in value)]
        asset_charts.append(
            Chart(
                "assets-value",
                _("Asset value by category and state"),
                [str(c.label).capitalize() for c in categories],
                [
                    Series(
                        str(state.label).capitalize(),
                        [float(value.get((c.value, state.value)) or 0) for c in categories],
                    )
                    for state in states
                ],
                kind="hbars",
                unit="€",
                note=_("Purchase prices of the assets held today."),
            )
        )

    decided_areas = count(row["decided"] for row in areas)
    totals = {
        "registered": count(documents["registered"].values()),
        "answered": count(documents["answered"].values()),
        "on_time": _ratio(
            count(documents["on_time"].values()), count(documents["with_deadline"].values())
        ),
        "received": count(mtr["received"].values()),
        "decided": count(mtr["decided"].values()),
        "deficiency_rate": _ratio(count(row["deficient"] for row in areas), decided_areas),
        "opened": count(support["opened"].values()),
        "resolved": count(support["resolved"].values()),
        "first_met": _ratio(
            count(support["first_met"].values()), count(support["first_answered"].values())
        ),
        "resolution_met": _ratio(
            count(support["resolution_met"].values()),
            count(support["resolution_targets"].values()),
        ),
        "rating": _average_rating(support),
        "calls": count(support["calls"].values()),
        "visits": count(support["visits"].values()),
    }
    sections = [
        ("documents", _("Documents"), document_charts),
        ("mtr", _("MTR applications"), mtr_charts),
        ("support", _("User support and front desk"), support_charts),
    ]
    if asset_charts:
        sections.append(("assets", _("Assets"), asset_charts))
    return {"sections": sections, "totals": totals}


def _average_rating(support: dict) -> float | None:
    rated = sum(support["rated"].values())
    if not rated:
        return None
    total = sum((support["rating"][b] or 0) * support["rated"][b] for b in support["rated"])
    return round(total / rated, 1)


def chart_by_key(period: Period, key: str, *, user=None) -> Chart | None:
    for _key, _title, section in charts(period, user=user)["sections"]:
        for chart in section:
            if chart.key == key:
                return chart
    return None
