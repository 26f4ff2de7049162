"""Real services the fault tests start, stop and kill: a Redis, an SMTP server and a Celery worker
of their own, each on a free port, each restartable on the same port (TESTING.md, "Real servers
and faults").

They are shared by the fault tests (``tests/faults/conftest.py``) and the cache failover tests
(``tests/core/test_cache_failover.py``). Every wait is bounded and polls; a timeout fails with a
message that says what did not happen (and, for the worker, the end of its log).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parents[2]
POLL = 0.1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, detail=None):
    """Poll ``condition`` every 0.1 s until it is truthy (and return it) or fail after
    ``timeout`` seconds saying ``what`` did not happen (plus ``detail()``, if given)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            extra = f"\n{detail()}" if detail else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{extra}")
        time.sleep(POLL)


# --- Redis ---------------------------------------------------------------------------------------


class RedisServer:
    """A ``redis-server`` on a port of its own that keeps nothing on disk, so a restart is an
    empty Redis, as on our machines (DESIGN.md: Redis may lose its queue)."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_connect_timeout=0.5, socket_timeout=2)

    def start(self) -> None:
        if self.process is not None:
            return
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]  # noqa: S607
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                return bool(self.client().ping())
            except redis.exceptions.ConnectionError:
                return False

        wait_for(answers, timeout=15, what=f"redis-server to answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def keys(self, db: int = 2) -> list[bytes]:
        return self.client(db).keys("*")


# --- SMTP ----------------------------------------------------------------------------------------


@dataclass
class Received:
    message_id: str
    recipients: list[str]
    subject: str
    content: bytes


@dataclass
class SMTPHandler:
    """Records every message the server accepts. It can be told to answer 451 to DATA
    (``refuse``), to hold its answer to the end of DATA (``data_delay``: the message is recorded
    first, as a real server that has queued it and has not yet said so) or to hold its answer to
    RCPT (``rcpt_delay``: the client is stuck before DATA)."""

    received: list[Received] = field(default_factory=list)
    refuse: bool = False
    data_delay: float = 0.0
    rcpt_delay: float = 0.0
    rcpt_seen: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.refuse, self.data_delay, self.rcpt_delay, self.rcpt_seen = False, 0.0, 0.0, 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpt_seen += 1
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.refuse:
            return "451 4.3.0 try again later"
        content = envelope.original_content or envelope.content
        message = message_from_bytes(content)
        with self.lock:
            self.received.append(
                Received(
                    message_id=message["Message-ID"] or "",
                    recipients=list(envelope.rcpt_tos),
                    subject=str(message["Subject"] or ""),
                    content=content,
                )
            )
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return "250 2.0.0 queued"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [item.message_id for item in self.received]

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [item for item in self.received if address in item.recipients]


class SMTPServer:
    """An aiosmtpd server on a free port that can be stopped and started on the same port."""

    def __init__(self):
        self.port = free_port()
        self.handler = SMTPHandler()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        if self.controller is not None:
            return
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=15
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- The Celery worker ---------------------------------------------------------------------------


class Worker:
    """``celery worker --pool prefork --concurrency 1`` as a subprocess in its own process group,
    on the project's app with the fault tests' hold points (``tests/faults/workerapp.py``).
    ``kill()`` sends SIGKILL to the whole group (the main process and its pool child)."""

    def __init__(self, *, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.log_path: Path | None = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "worker log (end):\n" + "\n".join(self.log().splitlines()[-lines:])

    def start(self, *, timeout: float = 60) -> None:
        if self.alive:
            return
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        command = [sys.executable, "-m", "celery", "-A", "tests.faults.workerapp", "worker"]
        command += ["--pool", "prefork", "--concurrency", "1", "-l", "info"]
        command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
        command += ["-n", f"faults{self.starts}-{os.getpid()}@%h"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                command,
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() reaches the pool child
            )

        def ready() -> bool:
            if not self.alive:
                raise AssertionError(f"the worker exited at start\n{self.log_tail()}")
            return " ready." in self.log()

        wait_for(ready, timeout=timeout, what="the worker to be ready", detail=self.log_tail)

    def kill(self) -> None:
        """SIGKILL to the worker's process group, as ``kill -9`` of the worker and its pool."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """End it at teardown: a warm shutdown if it listens, SIGKILL otherwise."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        self.kill()
