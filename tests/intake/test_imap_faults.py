"""``kill -9`` of the mail reader at random points (issue 15, "Done when"): the reader
(``manage.py read_mail`` in a process of its own, on the test database, reading a real Dovecot)
is killed again and again while it keeps and processes messages; beat's sweeper gives back what a
dead reader left running; run again until nothing is left, every message on the server is
exactly one ``InboundMessage``, processed exactly once, with its attachments once — also the ones
already read in another mail client."""

from __future__ import annotations

import contextlib
import os
import random
import select
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db.models import Count
from django.utils import timezone

from core import jobs
from core.intake.models import InboundAttachment, InboundMessage, Mailbox
from core.models import Event, Job
from tests.intake.dovecot import Dovecot
from tests.intake.mails import HANDLED, PDF, mail

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
MESSAGES = 24
KILL_ROUNDS = 10
SEED = 15

# The reader: the project's read_mail, with the test handler standing in for the registry's, after
# playing beat's sweeper. The handler and the end of each job are a little slow, so that kills
# also strike inside the handler's transaction and between "done" and the job row's end.
#
# Starting Python and Django takes about a second, fifteen times over; so one process sets up
# Django once (no database connection open) and forks a reader for each round: a process of its
# own, in a process group of its own, that the test kills with SIGKILL. For each line on its
# stdin it answers the reader's pid, and then how the reader ended (its exit code; -9: killed).
READER = """
import os, sys, time, traceback
import django

django.setup()
from django.core.management import call_command
from django.db import connections

from core import jobs
from core.intake import services
from tests.intake.mails import handler

def slow(*, message, parsed):
    time.sleep(float(os.environ["HANDLER_DELAY"]))
    return handler(message=message, parsed=parsed)

def process(**arguments):
    made = services.process(**arguments)
    time.sleep(float(os.environ["HANDLER_DELAY"]))  # done, and the job row not yet told
    return made

services.register_handler("registry", slow)
jobs.kinds()  # the imports of every app's tasks, before the clock of the kill starts
kind = jobs.kinds()[services.PROCESS_JOB]
jobs.register(
    services.PROCESS_JOB, process, max_attempts=kind.max_attempts, on_failure=kind.on_failure
)
from core.intake import imap  # noqa
connections.close_all()  # no connection may be shared with a reader

def read():
    os.setpgid(0, 0)
    os.dup2(2, 1)  # the command's output to the log: stdout is the test's
    jobs.sweep()  # beat: runs that died with their reader are given back and run here, eagerly
    call_command("read_mail", "--mailbox", "registry", "--limit", os.environ["READ_LIMIT"])

print("ready", flush=True)
for _line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            read()
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        sys.stdout.flush()
        os._exit(0)
    try:
        os.setpgid(pid, pid)  # also here: the group exists before the test hears the pid
    except OSError:
        pass  # the reader made it already
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""
KILLED = -signal.SIGKILL


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = quote(db.get("HOST") or "127.0.0.1", safe="")
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or '5432'}/{quote(db['NAME'])}"


@pytest.fixture
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()


class Readers:
    """The process that forks the readers (see READER)."""

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-c", READER],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("ab"),
            start_new_session=True,
        )
        self.reader = 0
        assert self._line(120) == "ready", f"the readers did not start:\n{log.read_text()}"

    def _line(self, timeout: float) -> str:
        """The next line from the process (unbuffered: select sees all that is unread)."""
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            ready, _, _ = select.select([self.process.stdout], [], [], deadline - time.monotonic())
            assert ready, f"no answer in {timeout} s:\n{self.log.read_text()[-3000:]}"
            byte = os.read(self.process.stdout.fileno(), 1)
            assert byte, f"the readers' process ended:\n{self.log.read_text()[-3000:]}"
            line += byte
        return line.decode().strip()

    def start(self) -> None:
        """Fork a reader; it works from now on."""
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()
        self.reader = int(self._line(10))

    def kill(self) -> bool:
        """SIGKILL the reader; whether it was still working (killed, not ended on its own)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.reader, signal.SIGKILL)
        return int(self._line(10)) == KILLED

    def finish(self, timeout: float = 120) -> None:
        code = int(self._line(timeout))
        assert code == 0, f"the reader failed:\n{self.log.read_text()[-3000:]}"

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process.stdin.close()
        self.process.stdout.close()


def a_minute_passes() -> None:
    """What beat's next sweep sees a minute later: the runs of a dead reader have no heartbeat
    for longer than the timeout, and what was queued was not taken by anyone."""
    from django.conf import settings

    past = timezone.now() - timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT_SECONDS + 1)
    Job.objects.filter(state=Job.State.RUNNING).update(heartbeat_at=past, started_at=past)
    Job.objects.filter(state=Job.State.PENDING).update(queued_at=None, next_attempt_at=past)


def unfinished() -> list:
    return list(
        Job.objects.exclude(key=jobs.SWEEP_KEY)
        .exclude(state__in=[Job.State.DONE, Job.State.FAILED])
        .values_list("key", "state", "attempts")
    ) + list(
        InboundMessage.objects.exclude(status=InboundMessage.Status.DONE).values_list(
            "pk", "status", "error"
        )
    )


def test_the_reader_killed_at_random_points_makes_every_message_exactly_once(
    dovecot, tmp_path, settings
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    chance = random.Random(SEED)
    expected = {}
    for n in range(1, MESSAGES + 1):
        files = [("otsus.pdf", PDF, "application/pdf")] if n % 3 == 0 else []
        if n % 4 == 0:
            files.append(("arhiiv.zip", b"PK\x03\x04 not really", "application/zip"))
        uid = dovecot.append(
            mail(n, files=files), user="info", flags="\\Seen" if n % 5 == 0 else ""
        )
        expected[uid] = (f"Taotlus nr {n}", len(files))
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_DEBUG": "1",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "MEDIA_ROOT": str(media),
        "REGISTRY_IMAP_URL": dovecot.url(user="info"),
        "HELPDESK_IMAP_URL": "",
        "SCANNER_DROP_DIR": "",
        "HANDLER_DELAY": "0.05",
        "READ_LIMIT": "200",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)
    log = tmp_path / "reader.log"

    struck = 0
    readers = Readers(env, log)
    try:
        for _round in range(KILL_ROUNDS):
            readers.start()
            time.sleep(chance.uniform(0.0, 1.5))
            struck += readers.kill()
            a_minute_passes()
        for _run in range(5):  # then run again until nothing is left
            readers.start()
            readers.finish()
            if not unfinished():
                break
            a_minute_passes()
    finally:
        readers.close()

    assert struck >= KILL_ROUNDS // 2, "too few kills struck a working reader to test anything"
    assert unfinished() == []
    messages = list(InboundMessage.objects.order_by("uid"))
    assert {m.uid: (m.subject, m.attachments.count()) for m in messages} == expected
    assert all(m.mailbox.name == "registry" for m in messages)
    handled = (
        Event.objects.filter(verb=HANDLED)
        .values("object_id")
        .annotate(times=Count("id"))
        .values_list("object_id", "times")
    )
    assert sorted(handled) == sorted((str(m.pk), 1) for m in messages)  # each exactly once
    assert [m.outcome for m in messages] == [f"handled {m.pk}" for m in messages]
    assert Mailbox.objects.get(name="registry").last_uid == max(expected)
    # No file of a killed run is left beside the attachments of the runs that finished.
    stored = sorted(p for p in (media / "intake" / "files").rglob("*") if p.is_file())
    assert len(stored) == InboundAttachment.objects.count()
    assert InboundAttachment.objects.filter(status="quarantined").count() == MESSAGES // 4
