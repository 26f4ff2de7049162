"""Demo data of outgoing mail: the standard templates in three languages and letters in every
state, with today's dispatch list (idempotent: nothing is added twice)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

# code, name, for replies, {language: (subject, body)}
TEMPLATES = [
    (
        "teabenoude-vastus",
        "Vastus teabenõudele",
        True,
        {
            "et": (
                "Vastus teabenõudele",
                "Lugupeetud {{ addressee }}\n\n"
                "Täname Teid {{ their_date }} teabenõude eest (meil registreeritud "
                "{{ incoming_date }} nr {{ incoming_number }}).\n\n"
                "Väljastame Teile soovitud teabe lisatud dokumentidena. Kui vajate lisateavet, "
                "vastake sellele kirjale või helistage meie klienditoele.",
            ),
            "en": (
                "Reply to your request for information",
                "Dear {{ addressee }}\n\n"
                "Thank you for your request for information of {{ their_date }} (registered by "
                "us on {{ incoming_date }} under no. {{ incoming_number }}).\n\n"
                "Please find the information you asked for in the attached documents. If you "
                "need anything further, reply to this letter or call our customer support.",
            ),
            "ru": (
                "Ответ на запрос информации",
                "Уважаемый(-ая) {{ addressee }}\n\n"
                "Благодарим вас за запрос информации от {{ their_date }} (зарегистрирован "
                "у нас {{ incoming_date }} под № {{ incoming_number }}).\n\n"
                "Запрошенная информация приведена в приложенных документах. Если вам нужны "
                "дополнительные сведения, ответьте на это письмо или позвоните в службу поддержки.",
            ),
        },
    ),
    (
        "teabenoude-pikendamine",
        "Teabenõude täitmise tähtaja pikendamine",
        True,
        {
            "et": (
                "Teabenõude täitmise tähtaja pikendamine",
                "Lugupeetud {{ addressee }}\n\n"
                "Teie {{ their_date }} teabenõude (meil nr {{ incoming_number }}) täitmiseks on "
                "vaja teavet täpsustada. Avaliku teabe seaduse § 19 alusel pikendame teabenõude "
                "täitmise tähtaega kuni {{ deadline }}.\n\n"
                "Vabandame viivituse pärast.",
            ),
            "en": (
                "Extension of the time to answer your request for information",
                "Dear {{ addressee }}\n\n"
                "To answer your request for information of {{ their_date }} (our no. "
                "{{ incoming_number }}) the information has to be specified. Under § 19 of the "
                "Public Information Act we extend the time to answer it until {{ deadline }}.\n\n"
                "We apologise for the delay.",
            ),
            "ru": (
                "Продление срока ответа на запрос информации",
                "Уважаемый(-ая) {{ addressee }}\n\n"
                "Для ответа на ваш запрос информации от {{ their_date }} (наш № "
                "{{ incoming_number }}) необходимо уточнить сведения. На основании § 19 Закона "
                "о публичной информации срок ответа продлевается до {{ deadline }}.\n\n"
                "Приносим извинения за задержку.",
            ),
        },
    ),
    (
        "edastamisteade",
        "Teabenõude edastamise teade",
        True,
        {
            "et": (
                "Teabenõude edastamine",
                "Lugupeetud {{ addressee }}\n\n"
                "Teie {{ their_date }} teabenõudes (meil nr {{ incoming_number }}) küsitud teavet "
                "meil ei ole. Avaliku teabe seaduse § 21 alusel edastasime teabenõude asutusele, "
                "kellel see teave on. Vastuse saate otse sealt.",
            ),
            "en": (
                "Your request for information has been forwarded",
                "Dear {{ addressee }}\n\n"
                "We do not hold the information asked for in your request of {{ their_date }} "
                "(our no. {{ incoming_number }}). Under § 21 of the Public Information Act we "
                "have forwarded the request to the authority that holds it; it will answer you.",
            ),
            "ru": (
                "Запрос информации передан",
                "Уважаемый(-ая) {{ addressee }}\n\n"
                "Запрошенной в вашем запросе от {{ their_date }} (наш № {{ incoming_number }}) "
                "информации у нас нет. На основании § 21 Закона о публичной информации мы "
                "передали запрос учреждению, у которого она есть; ответ вы получите оттуда.",
            ),
        },
    ),
    (
        "uldvastus",
        "Üldine vastuskiri",
        True,
        {
            "et": (
                "Vastus Teie pöördumisele",
                "Lugupeetud {{ addressee }}\n\n"
                "Vastame Teie {{ their_date }} pöördumisele (meil nr {{ incoming_number }}).\n\n",
            ),
            "en": (
                "Reply to your letter",
                "Dear {{ addressee }}\n\n"
                "We reply to your letter of {{ their_date }} (our no. {{ incoming_number }}).\n\n",
            ),
            "ru": (
                "Ответ на ваше обращение",
                "Уважаемый(-ая) {{ addressee }}\n\n"
                "Отвечаем на ваше обращение от {{ their_date }} (наш № {{ incoming_number }}).\n\n",
            ),
        },
    ),
]

LETTER_SUBJECTS = [
    "Kutse ümarlauale e-teenuste arendamise teemal",
    "Teave majandustegevuse registri hooldustööde kohta",
    "Arve tasumise meeldetuletus",
    "Lepingu muudatuse kooskõlastamine",
    "Vastus koostööettepanekule",
    "Andmete esitamise tähtaja meeldetuletus",
]


@transaction.atomic
def seed_templates() -> int:
    from correspondence.models import LetterTemplate

    made = 0
    for code, name, for_replies, texts in TEMPLATES:
        for language, (subject, body) in texts.items():
            _template, created = LetterTemplate.objects.get_or_create(
                code=code,
                language=language,
                defaults={
                    "name": name,
                    "subject": subject,
                    "body": body,
                    "for_replies": for_replies,
                },
            )
            made += created
    return made


def seed_letters() -> int:
    """Letters in every state (once: nothing when letters exist), with today's dispatch list."""
    from django.contrib.auth import get_user_model

    from correspondence import services
    from correspondence.models import Letter, LetterTemplate
    from registry.models import Document, DocumentType, Party, Series

    if Letter.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    clerk, head, advisor = users.get("mari"), users.get("kadri"), users.get("liis")
    if not (clerk and head and advisor):
        return 0
    rng = random.Random(6)  # noqa: S311 - demo data, not security
    series = Series.objects.filter(code="1-2").first() or Series.objects.first()
    parties = list(Party.objects.exclude(address="").order_by("pk")[:40])
    if series is None or not parties:
        return 0
    open_requests = list(
        Document.objects.filter(
            doc_type=DocumentType.INFORMATION_REQUEST,
            status=Document.Status.OPEN,
            sender__isnull=False,
            restriction_basis__isnull=True,
        )
        .select_related("sender")
        .order_by("-registered_on")[:6]
    )
    reply_template = LetterTemplate.objects.filter(code="teabenoude-vastus", language="et").first()
    dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    made = 0
    with dummy_mail, transaction.atomic():
        for index, (channel, state) in enumerate(_plan()):
            reply_to = (
                open_requests.pop(0) if open_requests and state in ("sent", "today") else None
            )
            party = reply_to.sender if reply_to is not None else rng.choice(parties)
            letter = _demo_letter(
                index, channel, state, party, reply_to, reply_template, series, clerk, advisor
            )
            services.letter_render(letter_id=letter.pk)
            _move_to(state, letter, clerk=clerk, head=head, services=services)
            made += 1
    return made


def _plan() -> list[tuple[str, str]]:
    """The demo letters: (channel, the state each ends in)."""
    from correspondence.models import Channel

    return [
        (Channel.POST, "sent"),
        (Channel.REGISTERED, "sent"),
        (Channel.EMAIL, "sent"),
        (Channel.EMAIL, "failed"),
        (Channel.POST, "today"),
        (Channel.REGISTERED, "today"),
        (Channel.POST, "today"),
        (Channel.EMAIL, "draft"),
        (Channel.POST, "awaiting_approval"),
        (Channel.EMAIL, "approved"),
        (Channel.HAND, "sent"),
        (Channel.POST, "cancelled"),
        (Channel.REGISTERED, "delivered"),
        (Channel.POST, "returned"),
    ]


def _demo_letter(index, channel, state, party, reply_to, reply_template, series, clerk, advisor):
    """One demo letter made by the clerk for the advisor to sign: a reply from the template to
    an open information request, or a letter of its own; its channel fits the party (no e-mail
    without an address, no post without a postal address)."""
    from correspondence import services
    from correspondence.models import Channel

    if channel == Channel.EMAIL and not party.email:
        channel = Channel.POST if party.address else Channel.HAND
    if channel in (Channel.POST, Channel.REGISTERED) and not party.address:
        channel = Channel.EMAIL if party.email else Channel.HAND
    if reply_to is not None:
        subject, body = services.template_prefill(
            template=reply_template, incoming=reply_to, addressee=party, signer=advisor
        )
    else:
        subject = LETTER_SUBJECTS[index % len(LETTER_SUBJECTS)]
        body = (
            "Lugupeetud {{ addressee }}\n\n"
            f"{subject}. Palume Teil tutvuda lisatud teabega ja vajadusel "
            "võtta meiega ühendust hiljemalt kahe nädala jooksul.\n\n"
            "Täname koostöö eest."
        )
    return services.letter_create(
        actor=clerk,
        subject=subject,
        body=body,
        signer=advisor,
        addressees=[services.Addressee(party, channel)],
        in_reply_to=reply_to,
        series=None if reply_to else series,
        template=reply_template if reply_to else None,
        needs_approval=state in ("awaiting_approval", "approved"),
        needs_signature=state == "draft",  # the others go as their PDF, unsigned
    )


def _move_to(state: str, letter, *, clerk, head, services) -> None:
    from correspondence.models import Dispatch

    today = timezone.localdate()
    if state == "draft":
        return
    if state in ("awaiting_approval", "approved"):
        services.letter_submit(actor=clerk, letter=letter)
        if state == "approved":
            services.letter_approve(actor=head, letter=letter)
        return
    if state == "cancelled":
        services.letter_cancel(actor=clerk, letter=letter, reason="Kiri koostati topelt.")
        return
    services.letter_send(actor=clerk, letter=letter)
    dispatch = letter.dispatches.get()
    if state == "today":
        return
    if dispatch.dispatch_list_id and state != "today":
        # Letters of earlier days: their list was taken to the post office then.
        Dispatch.objects.filter(pk=dispatch.pk).update(dispatch_list=None)
        earlier = services.dispatch_list_for(today - timedelta(days=7))
        Dispatch.objects.filter(pk=dispatch.pk).update(dispatch_list=earlier)
        if not earlier.is_taken:
            services.dispatch_list_take(actor=clerk, dispatch_list=earlier)
            afternoon = timezone.make_aware(datetime.combine(earlier.day, time(15, 30)))
            type(earlier).objects.filter(pk=earlier.pk).update(taken_at=afternoon)
            Dispatch.objects.filter(dispatch_list=earlier).update(sent_at=afternoon)
        dispatch.refresh_from_db()
    if dispatch.channel == "email":
        _email_ended(dispatch.outbound_email, failed=state == "failed", services=services)
    if dispatch.channel == "registered":
        services.dispatch_record_tracking(
            actor=clerk, dispatch=dispatch, tracking_code=f"RR{400000000 + dispatch.pk}EE"
        )
    if state == "delivered":
        # Two days after it left, the notice says; never before it left (a holiday week moves
        # the earlier list forward) and never after today.
        left = timezone.localdate(dispatch.sent_at) if dispatch.sent_at else today
        services.dispatch_record_delivery(
            actor=clerk, dispatch=dispatch, delivered_on=min(today, left + timedelta(days=2))
        )
    if state == "returned":
        services.dispatch_record_return(
            actor=clerk,
            dispatch=dispatch,
            returned_on=today - timedelta(days=1),
            reason="Adressaat ei ela aadressil",
        )


def seed() -> str:
    """Outgoing mail's demo data (core.demo.register_seeder)."""
    templates = seed_templates()
    letters = seed_letters()
    return f"Outgoing mail: {templates} templates and {letters} letters created."


def _email_ended(email, *, failed: bool, services) -> None:
    """The outbox e-mail of a demo letter sent (or refused for good), and the letter told."""
    from core.models import OutboundEmail

    if failed:
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED,
            attempts=8,
            last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
        )
    else:
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.SENT, attempts=1, sent_at=timezone.now()
        )
    services.email_outcome(email_id=email.pk)
