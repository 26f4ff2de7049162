"""Demo data of the document register: a classification scheme, restriction bases, parties and
some 220 documents of the last months registered through the services (numbers, deadlines and
timelines are real). Idempotent: the scheme is matched by code; documents are made only once."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from faker import Faker

from core import calendar
from core.models import User
from registry import services
from registry.demo_data import (
    ADDRESSES,
    BASES,
    ORGANISATIONS,
    SCHEME,
    TITLES,
    TYPE_SERIES,
    TYPE_WEIGHTS,
)
from registry.models import (
    Channel,
    Document,
    DocumentType,
    Function,
    Party,
    RestrictionBasis,
    Series,
)

DOCUMENT_COUNT = 220


@transaction.atomic
def seed_scheme() -> int:
    """The restriction bases and the classification scheme; returns how many series were made."""
    bases = {}
    for code, title, description, personal in BASES:
        bases[code], _created = RestrictionBasis.objects.get_or_create(
            code=code,
            defaults={"title": title, "description": description, "is_personal_data": personal},
        )
    created = 0
    for function_code, function_title, series_list in SCHEME:
        function, _created = Function.objects.get_or_create(
            code=function_code, defaults={"title": function_title}
        )
        for code, title, years, basis in series_list:
            _series, was_created = Series.objects.get_or_create(
                code=code,
                defaults={
                    "function": function,
                    "title": title,
                    "retention_years": years,
                    "default_restriction_basis": bases.get(basis),
                },
            )
            created += was_created
    return created


#: Why a demo file is kept off the public register (the reasons clerks write).
WITHHELD_REASONS = ["Allkirjaga skaneering", "Sisaldab isikuandmeid", "Autoriõigusega kaitstud"]


def _parties(rng: random.Random) -> tuple[list[Party], list[Party]]:
    fake = Faker("et_EE")
    fake.seed_instance(2026)
    organisations = []
    for index, (name, code) in enumerate(ORGANISATIONS):
        code = code if code and _valid_registry_code(code) else None
        party, _created = Party.objects.get_or_create(
            name=name,
            is_private_person=False,
            defaults={
                "code": code or "",
                "address": ADDRESSES[index % len(ADDRESSES)],
                "email": f"info{index}@asutus.example.ee",
            },
        )
        organisations.append(party)
    people = []
    for index in range(30):
        name = fake.name()
        party, _created = Party.objects.get_or_create(
            name=name,
            is_private_person=True,
            defaults={
                "code": fake.ssn(min_age=18, max_age=80),
                "address": rng.choice(ADDRESSES),
                "email": f"isik{index}@example.ee",
                "phone": f"+372 5{rng.randint(1000000, 9999999)}",
            },
        )
        people.append(party)
    return organisations, people


def _reference(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}-{rng.randint(1, 12)}/{rng.randint(10, 999)}"


def _valid_registry_code(code: str) -> bool:
    from django.core.exceptions import ValidationError

    from core.validators import validate_registry_code

    try:
        validate_registry_code(code)
    except ValidationError:
        return False
    return True


def _pdf(title: str, number_hint: int) -> SimpleUploadedFile:
    from core.pdf import html_to_pdf

    html = (
        f"<h1>{title}</h1><p>Lugupeetud ametnik</p><p>Palun vaadata läbi meie pöördumine "
        f"nr {number_hint}. Küsimus puudutab majandustegevuse registri andmeid ja "
        "e-teeninduse kasutamist.</p><p>Lugupidamisega</p>"
    )
    return SimpleUploadedFile(f"poordumine-{number_hint}.pdf", html_to_pdf(html), "application/pdf")


def seed_documents() -> int:
    """Register the demo documents once (nothing when the register already has documents)."""
    if Document.objects.exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    staff = {user.username: user for user in User.objects.filter(is_active=True)}
    clerk = staff.get("mari")
    if clerk is None:
        return 0
    handlers = [staff[name] for name in ("mari", "liis", "jaan", "kadri") if name in staff]
    advisor = staff.get("liis", clerk)
    organisations, people = _parties(rng)
    series = {s.code: s for s in Series.objects.all()}
    bases = list(RestrictionBasis.objects.filter(is_personal_data=True))
    today = timezone.localdate()
    types = list(TYPE_WEIGHTS)
    context = {
        "clerk": clerk,
        "handlers": handlers,
        "organisations": organisations,
        "people": people,
        "series": series,
        "bases": bases,
        "today": today,
        "types": types,
        "weights": [TYPE_WEIGHTS[t] for t in types],
    }
    made: list[Document] = []
    # Received days: the last ~130 calendar days, oldest first, so numbers follow dates.
    days = sorted(today - timedelta(days=rng.randint(0, 130)) for _ in range(DOCUMENT_COUNT))
    late = random.Random(12)  # noqa: S311 - its own stream: the rest stays as it was
    dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with dummy_mail, transaction.atomic():
        for index, received_on in enumerate(days):
            kwargs = _document_kwargs(rng, late, index, received_on, made, context)
            document = services.document_register(**kwargs)
            made.append(document)
            _progress(rng, document, actor=advisor, handlers=handlers, today=today)
    return len(made)


def _document_kwargs(rng, late, index: int, received_on, made: list, context: dict) -> dict:
    """What ``document_register`` is given for the demo's ``index``-th document: a type by its
    weight, a private person or an organisation (a private person's sometimes restricted), a
    parcel's details, a deadline, a PDF (a few withheld from the public), a follow-up."""
    c = context
    doc_type = rng.choices(c["types"], c["weights"])[0]
    private = rng.random() < 0.35 and doc_type not in (DocumentType.INVOICE, DocumentType.PARCEL)
    sender = rng.choice(c["people"] if private else c["organisations"])
    restricted = private and rng.random() < 0.4
    kwargs = {
        "actor": c["clerk"],
        "series": c["series"][rng.choice(TYPE_SERIES[doc_type])],
        "doc_type": doc_type,
        "channel": Channel.EMAIL
        if doc_type == DocumentType.EMAIL
        else rng.choice([Channel.POST, Channel.EMAIL, Channel.DHX, Channel.WEB]),
        "title": rng.choice(TITLES[doc_type]),
        "received_on": received_on,
        "sender": sender,
        "responsible": rng.choice(c["handlers"]),
        "restriction_basis": rng.choice(c["bases"]) if restricted and c["bases"] else None,
        "sender_reference": "" if private else _reference(rng),
        "registered_on": _registered_on(late, received_on, c["today"]),
    }
    if doc_type == DocumentType.PARCEL:
        kwargs["channel"] = Channel.COURIER
        kwargs["parcel"] = {
            "carrier": rng.choice(["Omniva", "DPD", "Itella Smartpost", "Venipak"]),
            "tracking_code": f"CC{rng.randint(100000000, 999999999)}EE",
            "handed_to": rng.choice(c["handlers"]),
            "receipt_signed_by": "Mari Tamm",
        }
    if doc_type == DocumentType.LETTER and rng.random() < 0.3:
        kwargs["deadline"] = calendar.add_working_days(received_on, 10)
    if index % 40 == 0:
        kwargs["files"] = [_pdf(kwargs["title"], index)]
        if index % 120 == 0:  # most are public (AvTS § 12 (4¹)); some kept back, with why
            kwargs["public_files"] = False
            kwargs["withheld_reason"] = rng.choice(WITHHELD_REASONS)
    if made and rng.random() < 0.05:
        parent = rng.choice(made)
        kwargs["parent"] = parent
        kwargs["series"] = parent.series
    return kwargs


def _registered_on(rng, received_on: date, today: date) -> date:
    """Registered in time (the day it came, the next working day after a day off), and now and
    then a few working days late, as happens: the register keeps both days."""
    in_time = calendar.registration_day(received_on)
    if rng.random() < 0.04:
        later = calendar.add_working_days(in_time, rng.randint(2, 4))
        if later <= today:
            return later
    return in_time


def _progress(rng, document: Document, *, actor: User, handlers: list[User], today: date) -> None:
    """Move some documents on: replies, closings, extensions, tasks — a register in use."""
    age = (today - document.registered_on).days
    if document.deadline is None:
        if age > 20 and rng.random() < 0.6:
            services.document_close(
                actor=actor, document=document, reason="Teadmiseks võetud, vastust ei vaja."
            )
        return
    roll = rng.random()
    if age > 10 and roll < 0.55:
        sent_on = min(document.deadline, today, document.registered_on + timedelta(days=4))
        while not calendar.is_working_day(sent_on):
            sent_on -= timedelta(days=1)
        sent_on = max(sent_on, document.registered_on)
        services.document_register_reply(
            actor=document.responsible or actor,
            document=document,
            title=f"Vastus: {document.title}",
            channel=Channel.EMAIL,
            sent_on=sent_on,
        )
    elif age > 10 and roll < 0.65:
        services.document_close(actor=actor, document=document, reason="Vastatud telefoni teel.")
    elif roll < 0.8 and document.responsible and document.deadline >= today:
        services.task_give(
            actor=actor,
            document=document,
            assignee=rng.choice(handlers),
            instruction="Palun valmistada vastuse projekt ja kooskõlastada juhatajaga.",
            due_on=max(today, document.deadline - timedelta(days=1)),
        )


def seed() -> str:
    """The register's demo data and the registration inbox (core.demo.register_seeder)."""
    from registry import demo_inbox

    series = seed_scheme()
    documents = seed_documents()
    inbox = demo_inbox.seed_inbox()
    return (
        f"Document register: {series} series and {documents} documents created.\n"
        f"Registration inbox: {inbox} messages and scans."
    )
