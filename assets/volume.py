"""Generated volume of asset management (``manage.py generate_volume``): rooms, assets, handover
acts, disposals, information systems with their roles and access rights, quote requests.

Inventory numbers are ``INV-<purchase year>-nnnn`` and handover acts ``ÜA-<year>-nnnn`` from the
counters ``asset`` and ``asset-handover`` that ``assets.services`` uses, moved past the last
number written (a number already taken, e.g. by a CSV import, is skipped as the service skips
it). At most one live access right per person and role, as the database requires.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from assets.models import (
    AccessGrant,
    Asset,
    Category,
    Disposal,
    Handover,
    InformationSystem,
    Location,
    Quote,
    QuoteRequest,
    SystemRole,
)
from core import volume
from core.models import User

OPTIONS = [
    ("assets", 100_000, "assets"),
    ("handovers", 20_000, "handover acts"),
    ("rights", 5_000, "access rights to information systems"),
    ("quotes", 2_000, "quote requests (three quotes each)"),
]
MODELS = {
    Category.COMPUTER: ("Sülearvuti Lenovo ThinkPad T14", "Lauaarvuti HP EliteDesk", "MacBook Air"),
    Category.MONITOR: ("Monitor Dell P2422H", "Monitor EIZO FlexScan 27", "Monitor LG 32UN"),
    Category.PHONE: ("Telefon iPhone 15", "Telefon Samsung Galaxy A55", "Lauatelefon Yealink"),
    Category.PRINTER: ("Printer HP LaserJet M404", "Multifunktsionaalne seade Ricoh"),
    Category.FURNITURE: ("Tõstetav laud", "Töötool Kinnarps", "Dokumendikapp", "Nõupidamislaud"),
    Category.VEHICLE: ("Sõiduauto Škoda Octavia", "Kaubik Ford Transit"),
    Category.LICENCE: ("Microsoft 365 litsents", "Adobe Acrobat Pro litsents"),
    Category.OTHER: ("Projektor Epson", "Kohvimasin Jura", "Dokumendikaamera"),
}
CATEGORY_WEIGHTS = [25, 20, 15, 5, 20, 1, 8, 6]
PRICES = {
    Category.COMPUTER: (600, 2200),
    Category.MONITOR: (150, 700),
    Category.PHONE: (100, 1200),
    Category.PRINTER: (200, 3000),
    Category.FURNITURE: (80, 900),
    Category.VEHICLE: (18000, 45000),
    Category.LICENCE: (60, 600),
    Category.OTHER: (50, 1500),
}
SUPPLIERS = ("Primend OÜ", "Telia Eesti AS", "Elisa Eesti AS", "Atea AS", "Ergo Mööbel OÜ")
BUILDINGS = ("Suur-Ameerika 1, Tallinn", "Rüütli 12, Tartu", "Rüütli 25, Pärnu", "Ladu, Tallinn")
SYSTEMS = (
    "Delta dokumendihaldus", "MTR menetlusliides", "Palgaarvestus", "Raamatupidamine",
    "Kasutajatugi", "E-teenindus haldus", "Andmeladu", "Veebileht", "Postkast", "Kaardirakendus",
)  # fmt: skip
CENT = Decimal("0.01")
ROLES = ("Lugeja", "Sisestaja", "Menetleja", "Kinnitaja", "Administraator", "Auditeerija")


def generate(counts: dict[str, int], rng: random.Random, log: volume.Log) -> None:
    staff = list(User.objects.filter(is_active=True).order_by("pk"))
    manager = next((u for u in staff if u.username == "andres"), staff[0])
    locations = _locations(rng)
    assets = _assets(counts["assets"], rng, staff, manager, locations)
    log(f"{len(assets):,} assets")
    _handovers(counts["handovers"], rng, staff, manager, assets)
    _rights(counts["rights"], rng, staff, manager)
    _quotes(counts["quotes"], rng, manager)
    log(f"{counts['handovers']:,} handovers, {counts['rights']:,} rights, quotes")
    volume.analyze(Asset, Handover, AccessGrant, QuoteRequest, Quote, Disposal)


def check() -> str | None:
    if not User.objects.filter(is_active=True).exists():
        return "no staff: run `manage.py seed_demo` first."
    return None


def _locations(rng) -> list[int]:
    existing = set(Location.objects.values_list("building", "room"))
    wanted = [
        (building, f"{floor}{room:02d}")
        for building in BUILDINGS
        for floor in range(1, 5)
        for room in range(1, 21)
    ]
    new = [pair for pair in wanted if pair not in existing]
    volume.copy_rows(Location, ["building", "room"], new)
    return list(Location.objects.values_list("pk", flat=True))


ASSET_COLUMNS = [
    "id", "inventory_number", "name", "category", "serial_number", "location_id",
    "responsible_id", "purchase_date", "price", "supplier", "warranty_until", "state",
    "created",
]  # fmt: skip


def _assets(count, rng, staff, manager, locations) -> list[tuple[int, date, int]]:
    today = volume.today()
    days = volume.Days(date(2012, 1, 2), today)
    purchases = sorted(days.sample(rng, count))
    taken = set(Asset.objects.values_list("inventory_number", flat=True))
    counters = {
        year: last for (_s, year), last in volume.counters_like("asset").items() if _s == "asset"
    }
    first = volume.reserve_ids(Asset, count)
    made, disposals = [], []
    timeline = volume.Timeline(Asset)
    with volume.Copy(Asset, ASSET_COLUMNS) as copy:
        for offset, bought in enumerate(purchases):
            pk = first + offset
            year = bought.year
            number = None
            while number is None or number in taken:
                counters[year] = counters.get(year, 0) + 1
                number = f"INV-{year}-{counters[year]:04d}"
            category = rng.choices(list(MODELS), CATEGORY_WEIGHTS)[0]
            name = rng.choice(MODELS[category])
            low, high = PRICES[category]
            age = (today - bought).days
            state = Asset.State.IN_USE
            if age > 365 * 6 and rng.random() < 0.5:
                state = Asset.State.DISPOSED
            elif rng.random() < 0.08:
                state = rng.choice(
                    [Asset.State.IN_STORAGE, Asset.State.IN_REPAIR, Asset.State.MISSING]
                )
            responsible = rng.choice(staff).pk if state == Asset.State.IN_USE else None
            created = volume.moment(rng, bought)
            copy.write(
                (
                    pk, number, name, category,
                    f"SN{rng.randrange(10**9):09d}" if category != Category.FURNITURE else "",
                    rng.choice(locations), responsible, bought,
                    Decimal(rng.randint(low * 100, high * 100)) / 100, rng.choice(SUPPLIERS),
                    bought + timedelta(days=365 * rng.choice((1, 2, 3))), state,
                    created,
                )
            )  # fmt: skip
            made.append((pk, bought, responsible))
            timeline.add(pk, f"{number} {name}", created, manager.pk, "registered")
            if state == Asset.State.DISPOSED:
                disposals.append((pk, bought))
    timeline.write()
    volume.counters_set({("asset", year): last for year, last in counters.items()})
    _disposals(rng, disposals, manager, today)
    return made


def _disposals(rng, disposals, manager, today) -> None:
    """The disposal acts of the assets written off, done six years or more after purchase."""
    columns = ["asset_id", "method", "reason", "residual_value", "status", "proposed_by_id"]
    columns += ["proposed_at", "decided_by_id", "decided_at", "disposed_on"]
    with volume.Copy(Disposal, columns) as copy:
        for pk, bought in disposals:
            proposed = bought + timedelta(days=365 * 6 + rng.randint(0, 700))
            proposed = min(proposed, today - timedelta(days=2))
            at = volume.moment(rng, proposed)
            copy.write(
                (
                    pk, rng.choice(list(Disposal.Method)), "Amortiseerunud, remont ei tasu end ära",
                    Decimal(0), Disposal.Status.DONE, manager.pk, at, manager.pk,
                    at + timedelta(days=1), proposed + timedelta(days=1),
                )
            )  # fmt: skip


def _handovers(count, rng, staff, manager, assets) -> None:
    today = volume.today()
    counters = {
        year: last
        for (series, year), last in volume.counters_like("asset-handover").items()
        if series == "asset-handover"
    }
    rows = []
    for _ in range(count):
        pk, bought, responsible = rng.choice(assets)
        day = bought + timedelta(days=rng.randint(0, max(0, (today - bought).days)))
        rows.append((volume.moment(rng, day), pk, responsible))
    rows.sort()
    columns = ["asset_id", "from_person_id", "to_person_id", "number", "created", "created_by_id"]
    columns.append("confirmed_at")
    with volume.Copy(Handover, columns) as copy:
        for created, pk, responsible in rows:
            year = created.year
            counters[year] = counters.get(year, 0) + 1
            to_person = responsible or rng.choice(staff).pk
            copy.write(
                (
                    pk, None, to_person, f"ÜA-{year}-{counters[year]:04d}", created, manager.pk,
                    created + timedelta(hours=rng.randint(1, 48)),
                )
            )  # fmt: skip
    volume.counters_set({("asset-handover", year): last for year, last in counters.items()})


def _rights(count, rng, staff, manager) -> None:
    existing = set(InformationSystem.objects.values_list("name", flat=True))
    volume.copy_rows(
        InformationSystem,
        ["name", "owner", "main_user_id", "description"],
        [
            (name, "Digiteenuste osakond", manager.pk, "")
            for name in SYSTEMS
            if name not in existing
        ],
    )
    systems = list(InformationSystem.objects.values_list("pk", flat=True))
    taken = set(SystemRole.objects.values_list("system_id", "name"))
    volume.copy_rows(
        SystemRole,
        ["system_id", "name", "description"],
        [(s, r, "") for s in systems for r in ROLES if (s, r) not in taken],
    )
    roles = list(SystemRole.objects.values_list("pk", flat=True))
    live = set(
        AccessGrant.objects.filter(status__in=["requested", "granted"]).values_list(
            "person_id", "role_id"
        )
    )
    days = volume.Days(volume.FIRST_DAY, volume.today())
    columns = ["person_id", "role_id", "status", "reason", "requested_by_id", "requested_at"]
    columns += ["granted_by_id", "granted", "revoked", "revoked_by_id", "revoke_reason"]
    with volume.Copy(AccessGrant, columns) as copy:
        for _ in range(count):
            person, role = rng.choice(staff).pk, rng.choice(roles)
            requested = volume.moment(rng, days.one(rng))
            granted = requested + timedelta(hours=rng.randint(1, 72))
            if (person, role) in live:
                status, revoked = AccessGrant.Status.REVOKED, granted + timedelta(days=90)
            else:
                status, revoked = AccessGrant.Status.GRANTED, None
                live.add((person, role))
            copy.write(
                (
                    person, role, status, "Tööülesannete täitmiseks", manager.pk, requested,
                    manager.pk, granted, revoked, manager.pk if revoked else None,
                    "Tööülesanded muutusid" if revoked else "",
                )
            )  # fmt: skip


def _quotes(count, rng, manager) -> None:
    """Requests with three quotes each; the cheapest chosen. The request names its chosen quote
    before the quote's row is written: the foreign key is checked at commit."""
    today = volume.today()
    days = volume.Days(volume.FIRST_DAY, today)
    first_request = volume.reserve_ids(QuoteRequest, count)
    first_quote = volume.reserve_ids(Quote, count * 3)
    requests, quotes = [], []
    for index in range(count):
        asked = days.one(rng)
        value = Decimal(rng.randint(500, 30000))
        amounts = [value * Decimal(rng.randint(80, 130)) / 100 for _ in range(3)]
        decided = (today - asked).days > 30
        chosen = first_quote + index * 3 + amounts.index(min(amounts)) if decided else None
        subject = f"{rng.choice(('Ost', 'Teenus', 'Hooldus'))}: {rng.choice(volume.SUBJECTS)}"
        requests.append(
            (
                first_request + index, subject, rng.choice(list(QuoteRequest.Kind)), value,
                asked + timedelta(days=14), manager.pk, volume.moment(rng, asked), chosen,
                "Soodsaim nõuetele vastav pakkumus" if decided else "",
                volume.moment(rng, asked + timedelta(days=20)) if decided else None,
            )
        )  # fmt: skip
        for offset, amount in enumerate(amounts):
            supplier = volume.company_name(rng)
            quotes.append(
                (
                    first_quote + index * 3 + offset, first_request + index, supplier,
                    f"myyk@{volume.slug(supplier)[:30]}.ee", asked, amount.quantize(CENT),
                    min(today, asked + timedelta(days=rng.randint(1, 12))),
                )
            )  # fmt: skip
    columns = ["id", "subject", "kind", "estimated_value", "deadline", "created_by_id", "created"]
    columns += ["chosen_id", "choice_reason", "decided_at"]
    volume.copy_rows(QuoteRequest, columns, requests)
    columns = ["id", "request_id", "supplier", "supplier_email", "asked_on", "amount"]
    columns.append("received_on")
    volume.copy_rows(Quote, columns, quotes)
