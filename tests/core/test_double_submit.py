"""20 identical POSTs at the same moment (a double click, a retrying browser, a resubmitted tab)
on every form that creates or sends something: exactly one object or message, and every answer
is the result (a redirect to the same page) — never a second one, never a 500.

One table (``FORMS``): each row prepares what its form needs and says what it posts and what to
count. Each request runs in its own thread with its own test client and database connection
(TESTING.md), all released at once by a barrier.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from core import roles, submissions
from core.models import OutboundEmail
from tests.factories import PartyFactory, SeriesFactory, UserFactory, in_time
from tests.registry.conftest import last_working_day

PARALLEL = 20


@dataclass
class Form:
    """One form: ``url`` posted ``data()`` (a fresh dict per request, files are read once)
    signed in as ``user`` (None: a public form); ``count()`` must go from 0 to 1."""

    url: str
    data: Callable[[], dict]
    count: Callable[[], int]
    user: object = None
    prepare: Callable[[Client], object] | None = None  # per client, before the posts


def _user(*role_list, **kwargs):
    return UserFactory(roles=list(role_list), **kwargs)


def _pdf(name="kiri.pdf"):
    from tests.mtr.test_public_apply import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# --- The forms ----------------------------------------------------------------------------------


def document_registration() -> Form:
    """A letter from a new sender: one document, one register number, one party."""
    from registry.models import Document, Party
    from tests.registry.test_register_views import letter, new_sender

    series = SeriesFactory(code="1-2", title="Kirjavahetus")

    def count():
        documents = Document.objects.count()
        parties = Party.objects.filter(name="Jüri Õunapuu").count()
        return documents if documents == parties else (documents, parties)

    return Form(
        url=reverse("registry:document-register"),
        data=lambda: letter(series, **new_sender()),
        count=count,
        user=_user(roles.CLERK),
    )


def _document(clerk, **kwargs):
    from registry import services
    from registry.models import Channel, DocumentType

    values = {
        "actor": clerk,
        "series": SeriesFactory(code="5-1", title="Teabenõuded"),
        "doc_type": DocumentType.LETTER,
        "channel": Channel.POST,
        "title": "Kiri teenuse kohta",
        "received_on": last_working_day(),
        "sender": PartyFactory(name="OÜ Põhjarannik", code=""),
        "restriction_basis": None,
    }
    values.update(kwargs)
    values.setdefault("registered_on", in_time(values))
    return services.document_register(**values)


def task_give() -> Form:
    from registry.models import Task

    clerk, advisor = _user(roles.CLERK, username="clerk"), _user(roles.ADVISOR, username="adv")
    document = _document(clerk)
    return Form(
        url=reverse("registry:task-give", args=[document.pk]),
        data=lambda: {
            "task-assignee": clerk.pk,
            "task-instruction": "Koosta vastus",
            "task-due_on": (date.today() + timedelta(days=3)).isoformat(),
        },
        count=lambda: Task.objects.count(),
        user=advisor,
    )


def reply_register() -> Form:
    from registry.models import Channel, Document

    clerk = _user(roles.CLERK)
    document = _document(clerk)
    return Form(
        url=reverse("registry:reply-register", args=[document.pk]),
        data=lambda: {
            "reply-title": "Vastus teabenõudele",
            "reply-channel": Channel.EMAIL,
            "reply-sent_on": document.registered_on.isoformat(),
        },
        count=lambda: Document.objects.exclude(pk=document.pk).count(),
        user=clerk,
    )


def attachment_add() -> Form:
    from registry.models import Attachment

    clerk = _user(roles.CLERK)
    document = _document(clerk)
    return Form(
        url=reverse("registry:attachment-add", args=[document.pk]),
        data=lambda: {"attach-files": [_pdf()], "attach-is_public": "on"},
        count=lambda: Attachment.objects.count(),
        user=clerk,
    )


def ticket_reply() -> Form:
    """The answer to a requester: one message, one e-mail."""
    from helpdesk import services
    from helpdesk.models import Category, Message, TicketChannel

    ticket = services.ticket_create(
        subject="Ei saa sisse logida",
        body="Mobiil-ID annab vea.",
        channel=TicketChannel.PHONE,
        category=Category.ACCOUNT,
        requester_email="",
        requester_name="Kati Kask",
    )
    ticket.requester_email = "kasutaja@example.ee"  # no acknowledgement e-mail to count
    ticket.save(update_fields=["requester_email"])

    def count():
        replies = Message.objects.filter(ticket=ticket, kind=Message.Kind.REPLY).count()
        emails = OutboundEmail.objects.filter(to__contains=["kasutaja@example.ee"]).count()
        assert replies == emails, (replies, emails)
        return emails

    return Form(
        url=reverse("helpdesk:ticket-reply", args=[ticket.pk]),
        data=lambda: {"reply-body": "Proovige uuesti.", "reply-then": "open"},
        count=count,
        user=_user(roles.CLERK),
    )


def ticket_note() -> Form:
    from helpdesk import services
    from helpdesk.models import Category, Message, TicketChannel

    ticket = services.ticket_create(
        subject="Küsimus",
        body="Tere",
        channel=TicketChannel.PHONE,
        category=Category.ACCOUNT,
        requester_email="",
        requester_name="Kati Kask",
    )
    return Form(
        url=reverse("helpdesk:ticket-note", args=[ticket.pk]),
        data=lambda: {"note-body": "Helistasin tagasi."},
        count=lambda: Message.objects.filter(ticket=ticket, kind=Message.Kind.NOTE).count(),
        user=_user(roles.CLERK),
    )


def contact_form() -> Form:
    from helpdesk.models import Ticket
    from tests.helpdesk.test_public_views import contact_data

    key = submissions.new_key()
    return Form(
        url=reverse("helpdesk:public-contact"),
        data=lambda: contact_data(key),
        count=lambda: Ticket.objects.count(),
    )


def call_log() -> Form:
    from helpdesk.models import Call
    from tests.helpdesk.test_desk_views import call_data

    return Form(
        url=reverse("helpdesk:call-list"),
        data=call_data,
        count=lambda: Call.objects.count(),
        user=_user(roles.CLERK),
    )


def visitor_log() -> Form:
    from helpdesk.models import Visit
    from tests.helpdesk.test_desk_views import visit_data

    host = _user(roles.ADVISOR, username="host")
    return Form(
        url=reverse("helpdesk:visit-list"),
        data=lambda: visit_data(host),
        count=lambda: Visit.objects.count(),
        user=_user(roles.CLERK),
    )


def mtr_apply() -> Form:
    from mtr.models import Application
    from tests.mtr.test_public_apply import apply_url, licence_data, make_licence_area, png_file

    area = make_licence_area()
    key = submissions.new_key()
    return Form(
        url=apply_url(action="licence", area=area.code),
        data=lambda: {
            **licence_data(key),
            "file_insurance": _pdf("kindlustus.pdf"),
            "other_files": [png_file()],
        },
        count=lambda: Application.objects.count(),
    )


def letter_send() -> Form:
    """A letter by e-mail: one dispatch e-mail."""
    from correspondence import services
    from correspondence.models import Channel

    clerk = _user(roles.CLERK)
    party = PartyFactory(name="OÜ Põhjarannik", code="", email="info@pohjarannik.example.ee")
    letter = services.letter_create(
        actor=clerk,
        subject="Teave koosoleku kohta",
        body="Lugupeetud {{ addressee }}\n\nKoosolek toimub 5. detsembril.",
        signer=clerk,
        addressees=[services.Addressee(party, Channel.EMAIL)],
        series=SeriesFactory(code="1-9", title="Kirjad"),
    )
    return Form(
        url=reverse("correspondence:letter-send", args=[letter.pk]),
        data=dict,
        count=lambda: OutboundEmail.objects.filter(to__contains=[party.email]).count(),
        user=clerk,
    )


def asset_create() -> Form:
    from assets.models import Asset, Category

    manager = _user(roles.ASSET_MANAGER)
    return Form(
        url=reverse("assets:asset-new"),
        data=lambda: {
            "name": "Dokumendikaamera Ipevo",
            "category": Category.OTHER,
            "serial_number": "IP-1",
            "new_location": "Pärnu mnt 10, 12",
            "responsible": manager.pk,
            "state": Asset.State.IN_STORAGE,
            "purchase_date": "2024-05-02",
            "price": "1234,50",
        },
        count=lambda: Asset.objects.count(),
        user=manager,
    )


def _events_after(obj=None, verb=None):
    """Counts the timeline events (of ``obj``; of ``verb``) recorded from now on."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import Event

    events = Event.objects.all()
    if obj is not None:
        events = events.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
    if verb is not None:
        events = events.filter(verb=verb)
    last = events.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda: events.filter(pk__gt=last).count()


# Registry


def document_share() -> Form:
    from registry.models import DocumentShare

    advisor, clerk = _user(roles.ADVISOR, username="adv"), _user(roles.CLERK, username="clerk")
    document = _document(clerk)
    other = _user(roles.CLERK, username="other")
    return Form(
        url=reverse("registry:document-share", args=[document.pk]),
        data=lambda: {"share-user": other.pk},
        count=lambda: DocumentShare.objects.filter(document=document, user=other).count(),
        user=advisor,
    )


def deadline_extend() -> Form:
    clerk = _user(roles.CLERK)
    document = _document(clerk, deadline=last_working_day() + timedelta(days=10))
    document.refresh_from_db()
    new = (document.deadline + timedelta(days=5)).isoformat()
    return Form(
        url=reverse("registry:deadline-extend", args=[document.pk]),
        data=lambda: {"extend-new_deadline": new, "extend-reason": "Ootame ekspertiisi"},
        count=_events_after(document),
        user=clerk,
    )


def restriction_extend() -> Form:
    from registry import services
    from tests.factories import RestrictionBasisFactory

    clerk, advisor = _user(roles.CLERK, username="clerk"), _user(roles.ADVISOR, username="adv")
    document = services.document_restrict(
        actor=advisor,
        document=_document(clerk),
        basis=RestrictionBasisFactory(),
        end=date.today() + timedelta(days=365),
    )
    new_end = (date.today() + timedelta(days=730)).isoformat()
    return Form(
        url=reverse("registry:restriction-extend", args=[document.pk]),
        data=lambda: {
            "extend_restriction-new_end": new_end,
            "extend_restriction-reason": "Menetlus kestab",
        },
        count=_events_after(document),
        user=advisor,
    )


def parcel_hand_over() -> Form:
    from registry.models import Channel, DocumentType

    clerk = _user(roles.CLERK, username="clerk")
    receiver = _user(roles.CLERK, username="receiver")
    parcel = _document(
        clerk,
        doc_type=DocumentType.PARCEL,
        channel=Channel.COURIER,
        parcel={"carrier": "DPD", "tracking_code": "05222222"},
    )
    return Form(
        url=reverse("registry:parcel-hand-over", args=[parcel.pk]),
        data=lambda: {"parcel-handed_to": receiver.pk, "parcel-receipt_signed_by": "Rein Vastutav"},
        count=_events_after(parcel),
        user=clerk,
    )


def task_forward() -> Form:
    from registry import services
    from registry.models import Task

    clerk, advisor = _user(roles.CLERK, username="clerk"), _user(roles.ADVISOR, username="adv")
    colleague = _user(roles.CLERK, username="colleague")
    task = services.task_give(
        actor=advisor,
        document=_document(clerk),
        assignee=clerk,
        instruction="Vasta pöördujale",
        due_on=date.today() + timedelta(days=3),
    )
    return Form(
        url=reverse("registry:task-forward", args=[task.pk]),
        data=lambda: {
            f"task{task.pk}-forward-to_user": colleague.pk,
            f"task{task.pk}-forward-comment": "Sinu valdkond",
        },
        count=lambda: Task.objects.filter(forwarded_from=task).count(),
        user=clerk,
    )


def scheme_function_create() -> Form:
    from registry.models import Function

    return Form(
        url=reverse("registry:function-create"),
        data=lambda: {"code": "4", "title": "Haldus"},
        count=lambda: Function.objects.filter(code="4").count(),
        user=_user(roles.ADVISOR),
    )


# Correspondence


def _letter(clerk, party, channel=None, **kwargs):
    from correspondence import services
    from correspondence.models import Channel

    return services.letter_create(
        actor=clerk,
        subject="Teave koosoleku kohta",
        body="Lugupeetud {{ addressee }}\n\nKoosolek toimub 5. detsembril.",
        signer=clerk,
        addressees=[services.Addressee(party, channel or Channel.EMAIL)],
        series=SeriesFactory(code="1-9", title="Kirjad"),
        **kwargs,
    )


def _email_party():
    return PartyFactory(
        name="OÜ Põhjarannik",
        code="",
        address="Mere pst 5, 10111 Tallinn",
        email="info@pohjarannik.example.ee",
    )


def letter_compose() -> Form:
    from correspondence.models import Channel, Letter
    from tests.correspondence.test_letter_views import compose_data

    clerk = _user(roles.CLERK)
    party, series = _email_party(), SeriesFactory(code="1-9", title="Kirjad")
    return Form(
        url=reverse("correspondence:letter-new"),
        data=lambda: compose_data(addressees=[(party, Channel.EMAIL)], signer=clerk, series=series),
        count=lambda: Letter.objects.count(),
        user=clerk,
    )


def letter_reply() -> Form:
    from correspondence.models import Channel, Letter
    from registry import services
    from registry.models import Channel as RegistryChannel
    from registry.models import DocumentType
    from tests.correspondence.test_letter_views import compose_data

    clerk = _user(roles.CLERK)
    person = PartyFactory(
        is_private_person=True,
        name="Jüri Õunapuu",
        code="",
        address="Tähe 12-4, 50103 Tartu",
        email="juri@example.ee",
    )
    request = services.document_register(
        actor=clerk,
        series=SeriesFactory(code="1-2", title="Kirjavahetus"),
        doc_type=DocumentType.INFORMATION_REQUEST,
        channel=RegistryChannel.EMAIL,
        title="Teabenõue: ruumide üürilepingud",
        received_on=last_working_day(),
        sender=person,
        restriction_basis=None,
    )
    return Form(
        url=reverse("correspondence:letter-new") + f"?reply_to={request.pk}",
        data=lambda: compose_data(addressees=[(person, Channel.EMAIL)], signer=clerk),
        count=lambda: Letter.objects.filter(in_reply_to=request).count(),
        user=clerk,
    )


def letter_submit() -> Form:
    clerk = _user(roles.CLERK)
    _user(roles.HEAD, username="head")
    letter = _letter(clerk, _email_party(), needs_approval=True)
    return Form(
        url=reverse("correspondence:letter-submit", args=[letter.pk]),
        data=dict,
        count=_events_after(letter),
        user=clerk,
    )


def dispatch_retry() -> Form:
    from correspondence import services
    from correspondence.models import Dispatch

    clerk = _user(roles.CLERK)
    party = _email_party()
    letter = _letter(clerk, party)
    services.letter_send(actor=clerk, letter=letter)
    dispatch = Dispatch.objects.get(letter=letter)
    OutboundEmail.objects.filter(pk=dispatch.outbound_email_id).update(
        status=OutboundEmail.Status.FAILED
    )
    Dispatch.objects.filter(pk=dispatch.pk).update(
        status=Dispatch.Status.FAILED, error="SMTPServerDisconnected"
    )
    return Form(
        url=reverse("correspondence:dispatch-retry", args=[dispatch.pk]),
        data=dict,
        count=_events_after(letter, "resent"),
        user=clerk,
    )


def dispatch_take() -> Form:
    from django.utils import timezone

    from core import calendar
    from correspondence import services
    from correspondence.models import Channel, DispatchList

    clerk = _user(roles.CLERK)
    letter = _letter(clerk, _email_party(), Channel.POST)
    services.letter_send(actor=clerk, letter=letter)
    dispatch_list = DispatchList.objects.get(day=calendar.registration_day(timezone.localdate()))
    events = _events_after(letter)
    return Form(
        url=reverse("correspondence:dispatch-take", args=[dispatch_list.day.isoformat()]),
        data=dict,
        count=lambda: (
            DispatchList.objects.filter(taken_by__isnull=False).count()
            if events() <= 2
            else ("events", events())
        ),
        user=clerk,
    )


def template_create() -> Form:
    from correspondence.models import LetterTemplate
    from tests.correspondence.test_template_views import form_data

    return Form(
        url=reverse("correspondence:template-new"),
        data=form_data,
        count=lambda: LetterTemplate.objects.count(),
        user=_user(roles.ADVISOR),
    )


# MTR


def _application(**kwargs):
    from mtr import services
    from mtr.models import Application
    from tests.mtr.test_public_apply import REGISTRY_CODE, make_licence_area

    SeriesFactory(code="4-1", title="Tegevusloa taotlused")
    values = {
        "area": make_licence_area(),
        "type": Application.Type.NEW,
        "business_name": "Pärnu Valve OÜ",
        "registry_code": REGISTRY_CODE,
        "address": "Rüütli 25, 80010 Pärnu",
        "contact_person": "Kristjan Õunapuu",
        "email": "info@valve.example.ee",
        "addresses": ["Ranna pst 5, Pärnu"],
        "data": {"staff": 12},
    }
    values.update(kwargs)
    return services.application_submit(**values)


def mtr_intake() -> Form:
    from mtr.models import Application
    from tests.mtr.test_intake import licence_data
    from tests.mtr.test_public_apply import make_licence_area

    SeriesFactory(code="4-1", title="Tegevusloa taotlused")
    area = make_licence_area()
    key = submissions.new_key()
    return Form(
        url=reverse("mtr:application-new") + f"?action=licence&area={area.code}",
        data=lambda: {**licence_data(key), "file_insurance": _pdf("kindlustus.pdf")},
        count=lambda: Application.objects.count(),
        user=_user(roles.CLERK),
    )


def mtr_request_data() -> Form:
    from mtr import services
    from mtr.models import DeficiencyRequest

    processor = _user(roles.MTR_PROCESSOR, username="processor")
    application = services.application_claim(actor=processor, application=_application())
    mail_count = OutboundEmail.objects.count()

    def count():
        requests = DeficiencyRequest.objects.count()
        emails = OutboundEmail.objects.count() - mail_count
        return requests if requests == emails else (requests, emails)

    return Form(
        url=reverse("mtr:application-request-data", args=[application.pk]),
        data=lambda: {
            "request-text": "Lisage turvatöötajate nimekiri.",
            "request-due_on": (date.today() + timedelta(days=14)).isoformat(),
        },
        count=count,
        user=processor,
    )


def mtr_decide() -> Form:
    from mtr import services
    from mtr.models import Entry

    processor = _user(roles.MTR_PROCESSOR, username="processor")
    application = services.application_claim(actor=processor, application=_application())
    return Form(
        url=reverse("mtr:application-decide", args=[application.pk]),
        data=lambda: {"decide-decision": "grant", "decide-reason": "Nõuded on täidetud."},
        count=lambda: Entry.objects.count(),
        user=processor,
    )


def mtr_public_answer() -> Form:
    from mtr import services
    from mtr.verbs import Verb
    from tests.mtr.test_public_apply import REGISTRY_CODE

    processor = _user(roles.MTR_PROCESSOR, username="processor")
    application = services.application_claim(actor=processor, application=_application())
    services.application_request_data(
        actor=processor, application=application, text="Lisage nimekiri."
    )
    found = {"code": application.tracking_code_display, "registry_code": REGISTRY_CODE}
    return Form(
        url=reverse("mtr:public-answer", args=[application.tracking_code]),
        data=lambda: {"answer": "Nimekiri on lisatud."},
        count=_events_after(application, Verb.DEFICIENCY_ANSWERED),
        prepare=lambda client: client.post(reverse("mtr:public-status"), found),
    )


# Helpdesk


def ticket_create() -> Form:
    from helpdesk.models import Category, Ticket, TicketChannel

    return Form(
        url=reverse("helpdesk:ticket-new"),
        data=lambda: {
            "requester_email": "",
            "requester_name": "Kati Kask",
            "requester_phone": "",
            "registry_code": "",
            "subject": "Ei saa sisse logida",
            "body": "Mobiil-ID annab vea.",
            "category": Category.ACCOUNT,
            "priority": "normal",
            "channel": TicketChannel.PHONE,
            "language": "et",
        },
        count=lambda: Ticket.objects.count(),
        user=_user(roles.CLERK),
    )


def call_ticket() -> Form:
    from helpdesk import services
    from helpdesk.models import Call, Category, Ticket

    Outcome = Call.Outcome

    clerk = _user(roles.CLERK)
    call = services.call_log(
        actor=clerk,
        caller="Külli Jõgi",
        topic="Kuidas esitada majutuse teade",
        category=Category.ESERVICE,
        outcome=Outcome.ANSWERED,
    )
    return Form(
        url=reverse("helpdesk:call-ticket", args=[call.pk]),
        data=lambda: {f"call-{call.pk}-requester_email": ""},
        count=lambda: Ticket.objects.count(),
        user=clerk,
    )


def article_create() -> Form:
    from helpdesk.models import Article
    from tests.helpdesk.test_article_views import form_data

    return Form(
        url=reverse("helpdesk:article-new"),
        data=form_data,
        count=lambda: Article.objects.count(),
        user=_user(roles.CLERK),
    )


# Assets


def _asset(manager, **kwargs):
    from assets import services
    from assets.models import Category

    values = {
        "name": "Sülearvuti Lenovo ThinkPad T14",
        "category": Category.COMPUTER,
        "location": services.location_get("Suur-Ameerika 1, 101"),
        "responsible": manager,
    }
    values.update(kwargs)
    return services.asset_create(actor=manager, **values)


def _manager():
    return _user(roles.ASSET_MANAGER, username="andres")


def asset_import() -> Form:
    from assets.models import Asset

    csv = "name;category;location;responsible;purchase_date;price;state\n"
    csv += "Kontoritool;furniture;;;;;in_storage\n"
    return Form(
        url=reverse("assets:asset-import"),
        data=lambda: {
            "file": SimpleUploadedFile("inventar.csv", csv.encode(), content_type="text/csv")
        },
        count=lambda: Asset.objects.count(),
        user=_manager(),
    )


def asset_handover() -> Form:
    from assets import services
    from assets.models import Handover

    manager = _manager()
    asset = _asset(manager)
    mari = _user(roles.CLERK, username="mari")
    room = services.location_get("Suur-Ameerika 1, 204")
    return Form(
        url=reverse("assets:handover-new", args=[asset.pk]),
        data=lambda: {"to_person": mari.pk, "to_location": room.pk, "note": "Koos laadijaga"},
        count=lambda: Handover.objects.count(),
        user=manager,
    )


def stocktaking_create() -> Form:
    from assets.models import Stocktaking

    manager = _manager()
    _asset(manager)
    return Form(
        url=reverse("assets:stocktaking-list"),
        data=lambda: {"title": "Aastainventuur", "location": ""},
        count=lambda: Stocktaking.objects.count(),
        user=manager,
    )


def disposal_propose() -> Form:
    from assets.models import Disposal

    manager = _manager()
    asset = _asset(manager)
    return Form(
        url=reverse("assets:disposal-new") + f"?asset={asset.pk}",
        data=lambda: {
            "asset": asset.inventory_number,
            "method": "destruction",
            "reason": "Ekraan katki.",
            "residual_value": "0",
        },
        count=lambda: Disposal.objects.count(),
        user=manager,
    )


def rights_request() -> Form:
    from assets.models import AccessGrant, InformationSystem, SystemRole

    main_user = _user(roles.CLERK, username="liis", email="liis@example.ee")
    system = InformationSystem.objects.create(
        name="Delta", owner="Riigi Infosüsteemi Amet", main_user=main_user
    )
    role = SystemRole.objects.create(system=system, name="Asjaajaja")
    mail_count = OutboundEmail.objects.count()

    def count():
        grants = AccessGrant.objects.count()
        emails = OutboundEmail.objects.count() - mail_count
        return grants if grants == emails else (grants, emails)

    return Form(
        url=reverse("assets:grant-request", args=[system.pk]),
        data=lambda: {"role": role.pk, "reason": "Dokumentide registreerimine", "valid_until": ""},
        count=count,
        user=_user(roles.CLERK, username="mari"),
    )


def quote_request_create() -> Form:
    from assets.models import QuoteRequest

    return Form(
        url=reverse("assets:quote-new"),
        data=lambda: {
            "subject": "Serveriruumi jahutus",
            "kind": QuoteRequest.Kind.SERVICES,
            "estimated_value": "12000",
            "deadline": (date.today() + timedelta(days=10)).isoformat(),
        },
        count=lambda: QuoteRequest.objects.count(),
        user=_manager(),
    )


def quote_add() -> Form:
    from assets import services
    from assets.models import Quote, QuoteRequest

    manager = _manager()
    request = services.quote_request_create(
        actor=manager,
        subject="Kontoriruumide koristus 2026",
        kind=QuoteRequest.Kind.SERVICES,
        estimated_value=12000,
        deadline=date.today() + timedelta(days=14),
    )
    return Form(
        url=reverse("assets:quote-add", args=[request.pk]),
        data=lambda: {"add-supplier": "Säravad Aknad OÜ", "add-supplier_email": "info@sarav.ee"},
        count=lambda: Quote.objects.count(),
        user=manager,
    )


def asset_file_add() -> Form:
    from assets.models import AssetFile

    manager = _manager()
    asset = _asset(manager)
    return Form(
        url=reverse("assets:asset-file-add", args=[asset.pk]),
        data=lambda: {"file-file": _pdf("arve.pdf")},
        count=lambda: AssetFile.objects.count(),
        user=manager,
    )


# Dashboard


def report_request() -> Form:
    from dashboard.models import Report

    return Form(
        url=reverse("dashboard:report-new"),
        data=lambda: {"scope": "department", "period": "12w"},
        count=lambda: Report.objects.count(),
        user=_user(roles.HEAD),
    )


FORMS = {
    "document registration with a new sender": document_registration,
    "task": task_give,
    "registered reply": reply_register,
    "attachment upload": attachment_add,
    "ticket reply": ticket_reply,
    "ticket note": ticket_note,
    "public contact form": contact_form,
    "call log": call_log,
    "visitor log": visitor_log,
    "MTR public apply": mtr_apply,
    "letter send": letter_send,
    "asset create": asset_create,
    "document share": document_share,
    "deadline extension": deadline_extend,
    "restriction extension": restriction_extend,
    "parcel hand-over": parcel_hand_over,
    "task forward": task_forward,
    "scheme: function create": scheme_function_create,
    "new letter": letter_compose,
    "reply letter": letter_reply,
    "letter sent for approval": letter_submit,
    "dispatch retry": dispatch_retry,
    "dispatch list taken": dispatch_take,
    "letter template create": template_create,
    "MTR clerk intake": mtr_intake,
    "MTR request for missing data": mtr_request_data,
    "MTR decision": mtr_decide,
    "MTR public answer to a request": mtr_public_answer,
    "staff ticket create": ticket_create,
    "call to ticket": call_ticket,
    "article create": article_create,
    "asset CSV import": asset_import,
    "asset handover": asset_handover,
    "stocktaking create": stocktaking_create,
    "disposal proposal": disposal_propose,
    "rights request": rights_request,
    "quote request create": quote_request_create,
    "quote add": quote_add,
    "asset file upload": asset_file_add,
    "report request": report_request,
}


# --- The test -----------------------------------------------------------------------------------


def _post_at_once(form: Form) -> list:
    clients = []
    for _n in range(PARALLEL):
        client = Client()
        client.cookies["django_language"] = "en"
        if form.user is not None:
            client.force_login(form.user)
        if form.prepare is not None:
            form.prepare(client)
        clients.append(client)
    key = submissions.new_key(form.user)
    barrier = threading.Barrier(PARALLEL)
    answers: list = [None] * PARALLEL

    def post(n: int) -> None:
        try:
            data = form.data()
            data.setdefault(submissions.FIELD, key)
            barrier.wait(timeout=30)
            answers[n] = clients[n].post(form.url, data)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            answers[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", list(FORMS))
def test_twenty_identical_posts_make_one_result(name, settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLE = False  # twenty posts from one address are the point here
    form = FORMS[name]()
    assert form.count() == 0

    answers = _post_at_once(form)

    errors = [a for a in answers if not hasattr(a, "status_code")]
    assert not errors, errors
    statuses = sorted({a.status_code for a in answers})
    assert statuses == [302], [
        (a.status_code, a.content[:300]) for a in answers if a.status_code != 302
    ]
    assert len({a["Location"] for a in answers}) == 1, {a["Location"] for a in answers}
    assert form.count() == 1


# --- The same POST twice in a row on a transition ----------------------------------------------
# Approve, close, assign, lift … carry no key of their own but are idempotent through their
# status check: the second identical POST (sent again with the same key, or from a reloaded
# page with a fresh one) changes nothing, records no second event, and never answers 500.


@dataclass
class Transition:
    url: str
    data: dict
    user: object
    events: Callable[[], int]  # the timeline events recorded since the set-up


def t_deadline_close() -> Transition:
    clerk = _user(roles.CLERK)
    document = _document(clerk)
    return Transition(
        reverse("registry:deadline-close", args=[document.pk]),
        {"close-reason": "Vastatud telefonil"},
        clerk,
        _events_after(),
    )


def t_deadline_reopen() -> Transition:
    from registry import services

    clerk = _user(roles.CLERK)
    document = services.document_close(actor=clerk, document=_document(clerk), reason="Vastatud")
    return Transition(
        reverse("registry:deadline-reopen", args=[document.pk]),
        {"reopen-reason": "Uus küsimus"},
        clerk,
        _events_after(),
    )


def t_document_assign() -> Transition:
    clerk = _user(roles.CLERK, username="clerk")
    other = _user(roles.CLERK, username="other")
    document = _document(clerk)
    return Transition(
        reverse("registry:document-assign", args=[document.pk]),
        {"assign-responsible": other.pk},
        clerk,
        _events_after(),
    )


def t_restriction_lift() -> Transition:
    from registry import services
    from tests.factories import RestrictionBasisFactory

    clerk, advisor = _user(roles.CLERK, username="clerk"), _user(roles.ADVISOR, username="adv")
    document = services.document_restrict(
        actor=advisor,
        document=_document(clerk),
        basis=RestrictionBasisFactory(),
        end=date.today() + timedelta(days=365),
    )
    return Transition(
        reverse("registry:restriction-lift", args=[document.pk]),
        {"lift-reason": "Menetlus lõppes"},
        advisor,
        _events_after(),
    )


def t_task_accept() -> Transition:
    from registry import services

    clerk, advisor = _user(roles.CLERK, username="clerk"), _user(roles.ADVISOR, username="adv")
    task = services.task_give(
        actor=advisor,
        document=_document(clerk),
        assignee=clerk,
        instruction="Vasta pöördujale",
        due_on=date.today() + timedelta(days=3),
    )
    return Transition(reverse("registry:task-accept", args=[task.pk]), {}, clerk, _events_after())


def t_letter_approve() -> Transition:
    from correspondence import services

    clerk, head = _user(roles.CLERK), _user(roles.HEAD, username="head")
    letter = _letter(clerk, _email_party(), needs_approval=True)
    letter = services.letter_submit(actor=clerk, letter=letter) or letter
    return Transition(
        reverse("correspondence:letter-approve", args=[letter.pk]), {}, head, _events_after()
    )


def _ticket():
    from helpdesk import services
    from helpdesk.models import Category, TicketChannel

    return services.ticket_create(
        subject="Küsimus",
        body="Tere",
        channel=TicketChannel.PHONE,
        category=Category.ACCOUNT,
        requester_email="",
        requester_name="Kati Kask",
    )


def t_ticket_resolve() -> Transition:
    ticket = _ticket()
    return Transition(
        reverse("helpdesk:ticket-resolve", args=[ticket.pk]),
        {},
        _user(roles.CLERK),
        _events_after(),
    )


def t_ticket_close() -> Transition:
    ticket = _ticket()
    return Transition(
        reverse("helpdesk:ticket-close", args=[ticket.pk]),
        {},
        _user(roles.CLERK),
        _events_after(),
    )


def _grant():
    from assets import services
    from assets.models import InformationSystem, SystemRole

    main_user = _user(roles.CLERK, username="liis", email="liis@example.ee")
    system = InformationSystem.objects.create(
        name="Delta", owner="Riigi Infosüsteemi Amet", main_user=main_user
    )
    role = SystemRole.objects.create(system=system, name="Asjaajaja")
    clerk = _user(roles.CLERK, username="mari")
    grant = services.grant_request(actor=clerk, person=clerk, role=role, reason="Tööks")
    return main_user, system, grant


def t_grant_approve() -> Transition:
    main_user, system, grant = _grant()
    return Transition(
        reverse("assets:grant-approve", args=[system.pk, grant.pk]),
        {f"approve-{grant.pk}-valid_until": ""},
        main_user,
        _events_after(),
    )


def t_grant_revoke() -> Transition:
    from assets import services

    main_user, system, grant = _grant()
    grant = services.grant_approve(actor=main_user, grant=grant)
    return Transition(
        reverse("assets:grant-revoke", args=[system.pk, grant.pk]),
        {f"revoke-{grant.pk}-reason": "Lahkus ametist"},
        main_user,
        _events_after(),
    )


def t_disposal_approve() -> Transition:
    from decimal import Decimal

    from assets import services
    from assets.models import Disposal

    manager = _manager()
    disposal = services.disposal_propose(
        actor=manager,
        asset=_asset(manager),
        method=Disposal.Method.WRITE_OFF,
        reason="Remont ei tasu end ära.",
        residual_value=Decimal("0"),
    )
    return Transition(
        reverse("assets:disposal-approve", args=[disposal.pk]),
        {},
        _user(roles.HEAD, username="head"),
        _events_after(),
    )


def t_application_claim() -> Transition:
    processor = _user(roles.MTR_PROCESSOR, username="processor")
    application = _application()
    return Transition(
        reverse("mtr:application-claim", args=[application.pk]),
        {},
        processor,
        _events_after(),
    )


TRANSITIONS = {
    "deadline close": t_deadline_close,
    "deadline reopen": t_deadline_reopen,
    "document assign": t_document_assign,
    "restriction lift": t_restriction_lift,
    "task accept": t_task_accept,
    "letter approve": t_letter_approve,
    "ticket resolve": t_ticket_resolve,
    "ticket close": t_ticket_close,
    "grant approve": t_grant_approve,
    "grant revoke": t_grant_revoke,
    "disposal approve": t_disposal_approve,
    "MTR application claim": t_application_claim,
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["same key", "fresh key"])
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_a_transition_sent_twice_changes_the_state_once(name, key, settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path
    change = TRANSITIONS[name]()
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(change.user)
    first_key = submissions.new_key(change.user)

    answers, events = [], []
    for n in range(2):
        data = dict(change.data)
        same = key == "same key" or n == 0
        data[submissions.FIELD] = first_key if same else submissions.new_key(change.user)
        answers.append(client.post(change.url, data))
        events.append(change.events())

    assert [a.status_code for a in answers][0] == 302, answers[0].content[:300]
    assert all(a.status_code in (200, 302) for a in answers), [
        (a.status_code, a.content[:300]) for a in answers
    ]
    assert events[0] >= 1, "the first POST changed nothing"
    assert events[1] == events[0], "the second POST changed the state again"
