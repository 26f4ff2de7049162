"""Demo data of user support: knowledge-base articles in three languages, tickets in every
status over the last weeks, calls and visits of the last month (once: nothing is added twice)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from helpdesk.models import Category

TICKETS_PER_STATUS = 100

# category, public, (et title, et body), (en title, en body), (ru title, ru body)
ARTICLES = [
    (
        Category.ACCOUNT,
        True,
        (
            "Ei saa e-teenusesse sisse logida",
            "Tere, {{ name }}!\n\nKontrollige, et ID-kaardi sertifikaadid kehtivad ja DigiDoc4 "
            "tarkvara on uuendatud. Mobiil-ID puhul veenduge, et telefoninumber ja isikukood "
            "on õiged. Kui viga kordub, saatke meile veateate kuvatõmmis.\n\nViide: {{ code }}",
        ),
        (
            "I cannot sign in to the e-service",
            "Hello {{ name }},\n\nCheck that your ID card's certificates are valid and DigiDoc4 "
            "is up to date. With Mobile-ID, check the phone number and personal code. If the "
            "error repeats, send us a screenshot of it.\n\nReference: {{ code }}",
        ),
        (
            "Не удаётся войти в э-услугу",
            "Здравствуйте, {{ name }}!\n\nПроверьте, что сертификаты ID-карты действительны и "
            "программа DigiDoc4 обновлена. Для Mobiil-ID проверьте номер телефона и личный "
            "код. Если ошибка повторяется, пришлите нам снимок экрана.\n\nНомер: {{ code }}",
        ),
    ),
    (
        Category.APPLICATION,
        True,
        (
            "Kuidas muuta majandustegevusteate andmeid?",
            "Tere, {{ name }}!\n\nAndmete muutmiseks esitage avalikul lehel muutmise taotlus: "
            "valige „Muuta registrikande andmeid“ ning sisestage kande number ja registrikood. "
            "Muudatusest tuleb teatada 5 tööpäeva jooksul.\n\nViide: {{ code }}",
        ),
        (
            "How do I change the data of my notice?",
            "Hello {{ name }},\n\nFile a change on the public page: choose “Change the data of "
            "an entry in the register” and give the entry number and registry code. Changes "
            "must be reported within 5 working days.\n\nReference: {{ code }}",
        ),
        (
            "Как изменить данные уведомления?",
            "Здравствуйте, {{ name }}!\n\nПодайте изменение на публичной странице: выберите "
            "«Изменить данные записи в регистре» и укажите номер записи и регистрационный "
            "код. Об изменениях нужно сообщить в течение 5 рабочих дней.\n\nНомер: {{ code }}",
        ),
    ),
    (
        Category.APPLICATION,
        True,
        (
            "Kui kaua tegevusloa taotluse menetlemine kestab?",
            "Tere, {{ name }}!\n\nOtsus tehakse 30 päeva jooksul täieliku taotluse saamisest. "
            "Kui küsime lisaandmeid, peatub menetlusaeg kuni Teie vastuseni. Taotluse olekut "
            "näete jälgimiskoodiga avalikul lehel.\n\nViide: {{ code }}",
        ),
        (
            "How long does a licence application take?",
            "Hello {{ name }},\n\nThe decision is made within 30 days of a complete "
            "application. If we ask for more data, the time stops until you answer. See the "
            "status on the public page with your tracking code.\n\nReference: {{ code }}",
        ),
        (
            "Сколько длится рассмотрение ходатайства о разрешении?",
            "Здравствуйте, {{ name }}!\n\nРешение принимается в течение 30 дней после "
            "получения полного ходатайства. Если мы запросим данные, срок останавливается до "
            "вашего ответа. Статус виден на публичной странице по коду.\n\nНомер: {{ code }}",
        ),
    ),
    (
        Category.DOCUMENTS,
        True,
        (
            "Kuidas esitada teabenõue?",
            "Teabenõude võite saata e-posti teel, postiga või esitada kohapeal. Vastame 5 "
            "tööpäeva jooksul. Avalikus dokumendiregistris näete meie dokumentide andmeid.",
        ),
        (
            "How do I make a request for information?",
            "Send it by e-mail or post, or hand it in at our front desk. We answer within 5 "
            "working days. The public document register lists our documents.",
        ),
        (
            "Как подать запрос информации?",
            "Отправьте его по электронной почте, почтой или подайте на месте. Мы отвечаем в "
            "течение 5 рабочих дней. В публичном регистре документов видны наши документы.",
        ),
    ),
    (
        Category.TECHNICAL,
        False,
        (
            "Sisemine: MTR e-teenuse tõrke korral",
            "Kontrolli teenuse olekut seirelehelt. Kui tõrge kestab üle 30 minuti, teavita "
            "osakonnajuhatajat ja lisa avalehele teade. Kasutajatele vasta malliga "
            "„Teenuses on ajutine tõrge“.",
        ),
        ("Internal: when the MTR e-service is down", "Check the monitoring page first."),
        ("Внутреннее: при сбое э-услуги MTR", "Сначала проверьте страницу мониторинга."),
    ),
]

SUBJECTS = [
    (Category.ACCOUNT, "Ei saa e-teenusesse sisse logida"),
    (Category.ACCOUNT, "Esindusõigus ei ole nähtav"),
    (Category.APPLICATION, "Taotluse olek ei muutu"),
    (Category.APPLICATION, "Kuidas lõpetada majandustegevusteade?"),
    (Category.ESERVICE, "Vormi salvestamisel tuleb viga"),
    (Category.ESERVICE, "Manuse lisamine ebaõnnestub"),
    (Category.DOCUMENTS, "Teabenõude vastus on puudu"),
    (Category.TECHNICAL, "Leht avaneb väga aeglaselt"),
    (Category.OTHER, "Küsimus riigilõivu kohta"),
]
NAMES = [
    "Kati Kask",
    "Jaanus Lepp",
    "Olga Ivanova",
    "Marko Saar",
    "Helen Tamm",
    "Sergei Petrov",
    "Anu Mets",
    "Rasmus Põld",
    "Liina Rebane",
    "Dmitri Smirnov",
    "Kairi Org",
    "Tõnu Ilves",
]
ORGANISATIONS = ["", "OÜ Põhjarannik", "Maksu- ja Tolliamet", "AS Lõuna Kütus"]
PURPOSES = ["Koosolek", "Dokumentide üleandmine", "Konsultatsioon"]
ANSWERS = [
    "Täname pöördumise eest. Kontrollisime ja probleem on nüüd lahendatud.",
    "Palun proovige uuesti pärast brauseri vahemälu tühjendamist.",
    "Edastasime küsimuse MTR-i menetlejale; vastame niipea kui võimalik.",
]


def seed_articles() -> int:
    from helpdesk.models import Article

    if Article.objects.exists():
        return 0
    for category, public, et, en, ru in ARTICLES:
        Article.objects.create(
            category=category,
            is_public=public,
            title_et=et[0],
            body_et=et[1],
            title_en=en[0],
            body_en=en[1],
            title_ru=ru[0],
            body_ru=ru[1],
        )
    return len(ARTICLES)


def seed_tickets() -> int:
    """Tickets in every status, answered by the demo clerk (once)."""
    from django.contrib.auth import get_user_model

    from helpdesk import services
    from helpdesk.models import Priority, Ticket, TicketChannel

    if Ticket.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    mari = users.get("mari")
    if mari is None:
        return 0
    helpers = [u for u in (mari, users.get("jaan")) if u is not None]
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    now = timezone.now()
    priorities = [Priority.NORMAL] * 6 + [Priority.HIGH] * 2 + [Priority.LOW, Priority.URGENT]
    channels = [TicketChannel.EMAIL] * 4 + [TicketChannel.WEB] * 3 + [TicketChannel.PHONE]
    made = 0
    dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with dummy_mail, transaction.atomic():
        for status in [s for s, _label in Ticket.Status.choices]:
            for index in range(TICKETS_PER_STATUS):
                open_ = status in (Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING)
                if status == Ticket.Status.NEW:
                    age = rng.uniform(0.02, 1.0)  # came in since yesterday
                elif open_:
                    age = rng.uniform(0.1, 6)
                else:  # the history of the last twelve weeks
                    age = rng.uniform(3, 84)
                created = now - timedelta(days=age)
                category, subject = rng.choice(SUBJECTS)
                name = rng.choice(NAMES)
                channel = rng.choice(channels)
                first = name.split()[0].lower()
                for letter, plain in zip("õäöüš", "oaous", strict=True):
                    first = first.replace(letter, plain)
                email = f"{first}.{index}@example.ee"
                ticket = services.ticket_create(
                    subject=subject,
                    body=f"Tere!\n\n{subject}. Palun aidake.\n\n{name}",
                    channel=channel,
                    category=category,
                    priority=rng.choice(priorities),
                    requester_email="" if channel == TicketChannel.PHONE else email,
                    requester_name=name,
                    requester_phone="+372 5" + str(rng.randint(1000000, 9999999)),
                    language=rng.choice(["et"] * 7 + ["en", "ru"]),
                    created=created,
                    actor=mari if channel == TicketChannel.PHONE else None,
                    notify=False,
                )
                _progress(rng, services, ticket, status, rng.choice(helpers), created, now)
                made += 1
    return made


def _progress(rng, services, ticket, status, helper, created, now) -> None:
    from helpdesk.models import Message, Ticket

    Status = Ticket.Status
    if status == Status.NEW:
        from core.models import Event

        Event.objects.filter(object_id=str(ticket.pk), content_type__model="ticket").update(
            created=created
        )
        return
    services.ticket_assign(actor=helper, ticket=ticket, assignee=helper)
    if status == Status.OPEN and rng.random() < 0.5:
        return
    then = {Status.WAITING: "wait", Status.OPEN: "open"}.get(status, "resolve")
    services.ticket_reply(
        actor=helper, ticket=ticket, body=rng.choice(ANSWERS), then=then, notify=False
    )
    if status == Status.CLOSED:
        services.ticket_close(actor=helper, ticket=ticket)
    if status in (Status.RESOLVED, Status.CLOSED) and rng.random() < 0.6:
        services.ticket_rate(
            token=ticket.feedback_token,
            rating=rng.choice([5, 5, 5, 4, 4, 3, 2]),
            comment=rng.choice(["", "", "Kiire ja selge vastus.", "Aitäh!"]),
        )
    # The answer as it was given: some time after the ticket came in.
    answered = min(created + timedelta(hours=rng.uniform(0.3, 8)), now)
    Message.objects.filter(ticket=ticket, kind=Message.Kind.REPLY).update(created=answered)
    fields = {"first_responded_at": answered}
    if status in (Status.RESOLVED, Status.CLOSED):
        fields["resolved_at"] = answered
    if status == Status.CLOSED:
        fields["closed_at"] = min(answered + timedelta(days=7), now)
    if status == Status.WAITING:
        fields["waiting_since"] = answered
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    # The timeline as it happened, not at the time of seeding.
    from core.models import Event

    steps = list(
        Event.objects.filter(object_id=str(ticket.pk), content_type__model="ticket").order_by(
            "created", "id"
        )
    )
    for index, event in enumerate(steps):
        event.created = created if index == 0 else answered
    Event.objects.bulk_update(steps, ["created"])


def seed_desk() -> tuple[int, int]:
    """Calls and visits of the last month (once), three visitors in the building now."""
    from django.contrib.auth import get_user_model

    from helpdesk.models import Call, Visit

    if Call.objects.exists() or Visit.objects.exists():
        return 0, 0
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    mari = users.get("mari")
    if mari is None:
        return 0, 0
    hosts = [u for u in users.values() if u.username in ("kadri", "liis", "jaan", "andres")]
    rng = random.Random(8)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    calls, visits = [], []
    for days_ago in range(30, -1, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() >= 5:
            continue
        calls += [_demo_call(rng, day, mari) for _ in range(rng.randint(1, 4))]
        if days_ago == 0:
            continue  # today's visitors come through the service (their badge numbers)
        for badge in range(1, rng.randint(1, 3) + 1):
            arrived = timezone.make_aware(
                datetime.combine(day, time(rng.randint(9, 15), rng.randint(0, 59)))
            )
            visits.append(
                Visit(
                    name=rng.choice(NAMES),
                    organisation=rng.choice(ORGANISATIONS),
                    document_checked=rng.random() < 0.8,
                    host=rng.choice(hosts) if hosts else mari,
                    purpose=rng.choice(PURPOSES),
                    badge_number=badge,
                    arrived_at=arrived,
                    departed_at=arrived + timedelta(minutes=rng.randint(20, 120)),
                    registered_by=mari,
                )
            )
    Call.objects.bulk_create(calls)
    Visit.objects.bulk_create(visits)
    from helpdesk import services

    for name, organisation in (("Ülle Õunapuu", "OÜ Põhjarannik"), ("Igor Kuznetsov", "")):
        services.visit_arrive(
            actor=mari,
            name=name,
            organisation=organisation,
            document_checked=True,
            host=rng.choice(hosts) if hosts else mari,
            purpose=rng.choice(PURPOSES),
        )
    return len(calls), len(visits) + 2


def _demo_call(rng, day, mari):
    """A call mari took on ``day``: a caller, a topic of the support's subjects, an outcome."""
    from helpdesk.models import Call

    category, subject = rng.choice(SUBJECTS)
    return Call(
        caller=rng.choice(NAMES),
        phone="+372 5" + str(rng.randint(1000000, 9999999)),
        topic=subject,
        category=category,
        # "ticket made" only comes with a ticket (services.call_to_ticket)
        outcome=rng.choice([Call.Outcome.ANSWERED, Call.Outcome.FORWARDED, Call.Outcome.CALL_BACK]),
        duration_minutes=rng.randint(1, 15),
        taken_by=mari,
        at=timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)))),
    )


def seed() -> str:
    """User support's demo data (core.demo.register_seeder)."""
    articles = seed_articles()
    tickets = seed_tickets()
    calls, visits = seed_desk()
    return (
        f"User support: {articles} articles, {tickets} tickets, {calls} calls and "
        f"{visits} visits created."
    )
