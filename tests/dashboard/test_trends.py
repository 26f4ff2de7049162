"""The trends: periods and their buckets, the figures of each chart, the page with its charts,
tables and CSV downloads, and the cache of the figures."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dashboard import periods, trends
from helpdesk.models import Ticket
from mtr.models import Application, DeficiencyRequest
from registry.models import Document
from tests.dashboard.conftest import (
    make_applications,
    make_documents,
    make_property,
    make_tickets,
)

URL = "/dashboard/trends/"


# --- Periods ------------------------------------------------------------------------------------


def test_the_default_is_twelve_weeks_from_monday():
    today = date(2026, 11, 25)  # a Wednesday
    period = periods.get(None, today=today)
    assert period.key == "12w"
    assert period.kind == "week"
    buckets = period.buckets()
    assert len(buckets) == 12
    assert buckets[0] == date(2026, 9, 7)
    assert buckets[0].weekday() == 0
    assert buckets[-1] == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("key", "kind", "count"),
    [("week", "day", 7), ("month", "day", 30), ("quarter", "week", 13), ("year", "month", 12)],
)
def test_each_period_has_its_buckets(key, kind, count):
    period = periods.get(key, today=date(2026, 11, 25))
    assert period.kind == kind
    assert len(period.buckets()) == count
    assert period.buckets()[-1] <= period.end


def test_a_year_runs_over_new_year():
    buckets = periods.get("year", today=date(2026, 3, 15)).buckets()
    assert buckets[0] == date(2025, 4, 1)
    assert buckets[-1] == date(2026, 3, 1)


def test_an_unknown_period_is_the_default():
    assert periods.get("decade", today=date(2026, 11, 25)).key == periods.DEFAULT


# --- Figures ------------------------------------------------------------------------------------


def _chart(result, key):
    for _key, _title, charts in result["sections"]:
        for chart in charts:
            if chart.key == key:
                return chart
    raise KeyError(key)


@pytest.fixture
def history(people):
    """This week: documents registered, two of them answered (one on time, one late); an MTR
    application decided in 10 days of which 4 waited for missing data; tickets answered and
    resolved in time or not."""
    made = make_documents(people)
    today = timezone.localdate()
    # Registered today whatever day it is: on a day off a document received today is registered
    # on the next working day, after the period that ends today.
    Document.objects.filter(pk__in=[document.pk for document in made]).update(registered_on=today)
    answered = list(Document.objects.filter(title__in=["Hilinenud pöördumine", "Peagi tähtaeg"]))
    for document in answered:
        late = document.title == "Hilinenud pöördumine"
        Document.objects.filter(pk=document.pk).update(
            status=Document.Status.ANSWERED,
            closed_on=today,
            registered_on=today - timedelta(days=4 if late else 2),
            deadline=today - timedelta(days=1) if late else today,
        )
    area = make_applications(people)
    decided = Application.objects.get(status=Application.Status.GRANTED)
    DeficiencyRequest.objects.create(
        application=decided,
        text="Lisage turvaplaan.",
        requested_by=people["processor"],
        due_on=today,
        answered_at=timezone.now(),
    )
    make_tickets(people)
    now = timezone.now()
    first, second, _third = Ticket.objects.order_by("pk")
    Ticket.objects.filter(pk=first.pk).update(
        first_responded_at=now - timedelta(hours=1),  # after its due time: late
        status=Ticket.Status.RESOLVED,
        resolved_at=now,
        resolution_due=now + timedelta(hours=1),
        rating=4,
    )
    Ticket.objects.filter(pk=second.pk).update(first_responded_at=now)
    return area


def test_the_figures_of_the_period(history):
    with translation.override("en"):
        result = trends.charts(periods.get("week", today=timezone.localdate()))
    totals = result["totals"]
    assert totals["registered"] == 6
    assert totals["answered"] == 2
    assert totals["on_time"] == 50.0
    assert totals["received"] == 2  # the decided one came in 10 days ago
    assert totals["decided"] == 1
    assert totals["deficiency_rate"] == 100.0
    assert totals["opened"] == 3
    assert totals["resolved"] == 1
    assert totals["first_met"] == 50.0
    assert totals["resolution_met"] == 100.0
    assert totals["rating"] == 4.0
    assert totals["visits"] == 0

    days = _chart(result, "documents-days")
    assert days.categories == ["Letter"]
    assert days.series[0].values == [3.0]  # the median of 4 and 2 days

    areas = _chart(result, "mtr-areas")
    assert areas.categories == ["Security services"]
    assert areas.series[0].values == [6.0]  # 10 days less the 4 the clock stood
    assert _chart(result, "mtr-days").series[0].values[-1] == 6.0
    assert _chart(result, "mtr-deficiency").series[0].values == [100.0]

    registered = _chart(result, "documents")
    assert len(registered.categories) == 7
    assert registered.series[0].values[-1] == 4  # the two answered came in earlier
    assert sum(registered.series[0].values) == 6


def test_the_cached_figures_serve_every_language(history):
    period = periods.get("week", today=timezone.localdate())
    with translation.override("en"):
        assert _chart(trends.charts(period), "mtr-areas").categories == ["Security services"]
    with translation.override("ru"):
        assert _chart(trends.charts(period), "mtr-areas").categories == ["Охранные услуги"]


def test_my_work_trends_count_only_mine(history, people):
    result = trends.charts(periods.get("week", today=timezone.localdate()), user=people["clerk"])
    assert result["totals"]["registered"] == 3  # the documents Mari holds
    assert result["totals"]["opened"] == 2
    assert all(key != "assets" for key, _title, _charts in result["sections"])


def test_the_figures_are_cached_for_a_few_minutes(history, django_assert_num_queries):
    period = periods.get(None, today=timezone.localdate())
    trends.figures(period)
    with django_assert_num_queries(0):
        trends.figures(period)


# --- The page -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_head_sees_every_chart_with_its_table_and_csv_link(client, history, people):
    make_property(people)
    client.force_login(people["head"])
    client.cookies["django_language"] = "en"
    response = client.get(URL + "?period=month")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Trends of the department" in content
    for key in ("documents", "mtr-areas", "tickets-sla", "tickets", "assets-value"):
        assert f'id="chart-{key}"' in content
        assert f"csv={key}" in content
    assert content.count("<svg") >= 10
    assert content.count("<table") >= 10


def test_a_chart_downloads_as_csv(client, history, people):
    client.force_login(people["head"])
    client.cookies["django_language"] = "en"
    response = client.get(URL + "?period=week&csv=mtr-areas")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["Security services", "6"]


def test_an_unknown_chart_is_404(client, people):
    client.force_login(people["head"])
    assert client.get(URL + "?csv=nothing").status_code == 404


def test_a_clerk_sees_the_trends_of_her_own_work(client, history, people):
    client.force_login(people["clerk"])
    client.cookies["django_language"] = "en"
    content = client.get(URL).content.decode()
    assert "Trends of my work" in content
    assert 'id="chart-assets-value"' not in content


@pytest.mark.parametrize("language", ["et", "en", "ru"])
def test_the_trends_read_in_every_language(client, history, people, language):
    client.force_login(people["head"])
    client.cookies["django_language"] = language
    response = client.get(URL)
    with translation.override(language):
        title = translation.gettext("Trends of the department")
    assert title in response.content.decode()


def test_the_page_runs_a_fixed_number_of_queries(
    client, history, people, django_assert_max_num_queries
):
    client.force_login(people["head"])
    with django_assert_max_num_queries(25):
        client.get(URL + "?period=year")
    make_documents(people, count=5)
    make_tickets(people, count=5)
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(25):
        client.get(URL + "?period=year")
