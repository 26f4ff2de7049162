"""The overview: the department's tiles for the head and the administrator, "my work" for the
rest; every number equals the rows of the list it links to, and the page runs a fixed number of
queries whether there are ten rows or ten thousand."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from dashboard import overview
from helpdesk.models import Ticket
from mtr.models import Application
from registry.models import Document
from tests.dashboard.conftest import (
    make_applications,
    make_documents,
    make_tickets,
    rows_shown,
)

URL = "/dashboard/"


def _tiles(figures) -> dict:
    return {tile.key: tile for group in figures["groups"] for tile in group.tiles}


def test_the_url_name_is_dashboard_overview():
    assert reverse("dashboard:overview") == URL


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_heads_tiles_count_what_needs_action(department):
    tiles = _tiles(overview.department(department["head"]))
    expected = {
        "documents_overdue": 3,
        "documents_due_soon": 2,
        "information_requests": 1,
        "mtr_overdue": 1,
        "mtr_received": 1,
        "mtr_in_review": 1,
        "tickets_breached": 1,
        "tickets_unassigned": 1,
        "visitors": 1,
        "assets_missing": 1,
        "rights_ending": 1,
        "disposals_waiting": 1,
        "letters_for_post": 0,
    }
    assert {key: tiles[key].value for key in expected} == expected
    assert tiles["documents_overdue"].tone == "danger"


def test_every_tile_equals_the_rows_of_the_list_it_links_to(client, department):
    head = department["head"]
    client.force_login(head)
    tiles = _tiles(overview.department(head))
    linked = [tile for tile in tiles.values() if tile.url]
    assert len(linked) >= 15
    for tile in linked:
        response = client.get(tile.url)
        assert response.status_code == 200, tile.url
        assert rows_shown(response) == tile.value, (tile.key, tile.url)


def test_the_people_and_the_most_overdue_link_to_their_lists(client, department):
    head = department["head"]
    client.force_login(head)
    with translation.override("en"):
        figures = overview.department(head)
    most = figures["most_overdue"]
    assert [document.days_late for document in most] == [3, 3, 3]
    for person in figures["people"]:
        response = client.get(person["url"])
        expected = person["overdue"] or person["due_soon"]
        assert rows_shown(response) == expected, person["name"]
    names = [person["name"] for person in figures["people"]]
    assert sorted(names) == ["Liis Saar", "Mari Tamm", "Nobody responsible"]


def test_the_page_shows_the_department_to_the_head(client, department):
    client.force_login(department["head"])
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Overview of the department" in content
    assert "Terviseandmetega avaldus" in content  # the head may read restricted documents
    assert "Deadlines by person" in content
    assert "MTR activity areas, slowest first" in content
    assert "Security services" in content
    assert reverse("helpdesk:ticket-list") + "?sla=breached" in content


def test_the_administrator_sees_the_numbers_but_no_restricted_title_nor_lists_they_cannot_open(
    client, department, administrator
):
    tiles = _tiles(overview.department(administrator))
    assert tiles["documents_overdue"].value == 3
    assert tiles["documents_overdue"].url == ""
    client.force_login(administrator)
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Terviseandmetega avaldus" not in content
    restricted = Document.objects.get(title="Terviseandmetega avaldus")
    assert restricted.number in content


def test_a_clerk_gets_their_own_work(client, department):
    clerk = department["clerk"]
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "My work" in content
    assert "Overview of the department" not in content
    assert "Deadlines by person" not in content
    assert reverse("dashboard:trends") in content
    tiles = _tiles(overview.mine(clerk))
    assert tiles["documents_overdue"].value == 1  # the restricted one she holds
    assert tiles["documents_due_soon"].value == 1
    assert tiles["tickets_breached"].value == 1
    assert tiles["tickets_mine"].value == 2
    assert tiles["visitors"].value == 1
    assert "mtr_overdue" not in tiles  # no MTR processing for a clerk
    assert "assets_missing" not in tiles


def test_my_work_tiles_equal_the_lists_they_link_to(client, department):
    for role in ("clerk", "processor", "advisor", "manager"):
        user = department[role]
        client.force_login(user)
        for tile in _tiles(overview.mine(user)).values():
            if not tile.url or tile.url.startswith(reverse("registry:my-documents")):
                continue
            response = client.get(tile.url)
            assert response.status_code == 200, (role, tile.url)
            assert rows_shown(response) == tile.value, (role, tile.key, tile.url)


def test_my_documents_tiles_equal_the_counts_of_my_work_page(client, department):
    advisor = department["advisor"]
    client.force_login(advisor)
    tiles = _tiles(overview.mine(advisor))
    response = client.get(reverse("registry:my-documents"))
    assert response.context["counts"]["overdue"] == tiles["documents_overdue"].value == 1
    assert response.context["counts"]["due_soon"] == tiles["documents_due_soon"].value == 1


def test_a_processor_sees_their_applications(department):
    tiles = _tiles(overview.mine(department["processor"]))
    assert tiles["mtr_overdue"].value == 1
    assert tiles["mtr_mine"].value == 1
    assert tiles["mtr_unassigned"].value == 1


def test_the_head_may_look_at_their_own_work(client, department):
    client.force_login(department["head"])
    client.cookies["django_language"] = "en"
    content = client.get(URL + "?scope=mine").content.decode()
    assert "My work" in content
    assert "Deadlines by person" not in content


def test_the_tiles_are_never_stale(client, department):
    head = department["head"]
    before = _tiles(overview.department(head))["documents_overdue"].value
    Document.objects.filter(title="Vastutajata kiri").update(
        deadline=timezone.localdate() + timedelta(days=30)
    )
    client.force_login(head)
    client.get(URL)
    assert _tiles(overview.department(head))["documents_overdue"].value == before - 1


def test_the_page_is_a_snapshot_of_a_minute_that_says_when_it_was_counted(client, department):
    client.force_login(department["head"])
    first = client.get(URL)
    Document.objects.filter(title="Vastutajata kiri").update(
        deadline=timezone.localdate() + timedelta(days=30)
    )
    again = client.get(URL)
    assert _tiles(again.context)["documents_overdue"].value == 3
    assert again.context["now"] == first.context["now"]  # "Counted at …" the first time
    cache.clear()
    assert _tiles(client.get(URL).context)["documents_overdue"].value == 2


def test_the_snapshot_keeps_counts_and_names_and_no_title_nor_link(client, department):
    overview.department(department["head"], max_age=60)
    kept = cache.get(overview.cache_key(timezone.localdate()))
    assert kept["documents"]["counts"]["overdue"] == 3
    text = repr(kept)
    assert "Terviseandmetega avaldus" not in text  # the restricted document's title
    assert "/documents/" not in text  # each viewer's own links
    assert "/support/" not in text


def test_who_comes_after_the_head_gets_the_counts_but_no_title_nor_link_of_the_head(
    client, department, administrator
):
    client.force_login(department["head"])
    assert "Terviseandmetega avaldus" in client.get(URL).content.decode()
    client.force_login(administrator)
    response = client.get(URL)
    tiles = _tiles(response.context)
    assert tiles["documents_overdue"].value == 3
    assert tiles["documents_overdue"].url == ""
    assert "Terviseandmetega avaldus" not in response.content.decode()


@pytest.mark.parametrize("language", ["et", "en", "ru"])
def test_the_overview_reads_in_every_language(client, department, language):
    client.force_login(department["head"])
    client.cookies["django_language"] = language
    response = client.get(URL)
    assert response.status_code == 200
    with translation.override(language):
        title = translation.gettext("Overview of the department")
    assert title in response.content.decode()


def _bulk(people, rows: int) -> None:
    """``rows`` more documents, and a tenth as many tickets and applications, in bulk."""
    template = Document.objects.filter(responsible__isnull=False).first()
    today = timezone.localdate()
    documents = []
    for n in range(rows):
        template.pk = None
        template.id = None
        template.number = f"9-9/26-{n + 1:05d}"
        template.sequence = 100000 + n
        template.deadline = today - timedelta(days=n % 40)
        template.responsible = people[("clerk", "advisor", "head")[n % 3]]
        document = Document(
            **{
                field.attname: getattr(template, field.attname)
                for field in Document._meta.concrete_fields
                if field.attname not in ("id", "public_code")
            }
        )
        documents.append(document)
    Document.objects.bulk_create(documents, batch_size=2000)
    ticket = Ticket.objects.first()
    Ticket.objects.bulk_create(
        [
            Ticket(
                subject=f"Küsimus {n}",
                requester_email="kasutaja@example.ee",
                channel=ticket.channel,
                category=ticket.category,
                priority=ticket.priority,
                status=Ticket.Status.OPEN,
                assignee=people["clerk"] if n % 2 else None,
                first_response_due=timezone.now() - timedelta(hours=n % 50),
            )
            for n in range(rows // 10)
        ],
        batch_size=2000,
    )
    application = Application.objects.first()
    clones = []
    for n in range(rows // 10):
        clone = Application(
            **{
                field.attname: getattr(application, field.attname)
                for field in Application._meta.concrete_fields
                if field.attname not in ("id", "tracking_code", "submission_key")
            }
        )
        clone.deadline = today - timedelta(days=n % 20)
        clone.document_id = None
        clones.append(clone)
    Application.objects.bulk_create(clones, batch_size=2000)


@pytest.mark.parametrize("rows", [10, 10_000])
def test_the_overview_runs_a_fixed_number_of_queries(
    client, people, rows, django_assert_max_num_queries
):
    make_documents(people)
    make_applications(people)
    make_tickets(people)
    _bulk(people, rows)
    assert Document.objects.count() >= rows
    client.force_login(people["head"])
    with django_assert_max_num_queries(30):
        response = client.get(URL)
    assert response.status_code == 200
    client.force_login(people["clerk"])
    with django_assert_max_num_queries(25):
        assert client.get(URL).status_code == 200


def test_the_overview_knows_no_apps_url_filter_nor_permission():
    """The tiles are the apps' (core.dashboard panels): the dashboard only puts them together."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "dashboard" / "overview.py").read_text()
    for app in ("registry", "mtr", "helpdesk", "correspondence", "assets"):
        assert f"{app}:" not in source
        assert f'"{app}.' not in source
        assert f"from {app}" not in source
    assert "has_perm" not in source


def test_every_app_contributes_its_panel_in_order():
    from core.dashboard import panels

    assert [panel.key for panel in panels()] == ["documents", "mtr", "support", "mail", "assets"]
