"""Generated parties: companies and agencies with registry codes, private persons with personal
codes, all distinct from the codes already in the register."""

from __future__ import annotations

import random
from datetime import date, timedelta

from core import volume
from registry.models import Party
from registry.search import IndexParty


def make_parties(
    count: int, rng: random.Random
) -> tuple[dict[str, list[int]], dict[int, IndexParty]]:
    """Companies with registry codes, private persons with personal codes, agencies; returns
    ids by kind ("company", "person", "agency"), the demo's own parties included, and what the
    search vectors of a document read of each party (by id)."""
    taken = set(Party.objects.exclude(code="").values_list("code", flat=True))
    companies, people, agencies = volume.split(count, [55, 35, 10])
    company_codes = volume.registry_codes(rng, companies, prefixes="11111128", taken=taken)
    agency_codes = volume.registry_codes(rng, agencies, prefixes="7", taken=taken)
    first = volume.reserve_ids(Party, count)
    ids: dict[str, list[int]] = {"company": [], "person": [], "agency": []}
    texts: dict[int, IndexParty] = {}
    for pk, name, code, email, private in Party.objects.values_list(
        "pk", "name", "code", "email", "is_private_person"
    ):
        ids["person" if private else "company"].append(pk)
        texts[pk] = IndexParty(name, code, email, private)
    days = volume.Days(volume.FIRST_DAY - timedelta(days=700), volume.today())
    columns = ["id", "is_private_person", "name", "code", "address", "email", "phone", "created"]
    with volume.Copy(Party, columns) as copy:
        pk = first
        for index in range(count):
            created = volume.moment(rng, days.one(rng))
            if index < companies:
                kind, name, code = "company", volume.company_name(rng), company_codes[index]
                email = f"info@{volume.slug(name)[:30]}.ee"
            elif index < companies + people:
                kind, name = "person", volume.person_name(rng)
                born = date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
                code = volume.personal_code(rng, born)
                while code in taken:
                    code = volume.personal_code(rng, born)
                taken.add(code)
                email = f"{volume.slug(name)}{rng.randint(1, 999)}@example.ee"
            else:
                kind, name = "agency", volume.agency_name(rng)
                code = agency_codes[index - companies - people]
                email = f"info@{volume.slug(name.split()[0])}.ee"
            phone = f"+372 5{rng.randint(1000000, 9999999)}" if rng.random() < 0.6 else ""
            copy.write(
                (pk, kind == "person", name, code, volume.address(rng), email, phone, created)
            )
            ids[kind].append(pk)
            texts[pk] = IndexParty(name, code, email, kind == "person")
            pk += 1
    return ids, texts
