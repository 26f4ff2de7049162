"""The SMTP exchange, recorded so that a crash cannot send an accepted e-mail twice.

An e-mail is accepted by the server when it answers 250 to the end of DATA (the line with a single
dot). A worker killed between writing that dot and reading the answer cannot know whether the
server took the message, so the outbox must know that it reached that point. ``SMTPBackend`` (the
project's EMAIL_BACKEND for ``smtp://`` and ``smtp+tls://`` URLs) calls the exchange's
``point_of_no_return`` callback right before it writes the end of DATA — the outbox commits
``delivering`` there — and notes the server's answer (``accepted`` / ``refused``). A row found
``delivering`` afterwards is therefore never sent again automatically (``uncertain``), while one
found ``sending`` never reached the server's queue and is safe to send again.

Other backends (console, locmem, file) have no such moment; ``core.services.email_send`` then
marks the row ``delivering`` right before handing the message over.
"""

from __future__ import annotations

import contextlib
import contextvars
import smtplib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.mail.backends.smtp import EmailBackend


@dataclass
class Exchange:
    """What one send told us: whether it passed the point of no return and what the server said."""

    point_of_no_return: Callable[[], None] = field(default=lambda: None)
    delivering: bool = False
    accepted: bool = False
    refused: bool = False


_current: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar(
    "kantselei_smtp_exchange", default=None
)


@contextlib.contextmanager
def recording(exchange: Exchange) -> Iterator[Exchange]:
    """Record the SMTP exchange of the e-mails sent inside the block in ``exchange``."""
    token = _current.set(exchange)
    try:
        yield exchange
    finally:
        _current.reset(token)


def message_id(*, pk: int, token: str) -> str:
    """The stable Message-ID of an outbox row: the same on every attempt, so a receiver (and we)
    can tell a second copy from a second message. The domain is the site's
    (``core.intake.outgoing.message_domain``)."""
    from core.intake.outgoing import message_domain

    return f"<kantselei.email.{pk}.{token}@{message_domain()}>"


class _RecordingMixin:
    """``smtplib.SMTP.data`` with the end of DATA written only after the point of no return."""

    def data(self, msg):  # noqa: C901 - the standard library's own steps, in its order
        exchange = _current.get()
        if exchange is None:
            return super().data(msg)
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        quoted = smtplib._quote_periods(msg)
        if quoted[-2:] != smtplib.bCRLF:
            quoted += smtplib.bCRLF
        self.send(quoted)
        exchange.point_of_no_return()  # commits "delivering"; raising here sends no dot
        exchange.delivering = True
        self.send(b"." + smtplib.bCRLF)
        code, reply = self.getreply()
        if code == 250:
            exchange.accepted = True
        else:
            exchange.refused = True  # the server answered: it did not take the message
        return code, reply


class RecordingSMTP(_RecordingMixin, smtplib.SMTP):
    pass


class RecordingSMTPSSL(_RecordingMixin, smtplib.SMTP_SSL):
    pass


class SMTPBackend(EmailBackend):
    """Django's SMTP backend on the recording connection classes above."""

    records_exchange = True

    @property
    def connection_class(self):
        return RecordingSMTPSSL if self.use_ssl else RecordingSMTP
