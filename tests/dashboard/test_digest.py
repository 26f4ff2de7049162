"""The head's weekly digest: the overview's numbers and links by e-mail, once per ISO week."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core import roles
from core.models import OutboundEmail
from dashboard import overview, services, tasks
from registry import services as registry_services
from registry.models import Channel, Document, DocumentType
from tests.factories import PartyFactory, RestrictionBasisFactory, SeriesFactory

MONDAY = date(2026, 11, 23)  # ISO week 48
SECRET_TITLE = "Salajane isikuandmetega kiri"


@pytest.fixture
def restricted_overdue(clerk):
    """A restricted document held by a clerk, 9 days past its deadline."""
    document = registry_services.document_register(
        actor=clerk,
        series=SeriesFactory(code="1-2", title="Kirjavahetus"),
        doc_type=DocumentType.LETTER,
        channel=Channel.POST,
        title=SECRET_TITLE,
        received_on=timezone.localdate() - timedelta(days=40),
        sender=PartyFactory(name="OÜ Põhjarannik", code=""),
        responsible=clerk,
        restriction_basis=RestrictionBasisFactory(),
        restriction_end=timezone.localdate() + timedelta(days=365),
    )
    Document.objects.filter(pk=document.pk).update(
        deadline=timezone.localdate() - timedelta(days=9)
    )
    return document


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the digest and the outbox's sending (eager Celery) once; returns how many were queued."""

    def run(today=MONDAY):
        with django_capture_on_commit_callbacks(execute=True):
            return services.digest_send(today=today)

    return run


def body_of(user) -> str:
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message.body


def test_each_head_gets_one_digest_a_week_however_often_it_runs(
    head, administrator, clerk, make_user, send
):
    make_user(roles.HEAD, username="no-address", email="")
    make_user(roles.HEAD, username="gone", is_active=False)

    assert send() == 2
    assert send() == 0  # beat ran twice, or the task was delivered twice
    assert send(MONDAY + timedelta(days=3)) == 0  # the same ISO week

    assert sorted(m.to[0] for m in mail.outbox) == sorted([head.email, administrator.email])
    assert OutboundEmail.objects.filter(key=f"dashboard-digest-{head.pk}-2026-W48").exists()

    assert send(MONDAY + timedelta(days=7)) == 2
    assert len(mail.outbox) == 4


def test_weekly_task_sends_the_digest(head, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digest.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[head.email]]


def test_digest_has_every_tile_with_its_number_and_absolute_links(
    head, restricted_overdue, clerk, send
):
    send()

    body = body_of(head)
    site = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        figures = overview.department(head)
    tiles = [tile for group in figures["groups"] for tile in group.tiles]
    for tile in tiles:
        assert f"- {tile.label}: {tile.value}" in body, tile.key
        if tile.url:
            assert f"  {site}{tile.url}\n" in body, tile.key
    overdue = next(tile for tile in tiles if tile.key == "documents_overdue")
    assert overdue.value == 1
    for name in ("dashboard:overview", "dashboard:trends", "dashboard:workload"):
        assert f"{site}{reverse(name)}" in body
    assert restricted_overdue.number in body
    assert str(clerk) in body  # who holds it
    assert SECRET_TITLE in body  # the head may read restricted documents


def test_digest_never_shows_a_restricted_title_to_whoever_may_not_read_it(
    administrator, restricted_overdue, clerk, send
):
    send()

    body = body_of(administrator)
    assert restricted_overdue.number in body
    assert str(clerk) in body
    assert SECRET_TITLE not in body


def test_digest_is_in_the_sites_language(head, send, settings):
    send()
    assert mail.outbox[0].body.startswith(f"Tere, {head.first_name}!")

    settings.LANGUAGE_CODE = "ru"
    send(MONDAY + timedelta(days=7))
    assert mail.outbox[1].body.startswith(f"Здравствуйте, {head.first_name}!")
