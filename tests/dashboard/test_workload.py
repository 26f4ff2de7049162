"""The department's workload page, one person's work and the head's reassignment."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from core import events, roles
from dashboard import workload
from helpdesk import services as helpdesk_services
from helpdesk.models import Category, Ticket, TicketChannel
from mtr import services as mtr_services
from mtr.models import ActivityArea, Application, Kind
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType
from tests.factories import PartyFactory, RestrictionBasisFactory, SeriesFactory
from tests.mtr.conftest import registry_code
from tests.registry.conftest import last_working_day

WORKLOAD = reverse("dashboard:workload")


def person_url(user) -> str:
    return reverse("dashboard:workload-person", args=[user.pk])


def reassign_url(user) -> str:
    return reverse("dashboard:reassign", args=[user.pk])


@pytest.fixture(autouse=True)
def _english(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mari(make_user):
    return make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm")


@pytest.fixture
def jaan(make_user):
    return make_user(roles.CLERK, username="jaan", first_name="Jaan", last_name="Kask")


@pytest.fixture
def piret(make_user):
    return make_user(roles.MTR_PROCESSOR, username="piret", first_name="Piret", last_name="Põld")


@pytest.fixture
def toomas(make_user):
    return make_user(roles.MTR_PROCESSOR, username="toomas", first_name="Toomas", last_name="Saar")


@pytest.fixture
def series(db):
    return SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")


@pytest.fixture
def area(db):
    return ActivityArea.objects.create(
        code="majutus",
        name_et="Majutamine",
        name_en="Accommodation",
        name_ru="Размещение",
        emtak_code="55101",
        kind=Kind.NOTICE,
        number_prefix="HMR",
    )


@pytest.fixture
def make_document(clerk, series):
    sender = PartyFactory(name="OÜ Põhjarannik", code="")

    def make(*, responsible=None, overdue=False, **kwargs):
        values = {
            "actor": clerk,
            "series": series,
            "doc_type": DocumentType.LETTER,
            "channel": Channel.POST,
            "title": "Kiri teenuse kohta",
            "received_on": last_working_day(),
            "sender": sender,
            "restriction_basis": None,
            "responsible": responsible,
        }
        values.update(kwargs)
        document = registry_services.document_register(**values)
        if overdue:
            Document.objects.filter(pk=document.pk).update(
                deadline=timezone.localdate() - timedelta(days=3)
            )
        return document

    return make


@pytest.fixture
def make_application(area, head):
    counter = iter(range(1, 10_000))

    def make(*, assignee=None, overdue=False):
        application = mtr_services.application_submit(
            area=area,
            type=Application.Type.NEW,
            business_name="Pärnu Majutus OÜ",
            registry_code=registry_code(next(counter)),
            address="Rüütli 25, 80010 Pärnu",
            contact_person="Kristjan Õunapuu",
            email="info@majutus.example.ee",
            addresses=["Ranna pst 5, Pärnu"],
            notify=False,
        )
        if assignee is not None:
            mtr_services.application_assign(actor=head, application=application, assignee=assignee)
        if overdue:
            Application.objects.filter(pk=application.pk).update(
                deadline=timezone.localdate() - timedelta(days=2)
            )
        return application

    return make


@pytest.fixture
def make_ticket(head):
    def make(*, assignee=None, breached=False):
        ticket = helpdesk_services.ticket_create(
            subject="Ei saa e-teenusesse sisse logida",
            body="Tere! Mobiil-ID-ga sisselogimine annab vea.",
            channel=TicketChannel.WEB,
            category=Category.ACCOUNT,
            requester_email="kasutaja@example.ee",
            requester_name="Kati Kask",
            notify=False,
        )
        if assignee is not None:
            helpdesk_services.ticket_assign(actor=head, ticket=ticket, assignee=assignee)
        if breached:
            Ticket.objects.filter(pk=ticket.pk).update(
                first_response_due=timezone.now() - timedelta(hours=3), first_responded_at=None
            )
        return ticket

    return make


@pytest.fixture
def work(mari, jaan, piret, make_document, make_application, make_ticket):
    """Mari: 3 documents (1 overdue), 2 tickets (1 breaching); Jaan: 1 document, 1 ticket;
    Piret: 2 applications (1 overdue); nobody: 1 overdue document, 1 application, 1 ticket."""
    return {
        "mari_documents": [
            make_document(responsible=mari, overdue=True),
            make_document(responsible=mari),
            make_document(responsible=mari),
        ],
        "jaan_documents": [make_document(responsible=jaan)],
        "nobody_documents": [make_document(overdue=True)],
        "mari_tickets": [make_ticket(assignee=mari, breached=True), make_ticket(assignee=mari)],
        "jaan_tickets": [make_ticket(assignee=jaan)],
        "nobody_tickets": [make_ticket()],
        "piret_applications": [
            make_application(assignee=piret, overdue=True),
            make_application(assignee=piret),
        ],
        "nobody_applications": [make_application()],
    }


def _rows(response) -> dict:
    return {row.person.pk if row.person else None: row for row in response.context["rows"]}


def _listed(client, url: str) -> int:
    """How many rows the list at ``url`` says it shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "page" in context and hasattr(context["page"], "capped"):  # core.listing
        return context["page"].count
    paginator = context["page"].paginator if "page" in context else context["paginator"]
    return paginator.count


# --- Who may see and move ------------------------------------------------------------------------


@pytest.mark.django_db
def test_clerk_may_not_see_or_reassign(client, clerk, mari, make_document):
    document = make_document(responsible=mari)
    client.force_login(clerk)
    assert client.get(WORKLOAD).status_code == 403
    assert client.get(person_url(mari)).status_code == 403
    response = client.post(
        reassign_url(mari), {"kind": "documents", "ids": [document.pk], "to": clerk.pk}
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.responsible == mari


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, mari):
    for url in (WORKLOAD, person_url(mari)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    response = client.post(reassign_url(mari), {"kind": "documents"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_administrator_sees_but_may_not_reassign(client, administrator, jaan, work):
    client.force_login(administrator)
    assert client.get(WORKLOAD).status_code == 200
    mari = work["mari_documents"][0].responsible
    response = client.get(person_url(mari))
    assert response.status_code == 200
    assert 'name="ids"' not in response.content.decode()
    ticket = work["mari_tickets"][0]
    response = client.post(
        reassign_url(mari), {"kind": "tickets", "ids": [ticket.pk], "to": jaan.pk}
    )
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.assignee == mari


@pytest.mark.django_db
def test_head_sees_both_pages_with_the_reassignment_forms(client, head, mari, work):
    client.force_login(head)
    response = client.get(WORKLOAD)
    assert response.status_code == 200
    page = client.get(person_url(mari)).content.decode()
    assert page.count(f'action="{reassign_url(mari)}"') == 2  # documents and tickets
    assert "Give the selected to" in page
    for document in work["mari_documents"]:
        assert f'value="{document.pk}"' in page
        assert f"Select {document.number}" in page  # the checkbox's label


# --- The numbers ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_count_each_persons_open_work(client, head, mari, jaan, piret, work):
    client.force_login(head)
    rows = _rows(client.get(WORKLOAD))
    assert (rows[mari.pk].documents.value, rows[mari.pk].documents_late.value) == (3, 1)
    assert (rows[mari.pk].tickets.value, rows[mari.pk].tickets_breached.value) == (2, 1)
    assert rows[mari.pk].total == 5
    assert (rows[piret.pk].applications.value, rows[piret.pk].applications_late.value) == (2, 1)
    assert rows[jaan.pk].total == 2
    assert rows[head.pk].total == 0  # holds a role, holds nothing: listed all the same
    order = [row.person for row in client.get(WORKLOAD).context["rows"]]
    assert order[0] == mari  # the most first
    assert order[-1] is None  # nobody last
    by_name = [row.person for row in client.get(WORKLOAD + "?sort=name").context["rows"]]
    people = [person for person in by_name if person is not None]
    assert people == sorted(people, key=lambda u: (u.last_name, u.first_name, u.username))
    assert by_name[-1] is None


@pytest.mark.django_db
def test_every_number_equals_the_rows_of_the_list_it_links_to(client, head, mari, piret, work):
    client.force_login(head)
    response = client.get(WORKLOAD)
    rows = [*response.context["rows"], response.context["sums"]]
    compared = 0
    for row in rows:
        for key, figure in row.figures.items():
            if figure.url:
                assert _listed(client, figure.url) == figure.value, (row.name, key, figure.url)
                compared += 1
    by_person = _rows(response)
    # The links that must be there: Mari's documents and tickets, Piret's applications, nobody's.
    for pk, key in (
        (mari.pk, "documents"),
        (mari.pk, "documents_late"),
        (mari.pk, "tickets"),
        (mari.pk, "tickets_breached"),
        (piret.pk, "applications"),
        (piret.pk, "applications_late"),
        (None, "documents_late"),
        (None, "applications"),
        (None, "tickets"),
    ):
        assert getattr(by_person[pk], key).url, (pk, key)
    assert compared >= 15
    assert f'href="{by_person[mari.pk].documents.url.replace("&", "&amp;")}"' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_person_page_lists_what_they_hold_deadline_first(client, head, mari, work):
    client.force_login(head)
    response = client.get(person_url(mari))
    documents, applications, tickets = response.context["sections"]
    assert [d.pk for d in documents["objects"]] == [d.pk for d in work["mari_documents"]]
    assert len(tickets["objects"]) == 2
    assert tickets["objects"][0].breached  # the breaching one on top
    assert applications["objects"] == []
    assert mari not in documents["choices"]


@pytest.mark.django_db
def test_a_restricted_document_shows_its_number_only_to_who_may_not_read_it(
    client, head, administrator, mari, make_document
):
    document = make_document(
        responsible=mari,
        title="Terviseandmed: salajane kiri",
        restriction_basis=RestrictionBasisFactory(),
    )
    client.force_login(administrator)
    page = client.get(person_url(mari)).content.decode()
    assert document.number in page
    assert "Access restricted" in page
    assert "Terviseandmed" not in page
    client.force_login(head)  # the head reads restricted documents
    assert "Terviseandmed" in client.get(person_url(mari)).content.decode()


# --- Reassigning ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_head_gives_documents_to_a_colleague_on_their_timelines(
    client, head, mari, jaan, work, django_capture_on_commit_callbacks
):
    client.force_login(head)
    moved = work["mari_documents"][:2]
    kept = work["mari_documents"][2]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reassign_url(mari),
            {"kind": "documents", "ids": [d.pk for d in moved], "to": jaan.pk},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == person_url(mari)
    assert "2 documents given to Jaan Kask." in response.content.decode()
    for document in moved:
        document.refresh_from_db()
        assert document.responsible == jaan
        event = events.for_object(document).first()
        assert (event.verb, event.actor, event.data["responsible_id"]) == (
            "assigned",
            head,
            jaan.pk,
        )
    kept.refresh_from_db()
    assert kept.responsible == mari
    assert [message.to for message in mail.outbox] == [[jaan.email], [jaan.email]]


@pytest.mark.django_db
def test_head_gives_tickets_and_applications(client, head, mari, jaan, piret, toomas, work):
    client.force_login(head)
    ticket = work["mari_tickets"][0]
    response = client.post(
        reassign_url(mari), {"kind": "tickets", "ids": [ticket.pk], "to": jaan.pk}, follow=True
    )
    assert "1 ticket given to Jaan Kask." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee == jaan
    event = events.for_object(ticket).first()
    assert (event.verb, event.actor, event.data["to"]) == ("assigned", head, "Jaan Kask")

    applications = work["piret_applications"]
    response = client.post(
        reassign_url(piret),
        {"kind": "applications", "ids": [a.pk for a in applications], "to": toomas.pk},
        follow=True,
    )
    assert "2 applications given to Toomas Saar." in response.content.decode()
    for application in applications:
        application.refresh_from_db()
        assert application.assignee == toomas
        event = events.for_object(application).first()
        assert (event.verb, event.actor) == ("assigned", head)


@pytest.mark.django_db
def test_guessed_ids_of_another_persons_or_closed_work_move_nothing(
    client, head, mari, jaan, piret, work
):
    client.force_login(head)
    jaans = work["jaan_documents"][0]
    nobodys = work["nobody_documents"][0]
    closed = work["mari_documents"][0]
    Document.objects.filter(pk=closed.pk).update(status=Document.Status.CLOSED)
    response = client.post(
        reassign_url(mari),
        {"kind": "documents", "ids": [jaans.pk, nobodys.pk, closed.pk], "to": piret.pk},
        follow=True,
    )
    assert "given to" not in response.content.decode()
    assert "no longer theirs" in response.content.decode()
    assert Document.objects.get(pk=jaans.pk).responsible == jaan
    assert Document.objects.get(pk=nobodys.pk).responsible is None
    assert Document.objects.get(pk=closed.pk).responsible == mari
    done, errors = workload.reassign(
        actor=head, kind="documents", ids=[jaans.pk], to_user=piret, from_user=mari
    )
    assert (done, errors) == ([], [])
    assert Document.objects.get(pk=jaans.pk).responsible == jaan


@pytest.mark.django_db
def test_an_ineligible_person_gets_a_readable_error_and_nothing_moves(
    client, head, mari, jaan, piret, make_user, work
):
    client.force_login(head)
    tickets = work["mari_tickets"]
    response = client.post(
        reassign_url(mari),
        {"kind": "tickets", "ids": [t.pk for t in tickets], "to": head.pk},
        follow=True,
    )
    page = response.content.decode()
    assert f"{head} does not handle tickets." in page
    assert "given to" not in page
    assert {t.assignee for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets])} == {mari}

    response = client.post(
        reassign_url(piret),
        {"kind": "applications", "ids": [a.pk for a in work["piret_applications"]], "to": jaan.pk},
        follow=True,
    )
    assert "Jaan Kask may not process applications." in response.content.decode()
    assert Application.objects.filter(assignee=piret).count() == 2

    outsider = make_user(username="outsider", first_name="Olev", last_name="Väljas")
    response = client.post(
        reassign_url(mari),
        {"kind": "documents", "ids": [work["mari_documents"][0].pk], "to": outsider.pk},
        follow=True,
    )
    assert "Olev Väljas may not hold documents." in response.content.decode()
    assert Document.objects.filter(responsible=mari).count() == 3


@pytest.mark.django_db
def test_one_refused_object_does_not_undo_the_others(
    head, piret, toomas, work, make_application, monkeypatch
):
    applications = [*work["piret_applications"], make_application(assignee=piret)]
    refused = applications[1]
    real_assign = mtr_services.application_assign

    def assign(*, actor, application, assignee):
        result = real_assign(actor=actor, application=application, assignee=assignee)
        if application.pk == refused.pk:  # refused after the write: its transaction rolls back
            from django.core.exceptions import ValidationError

            raise ValidationError("The application is locked by another processor.")
        return result

    monkeypatch.setattr(mtr_services, "application_assign", assign)
    done, errors = workload.reassign(
        actor=head,
        kind="applications",
        ids=[a.pk for a in applications],
        to_user=toomas,
        from_user=piret,
    )
    assert len(done) == 2
    assert errors == [
        f"{refused.tracking_code_display}: The application is locked by another processor."
    ]
    assert Application.objects.get(pk=refused.pk).assignee == piret
    assert Application.objects.filter(assignee=toomas).count() == 2
    assert not events.for_object(refused).filter(data__to=str(toomas)).exists()


# --- A fixed number of queries -----------------------------------------------------------------


@pytest.mark.django_db
def test_workload_pages_run_a_fixed_number_of_queries(
    client,
    head,
    mari,
    make_user,
    make_document,
    make_application,
    make_ticket,
    django_assert_max_num_queries,
):
    client.force_login(head)
    make_document(responsible=mari, overdue=True)
    make_ticket(assignee=mari, breached=True)
    client.get(WORKLOAD)  # warm the caches of the first request (content types, session)
    cache.clear()  # count the page's own queries, not the minute's snapshot of its counts
    bound = 13  # sign-in 4, the four workload aggregates, people with the list filters 1, session 3
    with django_assert_max_num_queries(bound):
        assert client.get(WORKLOAD).status_code == 200
    # sign-in 4, the person 1, three lists 6 (a keyset page and its capped count each, an empty
    # one too), visible documents 1, choices 3, session 3
    person_bound = 18
    with django_assert_max_num_queries(person_bound):
        assert client.get(person_url(mari)).status_code == 200

    clerks = [make_user(roles.CLERK, username=f"clerk{n}") for n in range(5)]
    processors = [make_user(roles.MTR_PROCESSOR, username=f"processor{n}") for n in range(5)]
    people = [mari, *clerks, *processors[:4]]  # ten people
    for n in range(200):
        make_document(responsible=people[n % 10], overdue=n % 3 == 0)
    for n in range(50):
        make_ticket(assignee=[mari, *clerks][n % 6], breached=n % 4 == 0)
        make_application(assignee=processors[n % 5], overdue=n % 5 == 0)

    cache.clear()  # the counts are a snapshot of up to a minute: count the new rows
    with django_assert_max_num_queries(bound):
        response = client.get(WORKLOAD)
    assert _rows(response)[mari.pk].documents.value == 21
    with django_assert_max_num_queries(person_bound):
        response = client.get(person_url(mari))
    assert len(response.context["sections"][0]["objects"]) == 21
    with django_assert_max_num_queries(person_bound):
        response = client.get(person_url(processors[0]))
    assert len(response.context["sections"][1]["objects"]) == 10


# --- A snapshot of a minute ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_counts_are_a_snapshot_that_says_when_it_was_counted(client, head, mari, make_document):
    client.force_login(head)
    make_document(responsible=mari)
    first = client.get(WORKLOAD)
    assert _rows(first)[mari.pk].documents.value == 1
    make_document(responsible=mari)
    again = client.get(WORKLOAD)
    assert _rows(again)[mari.pk].documents.value == 1  # counted a moment ago, and says when
    assert again.context["now"] == first.context["now"]
    cache.clear()
    assert _rows(client.get(WORKLOAD))[mari.pk].documents.value == 2


@pytest.mark.django_db
def test_a_reassignment_here_is_counted_at_once(
    client, head, mari, jaan, work, django_capture_on_commit_callbacks
):
    client.force_login(head)
    before = _rows(client.get(WORKLOAD))
    moved = work["mari_documents"][:2]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reassign_url(mari), {"kind": "documents", "ids": [d.pk for d in moved], "to": jaan.pk}
        )
    after = _rows(client.get(WORKLOAD))
    assert after[mari.pk].documents.value == before[mari.pk].documents.value - 2
    assert after[jaan.pk].documents.value == before[jaan.pk].documents.value + 2
