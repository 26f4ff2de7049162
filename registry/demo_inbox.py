"""Demo data of the registration inbox: a week of the agency's general mailbox and scanner, read
through the real intake (``core.intake``), so the clerk's list looks like a Monday morning."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from registry.models import InboxItem

# (days ago, hour, sender name, sender address, subject, text, files, extra headers)
MESSAGES = [
    (
        6,
        "09:12",
        "Tiina Kask",
        "tiina.kask@gmail.com",
        "Teabenõue: tänavavalgustuse hoolduslepingu koopia",
        "Tere\n\nPalun saatke mulle avaliku teabe seaduse alusel koopia 2025. aastal sõlmitud "
        "tänavavalgustuse hoolduslepingust koos lisadega.\n\nLugupidamisega\nTiina Kask\n"
        "Tel 5123 4567",
        [("volikiri.pdf", "Volikiri\nTiina Kask volitab ...")],
        {},
    ),
    (
        5,
        "14:40",
        "Põhjarannik OÜ",
        "info@pohjarannik.example.ee",
        "Majandustegevusteate andmete muutmine (registrikood 12345678)",
        "Lugupeetud ametnik\n\nSaadame majandustegevusteate muudatuse: ettevõtte aadress on "
        "alates 1. detsembrist Sadama 7, Paldiski. Lisatud on allkirjastatud avaldus ja "
        "ruumide plaan.\n\nParimate soovidega\nAndres Tamm\njuhatuse liige",
        [
            ("avaldus.pdf", "Avaldus\nMajandustegevusteate muutmine"),
            ("ruumide_plaan.zip", None),
        ],
        {},
    ),
    (
        4,
        "08:03",
        "Ольга Смирнова",
        "olga.smirnova@mail.ru",
        "Запрос информации о регистрации предприятия",
        "Здравствуйте!\n\nПрошу сообщить, внесены ли изменения в регистр экономической "
        "деятельности по моему заявлению от 12 ноября.\n\nС уважением,\nОльга Смирнова",
        [],
        {"Content-Language": "ru"},
    ),
    (
        3,
        "11:26",
        "Raamatupidamine | Linnavalitsus",
        "raamatupidamine@linn.example.ee",
        "FW: Arve nr 2026-118 (IT-tugi, november)",
        "Edastan teile arve kooskõlastamiseks.\n\n-----Original Message-----\nFrom: "
        "Arveldus <arved@ittugi.example.ee>\nSent: Tuesday, December 1, 2026 10:02 AM\n"
        "Subject: Arve nr 2026-118\n\nTere, lisatud novembri arve.",
        [("Arve_2026-118.pdf", "Arve nr 2026-118\nIT-tugi, november 2026\nSumma 1 249,00 €")],
        {},
    ),
    (
        2,
        "17:55",
        "Marko Lepik",
        "marko.lepik@example.ee",
        "Automaatne vastus: Kohtumise aeg",
        "Olen puhkusel kuni 14. detsembrini. Kiireloomulistes küsimustes palun pöörduge "
        "info@example.ee.",
        [],
        {"Auto-Submitted": "auto-replied"},
    ),
    (
        2,
        "07:00",
        "Riigi Teataja uudiskiri",
        "uudiskiri@rt.example.ee",
        "Riigi Teataja: nädala muudatused",
        "Sel nädalal jõustunud õigusaktid ...",
        [],
        {"Precedence": "bulk", "List-Id": "<uudiskiri.rt.example.ee>"},
    ),
    (
        1,
        "10:18",
        "Jüri Õunapuu",
        "jyri.ounapuu@online.ee",
        "Selgitustaotlus – e-teeninduse sisselogimine",
        "Tere\n\nPalun selgitage, miks ei saa ma Smart-ID-ga e-teenindusse sisse logida. "
        "Veateade on lisatud pildina.\n\nJüri Õunapuu",
        [("veateade.png", "image")],
        {},
    ),
]

SCANS = [
    (3, "skann_0931.pdf", ["Harjumaa Kaubandus AS", "Avaldus", "Palun kustutada ettevõtte"]),
    (0, "skann_1012.pdf", ["Tallinna Ringkonnakohus", "Kohtumäärus", "Teatame, et"]),
]


def _pdf(text: str) -> bytes:
    from core.pdf import html_to_pdf

    lines = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return html_to_pdf(f"<html><body>{lines}</body></html>")


def _image(lines: list[str], *, kind: str = "PDF") -> bytes:
    """A page as a scanner makes it: pixels only (the OCR reads it when it is registered)."""
    from django.conf import settings
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf"), 36)
    for index, line in enumerate(lines):
        draw.text((120, 160 + index * 70), line, fill="black", font=font)
    out = io.BytesIO()
    page.save(out, kind, resolution=150)
    return out.getvalue()


def _message(index: int, when: datetime, row) -> bytes:
    _days, _hour, name, address, subject, text, files, extra = row
    message = EmailMessage()
    message["From"] = f"{name} <{address}>"
    message["To"] = "info@kantselei.example.ee"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(idstring=f"demo{index}", domain=address.split("@")[1])
    for header, value in extra.items():
        message[header] = value
    message.set_content(text)
    for filename, content in files:
        if filename.endswith(".pdf"):
            message.add_attachment(
                _pdf(content), maintype="application", subtype="pdf", filename=filename
            )
        elif filename.endswith(".png"):
            message.add_attachment(
                _image(["Viga 0x31: sertifikaat ei kehti"], kind="PNG"),
                maintype="image",
                subtype="png",
                filename=filename,
            )
        else:  # a .zip the register does not take: it waits in quarantine
            message.add_attachment(
                b"PK\x05\x06" + b"\x00" * 18,
                maintype="application",
                subtype="zip",
                filename=filename,
            )
    return bytes(message)


def seed_inbox() -> int:
    """A week of mail and scans in the registration inbox (nothing when it has items)."""
    from core.intake import services as intake

    if InboxItem.objects.exists():
        return 0
    today = timezone.localdate()
    mailbox = intake.mailbox("registry", "registry")
    scanner = intake.mailbox("scanner", "registry")
    for index, row in enumerate(MESSAGES, start=1):
        hour, minute = (int(part) for part in row[1].split(":"))
        when = timezone.make_aware(
            datetime.combine(today - timedelta(days=row[0]), time(hour, minute))
        )
        message, _created = intake.keep(
            mailbox=mailbox, raw=_message(index, when, row), source="imap", uid=index, uidvalidity=1
        )
        _arrived(message, when + timedelta(minutes=2))
    for days, name, lines in SCANS:
        when = timezone.make_aware(datetime.combine(today - timedelta(days=days), time(9, 30)))
        message, _created = intake.keep(
            mailbox=scanner, raw=_image(lines), source="drop", name=name, sent_at=when
        )
        _arrived(message, when)
    return InboxItem.objects.count()


def _arrived(message, moment: datetime) -> None:
    """Seeded now, but arrived over the past week: the times the clerk's list shows."""
    from core.intake.models import InboundMessage

    InboundMessage.objects.filter(pk=message.pk).update(kept_at=moment)
    InboxItem.objects.filter(message=message).update(received_at=moment)
