"""The areas of economic activity of the demo register: licences and notices, with their legal
bases, in three languages."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from mtr.models import ActivityArea, Kind

# code, et, en, ru, EMTAK, kind, entry prefix, fee, extra fields, attachments
AREAS = [
    (
        "majutus",
        "Majutamine",
        "Accommodation",
        "Размещение",
        "55101",
        Kind.NOTICE,
        "HMR",
        None,
        [("rooms", "Tubade arv", "Number of rooms", "Число номеров", "number", True)],
        [],
    ),
    (
        "alkoholi-jaemuuk",
        "Alkohoolse joogi jaemüük",
        "Retail of alcoholic beverages",
        "Розничная продажа алкогольных напитков",
        "47251",
        Kind.NOTICE,
        "KTO",
        None,
        [],
        [],
    ),
    (
        "tubakatoodete-jaemuuk",
        "Tubakatoodete jaemüük",
        "Retail of tobacco products",
        "Розничная продажа табачных изделий",
        "47261",
        Kind.NOTICE,
        "KTO",
        None,
        [],
        [],
    ),
    (
        "toitlustamine",
        "Toitlustamine",
        "Catering",
        "Общественное питание",
        "56101",
        Kind.NOTICE,
        "TOI",
        None,
        [("seats", "Kohtade arv", "Number of seats", "Число мест", "number", False)],
        [],
    ),
    (
        "turvateenus",
        "Turvateenus",
        "Security services",
        "Охранные услуги",
        "80101",
        Kind.LICENCE,
        "TTE",
        Decimal("384.00"),
        [
            (
                "staff",
                "Turvatöötajate arv",
                "Number of security staff",
                "Число охранников",
                "number",
                True,
            )
        ],
        [
            (
                "insurance",
                "Vastutuskindlustuse leping",
                "Liability insurance contract",
                "Договор страхования ответственности",
            )
        ],
    ),
    (
        "eradetektiiv",
        "Eradetektiivi teenus",
        "Private detective services",
        "Услуги частного детектива",
        "80301",
        Kind.LICENCE,
        "EDT",
        Decimal("192.00"),
        [],
        [
            (
                "certificate",
                "Kutsetunnistus",
                "Professional certificate",
                "Свидетельство о квалификации",
            )
        ],
    ),
    (
        "jaatmekaitlus",
        "Ohtlike jäätmete käitlus",
        "Handling of hazardous waste",
        "Обращение с опасными отходами",
        "38221",
        Kind.LICENCE,
        "JKL",
        Decimal("300.00"),
        [],
        [("plan", "Jäätmekava", "Waste management plan", "План обращения с отходами")],
    ),
    (
        "reisikorraldus",
        "Reisiettevõtja",
        "Tour operator",
        "Туроператор",
        "79121",
        Kind.NOTICE,
        "REI",
        None,
        [],
        [("guarantee", "Tagatise dokument", "Security document", "Документ о гарантии")],
    ),
    (
        "kuttemuuk",
        "Vedelkütuse müük",
        "Sale of liquid fuel",
        "Продажа жидкого топлива",
        "47301",
        Kind.NOTICE,
        "KUT",
        None,
        [],
        [],
    ),
    (
        "hasartmang",
        "Hasartmängu korraldamine",
        "Organising games of chance",
        "Организация азартных игр",
        "92001",
        Kind.LICENCE,
        "HAS",
        Decimal("1600.00"),
        [],
        [],
    ),
]


@transaction.atomic
def seed_areas() -> int:
    created = 0
    for code, et, en, ru, emtak, kind, prefix, fee, fields, attachments in AREAS:
        _area, was_created = ActivityArea.objects.get_or_create(
            code=code,
            defaults={
                "name_et": et,
                "name_en": en,
                "name_ru": ru,
                "emtak_code": emtak,
                "kind": kind,
                "number_prefix": prefix,
                "fee": fee,
                "extra_fields": [
                    {
                        "key": k,
                        "label_et": le,
                        "label_en": la,
                        "label_ru": lr,
                        "type": t,
                        "required": r,
                    }
                    for k, le, la, lr, t, r in fields
                ],
                "required_attachments": [
                    {"key": k, "label_et": le, "label_en": la, "label_ru": lr}
                    for k, le, la, lr in attachments
                ],
            },
        )
        created += was_created
    return created
