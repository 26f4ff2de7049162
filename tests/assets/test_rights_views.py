"""The IT-system pages (assets/views/rights.py): the list, a system's page with its requests,
holders and review, asking for a right, and the leaver's list on screen and as a PDF.

Who: the main user of a system (a clerk here) decides on its rights; the asset manager decides
on every system's and asks for anyone; the head only looks; another clerk may only ask for
themselves and see their own list; an anonymous visitor gets the sign-in page.
"""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assets import services
from assets.models import AccessGrant, InformationSystem, SystemRole
from core import roles

pytestmark = pytest.mark.django_db

Status = AccessGrant.Status
PASSWORD_REQUIRED = "/accounts/login/"


def today():
    return timezone.localdate()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def main_user(make_user):
    return make_user(roles.CLERK, username="liis", first_name="Liis", last_name="Lepp")


@pytest.fixture
def clerk(make_user):
    return make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm")


@pytest.fixture
def other_clerk(make_user):
    return make_user(roles.CLERK, username="jaan", first_name="Jaan", last_name="Sepp")


@pytest.fixture
def system(main_user):
    return InformationSystem.objects.create(
        name="Delta", owner="Riigi Infosüsteemi Amet", main_user=main_user
    )


@pytest.fixture
def role(system):
    return SystemRole.objects.create(system=system, name="Asjaajaja", description="Registreerib")


@pytest.fixture
def reader_role(system):
    return SystemRole.objects.create(system=system, name="Lugeja")


@pytest.fixture
def requested(clerk, role):
    return services.grant_request(actor=clerk, person=clerk, role=role, reason="Igapäevatööks")


@pytest.fixture
def granted(requested, main_user):
    return services.grant_approve(actor=main_user, grant=requested)


def url(name, *args):
    return reverse(f"assets:{name}", args=args)


def reload(obj):
    obj.refresh_from_db()
    return obj


# --- Access -------------------------------------------------------------------------------------


def _get_urls(system, grant, person):
    return [
        url("system-list"),
        url("system-detail", system.pk),
        url("grant-request", system.pk),
        url("people"),
        url("holdings", person.pk),
        url("holdings-pdf", person.pk),
    ]


def _post_urls(system, grant):
    return [
        url(f"grant-{action}", system.pk, grant.pk)
        for action in ("approve", "refuse", "revoke", "confirm")
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, system, requested, clerk):
    for address in _get_urls(system, requested, clerk):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith(PASSWORD_REQUIRED), address
    for address in _post_urls(system, requested):
        response = client.post(address)
        assert response.status_code == 302, address
        assert response.url.startswith(PASSWORD_REQUIRED), address
    assert reload(requested).status == Status.REQUESTED


def test_actions_are_post_only(client, main_user, system, requested):
    client.force_login(main_user)
    for address in _post_urls(system, requested):
        assert client.get(address).status_code == 405, address


def test_a_clerk_sees_the_list_but_not_a_system_that_is_not_theirs(
    client, other_clerk, system, granted
):
    client.force_login(other_clerk)
    response = client.get(url("system-list"))
    assert response.status_code == 200
    assert "Delta" in response.text
    assert url("grant-request", system.pk) in response.text
    detail = url("system-detail", system.pk)
    assert f'href="{detail}"' not in response.text  # no link to a page they cannot see
    assert "Rights granted" not in response.text
    assert client.get(url("system-detail", system.pk)).status_code == 403
    assert client.get(url("system-detail", system.pk + 1000)).status_code == 403  # same answer


@pytest.mark.parametrize("who", ["main_user", "manager", "head"])
def test_the_main_user_the_manager_and_the_head_see_the_system(
    client, request, who, system, granted
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("system-detail", system.pk))
    assert response.status_code == 200
    assert "Mari Tamm" in response.text
    assert "Asjaajaja" in response.text
    assert "admin site" in response.text
    revoke = url("grant-revoke", system.pk, granted.pk)
    assert (revoke in response.text) is (who != "head")


def test_the_head_may_not_decide(client, head, system, requested):
    client.force_login(head)
    response = client.post(
        url("grant-approve", system.pk, requested.pk), {f"approve-{requested.pk}-valid_until": ""}
    )
    assert response.status_code == 403
    assert reload(requested).status == Status.REQUESTED


def test_only_the_main_user_approves(client, other_clerk, system, requested):
    client.force_login(other_clerk)
    for action in ("approve", "refuse", "revoke", "confirm"):
        response = client.post(url(f"grant-{action}", system.pk, requested.pk))
        assert response.status_code == 403, action
    assert reload(requested).status == Status.REQUESTED


def test_the_requester_cannot_approve_their_own_request(client, clerk, system, requested):
    client.force_login(clerk)
    response = client.post(url("grant-approve", system.pk, requested.pk))
    assert response.status_code == 403
    assert reload(requested).status == Status.REQUESTED


def test_a_right_of_another_system_is_not_found_through_this_one(
    client, main_user, system, requested, manager
):
    other = InformationSystem.objects.create(name="Muu", owner="RIA", main_user=manager)
    client.force_login(main_user)
    assert client.post(url("grant-confirm", other.pk, requested.pk)).status_code == 403
    client.force_login(manager)
    assert client.post(url("grant-confirm", other.pk, requested.pk)).status_code == 404


# --- The list -----------------------------------------------------------------------------------


def test_the_list_counts_and_shows_the_rights_ending_soon(
    client, manager, main_user, system, role, reader_role, make_user
):
    people = [make_user(roles.CLERK, username=f"isik{n}") for n in range(3)]
    grants = [services.grant_request(actor=manager, person=person, role=role) for person in people]
    services.grant_approve(actor=main_user, grant=grants[0], valid_until=today() + timedelta(10))
    services.grant_approve(actor=main_user, grant=grants[1], valid_until=today() + timedelta(90))
    AccessGrant.objects.filter(pk=grants[1].pk).update(
        reviewed_at=timezone.now() - timedelta(days=400)
    )
    client.force_login(manager)
    response = client.get(url("system-list"))
    assert response.status_code == 200
    delta = next(s for s in response.context["systems"] if s.pk == system.pk)
    assert delta.counts == {"granted": 2, "requested": 1, "review": 1, "ending": 1}
    assert [g.pk for g in response.context["ending"]] == [grants[0].pk]
    assert "Rights ending soon" in response.text
    assert str(people[0]) in response.text


def test_a_main_user_sees_the_counts_of_their_own_systems_only(
    client, main_user, system, granted, manager
):
    InformationSystem.objects.create(name="Muu süsteem", owner="RIA", main_user=manager)
    client.force_login(main_user)
    response = client.get(url("system-list"))
    rows = {s.name: s.visible for s in response.context["systems"]}
    assert rows == {"Delta": True, "Muu süsteem": False}
    assert url("system-detail", system.pk) in response.text


def test_the_list_runs_the_same_queries_for_few_and_many(
    client, manager, make_user, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            main = make_user(roles.CLERK, username=f"peakasutaja{n}-{i}")
            made = InformationSystem.objects.create(
                name=f"Süsteem {n}-{i}", owner="RIA", main_user=main
            )
            made_role = SystemRole.objects.create(system=made, name="Kasutaja")
            grant = services.grant_request(actor=main, person=main, role=made_role)
            services.grant_approve(actor=main, grant=grant, valid_until=today() + timedelta(5))

    client.force_login(manager)
    add(1)
    with django_assert_max_num_queries(12) as few:
        client.get(url("system-list"))
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("system-list"))
    assert len(response.context["ending"]) == 31


# --- Request, approve, expire -------------------------------------------------------------------


def test_request_approve_and_expire(client, clerk, main_user, system, role, committed):
    client.force_login(clerk)
    response = client.get(url("grant-request", system.pk))
    assert response.status_code == 200
    assert "person" not in response.context["form"].fields  # for oneself only
    with committed():
        response = client.post(
            url("grant-request", system.pk),
            {"role": role.pk, "reason": "Dokumentide registreerimine", "valid_until": ""},
        )
    assert response.status_code == 302
    assert response.url == url("holdings", clerk.pk)  # the clerk cannot see the system's page
    grant = AccessGrant.objects.get(person=clerk, role=role)
    assert (grant.status, grant.requested_by) == (Status.REQUESTED, clerk)
    assert mail.outbox[-1].to == [main_user.email]

    client.force_login(main_user)
    response = client.get(url("system-detail", system.pk))
    assert "Dokumentide registreerimine" in response.text
    until = today() + timedelta(days=60)
    response = client.post(
        url("grant-approve", system.pk, grant.pk),
        {f"approve-{grant.pk}-valid_until": until.isoformat()},
        follow=True,
    )
    grant = reload(grant)
    assert (grant.status, grant.granted_by, grant.valid_until) == (Status.GRANTED, main_user, until)
    assert "Mari Tamm now holds the role Asjaajaja." in messages_of(response)
    assert [g.pk for r in response.context["roles"] for g in r.holders] == [grant.pk]

    assert services.grants_expire(today=until + timedelta(days=1)) == 1
    grant = reload(grant)
    assert (grant.status, grant.revoked_by) == (Status.REVOKED, None)
    response = client.get(url("system-detail", system.pk))
    assert response.context["holder_count"] == 0
    assert "The right expired on" in response.text


def test_a_clerk_cannot_ask_for_someone_else(client, clerk, other_clerk, system, role):
    client.force_login(clerk)
    client.post(
        url("grant-request", system.pk),
        {"person": other_clerk.pk, "role": role.pk, "reason": "Asendus"},
    )
    assert list(AccessGrant.objects.values_list("person", flat=True)) == [clerk.pk]


def test_the_manager_asks_for_anyone(client, manager, clerk, system, role):
    client.force_login(manager)
    response = client.post(
        url("grant-request", system.pk),
        {"person": clerk.pk, "role": role.pk, "reason": "Uus töötaja", "valid_until": ""},
    )
    assert response.url == url("system-detail", system.pk) + "#requests"
    grant = AccessGrant.objects.get()
    assert (grant.person, grant.requested_by) == (clerk, manager)


def test_a_second_request_for_the_same_role_is_refused_by_the_field(
    client, clerk, system, role, requested
):
    client.force_login(clerk)
    response = client.post(
        url("grant-request", system.pk),
        {"role": role.pk, "reason": "Uuesti", "valid_until": "2099-01-01"},
    )
    assert response.status_code == 200
    assert "already holds or has asked for this role" in str(response.context["form"].errors)
    assert 'value="Uuesti"' not in response.text  # a textarea keeps it as text
    assert "Uuesti" in response.text
    assert AccessGrant.objects.count() == 1


def test_a_request_needs_a_reason_and_a_future_end(client, clerk, system, role):
    client.force_login(clerk)
    response = client.post(
        url("grant-request", system.pk),
        {"role": role.pk, "reason": "", "valid_until": (today() - timedelta(1)).isoformat()},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"reason", "valid_until"}
    assert not AccessGrant.objects.exists()


def test_approving_with_a_past_end_date_is_refused_by_the_field(
    client, main_user, system, requested
):
    client.force_login(main_user)
    response = client.post(
        url("grant-approve", system.pk, requested.pk),
        {f"approve-{requested.pk}-valid_until": today().isoformat()},
    )
    assert response.status_code == 200
    form = response.context["requests"][0].approve_form
    assert "The end date must be in the future." in form.errors["valid_until"]
    assert reload(requested).status == Status.REQUESTED


def test_refuse_with_a_reason(client, main_user, system, requested):
    client.force_login(main_user)
    address = url("grant-refuse", system.pk, requested.pk)
    response = client.post(address, {f"refuse-{requested.pk}-reason": ""})
    assert response.status_code == 200
    assert reload(requested).status == Status.REQUESTED
    response = client.post(address, {f"refuse-{requested.pk}-reason": "Pole vaja"}, follow=True)
    grant = reload(requested)
    assert (grant.status, grant.revoke_reason) == (Status.REFUSED, "Pole vaja")
    assert "Pole vaja" in response.text  # in "Ended and refused lately"
    # Posted again (a stale form): refused with a message, nothing changes.
    response = client.post(
        url("grant-approve", system.pk, requested.pk),
        {f"approve-{requested.pk}-valid_until": ""},
        follow=True,
    )
    assert "Only a request can be granted." in messages_of(response)
    assert reload(requested).status == Status.REFUSED


def test_revoke_with_a_reason(client, manager, system, granted):
    client.force_login(manager)  # not the main user, but may change every right
    address = url("grant-revoke", system.pk, granted.pk)
    response = client.post(address, {f"revoke-{granted.pk}-reason": ""})
    assert response.status_code == 200
    assert "revoke-" + str(granted.pk) + "-reason" in response.text
    assert reload(granted).status == Status.GRANTED
    response = client.post(address, {f"revoke-{granted.pk}-reason": "Lahkus asutusest"})
    assert response.status_code == 302
    grant = reload(granted)
    assert (grant.status, grant.revoked_by, grant.revoke_reason) == (
        Status.REVOKED,
        manager,
        "Lahkus asutusest",
    )


# --- The review ---------------------------------------------------------------------------------


def test_review_confirm_and_revoke(client, main_user, system, role, reader_role, clerk, settings):
    first = services.grant_approve(
        actor=main_user, grant=services.grant_request(actor=clerk, person=clerk, role=role)
    )
    second = services.grant_approve(
        actor=main_user, grant=services.grant_request(actor=clerk, person=clerk, role=reader_role)
    )
    old = timezone.now() - timedelta(days=settings.ASSETS_REVIEW_DAYS + 1)
    AccessGrant.objects.update(reviewed_at=old)
    client.force_login(main_user)
    response = client.get(url("system-detail", system.pk))
    assert {g.pk for g in response.context["review"]} == {first.pk, second.pk}
    assert "Still needed" in response.text

    response = client.post(url("grant-confirm", system.pk, first.pk), follow=True)
    assert reload(first).reviewed_at > old
    assert "Confirmed: Mari Tamm still needs the role Asjaajaja." in messages_of(response)
    assert [g.pk for g in response.context["review"]] == [second.pk]

    response = client.post(
        url("grant-revoke", system.pk, second.pk),
        {"where": "review", f"review-{second.pk}-reason": "Ei kasuta"},
    )
    assert response.url.endswith("#review")
    assert reload(second).status == Status.REVOKED
    response = client.get(url("system-detail", system.pk))
    assert response.context["review"] == []


def test_a_review_revoke_without_reason_comes_back_to_the_review(
    client, main_user, system, granted
):
    AccessGrant.objects.update(reviewed_at=None)
    client.force_login(main_user)
    response = client.post(
        url("grant-revoke", system.pk, granted.pk),
        {"where": "review", f"review-{granted.pk}-reason": ""},
    )
    assert response.status_code == 200
    assert response.context["review"][0].revoke_form.errors
    assert reload(granted).status == Status.GRANTED


def test_the_expiring_notice_is_e_mailed_to_the_main_user(main_user, system, requested, committed):
    services.grant_approve(actor=main_user, grant=requested, valid_until=today() + timedelta(7))
    mail.outbox.clear()
    with committed():
        assert services.expiring_notify() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [main_user.email]
    assert "Mari Tamm" in message.body
    assert "Asjaajaja" in message.body
    assert reverse("assets:system-list") in message.body


# --- The leaver's list --------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # a cell's text may wrap


def test_own_holdings_page_and_pdf(client, clerk, granted, make_asset):
    asset = make_asset(name="Sülearvuti Dell Latitude", responsible=clerk, serial_number="SN-77")
    client.force_login(clerk)
    response = client.get(url("holdings", clerk.pk))
    assert response.status_code == 200
    assert "My rights and assets" in response.text
    assert asset.inventory_number in response.text
    assert "Delta" in response.text
    assert "Asjaajaja" in response.text

    response = client.get(url("holdings-pdf", clerk.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = pdf_text(response.content)
    for expected in (asset.inventory_number, "Sülearvuti Dell Latitude", "Delta", "Asjaajaja"):
        assert expected in text
    assert "Mari Tamm" in text
    assert "signature" in text


def test_someone_elses_holdings_are_forbidden_to_a_non_manager(client, clerk, other_clerk, granted):
    client.force_login(other_clerk)
    assert client.get(url("holdings", clerk.pk)).status_code == 403
    assert client.get(url("holdings-pdf", clerk.pk)).status_code == 403
    assert client.get(url("holdings", 999999)).status_code == 403  # the same for nobody


@pytest.mark.parametrize("who", ["manager", "head"])
def test_the_manager_and_the_head_see_anyones_holdings(client, request, who, clerk, granted):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("holdings", clerk.pk))
    assert response.status_code == 200
    assert "Rights and assets of Mari Tamm" in response.text
    assert client.get(url("holdings-pdf", clerk.pk)).status_code == 200


def test_the_people_page_sends_a_non_manager_to_their_own_list(client, clerk):
    client.force_login(clerk)
    response = client.get(url("people"))
    assert response.status_code == 302
    assert response.url == url("holdings", clerk.pk)


def test_the_people_page_finds_who_holds_something(
    client, manager, clerk, other_clerk, granted, make_asset
):
    make_asset(responsible=other_clerk)
    make_asset(responsible=other_clerk)
    client.force_login(manager)
    response = client.get(url("people"), {"holding": "1"})
    found = {p.username: (p.asset_count, p.grant_count) for p in response.context["people"]}
    assert found == {"mari": (0, 1), "jaan": (2, 0)}
    response = client.get(url("people"), {"q": "tamm"})
    assert [p.username for p in response.context["people"]] == ["mari"]
    assert url("holdings", clerk.pk) in response.text


def test_the_people_page_runs_the_same_queries_for_few_and_many(
    client, manager, make_user, make_asset, django_assert_max_num_queries
):
    client.force_login(manager)
    make_asset(responsible=manager)
    with django_assert_max_num_queries(12) as few:
        client.get(url("people"))
    for n in range(30):
        make_asset(responsible=make_user(roles.CLERK, username=f"inimene{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("people"))
    assert response.context["page"].count == 31
