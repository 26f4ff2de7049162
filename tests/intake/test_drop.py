"""The scanner's drop folder: finished files are kept, then moved to done/YYYY-MM-DD/ (never
deleted); files still being written wait; a file kept but not moved is not kept twice."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from core.intake import drop, services, tasks
from core.intake.models import InboundMessage
from tests.intake.mails import PDF, TEST_PURPOSE, handled, handler, mail

pytestmark = pytest.mark.django_db

OLD = time.time() - 3600  # written an hour ago


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_DROP_SETTLE_SECONDS = 10


@pytest.fixture
def box():
    services.register_handler(TEST_PURPOSE, handler)
    yield services.mailbox("scanner-test", TEST_PURPOSE)
    services._handlers.pop(TEST_PURPOSE, None)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "scanner"
    path.mkdir()
    return path


def put(folder, name: str, content: bytes, mtime: float = OLD):
    path = folder / name
    path.write_bytes(content)
    os.utime(path, (mtime, mtime))
    return path


def read(box, folder, capture, **kwargs) -> int:
    with capture(execute=True):
        count = drop.read_folder(mailbox=box, path=folder, **kwargs)
    box.refresh_from_db()
    return count


def done_files(folder) -> list[str]:
    return sorted(p.name for p in (folder / "done").rglob("*") if p.is_file())


def test_a_scan_is_kept_as_a_message_with_its_file_and_moved_to_done(
    box, folder, django_capture_on_commit_callbacks
):
    put(folder, "Avaldus_Tamm.pdf", PDF)

    assert read(box, folder, django_capture_on_commit_callbacks) == 1

    message = InboundMessage.objects.get()
    assert (message.source, message.kind, message.status) == ("drop", "scan", "done")
    assert message.subject == "Avaldus Tamm"
    assert abs((message.sent_at - datetime.fromtimestamp(OLD, tz=UTC)).total_seconds()) < 1
    [attachment] = message.attachments.all()
    assert (attachment.name, attachment.kind, attachment.file.read()) == (
        "Avaldus_Tamm.pdf",
        "pdf",
        PDF,
    )
    assert handled(message) == 1
    assert not (folder / "Avaldus_Tamm.pdf").exists()
    today = timezone.localdate().isoformat()
    assert (folder / "done" / today / "Avaldus_Tamm.pdf").read_bytes() == PDF
    assert box.last_error == ""


def test_an_eml_file_is_read_as_the_mail_it_is(box, folder, django_capture_on_commit_callbacks):
    put(folder, "kiri.eml", mail(5, files=[("lisa.pdf", PDF, "application/pdf")]))

    assert read(box, folder, django_capture_on_commit_callbacks) == 1

    message = InboundMessage.objects.get()
    assert (message.kind, message.subject) == ("message", "Taotlus nr 5")
    assert message.sender_email == "mari.maasikas@example.ee"
    assert [a.name for a in message.attachments.all()] == ["lisa.pdf"]


def test_files_still_being_written_wait(box, folder, django_capture_on_commit_callbacks):
    put(folder, ".hidden.pdf", PDF)
    put(folder, "scan.pdf.part", PDF)
    put(folder, "scan.tmp", PDF)
    put(folder, "growing.pdf", PDF, mtime=time.time())  # changed just now
    (folder / "sub").mkdir()
    put(folder / "sub", "inner.pdf", PDF)

    assert read(box, folder, django_capture_on_commit_callbacks) == 0

    assert InboundMessage.objects.count() == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        ".hidden.pdf",
        "growing.pdf",
        "scan.pdf.part",
        "scan.tmp",
        "sub",
    ]


def test_a_file_kept_but_not_moved_is_moved_next_time_and_not_kept_twice(
    box, folder, django_capture_on_commit_callbacks
):
    path = put(folder, "leping.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):  # the reader died before moving it
        services.keep(mailbox=box, raw=path.read_bytes(), source="drop", name="leping.pdf")

    assert read(box, folder, django_capture_on_commit_callbacks) == 0

    assert InboundMessage.objects.count() == 1
    assert handled(InboundMessage.objects.get()) == 1
    assert done_files(folder) == ["leping.pdf"]


def test_a_name_taken_in_done_is_never_overwritten(box, folder, django_capture_on_commit_callbacks):
    put(folder, "scan.pdf", PDF)
    assert read(box, folder, django_capture_on_commit_callbacks) == 1
    put(folder, "scan.pdf", PDF + b"% the second page\n")
    assert read(box, folder, django_capture_on_commit_callbacks) == 1

    assert done_files(folder) == ["scan-1.pdf", "scan.pdf"]
    assert InboundMessage.objects.count() == 2


def test_the_limit_leaves_the_rest_for_the_next_run(
    box, folder, django_capture_on_commit_callbacks
):
    for n in range(3):
        put(folder, f"scan{n}.pdf", PDF + str(n).encode(), mtime=OLD + n)
    assert read(box, folder, django_capture_on_commit_callbacks, limit=2) == 2
    assert [p.name for p in folder.glob("*.pdf")] == ["scan2.pdf"]  # oldest first
    assert read(box, folder, django_capture_on_commit_callbacks, limit=2) == 1


def test_a_missing_folder_keeps_the_reason_and_raises_nothing(
    box, tmp_path, django_capture_on_commit_callbacks
):
    assert read(box, tmp_path / "not-mounted", django_capture_on_commit_callbacks) == 0
    assert "FileNotFoundError" in box.last_error


def test_the_beat_task_reads_the_scanner_folder(
    folder, settings, django_capture_on_commit_callbacks
):
    settings.HELPDESK_IMAP_URL = settings.REGISTRY_IMAP_URL = ""
    settings.SCANNER_DROP_DIR = str(folder)
    put(folder, "scan.pdf", PDF)
    saved = services.handler_for("registry")
    services.register_handler("registry", handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.read_mailboxes.delay().get() == {"scanner": 1}  # what beat runs
    finally:
        if saved is None:
            services._handlers.pop("registry", None)
        else:
            services.register_handler("registry", saved)
    message = InboundMessage.objects.get()
    assert (message.mailbox.name, message.mailbox.purpose) == ("scanner", "registry")
    assert message.status == "done"


def test_a_file_that_cannot_be_read_does_not_hold_up_the_others(
    box, folder, django_capture_on_commit_callbacks, monkeypatch
):
    put(folder, "a-locked.pdf", PDF, mtime=OLD - 10)  # the oldest: read first
    put(folder, "b-fine.pdf", PDF + b"% b\n")
    real = type(folder).read_bytes

    def read_bytes(path):
        if path.name == "a-locked.pdf":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(type(folder), "read_bytes", read_bytes)

    assert read(box, folder, django_capture_on_commit_callbacks) == 1

    assert InboundMessage.objects.get().subject == "b-fine"
    assert "a-locked.pdf: PermissionError" in box.last_error
    assert (folder / "a-locked.pdf").exists()  # left where it is, for the next run
