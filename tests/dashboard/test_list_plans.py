"""The three lists of a person's workload page (open documents, MTR applications, tickets they
hold, nearest deadline first) are each one range of an index that starts with the holder: EXPLAIN
shows no Sort when sorting is made prohibitively expensive, the holder is an Index Cond, and a
deep page (``<kind>_after=``) is bounded by its cursor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from core import roles
from helpdesk.models import Ticket, TicketChannel
from mtr.models import ActivityArea, Application, Business, Kind
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType
from tests.factories import PartyFactory, SeriesFactory
from tests.mtr.conftest import registry_code
from tests.plans import analyze, assert_index_order, page_sql
from tests.registry.conftest import last_working_day

pytestmark = pytest.mark.django_db

TABLES = {
    "documents": ("registry_document", "registry_doc_resp_open"),
    "applications": ("mtr_application", "mtr_app_open_assignee"),
    "tickets": ("helpdesk_ticket", "helpdesk_tkt_open_assignee"),
}


@pytest.fixture
def boss(client):
    user = get_user_model().objects.create_superuser("plans", "plans@example.ee", "x")
    client.force_login(user)
    return user


@pytest.fixture
def people(make_user):
    return [make_user(roles.CLERK, username=f"worker{n}") for n in range(6)]


@pytest.fixture
def held(people, clerk, boss):
    """30 open documents, applications and tickets the first person holds, and more that the
    others hold."""
    series = SeriesFactory(code="1-2", title="Kirjavahetus")
    sender = PartyFactory(name="OÜ Põhjarannik", code="")
    documents = [
        registry_services.document_register(
            actor=clerk,
            series=series,
            doc_type=DocumentType.LETTER,
            channel=Channel.POST,
            title=f"Kiri {n}",
            received_on=last_working_day(),
            sender=sender,
            restriction_basis=None,
        )
        for n in range(40)
    ]
    for n, document in enumerate(documents):
        Document.objects.filter(pk=document.pk).update(
            responsible=people[0] if n % 4 else people[1 + n % 5],
            deadline=None if n % 5 == 0 else date(2026, 12, 1) + timedelta(days=n % 9),
        )
    area = ActivityArea.objects.create(
        code="majutus",
        name_et="Majutamine",
        name_en="Accommodation",
        name_ru="Размещение",
        emtak_code="55101",
        kind=Kind.NOTICE,
        number_prefix="HMR",
    )
    businesses = Business.objects.bulk_create(
        Business(registry_code=registry_code(700 + n), name=f"Ettevõte {n} OÜ") for n in range(90)
    )
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            type=Application.Type.NEW,
            area=area,
            business=business,
            business_name=business.name,
            registry_code=business.registry_code,
            address="Rüütli 25, Pärnu",
            contact_person="Kristjan Õunapuu",
            email="info@example.ee",
            status=Application.Status.IN_REVIEW,
            submitted_at=now - timedelta(hours=n),
            deadline=None if n % 7 == 0 else date(2026, 12, 1) + timedelta(days=n % 20),
            assignee=people[n % 2] if n < 60 else people[2 + n % 4],
        )
        for n, business in enumerate(businesses)
    )
    Ticket.objects.bulk_create(
        Ticket(
            subject=f"Küsimus {n}",
            channel=TicketChannel.WEB,
            status=[Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.WAITING][n % 3],
            created=now - timedelta(hours=n),
            first_response_due=None if n % 7 == 0 else now + timedelta(hours=n % 11),
            resolution_due=now + timedelta(days=n % 5),
            assignee=people[n % 2] if n < 60 else people[2 + n % 4],
        )
        for n in range(90)
    )
    analyze(Document, Application, Ticket)


def person_url(user) -> str:
    return reverse("dashboard:workload-person", args=[user.pk])


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_each_list_of_a_person_is_a_range_of_their_index(client, boss, people, held, kind):
    table, index = TABLES[kind]
    sql = page_sql(client, person_url(people[0]), table=table)
    text = assert_index_order(sql, index=index)
    assert "Index Cond" in text, text


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_a_deep_page_of_each_list_is_bounded_by_its_cursor(client, boss, people, held, kind):
    table, index = TABLES[kind]
    url = person_url(people[0])
    page = client.get(url).context["sections"]
    links = {section["kind"]: section["page"].links for section in page}
    assert f"{kind}_after=" in links[kind]["next"]
    text = assert_index_order(page_sql(client, url + links[kind]["next"], table=table))
    assert "Index Cond" in text, text
