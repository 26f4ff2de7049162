"""The ``*_adopt_waiting_jobs`` data migrations: work left waiting by the code before
``core.jobs`` (no job rows then) gets the job its service would make, and is done once.

One test for all five apps: migrating back and forth is the slow part, so it is done once. The
waiting rows are made through the services at the current schema (their jobs held back), the
migrations are unapplied, the job rows deleted and the states set with the historical models (as
an installation before the upgrade has them), and the migrations applied again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core import jobs, roles
from core import services as core_services
from core.models import Job, OutboundEmail
from correspondence import services as letters
from correspondence.models import Channel as LetterChannel
from correspondence.models import Dispatch, Letter
from dashboard import services as dashboard
from dashboard.models import Report
from mtr import services as mtr
from mtr.models import ActivityArea, Application, Kind
from registry import services as registry
from registry.models import Attachment, Channel, DocumentType
from tests.factories import PartyFactory, SeriesFactory
from tests.mtr.conftest import registry_code
from tests.registry.conftest import last_working_day

# Migrating back and forth and making five PDFs take ~10 s.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ADOPT = "_adopt_waiting_jobs"


def _adoptions(executor) -> tuple[list, list]:
    """The adopting migrations' parents in their own apps (the state before them), and the
    leaves of the graph (everything applied)."""
    graph = executor.loader.graph
    before = []
    for key, node in graph.node_map.items():
        if key[1].endswith(ADOPT):
            before += [parent.key for parent in node.parents if parent.key[0] == key[0]]
    return before, graph.leaf_nodes()


def _waiting_work(make_user):
    """Rows of every kind the old sweepers (or nobody) had to pick up, and a few that are not
    waiting. Returns them by name."""
    clerk = make_user(roles.CLERK, username="clerk")
    processor = make_user(roles.MTR_PROCESSOR, username="processor")
    head = make_user(roles.HEAD, username="head")
    party = PartyFactory(name="OÜ Põhjarannik", code="", email="info@pohjarannik.example.ee")
    series = SeriesFactory(code="1-2", title="Kirjavahetus")
    rows = {}
    rows["email"] = core_services.email_queue(to=["mari@example.ee"], subject="Teade", body="Tere!")
    rows["sent_email"] = core_services.email_queue(
        to=["juri@example.ee"], subject="Saadetud", body="Tere!"
    )
    document = registry.document_register(
        actor=clerk,
        series=series,
        doc_type=DocumentType.LETTER,
        channel=Channel.POST,
        title="Kiri teenuse kohta",
        received_on=last_working_day(),
        sender=party,
        restriction_basis=None,
    )
    rows["attachment"] = registry.attachment_add(
        actor=clerk,
        document=document,
        uploaded=SimpleUploadedFile("leping.txt", "Üürileping Põltsamaal".encode(), "text/plain"),
    )

    def letter():
        return letters.letter_create(
            actor=clerk,
            series=series,
            subject="Teave koosoleku kohta",
            body="Lugupeetud {{ addressee }}\n\nKoosolek toimub kell 10.",
            signer=clerk,
            addressees=[letters.Addressee(party, LetterChannel.EMAIL)],
        )

    rows["letter"] = letter()
    rows["sending_letter"] = letter()  # its e-mail went, the outcome message was lost
    rows["report"] = dashboard.report_request(actor=head, scope=Report.Scope.MINE, period="week")

    area = mtr_area()

    def apply(n, **kwargs):
        return mtr.application_submit(
            area=area,
            type=Application.Type.NEW,
            business_name=f"Pärnu Valve {n} OÜ",
            registry_code=registry_code(n),
            address="Rüütli 25, 80010 Pärnu",
            contact_person="Kristjan Õunapuu",
            email=f"valve{n}@example.ee",
            addresses=["Ranna pst 5, Pärnu"],
            **kwargs,
        )

    rows["public"] = apply(1)  # the public form: a receipt is always sent
    rows["entered"] = apply(2, actor=clerk, notify=False)  # a clerk chose no receipt
    rows["old_public"] = apply(5)  # filed weeks before the upgrade: its receipt is not made now
    rows["receipted"] = apply(6)  # its receipt went
    for name, n in (("decided", 3), ("decision_failed", 4)):
        application = apply(n, actor=clerk, notify=False)
        mtr.application_assign(actor=processor, application=application, assignee=processor)
        rows[name] = mtr.application_decide(
            actor=processor, application=application, grant=False, reason="Puudub luba."
        )
    return rows


def mtr_area():
    return ActivityArea.objects.create(
        code="turvateenus",
        name_et="Turvateenus",
        name_en="Security services",
        name_ru="Охранные услуги",
        emtak_code="80101",
        kind=Kind.LICENCE,
        number_prefix="KTO",
    )


def _as_before_the_upgrade(old, rows):
    """What the database of an installation before core.jobs holds: no job rows, and the
    states the old code left."""
    old.get_model("core", "Job").objects.all().delete()
    OldEmail = old.get_model("core", "OutboundEmail")
    OldEmail.objects.filter(pk=rows["sent_email"].pk).update(status="sent")
    lost_outcome = OldEmail.objects.create(
        to=["info@pohjarannik.example.ee"],
        subject="Kiri",
        body="Kiri on lisatud.",
        key="letter-dispatch-old",
        status="sent",
        callback="correspondence.tasks.email_outcome",
    )
    old.get_model("correspondence", "Letter").objects.filter(pk=rows["sending_letter"].pk).update(
        pdf_status="ready", status="sending"
    )
    old.get_model("correspondence", "Dispatch").objects.filter(
        letter_id=rows["sending_letter"].pk
    ).update(status="sending", outbound_email=lost_outcome)
    OldApplication = old.get_model("mtr", "Application")
    OldApplication.objects.filter(pk=rows["decision_failed"].pk).update(
        decision_pdf_status="failed"
    )
    OldApplication.objects.filter(pk=rows["old_public"].pk).update(
        submitted_at=timezone.now() - timedelta(days=8)
    )
    OldEmail.objects.create(
        to=[rows["receipted"].email],
        subject="Taotlus on kätte saadud",
        body="Tere!",
        key=f"mtr-received-{rows['receipted'].pk}",
        status="sent",
    )
    return lost_outcome.pk


def _run_due_jobs(limit=50):
    """Run what the sweeper would queue, until nothing is due (jobs may make jobs)."""
    for _round in range(limit):
        due = list(Job.objects.filter(state=Job.State.PENDING).values_list("pk", flat=True))
        if not due:
            return
        for job_id in due:
            jobs.run(job_id)
    raise AssertionError("jobs keep making jobs")


def test_work_waiting_at_the_upgrade_gets_its_job_and_is_done_once(make_user, monkeypatch):
    with monkeypatch.context() as held:  # the jobs are written, never run: a worker never got them
        held.setattr(jobs, "_queue_on_commit", lambda job_id: None)
        held.setattr(jobs, "settle", lambda job: None)
        rows = _waiting_work(make_user)

    executor = MigrationExecutor(connection)
    before, after = _adoptions(executor)
    assert sorted(app for app, _name in before) == [
        "core",
        "correspondence",
        "dashboard",
        "mtr",
        "registry",
    ]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    lost_outcome = _as_before_the_upgrade(old, rows)
    executor.loader.build_graph()
    executor.migrate(after)

    adopted = {(job.kind, job.key, tuple(sorted(job.args.items()))) for job in Job.objects.all()}
    email, attachment, letter = rows["email"], rows["attachment"], rows["letter"]
    report, public = rows["report"], rows["public"]
    decided, failed = rows["decided"], rows["decision_failed"]
    assert adopted == {
        ("core.email", f"core.email:{email.pk}", (("email_id", email.pk),)),
        (
            "registry.extract_text",
            f"registry.extract_text:{attachment.pk}",
            (("attachment_id", attachment.pk),),
        ),
        (
            "correspondence.letter_pdf",
            f"correspondence.letter_pdf:{letter.pk}",
            (("letter_id", letter.pk),),
        ),
        (
            "core.email_callback",
            f"core.email_callback:{lost_outcome}:adopted",
            (("callback", "correspondence.tasks.email_outcome"), ("email_id", lost_outcome)),
        ),
        ("dashboard.report", f"dashboard.report:{report.pk}", (("report_id", report.pk),)),
        ("mtr.receipt", f"mtr.receipt:{public.pk}", (("application_id", public.pk),)),
        (
            "mtr.decision_letter",
            f"mtr.decision_letter:{decided.pk}",
            (("application_id", decided.pk),),
        ),
        (
            "mtr.decision_letter",
            f"mtr.decision_letter:{failed.pk}",
            (("application_id", failed.pk),),
        ),
    }
    assert set(Job.objects.values_list("state", flat=True)) == {Job.State.PENDING}
    # The keys are the services' own: enqueuing the same work again makes nothing new.
    again = jobs.enqueue("core.email", key=core_services.email_job_key(email.pk), email_id=email.pk)
    assert again.args == {"email_id": email.pk}
    assert Job.objects.count() == len(adopted)

    _run_due_jobs()

    assert set(Job.objects.values_list("state", flat=True)) == {Job.State.DONE}
    assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT
    attachment = Attachment.objects.get(pk=attachment.pk)
    assert (attachment.text_status, attachment.text) == (
        Attachment.TextStatus.DONE,
        "Üürileping Põltsamaal",
    )
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.pdf_status == "ready"
    assert letter.pdf
    assert Dispatch.objects.get(letter=rows["sending_letter"]).status == Dispatch.Status.SENT
    assert Letter.objects.get(pk=rows["sending_letter"].pk).status == Letter.Status.SENT
    report = Report.objects.get(pk=report.pk)
    assert report.status == Report.Status.DONE
    assert report.pdf
    for application in (decided, failed):
        application.refresh_from_db()
        assert application.decision_pdf_status == "ready"
        assert application.decision_pdf
    sent = sorted((m.to, [name for name, *_rest in m.attachments]) for m in mail.outbox)
    assert sent == sorted(
        [
            (["mari@example.ee"], []),
            ([public.email], [f"receipt-{public.tracking_code_display}.pdf"]),
            ([decided.email], [f"decision-{decided.tracking_code_display}.pdf"]),
            ([failed.email], [f"decision-{failed.tracking_code_display}.pdf"]),
        ]
    )
