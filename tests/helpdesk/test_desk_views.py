"""The front desk's pages (helpdesk/views/desk.py): the phone calls with their quick form, the
list and making a ticket of a call; the visitors with the arrival form, who is in the building
now, leaving, the log and the badge PDF.

Each view: the clerk logs and acts, the head only looks (403 on the writes), staff without the
helpdesk's permissions get 403, an anonymous visitor the sign-in page.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import roles
from helpdesk import services
from helpdesk.models import Call, Category, Ticket, TicketChannel, Visit

pytestmark = pytest.mark.django_db

CALLS = reverse("helpdesk:call-list")
VISITS = reverse("helpdesk:visit-list")
Outcome = Call.Outcome


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def desk(english, clerk):
    """The clerk at the front desk, signed in, pages in English."""
    english.force_login(clerk)
    return english


@pytest.fixture
def outsider(make_user):
    """Staff without any helpdesk permission (an asset manager)."""
    return make_user(roles.ASSET_MANAGER, username="asset_manager")


@pytest.fixture
def processor(make_user):
    """An MTR processor answers tickets but neither takes calls nor registers visitors."""
    return make_user(roles.MTR_PROCESSOR, username="processor")


@pytest.fixture
def host(make_user):
    return make_user(roles.MTR_PROCESSOR, username="host", first_name="Piret", last_name="Õunap")


@pytest.fixture
def make_call(clerk):
    def make(**kwargs):
        values = {
            "actor": clerk,
            "caller": "Jüri Mägi",
            "phone": "+372 5123 4567",
            "topic": "Ei leia taotluse olekut",
            "category": Category.ESERVICE,
            "outcome": Outcome.ANSWERED,
        }
        values.update(kwargs)
        return services.call_log(**values)

    return make


@pytest.fixture
def make_visit(clerk, host):
    def make(**kwargs):
        values = {
            "actor": clerk,
            "name": "Tõnu Õispuu",
            "organisation": "Pärnu Valve OÜ",
            "document_checked": True,
            "host": host,
            "purpose": "Loa taotluse arutelu",
        }
        values.update(kwargs)
        return services.visit_arrive(**values)

    return make


def call_data(**kwargs) -> dict:
    data = {
        "caller": "Külli Jõgi",
        "phone": "5555 1234",
        "topic": "Kuidas esitada majutuse teade",
        "category": Category.ESERVICE,
        "outcome": Outcome.ANSWERED,
        "duration_minutes": "4",
        "notes": "Selgitasin e-teenuse kasutamist.",
        "requester_email": "",
    }
    data.update(kwargs)
    return data


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def call_form_html(response) -> str:
    match = re.search(
        r'<form method="post" action="/support/calls/".*?</form>', response.text, re.S
    )
    assert match, "no call form on the page"
    return match.group(0)


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- Access ---------------------------------------------------------------------------------------


def _urls(call, visit):
    return {
        "call-list": ("get", CALLS),
        "call-save": ("post", CALLS),
        "call-ticket": ("post", reverse("helpdesk:call-ticket", args=[call.pk])),
        "visit-list": ("get", VISITS),
        "visit-arrive": ("post", VISITS),
        "visit-leave": ("post", reverse("helpdesk:visit-leave", args=[visit.pk])),
        "visit-badge": ("get", reverse("helpdesk:visit-badge", args=[visit.pk])),
    }


VIEW_NAMES = [
    "call-list",
    "call-save",
    "call-ticket",
    "visit-list",
    "visit-arrive",
    "visit-leave",
    "visit-badge",
]
WRITES = ["call-save", "call-ticket", "visit-arrive", "visit-leave"]


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, make_call, make_visit, name):
    method, url = _urls(make_call(), make_visit())[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", VIEW_NAMES)
@pytest.mark.parametrize("who", ["outsider", "processor"])
def test_staff_without_the_desk_permissions_get_403(
    client, make_call, make_visit, request, who, name
):
    method, url = _urls(make_call(), make_visit())[name]
    client.force_login(request.getfixturevalue(who))
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize("name", WRITES)
def test_the_head_may_look_but_not_write(client, head, make_call, make_visit, name):
    call, visit = make_call(), make_visit()
    method, url = _urls(call, visit)[name]
    client.force_login(head)
    assert getattr(client, method)(url, call_data()).status_code == 403
    assert Call.objects.count() == 1
    assert not Ticket.objects.exists()
    assert Visit.objects.in_building().count() == 1


def test_the_head_sees_the_lists_without_forms(english, head, make_call, make_visit):
    call, visit = make_call(), make_visit()
    english.force_login(head)

    calls = english.get(CALLS)
    assert calls.status_code == 200
    assert "Jüri Mägi" in calls.text
    assert 'name="caller"' not in calls.text
    assert reverse("helpdesk:call-ticket", args=[call.pk]) not in calls.text

    visits = english.get(VISITS)
    assert visits.status_code == 200
    assert "Tõnu Õispuu" in visits.text
    assert 'name="name"' not in visits.text
    assert reverse("helpdesk:visit-leave", args=[visit.pk]) not in visits.text
    assert english.get(reverse("helpdesk:visit-badge", args=[visit.pk])).status_code == 200


def test_the_writes_are_post_only(desk, make_call, make_visit):
    call, visit = make_call(), make_visit()
    assert desk.get(reverse("helpdesk:call-ticket", args=[call.pk])).status_code == 405
    assert desk.get(reverse("helpdesk:visit-leave", args=[visit.pk])).status_code == 405


# --- The quick call form --------------------------------------------------------------------------


def test_the_call_form_starts_on_the_caller_in_the_order_of_a_call(desk):
    form = call_form_html(desk.get(CALLS))

    assert "autofocus" in input_tag(form, "caller")
    names = re.findall(r'<(?:input|textarea|select|button)[^>]*?name="(\w+)"', form)
    names = [n for n in names if n not in ("csrfmiddlewaretoken", "submission_key")]
    order = [n for i, n in enumerate(names) if n not in names[:i]]
    assert order == [
        "caller",
        "phone",
        "topic",
        "category",
        "outcome",
        "duration_minutes",
        "notes",
        "requester_email",
        "make_ticket",
    ]
    # The plain "Save" comes first: it is the button Enter presses.
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'type="submit"' in first_button
    assert "make_ticket" not in first_button
    assert "tabindex" not in form


def test_saving_a_call_gives_an_empty_focused_form_and_a_message(desk, clerk):
    response = desk.post(CALLS, call_data(), follow=True)

    assert response.redirect_chain == [(CALLS, 302)]
    call = Call.objects.get()
    assert (call.caller, call.topic, call.phone) == (
        "Külli Jõgi",
        "Kuidas esitada majutuse teade",
        "5555 1234",
    )
    assert (call.outcome, call.duration_minutes, call.taken_by) == (Outcome.ANSWERED, 4, clerk)
    assert call.ticket is None
    assert message_texts(response) == ["The call of Külli Jõgi was saved."]
    form = call_form_html(response)
    caller = input_tag(form, "caller")
    assert "autofocus" in caller
    assert "value=" not in caller
    assert "Külli Jõgi" not in form
    assert "Külli Jõgi" in response.text  # in today's calls below


def test_a_call_with_a_mistake_keeps_what_was_typed_and_focuses_the_field(desk):
    response = desk.post(
        CALLS, call_data(topic="", duration_minutes="0", requester_email="not-an-address")
    )

    assert response.status_code == 200
    assert not Call.objects.exists()
    form = call_form_html(response)
    assert 'value="Külli Jõgi"' in input_tag(form, "caller")
    assert "autofocus" not in input_tag(form, "caller")
    assert "autofocus" in input_tag(form, "topic")
    assert "is-invalid" in input_tag(form, "topic")
    assert "is-invalid" in input_tag(form, "duration_minutes")
    assert "is-invalid" in input_tag(form, "requester_email")
    assert "Nothing was saved: see the messages below." in message_texts(response)


def test_save_and_make_a_ticket_opens_the_phone_ticket_linked_to_the_call(
    desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            CALLS, call_data(make_ticket="1", requester_email="Kylli@Example.ee"), follow=True
        )

    ticket = Ticket.objects.get()
    call = Call.objects.get()
    assert response.redirect_chain[0] == (reverse("helpdesk:ticket-detail", args=[ticket.pk]), 302)
    assert ticket.channel == TicketChannel.PHONE
    assert (ticket.subject, ticket.requester_name, ticket.requester_phone) == (
        "Kuidas esitada majutuse teade",
        "Külli Jõgi",
        "5555 1234",
    )
    assert ticket.requester_email == "kylli@example.ee"
    assert (call.ticket, call.outcome) == (ticket, Outcome.TICKET)
    assert f"as the ticket {ticket.reference}" in " ".join(message_texts(response))
    assert [m.to for m in mail.outbox] == [["kylli@example.ee"]]


def test_a_ticket_without_an_e_mail_is_answered_by_phone(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(CALLS, call_data(make_ticket="1"))

    ticket = Ticket.objects.get()
    assert ticket.requester_email == ""
    assert Call.objects.get().ticket == ticket
    assert mail.outbox == []


def test_enter_in_the_e_mail_field_makes_the_ticket_too(desk):
    """Enter presses the first button, "Save": an e-mail typed is only for a ticket, so one is
    made rather than the address silently dropped."""
    response = desk.post(CALLS, call_data(requester_email="kylli@example.ee"))

    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("helpdesk:ticket-detail", args=[ticket.pk])
    assert Call.objects.get().ticket == ticket


# --- The list of calls ---------------------------------------------------------------------------


def test_an_earlier_call_is_made_a_ticket_from_its_row(desk, make_call):
    call = make_call()
    page = desk.get(CALLS)
    url = reverse("helpdesk:call-ticket", args=[call.pk])
    assert url in page.text

    response = desk.post(url, {f"call-{call.pk}-requester_email": "jyri@example.ee"})

    call.refresh_from_db()
    assert response["Location"] == reverse("helpdesk:ticket-detail", args=[call.ticket.pk])
    assert call.ticket.channel == TicketChannel.PHONE
    assert call.ticket.requester_email == "jyri@example.ee"
    listed = desk.get(CALLS)
    assert call.ticket.reference in listed.text
    assert url not in listed.text

    again = desk.post(url, {})  # a stale button: the same ticket, not a second one
    assert again["Location"] == reverse("helpdesk:ticket-detail", args=[call.ticket.pk])
    assert Ticket.objects.count() == 1


def test_a_wrong_e_mail_on_a_row_makes_no_ticket(desk, make_call):
    call = make_call()
    url = reverse("helpdesk:call-ticket", args=[call.pk])

    response = desk.post(
        url, {f"call-{call.pk}-requester_email": "nope", "next": f"{CALLS}?page=1"}, follow=True
    )

    assert response.redirect_chain == [(f"{CALLS}?page=1", 302)]
    assert not Ticket.objects.exists()
    assert message_texts(response)[0].startswith("No ticket was made:")


def test_a_row_does_not_redirect_to_another_site(desk, make_call):
    call = make_call()
    url = reverse("helpdesk:call-ticket", args=[call.pk])
    response = desk.post(url, {f"call-{call.pk}-requester_email": "x", "next": "https://evil.ee/"})
    assert response["Location"] == CALLS


def _rows(response) -> set[str]:
    """The topics in the list of all calls (not today's table)."""
    listed = response.text.split('id="all-heading"', 1)[1]
    return set(re.findall(r"<td>(Teema [^<]+)<", listed))


def test_the_list_filters_by_day_outcome_taker_category_and_text(desk, clerk, make_user, make_call):
    other = make_user(roles.CLERK, username="teine", first_name="Olev", last_name="Teine")
    make_call(topic="Teema A", outcome=Outcome.ANSWERED, category=Category.ESERVICE)
    make_call(topic="Teema B", outcome=Outcome.CALL_BACK, category=Category.ACCOUNT, actor=other)
    old = make_call(topic="Teema C", outcome=Outcome.FORWARDED, caller="Mari Maasikas")
    Call.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=10))
    old_day = (timezone.localdate() - timedelta(days=10)).strftime("%d.%m.%Y")

    assert _rows(desk.get(CALLS)) == {"Teema A", "Teema B", "Teema C"}
    assert _rows(desk.get(CALLS, {"outcome": Outcome.CALL_BACK})) == {"Teema B"}
    assert _rows(desk.get(CALLS, {"taken_by": other.pk})) == {"Teema B"}
    assert _rows(desk.get(CALLS, {"category": Category.ESERVICE})) == {"Teema A", "Teema C"}
    assert _rows(desk.get(CALLS, {"date_from": old_day, "date_to": old_day})) == {"Teema C"}
    assert _rows(desk.get(CALLS, {"date_from": timezone.localdate().strftime("%d.%m.%Y")})) == {
        "Teema A",
        "Teema B",
    }
    assert _rows(desk.get(CALLS, {"q": "maasikas"})) == {"Teema C"}
    assert _rows(desk.get(CALLS, {"q": "nobody"})) == set()


def test_today_s_calls_leave_out_earlier_days(desk, make_call):
    make_call(topic="Tänane kõne")
    old = make_call(topic="Eilne kõne")
    Call.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=1))

    response = desk.get(CALLS)
    today = response.text.split('id="today-heading"', 1)[1].split('id="all-heading"', 1)[0]
    assert "Tänane kõne" in today
    assert "Eilne kõne" not in today
    assert [c.topic for c in response.context["today_calls"]] == ["Tänane kõne"]


def test_the_call_list_runs_the_same_queries_for_3_and_40_calls(
    desk, clerk, make_user, make_call, django_assert_max_num_queries
):
    other = make_user(roles.CLERK, username="teine")
    filters = {"q": "teema", "taken_by": other.pk, "outcome": Outcome.TICKET, "date_from": ""}

    def add(n):
        call = make_call(topic=f"Teema {n}", actor=clerk if n % 2 else other)
        if n % 3 == 0:
            services.call_to_ticket(actor=clerk, call=call)

    for n in range(3):
        add(n)
    with CaptureQueriesContext(connection) as few:
        desk.get(CALLS)
    with CaptureQueriesContext(connection) as few_filtered:
        assert _rows(desk.get(CALLS, filters)) == {"Teema 0"}
    for n in range(3, 40):
        add(n)

    with django_assert_max_num_queries(len(few)):
        response = desk.get(CALLS)
    assert len(_rows(response)) == 25
    with django_assert_max_num_queries(len(few)):
        second = desk.get(CALLS + response.context["page"].links["next"])
    assert len(_rows(second)) == 15
    with django_assert_max_num_queries(len(few_filtered)):
        filtered = desk.get(CALLS, filters)
    assert _rows(filtered) == {f"Teema {n}" for n in range(0, 40, 6)}


# --- Visitors -------------------------------------------------------------------------------------


def visit_data(person, **kwargs) -> dict:
    data = {
        "name": "Ülle Õun",
        "organisation": "Tartu Turvas OÜ",
        "document_checked": "on",
        "host": person.pk,
        "purpose": "Koosolek",
    }
    data.update(kwargs)
    return data


def test_the_arrival_form_starts_on_the_name_and_offers_active_staff(desk, host, make_user):
    make_user(roles.CLERK, username="gone", first_name="Lahkunud", is_active=False)
    response = desk.get(VISITS)

    assert re.search(r'<input[^>]*name="name"[^>]*autofocus', response.text)
    hosts = response.context["form"].fields["host"].queryset
    assert host in hosts
    assert not hosts.filter(username="gone").exists()


def test_an_arrival_gets_the_day_s_badge_number_and_a_link_to_print_it(desk, clerk, host):
    first = desk.post(VISITS, visit_data(host), follow=True)
    second = desk.post(VISITS, visit_data(host, name="Aivar Pärn", organisation=""), follow=True)

    ulle, aivar = Visit.objects.order_by("pk")
    assert (ulle.badge_number, aivar.badge_number) == (1, 2)
    assert (ulle.host, ulle.registered_by, ulle.document_checked) == (host, clerk, True)
    assert ulle.departed_at is None
    assert message_texts(first) == [
        "Ülle Õun has arrived: badge no. 1. "
        f'<a class="alert-link" href="{reverse("helpdesk:visit-badge", args=[ulle.pk])}">'
        "Print the badge (PDF)</a>"
    ]
    badge = reverse("helpdesk:visit-badge", args=[aivar.pk])
    assert f'href="{badge}"' in second.text
    assert "Aivar Pärn has arrived: badge no. 2." in second.text
    assert re.search(r'<input[^>]*name="name"[^>]*autofocus', second.text)


def test_an_arrival_with_a_mistake_keeps_the_values(desk, host):
    response = desk.post(VISITS, visit_data(host, purpose="", host=""))

    assert response.status_code == 200
    assert not Visit.objects.exists()
    assert 'value="Ülle Õun"' in response.text
    assert re.search(r'<select[^>]*name="host"[^>]*autofocus', response.text)


def test_badge_numbers_start_from_one_each_day(make_visit, monkeypatch):
    yesterday = timezone.localdate() - timedelta(days=1)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args, **kwargs: yesterday)
        assert [make_visit().badge_number for _ in range(3)] == [1, 2, 3]
    assert [make_visit().badge_number for _ in range(2)] == [1, 2]


def test_in_the_building_now_lists_who_has_not_left(desk, make_visit):
    make_visit(name="Esimene Külaline")
    second = make_visit(name="Teine Külaline", organisation="Narva Firma AS")
    gone = make_visit(name="Lahkunud Külaline")
    services.visit_depart(actor=gone.registered_by, visit=gone)

    response = desk.get(VISITS)

    now = response.text.split('id="in-building-heading"', 1)[1].split('id="log-heading"', 1)[0]
    assert re.search(r'<span class="badge text-bg-primary">2</span>', now)
    assert "Esimene Külaline" in now
    assert "Teine Külaline" in now
    assert "Narva Firma AS" in now
    assert "Lahkunud Külaline" not in now
    assert "Piret Õunap" in now
    assert reverse("helpdesk:visit-leave", args=[second.pk]) in now
    assert reverse("helpdesk:visit-badge", args=[second.pk]) in now
    log = response.text.split('id="log-heading"', 1)[1]
    assert "Lahkunud Külaline" in log
    assert "Esimene Külaline" not in log


def test_left_moves_the_visitor_to_the_log_and_a_second_left_is_refused(desk, make_visit):
    visit = make_visit()
    url = reverse("helpdesk:visit-leave", args=[visit.pk])

    response = desk.post(url, follow=True)

    visit.refresh_from_db()
    assert visit.departed_at is not None
    assert message_texts(response) == ["Tõnu Õispuu has left."]
    assert not response.context["in_building"]
    assert [v.pk for v in response.context["visits"]] == [visit.pk]

    departed = visit.departed_at
    again = desk.post(url, follow=True)
    visit.refresh_from_db()
    assert visit.departed_at == departed
    assert message_texts(again) == ["The visitor has already left."]


def test_the_log_is_searched_and_filtered_by_day(desk, make_visit):
    old = make_visit(name="Vana Külastaja", organisation="Kunagi OÜ")
    services.visit_depart(actor=old.registered_by, visit=old)
    earlier = timezone.now() - timedelta(days=20)
    Visit.objects.filter(pk=old.pk).update(
        arrived_at=earlier, departed_at=earlier + timedelta(hours=1)
    )
    new = make_visit(name="Uus Külastaja", purpose="Dokumentide toomine")
    services.visit_depart(actor=new.registered_by, visit=new)
    day = (timezone.localdate() - timedelta(days=20)).strftime("%d.%m.%Y")

    def names(**query):
        return {v.name for v in desk.get(VISITS, query).context["visits"]}

    assert names() == {"Vana Külastaja", "Uus Külastaja"}
    assert names(q="kunagi") == {"Vana Külastaja"}
    assert names(q="dokumentide") == {"Uus Külastaja"}
    assert names(q="õunap") == {"Vana Külastaja", "Uus Külastaja"}  # the host's name
    assert names(date_from=day, date_to=day) == {"Vana Külastaja"}
    assert names(date_from=timezone.localdate().strftime("%d.%m.%Y")) == {"Uus Külastaja"}


def test_the_page_says_how_long_visits_are_kept(desk, settings):
    settings.HELPDESK_VISIT_RETENTION_DAYS = 90
    assert "The visits are kept for 90 days and then deleted." in desk.get(VISITS).text


def test_the_visit_page_runs_the_same_queries_for_3_and_40_visits(
    desk, make_visit, django_assert_max_num_queries
):
    def add(n):
        visit = make_visit(name=f"Külaline {n}")
        if n % 2:
            services.visit_depart(actor=visit.registered_by, visit=visit)

    for n in range(3):
        add(n)
    with CaptureQueriesContext(connection) as few:
        desk.get(VISITS)
    for n in range(3, 40):
        add(n)

    with django_assert_max_num_queries(len(few)):
        response = desk.get(VISITS)
    assert len(response.context["in_building"]) == 20
    assert len(response.context["visits"]) == 20
    with django_assert_max_num_queries(len(few)):
        assert desk.get(VISITS, {"q": "külaline", "page": 2}).status_code == 200


def test_the_badge_is_a_card_with_the_visitor_s_name_and_number(desk, make_visit, settings):
    settings.AGENCY_NAME = "Näidisamet"
    make_visit(name="Esimene")
    visit = make_visit(name="Žanna Õispuu-Jäär", organisation="Ääre Äri OÜ")

    response = desk.get(reverse("helpdesk:visit-badge", args=[visit.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (86, 54)
    text = pdf_text(response.content)
    for expected in ("VISITOR / KÜLALINE", "Žanna Õispuu-Jäär", "Ääre Äri OÜ", "Piret Õunap"):
        assert expected in text
    assert re.search(r"\b2\b", text)
    assert timezone.localdate().strftime("%d.%m.%Y") in text
    assert "Näidisamet" in text


def test_a_long_name_still_fits_one_badge(desk, make_visit):
    visit = make_visit(
        name="Maria-Magdaleena Õunapuu-Kübarsepp-Jõgi " * 4, organisation="Väga Pika Nimega " * 8
    )
    response = desk.get(reverse("helpdesk:visit-badge", args=[visit.pk]))
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_yesterday_is_not_today_on_a_visitor_still_in(desk, make_visit):
    visit = make_visit()
    Visit.objects.filter(pk=visit.pk).update(arrived_at=timezone.now() - timedelta(days=1))
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d.%m.%Y")
    assert day in desk.get(VISITS).text.split('id="log-heading"', 1)[0]
