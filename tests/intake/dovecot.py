"""A real IMAP server for the intake's tests: Debian's Dovecot (``apt-get install
dovecot-imapd``) on a free loopback port, with a configuration of its own in a temporary folder:
any user name logs in with the password ``secret``, mail in Maildir, no TLS (loopback only).

Dovecot will not run its processes as root: under root (CI containers) the whole server runs as
the ``dovecot`` user the package creates, in a folder that user owns; otherwise as the current
user."""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "secret"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def require_dovecot() -> None:
    if not (os.path.exists(DOVECOT) and os.path.exists("/usr/lib/dovecot/imap")):
        pytest.skip("Dovecot is not installed: apt-get install dovecot-imapd")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    """One Dovecot server; ``url(user, folder)`` is what the intake reads."""

    def __init__(self):
        require_dovecot()
        root = os.geteuid() == 0
        account = pwd.getpwnam("dovecot") if root else pwd.getpwuid(os.geteuid())
        self.user, self.uid, self.gid = account.pw_name, account.pw_uid, account.pw_gid
        self.group = grp.getgrgid(self.gid).gr_name
        self.root = Path(tempfile.mkdtemp(prefix="kantselei-dovecot-"))
        os.chown(self.root, self.uid, self.gid)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                user=self.user,
                group=self.group,
                uid=self.uid,
                gid=self.gid,
                port=self.port,
                password=PASSWORD,
            )
        )
        os.chown(config, self.uid, self.gid)

    def start(self) -> Dovecot:
        as_other = {}
        if os.geteuid() == 0:
            as_other = {"user": self.uid, "group": self.gid, "extra_groups": []}
        with (self.root / "stderr.log").open("wb") as stderr:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
                **as_other,
            )
        deadline = time.monotonic() + 20
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"dovecot exited at start:\n{self.log()}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            if time.monotonic() > deadline:
                raise AssertionError(f"dovecot did not answer on {self.port}:\n{self.log()}")
            time.sleep(0.05)

    def log(self) -> str:
        parts = []
        for name in ("stderr.log", "dovecot.log"):
            path = self.root / name
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    def stop(self) -> None:
        """Kill the server and its children at once, and return when its port refuses
        connections. A polite SIGTERM costs a second or more (up to six just after start):
        Dovecot's master waits for its children, and nothing of this throw-away server needs
        saving."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session (start)
            self.process.wait(timeout=10)
            self.process = None
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                except OSError:
                    break
                time.sleep(0.01)
            else:
                raise AssertionError(f"dovecot still answers on {self.port} after a kill")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, user: str = "mari", folder: str = "INBOX") -> str:
        return f"imap://{user}:{PASSWORD}@127.0.0.1:{self.port}/{folder}"

    def client(self, user: str = "mari") -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, PASSWORD)
        return client

    def append(self, raw: bytes, *, user: str = "mari", folder: str = "INBOX", flags: str = ""):
        """Deliver a message; its UID."""
        client = self.client(user)
        try:
            if folder != "INBOX":
                client.create(folder)  # "already exists" is an answer, not an exception
            status, data = client.append(folder, f"({flags})" if flags else None, None, raw)
            assert status == "OK", data
            return int(data[0].split(b"APPENDUID ", 1)[1].split()[1].rstrip(b"]"))
        finally:
            client.logout()

    def flags(self, uid: int, *, user: str = "mari", folder: str = "INBOX") -> bytes:
        client = self.client(user)
        try:
            client.select(folder, readonly=True)
            _status, data = client.uid("FETCH", str(uid), "(FLAGS)")
            return data[0] or b""
        finally:
            client.logout()

    def recreate(self, folder: str, *, user: str = "mari") -> None:
        """Delete and create ``folder`` again: a new UIDVALIDITY, UIDs from 1."""
        client = self.client(user)
        try:
            client.delete(folder)
            client.create(folder)
        finally:
            client.logout()
