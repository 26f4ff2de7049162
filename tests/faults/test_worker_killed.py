"""``kill -9`` of the worker mid-job: the sweeper gives the job back once its worker has been
silent for a minute (its heartbeat stops),
and it ends done exactly once — the letter is not left "being made", the receipt is made, and
every e-mail reaches the server once (issue 13, items 2, 4 and 9)."""

import io

import pytest
from pypdf import PdfReader

from core import jobs
from core.models import Job, OutboundEmail
from tests.faults.conftest import (
    heartbeat_silent,
    hold_at,
    reached,
    release,
    wait_reached,
    wait_settled,
)
from tests.faults.hooks import SLOW_JOB

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def kill_at(worker, faults_dir, point):
    """Wait until the worker holds at ``point``, then SIGKILL it and let the point go."""
    wait_reached(faults_dir, point, worker)
    worker.kill()
    release(faults_dir, point)


def restart_and_sweep(worker):
    """A new worker; beat's next sweep once the dead run has been silent for a minute."""
    worker.start()
    assert jobs.sweep()["released"] == 0, "a running job was given away while it had a heartbeat"
    assert heartbeat_silent() >= 1
    assert jobs.sweep()["released"] >= 1


def test_a_test_job_killed_mid_run_is_done_once(worker, faults_dir, smtp_server):
    hold_at(faults_dir, "slow")
    job = jobs.enqueue(SLOW_JOB, n=1, to="mari@example.ee")
    kill_at(worker, faults_dir, "slow")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.RUNNING, 1)

    restart_and_sweep(worker)
    wait_settled(worker)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    assert (faults_dir / "done-slow").read_text().splitlines() == ["1"]
    assert reached(faults_dir, "slow") == 1  # the second run did not stop
    email = OutboundEmail.objects.get(key="faults-slow-1")
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)
    received = smtp_server.handler.to("mari@example.ee")
    assert len(received) == 1
    assert received[0].message_id == f"<kantselei.email.{email.pk}.{email.token}@example.ee>"


def make_letter(clerk, series, party):
    from correspondence import services
    from correspondence.models import Channel

    return services.letter_create(
        actor=clerk,
        subject="Teave koosoleku kohta",
        body="Lugupeetud {{ addressee }}\n\nKoosolek toimub 5. detsembril kell 10.",
        signer=clerk,
        addressees=[services.Addressee(party, Channel.EMAIL)],
        series=series,
    )


def test_a_letter_pdf_killed_mid_render_is_made_once_and_sent_once(
    worker, faults_dir, smtp_server, letter_parts, settings
):
    from correspondence import services
    from correspondence.models import Letter, PdfStatus

    clerk, series, party = letter_parts
    hold_at(faults_dir, "letter_pdf")
    letter = make_letter(clerk, series, party)
    kill_at(worker, faults_dir, "letter_pdf")
    letter.refresh_from_db()
    assert letter.pdf_status == PdfStatus.PENDING  # "being made" …
    assert not letter.pdf

    restart_and_sweep(worker)  # … but not for ever
    wait_settled(worker)

    letter.refresh_from_db()
    assert (letter.pdf_status, letter.pdf_error) == (PdfStatus.READY, "")
    job = Job.objects.get(key=f"{services.LETTER_PDF_JOB}:{letter.pk}")
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    text = PdfReader(io.BytesIO(letter.pdf.read())).pages[0].extract_text()
    assert "5. detsembril" in text
    stored = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert [p.relative_to(settings.MEDIA_ROOT).as_posix() for p in stored] == [letter.pdf.name]

    services.letter_send(actor=clerk, letter=letter)
    wait_settled(worker)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    received = smtp_server.handler.to("info@ranna.ee")
    assert len(received) == 1
    assert b"application/pdf" in received[0].content
    assert len(smtp_server.handler.received) == 1


def test_an_mtr_receipt_killed_mid_render_is_made_once_and_mailed_once(
    worker, faults_dir, smtp_server
):
    from mtr import services
    from mtr.models import Application
    from tests.mtr.conftest import registry_code
    from tests.mtr.test_public_apply import make_licence_area

    area = make_licence_area()
    hold_at(faults_dir, "receipt_pdf")
    application = services.application_submit(
        area=area,
        type=Application.Type.NEW,
        business_name="Pärnu Valve OÜ",
        registry_code=registry_code(1),
        address="Rüütli 25, 80010 Pärnu",
        contact_person="Kristjan Õunapuu",
        email="info@valve.example.ee",
        addresses=["Ranna pst 5, Pärnu"],
        data={"staff": 12},
    )
    kill_at(worker, faults_dir, "receipt_pdf")
    application.refresh_from_db()
    assert not application.receipt_pdf

    restart_and_sweep(worker)
    wait_settled(worker)

    application.refresh_from_db()
    assert application.receipt_pdf
    job = Job.objects.get(key=f"{services.RECEIPT_JOB}:{application.pk}")
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    received = smtp_server.handler.to("info@valve.example.ee")
    assert len(received) == 1, [r.subject for r in received]
    assert application.tracking_code_display.encode() in received[0].content or (
        application.tracking_code.encode() in received[0].content
    )
    assert b"application/pdf" in received[0].content
    email = OutboundEmail.objects.get(key=f"mtr-received-{application.pk}")
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)
