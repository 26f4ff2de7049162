"""The headers and HTML part every e-mail we send carries (issue 15, core.intake.outgoing),
read back from a real SMTP server (aiosmtpd) with the standard library's e-mail parser."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import services
from core.intake import outgoing
from core.intake.parse import parse_email
from core.models import OutboundEmail

pytestmark = pytest.mark.django_db


class Collector:
    def __init__(self):
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append(envelope.original_content or envelope.content)
        return "250 2.0.0 queued"


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "core.mail.SMTPBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://kantselei.example.ee"
    settings.DEFAULT_FROM_EMAIL = "Kantselei <noreply@amet.example.ee>"
    try:
        yield handler
    finally:
        controller.stop()


def send(capture, smtp, **kwargs):
    kwargs.setdefault(
        "body",
        "Tere!\n\nTeie pöördumine <KT-1> on registreeritud.\nVaata https://kantselei.example.ee/abi/",
    )
    with capture(execute=True):
        email = services.email_queue(to=["mari@example.ee"], subject="Kviitung", **kwargs)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT, email.last_error
    assert len(smtp.received) == 1
    return email, message_from_bytes(smtp.received[0], policy=policy.default)


def test_an_automatic_email_carries_auto_submitted_a_local_date_and_an_html_part(
    smtp, django_capture_on_commit_callbacks
):
    email, received = send(django_capture_on_commit_callbacks, smtp)

    assert received["Auto-Submitted"] == "auto-generated"
    assert received["X-Auto-Response-Suppress"] == "All"
    assert (
        received["Message-ID"] == f"<kantselei.email.{email.pk}.{email.token}@kantselei.example.ee>"
    )
    assert "In-Reply-To" not in received
    date = parsedate_to_datetime(received["Date"])
    now = dt.datetime.now(dt.UTC)
    assert abs((date - now).total_seconds()) < 120
    assert date.utcoffset() == timezone.localtime(now).utcoffset()  # Europe/Tallinn
    assert received.get_content_type() == "multipart/alternative"
    plain = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "Teie pöördumine <KT-1> on registreeritud." in plain
    assert "Teie pöördumine &lt;KT-1&gt; on registreeritud.<br>" in html
    assert "<p>Tere!</p>" in html
    assert '<a href="https://kantselei.example.ee/abi/"' in html
    assert "<title>Kviitung</title>" in html


def test_an_acknowledgement_is_auto_replied_and_refers_to_the_message_it_answers(
    smtp, django_capture_on_commit_callbacks
):
    _email, received = send(
        django_capture_on_commit_callbacks,
        smtp,
        auto_submitted="auto-replied",
        in_reply_to="<CAF3k+ZP7Qw1xN8@mail.gmail.com>",
        key="ack-1",
    )
    assert received["Auto-Submitted"] == "auto-replied"
    assert received["X-Auto-Response-Suppress"] == "All"
    assert received["In-Reply-To"] == "<CAF3k+ZP7Qw1xN8@mail.gmail.com>"
    assert received["References"] == "<CAF3k+ZP7Qw1xN8@mail.gmail.com>"


def test_an_email_a_person_wrote_has_no_auto_submitted_but_the_rest(
    smtp, django_capture_on_commit_callbacks
):
    _email, received = send(
        django_capture_on_commit_callbacks, smtp, automatic=False, in_reply_to="<q@x.ee>"
    )
    assert "Auto-Submitted" not in received
    assert "X-Auto-Response-Suppress" not in received
    assert received["In-Reply-To"] == "<q@x.ee>"
    assert received["Date"]
    assert received["Message-ID"].endswith("@kantselei.example.ee>")
    assert received.get_body(("html",)) is not None


def test_our_automatic_email_is_recognised_by_our_own_intake_and_so_is_its_bounce(
    smtp, django_capture_on_commit_callbacks
):
    """No loop with ourselves: our acknowledgement read back is an automatic reply, and a
    delivery failure notice quoting it points at its outbox row."""
    email, received = send(django_capture_on_commit_callbacks, smtp, auto_submitted="auto-replied")
    parsed = parse_email(smtp.received[0])
    assert parsed.kind == "auto_reply"
    assert parsed.kind_reason == "Auto-Submitted: auto-replied"

    dsn = (
        b"From: MAILER-DAEMON@mx.example.ee\r\nTo: noreply@amet.example.ee\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; mari@example.ee\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        b"--r\r\nContent-Type: message/rfc822\r\n\r\n" + smtp.received[0] + b"\r\n--r--\r\n"
    )
    bounce = parse_email(dsn).bounce
    assert bounce.original_message_id == received["Message-ID"]
    assert bounce.recipients == ["mari@example.ee"]
    assert bounce.diagnostic == "550 5.1.1 user unknown"
    assert services.email_for_message_id(bounce.original_message_id) == email


def test_an_unknown_auto_submitted_value_is_refused():
    with pytest.raises(ValidationError):
        services.email_queue(to=["a@b.ee"], subject="X", body="Y", auto_submitted="yes")


@pytest.mark.parametrize(
    ("site_url", "from_email", "domain"),
    [
        ("https://kantselei.amet.ee/", "Kantselei <info@amet.ee>", "kantselei.amet.ee"),
        ("http://127.0.0.1:8000", "Kantselei <info@amet.ee>", "amet.ee"),
        ("http://localhost:8000", "info@Amet.EE", "amet.ee"),
        ("http://[::1]:8000", "", "kantselei.invalid"),
    ],
)
def test_message_domain(settings, site_url, from_email, domain):
    settings.SITE_URL, settings.DEFAULT_FROM_EMAIL = site_url, from_email
    assert outgoing.message_domain() == domain


def test_local_date_is_in_tallinn_time():
    winter = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 5, 10, 0, tzinfo=dt.UTC)
    assert outgoing.local_date(winter) == "Sat, 05 Dec 2026 12:00:00 +0200"
    assert outgoing.local_date(summer) == "Sun, 05 Jul 2026 13:00:00 +0300"


def test_text_to_html_escapes_and_keeps_paragraphs():
    html = outgoing.text_to_html("<script>x</script>\n\nüks\nkaks", title="A & B")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<p>üks<br>\nkaks</p>" in html
    assert "<title>A &amp; B</title>" in html
