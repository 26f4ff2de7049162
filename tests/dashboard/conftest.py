"""Fixtures of the dashboard tests: a small department built through the apps' services, with
overdue, due-soon and breaching work held by a few people."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Page
from django.utils import timezone

from assets import services as assets_services
from assets.models import AccessGrant, Asset, Category, InformationSystem, SystemRole
from core import roles
from core.listing import Page as ListingPage
from helpdesk import services as helpdesk_services
from helpdesk.models import Category as TicketCategory
from helpdesk.models import Ticket, TicketChannel
from mtr import services as mtr_services
from mtr.models import ActivityArea, Application, Kind
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType
from tests.factories import PartyFactory, RestrictionBasisFactory, SeriesFactory
from tests.mtr.conftest import registry_code


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(make_user):
    return {
        "clerk": make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm"),
        "processor": make_user(
            roles.MTR_PROCESSOR, username="jaan", first_name="Jaan", last_name="Kask"
        ),
        "advisor": make_user(roles.ADVISOR, username="liis", first_name="Liis", last_name="Saar"),
        "manager": make_user(
            roles.ASSET_MANAGER, username="andres", first_name="Andres", last_name="Mägi"
        ),
        "head": make_user(roles.HEAD, username="kadri", first_name="Kadri", last_name="Õunapuu"),
    }


def make_documents(people, *, count: int = 1):
    """Registered documents: per round two overdue (one restricted, one held by nobody), one due
    tomorrow, an information request due today, one answered, one with no deadline."""
    clerk, advisor = people["clerk"], people["advisor"]
    series = SeriesFactory(code="1-2", title="Kirjavahetus")
    sender = PartyFactory(name="OÜ Põhjarannik", code="")
    basis = RestrictionBasisFactory()
    today = timezone.localdate()
    made = []

    def register(**kwargs):
        values = {
            "actor": clerk,
            "series": series,
            "doc_type": DocumentType.LETTER,
            "channel": Channel.POST,
            "title": "Kiri teenuse kohta",
            "received_on": today,
            "sender": sender,
            "restriction_basis": None,
        }
        values.update(kwargs)
        document = registry_services.document_register(**values)
        made.append(document)
        return document

    for _round in range(count):
        late = register(title="Hilinenud pöördumine", responsible=advisor)
        secret = register(
            title="Terviseandmetega avaldus", responsible=clerk, restriction_basis=basis
        )
        nobody = register(title="Vastutajata kiri")
        Document.objects.filter(pk__in=[late.pk, secret.pk, nobody.pk]).update(
            deadline=today - timedelta(days=3)
        )
        soon = register(title="Peagi tähtaeg", responsible=clerk)
        Document.objects.filter(pk=soon.pk).update(deadline=today + timedelta(days=1))
        request = register(
            title="Teabenõue: lepingud",
            doc_type=DocumentType.INFORMATION_REQUEST,
            channel=Channel.EMAIL,
            responsible=advisor,
        )
        Document.objects.filter(pk=request.pk).update(deadline=today)
        register(title="Teadmiseks", responsible=clerk)
    return made


def make_applications(people, *, count: int = 1):
    """Per round: one overdue in review with the processor, one received, one decided."""
    area, _created = ActivityArea.objects.get_or_create(
        code="turvateenus",
        defaults={
            "name_et": "Turvateenus",
            "name_en": "Security services",
            "name_ru": "Охранные услуги",
            "emtak_code": "80101",
            "kind": Kind.LICENCE,
            "number_prefix": "KTO",
        },
    )
    today = timezone.localdate()
    for n in range(count):
        made = [
            mtr_services.application_submit(
                area=area,
                type=Application.Type.NEW,
                business_name=f"Valve {n}-{i} OÜ",
                registry_code=registry_code(n * 3 + i + 1),
                address="Rüütli 25, 80010 Pärnu",
                contact_person="Kristjan Õunapuu",
                email="info@valve.example.ee",
                addresses=["Ranna pst 5, Pärnu"],
            )
            for i in range(3)
        ]
        late, _received, decided = made
        Application.objects.filter(pk=late.pk).update(
            status=Application.Status.IN_REVIEW,
            assignee=people["processor"],
            deadline=today - timedelta(days=2),
        )
        Application.objects.filter(pk=decided.pk).update(
            status=Application.Status.GRANTED,
            decided_at=timezone.now(),
            submitted_at=timezone.now() - timedelta(days=10),
            paused_days=4,
        )
    return area


def make_tickets(people, *, count: int = 1):
    """Per round: one breaching its first-answer time (the clerk's), one on time, one nobody's."""
    now = timezone.now()
    for n in range(count):
        made = [
            helpdesk_services.ticket_create(
                subject=f"Ei saa sisse logida {n}-{i}",
                body="Tere! Mobiil-ID annab vea.",
                channel=TicketChannel.WEB,
                category=TicketCategory.ACCOUNT,
                requester_email="kasutaja@example.ee",
                requester_name="Kati Kask",
            )
            for i in range(3)
        ]
        Ticket.objects.filter(pk=made[0].pk).update(
            first_response_due=now - timedelta(hours=3),
            assignee=people["clerk"],
            status=Ticket.Status.OPEN,
        )
        Ticket.objects.filter(pk=made[1].pk).update(
            first_response_due=now + timedelta(days=3),
            resolution_due=now + timedelta(days=5),
            assignee=people["clerk"],
            status=Ticket.Status.OPEN,
        )


def make_property(people):
    manager = people["manager"]
    room = assets_services.location_get("Suur-Ameerika 1, 101")
    lost = assets_services.asset_create(
        actor=manager,
        name="Sülearvuti Lenovo ThinkPad T14",
        category=Category.COMPUTER,
        location=room,
        responsible=manager,
        price=Decimal("1200.00"),
    )
    Asset.objects.filter(pk=lost.pk).update(state=Asset.State.MISSING)
    old = assets_services.asset_create(
        actor=manager,
        name="Monitor Dell P2422H",
        category=Category.MONITOR,
        location=room,
        responsible=manager,
        price=Decimal("250.00"),
    )
    assets_services.disposal_propose(actor=manager, asset=old, method="destruction", reason="Katki")
    system = InformationSystem.objects.create(name="Dokumendihaldus", main_user=manager)
    role = SystemRole.objects.create(system=system, name="Sekretär")
    AccessGrant.objects.create(
        person=people["clerk"],
        role=role,
        requested_by=manager,
        status=AccessGrant.Status.GRANTED,
        granted=timezone.now(),
        valid_until=timezone.localdate() + timedelta(days=10),
    )
    helpdesk_services.visit_arrive(
        actor=people["clerk"], name="Toomas Tamm", host=people["head"], purpose="Koosolek"
    )


@pytest.fixture
def department(people):
    make_documents(people)
    make_applications(people)
    make_tickets(people)
    make_property(people)
    return people


def rows_shown(response) -> int:
    """How many rows a list page shows in all: its paginator's count, or the length of the
    list it shows whole (visitors in the building, the day's post, the rights ending)."""
    context = response.context
    for name in ("in_building", "rows", "ending"):
        if name in context and not isinstance(context[name], Page | ListingPage):
            return len(context[name])
    for name in context.keys():  # noqa: SIM118 (a ContextList iterates its contexts)
        if isinstance(context[name], ListingPage):  # core.listing: a count below its cap
            assert not context[name].capped
            return context[name].count
        if isinstance(context[name], Page):
            return context[name].paginator.count
    raise AssertionError("The page shows no list")
