"""Reading a real IMAP server (Dovecot on loopback) by UID: a message read elsewhere first is
imported, nothing is flagged on the server, a second run imports nothing twice, and a new
UIDVALIDITY reads the folder again without making anything twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.intake import imap, services
from core.intake.models import InboundMessage, Mailbox
from tests.intake.dovecot import Dovecot
from tests.intake.mails import PDF, TEST_PURPOSE, handled, handler, mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def box():
    services.register_handler(TEST_PURPOSE, handler)
    yield services.mailbox("imap-test", TEST_PURPOSE)
    services._handlers.pop(TEST_PURPOSE, None)


def read(box, url, capture, **kwargs) -> int:
    with capture(execute=True):
        count = imap.read_mailbox(mailbox=box, url=url, **kwargs)
    box.refresh_from_db()
    return count


def test_new_messages_are_read_by_uid_also_those_read_elsewhere(
    dovecot, box, django_capture_on_commit_callbacks
):
    dovecot.append(mail(1))
    dovecot.append(mail(2, files=[("otsus.pdf", PDF, "application/pdf")]), flags="\\Seen")
    dovecot.append(mail(3))

    assert read(box, dovecot.url(), django_capture_on_commit_callbacks) == 3

    messages = list(InboundMessage.objects.order_by("uid"))
    assert [(m.uid, m.subject, m.status) for m in messages] == [
        (1, "Taotlus nr 1", "done"),
        (2, "Taotlus nr 2", "done"),  # opened in Outlook first: imported all the same
        (3, "Taotlus nr 3", "done"),
    ]
    assert [handled(m) for m in messages] == [1, 1, 1]
    assert messages[1].attachments.get().name == "otsus.pdf"
    assert (box.last_uid, box.last_error) == (3, "")
    assert box.uidvalidity
    assert box.last_read_at
    assert b"\\Seen" not in dovecot.flags(1)  # BODY.PEEK: nothing is marked read on the server
    assert b"\\Seen" not in dovecot.flags(3)


def test_a_second_run_imports_only_what_is_new(dovecot, box, django_capture_on_commit_callbacks):
    dovecot.append(mail(1))
    dovecot.append(mail(2))
    assert read(box, dovecot.url(), django_capture_on_commit_callbacks) == 2
    assert read(box, dovecot.url(), django_capture_on_commit_callbacks) == 0

    dovecot.append(mail(3))
    assert read(box, dovecot.url(), django_capture_on_commit_callbacks) == 1

    assert InboundMessage.objects.count() == 3
    assert all(handled(m) == 1 for m in InboundMessage.objects.all())
    assert box.last_uid == 3


def test_the_search_above_the_last_uid_never_returns_an_old_message(dovecot):
    """``UID SEARCH UID 3:*`` answers the highest UID (2) when there is none above it."""
    dovecot.append(mail(1))
    dovecot.append(mail(2))
    client = dovecot.client()
    try:
        client.select("INBOX", readonly=True)
        _status, raw_answer = client.uid("SEARCH", "UID 3:*")
        assert raw_answer[0].split() == [b"2"]  # the server's quirk (RFC 3501 § 6.4.8)
        assert imap._new_uids(client, 2, 100) == []
        assert imap._new_uids(client, 1, 100) == [2]
        assert imap._new_uids(client, 0, 1) == [1]
    finally:
        client.logout()


def test_the_limit_leaves_the_rest_for_the_next_run(
    dovecot, box, django_capture_on_commit_callbacks
):
    for n in range(1, 4):
        dovecot.append(mail(n))
    assert read(box, dovecot.url(), django_capture_on_commit_callbacks, limit=2) == 2
    assert box.last_uid == 2
    assert read(box, dovecot.url(), django_capture_on_commit_callbacks, limit=2) == 1
    assert box.last_uid == 3


def test_a_new_uidvalidity_reads_the_folder_again_and_makes_nothing_twice(
    dovecot, box, django_capture_on_commit_callbacks
):
    url = dovecot.url(folder="Registry")
    first, second = mail(1), mail(2)
    dovecot.append(first, folder="Registry")
    dovecot.append(second, folder="Registry")
    assert read(box, url, django_capture_on_commit_callbacks) == 2
    old_validity = box.uidvalidity

    dovecot.recreate("Registry")  # the server rebuilt the folder: UIDs from 1 again
    dovecot.append(first, folder="Registry")
    dovecot.append(second, folder="Registry")
    dovecot.append(mail(3), folder="Registry")
    assert read(box, url, django_capture_on_commit_callbacks) == 1

    assert box.uidvalidity != old_validity
    assert box.last_uid == 3
    assert sorted(InboundMessage.objects.values_list("subject", flat=True)) == [
        "Taotlus nr 1",
        "Taotlus nr 2",
        "Taotlus nr 3",
    ]
    assert all(handled(m) == 1 for m in InboundMessage.objects.all())


def test_a_mailbox_that_cannot_be_read_keeps_the_reason_and_raises_nothing(
    dovecot, box, django_capture_on_commit_callbacks
):
    wrong = dovecot.url().replace(":secret@", ":wrong@")
    assert read(box, wrong, django_capture_on_commit_callbacks) == 0
    assert "authentication failed" in box.last_error.lower()

    closed = f"imap://mari:secret@127.0.0.1:{dovecot.port}/INBOX"
    dovecot.stop()
    assert read(box, closed, django_capture_on_commit_callbacks) == 0
    assert "ConnectionRefusedError" in box.last_error
    assert InboundMessage.objects.count() == 0


def test_plain_imap_is_refused_to_another_machine():
    with pytest.raises(imap.MailboxError, match="not an imap"):
        imap.connect("pop3://mari:secret@127.0.0.1/INBOX")
    assert imap._is_loopback("127.0.0.1")
    assert imap._is_loopback("::1")
    assert imap._is_loopback("localhost")
    assert not imap._is_loopback("mail.example.ee")


def test_read_mail_reads_the_configured_mailboxes(
    dovecot, settings, django_capture_on_commit_callbacks, capsys
):
    settings.HELPDESK_IMAP_URL = ""
    settings.SCANNER_DROP_DIR = ""
    settings.REGISTRY_IMAP_URL = dovecot.url(user="info")
    saved = services.handler_for("registry")
    services.register_handler("registry", handler)
    try:
        dovecot.append(mail(1), user="info")
        dovecot.append(mail(2), user="info")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("read_mail", "--mailbox", "registry")
        assert "registry: 2 new" in capsys.readouterr().out

        box = Mailbox.objects.get(name="registry")
        assert (box.purpose, box.last_uid) == ("registry", 2)
        assert all(handled(m) == 1 for m in box.messages.all())

        with pytest.raises(CommandError, match="not a configured source"):
            call_command("read_mail", "--mailbox", "scanner")
        dovecot.stop()
        with pytest.raises(CommandError, match="could not read: registry"):
            call_command("read_mail")
    finally:
        if saved is None:
            services._handlers.pop("registry", None)
        else:
            services.register_handler("registry", saved)


def test_the_corpus_read_from_the_server_loses_nothing(
    dovecot, box, django_capture_on_commit_callbacks
):
    from tests.intake.test_corpus import CORPUS, EXPECTED, MESSAGES

    names = [name for name in MESSAGES if name.endswith(".eml")]
    for name in names:
        dovecot.append((CORPUS / name).read_bytes())

    assert read(box, dovecot.url(), django_capture_on_commit_callbacks) == len(names)

    problems = []
    for message in InboundMessage.objects.order_by("uid"):
        name = names[message.uid - 1]
        if message.status != InboundMessage.Status.DONE or handled(message) != 1:
            problems.append(f"{name}: {message.status} {message.error}")
        files = [row.name for row in message.attachments.order_by("position")]
        if files != EXPECTED[name]["files"]:  # every file the corpus message has (test_corpus)
            problems.append(f"{name}: {files} for {EXPECTED[name]['files']}")
    assert problems == []
