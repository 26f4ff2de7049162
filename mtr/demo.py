"""Demo data of the MTR: real-looking areas of activity (idempotent, matched by code)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from core.models import Event
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


# --- Entries and applications ---------------------------------------------------------------------

PLACES = [
    "Põhjaranniku",
    "Saarte",
    "Tartu",
    "Pärnu",
    "Läänemere",
    "Kalevi",
    "Emajõe",
    "Viru",
    "Hiiu",
    "Peipsi",
    "Kuressaare",
    "Nõmme",
    "Rakvere",
    "Võru",
    "Haapsalu",
    "Otepää",
    "Narva",
    "Valga",
    "Jõgeva",
    "Paide",
    "Kärdla",
    "Rapla",
    "Viljandi",
    "Tallinna",
    "Lõuna",
    "Kadrioru",
    "Sõrve",
    "Muhu",
    "Alutaguse",
    "Karksi",
]
# Words a business of each area would have in its name.
AREA_WORDS = {
    "majutus": ["Külalistemaja", "Puhkemaja", "Hotell", "Hostel", "Turismitalu"],
    "alkoholi-jaemuuk": ["Veinipood", "Kauplus", "Market", "Joogiäri"],
    "tubakatoodete-jaemuuk": ["Kiosk", "Kaubandus", "Tanklapood"],
    "toitlustamine": ["Kohvik", "Bistroo", "Grill", "Pagarikoda", "Söökla"],
    "turvateenus": ["Valve", "Turvateenused", "Valvekeskus", "Kaitse"],
    "eradetektiiv": ["Detektiivibüroo", "Uurimisbüroo"],
    "jaatmekaitlus": ["Jäätmekäitlus", "Keskkonnateenused", "Taaskasutus"],
    "reisikorraldus": ["Reisid", "Matkad", "Turism"],
    "kuttemuuk": ["Kütus", "Energia", "Tankla"],
    "hasartmang": ["Kasiino", "Mängud"],
}
NAME_SUFFIXES = ["OÜ", "OÜ", "OÜ", "AS", "MTÜ"]
PEOPLE = [
    "Kristjan Õunapuu",
    "Mari-Liis Kask",
    "Tiit Lepik",
    "Kadri Põld",
    "Jüri Saar",
    "Anneli Mets",
    "Margus Tamm",
    "Triin Kuusk",
    "Rein Ilves",
    "Piret Mägi",
    "Aivar Org",
    "Liina Raud",
]
STREETS = [
    ("Rüütli", "Pärnu", "80010"),
    ("Ranna pst", "Pärnu", "80012"),
    ("Rüütli", "Tartu", "51007"),
    ("Narva mnt", "Tallinn", "10120"),
    ("Pikk", "Tallinn", "10133"),
    ("Lossi", "Kuressaare", "93815"),
    ("Tallinna", "Rakvere", "44311"),
    ("Jaama", "Võru", "65608"),
    ("Karja", "Haapsalu", "90502"),
    ("Vabriku", "Narva", "20308"),
    ("Uus", "Viljandi", "71004"),
    ("Aia", "Paide", "72712"),
]
APPLICATIONS_PER_STATUS = 55
ENTRY_COUNT = 200
DEFICIENCY_TEXTS = [
    "Palun esitage vastutuskindlustuse lepingu koopia ja kindlustuspoliisi kehtivuse kinnitus.",
    "Tegevuskoha aadressilt puudub ehitisregistri kasutusteatis. Palun lisage see.",
    "Palun täpsustage tegevuskohtade lahtiolekuajad ja vastutava isiku kontaktandmed.",
    "Taotlusele on lisamata jäätmekava. Palun esitage see PDF-failina.",
]
ANSWERS = [
    "Lisasime nõutud dokumendi. Vabandame viivituse pärast.",
    "Kasutusteatis on lisatud, tegevuskoht on sama.",
    "Lahtiolekuajad on E–R 9–18, vastutav isik on juhatuse liige.",
]


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


def seed_applications(rng=None) -> int:
    """Applications in every status, moved on by the demo processors (once)."""
    import random

    from django.contrib.auth import get_user_model
    from django.test import override_settings
    from django.utils import timezone

    from core import roles
    from mtr import services
    from mtr.models import Application, DeficiencyRequest, Entry

    if Application.objects.exists():
        return 0
    User = get_user_model()
    jaan = User.objects.filter(username="jaan").first()
    if jaan is None:
        return 0
    piret, created = User.objects.get_or_create(
        username="piret",
        defaults={
            "first_name": "Piret",
            "last_name": "Lepik",
            "email": "piret@kantselei.example.ee",
            "job_title": "MTR menetleja",
        },
    )
    if created:
        from django.contrib.auth.models import Group

        piret.set_unusable_password()
        piret.save(update_fields=["password"])
        piret.groups.set(Group.objects.filter(name=roles.MTR_PROCESSOR.group))
    processors = [jaan, piret]
    rng = rng or random.Random(55)  # noqa: S311 - demo data, not security
    areas = list(ActivityArea.objects.filter(is_active=True))
    businesses = _businesses(rng, areas)
    entries = list(
        Entry.objects.filter(status=Entry.Status.VALID).select_related("business", "area")
    )
    now = timezone.now()
    Status = Application.Status
    made = 0
    dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with dummy_mail, transaction.atomic():
        for status in [s for s, _label in Status.choices]:
            for _index in range(APPLICATIONS_PER_STATUS):
                open_ = status in Application.OPEN_STATUSES
                age = rng.randint(1, 34) if open_ else rng.randint(20, 150)
                submitted_at = now - timedelta(days=age, hours=rng.randint(0, 8))
                kind = rng.random()
                # A notice takes effect on submission (entered, then checked); everything
                # else here is a licence, or the end of an entry.
                in_effect = status in (Status.ENTERED, Status.CHECKED)
                fitting = [a for a in areas if (a.kind == Kind.NOTICE) == in_effect]
                candidates = [
                    i
                    for i, entry in enumerate(entries)
                    if (entry.area.kind == Kind.NOTICE) == in_effect or not in_effect
                ]
                if kind < 0.8 or not candidates:
                    area = rng.choice(fitting)
                    business = rng.choice(businesses[area.pk])
                    kwargs = {"type": Application.Type.NEW, "area": area, "entry": None}
                else:
                    entry = entries.pop(rng.choice(candidates))
                    termination = not in_effect and (kind >= 0.92 or entry.area.kind == Kind.NOTICE)
                    business = entry.business
                    kwargs = {
                        "type": Application.Type.TERMINATION
                        if termination
                        else Application.Type.CHANGE,
                        "area": entry.area,
                        "entry": entry,
                    }
                application = services.application_submit(
                    business_name=business.name,
                    registry_code=business.registry_code,
                    address=business.address,
                    contact_person=rng.choice(PEOPLE),
                    email=business.email,
                    phone=business.phone,
                    addresses=[_address(rng)],
                    data=_data_for(rng, kwargs["area"]),
                    language=rng.choice(["et"] * 8 + ["en", "ru"]),
                    submitted_at=submitted_at,
                    notify=False,
                    **kwargs,
                )
                _progress(rng, application, status, processors, age)
                _spread_in_time(rng, application, submitted_at, now, open_)
                made += 1
        # Deficiency dates as if asked a few days after submission.
        today = timezone.localdate()
        for request in DeficiencyRequest.objects.select_related("application__area"):
            application = request.application
            asked = min(timezone.localdate(application.submitted_at) + timedelta(days=3), today)
            request.requested_on = asked
            request.due_on = asked + timedelta(days=14)
            if request.answered_at is not None:
                answered = min(asked + timedelta(days=rng.randint(1, 9)), today)
                request.answered_at = timezone.make_aware(
                    datetime.combine(answered, time(10, rng.randint(0, 59)))
                )
                application.paused_days = (answered - asked).days
                application.deadline = services.deadline_for(application)
                application.save(update_fields=["paused_days", "deadline"])
            request.save(update_fields=["requested_on", "due_on", "answered_at"])
            # The timeline's "answer by" says the same day as the request.
            for event in Event.objects.filter(
                content_type__model="application",
                object_id=str(application.pk),
                data__to=Application.Status.DEFICIENT,
            ):
                event.data = {**event.data, "due_on": request.due_on.isoformat()}
                event.save(update_fields=["data"])
    _date_decisions()  # after the commit: the decision letters are registered on it
    _deliver_decisions(rng)
    return made


def _date_decisions() -> None:
    """The register answered each decided application on the day of its decision, and the
    decision letter is registered on that day, not on the day of seeding."""
    from django.utils import timezone

    from mtr.models import Application
    from registry.models import Document

    decided = Application.objects.filter(decided_at__isnull=False).exclude(document=None)
    for application in decided.only("decided_at", "document_id", "decision_document_id"):
        day = timezone.localdate(application.decided_at)
        Document.objects.filter(pk=application.document_id, status=Document.Status.ANSWERED).update(
            closed_on=day
        )
        Document.objects.filter(pk=application.decision_document_id).update(
            registered_on=day, received_on=day, registered_at=application.decided_at
        )


def _deliver_decisions(rng) -> None:
    """Most decisions reached the applicant through the e-mail's link within a few days of the
    server accepting the e-mail; some by registered post after the link went unanswered; the
    newest are not delivered yet, and a few old ones wait too long (the page warns)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from core.terms import DeliveryMethod
    from mtr import delivery
    from mtr.models import Application

    today = timezone.localdate()
    decided = Application.objects.filter(decided_at__isnull=False).exclude(decision_pdf_status="")
    waiting = decided.filter(decision_delivered_on=None).exclude(decision_deliveries__counts=True)
    for application in waiting.order_by("pk"):
        decided_on = timezone.localdate(application.decided_at)
        if not application.decision_deliveries.exists():  # the outbox keeps it when it sends
            delivery.decision_delivery_record(
                application=application,
                method=DeliveryMethod.EMAIL_ACCEPTED,
                occurred_at=application.decided_at + timedelta(minutes=rng.randint(1, 20)),
                evidence={"recipient": application.email},
                key=f"demo-accepted-{application.pk}",
            )
        age = (today - decided_on).days
        roll = rng.random()
        if age <= 2 and roll < 0.6 or roll > 0.96:
            continue  # not delivered (yet)
        if roll < 0.85 or age < 9:
            day = min(decided_on + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 4))), today)
            moment = datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59)))
            delivery.decision_delivery_record(
                application=application,
                method=DeliveryMethod.LINK_OPENED,
                occurred_at=min(timezone.make_aware(moment), timezone.now()),
            )
        else:
            delivery.decision_delivery_record(
                application=application,
                method=DeliveryMethod.REGISTERED_POST,
                delivered_on=decided_on + timedelta(days=rng.randint(6, 9)),
                actor=application.decided_by,
                note="Tähtkiri, tagasiteatis saabunud",
            )
    _date_deliveries(decided)


def _date_deliveries(decided) -> None:
    """Each delivery event at its own time, not at the time of seeding: the server accepted the
    e-mail minutes after the decision; a clerk entered a returned notice two days after it."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from core.terms import DeliveryMethod
    from mtr.models import DecisionDelivery

    rows = DecisionDelivery.objects.filter(application__in=decided).select_related("application")
    for row in rows:
        if row.method == DeliveryMethod.EMAIL_ACCEPTED:
            row.occurred_at = row.application.decided_at + timedelta(minutes=3 + row.pk % 17)
            row.delivered_on = timezone.localdate(row.occurred_at)
            row.recorded_at = row.occurred_at
        elif row.occurred_at is not None:
            row.recorded_at = row.occurred_at
        else:
            moment = datetime.combine(row.delivered_on + timedelta(days=2), time(9, row.pk % 60))
            row.recorded_at = min(timezone.make_aware(moment), timezone.now())
        row.save(update_fields=["occurred_at", "delivered_on", "recorded_at"])


def _spread_in_time(rng, application, submitted_at, now, open_) -> None:
    """Put the application's steps at believable times between its submission and now (the
    services stamp them with the time of seeding)."""
    from django.utils import timezone

    from core.models import Event
    from mtr.models import Application, Entry

    span = now - submitted_at
    end = submitted_at + span * (0.7 if open_ else rng.uniform(0.2, 0.6))
    if application.takes_effect_on_submission and application.type == "new":
        # In the register from the moment it was filed.
        Entry.objects.filter(pk=application.entry_id).update(
            valid_from=timezone.localdate(submitted_at), created=submitted_at
        )
        Event.objects.filter(
            object_id=str(application.entry_id), content_type__model="entry"
        ).update(created=submitted_at)
    if not open_:
        Application.objects.filter(pk=application.pk, decided_at__isnull=False).update(
            decided_at=end
        )
        application.refresh_from_db(fields=["entry", "status", "type"])
        if application.status == Application.Status.GRANTED and application.type == "new":
            Entry.objects.filter(pk=application.entry_id).update(valid_from=timezone.localdate(end))
            Event.objects.filter(
                object_id=str(application.entry_id), content_type__model="entry"
            ).update(created=end)
    steps = list(
        Event.objects.filter(
            object_id=str(application.pk), content_type__model="application"
        ).order_by("created", "id")
    )
    for index, event in enumerate(steps):
        event.created = submitted_at + (end - submitted_at) * (index / max(len(steps) - 1, 1))
    Event.objects.bulk_update(steps, ["created"])


def _progress(rng, application, status, processors, age) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from mtr import services
    from mtr.models import Application

    Status = Application.Status
    if status in (Status.RECEIVED, Status.ENTERED):
        return
    processor = rng.choice(processors)
    if status == Status.CHECKED:
        services.application_check(
            actor=processor,
            application=application,
            note=rng.choice(CHECK_NOTES),
        )
        return
    if status == Status.WITHDRAWN and rng.random() < 0.3:
        services.application_withdraw(
            application=application, actor=None, reason="Ettevõtja loobus taotlusest."
        )
        return
    services.application_claim(actor=processor, application=application)
    if status == Status.IN_REVIEW and rng.random() < 0.6:
        return
    if status in (Status.DEFICIENT, Status.UNEXAMINED) or rng.random() < 0.3:
        request = services.application_request_data(
            actor=processor, application=application, text=rng.choice(DEFICIENCY_TEXTS)
        )
        if status == Status.DEFICIENT:
            return
        if status == Status.UNEXAMINED:
            # Asked weeks ago; the answer date passed without an answer (HMS § 15(2)).
            asked = timezone.localdate(application.submitted_at) + timedelta(days=3)
            type(request).objects.filter(pk=request.pk).update(
                requested_on=asked, due_on=asked + timedelta(days=14)
            )
            services.application_leave_unexamined(
                actor=processor,
                application=application,
                reason="Taotleja ei esitanud nõutud andmeid määratud tähtajaks; taotlus "
                "jäetakse haldusmenetluse seaduse § 15 lõike 2 alusel läbi vaatamata.",
            )
            return
        services.application_answer_deficiency(
            application=application,
            answer=rng.choice(ANSWERS),
            files=[
                SimpleUploadedFile(
                    "lisa.pdf", _letter_pdf(application.business_name), "application/pdf"
                )
            ]
            if rng.random() < 0.3
            else (),
        )
    if status == Status.IN_REVIEW:
        return
    if status == Status.WITHDRAWN:
        services.application_withdraw(
            application=application, actor=processor, reason="Ettevõtja võttis taotluse tagasi."
        )
    elif status == Status.GRANTED:
        services.application_decide(
            actor=processor,
            application=application,
            grant=True,
            reason="Ettevõtja vastab tegevusala nõuetele; esitatud andmed on täielikud.",
        )
    else:
        services.application_decide(
            actor=processor,
            application=application,
            grant=False,
            reason="Puudujääke ei kõrvaldatud tähtajaks; ettevõtja ei vasta tegevusala nõuetele.",
        )


CHECK_NOTES = [
    "Andmed vastavad äriregistri andmetele.",
    "Tegevuskoha aadress kontrollitud, vastutuskindlustus kehtib.",
    "Kontrollitud; märkusi ei ole.",
    "Majutusasutuse liik ja kohtade arv vastavad tegevusala nõuetele.",
]

_PDF_CACHE: dict[str, bytes] = {}


def _letter_pdf(name: str) -> bytes:
    from core.pdf import html_to_pdf

    if "x" not in _PDF_CACHE:
        _PDF_CACHE["x"] = html_to_pdf(
            "<h1>Lisadokument</h1><p>Taotlusele lisatud dokument: kindlustusleping.</p>"
        )
    return _PDF_CACHE["x"]


def seed() -> str:
    """The MTR's demo data (core.demo.register_seeder)."""
    areas = seed_areas()
    entries = seed_entries()
    applications = seed_applications()
    return (
        f"MTR: {areas} areas of activity, {entries} entries and "
        f"{applications} applications created."
    )
