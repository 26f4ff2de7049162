"""The demo register's data: the classification scheme with its restriction bases, organisations
and addresses, titles for each document type, and which series and how often each type comes."""

from __future__ import annotations

from registry.models import (
    DocumentType,
)

BASES = [
    # code, legal basis, description, sensitive personal data
    ("avts-35-1-9", "AvTS § 35 lg 1 p 9", "Riikliku järelevalve menetluse teave", False),
    ("avts-35-1-10", "AvTS § 35 lg 1 p 10", "Turvasüsteemide ja turvameetmete kirjeldus", False),
    ("avts-35-1-11", "AvTS § 35 lg 1 p 11", "Eriliiki isikuandmed", True),
    ("avts-35-1-12", "AvTS § 35 lg 1 p 12", "Eraelu puutumatust oluliselt kahjustav teave", True),
    ("avts-35-1-17", "AvTS § 35 lg 1 p 17", "Ärisaladus", False),
    ("avts-35-2-2", "AvTS § 35 lg 2 p 2", "Dokumendi kavand (asutusesiseseks kasutamiseks)", False),
    ("mks-26", "MKS § 26", "Maksusaladus", False),
]


# function code, title, [(series code, title, retention years or None = permanent, basis code)]
SCHEME = [
    (
        "1",
        "Juhtimine ja asjaajamine",
        [
            ("1-1", "Õigusaktid (käskkirjad)", None, None),
            ("1-2", "Kirjavahetus asutuste ja isikutega", 5, None),
            ("1-3", "Teabenõuded ja vastused", 5, None),
            ("1-4", "Märgukirjad ja selgitustaotlused", 5, None),
            ("1-5", "Lepingud", 10, None),
            ("1-6", "Volikirjad", 7, None),
        ],
    ),
    (
        "2",
        "Personalitöö",
        [
            ("2-1", "Personali käskkirjad", 50, "avts-35-1-12"),
            ("2-2", "Koolitus ja arendus", 5, None),
        ],
    ),
    (
        "3",
        "Finantsjuhtimine",
        [
            ("3-1", "Ostuarved", 7, None),
            ("3-2", "Eelarve ja selle täitmine", None, None),
            ("3-3", "Hanked ja hinnapakkumised", 10, None),
            ("3-4", "Vara üleandmise ja mahakandmise aktid", 10, None),
        ],
    ),
    (
        "4",
        "Majandustegevuse register",
        [
            ("4-1", "Tegevusloa taotlused", 10, None),
            ("4-2", "Majandustegevusteated", 10, None),
            ("4-3", "Riiklik järelevalve", 10, "avts-35-1-9"),
            ("4-4", "Tegevusloa otsused", None, None),
        ],
    ),
    (
        "5",
        "Klienditeenindus",
        [
            ("5-1", "Pöördumised e-teeninduse kohta", 3, None),
            ("5-2", "Kaebused ja vaided", 5, "avts-35-1-12"),
        ],
    ),
    (
        "6",
        "Vara ja infotehnoloogia",
        [
            ("6-1", "Vara üleandmise ja mahakandmise aktid", 10, None),
            ("6-2", "Inventuurid", 10, None),
            ("6-3", "IT-süsteemide juurdepääsuõigused", 5, "avts-35-1-10"),
            ("6-4", "Infoturbe intsidendid", 5, "avts-35-1-10"),
        ],
    ),
    (
        "7",
        "Postiteenus",
        [
            ("7-1", "Saadetised ja pakid", 2, None),
            ("7-2", "Postiraamatud", 2, None),
        ],
    ),
]


ORGANISATIONS = [
    ("Majandus- ja Kommunikatsiooniministeerium", "70003158"),
    ("Tarbijakaitse ja Tehnilise Järelevalve Amet", "70003218"),
    ("Maksu- ja Tolliamet", "70000349"),
    ("Tallinna Linnavalitsus", "75014913"),
    ("Tartu Linnavalitsus", "75006546"),
    ("AS Eesti Post", "10076273"),
    ("OÜ Põhjarannik Majutus", None),
    ("Saaremaa Toidukaubandus OÜ", None),
    ("AS Lõuna Kütus", None),
    ("Pärnu Rannahotell OÜ", None),
    ("MTÜ Eesti Külaliikumine", None),
    ("Narva Ehitus OÜ", None),
    ("Viljandi Pagarid AS", None),
    ("Kuressaare Reisid OÜ", None),
]


ADDRESSES = [
    "Suur-Ameerika 1, 10122 Tallinn",
    "Narva mnt 7, 10117 Tallinn",
    "Rüütli 12, 51007 Tartu",
    "Rüütli 25, 80010 Pärnu",
    "Tallinna 3, 93811 Kuressaare",
    "Lossi 31, 71004 Viljandi",
    "Peetri 5, 20308 Narva",
    "Aia 14, 41531 Jõhvi",
]


TITLES = {
    DocumentType.LETTER: [
        "Tegevusloa andmete muutmine",
        "Koostööettepanek e-teenuste arendamiseks",
        "Arvamus määruse eelnõu kohta",
        "Kutse ümarlauale majandustegevuse registri teemal",
        "Andmete parandamise taotlus",
        "Teade tegevuse lõpetamisest",
    ],
    DocumentType.INFORMATION_REQUEST: [
        "Teabenõue: majutusettevõtete tegevusload 2026",
        "Teabenõue: hangete lepingud",
        "Teabenõue: järelevalvemenetluste arv",
        "Teabenõue: asutuse IT-kulud",
        "Teabenõue: dokumendiregistri väljavõte",
    ],
    DocumentType.MEMORANDUM: [
        "Märgukiri e-teeninduse kättesaadavuse kohta",
        "Märgukiri alkoholi jaemüügi piirangute kohta",
    ],
    DocumentType.REQUEST_FOR_EXPLANATION: [
        "Selgitustaotlus majandustegevusteate esitamise kohta",
        "Selgitustaotlus tegevusloa tasu kohta",
    ],
    DocumentType.APPLICATION: [
        "Tegevusloa taotlus: majutusteenus",
        "Tegevusloa taotlus: alkohoolse joogi jaemüük",
        "Majandustegevusteade: toitlustamine",
    ],
    DocumentType.INVOICE: ["Arve: kontoritarbed", "Arve: postiteenus", "Arve: IT-tugi"],
    DocumentType.PARCEL: ["Pakk: trükised", "Pakk: allkirjastatud lepingud", "Pakk: seadmed"],
    DocumentType.EMAIL: ["E-kiri: küsimus e-teeninduse kohta", "E-kiri: parooli lähtestamine"],
}


TYPE_SERIES = {
    DocumentType.LETTER: ["1-2", "4-1", "4-2", "1-2"],
    DocumentType.INFORMATION_REQUEST: ["1-3"],
    DocumentType.MEMORANDUM: ["1-4"],
    DocumentType.REQUEST_FOR_EXPLANATION: ["1-4"],
    DocumentType.APPLICATION: ["4-1", "4-2"],
    DocumentType.INVOICE: ["3-1"],
    DocumentType.PARCEL: ["7-1"],
    DocumentType.EMAIL: ["5-1"],
}


TYPE_WEIGHTS = {
    DocumentType.LETTER: 30,
    DocumentType.INFORMATION_REQUEST: 14,
    DocumentType.MEMORANDUM: 4,
    DocumentType.REQUEST_FOR_EXPLANATION: 5,
    DocumentType.APPLICATION: 16,
    DocumentType.INVOICE: 10,
    DocumentType.PARCEL: 6,
    DocumentType.EMAIL: 15,
}
