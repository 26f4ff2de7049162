"""The assets through their services: numbers, CSV import all or nothing, handover, stocktaking,
disposal through approval to a registered public act, rights, quotes and thresholds."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from assets import services
from assets.models import AccessGrant, Asset, Disposal, InformationSystem, QuoteRequest, SystemRole
from assets.verbs import Verb
from assets.workflows import ASSET, GRANT
from core import roles
from core.models import Event
from core.workflow import Forbidden, Refused
from registry.models import Channel, Direction
from tests.factories import SeriesFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_inventory_numbers_count_per_year(make_asset):
    first, second = make_asset(), make_asset()
    year = timezone.localdate().year
    assert (first.inventory_number, second.inventory_number) == (
        f"INV-{year}-0001",
        f"INV-{year}-0002",
    )
    assert first.label_code != second.label_code


def test_a_csv_with_a_bad_row_imports_nothing_and_names_the_line(manager):
    data = (
        b"name;category;location;responsible;purchase_date;price\n"
        b"Monitor Dell;monitor;Suur-Ameerika 1, 102;andres;01.03.2025;289,00\n"
        b"Laud;furniture;;nobody;2025-13-01;abc\n"
    )
    result = services.assets_import_csv(actor=manager, data=data)
    assert result.created == 0
    assert {line for line, _message in result.errors} == {3}
    assert len(result.errors) == 3  # unknown user, bad date, bad price
    assert not Asset.objects.exists()


def test_a_good_csv_is_imported_whole(manager):
    data = (
        "\ufeffname,category,location,price\n"
        'Monitor Dell,monitor,"Suur-Ameerika 1, 102",289.00\n'
        "Töötool,furniture,Ladu,430\n"
    ).encode()
    result = services.assets_import_csv(actor=manager, data=data)
    assert (result.created, result.errors) == (2, [])
    monitor = Asset.objects.get(name="Monitor Dell")
    assert str(monitor.location) == "Suur-Ameerika 1, 102"
    assert monitor.price == Decimal("289.00")
    rows = list(services.assets_export_rows(Asset.objects.order_by("pk")))
    assert rows[0] == services.CSV_COLUMNS
    assert rows[1][1] == "Monitor Dell"


def test_handover_to_a_person_waits_for_confirmation(
    make_asset, manager, make_user, django_capture_on_commit_callbacks
):
    asset = make_asset()
    receiver = make_user(roles.CLERK, username="mari")
    with django_capture_on_commit_callbacks(execute=True):
        handover = services.handover_create(actor=manager, asset=asset, to_person=receiver)
    asset.refresh_from_db()
    assert asset.responsible == receiver
    assert mail.outbox[-1].to == [receiver.email]
    with pytest.raises(ValidationError):
        services.handover_confirm(actor=manager, handover=handover)
    services.handover_confirm(actor=receiver, handover=handover)
    assert asset.handovers.get().confirmed_at is not None


def test_stocktaking_marks_and_closing_updates_the_assets(make_asset, manager, room):
    other_room = services.location_get("Suur-Ameerika 1, 102")
    found, missing, damaged, moved = (make_asset() for _ in range(4))
    stocktaking = services.stocktaking_start(actor=manager, title="Inventuur", location=room)
    assert stocktaking.items.count() == 4
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=found, result="found", found_location=room
    )
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=missing, result="missing"
    )
    services.stocktaking_mark(
        actor=manager, stocktaking=stocktaking, asset=damaged, result="damaged"
    )
    item = services.stocktaking_mark(
        actor=manager,
        stocktaking=stocktaking,
        asset=moved,
        result="found",
        found_location=other_room,
    )
    assert item.result == "wrong_location"
    services.stocktaking_close(actor=manager, stocktaking=stocktaking)
    states = {a.pk: (a.state, a.location_id) for a in Asset.objects.all()}
    assert states[missing.pk][0] == Asset.State.MISSING
    assert states[damaged.pk][0] == Asset.State.IN_REPAIR
    assert states[moved.pk][1] == other_room.pk
    with pytest.raises(ValidationError):
        services.stocktaking_mark(
            actor=manager, stocktaking=stocktaking, asset=found, result="found"
        )


def test_an_assets_state_moves_through_its_workflow_and_its_timeline_says_so(
    make_asset, manager, room, make_user
):
    asset = make_asset()
    clerk = make_user(roles.CLERK, username="mari")
    assert [name for name, ok in ASSET.available(asset, manager).items() if ok] == [
        "store",
        "repair",
        "lost",
        "damaged",
    ]
    assert not any(ASSET.available(asset, clerk).values())  # no right to change assets
    with pytest.raises(Refused, match="already"):
        services.asset_set_state(actor=manager, asset=asset, state=Asset.State.IN_USE)
    services.asset_set_state(actor=manager, asset=asset, state=Asset.State.IN_STORAGE, note="Ladu")
    # Found missing at a stocktaking, then handed over: in use again.
    stocktaking = services.stocktaking_start(actor=manager, title="Aastainventuur", location=room)
    services.stocktaking_mark(actor=manager, stocktaking=stocktaking, asset=asset, result="missing")
    services.stocktaking_close(actor=manager, stocktaking=stocktaking)
    asset.refresh_from_db()
    assert asset.state == Asset.State.MISSING
    services.handover_create(actor=manager, asset=asset, to_location=room)
    asset.refresh_from_db()
    assert asset.state == Asset.State.IN_USE
    changes = [
        event.data
        for event in Event.objects.filter(
            object_id=str(asset.pk), content_type__model="asset", verb=Event.Verb.STATUS_CHANGED
        ).order_by("pk")
    ]
    assert changes == [
        {"from": "in_use", "to": "in_storage", "note": "Ladu"},
        {"from": "in_storage", "to": "missing", "stocktaking": "Aastainventuur"},
    ]


def test_disposal_through_approval_to_a_registered_public_act(make_asset, manager, make_user):
    SeriesFactory(code="3-4", title="Vara aktid")
    head = make_user(roles.HEAD, username="kadri")
    asset = make_asset(name="Sülearvuti Dell, katki")
    disposal = services.disposal_propose(
        actor=manager, asset=asset, method=Disposal.Method.DESTRUCTION, reason="Emaplaat rikkis"
    )
    with pytest.raises(ValidationError):
        services.disposal_propose(
            actor=manager, asset=asset, method=Disposal.Method.SALE, reason="x"
        )
    with pytest.raises(ValidationError):
        services.disposal_complete(
            actor=manager, disposal=disposal, disposed_on=timezone.localdate(), recipient="Romu"
        )
    with pytest.raises(PermissionDenied):  # the asset manager is no approver
        services.disposal_approve(actor=manager, disposal=disposal)
    services.disposal_approve(actor=head, disposal=disposal)
    with pytest.raises(ValidationError) as error:
        services.disposal_complete(
            actor=manager, disposal=disposal, disposed_on=timezone.localdate(), recipient="Romu"
        )
    assert "certificate_number" in error.value.message_dict
    services.disposal_complete(
        actor=manager,
        disposal=disposal,
        disposed_on=timezone.localdate(),
        recipient="Eesti Elektroonikaromu MTÜ",
        certificate_number="EER-1187",
    )
    disposal.refresh_from_db()
    asset.refresh_from_db()
    assert asset.state == Asset.State.DISPOSED
    document = disposal.document
    assert document.number.startswith("3-4/")
    assert not document.is_restricted()
    # Issue 17, item 9: an act made here is internal, not "outgoing, hand delivery".
    assert (document.direction, document.channel) == (Direction.INTERNAL, Channel.INTERNAL)
    assert document.status == document.Status.NO_ACTION
    attachment = document.attachments.get()
    assert attachment.is_public
    text = pdf_text(disposal.act_pdf.read())
    assert asset.inventory_number in text
    assert "EER-1187" in text


def test_rights_request_approve_expire_and_the_main_user_only(
    manager, make_user, django_capture_on_commit_callbacks
):
    main_user = make_user(roles.ADVISOR, username="liis")
    person = make_user(roles.CLERK, username="mari")
    system = InformationSystem.objects.create(name="Delta", owner="RIA", main_user=main_user)
    role = SystemRole.objects.create(system=system, name="Asjaajaja")
    with django_capture_on_commit_callbacks(execute=True):
        grant = services.grant_request(actor=person, person=person, role=role, reason="Tööks")
    assert mail.outbox[-1].to == [main_user.email]
    with pytest.raises(ValidationError):
        services.grant_request(actor=person, person=person, role=role)
    with pytest.raises(Forbidden, match="main user decides"):
        services.grant_approve(actor=person, grant=grant)
    services.grant_approve(
        actor=main_user, grant=grant, valid_until=timezone.localdate() + timedelta(days=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expiring_notify() == 1
    AccessGrant.objects.filter(pk=grant.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert services.grants_expire() == 1
    grant.refresh_from_db()
    assert grant.status == AccessGrant.Status.REVOKED
    holdings = services.holdings_of(person)
    assert holdings["grants"] == []
    # Every decision is on the system's timeline, the system's own revocation too.
    verbs = list(
        Event.objects.filter(object_id=str(system.pk), content_type__model="informationsystem")
        .order_by("pk")
        .values_list("verb", "actor__username")
    )
    assert verbs == [
        (Verb.GRANT_REQUESTED, "mari"),
        (Verb.GRANTED, "liis"),
        (Verb.REVOKED, None),
    ]


def test_a_right_refused_confirmed_and_revoked_through_its_workflow(manager, make_user):
    main_user = make_user(roles.ADVISOR, username="liis")
    person = make_user(roles.CLERK, username="mari")
    system = InformationSystem.objects.create(name="Delta", owner="RIA", main_user=main_user)
    role = SystemRole.objects.create(system=system, name="Asjaajaja")
    asked = services.grant_request(actor=person, person=person, role=role, reason="Tööks")
    services.grant_refuse(actor=main_user, grant=asked, reason="Ei ole vaja")
    asked.refresh_from_db()
    assert asked.status == AccessGrant.Status.REFUSED
    assert asked.revoke_reason == "Ei ole vaja"
    with pytest.raises(Refused, match="Only a request can be granted"):
        services.grant_approve(actor=main_user, grant=asked)
    again = services.grant_request(actor=person, person=person, role=role, reason="Siiski")
    assert GRANT.available(again, person) == dict.fromkeys(GRANT.by_name, False)
    assert GRANT.available(again, main_user) == {
        "grant": True,
        "refuse": True,
        "revoke": False,
        "confirm": False,
    }
    services.grant_approve(actor=main_user, grant=again)
    with pytest.raises(Refused, match="Only a request can be refused"):
        services.grant_refuse(actor=main_user, grant=again, reason="Hilja")
    services.grant_confirm(actor=main_user, grant=again)
    # Whoever may change every right decides too; the reason is required.
    with pytest.raises(ValidationError) as error:
        services.grant_revoke(actor=manager, grant=again, reason=" ")
    assert "reason" in error.value.error_dict
    services.grant_revoke(actor=manager, grant=again, reason="Lahkus")
    verbs = list(
        Event.objects.filter(object_id=str(system.pk), content_type__model="informationsystem")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        Verb.GRANT_REQUESTED,
        Verb.GRANT_REFUSED,
        Verb.GRANT_REQUESTED,
        Verb.GRANTED,
        Verb.GRANT_CONFIRMED,
        Verb.REVOKED,
    ]


def test_quotes_threshold_and_choice(manager):
    request = services.quote_request_create(
        actor=manager,
        subject="Koristus",
        kind=QuoteRequest.Kind.SERVICES,
        estimated_value=Decimal("30000"),
        deadline=timezone.localdate(),
    )
    assert "30 000" in services.threshold_warning(request)
    works = services.quote_request_create(
        actor=manager,
        subject="Remont",
        kind=QuoteRequest.Kind.WORKS,
        estimated_value=Decimal("59999"),
        deadline=timezone.localdate(),
    )
    assert services.threshold_warning(works) == ""
    cheap = services.quote_add(actor=manager, request=request, supplier="A", amount=Decimal("100"))
    dear = services.quote_add(actor=manager, request=request, supplier="B", amount=Decimal("200"))
    with pytest.raises(ValidationError):
        services.quote_choose(actor=manager, request=request, quote=dear, reason="Parem")
    services.quote_choose(
        actor=manager,
        request=request,
        quote=dear,
        reason="Ainult B pakub hooldust nädalavahetustel.",
    )
    request.refresh_from_db()
    assert request.chosen == dear
    assert cheap.request == request


def test_rhs_14_thresholds_are_dated_and_a_request_is_judged_by_the_rule_of_its_day(
    manager, time_machine
):
    """RHS § 14: the thresholds were code constants (€30,000 / €60,000); the law is changing
    them (€50,000 / €100,000). A change is a row from its day; an older request keeps the rule
    of the day it was prepared, a newer one gets the new rule."""
    from assets.models import ProcurementThreshold

    ProcurementThreshold.objects.create(
        valid_from=date(2027, 1, 1),
        goods_services=Decimal("50000"),
        works=Decimal("100000"),
        special_services=Decimal("100000"),
        basis="RHS § 14 lg 1 p 1–2, 4 (muudetud)",
    )

    def prepare(kind, value):
        return services.quote_request_create(
            actor=manager,
            subject="Kohvimasinad",
            kind=kind,
            estimated_value=Decimal(value),
            deadline=timezone.localdate() + timedelta(days=10),
        )

    time_machine.move_to(datetime(2026, 12, 10, 12, 0, tzinfo=ZoneInfo("Europe/Tallinn")))
    before = prepare(QuoteRequest.Kind.GOODS, "40000")
    time_machine.move_to(datetime(2027, 1, 11, 12, 0, tzinfo=ZoneInfo("Europe/Tallinn")))
    after = prepare(QuoteRequest.Kind.GOODS, "40000")

    assert "30 000" in services.threshold_warning(before)  # still the rule of its day
    assert services.threshold_warning(after) == ""  # under the new €50,000
    assert services.threshold(QuoteRequest.Kind.WORKS, on=date(2027, 1, 1)) == Decimal("100000")
    assert services.threshold(QuoteRequest.Kind.WORKS, on=date(2026, 12, 31)) == Decimal("60000")


def test_rhs_14_special_services_have_a_threshold_of_their_own(manager):
    request = services.quote_request_create(
        actor=manager,
        subject="Turvateenus",
        kind=QuoteRequest.Kind.SPECIAL_SERVICES,
        estimated_value=Decimal("45000"),
        deadline=timezone.localdate(),
    )
    assert services.threshold_warning(request) == ""  # goods and services would warn at 30,000
    request.estimated_value = Decimal("60000")
    assert "60 000" in services.threshold_warning(request)
