"""What the generated documents are made of: series and their document types with weights, titles,
organisations, carriers, channels, reasons of closing and of withholding a file, and the helpers
that pick them."""

from __future__ import annotations

import random

from core import volume
from registry.models import (
    Channel,
    DocumentType,
)

T = DocumentType


# Share of the register's documents per series code (restricted series are small), and the
# types each series receives. A series the demo does not know gets weight 1 and letters.
SERIES_WEIGHTS = {
    "1-1": 1.5, "1-2": 17, "1-3": 9, "1-4": 4, "1-5": 3, "1-6": 1, "2-1": 0.8, "2-2": 2,
    "3-1": 10, "3-2": 0.7, "3-3": 3, "3-4": 1, "4-1": 12, "4-2": 10, "4-3": 1.2, "4-4": 3,
    "5-1": 12, "5-2": 0.8, "6-1": 1, "6-2": 0.5, "6-3": 0.4, "6-4": 0.3, "7-1": 4, "7-2": 0.8,
}  # fmt: skip


SERIES_TYPES = {
    "1-1": [T.OTHER],
    "1-2": [T.LETTER, T.LETTER, T.EMAIL],
    "1-3": [T.INFORMATION_REQUEST],
    "1-4": [T.MEMORANDUM, T.REQUEST_FOR_EXPLANATION],
    "1-5": [T.CONTRACT],
    "1-6": [T.OTHER],
    "2-1": [T.OTHER],
    "2-2": [T.LETTER, T.INVOICE],
    "3-1": [T.INVOICE],
    "3-2": [T.OTHER],
    "3-3": [T.LETTER, T.CONTRACT],
    "3-4": [T.OTHER],
    "4-1": [T.APPLICATION, T.APPLICATION, T.LETTER],
    "4-2": [T.APPLICATION],
    "4-3": [T.LETTER, T.REQUEST_FOR_EXPLANATION],
    "4-4": [T.OTHER],
    "5-1": [T.EMAIL, T.EMAIL, T.LETTER],
    "5-2": [T.LETTER, T.MEMORANDUM],
    "6-1": [T.OTHER],
    "6-2": [T.OTHER],
    "6-3": [T.APPLICATION, T.LETTER],
    "6-4": [T.EMAIL, T.LETTER],
    "7-1": [T.PARCEL],
    "7-2": [T.OTHER],
}


#: Series whose documents the agency itself makes (orders, acts, decisions): outgoing.
OWN_SERIES = {"1-1", "3-2", "3-4", "4-4", "6-1", "6-2", "7-2"}


ORGANISATIONS_GENITIVE = (
    "Tallinna Linnavalitsuse", "Tartu Linnavalitsuse", "Pärnu Linnavalitsuse",
    "Narva Linnavalitsuse", "Harku Vallavalitsuse", "Saue Vallavalitsuse",
    "Maksu- ja Tolliameti", "Keskkonnaameti", "Päästeameti", "Transpordiameti", "Terviseameti",
    "Rahandusministeeriumi", "Sotsiaalministeeriumi", "Haridus- ja Teadusministeeriumi",
)  # fmt: skip


TITLES = {
    T.INFORMATION_REQUEST: ("Teabenõue {org} {subject} kohta", "Teabenõue: {subject} dokumendid"),
    T.LETTER: (
        "Kiri {subject} kohta",
        "Päring {subject} kohta",
        "Ettepanek {subject} osas",
        "Arvamus {subject} eelnõu kohta",
        "Teade {subject} muutmisest",
        "Kutse {subject} teemalisele ümarlauale",
    ),
    T.EMAIL: ("E-kiri: küsimus {subject} kohta", "E-kiri: {subject} tähtaeg"),
    T.MEMORANDUM: ("Märgukiri {subject} kohta", "Märgukiri {org} tegevuse kohta"),
    T.REQUEST_FOR_EXPLANATION: ("Selgitustaotlus {subject} kohta",),
    T.APPLICATION: (
        "Tegevusloa taotlus: {trade}",
        "Majandustegevusteade: {trade}",
        "Taotlus {subject} muutmiseks",
    ),
    T.INVOICE: ("Arve nr {n}: {trade}", "Arve {n} – {subject} teenus"),
    T.CONTRACT: ("Leping {subject} kohta", "Lisaleping nr {n} {subject} kohta"),
    T.PARCEL: ("Pakk: trükised", "Pakk: allkirjastatud lepingud", "Pakk: seadmed", "Pakk: {trade}"),
    T.OTHER: (
        "Käskkiri {subject} kohta",
        "Protokoll nr {n}: {subject} koosolek",
        "Akt {subject} kohta",
        "Otsus {subject} kohta",
    ),
}


CARRIERS = ("Omniva", "DPD", "Itella Smartpost", "Venipak", "DHL Express")


CLOSE_REASONS = (
    "Vastatud telefoni teel.",
    "Teadmiseks võetud, vastust ei vaja.",
    "Vastatud e-postiga.",
    "Küsimus lahenes kohtumisel.",
)


CHANNELS = [Channel.POST, Channel.EMAIL, Channel.DHX, Channel.WEB, Channel.HAND]


CHANNEL_WEIGHTS = [20, 40, 25, 10, 5]


#: Why a generated file is kept off the public register (the reasons clerks write).
WITHHELD_REASONS = (
    "Allkirjaga skaneering",
    "Sisaldab isikuandmeid",
    "Autoriõigusega kaitstud materjal",
    "Lisa on kolmanda isiku ärisaladus",
    "Kontrollimata skaneering",
)


def _channel(rng: random.Random, doc_type: str) -> str:
    if doc_type == T.EMAIL:
        return Channel.EMAIL
    if doc_type == T.PARCEL:
        return Channel.COURIER
    return rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]


def _title(rng: random.Random, doc_type: str) -> str:
    template = rng.choice(TITLES.get(doc_type, TITLES[T.LETTER]))
    return template.format(
        org=rng.choice(ORGANISATIONS_GENITIVE),
        subject=rng.choice(volume.SUBJECTS),
        trade=rng.choice(volume.COMPANY_TRADES).lower(),
        n=rng.randint(1, 9999),
    )


def _reference(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}-{rng.randint(1, 12)}/{rng.randint(10, 9999)}"
