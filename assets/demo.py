"""Demo data of the assets: 300+ assets in rooms of two buildings, two IT systems with rights,
a finished stocktaking, a disposal with its act, and a request for quotes (once)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

ASSET_COUNT = 320
ROOMS = [("Suur-Ameerika 1", room) for room in ("101", "102", "103", "201", "202", "203", "Ladu")]
ROOMS += [("Tartu esindus, Rüütli 12", room) for room in ("1", "2")]
MODELS = [
    ("computer", "Sülearvuti Lenovo ThinkPad T14", Decimal("1190.00"), "Primend AS"),
    ("computer", "Sülearvuti Dell Latitude 5440", Decimal("1040.00"), "Atea AS"),
    ("monitor", 'Monitor Dell P2723D 27"', Decimal("289.00"), "Atea AS"),
    ("phone", "Mobiiltelefon Samsung Galaxy A55", Decimal("399.00"), "Telia Eesti AS"),
    ("printer", "Multifunktsionaalne printer HP LaserJet M480", Decimal("860.00"), "Primend AS"),
    ("furniture", "Reguleeritava kõrgusega laud", Decimal("520.00"), "Isku Mööbel OÜ"),
    ("furniture", "Töötool Kinnarps 6000", Decimal("430.00"), "Kinnarps Eesti OÜ"),
    ("licence", "Microsoft 365 E3 litsents", Decimal("380.00"), "Atea AS"),
    ("vehicle", "Sõiduauto Škoda Octavia Combi", Decimal("28900.00"), "Auto 100 AS"),
]


def seed_assets() -> int:
    from django.contrib.auth import get_user_model

    from assets import services
    from assets.models import Asset, Location

    if Asset.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    andres = users.get("andres")
    if andres is None:
        return 0
    people = [
        u
        for name, u in users.items()
        if name in ("mari", "jaan", "liis", "kadri", "andres", "piret")
    ]
    rng = random.Random(9)  # noqa: S311 - demo data, not security
    locations = [Location.objects.get_or_create(building=b, room=r)[0] for b, r in ROOMS]
    today = timezone.localdate()
    with transaction.atomic():
        for index in range(ASSET_COUNT):
            category, name, price, supplier = MODELS[index % len(MODELS)]
            if category == "vehicle" and index > 40:
                category, name, price, supplier = MODELS[0]
            bought = today - timedelta(days=rng.randint(30, 2200))
            state = rng.choice(
                [Asset.State.IN_USE] * 12 + [Asset.State.IN_STORAGE] * 2 + [Asset.State.IN_REPAIR]
            )
            location = rng.choice(locations[:6] + locations[7:])  # the store room is for stock
            if state == Asset.State.IN_STORAGE:
                location = locations[6]
            services.asset_create(
                actor=andres,
                name=name,
                category=category,
                serial_number=f"SN{rng.randint(10**7, 10**8 - 1)}",
                location=location,
                responsible=rng.choice(people) if state == Asset.State.IN_USE else None,
                purchase_date=bought,
                price=price,
                supplier=supplier,
                warranty_until=bought + timedelta(days=3 * 365)
                if category in ("computer", "monitor", "printer")
                else None,
                state=state,
            )
    return ASSET_COUNT


def seed_rest() -> dict:
    """IT systems with rights, a finished stocktaking, a disposal with its act, quotes."""
    from django.contrib.auth import get_user_model

    from assets.models import InformationSystem

    if InformationSystem.objects.exists():
        return {}
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    people = {name: users.get(name) for name in ("andres", "kadri", "liis", "mari", "jaan")}
    if not all(people.values()):
        return {}
    today = timezone.localdate()
    dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with dummy_mail, transaction.atomic():
        return {
            "grants": _seed_rights(people, today),
            "stocktaking": _seed_stocktaking(people["andres"], today),
            "disposals": _seed_disposals(people["andres"], people["kadri"], today),
            "quotes": _seed_quotes(people["andres"], today),
        }


def _seed_rights(people: dict, today) -> int:
    """Two systems with two roles each, rights granted (two ending soon, one not reviewed for
    300 days) and a request waiting for its main user."""
    from assets import services
    from assets.models import AccessGrant, InformationSystem, SystemRole

    andres, kadri, liis, mari, jaan = (
        people[n] for n in ("andres", "kadri", "liis", "mari", "jaan")
    )
    delta = InformationSystem.objects.create(
        name="Delta dokumendihaldus",
        owner="Riigi Infosüsteemi Amet",
        main_user=liis,
        description="Asutuste dokumendihaldussüsteem (DHX kaudu dokumendivahetus).",
    )
    mtr = InformationSystem.objects.create(
        name="MTR menetlusliides",
        owner="Majandus- ja Kommunikatsiooniministeerium",
        main_user=kadri,
        description="Majandustegevuse registri menetlejate liides.",
    )
    roles = {
        (delta.pk, "Asjaajaja"): SystemRole.objects.create(system=delta, name="Asjaajaja"),
        (delta.pk, "Lugeja"): SystemRole.objects.create(system=delta, name="Lugeja"),
        (mtr.pk, "Menetleja"): SystemRole.objects.create(system=mtr, name="Menetleja"),
        (mtr.pk, "Vaataja"): SystemRole.objects.create(system=mtr, name="Vaataja"),
    }
    for person, key, until in (
        (mari, (delta.pk, "Asjaajaja"), None),
        (jaan, (delta.pk, "Lugeja"), today + timedelta(days=20)),
        (jaan, (mtr.pk, "Menetleja"), None),
        (mari, (mtr.pk, "Vaataja"), today + timedelta(days=12)),
        (andres, (delta.pk, "Lugeja"), None),
    ):
        grant = services.grant_request(
            actor=andres, person=person, role=roles[key], reason="Tööülesannete täitmiseks"
        )
        main_user = roles[key].system.main_user
        services.grant_approve(actor=main_user, grant=grant, valid_until=until)
    AccessGrant.objects.filter(person=andres).update(
        reviewed_at=timezone.now() - timedelta(days=300)
    )
    services.grant_request(
        actor=mari,
        person=mari,
        role=roles[(delta.pk, "Lugeja")],
        reason="Asendan kolleegi puhkuse ajal",
    )
    return AccessGrant.objects.count()


def _seed_stocktaking(andres, today) -> int:
    """A finished stocktaking of one room, two weeks ago."""
    from assets import services
    from assets.models import Asset, Stocktaking

    room = Asset.objects.filter(location__room="101").first().location
    stocktaking = services.stocktaking_start(
        actor=andres, title=f"Inventuur {today.year}: ruum 101", location=room
    )
    results = ["found"] * 8 + ["missing", "damaged"]
    for index, item in enumerate(stocktaking.items.select_related("asset")):
        services.stocktaking_mark(
            actor=andres,
            stocktaking=stocktaking,
            asset=item.asset,
            result=results[index % len(results)],
            found_location=room,
        )
    services.stocktaking_close(actor=andres, stocktaking=stocktaking)
    Stocktaking.objects.filter(pk=stocktaking.pk).update(
        started_at=timezone.now() - timedelta(days=14),
        closed_at=timezone.now() - timedelta(days=13),
    )
    return stocktaking.items.count()


def _seed_disposals(andres, kadri, today) -> int:
    """A broken laptop destroyed with its act; another proposal waits for the head."""
    from assets import services
    from assets.models import Asset, Disposal

    broken = (
        Asset.objects.filter(category="computer", state=Asset.State.IN_REPAIR).first()
        or Asset.objects.filter(category="computer").first()
    )
    disposal = services.disposal_propose(
        actor=andres,
        asset=broken,
        method=Disposal.Method.DESTRUCTION,
        reason="Emaplaat rikkis, remont ei tasu end ära.",
        residual_value=Decimal("0"),
    )
    services.disposal_approve(actor=kadri, disposal=disposal)
    services.disposal_complete(
        actor=andres,
        disposal=disposal,
        disposed_on=today - timedelta(days=2),
        recipient="Eesti Elektroonikaromu MTÜ",
        certificate_number="EER-2026-1187",
    )
    old_chair = Asset.objects.filter(category="furniture", state=Asset.State.IN_STORAGE).first()
    if old_chair is not None:
        services.disposal_propose(
            actor=andres,
            asset=old_chair,
            method=Disposal.Method.SALE,
            reason="Ei ole enam kasutuses; müüakse enampakkumisel.",
            residual_value=Decimal("40.00"),
        )
    return Disposal.objects.count()


def _seed_quotes(andres, today) -> int:
    """Quotes for a service, and one request over the threshold."""
    from assets import services
    from assets.models import QuoteRequest

    request = services.quote_request_create(
        actor=andres,
        subject="Kontoriruumide koristusteenus 2027",
        kind=QuoteRequest.Kind.SERVICES,
        estimated_value=Decimal("14000"),
        deadline=today + timedelta(days=10),
    )
    for supplier, amount in (
        ("Puhastusekspert AS", Decimal("12600")),
        ("ISS Eesti AS", Decimal("13950")),
        ("Clean Team OÜ", None),
    ):
        services.quote_add(actor=andres, request=request, supplier=supplier, amount=amount)
    services.quote_request_create(
        actor=andres,
        subject="Sülearvutite uuendamine (40 tk)",
        kind=QuoteRequest.Kind.GOODS,
        estimated_value=Decimal("46000"),
        deadline=today + timedelta(days=20),
    )
    return QuoteRequest.objects.count()


def seed() -> str:
    """The assets' demo data (core.demo.register_seeder)."""
    assets = seed_assets()
    rest = seed_rest()
    return (
        f"Assets: {assets} assets, {rest.get('grants', 0)} access rights, "
        f"{rest.get('disposals', 0)} disposals and {rest.get('quotes', 0)} quote requests "
        "created."
    )
