"""The intake's engine: a message is kept first, processed once, every attachment on its own
(kept or quarantined with its reason), and a crash half-way leaves nothing twice."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ValidationError

from core import jobs
from core.intake import services
from core.intake.models import InboundAttachment, InboundMessage
from core.intake.verbs import Verb
from core.models import Event, Job
from tests.intake.mails import PDF, TEST_PURPOSE, handled, handler, mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def box():
    services.register_handler(TEST_PURPOSE, handler)
    yield services.mailbox("engine-test", TEST_PURPOSE)
    services._handlers.pop(TEST_PURPOSE, None)


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT / "intake" / "files"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def keep_and_run(box, raw, capture, **kwargs):
    kwargs.setdefault("source", InboundMessage.Source.IMAP)
    with capture(execute=True):
        message, created = services.keep(mailbox=box, raw=raw, **kwargs)
    message.refresh_from_db()
    return message, created


def test_a_message_is_kept_then_processed_by_its_purposes_handler(
    box, django_capture_on_commit_callbacks
):
    raw = mail(1, files=[("otsus.pdf", PDF, "application/pdf")])
    message, created = keep_and_run(
        box, raw, django_capture_on_commit_callbacks, uid=7, uidvalidity=42
    )

    assert created
    assert message.raw.read() == raw
    assert (message.status, message.outcome) == (
        InboundMessage.Status.DONE,
        f"handled {message.pk}",
    )
    assert (message.subject, message.sender_email) == ("Taotlus nr 1", "mari.maasikas@example.ee")
    assert message.message_id == "<engine-1@example.ee>"
    assert "Palun vaadake taotlust nr 1" in message.text
    assert message.kind == InboundMessage.Kind.MESSAGE
    [attachment] = message.attachments.all()
    assert (attachment.name, attachment.status, attachment.kind) == ("otsus.pdf", "kept", "pdf")
    assert attachment.file.read() == PDF
    assert handled(message) == 1
    job = Job.objects.get(key=f"{services.PROCESS_JOB}:{message.pk}")
    assert job.state == Job.State.DONE


def test_keep_is_idempotent_on_uid_and_on_content(box, django_capture_on_commit_callbacks):
    first, created = keep_and_run(
        box, mail(1), django_capture_on_commit_callbacks, uid=1, uidvalidity=5
    )
    again, created_again = keep_and_run(
        box, mail(1), django_capture_on_commit_callbacks, uid=1, uidvalidity=5
    )
    # The same bytes under a new UIDVALIDITY (the folder was rebuilt): the row already kept.
    rebuilt, created_rebuilt = keep_and_run(
        box, first.raw.open("rb").read(), django_capture_on_commit_callbacks, uid=1, uidvalidity=6
    )
    assert (created, created_again, created_rebuilt) == (True, False, False)
    assert again.pk == first.pk == rebuilt.pk
    assert InboundMessage.objects.count() == 1
    assert handled(first) == 1

    file_raw = mail(2)
    dropped, created = keep_and_run(
        box, file_raw, django_capture_on_commit_callbacks, source="file", name="a.eml"
    )
    twice, created_twice = keep_and_run(
        box, file_raw, django_capture_on_commit_callbacks, source="file", name="copy.eml"
    )
    assert (created, created_twice, twice.pk) == (True, False, dropped.pk)


def test_a_refused_attachment_is_quarantined_and_its_siblings_kept(
    box, django_capture_on_commit_callbacks, settings
):
    raw = mail(
        3,
        files=[
            ("otsus.pdf", PDF, "application/pdf"),
            ("arhiiv.zip", b"PK\x05\x06" + b"\x00" * 18, "application/zip"),
            ("vale.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf"),
            ("pilt.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg"),
        ],
    )
    message, _created = keep_and_run(
        box, raw, django_capture_on_commit_callbacks, uid=3, uidvalidity=1
    )

    rows = list(message.attachments.order_by("position"))
    assert [(a.name, a.status) for a in rows] == [
        ("otsus.pdf", "kept"),
        ("arhiiv.zip", "quarantined"),
        ("vale.pdf", "quarantined"),
        ("pilt.jpg", "kept"),
    ]
    assert "arhiiv.zip" in rows[1].reason
    assert "vale.pdf" in rows[2].reason
    assert all(a.file and a.file.size == a.size for a in rows)  # the refused ones are stored too
    assert rows[2].file.read().startswith(b"MZ")
    assert len(stored_files(settings)) == 4


def test_process_twice_makes_nothing_twice(box, django_capture_on_commit_callbacks, settings):
    raw = mail(4, files=[("otsus.pdf", PDF, "application/pdf")])
    message, _created = keep_and_run(
        box, raw, django_capture_on_commit_callbacks, uid=4, uidvalidity=1
    )

    assert services.process(message_id=message.pk) is False

    assert message.attachments.count() == 1
    assert handled(message) == 1
    assert len(stored_files(settings)) == 1


def test_a_crash_half_way_is_rolled_back_and_retried_once(
    box, django_capture_on_commit_callbacks, settings
):
    calls = []

    def crashing(*, message, parsed):
        calls.append(message.pk)
        handler(message=message, parsed=parsed)
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return "second time lucky"

    services.register_handler(TEST_PURPOSE, crashing)
    raw = mail(5, files=[("a.pdf", PDF, "application/pdf"), ("b.pdf", PDF, "application/pdf")])
    message, _created = keep_and_run(
        box, raw, django_capture_on_commit_callbacks, uid=5, uidvalidity=1
    )

    assert message.status == InboundMessage.Status.NEW
    assert "ConnectionError: the database went away" in message.error
    assert message.attachments.count() == 0
    assert handled(message) == 0
    assert stored_files(settings) == []  # the files of the rolled-back run are gone too
    job = Job.objects.get(key=f"{services.PROCESS_JOB}:{message.pk}")
    assert (job.state, job.attempts) == (Job.State.PENDING, 1)

    Job.objects.filter(pk=job.pk).update(next_attempt_at=job.created)  # the back-off passed
    assert jobs.run(job.pk)

    message.refresh_from_db()
    assert (message.status, message.outcome, message.attempts) == ("done", "second time lucky", 2)
    assert message.attachments.count() == 2
    assert handled(message) == 1
    assert len(stored_files(settings)) == 2


def test_a_message_failing_every_time_is_failed_with_its_reason(
    box, django_capture_on_commit_callbacks, settings
):
    settings.INTAKE_MAX_ATTEMPTS = 2

    def broken(*, message, parsed):
        raise RuntimeError("handler bug")

    services.register_handler(TEST_PURPOSE, broken)
    raw = mail(6)
    message, _created = keep_and_run(
        box, raw, django_capture_on_commit_callbacks, uid=6, uidvalidity=1
    )
    job = Job.objects.get(key=f"{services.PROCESS_JOB}:{message.pk}")
    Job.objects.filter(pk=job.pk).update(next_attempt_at=job.created)
    jobs.run(job.pk)

    message.refresh_from_db()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert message.status == InboundMessage.Status.FAILED
    assert "RuntimeError: handler bug" in message.error
    assert message.raw.read() == raw  # never lost


def test_an_unreadable_file_is_failed_at_once_and_kept(box, django_capture_on_commit_callbacks):
    message, _created = keep_and_run(
        box, b"just some words", django_capture_on_commit_callbacks, source="file", name="x.eml"
    )
    assert message.status == InboundMessage.Status.FAILED
    assert message.error
    assert message.attempts == 1
    assert message.raw.read() == b"just some words"


def test_a_purpose_without_handler_fails_with_the_reason(django_capture_on_commit_callbacks):
    box = services.mailbox("nobody", "nohandler")
    message, _created = keep_and_run(
        box, mail(7), django_capture_on_commit_callbacks, uid=1, uidvalidity=1
    )
    assert message.status == InboundMessage.Status.FAILED
    assert "nohandler" in message.error


def test_a_message_over_the_size_limit_is_kept_and_failed(
    box, django_capture_on_commit_callbacks, settings
):
    settings.INTAKE_MAX_BYTES = 1000
    raw = mail(8, files=[("suur.pdf", PDF + b"%" * 2000, "application/pdf")])
    message, _created = keep_and_run(
        box, raw, django_capture_on_commit_callbacks, uid=8, uidvalidity=1
    )
    assert message.status == InboundMessage.Status.FAILED
    assert "INTAKE_MAX_BYTES" in message.error
    assert message.subject == "Taotlus nr 8"  # from its headers: staff can see what it is
    assert message.raw.read() == raw
    assert handled(message) == 0


def test_a_failed_message_can_be_processed_again(box, django_capture_on_commit_callbacks, clerk):
    services._handlers.pop(TEST_PURPOSE)
    message, _created = keep_and_run(
        box, mail(9), django_capture_on_commit_callbacks, uid=9, uidvalidity=1
    )
    assert message.status == InboundMessage.Status.FAILED
    services.register_handler(TEST_PURPOSE, handler)

    with django_capture_on_commit_callbacks(execute=True):
        services.message_requeue(actor=clerk, message=message)

    message.refresh_from_db()
    assert (message.status, handled(message)) == (InboundMessage.Status.DONE, 1)
    assert Event.objects.filter(verb=Verb.MESSAGE_REQUEUED, actor=clerk).count() == 1
    with pytest.raises(ValidationError):
        services.message_requeue(actor=clerk, message=message)


def test_a_scan_in_the_drop_folder_is_a_message_with_one_file(
    box, django_capture_on_commit_callbacks
):
    message, _created = keep_and_run(
        box, PDF, django_capture_on_commit_callbacks, source="drop", name="Leping_2026-12-01.pdf"
    )
    assert (message.kind, message.subject) == (InboundMessage.Kind.SCAN, "Leping 2026-12-01")
    [attachment] = message.attachments.all()
    assert (attachment.name, attachment.status, attachment.kind) == (
        "Leping_2026-12-01.pdf",
        "kept",
        "pdf",
    )


# --- Quarantine ------------------------------------------------------------------------------


@pytest.fixture
def quarantined(box, django_capture_on_commit_callbacks):
    raw = mail(
        10, files=[("a.pdf", PDF, "application/pdf"), ("b.zip", b"PK\x03\x04xx", "application/zip")]
    )
    message, _created = keep_and_run(
        box, raw, django_capture_on_commit_callbacks, uid=10, uidvalidity=1
    )
    return message.attachments.get(status=InboundAttachment.Status.QUARANTINED)


def test_release_from_quarantine_is_recorded(quarantined, clerk):
    released = services.attachment_release(actor=clerk, attachment=quarantined)

    assert (released.status, released.decided_by) == ("released", clerk)
    assert released.file  # kept as it is
    event = Event.objects.get(verb=Verb.ATTACHMENT_RELEASED)
    assert (event.actor, event.object_id) == (clerk, str(quarantined.message_id))
    assert event.data["name"] == "b.zip"
    with pytest.raises(ValidationError):
        services.attachment_release(actor=clerk, attachment=released)


def test_delete_from_quarantine_removes_the_file_and_keeps_the_row(
    quarantined, clerk, django_capture_on_commit_callbacks
):
    path = quarantined.file.path
    with pytest.raises(ValidationError):
        services.attachment_delete(actor=clerk, attachment=quarantined, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        deleted = services.attachment_delete(
            actor=clerk, attachment=quarantined, reason="Pahavara kahtlus"
        )

    deleted.refresh_from_db()
    assert (deleted.status, deleted.reason, deleted.file.name) == (
        "deleted",
        "Pahavara kahtlus",
        "",
    )
    assert not os.path.exists(path)
    event = Event.objects.get(verb=Verb.ATTACHMENT_DELETED)
    assert event.data["reason"] == "Pahavara kahtlus"
    assert event.data["quarantine_reason"]
    kept = deleted.message.attachments.get(name="a.pdf")
    with pytest.raises(ValidationError):
        services.attachment_delete(actor=clerk, attachment=kept, reason="no")


def test_raw_download_names_the_file_from_the_subject(box, django_capture_on_commit_callbacks):
    message, _created = keep_and_run(
        box,
        mail(11, subject="Küsimus / ettepanek"),
        django_capture_on_commit_callbacks,
        uid=11,
        uidvalidity=1,
    )
    response = services.raw_download(message)
    assert response["Content-Type"] == "message/rfc822"
    assert "attachment" in response["Content-Disposition"]
    assert "K%C3%BCsimus _ ettepanek.eml" in response["Content-Disposition"].replace("%20", " ")
    content = b"".join(response.streaming_content)
    assert content == message.raw.open("rb").read()
    assert b"Message-ID: <engine-11@example.ee>" in content


def test_every_message_of_the_corpus_is_processed_and_loses_no_attachment(
    box, django_capture_on_commit_callbacks
):
    from tests.intake.test_corpus import CORPUS, MESSAGES, parse_corpus

    problems = []
    for name in MESSAGES:
        raw = (CORPUS / name).read_bytes()
        message, _created = keep_and_run(
            box, raw, django_capture_on_commit_callbacks, source="file", name=name
        )
        expected = parse_corpus(name).files
        rows = list(message.attachments.order_by("position"))
        if message.status != InboundMessage.Status.DONE or handled(message) != 1:
            problems.append(f"{name}: {message.status} {message.error}")
        elif [(r.size, r.origin) for r in rows] != [(len(f.content), f.origin) for f in expected]:
            problems.append(f"{name}: {len(rows)} rows for {len(expected)} files")
        for row in rows:
            if not row.file or row.file.size != row.size:
                problems.append(f"{name}: {row.name} not stored")
            if row.status == InboundAttachment.Status.QUARANTINED and not row.reason:
                problems.append(f"{name}: {row.name} quarantined without a reason")
    assert problems == []
    assert InboundMessage.objects.count() == len(MESSAGES)


def test_the_admin_lists_messages_and_processes_failed_ones_again(
    box, django_capture_on_commit_callbacks, make_user, second_factor, client
):
    services._handlers.pop(TEST_PURPOSE)
    failed, _created = keep_and_run(
        box, mail(12), django_capture_on_commit_callbacks, uid=12, uidvalidity=1
    )
    services.register_handler(TEST_PURPOSE, handler)
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    second_factor(admin)

    assert client.get("/admin/core/inboundmessage/").status_code == 200
    page = client.get(f"/admin/core/inboundmessage/{failed.pk}/change/")
    assert page.status_code == 200
    assert "Taotlus nr 12" in page.content.decode()
    assert client.get(f"/admin/core/mailbox/{box.pk}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/inboundmessage/",
            {"action": "process_again", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == InboundMessage.Status.DONE
