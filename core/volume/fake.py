"""Believable generated content: office-hour moments over working days, Estonian identifiers,
names, addresses, titles and text with some Russian, one real PDF for many rows."""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

from core import calendar

# --- Dates --------------------------------------------------------------------------------------

TZ = ZoneInfo(settings.TIME_ZONE)
FIRST_DAY = date(2017, 1, 2)  # the generated register starts on the first working day of 2017


class Days:
    """Days from ``first`` to ``last`` weighted as an office works: a working day 1, a Saturday
    or Sunday or public holiday ``off`` (e-mail and web forms still arrive)."""

    def __init__(self, first: date, last: date, *, off: float = 0.06):
        self.days: list[date] = []
        cumulative: list[float] = []
        total = 0.0
        day = first
        while day <= last:
            total += 1.0 if calendar.is_working_day(day) else off
            self.days.append(day)
            cumulative.append(total)
            day += timedelta(days=1)
        self.cumulative = cumulative
        self.total = total

    def sample(self, rng: random.Random, count: int) -> list[date]:
        return rng.choices(self.days, cum_weights=self.cumulative, k=count)

    def one(self, rng: random.Random) -> date:
        return self.days[bisect.bisect_left(self.cumulative, rng.random() * self.total)]


@lru_cache(maxsize=8192)
def registration_day(day: date) -> date:
    return calendar.registration_day(day)


@lru_cache(maxsize=8192)
def add_working_days(day: date, days: int) -> date:
    return calendar.add_working_days(day, days)


def moment(rng: random.Random, day: date, *, start: int = 8, end: int = 17) -> datetime:
    """An aware moment in office hours of ``day`` (local time)."""
    seconds = rng.randrange(start * 3600, end * 3600)
    return datetime.combine(day, time(seconds // 3600, seconds // 60 % 60, seconds % 60), TZ)


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


# --- Estonian identifiers -----------------------------------------------------------------------

_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 1)
_W2 = (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)


def _check_digit(digits: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(digits, _W1, strict=False)) % 11
    if remainder == 10:
        remainder = sum(int(d) * w for d, w in zip(digits, _W2, strict=False)) % 11
    return str(0 if remainder == 10 else remainder)


def registry_codes(rng: random.Random, count: int, *, prefixes: str = "1", taken=()) -> list[str]:
    """``count`` distinct valid 8-digit registry codes starting with one of ``prefixes``
    (1 companies, 7 state agencies, 8 non-profits), none of ``taken``."""
    taken = set(taken)
    result: list[str] = []
    while len(result) < count:
        body = rng.choice(prefixes) + f"{rng.randrange(10**6):06d}"
        code = body + _check_digit(body)
        if code not in taken:
            taken.add(code)
            result.append(code)
    return result


def personal_code(rng: random.Random, born: date) -> str:
    """A valid personal code (isikukood) of someone born on ``born``."""
    century = 3 if born.year < 2000 else 5
    body = f"{century + rng.randrange(2)}{born:%y%m%d}{rng.randrange(1000):03d}"
    return body + _check_digit(body)


# --- Words --------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Mari Jaan Liis Andres Kadri Toomas Kristi Margus Piret Tõnu Katrin Urmas Triin Ülle Madis "
    "Merike Rein Kaja Priit Helen Siim Eve Indrek Anu Tiit Kersti Aivar Reet Jüri Maarja Mart "
    "Ene Peeter Sirje Raivo Ülo Õnne Kätlin Märt Hannes Getter Rasmus Karmen Kaspar Grete Ott "
    "Anneli Erki Liina Vello Epp Heiki Elo Tarmo Signe Meelis Maire Lauri Kärt Jaanus Õie"
)
RUSSIAN_FIRST_NAMES = _words(
    "Sergei Olga Aleksandr Natalja Dmitri Jelena Andrei Tatjana Igor Irina"
)
LAST_NAMES = _words(
    "Tamm Saar Sepp Mägi Kask Kukk Rebane Ilves Pärn Koppel Lepik Kuusk Karu Lill Oja Kivi "
    "Vaher Põder Luik Raudsepp Kallas Jõgi Teder Mets Laur Kõiv Paju Ojasoo Männik Särg "
    "Rätsep Kruus Org Toom Nõmm Aavik Leppik Järv Tuisk Vaino Sild Pihlak Hunt Kangur Lõhmus"
)
RUSSIAN_LAST_NAMES = _words("Ivanov Smirnova Petrov Kuznetsova Volkov Sokolova Popov Lebedev")
TOWNS = (
    ("Tallinn", "10"),
    ("Tartu", "51"),
    ("Pärnu", "80"),
    ("Narva", "20"),
    ("Kohtla-Järve", "30"),
    ("Viljandi", "71"),
    ("Rakvere", "44"),
    ("Kuressaare", "93"),
    ("Haapsalu", "90"),
    ("Jõhvi", "41"),
    ("Võru", "65"),
    ("Paide", "72"),
    ("Valga", "68"),
    ("Rapla", "79"),
)
STREETS = (
    *("Pikk", "Lai", "Rüütli", "Tartu mnt", "Narva mnt", "Pärnu mnt", "Aia", "Kooli", "Pargi"),
    *("Jaama", "Posti", "Lossi", "Vabaduse pst", "Tallinna", "Riia", "Uus", "Vana", "Kesk"),
    *("Sadama", "Mere pst", "Karja", "Kalda", "Turu", "Veski", "Metsa", "Nurme", "Männi", "Kase"),
)
COMPANY_WORDS = _words(
    "Põhja Lõuna Ida Lääne Mere Metsa Kivi Tamme Kase Päikese Ranna Järve Saare Küla Linna "
    "Vahtra Kalju Valge Roheline Sinine Kuldne Hõbe Tähe Laine Tuule Ranniku Oru Mäe Silla"
)
COMPANY_TRADES = _words(
    "Ehitus Majutus Toitlustus Kaubandus Transport Logistika Tehnika Energia Puit Aed Pagarid "
    "Reisid Hotell Kohvik Tarkvara Konsult Kinnisvara Trükikoda Autoteenindus Ilusalong Apteek "
    "Hooldus Puhastus Turvateenused Kütus Kala Piim Õlu Vein Mööbel Elekter Sidetehnika"
)
AGENCIES = (
    "Linnavalitsus",
    "Vallavalitsus",
    "Maavalitsus",
    "Päästeameti büroo",
    "Politsei- ja Piirivalveameti prefektuur",
    "Keskkonnaameti regioon",
    "Terviseameti regionaalosakond",
    "Töötukassa osakond",
    "Maksu- ja Tolliameti teenindusbüroo",
)
SUBJECTS = (
    "hanke",
    "tegevusloa",
    "majandustegevusteate",
    "järelevalvemenetluse",
    "ehitusloa",
    "kinnistu",
    "lepingu",
    "arve",
    "eelarve",
    "koolituse",
    "andmekaitse",
    "e-teeninduse",
    "alkoholi jaemüügi",
    "majutusteenuse",
    "toitlustamise",
    "registri andmete",
    "isikuandmete",
    "inventuuri",
    "infosüsteemi",
    "juurdepääsuõiguse",
    "parkimise",
    "jäätmeveo",
    "teehoolduse",
    "välireklaami",
)
TEXT_WORDS = _words(
    "lugupeetud ametnik palun vaadata läbi meie pöördumine seoses registri andmetega asutus "
    "otsus taotlus vastus kiri tähtaeg lisatud dokument nõuetekohaselt esitatud seadus määrus "
    "majandustegevus tegevusluba ettevõtja juhatuse liige kinnitame allkirjastatud digitaalselt "
    "vastavalt avaliku teabe seaduse paragrahvile teabenõue menetlus järelevalve ettekirjutus "
    "aruanne eelarve hange pakkumus leping lisa volikiri isikuandmed kaitse kontaktisik telefon "
    "e-post aadress kohaliku omavalitsuse üksus vallavalitsus linnavalitsus ministeerium amet "
    "tänavavalgustus parkla koolimaja lasteaed raamatukogu spordihoone ehitustööd "
    "lugupidamisega nõunik spetsialist juhataja osakond teenistus menetleja lahendus selgitus"
)
# Words that office text holds now and then, not in every file: a search for one of them
# ("õunapuu", the benchmark's rare word) finds a few hundred or thousand documents, as in a real
# register, where the common words above are in nearly every file.
RARE_WORDS = _words("õunapuu jääkelder sõudekanal tuuleveski kiviaed")
RARE_RATE = 1 / 4000  # of the words of a paragraph
RUSSIAN_WORDS = _words(
    "уважаемые просим рассмотреть заявление разрешение предприятие решение срок документ "
    "приложение договор ответ письмо адрес с уважением директор учреждение информация"
)


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return f"{rng.choice(RUSSIAN_FIRST_NAMES)} {rng.choice(RUSSIAN_LAST_NAMES)}"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def company_name(rng: random.Random) -> str:
    form = rng.choice(("OÜ", "OÜ", "OÜ", "AS", "MTÜ"))
    name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_TRADES)}"
    if form == "AS" and rng.random() < 0.5:
        return f"AS {name}"
    return f"{name} {form}"


def agency_name(rng: random.Random) -> str:
    town = rng.choice(TOWNS)[0]
    stem = town[:-1] + "a" if town.endswith("n") else town
    return f"{stem} {rng.choice(AGENCIES)}"


def address(rng: random.Random) -> str:
    town, postal = rng.choice(TOWNS)
    return f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {postal}{rng.randint(100, 999)} {town}"


def slug(text: str) -> str:
    table = str.maketrans("õäöüšžÕÄÖÜŠŽ ", "oaouszOAOUSZ.")
    return "".join(c for c in text.translate(table).lower() if c.isalnum() or c == ".")


def paragraph(rng: random.Random, words: int, *, russian: float = 0.05) -> str:
    """Believable office text: Estonian words in sentences, now and then a Russian one."""
    out: list[str] = []
    sentence = 0
    for _ in range(words):
        chance = rng.random()
        if chance < RARE_RATE:
            word = rng.choice(RARE_WORDS)
        else:
            word = rng.choice(RUSSIAN_WORDS if chance < russian else TEXT_WORDS)
        if sentence == 0:
            word = word.capitalize()
        sentence += 1
        if sentence > 6 and rng.random() < 0.15:
            word += "."
            sentence = 0
        out.append(word)
    return " ".join(out) + "."


def scaled(default: int, scale: float) -> int:
    return max(1, round(default * scale)) if default else 0


def split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` divided by ``weights`` into whole numbers that add up to ``total``."""
    whole = sum(weights)
    counts = [int(total * w / whole) for w in weights]
    for index in range(total - sum(counts)):
        counts[index % len(counts)] += 1
    return counts


# --- One real file for many rows ----------------------------------------------------------------


def sample_pdf(title: str) -> bytes:
    """A small valid one-page PDF with ``title`` in it (ASCII only: the built-in Helvetica)."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def store_file(folder: str, data: bytes) -> str:
    """Store ``data`` once through the storage API; the name many generated rows point at."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from core.uploads import storage_name

    return default_storage.save(storage_name(folder), ContentFile(data))
