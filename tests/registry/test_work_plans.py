"""My work (one's open documents, one's tasks, the tasks one gave: three lists on one page) and
the department's deadline list read each page in its order straight off one index, alone and
with their filters: no Sort in EXPLAIN when sorting is made prohibitively expensive, and a deep
page (?…after=) bounds its scan with an Index Cond. No wall-clock time is asserted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from registry.models import Document, Task
from tests.plans import analyze, assert_index_order

pytestmark = pytest.mark.django_db

MY_WORK = reverse("registry:my-documents")
DEADLINES = reverse("registry:deadlines")


@pytest.fixture
def colleague(make_user):
    return make_user(roles.CLERK, username="colleague")


@pytest.fixture
def work(make_document, clerk, colleague, advisor):
    """110 open documents of the clerk, the colleague and nobody, overdue by up to 20 days (one
    in eleven without a deadline); 60 tasks given to the clerk and 60 the clerk gave, a third of
    each no longer active."""
    today = timezone.localdate()
    people = [clerk, colleague, None]
    documents = [make_document(title=f"Pöördumine {n}") for n in range(110)]
    for n, document in enumerate(documents):
        document.responsible = people[n % 3]
        document.deadline = None if n % 11 == 0 else today - timedelta(days=n % 20)
    Document.objects.bulk_update(documents, ["responsible", "deadline"])
    statuses = [Task.Status.GIVEN, Task.Status.ACCEPTED, Task.Status.COMPLETED]
    Task.objects.bulk_create(
        Task(
            document=documents[n],
            assignee=assignee,
            given_by=giver,
            instruction="Vasta",
            due_on=today + timedelta(days=n % 9),
            status=statuses[n % 3],
        )
        for n in range(60)
        for assignee, giver in ((clerk, advisor), (colleague, clerk))
    )
    analyze(Document, Task)


def page_sqls(client, url: str, *, table: str, per_page: int) -> list[str]:
    """The SQL of every query on the page at ``url`` that fetched a page of ``table``."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    limit = re.compile(rf"LIMIT {per_page + 1}\b")
    return [
        query["sql"]
        for query in captured.captured_queries
        if limit.search(query["sql"]) and query["sql"].startswith(f'SELECT "{table}".')
    ]


def one(sqls: list[str], marker: str) -> str:
    chosen = [sql for sql in sqls if marker in sql]
    assert len(chosen) == 1, [sql[:200] for sql in sqls]
    return chosen[0]


def documents_sql(client, url: str, per_page: int = 25) -> str:
    return one(page_sqls(client, url, table="registry_document", per_page=per_page), "")


# The filters of the two task lists (in WHERE: the joins name the same columns).
ASSIGNED = 'AND "registry_task"."assignee_id" = '
GIVEN = 'AND "registry_task"."given_by_id" = '


def task_sql(client, url: str, marker: str) -> str:
    return one(page_sqls(client, url, table="registry_task", per_page=25), marker)


# --- My work ------------------------------------------------------------------------------------


def test_my_documents_are_read_by_deadline_from_an_index_at_any_depth(client, clerk, work):
    client.force_login(clerk)
    text = assert_index_order(documents_sql(client, MY_WORK), index="registry_doc_resp_open")
    assert "Index Cond" in text, text
    page = client.get(MY_WORK).context["documents_page"]
    deadlines = [document.deadline for document in page.rows]
    assert deadlines == sorted(deadlines, key=lambda day: (day is None, day))  # none last
    assert page.links["next"].startswith("?documents_after=")
    deep = assert_index_order(documents_sql(client, MY_WORK + page.links["next"]))
    assert "Index Cond" in deep, deep


@pytest.mark.parametrize(
    ("marker", "index", "context"),
    [
        (ASSIGNED, "registry_task_assignee_due", "tasks_page"),
        (GIVEN, "registry_task_giver_due", "given_page"),
    ],
)
def test_my_tasks_and_the_tasks_i_gave_are_read_from_an_index_at_any_depth(
    client, clerk, work, marker, index, context
):
    client.force_login(clerk)
    text = assert_index_order(task_sql(client, MY_WORK, marker), index=index)
    assert "Index Cond" in text, text
    page = client.get(MY_WORK).context[context]
    assert [task.due_on for task in page.rows] == sorted(task.due_on for task in page.rows)
    deep = assert_index_order(task_sql(client, MY_WORK + page.links["next"], marker), index=index)
    assert "Index Cond" in deep, deep


def test_paging_one_list_of_my_work_keeps_the_other_lists_where_they_were(client, clerk, work):
    client.force_login(clerk)
    first = client.get(MY_WORK).context
    second = client.get(MY_WORK + first["tasks_page"].links["next"]).context
    assert second["documents_page"].rows == first["documents_page"].rows
    assert second["given_page"].rows == first["given_page"].rows
    assert not set(second["tasks_page"].rows) & set(first["tasks_page"].rows)


# --- The department's deadlines -----------------------------------------------------------------


def test_the_deadline_list_is_read_by_person_from_an_index_at_any_depth(client, head, work):
    client.force_login(head)
    assert_index_order(
        documents_sql(client, DEADLINES, per_page=50), index="registry_doc_open_people"
    )
    page = client.get(DEADLINES).context["page"]
    people = [document.responsible_id for document in page.rows]
    assert people == sorted(people, key=lambda pk: (pk is None, pk))  # grouped, nobody last
    deep = assert_index_order(documents_sql(client, DEADLINES + page.links["next"], per_page=50))
    assert "Index Cond" in deep, deep


@pytest.mark.parametrize("state", ["", "overdue", "due_soon"])
def test_one_persons_deadlines_are_read_from_an_index(client, head, clerk, work, state):
    client.force_login(head)
    for responsible, index in ((clerk.pk, "registry_doc_resp_open"), ("none", "open_people")):
        url = f"{DEADLINES}?responsible={responsible}&state={state}"
        text = assert_index_order(documents_sql(client, url, per_page=50), index=index)
        assert "Index Cond" in text, text
