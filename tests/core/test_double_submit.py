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
from tests.factories import PartyFactory, SeriesFactory, UserFactory
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


def _document(clerk):
    from registry import services
    from registry.models import Channel, DocumentType

    return services.document_register(
        actor=clerk,
        series=SeriesFactory(code="5-1", title="Teabenõuded"),
        doc_type=DocumentType.LETTER,
        channel=Channel.POST,
        title="Kiri teenuse kohta",
        received_on=last_working_day(),
        sender=PartyFactory(name="OÜ Põhjarannik", code=""),
        restriction_basis=None,
    )


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
        data=lambda: {"attach-files": [_pdf()]},
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
}


# --- The test -----------------------------------------------------------------------------------


def _post_at_once(form: Form) -> list:
    clients = []
    for _n in range(PARALLEL):
        client = Client()
        client.cookies["django_language"] = "en"
        if form.user is not None:
            client.force_login(form.user)
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
