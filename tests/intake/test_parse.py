"""core.intake.parse: the rules one by one (the corpus test covers real-looking messages)."""

from __future__ import annotations

import base64
import contextlib
import random
from pathlib import Path

import pytest

from core.intake.parse import (
    ParsedMail,
    Unreadable,
    html_to_text,
    is_email_file,
    parse_email,
    parse_file,
    split_quoted,
)

CORPUS = Path(__file__).parent / "corpus"


def mail(headers: str, body: str = "Tere.", *, content_type="text/plain; charset=utf-8") -> bytes:
    head = "From: Mari Maasikas <Mari@Example.ee>\r\nTo: info@example.ee\r\n" + headers
    return (f"{head}Content-Type: {content_type}\r\n\r\n{body}\r\n").encode()


# --------------------------------------------------------------------------- quoted text


@pytest.mark.parametrize(
    ("text", "new", "quoted_start"),
    [
        (
            "Sobib.\n\n-----Original Message-----\nFrom: A\nSent: B\n\nVana",
            "Sobib.",
            "-----Original",
        ),
        ("Sobib.\n\nOn Mon, 1 Dec 2026 at 10:00, A <a@b.ee> wrote:\n> vana", "Sobib.", "On Mon"),
        (
            "Sobib.\n\nOn Mon, 1 Dec 2026 at 10:00, Mari Maasikas <\nmari@b.ee> wrote:\n> vana",
            "Sobib.",
            "On Mon",
        ),
        ("Sobib.\n\nE, 1. dets 2026 kell 10:00 Mari <m@b.ee> kirjutas:\n> vana", "Sobib.", "E, 1."),
        ("Да.\n\n01.12.2026 10:00, Иван написал(а):\n> старое", "Да.", "01.12.2026"),
        (
            "Sobib.\n\nSaatja: Kantselei <k@b.ee>\nSaadetud: 1. detsember 2026\nTeema: X\n\nvana",
            "Sobib.",
            "Saatja:",
        ),
        (
            "Sobib.\n\n________________________________\nFrom: K <k@b.ee>\nSent: Monday\n\nvana",
            "Sobib.",
            "______",
        ),
        ("Sobib.\n\n> vana\n> rida", "Sobib.", "> vana"),
    ],
)
def test_split_quoted_finds_the_quote(text, new, quoted_start):
    got_new, quoted = split_quoted(text)
    assert got_new == new
    assert quoted.startswith(quoted_start)
    assert (got_new + quoted).replace("\n", "").replace(" ", "") in text.replace("\n", "").replace(
        " ", ""
    )


def test_split_quoted_keeps_interleaved_answers_whole():
    text = "> Kas sobib?\nSobib.\n> Millal?\nHomme."
    assert split_quoted(text) == (text, "")


def test_split_quoted_keeps_a_message_that_is_all_quote_as_new_text():
    text = "-----Original Message-----\nFrom: A\nSent: B\n\nKodaniku küsimus"
    assert split_quoted(text) == (text, "")


def test_from_line_without_sent_line_is_not_a_quote():
    text = "Palun vastake.\nFrom: this is how I start a sentence"
    assert split_quoted(text) == (text, "")


# --------------------------------------------------------------------------- reading


def test_unreadable_only_for_what_is_not_mail():
    with pytest.raises(Unreadable):
        parse_email(b"")
    with pytest.raises(Unreadable):
        parse_email(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(Unreadable):
        parse_email(bytes(range(256)) * 4)
    with pytest.raises(Unreadable):
        parse_file("kiri.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(Unreadable):
        parse_file("pilt.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    # a message without any sender is still a message
    parsed = parse_email(b"Subject: Saatjata\r\n\r\nTekst\r\n")
    assert parsed.from_email == ""
    assert parsed.text == "Tekst"
    assert parsed.subject == "Saatjata"


def test_is_email_file():
    eml = (CORPUS / "gmail_reply_alternative.eml").read_bytes()
    msg = (CORPUS / "msg_embedded_message.msg").read_bytes()
    assert is_email_file("kiri.eml", eml)
    assert is_email_file("KIRI.MSG", msg)
    assert not is_email_file("kiri.pdf", eml)
    assert not is_email_file("scan.eml", b"%PDF-1.4\n")
    assert not is_email_file("scan.msg", b"%PDF-1.4\n")


def test_headers_decoded():
    raw = mail(
        "Subject: =?utf-8?Q?=C3=95iend?= ja =?koi8-r?B?89DSwdfLwQ==?=\r\n"
        "Reply-To: =?utf-8?B?SsO8cmk=?= <Vastus@Example.EE>\r\n"
        "Cc: a@b.ee, C <c@d.ee>\r\n"
        "Date: Tue, 1 Dec 2026 10:00:00 +0200\r\n"
        "Message-ID: <abc@example.ee>\r\n"
        "In-Reply-To: <x@kantselei.ee>\r\n"
        "References: <w@kantselei.ee>\r\n <x@kantselei.ee>\r\n"
        "Content-Language: ru-RU\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.subject == "Õiend ja Справка"
    assert parsed.from_email == "mari@example.ee"
    assert parsed.from_name == "Mari Maasikas"
    assert parsed.reply_to_email == "vastus@example.ee"
    assert parsed.cc == ["a@b.ee", "c@d.ee"]
    assert parsed.sent_at.isoformat() == "2026-12-01T10:00:00+02:00"
    assert parsed.message_id == "<abc@example.ee>"
    assert parsed.in_reply_to == "<x@kantselei.ee>"
    assert parsed.references == ["<w@kantselei.ee>", "<x@kantselei.ee>"]
    assert parsed.language == "ru"


def test_eight_bit_header_in_cp1251():
    raw = (
        b"From: \xc8\xe2\xe0\xed <ivan@example.ru>\r\nSubject: \xd1\xef\xf0\xe0\xe2\xea\xe0 "
        b"\xee \xf0\xe5\xe3\xe8\xf1\xf2\xf0\xe0\xf6\xe8\xe8\r\n\r\nText\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.subject == "Справка о регистрации"
    assert parsed.from_name == "Иван"


def test_a_part_that_cannot_be_decoded_is_kept_as_it_came():
    raw = mail(
        "MIME-Version: 1.0\r\n",
        "--b\r\nContent-Type: text/plain\r\n\r\nTekst\r\n--b\r\nContent-Type: application/pdf; "
        'name="a.pdf"\r\nContent-Transfer-Encoding: x-uuencode-broken\r\n\r\n%PDF-1.4 raw\r\n--b--',
        content_type='multipart/mixed; boundary="b"',
    )
    parsed = parse_email(raw)
    assert [f.name for f in parsed.files] == ["a.pdf"]
    assert parsed.files[0].content.startswith(b"%PDF-1.4 raw")


def test_html_to_text_drops_scripts_and_styles_and_keeps_links():
    text = html_to_text(
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<p>Tere&nbsp;tulemast!</p><p>Vaata <a href='https://x.ee/a'>siit</a></p>"
        "<blockquote>vana kiri</blockquote></body></html>"
    )
    assert "alert" not in text
    assert "color" not in text
    assert "Tere tulemast!" in text
    assert "siit <https://x.ee/a>" in text
    assert "> vana kiri" in text


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ("X-Auto-Response-Suppress: All\r\n", "message"),
        ("Auto-Submitted: no\r\n", "message"),
        ("Auto-Submitted: auto-replied\r\n", "auto_reply"),
        ("Auto-Submitted: auto-generated; owner-email=x@y.ee\r\n", "auto_reply"),
        ("X-Autorespond: Urlaub\r\n", "auto_reply"),
        ("Precedence: junk\r\n", "bulk"),
        ("Precedence: auto_reply\r\n", "auto_reply"),
        ("List-Id: <uudised.example.ee>\r\n", "bulk"),
        ("Subject: Out of Office: puhkus\r\n", "auto_reply"),
        ("Subject: Автоматический ответ: отпуск\r\n", "auto_reply"),
        ("Subject: Re: Out of the box ideas\r\n", "message"),
    ],
)
def test_classification(headers, kind):
    assert parse_email(mail(headers)).kind == kind


@pytest.mark.parametrize(
    ("sender", "kind"),
    [
        ("MAILER-DAEMON@mx.example.ee", "bounce"),
        ("postmaster@example.ee", "auto_reply"),
        ("noreply@example.ee", "auto_reply"),
        ("no-reply@example.ee", "auto_reply"),
        ("DoNotReply@example.ee", "auto_reply"),
        ("info-noreply@example.ee", "auto_reply"),
        ("noreen@example.ee", "message"),
    ],
)
def test_machine_senders(sender, kind):
    raw = f"From: {sender}\r\nSubject: Teade\r\n\r\nTekst\r\n".encode()
    assert parse_email(raw).kind == kind


def test_a_web_form_sent_as_noreply_with_the_persons_reply_to_is_a_message():
    raw = (
        b"From: Veebivorm <noreply@vald.ee>\r\nReply-To: Mari <mari@example.ee>\r\n"
        b"Subject: Tagasiside\r\n\r\nTekst\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.kind == "message"
    assert parsed.reply_to_email == "mari@example.ee"


def test_bounce_without_report_takes_the_original_from_in_reply_to():
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@example.ee>\r\n"
        b"Subject: Mail delivery failed\r\n"
        b"In-Reply-To: <our.1@kantselei.ee>\r\n\r\n"
        b"550 5.1.1 <x@y.ee>: user unknown\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.kind == "bounce"
    assert parsed.bounce.original_message_id == "<our.1@kantselei.ee>"
    assert parsed.bounce.diagnostic.startswith("550 5.1.1")


def test_forwarded_messages_nested_deeper_than_the_cap_are_kept_as_files():
    raw = b"From: a@b.ee\r\nSubject: sisemine\r\n\r\nSisu\r\n"
    for level in range(8):
        raw = (
            (
                f"From: l{level}@b.ee\r\nSubject: Fwd: tase {level}\r\nMIME-Version: 1.0\r\n"
                f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'
                f"Content-Type: message/rfc822\r\n\r\n"
            ).encode()
            + raw
            + f"\r\n--b{level}--\r\n".encode()
        )
    parsed = parse_email(raw)
    assert len(parsed.files) == 1
    assert parsed.files[0].name.endswith(".eml")
    assert parsed.files[0].content_type == "message/rfc822"


def test_opaque_names_get_a_name_and_type_from_the_content():
    pdf = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()
    raw = mail(
        "MIME-Version: 1.0\r\n",
        f"--b\r\nContent-Type: text/plain\r\n\r\nT\r\n--b\r\nContent-Type: application/octet-stream"
        f"\r\nContent-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--b--",
        content_type='multipart/mixed; boundary="b"',
    )
    (file,) = parse_email(raw).files
    assert file.name.endswith(".pdf")
    assert file.content_type == "application/pdf"


def _mutations(data: bytes, rng: random.Random):
    yield data[: len(data) // 2]
    yield data[: rng.randrange(1, len(data))]
    flipped = bytearray(data)
    for _ in range(20):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    yield bytes(flipped)
    yield data.replace(b"\r\n", b"\n").replace(b"boundary", b"boundery")
    yield data.replace(b"base64", b"base65").replace(b"charset=", b"charset=x-")


def test_never_crashes_on_damaged_messages():
    """Truncated, bit-flipped and mislabelled corpus messages: a ParsedMail or Unreadable."""
    rng = random.Random(15)
    parsed_count = 0
    for path in sorted(CORPUS.glob("*.eml")):
        for damaged in _mutations(path.read_bytes(), rng):
            try:
                parsed = parse_file(path.name, damaged)
            except Unreadable:
                continue
            assert isinstance(parsed, ParsedMail)
            for text in (parsed.text, parsed.quoted, parsed.subject, parsed.html):
                assert "\x00" not in text
                text.encode("utf-8")  # no surrogates
            parsed_count += 1
    assert parsed_count > 150


def test_damaged_outlook_file_is_unreadable_not_a_crash():
    data = (CORPUS / "msg_embedded_message.msg").read_bytes()
    for damaged in (data[:4096], data[: len(data) // 2]):
        with contextlib.suppress(Unreadable):
            parse_file("kiri.msg", damaged)
