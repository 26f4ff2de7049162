"""``manage.py bench`` measures every case of every app and writes its JSON; with
``--registrations`` it registers from several processes and finds no gap. Figures are printed,
never asserted (docs/performance.md)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import bench
from registry.models import Document


@pytest.fixture
def documents(make_document):
    for number in range(12):
        make_document(title=f"Teabenõue number {number}")


@pytest.mark.django_db
def test_every_case_answers_and_the_json_is_written(documents, tmp_path):
    out = StringIO()
    target = tmp_path / "bench.json"

    call_command("bench", repeat=1, json_file=str(target), stdout=out)

    report = json.loads(target.read_text())
    names = {(page["app"], page["name"]) for page in report["pages"]}
    assert ("registry", "staff list, last page") in names
    assert ("dashboard", "overview") in names
    assert all(page["status"] == 200 for page in report["pages"]), [
        (page["name"], page["status"]) for page in report["pages"] if page["status"] != 200
    ]
    floors = [page for page in report["pages"] if page["floor_p95_ms"] is not None]
    assert floors  # the bare SQL ran too
    assert "staff search, rare word" in out.getvalue()
    assert report["calibration_ms"]["before"] > 0  # how fast the machine was, to read it by
    assert "plain Python calibration" in out.getvalue()


@pytest.mark.django_db
def test_the_last_link_is_followed(client, clerk, documents, settings, monkeypatch):
    from registry.views import documents as views

    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = bench.follow(client, reverse("registry:document-list"), "Last")
    assert "last=1" in url


@pytest.mark.django_db(transaction=True)
def test_registrations_from_several_processes_leave_no_gap(make_document, tmp_path):
    make_document(title="Esimene")  # a series with a counter, committed (the processes see it)
    out = StringIO()
    target = tmp_path / "bench.json"

    call_command(
        "bench",
        repeat=1,
        only="nothing-matches",
        registrations=12,
        processes=3,
        series=1,
        json_file=str(target),
        stdout=out,
    )

    result = json.loads(target.read_text())["registrations"]
    assert result["made"] == 12
    assert result["gaps"] == []
    assert result["errors"] == []
    assert Document.objects.count() == 13
