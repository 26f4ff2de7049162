# ruff: noqa: E501 - raw message text is kept as the clients write it
"""Writes the hand-made messages of the intake corpus (see README.md): ``python make.py``.

Each message imitates what the named client really sends (its header set, boundaries, encodings);
the files inside are real files of their kind, made here. Run again only to change the corpus:
the written files are committed and ``test_corpus.py`` reads those, not this script.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import quopri
import zipfile
from pathlib import Path

HERE = Path(__file__).parent


def b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def qp(text: str, charset: str) -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def pdf(title: str = "Taotlus") -> bytes:
    body = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def image(kind: str = "PNG", size=(40, 30), color=(30, 90, 160)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind)
    return out.getvalue()


def heic() -> bytes:  # the box header of an iPhone HEIC photo, then filler
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(range(256)) * 8


def docx(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
            f'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return out.getvalue()


def zip_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("lisa/selgitus.txt", "Selgitus taotluse juurde.\n")
    return out.getvalue()


def exe() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
    )


def write(name: str, text: str, *, extra: bytes = b"") -> None:
    data = text.lstrip("\n").replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8") + extra
    (HERE / name).write_bytes(data)


def write_bytes(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


ICS = b"BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nSUMMARY:Arutelu\nDTSTART:20261210T100000Z\nEND:VEVENT\nEND:VCALENDAR\n"
IPHONE_TEXT = "Avaldus on pildil.\n\nSaadetud minu iPhone’ist"
OUR_ID = "<kantselei.email.4711.9f2c1e@kantselei.example.ee>"


def outlook() -> None:
    write(
        "outlook_related_inline_image.eml",
        f"""
Received: from EXCH01.asutus.ee (10.0.0.5) by EXCH02.asutus.ee (10.0.0.6) with Microsoft SMTP
 Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384) id 15.1.2507.39;
 Tue, 1 Dec 2026 09:12:44 +0200
From: =?iso-8859-1?Q?J=FCri_Tamm?= <Juri.Tamm@asutus.ee>
To: "info@kantselei.example.ee" <info@kantselei.example.ee>
Subject: Taotlus: ehitusloa lisad
Thread-Topic: Taotlus: ehitusloa lisad
Thread-Index: AdnKx1f3YQ0Y0JmHQlyGjZ6kQZ5mWw==
Date: Tue, 1 Dec 2026 07:12:43 +0000
Message-ID: <AM0PR07MB4417C1F3E0B1A2D3E4F5A6B7C8D9AM0PR07MB4417.eurprd07.prod.outlook.com>
Accept-Language: et-EE, en-US
Content-Language: et-EE
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator:
x-originating-ip: [10.0.0.23]
Content-Type: multipart/mixed;
	boundary="_005_AM0PR07MB4417C1F3E0B1A2D3E4F5_"
MIME-Version: 1.0

--_005_AM0PR07MB4417C1F3E0B1A2D3E4F5_
Content-Type: multipart/related;
	boundary="_004_AM0PR07MB4417C1F3E0B1A2D3E4F5_";
	type="multipart/alternative"

--_004_AM0PR07MB4417C1F3E0B1A2D3E4F5_
Content-Type: multipart/alternative;
	boundary="_000_AM0PR07MB4417C1F3E0B1A2D3E4F5_"

--_000_AM0PR07MB4417C1F3E0B1A2D3E4F5_
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

{
            qp(
                '''Tere!

Saadan ehitusloa taotluse lisad. Palun registreerige taotlus.

Lugupidamisega
Jüri Tamm

From: Kantselei <info@kantselei.example.ee>
Sent: Monday, November 30, 2026 3:00 PM
To: Jüri Tamm <Juri.Tamm@asutus.ee>
Subject: Puuduvad lisad

Palun saatke puuduvad lisad hiljemalt reedeks.
''',
                "iso-8859-1",
            )
        }
--_000_AM0PR07MB4417C1F3E0B1A2D3E4F5_
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

{
            qp(
                '''<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<style><!-- p.MsoNormal {margin:0cm;} --></style></head>
<body lang="ET"><div class="WordSection1"><p class="MsoNormal">Tere!</p>
<p class="MsoNormal">Saadan ehitusloa taotluse lisad. Palun registreerige taotlus.</p>
<p class="MsoNormal"><img width="40" height="30" id="Picture_x0020_1" src="cid:image001.png@01DA2B3C.4D5E6F70"></p>
<p class="MsoNormal">Lugupidamisega<br>Jüri Tamm</p>
<div><div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal"><b>From:</b> Kantselei
&lt;info@kantselei.example.ee&gt;<br><b>Sent:</b> Monday, November 30, 2026 3:00 PM<br><b>Subject:</b> Puuduvad lisad</p>
</div></div><p class="MsoNormal">Palun saatke puuduvad lisad hiljemalt reedeks.</p></div></body></html>
''',
                "iso-8859-1",
            )
        }
--_000_AM0PR07MB4417C1F3E0B1A2D3E4F5_--

--_004_AM0PR07MB4417C1F3E0B1A2D3E4F5_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"; size=120;
	creation-date="Tue, 01 Dec 2026 07:12:43 GMT";
	modification-date="Tue, 01 Dec 2026 07:12:43 GMT"
Content-ID: <image001.png@01DA2B3C.4D5E6F70>
Content-Transfer-Encoding: base64

{b64(image("PNG"))}

--_004_AM0PR07MB4417C1F3E0B1A2D3E4F5_--

--_005_AM0PR07MB4417C1F3E0B1A2D3E4F5_
Content-Type: application/pdf; name="Ehitusloa taotlus.pdf"
Content-Description: Ehitusloa taotlus.pdf
Content-Disposition: attachment; filename="Ehitusloa taotlus.pdf"; size=700;
	creation-date="Tue, 01 Dec 2026 07:11:00 GMT";
	modification-date="Tue, 01 Dec 2026 07:11:00 GMT"
Content-Transfer-Encoding: base64

{b64(pdf("Ehitusloa taotlus"))}

--_005_AM0PR07MB4417C1F3E0B1A2D3E4F5_--
""",
    )

    for name, tnef, body in [
        ("outlook_winmail_two_files.eml", "two-files.tnef", "Failid on lisatud winmail.dat kujul."),
        ("outlook_winmail_umlaut.eml", "umlaut.tnef", ""),
        ("outlook_winmail_body_only.eml", "body.tnef", ""),
    ]:
        data = (HERE / "tnef" / tnef).read_bytes()
        plain = (
            f"""--_000_DB6PR0701MB2-
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

{body}

"""
            if body
            else ""
        )
        write(
            name,
            f"""
Received: from mail.firma.ee (192.0.2.10) by mx.kantselei.example.ee; Wed, 2 Dec 2026 10:01:00 +0200
From: "Mari Maasikas" <mari@firma.ee>
To: <info@kantselei.example.ee>
Subject: Dokumendid (winmail)
Date: Wed, 2 Dec 2026 10:00:58 +0200
Message-ID: <000001d9a1b2$3c4d5e60$6f7a8b9c@firma.ee>
MIME-Version: 1.0
X-Mailer: Microsoft Outlook 14.0
Thread-Index: AdmhsjxNXmBvept7fJ1p
Content-Language: et
X-MS-TNEF-Correlator: 00000000A1B2C3D4E5F6
Content-Type: multipart/mixed; boundary="_000_DB6PR0701MB2-"

{plain}--_000_DB6PR0701MB2-
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

{b64(data)}

--_000_DB6PR0701MB2---
""",
        )

    write(
        "outlook_et_reply_saatja.eml",
        f"""
From: Kati Kask <kati.kask@vald.ee>
To: "Kantselei" <info@kantselei.example.ee>
Subject: =?utf-8?B?VlM6IFRlYXRpcyBuciA3LTEvMTIz?=
Date: Thu, 3 Dec 2026 11:30:05 +0200
Message-ID: <VI1PR02MB5CAF12AB34CD56EF@VI1PR02MB5.eurprd02.prod.outlook.com>
In-Reply-To: {OUR_ID}
References: {OUR_ID}
Content-Language: et-EE
X-MS-Has-Attach:
X-Auto-Response-Suppress: All
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{
            b64(
                '''Tere,

kinnitame teatise kättesaamist ja vastame kahe nädala jooksul.

Kati Kask
vallasekretär

________________________________
Saatja: Kantselei <info@kantselei.example.ee>
Saadetud: kolmapäev, 2. detsember 2026 16:20
Adressaat: Kati Kask <kati.kask@vald.ee>
Teema: Teatis nr 7-1/123

Lugupeetud vallasekretär, edastame teatise ülevaatamiseks.
'''.encode()
            )
        }
""",
    )

    write(
        "outlook_original_message_en.eml",
        """
From: "Peeter Pärn" <peeter@ettevote.ee>
To: info@kantselei.example.ee
Subject: RE: Question about the permit
Date: Fri, 4 Dec 2026 08:05:00 +0200
Message-ID: <001a01d9ff00$aa11bb22$cc33dd44@ettevote.ee>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: 8bit
X-Mailer: Microsoft Outlook 16.0

Thank you, the deadline suits us.

Peeter

-----Original Message-----
From: Kantselei [mailto:info@kantselei.example.ee]
Sent: Thursday, December 3, 2026 2:00 PM
To: Peeter <peeter@ettevote.ee>
Subject: Question about the permit

Please confirm the inspection deadline.
""",
    )

    write(
        "outlook_forward_fw.eml",
        """
From: "Anu Allik" <anu.allik@ministeerium.ee>
To: info@kantselei.example.ee
Subject: FW: Kodaniku pöördumine
Date: Fri, 4 Dec 2026 09:10:00 +0200
Message-ID: <DB7PR01MB4F1A2B3C4D5E6F7@DB7PR01MB4.eurprd01.prod.outlook.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
Content-Language: et-EE

Edastan teile vastamiseks.

From: Toomas Tuul <toomas.tuul@gmail.com>
Sent: Thursday, December 3, 2026 21:14
To: Ministeerium <info@ministeerium.ee>
Subject: Kodaniku pöördumine

Tere! Minu naaber ehitab kuuri otse kraavi kaldale. Kas selleks on luba vaja?
Toomas
""",
    )

    write(
        "outlook_calendar_invite.eml",
        f"""
From: Kalle Kuusk <kalle@asutus.ee>
To: info@kantselei.example.ee
Subject: Koosolek: dokumendihalduse arutelu
Date: Fri, 4 Dec 2026 10:00:00 +0200
Message-ID: <PR3PR01MB61AB@PR3PR01MB6.eurprd01.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_PR3PR01MB61AB_"
X-Auto-Response-Suppress: All

--_000_PR3PR01MB61AB_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Arutame dokumendihalduse muudatusi.

--_000_PR3PR01MB61AB_
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 8bit

<html><body><p>Arutame dokumendihalduse muudatusi.</p></body></html>

--_000_PR3PR01MB61AB_
Content-Type: text/calendar; charset="utf-8"; method=REQUEST
Content-Transfer-Encoding: base64

{b64(ICS)}

--_000_PR3PR01MB61AB_--
""",
    )


def gmail() -> None:
    write(
        "gmail_reply_alternative.eml",
        f"""
MIME-Version: 1.0
Date: Sat, 5 Dec 2026 12:01:33 +0200
References: {OUR_ID}
In-Reply-To: {OUR_ID}
Message-ID: <CAF3k+ZP7Qw1xN8mV4yHt_9Lq2ZrS0@mail.gmail.com>
Subject: Re: Your request KT-2026-00012
From: Liis Lepp <liis.lepp@gmail.com>
To: Kantselei <info@kantselei.example.ee>
Content-Type: multipart/alternative; boundary="0000000000004b9a2e0621a3f1c2"

--0000000000004b9a2e0621a3f1c2
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{
            qp(
                '''The password works again, thank you!

On Fri, Dec 4, 2026 at 4:15=E2=80=AFPM Kantselei <info@kantselei.example.ee> wrote:
> Please try to log in again.
>
> Kantselei
''',
                "utf-8",
            ).replace("=3DE2=3D80=3DAF", "=E2=80=AF")
        }
--0000000000004b9a2e0621a3f1c2
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">The password works again, thank you!</div><br><div class=3D"gmail_quote"><div dir=3D"ltr" class=3D"gmail_attr">On Fri, Dec 4, 2026 at 4:15 PM Kantselei &lt;<a href=3D"mailto:info@kantselei.example.ee">info@kantselei.example.ee</a>&gt; wrote:<br></div><blockquote class=3D"gmail_quote">Please try to log in again.<br>Kantselei</blockquote></div>

--0000000000004b9a2e0621a3f1c2--
""",
    )

    write(
        "gmail_attachments_rfc2047_names.eml",
        f"""
MIME-Version: 1.0
Date: Sat, 5 Dec 2026 13:20:00 +0200
Message-ID: <CAB1c2d3E4f5G6h7_i8J9k0Lm@mail.gmail.com>
Subject: =?UTF-8?Q?=C3=9C=C3=BCrilepingu_=C3=B5iend_ja_lisad?=
From: =?UTF-8?Q?=C3=95ie_=C3=84mmik?= <oie.ammik@gmail.com>
To: info@kantselei.example.ee
Content-Type: multipart/mixed; boundary="000000000000c1d2e30621a3f1ff"

--000000000000c1d2e30621a3f1ff
Content-Type: multipart/alternative; boundary="000000000000c1d2de0621a3f1fd"

--000000000000c1d2de0621a3f1fd
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

{b64("Tere! Saadan üürilepingu õiendi ja allkirjastatud lisa. Õie".encode())}

--000000000000c1d2de0621a3f1fd
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: base64

{b64('<div dir="ltr">Tere! Saadan üürilepingu õiendi ja allkirjastatud lisa. Õie</div>'.encode())}

--000000000000c1d2de0621a3f1fd--
--000000000000c1d2e30621a3f1ff
Content-Type: application/pdf; name="=?UTF-8?B?w5VpZW5kX8O8w7xyaWxlcGluZy5wZGY=?="
Content-Disposition: attachment; filename="=?UTF-8?B?w5VpZW5kX8O8w7xyaWxlcGluZy5wZGY=?="
Content-Transfer-Encoding: base64
X-Attachment-Id: f_lq1a2b3c0
Content-ID: <f_lq1a2b3c0>

{b64(pdf("Oiend"))}
--000000000000c1d2e30621a3f1ff
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
	name="=?UTF-8?Q?Lisa_=E2=84=962_=C5=A1ablooni_j=C3=A4rgi=2Edocx?="
Content-Disposition: attachment;
	filename="=?UTF-8?Q?Lisa_=E2=84=962_=C5=A1ablooni_j=C3=A4rgi=2Edocx?="
Content-Transfer-Encoding: base64
X-Attachment-Id: f_lq1a2b3c1

{b64(docx("Lisa 2"))}
--000000000000c1d2e30621a3f1ff--
""",
    )

    write(
        "gmail_et_kirjutas.eml",
        """
MIME-Version: 1.0
Date: Sat, 5 Dec 2026 14:00:00 +0200
Message-ID: <CAH9x8Y7z6W5v4U3t2S1r0Qp@mail.gmail.com>
In-Reply-To: <kantselei.email.88.aa11bb@kantselei.example.ee>
Subject: Re: Teie pöördumine on registreeritud
From: Rein Raud <rein.raud@gmail.com>
To: info@kantselei.example.ee
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Lisan veel, et aadress on Pikk 12, Tartu.

Kontakti Kantselei (<info@kantselei.example.ee>) kirjutas kuupäeval R, 4. dets 2026
kell 10:00:
> Teie pöördumine on registreeritud numbriga 7-2/45.
""",
    )

    write(
        "gmail_forward_inline.eml",
        """
MIME-Version: 1.0
Date: Sat, 5 Dec 2026 15:00:00 +0200
Message-ID: <CAJ1forward0inline1@mail.gmail.com>
Subject: Fwd: Kaebus prügiveo kohta
From: Tiina Tamm <tiina.tamm@gmail.com>
To: info@kantselei.example.ee
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Edastan ema kirja.

---------- Forwarded message ---------
From: Helgi Tamm <helgi@mail.ee>
Date: Fri, Dec 4, 2026 at 8:00 PM
Subject: Kaebus prügiveo kohta
To: Tiina Tamm <tiina.tamm@gmail.com>

Prügiauto ei ole kolm nädalat käinud, konteiner on ületäis.
""",
    )

    write(
        "gmail_vacation_responder.eml",
        f"""
MIME-Version: 1.0
Date: Sat, 5 Dec 2026 16:00:00 +0200
Message-ID: <CAvacation0reply0@mail.gmail.com>
In-Reply-To: {OUR_ID}
References: {OUR_ID}
Subject: Re: Your request KT-2026-00013
From: Marko Mets <marko.mets@gmail.com>
To: info@kantselei.example.ee
Auto-Submitted: auto-replied
Precedence: bulk
X-Autoreply: yes
Content-Type: text/plain; charset="UTF-8"

Olen puhkusel kuni 14. detsembrini. I am on holiday until 14 December.
""",
    )


def thunderbird() -> None:
    long_ru = "Заявление о выдаче разрешения на строительство.pdf"
    encoded = "".join(
        f"%{b:02X}" if b > 127 or chr(b) in " %'*" else chr(b) for b in long_ru.encode()
    )
    half = len(encoded) // 2
    while encoded[half - 1] == "%" or encoded[half - 2] == "%":
        half += 1
    write(
        "thunderbird_rfc2231_names.eml",
        f"""
Message-ID: <5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b@mail.ee>
Date: Sat, 5 Dec 2026 17:00:00 +0200
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: ru
To: info@kantselei.example.ee
From: Ivan Petrov <ivan.petrov@mail.ee>
Subject: =?UTF-8?B?0JfQsNGP0LLQu9C10L3QuNC1INC4INGB0YXQtdC80LA=?=
Content-Type: multipart/mixed; boundary="------------8Ywz0dE1fG2hI3jK4lM5nO6p"

This is a multi-part message in MIME format.
--------------8Ywz0dE1fG2hI3jK4lM5nO6p
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Здравствуйте! Прилагаю заявление и схему участка.

--------------8Ywz0dE1fG2hI3jK4lM5nO6p
Content-Type: application/pdf; name*0*=UTF-8''{encoded[:half]};
 name*1*={encoded[half:]}
Content-Disposition: attachment; filename*0*=UTF-8''{encoded[:half]};
 filename*1*={encoded[half:]}
Content-Transfer-Encoding: base64

{b64(pdf("Zajavlenie"))}
--------------8Ywz0dE1fG2hI3jK4lM5nO6p
Content-Type: image/png; name="=?UTF-8?B?c2NoZW1hX8O1dWUucG5n?="
Content-Disposition: attachment; filename*=UTF-8''skeem_%C3%B5ue_%C5%A1%C5%BE.png
Content-Transfer-Encoding: base64

{b64(image("PNG", (60, 40), (200, 10, 10)))}

--------------8Ywz0dE1fG2hI3jK4lM5nO6p--
""",
    )

    write(
        "thunderbird_ru_reply.eml",
        """
Message-ID: <a1b2c3d4-0000-4000-8000-ru0reply@yandex.ru>
Date: Sat, 5 Dec 2026 18:00:00 +0300
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: ru
To: info@kantselei.example.ee
From: =?UTF-8?B?0JDQvdC90LAg0KHQvNC40YDQvdC+0LLQsA==?= <anna.smirnova@yandex.ru>
Subject: Re: =?UTF-8?B?0JLQsNGIINC30LDQv9GA0L7RgQ==?=
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Спасибо, документы получила.

04.12.2026 12:00, Kantselei пишет:
> Ваш запрос зарегистрирован.
""",
    )

    write(
        "mailru_reply_napisal.eml",
        """
Message-ID: <1733400000.123456789@f123.i.mail.ru>
Date: Sat, 5 Dec 2026 19:00:00 +0300
MIME-Version: 1.0
X-Mailer: Mail.Ru Mailer 1.0
From: =?UTF-8?B?0J/RkdGC0YAg0JjQstCw0L3QvtCy?= <petr.ivanov@mail.ru>
To: info@kantselei.example.ee
Subject: =?UTF-8?B?UmU6INCX0LDQv9GA0L7RgQ==?=
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Прошу продлить срок ответа до конца месяца.

Пятница, 4 декабря 2026, 10:00 +02:00 от Kantselei <info@kantselei.example.ee>:
Kantselei написал(а):
> Срок ответа 10 дней.
""",
    )


def iphone() -> None:
    write(
        "iphone_heic_jpeg_inline.eml",
        f"""
Content-Type: multipart/mixed; boundary=Apple-Mail-4E5F6A7B-8C9D-0E1F-2A3B-4C5D6E7F8A9B
Content-Transfer-Encoding: 7bit
From: Kristjan Kask <kristjan.kask@icloud.com>
Mime-Version: 1.0 (1.0)
Date: Sat, 5 Dec 2026 20:11:09 +0200
Subject: Fotod kahjustusest
Message-Id: <8D9E0F1A-2B3C-4D5E-6F7A-8B9C0D1E2F3A@icloud.com>
To: info@kantselei.example.ee
X-Mailer: iPhone Mail (22B91)


--Apple-Mail-4E5F6A7B-8C9D-0E1F-2A3B-4C5D6E7F8A9B
Content-Type: text/plain;
	charset=utf-8
Content-Transfer-Encoding: quoted-printable

{qp("Tere, saadan fotod tormikahjustusest.", "utf-8")}
--Apple-Mail-4E5F6A7B-8C9D-0E1F-2A3B-4C5D6E7F8A9B
Content-Type: image/heic;
	name=IMG_0421.HEIC;
	x-apple-part-url=1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D
Content-Disposition: inline;
	filename=IMG_0421.HEIC
Content-Transfer-Encoding: base64

{b64(heic())}
--Apple-Mail-4E5F6A7B-8C9D-0E1F-2A3B-4C5D6E7F8A9B
Content-Type: image/jpeg;
	name=IMG_0422.jpeg;
	x-apple-part-url=2B3C4D5E-6F7A-8B9C-0D1E-2F3A4B5C6D7E
Content-Disposition: inline;
	filename=IMG_0422.jpeg
Content-Transfer-Encoding: base64

{b64(image("JPEG", (64, 48), (10, 120, 40)))}
--Apple-Mail-4E5F6A7B-8C9D-0E1F-2A3B-4C5D6E7F8A9B
Content-Type: text/plain;
	charset=us-ascii
Content-Transfer-Encoding: 7bit



Sent from my iPhone
--Apple-Mail-4E5F6A7B-8C9D-0E1F-2A3B-4C5D6E7F8A9B--
""",
    )

    write(
        "iphone_alternative_related.eml",
        f"""
Content-Type: multipart/alternative; boundary=Apple-Mail-1111AAAA-2222-3333-4444-555566667777
Content-Transfer-Encoding: 7bit
From: Kristi Kuusk <kristi@me.com>
Mime-Version: 1.0 (1.0)
Date: Sat, 5 Dec 2026 20:30:00 +0200
Subject: Avaldus
Message-Id: <A1A1A1A1-B2B2-C3C3-D4D4-E5E5E5E5E5E5@me.com>
To: info@kantselei.example.ee
X-Mailer: iPhone Mail (22B91)


--Apple-Mail-1111AAAA-2222-3333-4444-555566667777
Content-Type: text/plain;
	charset=utf-8
Content-Transfer-Encoding: quoted-printable

{qp(IPHONE_TEXT, "utf-8")}
--Apple-Mail-1111AAAA-2222-3333-4444-555566667777
Content-Type: multipart/related;
	type="text/html";
	boundary=Apple-Mail-8888BBBB-9999-0000-1111-222233334444
Content-Transfer-Encoding: 7bit


--Apple-Mail-8888BBBB-9999-0000-1111-222233334444
Content-Type: text/html;
	charset=utf-8
Content-Transfer-Encoding: quoted-printable

{qp('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto">Avaldus on pildil.<img src="cid:9F8E7D6C-5B4A-3928-1706-F5E4D3C2B1A0" alt="image0.jpeg"><br><br><div>Saadetud minu iPhone’ist</div></body></html>', "utf-8")}
--Apple-Mail-8888BBBB-9999-0000-1111-222233334444
Content-Type: image/jpeg;
	name=image0.jpeg;
	x-apple-part-url=9F8E7D6C-5B4A-3928-1706-F5E4D3C2B1A0
Content-Disposition: inline;
	filename=image0.jpeg
Content-Id: <9F8E7D6C-5B4A-3928-1706-F5E4D3C2B1A0>
Content-Transfer-Encoding: base64

{b64(image("JPEG", (48, 64), (240, 240, 240)))}
--Apple-Mail-8888BBBB-9999-0000-1111-222233334444--

--Apple-Mail-1111AAAA-2222-3333-4444-555566667777--
""",
    )


def forwarded() -> None:
    inner = f"""From: Helle Hein <helle.hein@gmail.com>
To: Vald <info@vald.ee>
Subject: =?UTF-8?Q?Teerajatise_taotlus?=
Date: Mon, 30 Nov 2026 08:00:00 +0200
Message-ID: <CAinner0helle@mail.gmail.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner-boundary-77"

--inner-boundary-77
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Palun luba rajada mahasõit Kuuse teelt. Kinnistu plaan on lisatud.

--inner-boundary-77
Content-Type: application/pdf; name="kinnistu_plaan.pdf"
Content-Disposition: attachment; filename="kinnistu_plaan.pdf"
Content-Transfer-Encoding: base64

{b64(pdf("Kinnistu plaan"))}
--inner-boundary-77--
"""
    write(
        "forwarded_as_attachment.eml",
        f"""
From: Vallavalitsus <info@vald.ee>
To: info@kantselei.example.ee
Subject: Edastame: Teerajatise taotlus
Date: Tue, 1 Dec 2026 10:00:00 +0200
Message-ID: <fwd-as-attachment-1@vald.ee>
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Type: multipart/mixed; boundary="outer-boundary-11"

--outer-boundary-11
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Edastame teile pädevuse järgi.

--outer-boundary-11
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Teerajatise taotlus.eml"

{inner}
--outer-boundary-11--
""",
    )

    deeper = f"""From: Vallavalitsus <info@vald.ee>
To: maavalitsus@example.ee
Subject: Fwd: Teerajatise taotlus
Date: Tue, 1 Dec 2026 09:00:00 +0200
Message-ID: <fwd-level-1@vald.ee>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="level1-boundary"

--level1-boundary
Content-Type: text/plain; charset=UTF-8

Edastan.

--level1-boundary
Content-Type: message/rfc822

{inner}
--level1-boundary--
"""
    write(
        "forwarded_nested_twice.eml",
        f"""
From: Maavalitsus <maavalitsus@example.ee>
To: info@kantselei.example.ee
Subject: Fwd: Fwd: Teerajatise taotlus
Date: Tue, 1 Dec 2026 11:00:00 +0200
Message-ID: <fwd-level-2@example.ee>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="level2-boundary"

--level2-boundary
Content-Type: text/plain; charset=UTF-8

Teile teadmiseks.

--level2-boundary
Content-Type: message/rfc822

{deeper}
--level2-boundary--
""",
    )


def smime() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mart Mägi")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(20261205)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name("mart.magi@eesti.ee")]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    content = (
        b'Content-Type: multipart/mixed; boundary="signed-inner"\r\n\r\n'
        b"--signed-inner\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        + "Allkirjastatud kiri: palun väljastage tõend.\r\n".encode()
        + b'\r\n--signed-inner\r\nContent-Type: application/pdf; name="toend.pdf"\r\n'
        b'Content-Disposition: attachment; filename="toend.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + b64(pdf("Toend")).replace("\n", "\r\n").encode()
        + b"\r\n--signed-inner--\r\n"
    )
    signed = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
    )
    headers = (
        b"From: =?UTF-8?Q?Mart_M=C3=A4gi?= <mart.magi@eesti.ee>\r\n"
        b"To: info@kantselei.example.ee\r\n"
        b"Subject: Allkirjastatud taotlus\r\n"
        b"Date: Wed, 2 Dec 2026 12:00:00 +0200\r\n"
        b"Message-ID: <smime-signed-1@eesti.ee>\r\n"
        b"User-Agent: Mozilla Thunderbird\r\n"
    )
    write_bytes("smime_signed.eml", headers + signed)

    opaque = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [])
    )
    headers = (
        b"From: =?UTF-8?Q?Mart_M=C3=A4gi?= <mart.magi@eesti.ee>\r\n"
        b"To: info@kantselei.example.ee\r\n"
        b"Subject: Allkirjastatud taotlus (Outlook)\r\n"
        b"Date: Wed, 2 Dec 2026 12:02:00 +0200\r\n"
        b"Message-ID: <smime-opaque-1@eesti.ee>\r\n"
        b"X-Mailer: Microsoft Outlook 16.0\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\n'
        b'Content-Disposition: attachment; filename="smime.p7m"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
    )
    write_bytes("smime_opaque_signed.eml", headers + b64(opaque).encode() + b"\n")

    envelope = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(b"Content-Type: text/plain\r\n\r\nSalajane sisu.\r\n")
        .add_recipient(cert)
        .encrypt(serialization.Encoding.SMIME, [])
    )
    headers = (
        b"From: =?UTF-8?Q?Mart_M=C3=A4gi?= <mart.magi@eesti.ee>\r\n"
        b"To: info@kantselei.example.ee\r\n"
        b"Subject: Krypteeritud kiri\r\n"
        b"Date: Wed, 2 Dec 2026 12:05:00 +0200\r\n"
        b"Message-ID: <smime-encrypted-1@eesti.ee>\r\n"
    )
    write_bytes("smime_encrypted.eml", headers + envelope)


def ours(subject: str = "Teie taotlus on registreeritud") -> str:
    return f"""Return-Path: <kantselei@kantselei.example.ee>
Content-Type: text/plain; charset="utf-8"
MIME-Version: 1.0
Content-Transfer-Encoding: 8bit
Subject: {subject}
From: Kantselei <kantselei@kantselei.example.ee>
To: olematu@firma.ee
Date: Mon, 30 Nov 2026 10:00:00 +0200
Message-ID: {OUR_ID}
Auto-Submitted: auto-generated

Tere! Teie taotlus on registreeritud.
"""


def bounces() -> None:
    write(
        "dsn_postfix.eml",
        f"""
Return-Path: <>
Received: by mx.kantselei.example.ee (Postfix) id 4F1A2B3C4D; Mon, 30 Nov 2026 10:00:05 +0200 (EET)
Date: Mon, 30 Nov 2026 10:00:05 +0200 (EET)
From: MAILER-DAEMON@kantselei.example.ee (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: kantselei@kantselei.example.ee
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4F1A2B3C4D.1764489605/mx.kantselei.example.ee"
Content-Transfer-Encoding: 8bit
Message-Id: <20261130080005.5E6F7A8B9C@mx.kantselei.example.ee>

This is a MIME-encapsulated message.

--4F1A2B3C4D.1764489605/mx.kantselei.example.ee
Content-Description: Notification
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

This is the mail system at host mx.kantselei.example.ee.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<olematu@firma.ee>: host mx.firma.ee[192.0.2.25] said: 550 5.1.1
    <olematu@firma.ee>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

--4F1A2B3C4D.1764489605/mx.kantselei.example.ee
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.kantselei.example.ee
X-Postfix-Queue-ID: 4F1A2B3C4D
X-Postfix-Sender: rfc822; kantselei@kantselei.example.ee
Arrival-Date: Mon, 30 Nov 2026 10:00:04 +0200 (EET)

Final-Recipient: rfc822; olematu@firma.ee
Original-Recipient: rfc822;olematu@firma.ee
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.firma.ee
Diagnostic-Code: smtp; 550 5.1.1 <olematu@firma.ee>: Recipient address rejected:
    User unknown

--4F1A2B3C4D.1764489605/mx.kantselei.example.ee
Content-Description: Undelivered Message
Content-Type: message/rfc822
Content-Transfer-Encoding: 8bit

{ours()}
--4F1A2B3C4D.1764489605/mx.kantselei.example.ee--
""",
    )

    write(
        "dsn_postfix_headers_only.eml",
        f"""
Return-Path: <>
Date: Mon, 30 Nov 2026 10:02:00 +0200 (EET)
From: MAILER-DAEMON@mx.kantselei.example.ee (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: kantselei@kantselei.example.ee
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="AB12CD34EF.1764489720/mx.kantselei.example.ee"
Message-Id: <20261130080200.AB12CD34EF@mx.kantselei.example.ee>

--AB12CD34EF.1764489720/mx.kantselei.example.ee
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

<taisnimi@postkast.ee>: host mx.postkast.ee[192.0.2.30] said: 552 5.2.2
    Mailbox full (in reply to end of DATA command)

--AB12CD34EF.1764489720/mx.kantselei.example.ee
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.kantselei.example.ee

Final-Recipient: rfc822; taisnimi@postkast.ee
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

--AB12CD34EF.1764489720/mx.kantselei.example.ee
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{ours().split(chr(10) + chr(10))[0].replace("olematu@firma.ee", "taisnimi@postkast.ee")}

--AB12CD34EF.1764489720/mx.kantselei.example.ee--
""",
    )

    write(
        "dsn_exchange_ndr.eml",
        f"""
From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@asutus.ee>
To: <kantselei@kantselei.example.ee>
Date: Mon, 30 Nov 2026 08:00:10 +0000
Content-Type: multipart/report; report-type=delivery-status;
	boundary="45e3b1c2-aaaa-bbbb-cccc-ddddeeeeffff"
X-MS-Exchange-Message-Is-Ndr:
Content-Language: en-US
Message-ID: <8a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d@VI1PR07MB1234.eurprd07.prod.outlook.com>
In-Reply-To: {OUR_ID}
References: {OUR_ID}
Subject: Undeliverable: Teie taotlus on registreeritud
Auto-Submitted: auto-replied
X-MS-Exchange-Generated-Message-Source: DSN
MIME-Version: 1.0

--45e3b1c2-aaaa-bbbb-cccc-ddddeeeeffff
Content-Type: multipart/alternative;
	boundary="56f4c2d3-1111-2222-3333-444455556666"

--56f4c2d3-1111-2222-3333-444455556666
Content-Type: text/plain; charset="us-ascii"

Your message to vale.aadress@asutus.ee couldn't be delivered.
vale.aadress wasn't found at asutus.ee.

--56f4c2d3-1111-2222-3333-444455556666
Content-Type: text/html; charset="us-ascii"

<html><head><style>p {{ color: red }}</style></head><body><p>Your message to
<a href="mailto:vale.aadress@asutus.ee">vale.aadress@asutus.ee</a> couldn't be delivered.</p>
<p>vale.aadress wasn't found at asutus.ee.</p></body></html>

--56f4c2d3-1111-2222-3333-444455556666--

--45e3b1c2-aaaa-bbbb-cccc-ddddeeeeffff
Content-Type: message/delivery-status

Reporting-MTA: dns;VI1PR07MB1234.eurprd07.prod.outlook.com
Received-From-MTA: dns;mx.kantselei.example.ee
Arrival-Date: Mon, 30 Nov 2026 08:00:08 +0000

Original-Recipient: rfc822;vale.aadress@asutus.ee
Final-Recipient: rfc822;vale.aadress@asutus.ee
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

--45e3b1c2-aaaa-bbbb-cccc-ddddeeeeffff
Content-Type: message/rfc822

{ours().replace("olematu@firma.ee", "vale.aadress@asutus.ee")}
--45e3b1c2-aaaa-bbbb-cccc-ddddeeeeffff--
""",
    )

    write(
        "dsn_gmail.eml",
        f"""
Return-Path: <>
Received: by 2002:a05:6000:1a8c:b0:33d:4b5c:1234 with SMTP id id-12345; Mon, 30 Nov 2026 00:01:00 -0800 (PST)
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: kantselei@kantselei.example.ee
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
References: {OUR_ID}
In-Reply-To: {OUR_ID}
X-Failed-Recipients: ei.ole.olemas@gmail.com
Message-ID: <656a7b8c.050a0220.1234.5678.GMR@mx.google.com>
Date: Mon, 30 Nov 2026 00:01:00 -0800 (PST)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="00000000000022334455667788"; report-type=delivery-status

--00000000000022334455667788
Content-Type: multipart/related; boundary="0000000000002233445566778899"

--0000000000002233445566778899
Content-Type: multipart/alternative; boundary="00000000000022334455667788aa"

--00000000000022334455667788aa
Content-Type: text/plain; charset="UTF-8"

** Address not found **

Your message wasn't delivered to ei.ole.olemas@gmail.com because the address couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.

--00000000000022334455667788aa
Content-Type: text/html; charset="UTF-8"

<html><body><h1>Address not found</h1><p>Your message wasn't delivered to <b>ei.ole.olemas@gmail.com</b>.</p></body></html>

--00000000000022334455667788aa--
--0000000000002233445566778899
Content-Type: image/png; name="icon.png"
Content-Disposition: attachment; filename="icon.png"
Content-Transfer-Encoding: base64
Content-ID: <icon.png>

{b64(image("PNG", (16, 16), (220, 50, 50)))}
--0000000000002233445566778899--
--00000000000022334455667788
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; kantselei.example.ee
Arrival-Date: Mon, 30 Nov 2026 00:00:59 -0800 (PST)

Final-Recipient: rfc822; ei.ole.olemas@gmail.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.

--00000000000022334455667788
Content-Type: message/rfc822

{ours().replace("olematu@firma.ee", "ei.ole.olemas@gmail.com")}
--00000000000022334455667788--
""",
    )

    write(
        "bounce_qmail_failure_notice.eml",
        f"""
Return-Path: <>
Date: 30 Nov 2026 08:10:00 -0000
From: MAILER-DAEMON@mail.vana-server.ee
To: kantselei@kantselei.example.ee
Subject: failure notice
Message-ID: <qmail-bounce-1@mail.vana-server.ee>

Hi. This is the qmail-send program at mail.vana-server.ee.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<kadunud@vana-server.ee>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

{ours().replace("olematu@firma.ee", "kadunud@vana-server.ee")}""",
    )


def automatic() -> None:
    write(
        "ooo_exchange_automatic_reply.eml",
        f"""
From: Tiit Tali <tiit.tali@asutus.ee>
To: Kantselei <kantselei@kantselei.example.ee>
Subject: Automatic reply: Teie taotlus on registreeritud
Thread-Topic: Teie taotlus on registreeritud
Date: Mon, 30 Nov 2026 08:00:30 +0000
Message-ID: <ooo0ab12cd34@VI1PR07MB5555.eurprd07.prod.outlook.com>
In-Reply-To: {OUR_ID}
References: {OUR_ID}
Content-Language: et-EE
X-MS-Has-Attach:
X-MS-Exchange-Inbox-Rules-Loop: tiit.tali@asutus.ee
X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
MIME-Version: 1.0

Olen puhkusel kuni 7. detsembrini. Kiireloomulistes küsimustes pöörduge palun info@asutus.ee.
""",
    )

    write(
        "ooo_subject_only_et.eml",
        f"""
From: Mati Mänd <mati@omavalitsus.ee>
To: kantselei@kantselei.example.ee
Subject: Automaatne vastus: Teie taotlus on registreeritud
Date: Mon, 30 Nov 2026 10:05:00 +0200
Message-ID: <ooo-subject-only@omavalitsus.ee>
In-Reply-To: {OUR_ID}
X-Auto-Response-Suppress: All
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Olen koolitusel, vastan esmaspäeval.
""",
    )

    write(
        "ooo_ru_subject.eml",
        f"""
From: {word("Сергей Козлов", "koi8-r")} <sergei.kozlov@firma.ru>
To: kantselei@kantselei.example.ee
Subject: {word("Автоматический ответ: Коммунальное дело", "koi8-r")}
Date: Mon, 30 Nov 2026 11:00:00 +0300
Message-ID: <ooo-ru-1@firma.ru>
MIME-Version: 1.0
Content-Type: text/plain; charset="koi8-r"
Content-Transfer-Encoding: 8bit

""",
        extra="Я в отпуске до 10 декабря.\r\n".encode("koi8-r"),
    )

    write(
        "autoreply_x_autoreply_yandex.eml",
        """
From: robot@firma.ru
To: kantselei@kantselei.example.ee
Subject: Re: Your request
Date: Mon, 30 Nov 2026 11:30:00 +0300
Message-ID: <autoreply-yandex-1@firma.ru>
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Ваше письмо получено и будет рассмотрено.
""",
    )

    write(
        "mailing_list_digest.eml",
        """
From: Riigihangete uudiskiri <uudised@hanked.example.ee>
To: info@kantselei.example.ee
Subject: [hanked] Uued hanked 49. nädal
Date: Mon, 30 Nov 2026 06:00:00 +0200
Message-ID: <list-digest-49@hanked.example.ee>
List-Id: Riigihanked <hanked.lists.example.ee>
List-Unsubscribe: <mailto:hanked-leave@lists.example.ee>
List-Post: <mailto:hanked@lists.example.ee>
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Uued hanked sel nädalal: kontorimööbel, koristusteenus.
""",
    )

    write(
        "newsletter_html_only.eml",
        """
From: "Uudiskiri" <news@pood.example.com>
To: info@kantselei.example.ee
Subject: Jõulupakkumised!
Date: Mon, 30 Nov 2026 07:00:00 +0200
Message-ID: <newsletter-2026-12@pood.example.com>
List-Unsubscribe: <https://pood.example.com/unsubscribe?u=123>, <mailto:unsubscribe@pood.example.com>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 8bit

<!DOCTYPE html><html><head><title>Uudiskiri</title><style>body { font-family: Arial; } .hidden { display:none }</style>
<script>document.write("tracking");</script></head>
<body><h1>Jõulupakkumised</h1><p>Kõik kingid <b>-30%</b> kuni 24.12.</p>
<ul><li>Raamatud</li><li>Mänguasjad</li></ul>
<p><a href="https://pood.example.com/pakkumised">Vaata pakkumisi</a></p>
<img src="https://pood.example.com/pixel.gif" width="1" height="1" alt=""></body></html>
""",
    )

    write(
        "noreply_notification.eml",
        """
From: Riigi infosüsteem <no-reply@ria.example.ee>
To: info@kantselei.example.ee
Subject: Teile on saabunud dokument
Date: Mon, 30 Nov 2026 09:00:00 +0200
Message-ID: <noreply-notice-1@ria.example.ee>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Teile on saabunud uus dokument. Palun logige sisse, et seda vaadata.
""",
    )

    write(
        "read_receipt_mdn.eml",
        f"""
From: Kaja Kivi <kaja.kivi@asutus.ee>
To: kantselei@kantselei.example.ee
Subject: Loetud: Teie taotlus on registreeritud
Date: Mon, 30 Nov 2026 12:00:00 +0200
Message-ID: <mdn-1@asutus.ee>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn-boundary"

--mdn-boundary
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Teie sõnum on loetud.

--mdn-boundary
Content-Type: message/disposition-notification

Reporting-UA: asutus.ee; Microsoft Exchange Server
Final-Recipient: rfc822;kaja.kivi@asutus.ee
Original-Message-ID: {OUR_ID}
Disposition: automatic-action/MDN-sent-automatically; displayed

--mdn-boundary--
""",
    )


def encodings() -> None:
    ru = "Здравствуйте! Прошу выдать справку о регистрации по месту жительства. С уважением, Ольга Волкова"
    head = """From: Olga Volkova <olga.volkova@mail.ee>
To: info@kantselei.example.ee
Subject: {subject}
Date: Tue, 1 Dec 2026 12:00:00 +0200
Message-ID: <{mid}@mail.ee>
MIME-Version: 1.0
Content-Type: text/plain; charset="{charset}"
Content-Transfer-Encoding: 8bit

"""
    write(
        "ru_cp1251_8bit.eml",
        head.format(
            subject=word("Справка", "windows-1251"), mid="ru-cp1251", charset="windows-1251"
        ),
        extra=ru.encode("cp1251") + b"\r\n",
    )
    write(
        "ru_koi8r_declared_ascii.eml",
        head.format(subject="Spravka", mid="ru-koi8-ascii", charset="us-ascii"),
        extra=ru.encode("koi8-r") + b"\r\n",
    )
    write(
        "ru_cp1251_unknown_8bit.eml",
        head.format(subject="Spravka", mid="ru-unknown8bit", charset="unknown-8bit"),
        extra=ru.encode("cp1251") + b"\r\n",
    )
    et = "Tere! Palun väljastage õiend šahti ja žalusiide kohta. Lugupidamisega, Õnne Ülikool"
    write(
        "et_iso8859_15_qp.eml",
        f"""
From: =?ISO-8859-15?Q?=D5nne_=DClikool?= <onne@ylikool.example.ee>
To: info@kantselei.example.ee
Subject: =?ISO-8859-15?Q?=D5iend_=A8ahti_kohta?=
Date: Tue, 1 Dec 2026 13:00:00 +0200
Message-ID: <et-iso885915@ylikool.example.ee>
MIME-Version: 1.0
Content-Type: text/plain; charset="ISO-8859-15"
Content-Transfer-Encoding: quoted-printable

{qp(et, "iso-8859-15")}
""",
    )
    write(
        "et_cp1257_base64.eml",
        f"""
From: "Urmas Õunapuu" <urmas@firma.ee>
To: info@kantselei.example.ee
Subject: =?windows-1257?Q?=DE=FCri_=F0abloon?=
Date: Tue, 1 Dec 2026 14:00:00 +0200
Message-ID: <et-cp1257@firma.ee>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1257"
Content-Transfer-Encoding: base64

{b64(et.encode("cp1257"))}
""",
    )
    write(
        "eight_bit_headers.eml",
        "",
        extra=(
            "From: Jüri Õunapuu <juri@firma.ee>\r\n"
            "To: info@kantselei.example.ee\r\n"
            "Subject: Küsimus: õigusabi ja žürii\r\n"
            "Date: Tue, 1 Dec 2026 15:00:00 +0200\r\n"
            "Message-ID: <eight-bit-headers@firma.ee>\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="8bit-b"\r\n\r\n'
            "--8bit-b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            "Küsimus õigusabi kohta.\r\n"
            '--8bit-b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="õiend.pdf"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        + b64(pdf("Oiend")).replace("\n", "\r\n").encode()
        + b"\r\n--8bit-b--\r\n",
    )


def broken() -> None:
    good = b64(pdf("Katkine"))
    write(
        "broken_no_end_boundary_bad_base64.eml",
        f"""
From: Katkine Klient <klient@example.ee>
To: info@kantselei.example.ee
Subject: Katkine kiri
Date: Tue, 1 Dec 2026 16:00:00 +0200
Message-ID: <broken-1@example.ee>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="katkine"

--katkine
Content-Type: text/plain; charset=utf-8

Lisatud on kaks faili, teine on katki.

--katkine
Content-Type: application/pdf; name="terve.pdf"
Content-Disposition: attachment; filename="terve.pdf"
Content-Transfer-Encoding: base64

{good}

--katkine
Content-Type: application/pdf; name="katki.pdf"
Content-Disposition: attachment; filename="katki.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJeLjz9MK!!!this is not base64 at all ###
MSAwIG9iago8PCAvVHlwZSAv
""",
    )
    write(
        "broken_no_boundary_parameter.eml",
        f"""
From: Vana Postiklient <vana@example.ee>
To: info@kantselei.example.ee
Subject: Piirajata kiri
Date: Tue, 1 Dec 2026 16:30:00 +0200
Message-ID: <broken-2@example.ee>
MIME-Version: 1.0
Content-Type: multipart/mixed

--==piir==
Content-Type: text/plain; charset=utf-8

Kiri ilma piiraja parameetrita.

--==piir==
Content-Type: application/pdf; name="lisa.pdf"
Content-Disposition: attachment; filename="lisa.pdf"
Content-Transfer-Encoding: base64

{good}

--==piir==--
""",
    )
    write(
        "no_sender_at_all.eml",
        """
To: info@kantselei.example.ee
Subject: Saatjata kiri
Date: Tue, 1 Dec 2026 17:00:00 +0200
Message-ID: <no-sender@example.ee>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Sellel kirjal pole saatjat.
""",
    )
    write(
        "html_only_blockquote_reply.eml",
        """
From: Laura Lill <laura.lill@outlook.com>
To: info@kantselei.example.ee
Subject: Re: Dokumentide esitamine
Date: Tue, 1 Dec 2026 18:00:00 +0200
Message-ID: <html-only-reply@outlook.com>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 8bit

<html><body><p>Esitan dokumendid homme.</p><style>p{color:blue}</style>
<blockquote>Palun esitage dokumendid nädala jooksul.</blockquote></body></html>
""",
    )


def files() -> None:
    long_name = ("Väga pikk failinimi " * 25).strip() + ".pdf"
    write(
        "huge_attachment_name.eml",
        f"""
From: Pikk Nimi <pikk@example.ee>
To: info@kantselei.example.ee
Subject: Pika nimega fail
Date: Wed, 2 Dec 2026 09:00:00 +0200
Message-ID: <huge-name@example.ee>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="pikk"

--pikk
Content-Type: text/plain; charset=utf-8

Fail on lisatud.

--pikk
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''{"".join(f"%{b:02X}" if b > 127 or b == 32 else chr(b) for b in long_name.encode())}
Content-Transfer-Encoding: base64

{b64(pdf("Pikk"))}
--pikk--
""",
    )
    write(
        "zip_exe_pdf.eml",
        f"""
From: Saatja <saatja@example.ee>
To: info@kantselei.example.ee
Subject: Taotlus ja lisad
Date: Wed, 2 Dec 2026 10:00:00 +0200
Message-ID: <zip-exe-pdf@example.ee>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="lisad"

--lisad
Content-Type: text/plain; charset=utf-8

Taotlus, selgitused zip-failis ja programm.

--lisad
Content-Type: application/pdf; name="taotlus.pdf"
Content-Disposition: attachment; filename="taotlus.pdf"
Content-Transfer-Encoding: base64

{b64(pdf("Taotlus"))}
--lisad
Content-Type: application/zip; name="selgitused.zip"
Content-Disposition: attachment; filename="selgitused.zip"
Content-Transfer-Encoding: base64

{b64(zip_file())}
--lisad
Content-Type: application/x-msdownload; name="arve.exe"
Content-Disposition: attachment; filename="arve.exe"
Content-Transfer-Encoding: base64

{b64(exe())}
--lisad--
""",
    )
    write(
        "pdf_as_octet_stream.eml",
        f"""
From: Skanner <skanner@asutus.ee>
To: info@kantselei.example.ee
Subject: Skaneeritud dokument
Date: Wed, 2 Dec 2026 11:00:00 +0200
Message-ID: <octet-pdf@asutus.ee>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="skanner"

--skanner
Content-Type: text/plain; charset=utf-8

Skaneeritud dokumendid.

--skanner
Content-Type: application/octet-stream; name="scan_0001.pdf"
Content-Disposition: attachment; filename="scan_0001.pdf"
Content-Transfer-Encoding: base64

{b64(pdf("Scan 1"))}
--skanner
Content-Type: application/octet-stream
Content-Disposition: attachment
Content-Transfer-Encoding: base64

{b64(pdf("Scan 2"))}
--skanner--
""",
    )


if __name__ == "__main__":
    for make in (
        outlook,
        gmail,
        thunderbird,
        iphone,
        forwarded,
        smime,
        bounces,
        automatic,
        encodings,
        broken,
        files,
    ):
        make()
