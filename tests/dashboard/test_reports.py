"""The printed overview: a PDF made in Celery, its row the record of the job (DESIGN.md)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from core import jobs, roles
from core.models import Job
from dashboard import overview, services
from dashboard.models import Report
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType
from tests.factories import PartyFactory, RestrictionBasisFactory, SeriesFactory

SECRET_TITLE = "Salajane isikuandmetega kiri"


def pdf_text(report: Report) -> str:
    """The PDF's text with every run of white space made one space."""
    with report.pdf.open("rb") as stored:
        reader = PdfReader(BytesIO(stored.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def overdue(document: Document, days: int) -> Document:
    Document.objects.filter(pk=document.pk).update(
        deadline=timezone.localdate() - timedelta(days=days)
    )
    document.refresh_from_db()
    return document


@pytest.fixture
def holder(make_user):
    """A clerk with a Cyrillic name who holds overdue documents."""
    return make_user(roles.CLERK, username="sergei", first_name="Сергей", last_name="Иванов")


@pytest.fixture
def documents(clerk, holder):
    """Two overdue documents of the clerk's colleague (one restricted), one of the clerk."""
    series = SeriesFactory(code="1-2", title="Kirjavahetus")
    sender = PartyFactory(name="OÜ Põhjarannik", code="")

    def register(title, responsible, **kwargs):
        return registry_services.document_register(
            actor=clerk,
            series=series,
            doc_type=DocumentType.LETTER,
            channel=Channel.POST,
            title=title,
            received_on=timezone.localdate() - timedelta(days=40),
            sender=sender,
            responsible=responsible,
            **{"restriction_basis": None, **kwargs},
        )

    return [
        overdue(register("Päring õueala kohta", holder), 12),
        overdue(
            register(
                SECRET_TITLE,
                holder,
                restriction_basis=RestrictionBasisFactory(),
                restriction_end=timezone.localdate() + timedelta(days=365),
            ),
            9,
        ),
        overdue(register("Küsimus tööaja kohta", clerk), 3),
    ]


@pytest.fixture
def make_report(django_capture_on_commit_callbacks):
    """Ask for a report as ``actor`` in ``language``; Celery (eager) makes it on commit."""

    def make(actor, scope="department", period="12w", language="et", execute=True):
        with (
            translation.override(language),
            django_capture_on_commit_callbacks(execute=execute),
        ):
            report = services.report_request(actor=actor, scope=scope, period=period)
        report.refresh_from_db()
        return report

    return make


def assert_tiles_shown(text: str, figures: dict) -> None:
    tiles = [tile for group in figures["groups"] for tile in group.tiles]
    assert tiles
    for group in figures["groups"]:
        assert group.title in text
    for tile in tiles:
        assert f"{tile.label} {tile.value}" in text, tile.key


# --- The PDF ------------------------------------------------------------------------------------


def test_department_pdf_in_estonian_shows_every_tile_with_its_number(head, documents, make_report):
    report = make_report(head, language="et")

    assert report.status == Report.Status.DONE
    assert report.language == "et"
    assert report.finished_at is not None
    text = pdf_text(report)
    with translation.override("et"):
        figures = overview.department(head)
        assert gettext("Overview of the Digital Services Department") in text
        assert gettext("Deadlines by person") in text
    assert_tiles_shown(text, figures)
    overdue_tile = next(t for t in figures["groups"][0].tiles if t.key == "documents_overdue")
    assert overdue_tile.value == 3
    assert head.get_full_name() in text  # the requester
    assert documents[0].number in text
    assert "Сергей Иванов" in text  # Cyrillic renders (and who holds the documents)


def test_restricted_title_is_printed_only_for_a_requester_who_may_read_it(
    head, administrator, documents, make_report
):
    """The head may read restricted documents; the administrator sees the department's numbers
    but no document's title."""
    head_text = pdf_text(make_report(head))
    administrator_text = pdf_text(make_report(administrator))

    assert SECRET_TITLE in head_text
    assert documents[1].number in administrator_text
    assert SECRET_TITLE not in administrator_text
    assert "Päring õueala kohta" not in administrator_text
    assert "Päring õueala kohta" in head_text  # õ, ä render


def test_department_pdf_in_russian(head, documents, make_report):
    report = make_report(head, language="ru")

    assert report.language == "ru"
    text = pdf_text(report)
    with translation.override("ru"):
        figures = overview.department(head)
        assert gettext("Overview of the Digital Services Department") in text
    assert_tiles_shown(text, figures)
    assert "Сергей Иванов" in text


def test_clerks_report_is_their_own_work_in_russian(clerk, documents, make_report):
    report = make_report(clerk, scope="mine", language="ru")

    text = pdf_text(report)
    assert "Моя работа" in text  # "My work"
    with translation.override("ru"):
        assert gettext("Overview of the Digital Services Department") not in text
        figures = overview.mine(clerk)
    assert_tiles_shown(text, figures)
    assert documents[2].number in text  # the clerk's own overdue document
    assert documents[0].number not in text  # a colleague's


def test_a_clerk_cannot_ask_for_the_department(clerk, client):
    with pytest.raises(PermissionDenied):
        services.report_request(actor=clerk, scope="department", period="12w")

    client.force_login(clerk)
    response = client.post(
        reverse("dashboard:report-new"), {"scope": "department", "period": "12w"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_unknown_scope_or_period_is_refused(head):
    with pytest.raises(ValidationError) as error:
        services.report_request(actor=head, scope="everybody", period="decade")
    assert set(error.value.message_dict) == {"scope", "period"}


def test_a_second_request_while_the_first_is_made_returns_the_first(head, make_report):
    first = make_report(head, execute=False)
    second = make_report(head, execute=False)
    other_period = make_report(head, period="year", execute=False)

    assert second.pk == first.pk
    assert other_period.pk != first.pk
    assert Report.objects.count() == 2


def test_render_twice_makes_one_pdf(head, make_report):
    report = make_report(head)
    name = report.pdf.name

    assert services.report_render(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.pdf.name == name


# --- Failure, retries and the sweeper -----------------------------------------------------------


def failing_render(monkeypatch, failures: int) -> list:
    """Make rendering fail ``failures`` times, then work; returns the list of attempts."""
    attempts = []
    render = services.report_pdf_bytes

    def flaky(report):
        attempts.append(report.pk)
        if len(attempts) <= failures:
            raise OSError("fonts are gone")
        return render(report)

    monkeypatch.setattr(services, "report_pdf_bytes", flaky)
    return attempts


def run_due(report) -> None:
    """Run the report's job as the sweeper would once its back-off is over."""
    job = Job.objects.get(key=f"{services.REPORT_JOB}:{report.pk}")
    Job.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    jobs.sweep()


def test_last_failed_attempt_is_recorded_on_the_row(head, make_report, monkeypatch):
    attempts = failing_render(monkeypatch, failures=99)
    report = make_report(head, execute=False)

    for _attempt in range(6):
        run_due(report)

    assert len(attempts) == 4  # the report job's max_attempts
    assert Job.objects.get(key=f"{services.REPORT_JOB}:{report.pk}").state == Job.State.FAILED
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "OSError: fonts are gone"
    assert report.finished_at is not None
    assert not report.pdf


def test_a_failure_before_the_last_attempt_leaves_the_row_pending_and_a_retry_finishes_it(
    head, make_report, monkeypatch
):
    attempts = failing_render(monkeypatch, failures=2)
    report = make_report(head, execute=False)

    run_due(report)
    report.refresh_from_db()
    assert report.status == Report.Status.PENDING
    run_due(report)
    run_due(report)

    assert len(attempts) == 3
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.error == ""
    assert pdf_text(report)


def test_the_sweeper_queues_a_report_whose_queueing_was_lost(head, make_report):
    lost = make_report(head, execute=False)  # Redis was down when it was asked for

    assert jobs.sweep()["queued"] == 1
    lost.refresh_from_db()
    assert lost.status == Report.Status.DONE
    assert jobs.sweep()["queued"] == 0


def test_beat_runs_the_digest_on_monday_mornings_and_the_sweeper_every_minute():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    digest = schedule["dashboard.tasks.send_weekly_digest"]
    assert digest.day_of_week == {1}
    assert digest.hour == {settings.DASHBOARD_DIGEST_HOUR}
    assert digest.minute == {0}
    assert schedule["core.tasks.sweep_jobs"] == 60


# --- Views --------------------------------------------------------------------------------------


def test_asking_for_a_pdf_leads_to_its_page_with_the_download(
    head, client, documents, django_capture_on_commit_callbacks
):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:report-new"), {"scope": "department", "period": "12w"}
        )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:report-detail", args=[report.pk])
    assert report.status == Report.Status.DONE  # eager Celery
    page = client.get(response["Location"]).content.decode()
    assert reverse("dashboard:report-pdf", args=[report.pk]) in page
    assert 'id="pdf-progress"' not in page

    download = client.get(reverse("dashboard:report-pdf", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_bad_input_goes_back_to_the_overview_with_a_message(head, client):
    client.force_login(head)
    response = client.post(
        reverse("dashboard:report-new"), {"scope": "department", "period": "forever"}, follow=True
    )

    assert response.redirect_chain[0][0] == reverse("dashboard:overview")
    assert gettext("Choose a period for the trends.") in [
        str(m) for m in response.context["messages"]
    ]
    assert not Report.objects.exists()


def test_page_while_the_pdf_is_made_polls_and_works_without_javascript(head, client, make_report):
    report = make_report(head, execute=False)
    client.force_login(head)

    page = client.get(reverse("dashboard:report-detail", args=[report.pk])).content.decode()
    status_url = reverse("dashboard:report-status", args=[report.pk])
    assert f'id="pdf-progress" data-status-url="{status_url}"' in page
    assert "js/status-poll.js" in page
    assert f'href="{reverse("dashboard:report-detail", args=[report.pk])}"' in page
    assert client.get(reverse("dashboard:report-pdf", args=[report.pk])).status_code == 404


def test_status_json_follows_the_row(head, client, make_report):
    report = make_report(head, execute=False)
    client.force_login(head)
    url = reverse("dashboard:report-status", args=[report.pk])

    assert client.get(url).json() == {"pdf_status": "pending"}
    services.report_render(report_id=report.pk)
    response = client.get(url)
    assert response.json() == {"pdf_status": "done"}
    assert response["Cache-Control"] == "no-store"


def test_failed_report_shows_the_error_and_try_again(
    head, client, make_report, django_capture_on_commit_callbacks
):
    report = make_report(head, period="quarter", execute=False)
    services.report_failed(report_id=report.pk, error="OSError: disk full")
    client.force_login(head)

    page = client.get(reverse("dashboard:report-detail", args=[report.pk])).content.decode()
    assert "OSError: disk full" in page
    assert f'action="{reverse("dashboard:report-new")}"' in page
    assert 'name="scope" value="department"' in page
    assert 'name="period" value="quarter"' in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboard:report-new"), {"scope": "department", "period": "quarter"})
    assert Report.objects.filter(status=Report.Status.DONE).count() == 1


@pytest.mark.parametrize("name", ["report-detail", "report-status", "report-pdf"])
def test_somebody_elses_report_does_not_exist_for_another_user(
    name, head, administrator, client, make_report
):
    report = make_report(head)
    client.force_login(administrator)  # may see the department, but not the head's PDF

    assert client.get(reverse(f"dashboard:{name}", args=[report.pk])).status_code == 404


@pytest.mark.parametrize("name", ["report-detail", "report-status", "report-pdf"])
def test_signed_out_visitor_is_sent_to_sign_in(name, client):
    response = client.get(reverse(f"dashboard:{name}", args=[1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
