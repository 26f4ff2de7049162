"""The demo register's businesses and entries, with believable Estonian names, registry codes and
places."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from core.models import Event
from mtr.demo.words import AREA_WORDS, NAME_SUFFIXES, PLACES, STREETS
from mtr.models import ActivityArea

ENTRY_COUNT = 200


def _registry_codes(rng, count: int) -> list[str]:
    from core.validators import check_digit

    codes: set[str] = set()
    while len(codes) < count:
        digits = f"1{rng.randint(0, 9_999_999):07d}"[:7]
        codes.add(digits + str(check_digit(digits)))
    return sorted(codes)


def _address(rng) -> str:
    street, town, postcode = rng.choice(STREETS)
    return f"{street} {rng.randint(1, 60)}, {postcode} {town}"


def _businesses(rng, areas) -> dict[int, list]:
    """Businesses whose names fit their area (``{area pk: [Business, …]}``); the same names and
    registry codes on every run, so the entries and the applications share them."""
    import random

    from mtr.models import Business

    fixed = random.Random(1991)  # noqa: S311 - demo data, not security
    wanted = {}
    for area in sorted(areas, key=lambda a: a.code):
        words = AREA_WORDS.get(area.code, ["Teenused"])
        names = [f"{place} {word}" for place in PLACES for word in words]
        fixed.shuffle(names)
        wanted[area.pk] = names[:16]
    count = sum(len(names) for names in wanted.values())
    codes = iter(_registry_codes(fixed, count))
    rows, by_area = [], {}
    for area_pk, names in wanted.items():
        by_area[area_pk] = []
        for index, stem in enumerate(names):
            code = next(codes)
            slug = stem.lower().replace(" ", "")
            for letter, plain in zip("õäöüš", "oaous", strict=True):
                slug = slug.replace(letter, plain)
            rows.append(
                Business(
                    registry_code=code,
                    name=f"{stem} {NAME_SUFFIXES[index % len(NAME_SUFFIXES)]}",
                    address=_address(fixed),
                    email=f"info@{slug}.example.ee",
                    phone=f"+372 5{fixed.randint(100_0000, 999_9999)}",
                )
            )
            by_area[area_pk].append(code)
    Business.objects.bulk_create(rows, ignore_conflicts=True)
    known = Business.objects.in_bulk(
        [row.registry_code for row in rows], field_name="registry_code"
    )
    return {pk: [known[code] for code in codes_] for pk, codes_ in by_area.items()}


def _data_for(rng, area) -> dict:
    data = {}
    for field in area.extra_fields or []:
        if field.get("type") == "number":
            data[field["key"]] = rng.randint(2, 80)
        elif field.get("type") == "bool":
            data[field["key"]] = rng.random() < 0.5
        else:
            data[field["key"]] = "Jah"
    return data


def seed_entries(rng=None) -> int:
    """Entries moved over from the old register (once: nothing when entries exist)."""
    import random

    from django.utils import timezone

    from core import events
    from mtr.models import Entry
    from mtr.services.entries import _entry_number

    if Entry.objects.exists():
        return 0
    rng = rng or random.Random(5)  # noqa: S311 - demo data, not security
    areas = list(ActivityArea.objects.all())
    businesses = _businesses(rng, areas)
    today = timezone.localdate()
    statuses = [Entry.Status.VALID] * 16 + [Entry.Status.SUSPENDED, Entry.Status.INVALID] * 2
    made = 0
    with transaction.atomic():
        for _index in range(ENTRY_COUNT):
            area = rng.choice(areas)
            status = rng.choice(statuses)
            valid_from = today - timedelta(days=rng.randint(60, 2500))
            entry = Entry.objects.create(
                number=_entry_number(area),
                business=rng.choice(businesses[area.pk]),
                area=area,
                kind=area.kind,
                addresses=[_address(rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))],
                data=_data_for(rng, area),
                status=status,
                valid_from=valid_from,
                valid_to=valid_from + timedelta(days=rng.randint(30, 50))
                if status == Entry.Status.INVALID
                else None,
                status_reason={
                    Entry.Status.SUSPENDED: "Vastutuskindlustus on lõppenud.",
                    Entry.Status.INVALID: "Tegevus lõpetatud ettevõtja taotlusel.",
                }.get(status, ""),
            )
            events.record(actor=None, obj=entry, verb=Event.Verb.REGISTERED, data={"moved": True})
            made += 1
    return made
