"""My work, the task actions and the department's deadline list."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import calendar, roles
from registry import deadlines, services
from registry.models import Document, DocumentType, Task

pytestmark = pytest.mark.django_db

MY_WORK = reverse("registry:my-documents")
DEADLINES = reverse("registry:deadlines")


def working_day_before(days: int):
    day = timezone.localdate() - timedelta(days=days)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def colleague(make_user):
    return make_user(roles.CLERK, username="colleague")


@pytest.fixture
def overdue(make_document):
    """Make an information request received ``days_ago`` (its deadline 5 working days later)."""

    def make(days_ago: int = 30, **kwargs):
        return make_document(
            doc_type=DocumentType.INFORMATION_REQUEST,
            received_on=working_day_before(days_ago),
            **kwargs,
        )

    return make


@pytest.fixture
def give_task(advisor):
    def give(document, assignee, **kwargs):
        return services.task_give(
            actor=kwargs.pop("actor", advisor),
            document=document,
            assignee=assignee,
            instruction=kwargs.pop("instruction", "Vasta pöördujale"),
            due_on=kwargs.pop("due_on", timezone.localdate() + timedelta(days=3)),
        )

    return give


# --- My work ------------------------------------------------------------------------------------


def test_my_work_shows_my_documents_overdue_first_then_due_soon_then_by_deadline(
    client, clerk, make_document, overdue
):
    today = timezone.localdate()
    later = make_document(title="Hiljem", responsible=clerk, deadline=today + timedelta(days=40))
    no_deadline = make_document(title="Tähtajata", responsible=clerk)
    soon = make_document(title="Varsti", responsible=clerk, deadline=today)
    late_a_little = overdue(days_ago=10, title="Veidi hiljaks", responsible=clerk)
    late_most = overdue(days_ago=40, title="Kõige hilisem", responsible=clerk)
    overdue(days_ago=40, title="Kellegi teise")  # nobody's: not on my page
    client.force_login(clerk)

    response = client.get(MY_WORK)

    assert response.status_code == 200
    rows = list(response.context["documents_page"].rows)
    assert rows == [late_most, late_a_little, soon, later, no_deadline]
    assert [row.deadline_state for row in rows] == [
        "overdue",
        "overdue",
        "due_soon",
        "open",
        "open",
    ]
    assert rows[0].deadline_days == (today - late_most.deadline).days
    assert response.context["counts"] == {"overdue": 2, "due_soon": 1, "tasks": 0}
    assert "Kellegi teise" not in response.text
    assert f"{rows[0].deadline_days} " in response.text


def test_my_work_leaves_out_closed_documents(client, clerk, overdue):
    document = overdue(responsible=clerk)
    services.document_close(actor=clerk, document=document, reason="Vastatud telefonitsi")
    client.force_login(clerk)
    assert list(client.get(MY_WORK).context["documents_page"].rows) == []


@pytest.mark.parametrize("role", [roles.CLERK, roles.ADVISOR, roles.HEAD, roles.MTR_PROCESSOR])
def test_staff_of_the_register_open_my_work(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(MY_WORK).status_code == 200


def test_a_user_without_the_register_is_refused_my_work(client, administrator):
    client.force_login(administrator)
    assert client.get(MY_WORK).status_code == 403


def test_anonymous_is_sent_to_sign_in_from_my_work(client):
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_my_work_runs_the_same_queries_for_many_rows(
    client,
    clerk,
    advisor,
    colleague,
    make_document,
    overdue,
    give_task,
    django_assert_max_num_queries,
):
    def fill(count):
        for _ in range(count):
            mine = overdue(responsible=clerk)
            give_task(mine, clerk)
            give_task(make_document(), colleague, actor=clerk)

    fill(1)
    client.force_login(clerk)
    client.get(MY_WORK)
    with CaptureQueriesContext(connection) as one_row:
        client.get(MY_WORK)
    fill(30)
    with django_assert_max_num_queries(len(one_row)):
        response = client.get(MY_WORK)
    assert len(response.context["documents_page"].rows) == 25
    assert len(response.context["tasks_page"].rows) == 25
    assert len(response.context["given_page"].rows) == 25


def test_the_pages_of_one_list_keep_the_others(client, clerk, overdue):
    for _ in range(26):
        overdue(responsible=clerk)
    client.force_login(clerk)
    response = client.get(MY_WORK, {"tasks_after": "kept"})
    next_url = response.context["documents_page"].links["next"]
    assert next_url.startswith("?tasks_after=kept&documents_after=")
    assert response.context["tasks_page"].links["next"] is None  # the other list is not paged
    second = client.get(MY_WORK + next_url)
    assert len(second.context["documents_page"].rows) == 1
    assert client.get(MY_WORK, {"page": "2"}).context["documents_page"].rows == (
        response.context["documents_page"].rows
    )  # an old ?page=N link gives the first page


def test_my_tasks_and_the_tasks_i_gave(client, clerk, colleague, advisor, make_document, give_task):
    document = make_document(title="Pöördumine")
    mine = give_task(document, clerk, instruction="Koosta vastus")
    given = give_task(document, colleague, actor=clerk, instruction="Kontrolli")
    done = give_task(document, clerk)
    services.task_complete(actor=clerk, task=done)
    client.force_login(clerk)

    response = client.get(MY_WORK)

    assert list(response.context["tasks_page"].rows) == [mine]
    assert list(response.context["given_page"].rows) == [given]
    assert response.context["counts"]["tasks"] == 1  # active tasks given to me, not by me
    assert "Koosta vastus" in response.text
    assert reverse("registry:task-accept", args=[mine.pk]) in response.text
    assert reverse("registry:task-cancel", args=[given.pk]) in response.text


def test_a_task_about_a_document_i_may_not_see_hides_its_title(
    client, processor, advisor, make_document, basis, give_task
):
    secret = make_document(actor=advisor, title="Terviseandmed Mari kohta", restriction_basis=basis)
    give_task(secret, processor)  # shares the document with them ...
    services.document_unshare(actor=advisor, document=secret, user=processor)  # ... until ended
    client.force_login(processor)

    response = client.get(MY_WORK)

    assert response.status_code == 200
    assert secret.number in response.text
    assert "Terviseandmed" not in response.text
    assert basis.title in response.text
    assert reverse("registry:document-detail", args=[secret.pk]) not in response.text


def test_giving_a_task_about_a_restricted_document_shares_it_with_the_assignee(
    processor, advisor, make_document, basis, give_task
):
    secret = make_document(actor=advisor, title="Terviseandmed Mari kohta", restriction_basis=basis)
    assert not Document.objects.visible_to(processor).filter(pk=secret.pk).exists()

    give_task(secret, processor)

    assert Document.objects.visible_to(processor).filter(pk=secret.pk).exists()


# --- Task actions -------------------------------------------------------------------------------


def post(client, name, task, data=None, **extra):
    return client.post(reverse(name, args=[task.pk]), data or {}, **extra)


def test_the_assignee_accepts_a_task(client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    client.force_login(clerk)
    response = post(client, "registry:task-accept", task)
    assert response.status_code == 302
    assert response["Location"] == MY_WORK
    task.refresh_from_db()
    assert task.status == Task.Status.ACCEPTED


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("registry:task-accept", {}),
        ("registry:task-complete", {"task{pk}-complete-comment": "Tehtud"}),
        ("registry:task-return", {"task{pk}-return-comment": "Ei ole minu asi"}),
        ("registry:task-forward", {"task{pk}-forward-to_agency": "Maa-amet"}),
    ],
)
def test_someone_else_cannot_act_on_a_task(
    client, clerk, colleague, make_document, give_task, name, data
):
    task = give_task(make_document(), clerk)
    client.force_login(colleague)
    data = {key.format(pk=task.pk): value for key, value in data.items()}
    assert post(client, name, task, data).status_code == 403
    task.refresh_from_db()
    assert task.status == Task.Status.GIVEN


def test_the_assignee_completes_a_task_with_a_comment(client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    client.force_login(clerk)
    post(client, "registry:task-complete", task, {f"task{task.pk}-complete-comment": "Vastatud"})
    task.refresh_from_db()
    assert (task.status, task.comment) == (Task.Status.COMPLETED, "Vastatud")


def test_returning_a_task_needs_a_comment(en_client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    en_client.force_login(clerk)

    response = post(en_client, "registry:task-return", task, {f"task{task.pk}-return-comment": ""})

    assert response.status_code == 200
    form = response.context["tasks_page"].rows[0].forms["return"]
    assert form.errors["comment"]
    assert f'id="task-{task.pk}"' in response.text
    task.refresh_from_db()
    assert task.status == Task.Status.GIVEN

    post(
        en_client, "registry:task-return", task, {f"task{task.pk}-return-comment": "Vale adressaat"}
    )
    task.refresh_from_db()
    assert (task.status, task.comment) == (Task.Status.RETURNED, "Vale adressaat")


def test_forwarding_to_a_colleague_gives_them_a_new_task(
    client, clerk, colleague, make_document, give_task
):
    task = give_task(make_document(), clerk)
    client.force_login(clerk)
    post(
        client,
        "registry:task-forward",
        task,
        {f"task{task.pk}-forward-to_user": colleague.pk, f"task{task.pk}-forward-comment": "Sinu"},
    )
    task.refresh_from_db()
    assert task.status == Task.Status.FORWARDED
    new = Task.objects.get(forwarded_from=task)
    assert (new.assignee, new.status, new.instruction) == (colleague, "given", task.instruction)


def test_forwarding_to_another_agency_is_recorded(client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    client.force_login(clerk)
    post(client, "registry:task-forward", task, {f"task{task.pk}-forward-to_agency": "Maa-amet"})
    task.refresh_from_db()
    assert (task.status, task.forwarded_to_agency) == (Task.Status.FORWARDED, "Maa-amet")


def test_forwarding_needs_a_colleague_or_an_agency(en_client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    en_client.force_login(clerk)
    response = post(en_client, "registry:task-forward", task, {})
    assert response.status_code == 200
    assert "Choose a colleague or name an agency." in response.text
    task.refresh_from_db()
    assert task.status == Task.Status.GIVEN


def test_the_giver_cancels_a_task_and_another_clerk_cannot(
    client, clerk, colleague, make_user, make_document, give_task
):
    task = give_task(make_document(), colleague, actor=clerk)
    other = make_user(roles.CLERK, username="other-clerk")
    client.force_login(other)
    assert post(client, "registry:task-cancel", task).status_code == 403
    client.force_login(clerk)
    assert post(client, "registry:task-cancel", task).status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED


def test_a_finished_task_cannot_be_accepted_again(en_client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    services.task_complete(actor=clerk, task=task)
    en_client.force_login(clerk)
    response = post(en_client, "registry:task-accept", task, follow=True)
    assert "This cannot be done when the status is “completed”." in response.text
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED


def test_task_actions_are_post_only(client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    client.force_login(clerk)
    assert client.get(reverse("registry:task-accept", args=[task.pk])).status_code == 405


def test_anonymous_cannot_act_on_a_task(client, clerk, make_document, give_task):
    task = give_task(make_document(), clerk)
    response = post(client, "registry:task-accept", task)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    task.refresh_from_db()
    assert task.status == Task.Status.GIVEN


def test_an_action_goes_back_to_a_page_of_this_site_only(client, clerk, make_document, give_task):
    document = make_document()
    first, second = give_task(document, clerk), give_task(document, clerk)
    detail = reverse("registry:document-detail", args=[document.pk])
    client.force_login(clerk)
    assert post(client, "registry:task-accept", first, {"next": detail})["Location"] == detail
    response = post(client, "registry:task-accept", second, {"next": "https://evil.example/"})
    assert response["Location"] == MY_WORK


# --- The department's deadlines -----------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.CLERK, roles.ADVISOR, roles.HEAD])
def test_the_deadline_list_opens_for_who_may_change_documents(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(DEADLINES).status_code == 200


@pytest.mark.parametrize("role", [roles.MTR_PROCESSOR, roles.ASSET_MANAGER])
def test_the_deadline_list_is_refused_to_others(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(DEADLINES).status_code == 403


def test_anonymous_is_sent_to_sign_in_from_the_deadline_list(client):
    response = client.get(DEADLINES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_deadline_list_shows_everybodys_overdue_and_due_soon_by_person(
    client, head, clerk, colleague, make_document, overdue
):
    today = timezone.localdate()
    late_clerk = overdue(responsible=clerk)
    late_colleague = overdue(responsible=colleague)
    soon_colleague = make_document(responsible=colleague, deadline=today)
    nobodys = overdue()
    make_document(responsible=clerk, deadline=deadlines.due_soon_until(today) + timedelta(1))
    client.force_login(head)

    response = client.get(DEADLINES)

    rows = list(response.context["page"].rows)
    assert set(rows) == {late_clerk, late_colleague, soon_colleague, nobodys}
    assert rows[-1] == nobodys  # nobody's last
    by_person = [row.responsible_id for row in rows]
    assert by_person == sorted(by_person, key=by_person.index)  # each person's rows together
    people = {
        p["responsible_id"]: (p["overdue"], p["due_soon"]) for p in response.context["people"]
    }
    assert people == {clerk.pk: (1, 0), colleague.pk: (1, 1), None: (1, 0)}


def test_the_deadline_list_filters_by_person_and_state(
    client, head, clerk, colleague, make_document, overdue
):
    late_clerk = overdue(responsible=clerk)
    late_colleague = overdue(responsible=colleague)
    soon_colleague = make_document(responsible=colleague, deadline=timezone.localdate())
    nobodys = overdue()
    client.force_login(head)

    def rows(**query):
        return set(client.get(DEADLINES, query).context["page"].rows)

    assert rows(responsible=colleague.pk) == {late_colleague, soon_colleague}
    assert rows(responsible="none") == {nobodys}
    assert rows(state="overdue") == {late_clerk, late_colleague, nobodys}
    assert rows(state="due_soon", responsible=colleague.pk) == {soon_colleague}


def test_the_deadline_list_shows_only_what_the_user_may_see(
    client, clerk, head, advisor, overdue, basis
):
    secret = overdue(actor=advisor, responsible=head, title="Salajane", restriction_basis=basis)
    client.force_login(clerk)
    response = client.get(DEADLINES)
    assert secret not in response.context["page"].rows
    assert "Salajane" not in response.text
    client.force_login(head)
    assert secret in client.get(DEADLINES).context["page"].rows


def test_the_deadline_list_runs_the_same_queries_for_many_rows(
    client, head, clerk, colleague, overdue, django_assert_max_num_queries
):
    overdue(responsible=clerk)
    client.force_login(head)
    client.get(DEADLINES)
    with CaptureQueriesContext(connection) as one_row:
        client.get(DEADLINES)
    baseline = len(one_row)  # now: the log of queries is a ring that later ones overwrite
    for number in range(60):
        overdue(responsible=clerk if number % 2 else colleague)
    first = client.get(DEADLINES)
    with django_assert_max_num_queries(baseline):
        response = client.get(DEADLINES + first.context["page"].links["next"])
    assert len(response.context["page"].rows) == 11


def test_the_navigation_shows_deadlines_to_clerks_only(client, clerk, processor):
    client.force_login(clerk)
    assert DEADLINES in client.get(MY_WORK).text
    client.force_login(processor)
    assert f'href="{DEADLINES}"' not in client.get(MY_WORK).text


def test_one_overdue_document_is_late_by_the_same_days_on_every_page(en_client, clerk, overdue):
    """Issue 17, item 13: the same overdue document said "110 days overdue" on My work and
    "overdue by 78 working days" on its page and on the reply form. Now every page counts
    calendar days (registry.deadlines.state) and says "days"."""
    document = overdue(days_ago=40, title="Hiline teabenõue", responsible=clerk)
    late = (timezone.localdate() - document.deadline).days
    expected = f"{late} days overdue"
    en_client.force_login(clerk)

    pages = {
        "my work": en_client.get(MY_WORK).text,
        "document": en_client.get(reverse("registry:document-detail", args=[document.pk])).text,
        "reply": en_client.get(
            reverse("correspondence:letter-new"), {"reply_to": document.pk}
        ).text,
    }
    for name, text in pages.items():
        assert expected in text, name
        assert "working days" not in text.split(expected)[0][-200:], name
    assert deadlines.state(document, timezone.localdate()) == {"key": "overdue", "days": late}
