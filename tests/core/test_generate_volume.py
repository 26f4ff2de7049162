"""``manage.py generate_volume`` on a tiny scale: the rows are what the services would have
written (gapless numbers that the next registration continues, the search vectors of
``registry.search``, consistent counters) and the pages open on them."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset
from core import calendar
from core import demo as core_demo
from core.models import Event, NumberCounter, User
from correspondence.models import Letter
from helpdesk.models import Ticket, Visit
from mtr import demo as mtr_demo
from mtr.models import Application, Entry
from registry import demo as registry_demo
from registry import search, services
from registry.models import (
    Attachment,
    Channel,
    Document,
    DocumentType,
    Parcel,
    Party,
    SearchTerm,
    Series,
)

DOCUMENTS = 600
SCALE = "0.001"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _generate() -> str:
    out = io.StringIO()
    call_command("generate_volume", documents=DOCUMENTS, scale=float(SCALE), seed=7, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One generated world for the module (made once, rolled back at the end): what
    generate_volume builds on (as seed_demo makes it: staff, the scheme, MTR areas), then the
    volume. Each test runs in a savepoint inside it. Yields the MEDIA_ROOT of its files."""
    media = str(tmp_path_factory.mktemp("volume-media"))
    fast_hash = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    test_settings = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hash)
    with django_db_blocker.unblock(), test_settings, transaction.atomic():
        core_demo.seed_users()
        registry_demo.seed_scheme()
        mtr_demo.seed_areas()
        _generate()
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.get(username="admin"))
    return client


def test_without_the_demo_scheme_it_says_to_run_seed_demo():
    """(First in the module: it needs the empty database, before the world is made.)"""
    with pytest.raises(CommandError, match="seed_demo"):
        _generate()


def test_it_makes_the_asked_counts(world):
    assert Document.objects.count() == DOCUMENTS
    assert Party.objects.filter(is_private_person=True).exists()
    assert Party.objects.exclude(code="").count() == Party.objects.count()
    assert 0 < Attachment.objects.count() < DOCUMENTS
    assert Entry.objects.count() == 200
    assert Application.objects.count() == 100
    assert Ticket.objects.count() == 200
    assert Visit.objects.count() == 20
    assert Letter.objects.filter(document__doc_type=DocumentType.REPLY).exists()
    # Every document's timeline starts with its registration.
    registered = Event.objects.filter(verb="registered", data__has_key="number")
    assert registered.values("object_id").distinct().count() == DOCUMENTS


def test_numbers_are_gapless_per_series_and_year_and_the_counter_is_at_the_last(world):
    numbers = defaultdict(list)
    for code, year, sequence, number in Document.objects.values_list(
        "series__code", "year", "sequence", "number"
    ):
        numbers[(code, year)].append(sequence)
        assert number == f"{code}/{year % 100:02d}-{sequence:03d}"
    assert len(numbers) > 24
    for (code, year), sequences in numbers.items():
        assert sorted(sequences) == list(range(1, len(sequences) + 1)), (code, year)
        counter = NumberCounter.objects.get(series=f"registry:{code}", year=year)
        assert counter.last == len(sequences)


def test_the_other_apps_counters_are_at_their_last_number(world):
    """MTR entry numbers per prefix, inventory numbers per year, visitor badges per day: each
    ``core.numbering`` counter stands at the last number written, so the next is free."""
    last = defaultdict(int)
    for number in Entry.objects.values_list("number", flat=True):
        last[(f"mtr-entry:{number[:3]}", 0)] = max(
            last[(f"mtr-entry:{number[:3]}", 0)], int(number[3:])
        )
    for number in Asset.objects.values_list("inventory_number", flat=True):
        _inv, year, sequence = number.split("-")
        last[("asset", int(year))] = max(last[("asset", int(year))], int(sequence))
    for arrived, badge in Visit.objects.values_list("arrived_at", "badge_number"):
        key = (f"visit-badge:{timezone.localdate(arrived).isoformat()}", 0)
        last[key] = max(last[key], badge)
    counters = {
        (c.series, c.year): c.last
        for c in NumberCounter.objects.exclude(series__startswith="registry")
        .exclude(series__startswith="generate_volume")
        .exclude(series="asset-handover")
    }
    assert counters == dict(last)


def test_each_generated_object_has_its_timeline(world):
    for model in (Document, Entry, Application, Ticket, Asset):
        content_type = ContentType.objects.get_for_model(model)
        registered = Event.objects.filter(content_type=content_type, verb="registered")
        assert registered.values("object_id").distinct().count() == model.objects.count(), model


def test_the_next_registration_continues_the_sequence(world):
    series = Series.objects.get(code="1-2")
    today = timezone.localdate()
    registered_on = calendar.registration_day(today)
    year = registered_on.year
    last = Document.objects.filter(series=series, year=year).count()
    document = services.document_register(
        actor=User.objects.get(username="mari"),
        series=series,
        doc_type=DocumentType.LETTER,
        channel=Channel.POST,
        title="Kiri pärast genereeritud mahtu",
        received_on=today,
        sender=Party.objects.filter(is_private_person=False).first(),
    )
    assert document.sequence == last + 1
    assert document.number == f"1-2/{year % 100:02d}-{last + 1:03d}"


def test_search_vectors_are_those_registry_search_computes(world):
    with_files = list(
        Document.objects.filter(attachments__isnull=False).values_list("pk", flat=True)[:5]
    )
    sample = with_files + list(Document.objects.order_by("?").values_list("pk", flat=True)[:15])
    before = dict(Document.objects.filter(pk__in=sample).values_list("pk", "search_vector"))
    public_before = dict(
        Document.objects.filter(pk__in=sample).values_list("pk", "public_search_vector")
    )
    assert all(before.values())
    for document in Document.objects.filter(pk__in=sample):
        search.refresh(document)
    after = dict(Document.objects.filter(pk__in=sample).values_list("pk", "search_vector"))
    public_after = dict(
        Document.objects.filter(pk__in=sample).values_list("pk", "public_search_vector")
    )
    assert after == before
    assert public_after == public_before


def test_every_vector_and_the_vocabulary_are_what_reindexing_writes(world):
    """The generator writes each document's vectors with its row (the texts and the SQL of
    ``registry.search``), never by an update after: the application's own ``reindex_all`` over
    every generated document gives the same bytes, and its title vocabulary the same words."""

    def stored() -> dict[int, tuple[str, str]]:
        rows = Document.objects.values_list("pk", "search_vector", "public_search_vector")
        return {pk: (staff, public) for pk, staff, public in rows}

    generated = stored()
    vocabulary = dict(SearchTerm.objects.values_list("word", "public"))
    # The world holds what each part of the texts comes from: files, parcels, parties,
    # restricted documents (whose title words are public only if a public title holds them).
    assert Attachment.objects.exists()
    assert Parcel.objects.exists()
    assert Document.objects.filter(restriction_basis__isnull=False).exists()
    assert all(staff and public for staff, public in generated.values())
    assert vocabulary

    SearchTerm.objects.all().delete()
    assert search.reindex_all() == DOCUMENTS
    assert stored() == generated
    assert dict(SearchTerm.objects.values_list("word", "public")) == vocabulary


def test_about_five_percent_are_restricted_with_a_basis_and_dates(world):
    restricted = Document.objects.filter(restriction_basis__isnull=False)
    share = restricted.count() / DOCUMENTS
    assert 0.02 <= share <= 0.10, share
    assert not restricted.filter(restriction_start__isnull=True).exists()
    assert not restricted.filter(restriction_end__isnull=True).exists()


def test_the_pages_open_on_the_generated_volume(world, admin_client, admin_user, settings):
    settings.MEDIA_ROOT = world
    # What the user may see on the test's day (a superuser opens no restricted document, and
    # which generated documents are restricted today depends on the day).
    document = (
        Document.objects.visible_to(admin_user)
        .filter(attachments__isnull=False)
        .order_by("pk")
        .first()
    )
    attachment = document.attachments.first()
    ticket = Ticket.objects.first()
    urls = [
        reverse("registry:document-list"),
        reverse("registry:document-detail", args=[document.pk]),
        reverse("registry:attachment-download", args=[document.pk, attachment.pk]),
        reverse("registry:public-list"),
        reverse("mtr:entry-list"),
        reverse("mtr:entry-detail", args=[Entry.objects.first().number]),
        reverse("mtr:application-list"),
        reverse("mtr:application-detail", args=[Application.objects.first().pk]),
        reverse("helpdesk:ticket-list"),
        reverse("helpdesk:ticket-detail", args=[ticket.pk]),
        reverse("helpdesk:call-list"),
        reverse("helpdesk:visit-list"),
        reverse("helpdesk:article-list"),
        reverse("assets:asset-list"),
        reverse("assets:asset-detail", args=[Asset.objects.first().pk]),
        reverse("assets:system-list"),
        reverse("assets:quote-list"),
        reverse("correspondence:letter-list"),
        reverse(
            "correspondence:letter-detail",
            args=[Letter.objects.visible_to(admin_user).order_by("pk").first().pk],
        ),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_a_second_run_changes_nothing(world):
    counts = {
        model: model.objects.count() for model in (Document, Party, Event, Entry, Ticket, Letter)
    }
    output = _generate()
    assert output.count("already generated") == 5
    assert {model: model.objects.count() for model in counts} == counts
