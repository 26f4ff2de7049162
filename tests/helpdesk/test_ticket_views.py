"""The staff's support pages (helpdesk/views/tickets.py, ticket_actions.py): the queue, a new
ticket, a ticket's page with its answer, note and actions, and the download of a message's file.

Each view: a specialist (clerk) may do everything, an MTR processor may see and answer tickets
but not enter one, the head only looks, staff without helpdesk permissions (an asset manager)
get 403 everywhere, an anonymous visitor the sign-in page.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import counts as counts_module
from core import roles
from core.validators import check_digit
from helpdesk import services
from helpdesk.models import Article, Category, Message, Priority, Ticket, TicketChannel
from mtr import services as mtr_services
from mtr.models import ActivityArea, Application, Kind
from registry import services as registry_services
from registry.models import Channel, DocumentType
from tests.factories import PartyFactory, SeriesFactory

pytestmark = pytest.mark.django_db

Status = Ticket.Status
LIST = "helpdesk:ticket-list"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_file(name="kuvatõmmis.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def detail_url(ticket):
    return reverse("helpdesk:ticket-detail", args=[ticket.pk])


def action_url(ticket, action):
    return reverse(f"helpdesk:ticket-{action}", args=[ticket.pk])


def references_on(response) -> list[str]:
    """The references of the queue's rows, in order."""
    return re.findall(r'<a href="/support/\d+/">(KT-[0-9A-Z]{8,16})</a>', response.text)


def reload(obj):
    obj.refresh_from_db()
    return obj


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, specialist):
    english.force_login(specialist)
    return english


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block queued for after the commit (the e-mails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def colleague(make_user):
    return make_user(roles.CLERK, username="jaan", first_name="Jaan", last_name="Sepp")


@pytest.fixture
def processor(make_user):
    return make_user(roles.MTR_PROCESSOR, username="piret", first_name="Piret", last_name="Töö")


@pytest.fixture
def outsider(make_user):
    """Staff without any helpdesk permission."""
    return make_user(roles.ASSET_MANAGER, username="asset_manager")


@pytest.fixture
def ticket(make_ticket):
    return make_ticket(files=[pdf_file()])


@pytest.fixture
def article(specialist):
    return services.article_save(
        actor=specialist,
        title_et="Mobiil-ID viga",
        title_en="Mobile-ID error",
        body_et="Tere, {{ name }}! Palun uuendage Mobiil-ID sertifikaate. Viide: {{ code }}.",
        body_en="Hello {{ name }}! Please renew your Mobile-ID certificates. Ref: {{ code }}.",
        category=Category.ACCOUNT,
        is_public=True,
    )


@pytest.fixture
def internal_article(specialist):
    return services.article_save(
        actor=specialist,
        title_et="Sisemine: logide kontroll",
        body_et="Vaatasime logid üle, {{ name }}.",
        category=Category.TECHNICAL,
        is_public=False,
    )


# --- Access ---------------------------------------------------------------------------------------


GET_VIEWS = [
    ("ticket-list", lambda t: reverse(LIST)),
    ("ticket-new", lambda t: reverse("helpdesk:ticket-new")),
    ("ticket-detail", lambda t: detail_url(t)),
    (
        "ticket-file",
        lambda t: reverse(
            "helpdesk:ticket-file", args=[t.pk, t.messages.get().attachments.get().pk]
        ),
    ),
]
POST_VIEWS = [
    (action, lambda t, action=action: action_url(t, action))
    for action in ("reply", "note", "assign", "update", "resolve", "close", "reopen")
]
ALL_VIEWS = GET_VIEWS + POST_VIEWS


def _call(client, name, url, ticket):
    target = url(ticket)
    if (name, url) in POST_VIEWS or name == "ticket-new-post":
        return client.post(target)
    return client.get(target)


@pytest.mark.parametrize(("name", "url"), ALL_VIEWS, ids=[name for name, _url in ALL_VIEWS])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, ticket, name, url):
    response = _call(client, name, url, ticket)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "url"), ALL_VIEWS, ids=[name for name, _url in ALL_VIEWS])
def test_staff_without_helpdesk_permissions_get_403_everywhere(client, outsider, ticket, name, url):
    client.force_login(outsider)
    assert _call(client, name, url, ticket).status_code == 403
    assert client.post(reverse("helpdesk:ticket-new")).status_code == 403


@pytest.mark.parametrize(("name", "url"), POST_VIEWS, ids=[name for name, _url in POST_VIEWS])
def test_the_head_sees_tickets_but_may_not_act(client, head, ticket, name, url):
    client.force_login(head)
    assert client.post(url(ticket), {"reply-body": "x", "note-body": "x"}).status_code == 403
    assert reload(ticket).status == Status.NEW
    assert not ticket.messages.exclude(kind=Message.Kind.INCOMING).exists()


def test_the_head_sees_the_pages_without_forms(english, head, ticket):
    english.force_login(head)
    assert english.get(reverse(LIST)).status_code == 200
    page = english.get(detail_url(ticket))
    assert page.status_code == 200
    assert ticket.subject in page.text
    for action in ("reply", "note", "assign", "update", "resolve", "close"):
        assert action_url(ticket, action) not in page.text
    assert english.get(reverse("helpdesk:ticket-new")).status_code == 403


def test_an_mtr_processor_answers_tickets_but_does_not_enter_them(
    english, processor, ticket, committed
):
    english.force_login(processor)
    assert english.get(reverse(LIST)).status_code == 200
    assert english.get(detail_url(ticket)).status_code == 200
    assert english.get(reverse("helpdesk:ticket-new")).status_code == 403
    assert english.post(reverse("helpdesk:ticket-new"), {"subject": "x"}).status_code == 403
    with committed():
        response = english.post(
            action_url(ticket, "reply"), {"reply-body": "Vastus.", "reply-then": "open"}
        )
    assert response.status_code == 302
    assert reload(ticket).assignee == processor
    [email] = mail.outbox
    assert "Vastus." in email.body


def test_actions_are_post_only(signed_in, ticket):
    for action in ("reply", "note", "assign", "update", "resolve", "close", "reopen"):
        assert signed_in.get(action_url(ticket, action)).status_code == 405


def test_the_pages_link_to_the_queue_new_ticket_for_a_specialist(signed_in, ticket):
    response = signed_in.get(reverse(LIST))
    assert reverse("helpdesk:ticket-new") in response.text
    assert detail_url(ticket) in response.text


# --- The queue ------------------------------------------------------------------------------------


def test_the_queue_puts_a_breached_ticket_first_and_waiting_ones_last(
    signed_in, specialist, make_ticket
):
    low = make_ticket(subject="Madal", priority=Priority.LOW)
    urgent = make_ticket(subject="Kiire", priority=Priority.URGENT)
    late = make_ticket(subject="Hiline", priority=Priority.LOW)
    Ticket.objects.filter(pk=late.pk).update(first_response_due=timezone.now() - timedelta(hours=3))
    waiting = make_ticket(subject="Ootel", priority=Priority.URGENT)
    services.ticket_reply(actor=specialist, ticket=waiting, body="Palun täpsustage.", then="wait")
    done = make_ticket(subject="Lahendatud")
    services.ticket_resolve(actor=specialist, ticket=done)

    response = signed_in.get(reverse(LIST))

    assert response.status_code == 200
    assert references_on(response) == [t.reference for t in (late, urgent, low, waiting)]
    assert "breached 3 h ago" in response.text
    assert "paused" in response.text
    assert "Lahendatud" not in response.text


def test_the_queue_filters_by_status_priority_category_channel_and_assignee(
    signed_in, specialist, colleague, make_ticket
):
    mine = make_ticket(subject="Minu", priority=Priority.HIGH)
    services.ticket_assign(actor=specialist, ticket=mine, assignee=specialist)
    theirs = make_ticket(subject="Nende", category=Category.TECHNICAL)
    services.ticket_assign(actor=specialist, ticket=theirs, assignee=colleague)
    phoned = make_ticket(subject="Helistas", channel=TicketChannel.PHONE, requester_email="")
    waiting = make_ticket(subject="Ootab")
    services.ticket_reply(actor=specialist, ticket=waiting, body="?", then="wait")
    closed = make_ticket(subject="Suletud")
    services.ticket_close(actor=specialist, ticket=closed)
    tickets = (mine, theirs, phoned, waiting, closed)

    def subjects(**query):
        response = signed_in.get(reverse(LIST), query)
        assert response.status_code == 200
        shown = references_on(response)
        return {t.subject for t in tickets if t.reference in shown}

    assert subjects() == {"Minu", "Nende", "Helistas", "Ootab"}
    assert subjects(status="waiting") == {"Ootab"}
    assert subjects(status="closed") == {"Suletud"}
    assert subjects(status="new") == {"Helistas"}
    assert len(subjects(status="all")) == 5
    assert subjects(priority="high") == {"Minu"}
    assert subjects(category="technical") == {"Nende"}
    assert subjects(channel="phone") == {"Helistas"}
    assert subjects(assignee="mine") == {"Minu", "Ootab"}  # an answer assigns it
    assert subjects(assignee="none") == {"Helistas"}
    assert subjects(assignee=str(colleague.pk)) == {"Nende"}


def test_the_assignee_filter_shows_a_new_specialist_and_a_new_name_at_once(signed_in, make_user):
    """The filter's people are remembered (helpdesk.filters._specialists), but a new role holder
    or a changed name shows on the next page."""

    def options():
        return signed_in.get(reverse(LIST)).text

    assert "Uus Kolleeg" not in options()
    newcomer = make_user(roles.CLERK, username="uus", first_name="Uus", last_name="Kolleeg")
    assert "Uus Kolleeg" in options()
    newcomer.last_name = "Nimi"
    newcomer.save()
    assert "Uus Nimi" in options()
    newcomer.groups.clear()
    assert "Uus Nimi" not in options()


def test_the_queue_filters_by_service_level(signed_in, make_ticket):
    now = timezone.now()
    breached = make_ticket(subject="Ületatud")
    Ticket.objects.filter(pk=breached.pk).update(first_response_due=now - timedelta(hours=1))
    soon = make_ticket(subject="Varsti")
    Ticket.objects.filter(pk=soon.pk).update(first_response_due=now + timedelta(minutes=30))
    fine = make_ticket(subject="Aega on", priority=Priority.LOW)
    Ticket.objects.filter(pk=fine.pk).update(
        first_response_due=now + timedelta(days=10), resolution_due=now + timedelta(days=20)
    )

    def subjects(sla):
        shown = references_on(signed_in.get(reverse(LIST), {"sla": sla}))
        return {t.subject for t in (breached, soon, fine) if t.reference in shown}

    assert subjects("breached") == {"Ületatud"}
    assert subjects("soon") == {"Varsti"}
    assert subjects("ok") == {"Aega on"}


def test_the_queue_searches_reference_subject_and_requester(signed_in, make_ticket):
    first = make_ticket(subject="Parool ununes", requester_name="Õie Kask")
    second = make_ticket(
        subject="Arve küsimus", requester_email="raamatupidaja@firma.ee", requester_name=""
    )

    def references(q):
        return references_on(signed_in.get(reverse(LIST), {"q": q}))

    assert references(first.reference) == [first.reference]
    assert references(first.reference.lower().replace("-", " ")) == [first.reference]
    assert references(first.code[:5]) == [first.reference]
    assert references("parool") == [first.reference]
    assert references("õie") == [first.reference]
    assert references("raamatupidaja@") == [second.reference]
    assert references("Olematu") == []


def test_the_queue_counts_tickets_per_status(signed_in, specialist, make_ticket):
    for n in range(3):
        make_ticket(subject=f"Uus {n}")
    answered = make_ticket()
    services.ticket_reply(actor=specialist, ticket=answered, body="Vastus", then="resolve")

    response = signed_in.get(reverse(LIST))

    counts = {link["key"]: link["count"] for link in response.context["status_links"]}
    assert counts == {
        "unresolved": 3,
        "new": 3,
        "open": 0,
        "waiting": 0,
        "resolved": 1,
        "closed": 0,
        "all": 4,
    }


def test_all_tickets_are_the_sum_of_the_tabs_capped_as_they_are(
    signed_in, specialist, make_ticket, monkeypatch
):
    """All is the sum of the status tabs, never counted on its own, and the list's own count is
    the count of its tab; over the cap it says "over" as each tab does (core.counts)."""
    for n in range(3):
        make_ticket(subject=f"Uus {n}")
    closed = make_ticket()
    services.ticket_resolve(actor=specialist, ticket=closed)
    services.ticket_close(actor=specialist, ticket=closed)

    def counts():
        response = signed_in.get(reverse(LIST), {"status": "all"})
        return response, {link["key"]: link["count"] for link in response.context["status_links"]}

    response, found = counts()
    assert found == {
        "unresolved": 3,
        "new": 3,
        "open": 0,
        "waiting": 0,
        "resolved": 0,
        "closed": 1,
        "all": 4,
    }
    assert response.context["page"].count == 4
    monkeypatch.setattr(counts_module, "COUNT_CAP", 2)
    _response, found = counts()
    assert (found["new"], found["closed"], found["all"]) == (3, 1, 3)  # 3: over the cap of 2


def test_the_queue_runs_the_same_queries_for_3_and_40_tickets_and_pages_by_25(
    signed_in, specialist, colleague, make_ticket, django_assert_max_num_queries
):
    def add(n):
        ticket = make_ticket(
            subject=f"Küsimus {n}",
            priority=[Priority.LOW, Priority.NORMAL, Priority.HIGH][n % 3],
            category=Category.TECHNICAL if n % 2 else Category.ACCOUNT,
        )
        if n % 3 == 0:
            services.ticket_assign(
                actor=specialist, ticket=ticket, assignee=specialist if n % 2 else colleague
            )

    for n in range(3):
        add(n)
    with CaptureQueriesContext(connection) as few:
        response = signed_in.get(reverse(LIST))
    assert len(references_on(response)) == 3
    for n in range(3, 40):
        add(n)

    with django_assert_max_num_queries(len(few)):
        response = signed_in.get(reverse(LIST))
    assert len(references_on(response)) == 25
    with django_assert_max_num_queries(len(few)):
        second = signed_in.get(reverse(LIST) + response.context["page"].links["next"])
    assert len(references_on(second)) == 15
    assert not set(references_on(second)) & set(references_on(response))
    # An old link to a numbered page gives the first page.
    assert references_on(signed_in.get(reverse(LIST), {"page": 2})) == references_on(response)


# --- A new ticket ---------------------------------------------------------------------------------


def test_a_specialist_enters_a_ticket_and_the_requester_gets_its_reference(
    signed_in, specialist, committed
):
    with committed():
        response = signed_in.post(
            reverse("helpdesk:ticket-new"),
            {
                "requester_email": "Toomas@Example.ee",
                "requester_name": "Toomas Org",
                "requester_phone": "+372 5555 0000",
                "registry_code": "",
                "subject": "Majutusteate muutmine",
                "body": "Soovib muuta tegevuskoha aadressi.",
                "category": Category.APPLICATION,
                "priority": Priority.HIGH,
                "channel": TicketChannel.PHONE,
                "language": "en",
                "files": [pdf_file("kiri.pdf")],
            },
        )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(ticket)
    assert (ticket.subject, ticket.priority, ticket.channel, ticket.language) == (
        "Majutusteate muutmine",
        Priority.HIGH,
        TicketChannel.PHONE,
        "en",
    )
    assert ticket.requester_email == "toomas@example.ee"
    assert ticket.first_response_due is not None
    message = ticket.messages.get()
    assert message.author == specialist
    assert message.attachments.get().name == "kiri.pdf"
    [email] = mail.outbox
    assert email.to == ["toomas@example.ee"]
    assert f"[{ticket.reference}]" in email.subject
    page = signed_in.get(response["Location"])
    assert f"The ticket {ticket.reference} was made." in message_texts(page)[0]


def test_a_new_ticket_with_errors_keeps_what_was_typed(signed_in):
    response = signed_in.post(
        reverse("helpdesk:ticket-new"),
        {
            "requester_name": "Õie Kask",
            "registry_code": "1234567",
            "subject": "Küsimus",
            "body": "",
            "category": Category.OTHER,
            "priority": Priority.NORMAL,
            "channel": TicketChannel.EMAIL,
            "language": "et",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "body" in form.errors
    assert 'value="Õie Kask"' in response.text
    assert not Ticket.objects.exists()
    response = signed_in.post(
        reverse("helpdesk:ticket-new"),
        {
            "requester_name": "Õie Kask",
            "subject": "Küsimus",
            "body": "Tekst",
            "registry_code": "1234567",
            "category": Category.OTHER,
            "priority": Priority.NORMAL,
            "channel": TicketChannel.EMAIL,
            "language": "et",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "requester_email" in errors  # an e-mail ticket needs an address to answer to
    assert "registry_code" in errors
    assert 'href="#id_requester_email"' in response.text  # the error summary links to it
    assert not Ticket.objects.exists()


def test_the_new_ticket_page_shows_the_form(signed_in):
    response = signed_in.get(reverse("helpdesk:ticket-new"))
    assert response.status_code == 200
    assert 'name="requester_email"' in response.text
    assert 'value="web"' not in response.text  # the web form makes its own tickets


# --- A ticket's page ------------------------------------------------------------------------------


def test_the_page_shows_the_ticket_and_its_conversation(signed_in, specialist, ticket):
    services.ticket_note(actor=specialist, ticket=ticket, body="Kontrollisin logist.")

    response = signed_in.get(detail_url(ticket))

    assert response.status_code == 200
    text = response.text
    for expected in (
        ticket.reference,
        ticket.subject,
        "Kati Kask",
        "kasutaja@example.ee",
        "Mobiil-ID-ga sisselogimine annab vea.",
        "Kontrollisin logist.",
        "Internal note",
        "only staff see it",
        "kuvatõmmis.pdf",
        "First answer",
        "Resolution",
        "History",
    ):
        assert expected in text, expected
    attachment = ticket.messages.get(kind=Message.Kind.INCOMING).attachments.get()
    assert reverse("helpdesk:ticket-file", args=[ticket.pk, attachment.pk]) in text
    for label in ("Send", "Send and wait for the requester", "Send and resolve", "Insert"):
        assert f">{label}</button>" in text


def test_the_page_runs_a_fixed_number_of_queries(
    signed_in, specialist, ticket, article, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as before:
        signed_in.get(detail_url(ticket))
    for n in range(5):
        services.ticket_reply(actor=specialist, ticket=ticket, body=f"Vastus {n}")
        services.ticket_note(actor=specialist, ticket=ticket, body=f"Märge {n}")
        services.requester_message(ticket=ticket, body=f"Küsimus {n}", files=[pdf_file()])

    with django_assert_max_num_queries(len(before)):
        response = signed_in.get(detail_url(ticket))
    assert response.text.count("Märge ") == 5


def test_a_ticket_without_an_e_mail_says_answers_are_not_e_mailed(
    signed_in, make_ticket, committed
):
    phoned = make_ticket(
        channel=TicketChannel.PHONE, requester_email="", requester_phone="+372 5123 4567"
    )
    page = signed_in.get(detail_url(phoned))
    assert "The requester gave no e-mail address: answers are not e-mailed." in page.text
    assert "+372 5123 4567" in page.text

    with committed():
        response = signed_in.post(
            action_url(phoned, "reply"), {"reply-body": "Helistasin.", "reply-then": "open"}
        )

    assert response.status_code == 302
    assert mail.outbox == []
    page = signed_in.get(response["Location"])
    assert "not e-mailed" in message_texts(page)[0]
    assert "+372 5123 4567" in message_texts(page)[0]


# --- Answering ------------------------------------------------------------------------------------


def test_an_answer_is_e_mailed_and_sets_the_first_answer(signed_in, specialist, ticket, committed):
    mail.outbox.clear()
    with committed():
        response = signed_in.post(
            action_url(ticket, "reply"),
            {"reply-body": "Proovige uuesti.", "reply-then": "open", "reply-files": [pdf_file()]},
        )

    assert response.status_code == 302
    assert response["Location"] == detail_url(ticket) + "#conversation"
    ticket = reload(ticket)
    assert ticket.status == Status.OPEN
    assert ticket.first_responded_at is not None
    assert ticket.assignee == specialist
    [email] = mail.outbox
    assert "[KT-" in email.subject
    assert f"[{ticket.reference}]" in email.subject
    assert "Proovige uuesti." in email.body
    reply = ticket.messages.get(kind=Message.Kind.REPLY)
    assert reply.attachments.count() == 1
    page = signed_in.get(response["Location"])
    assert "The answer is e-mailed to kasutaja@example.ee." in message_texts(page)[0]
    assert ">met<" in page.text


def test_send_and_wait_stops_the_clock_until_the_requester_writes(signed_in, ticket, committed):
    mail.outbox.clear()
    with committed():
        signed_in.post(
            action_url(ticket, "reply"),
            {"reply-body": "Palun saatke kuvatõmmis.", "reply-then": "wait"},
        )
    ticket = reload(ticket)
    assert ticket.status == Status.WAITING
    assert len(mail.outbox) == 1
    due = ticket.resolution_due
    page = signed_in.get(detail_url(ticket))
    assert "paused" in page.text

    # The requester answers a week later: the working time it waited moves the due time.
    Ticket.objects.filter(pk=ticket.pk).update(waiting_since=timezone.now() - timedelta(days=7))
    services.requester_message(ticket=reload(ticket), body="Siin on pilt.", sender="Kati Kask")

    ticket = reload(ticket)
    assert ticket.status == Status.OPEN
    assert ticket.resolution_due > due
    assert "Siin on pilt." in signed_in.get(detail_url(ticket)).text


def test_send_and_resolve_sends_the_rating_link(signed_in, ticket, committed):
    mail.outbox.clear()
    with committed():
        response = signed_in.post(
            action_url(ticket, "reply"), {"reply-body": "Lahendatud.", "reply-then": "resolve"}
        )
    ticket = reload(ticket)
    assert ticket.status == Status.RESOLVED
    [email] = mail.outbox
    assert reverse("helpdesk:public-rate", args=[ticket.feedback_token]) in email.body
    page = signed_in.get(response["Location"])
    assert "asked to rate the answer" in message_texts(page)[0]


def test_an_empty_answer_is_refused_next_to_the_field(signed_in, ticket, committed):
    mail.outbox.clear()
    with committed():
        response = signed_in.post(action_url(ticket, "reply"), {"reply-body": "  "})
    assert response.status_code == 200
    assert "Write the answer." in response.text
    assert 'id="reply-errors"' in response.text
    assert mail.outbox == []
    assert reload(ticket).status == Status.NEW


def test_the_rating_is_shown(signed_in, specialist, ticket):
    services.ticket_reply(actor=specialist, ticket=ticket, body="Tehtud.", then="resolve")
    services.ticket_rate(token=ticket.feedback_token, rating=4, comment="Kiire vastus")
    page = signed_in.get(detail_url(ticket))
    assert "4 of 5" in page.text
    assert "Kiire vastus" in page.text


# --- Canned answers -------------------------------------------------------------------------------


def test_insert_puts_the_canned_answer_into_the_text_and_sends_nothing(
    signed_in, make_ticket, article, internal_article, committed
):
    ticket = make_ticket(language="en")
    page = signed_in.get(detail_url(ticket))
    assert "Mobile-ID error" in page.text
    assert "Sisemine: logide kontroll (internal)" in page.text  # staff may use internal ones
    mail.outbox.clear()

    with committed():
        response = signed_in.post(
            action_url(ticket, "reply"),
            {"reply-article": article.pk, "reply-insert": "1", "reply-body": "Tervitus."},
        )

    assert response.status_code == 200
    body = response.context["forms"]["reply"].initial["body"]
    assert body == (
        "Tervitus.\n\nHello Kati Kask! Please renew your Mobile-ID certificates. "
        f"Ref: {ticket.reference}."
    )
    assert f"Ref: {ticket.reference}." in response.text
    assert f'<option value="{article.pk}" selected>' in response.text
    assert mail.outbox == []
    assert not ticket.messages.exclude(kind=Message.Kind.INCOMING).exists()


def test_insert_without_an_article_says_to_choose_one(signed_in, ticket, article):
    response = signed_in.post(
        action_url(ticket, "reply"), {"reply-insert": "1", "reply-body": "Mustand"}
    )
    assert response.status_code == 200
    assert "Choose the article to insert." in response.text
    assert "Mustand" in response.text
    assert 'aria-invalid="true"' in response.text


# --- Notes, assigning, linking, status ------------------------------------------------------------


def test_a_note_is_kept_and_not_e_mailed(signed_in, ticket, committed):
    mail.outbox.clear()
    with committed():
        response = signed_in.post(action_url(ticket, "note"), {"note-body": "Helistan homme."})
    assert response.status_code == 302
    assert mail.outbox == []
    note = ticket.messages.get(kind=Message.Kind.NOTE)
    assert note.body == "Helistan homme."
    assert reload(ticket).first_responded_at is None  # a note is no answer


def test_take_it_and_assign_to_a_colleague(signed_in, specialist, colleague, outsider, ticket):
    response = signed_in.post(action_url(ticket, "assign"), {"take": "1"})
    assert response.status_code == 302
    assert reload(ticket).assignee == specialist
    assert reload(ticket).status == Status.OPEN

    signed_in.post(action_url(ticket, "assign"), {"assign-assignee": colleague.pk})
    assert reload(ticket).assignee == colleague

    response = signed_in.post(action_url(ticket, "assign"), {"assign-assignee": outsider.pk})
    assert response.status_code == 200  # not a specialist: not among the choices
    assert "assignee" in response.context["forms"]["assign"].errors
    assert reload(ticket).assignee == colleague


@pytest.fixture
def document(specialist):
    return registry_services.document_register(
        actor=specialist,
        series=SeriesFactory(code="1-2", title="Kirjavahetus"),
        doc_type=DocumentType.LETTER,
        channel=Channel.EMAIL,
        title="Kasutaja pöördumine",
        received_on=date.today(),
        sender=PartyFactory(name="OÜ Põhjarannik", code=""),
        restriction_basis=None,
    )


@pytest.fixture
def application(db):
    area = ActivityArea.objects.create(
        code="majutus",
        name_et="Majutamine",
        name_en="Accommodation",
        name_ru="Размещение",
        emtak_code="55101",
        kind=Kind.NOTICE,
        number_prefix="HMR",
    )
    digits = "1000001"
    return mtr_services.application_submit(
        area=area,
        type=Application.Type.NEW,
        business_name="Pärnu Rannahotell OÜ",
        registry_code=digits + str(check_digit(digits)),
        address="Ranna pst 5, 80012 Pärnu",
        contact_person="Kristjan Õunapuu",
        email="info@rannahotell.example.ee",
        addresses=["Ranna pst 5, Pärnu"],
        data={},
    )


def test_link_a_document_and_an_application(signed_in, ticket, document, application):
    response = signed_in.post(
        action_url(ticket, "update"),
        {
            "update-category": Category.APPLICATION,
            "update-priority": Priority.HIGH,
            "update-document": f" {document.number} ",
            "update-application": application.tracking_code_display.lower(),
        },
    )

    assert response.status_code == 302
    ticket = reload(ticket)
    assert (ticket.document, ticket.application) == (document, application)
    assert (ticket.category, ticket.priority) == (Category.APPLICATION, Priority.HIGH)
    page = signed_in.get(detail_url(ticket))
    assert reverse("registry:document-detail", args=[document.pk]) in page.text
    assert reverse("mtr:application-detail", args=[application.pk]) in page.text
    assert application.tracking_code_display in page.text

    signed_in.post(
        action_url(ticket, "update"),
        {"update-category": Category.APPLICATION, "update-priority": Priority.HIGH},
    )
    ticket = reload(ticket)
    assert (ticket.document, ticket.application) == (None, None)


def test_a_wrong_number_or_code_is_refused_next_to_the_field(signed_in, ticket):
    response = signed_in.post(
        action_url(ticket, "update"),
        {
            "update-category": Category.OTHER,
            "update-priority": Priority.LOW,
            "update-document": "9-9/99-999",
            "update-application": "AAAA-BBBB-CCCC",
        },
    )
    assert response.status_code == 200
    errors = response.context["forms"]["update"].errors
    assert "No document 9-9/99-999 in the register." in errors["document"]
    assert "No MTR application with the tracking code AAAA-BBBB-CCCC." in errors["application"]
    assert reload(ticket).priority == Priority.NORMAL


def test_resolve_close_and_reopen(signed_in, ticket):
    signed_in.post(action_url(ticket, "resolve"))
    assert reload(ticket).status == Status.RESOLVED
    page = signed_in.get(detail_url(ticket))
    assert action_url(ticket, "reopen") in page.text
    assert action_url(ticket, "resolve") not in page.text

    signed_in.post(action_url(ticket, "close"))
    assert reload(ticket).status == Status.CLOSED
    page = signed_in.get(detail_url(ticket))
    assert action_url(ticket, "reply") not in page.text
    assert "reopen it to answer" in page.text

    response = signed_in.post(action_url(ticket, "reply"), {"reply-body": "Hilja"})
    assert response.status_code == 302
    assert not ticket.messages.filter(kind=Message.Kind.REPLY).exists()

    response = signed_in.post(action_url(ticket, "resolve"))  # a stale form
    assert "This cannot be done to a ticket that is closed." in message_texts(
        signed_in.get(response["Location"])
    )

    signed_in.post(action_url(ticket, "reopen"))
    assert reload(ticket).status == Status.OPEN


# --- Files ----------------------------------------------------------------------------------------


def test_a_file_downloads_only_through_its_own_ticket(signed_in, ticket, make_ticket):
    attachment = ticket.messages.get().attachments.get()
    other = make_ticket(subject="Teine")

    response = signed_in.get(reverse("helpdesk:ticket-file", args=[ticket.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    wrong = signed_in.get(reverse("helpdesk:ticket-file", args=[other.pk, attachment.pk]))
    assert wrong.status_code == 404


def test_an_article_that_is_gone_cannot_be_inserted(signed_in, ticket, article):
    pk = article.pk
    Article.objects.filter(pk=pk).delete()
    response = signed_in.post(action_url(ticket, "reply"), {"reply-article": pk, "reply-insert": 1})
    assert response.status_code == 200
    assert "article" in response.context["forms"]["reply"].errors
