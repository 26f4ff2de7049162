"""The post pages (correspondence/views/post.py): the day's dispatch list with its sums, PDF,
labels and envelopes, taking it to the post office, tracking codes, delivery notices and
returned letters, the lists of earlier days; and the benchmark command.

The clerk keeps the list; the head sees it without forms and gets 403 on the actions; staff
without the permission (an MTR processor, an asset manager) get 403; anonymous the sign-in page.
"""

import io
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import calendar, roles
from correspondence import services
from correspondence.models import Channel, Dispatch, DispatchList, Letter
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

TODAY_URL = reverse("correspondence:dispatch-today")
LISTS_URL = reverse("correspondence:dispatch-lists")
MM = 72 / 25.4  # PDF points in a millimetre


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def page_sizes_mm(content: bytes) -> list[tuple[int, int]]:
    return [
        (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM))
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def day_url(day, name="dispatch-day"):
    return reverse(f"correspondence:{name}", args=[day.isoformat()])


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def post_day():
    """The day whose list takes the post sent now (no list has been taken yet)."""
    return calendar.registration_day(timezone.localdate())


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, clerk):
    english.force_login(clerk)
    return english


@pytest.fixture
def outsider(make_user):
    return make_user(roles.ASSET_MANAGER, username="asset_manager")


@pytest.fixture
def processor(make_user):
    """May write letters but not keep the post."""
    return make_user(roles.MTR_PROCESSOR, username="processor")


@pytest.fixture
def send_letter(make_letter, clerk, django_capture_on_commit_callbacks):
    """Write a letter to ``party`` by ``channel`` (its PDF made) and send it."""

    def send(party, channel=Channel.POST, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            letter = make_letter(addressees=[services.Addressee(party, channel)], **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            services.letter_send(actor=clerk, letter=letter)
        return Letter.objects.get(pk=letter.pk)

    return send


@pytest.fixture
def ordinary(send_letter, organisation):
    return send_letter(organisation, Channel.POST, subject="Teade koosoleku kohta")


@pytest.fixture
def registered(send_letter, person):
    return send_letter(person, Channel.REGISTERED, subject="Otsus")


@pytest.fixture
def two_letters(ordinary, registered):
    return ordinary, registered


@pytest.fixture
def dispatch_list(two_letters):
    return DispatchList.objects.get(day=post_day())


@pytest.fixture
def taken(dispatch_list, clerk):
    return services.dispatch_list_take(actor=clerk, dispatch_list=dispatch_list)


def dispatch_of(letter) -> Dispatch:
    return Dispatch.objects.get(letter=letter)


# --- Access ---------------------------------------------------------------------------------------


def get_urls(day):
    return [
        TODAY_URL,
        LISTS_URL,
        day_url(day),
        day_url(day, "dispatch-pdf"),
        day_url(day, "dispatch-labels"),
        day_url(day, "dispatch-labels") + "?layout=c5",
    ]


def post_urls(day, dispatch):
    return [
        day_url(day, "dispatch-take"),
        reverse("correspondence:post-tracking", args=[dispatch.pk]),
        reverse("correspondence:post-delivered", args=[dispatch.pk]),
        reverse("correspondence:post-returned", args=[dispatch.pk]),
    ]


def test_anonymous_is_sent_to_sign_in_from_every_view(client, dispatch_list, registered):
    day = dispatch_list.day
    for url in get_urls(day):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    for url in post_urls(day, dispatch_of(registered)):
        response = client.post(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize("who", ["outsider", "processor"])
def test_staff_without_the_post_permission_get_403_everywhere(
    client, request, who, dispatch_list, registered
):
    client.force_login(request.getfixturevalue(who))
    day = dispatch_list.day
    for url in get_urls(day):
        assert client.get(url).status_code == 403, url
    for url in post_urls(day, dispatch_of(registered)):
        assert client.post(url).status_code == 403, url
    assert not DispatchList.objects.get(pk=dispatch_list.pk).is_taken


def test_head_sees_the_post_without_forms_and_may_not_act(english, head, dispatch_list, registered):
    english.force_login(head)
    day = dispatch_list.day
    for url in get_urls(day):
        assert english.get(url).status_code == 200, url
    response = english.get(TODAY_URL)
    assert "Taken to the post office</button>" not in response.text
    assert 'name="tracking_code"' not in response.text
    for url in post_urls(day, dispatch_of(registered)):
        assert english.post(url).status_code == 403, url
    assert not DispatchList.objects.get(pk=dispatch_list.pk).is_taken


def test_actions_are_post_only(signed_in, dispatch_list):
    assert signed_in.get(day_url(dispatch_list.day, "dispatch-take")).status_code == 405


def test_a_bad_day_or_layout_is_404(signed_in, dispatch_list):
    assert signed_in.get("/post/2026-13-45/").status_code == 404
    assert signed_in.get("/post/yesterday/").status_code == 404
    url = day_url(dispatch_list.day, "dispatch-labels") + "?layout=a4"
    assert signed_in.get(url).status_code == 404
    empty_day = dispatch_list.day - timedelta(days=400)
    assert signed_in.get(day_url(empty_day, "dispatch-pdf")).status_code == 404
    assert signed_in.get(day_url(empty_day)).status_code == 200  # an empty day, not an error


# --- The day's list -------------------------------------------------------------------------------


def test_two_post_letters_land_on_todays_list_with_their_sums(
    signed_in, two_letters, organisation, person
):
    ordinary, registered = two_letters
    response = signed_in.get(TODAY_URL)
    assert response.status_code == 200
    assert response.context["day"] == post_day()
    assert [row.letter for row in response.context["rows"]] == [ordinary, registered]
    text = response.text
    for letter in two_letters:
        assert letter.number in text
        assert reverse("correspondence:letter-detail", args=[letter.pk]) in text
    assert "OÜ Põhjarannik" in text
    assert "Mere pst 5, 10111 Tallinn" in text
    assert "Jüri Õunapuu" in text
    summary = {
        item["channel"]: (item["count"], item["postage"]) for item in response.context["summary"]
    }
    assert summary == {
        "ordinary post": (1, services.postage(Channel.POST)),
        "registered post": (1, services.postage(Channel.REGISTERED)),
    }
    assert response.context["total"] == services.postage(Channel.POST) + services.postage(
        Channel.REGISTERED
    )
    assert "6,10 €" in text  # 1,90 + 4,20
    assert "Print the list (PDF)" in text
    assert "?layout=c5" in text
    assert "?layout=dl" in text
    assert "Taken to the post office</button>" in text
    assert 'name="tracking_code"' in text  # the registered letter's row


def test_the_list_pdf_holds_the_letters_and_the_sums(signed_in, dispatch_list, two_letters):
    response = signed_in.get(day_url(dispatch_list.day, "dispatch-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for letter in two_letters:
        assert letter.number in text
    assert "OÜ Põhjarannik" in text
    assert "Jüri Õunapuu" in text
    assert "Tähe 12-4, 50103 Tartu" in text
    assert dispatch_list.day.strftime("%d.%m.%Y") in text
    assert "1,90 €" in text
    assert "4,20 €" in text
    assert "6,10 €" in text
    assert "Stamp and signature of the post office" in text


def test_labels_and_envelopes(signed_in, dispatch_list):
    url = day_url(dispatch_list.day, "dispatch-labels")
    labels = signed_in.get(url)
    assert labels.status_code == 200
    text = pdf_text(labels.content)
    assert "OÜ Põhjarannik" in text
    assert "Mere pst 5\n10111 Tallinn" in text  # the address on two lines, as on an envelope
    assert "Jüri Õunapuu" in text
    assert page_sizes_mm(labels.content) == [(210, 297)]

    c5 = signed_in.get(url + "?layout=c5")
    text = pdf_text(c5.content)
    assert "Jüri Õunapuu" in text
    assert "OÜ Põhjarannik" in text
    assert text.count("TÄHTKIRI") == 1  # only the registered letter
    assert page_sizes_mm(c5.content) == [(229, 162), (229, 162)]

    dl = signed_in.get(url + "?layout=dl")
    assert "Tähe 12-4" in pdf_text(dl.content)
    assert page_sizes_mm(dl.content) == [(220, 110), (220, 110)]


def test_taking_the_list_sends_its_letters_and_closes_it(signed_in, clerk, dispatch_list):
    response = signed_in.post(day_url(dispatch_list.day, "dispatch-take"))
    assert response.status_code == 302
    assert response.url == day_url(dispatch_list.day)
    dispatch_list.refresh_from_db()
    assert dispatch_list.taken_by == clerk
    assert set(dispatch_list.dispatches.values_list("status", flat=True)) == {"sent"}
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.SENT}
    response = signed_in.get(response.url)
    assert "was taken to the post office: 2 letters are sent" in " ".join(message_texts(response))
    assert "Taken to the post office by" in response.text
    assert clerk.get_full_name() in response.text
    assert "Taken to the post office</button>" not in response.text  # read-only now
    assert 'action="/post/dispatches/' not in response.text.split('id="waiting"')[0]


def test_a_list_is_taken_only_once(signed_in, taken):
    taken_at = taken.taken_at
    response = signed_in.post(day_url(taken.day, "dispatch-take"), follow=True)
    assert "This list has already been taken to the post office." in message_texts(response)
    taken.refresh_from_db()
    assert taken.taken_at == taken_at


def test_a_letter_sent_after_the_list_was_taken_goes_to_the_next_working_days_list(
    signed_in, taken, send_letter
):
    late = send_letter(PartyFactory(name="Hiline Saaja AS"), Channel.POST)
    next_day = calendar.next_working_day(taken.day)
    assert dispatch_of(late).dispatch_list.day == next_day
    response = signed_in.get(TODAY_URL)
    assert response.context["day"] == next_day
    assert [row.letter for row in response.context["rows"]] == [late]
    response = signed_in.get(day_url(taken.day))
    assert late.number not in response.text


def test_the_days_are_linked_to_each_other(signed_in, dispatch_list):
    response = signed_in.get(day_url(dispatch_list.day))
    previous = day_url(
        next(
            dispatch_list.day - timedelta(days=n)
            for n in range(1, 10)
            if calendar.is_working_day(dispatch_list.day - timedelta(days=n))
        )
    )
    assert previous in response.text
    assert day_url(calendar.next_working_day(dispatch_list.day)) in response.text
    assert LISTS_URL in response.text


def test_the_day_page_runs_the_same_queries_with_few_and_many_letters(
    signed_in, clerk, taken, send_letter, django_assert_max_num_queries
):
    send_letter(PartyFactory(name="Esimene Saaja"), Channel.REGISTERED)
    with CaptureQueriesContext(connection) as few:
        response = signed_in.get(TODAY_URL)
    assert len(response.context["rows"]) == 1
    assert len(response.context["waiting"].rows) == 1
    next_list = DispatchList.objects.get(day=response.context["day"])
    for n in range(6):
        send_letter(PartyFactory(name=f"Saaja {n}"), Channel.REGISTERED)
    services.dispatch_list_take(actor=clerk, dispatch_list=next_list)  # 8 wait now
    for n in range(5):
        channel = Channel.REGISTERED if n % 2 else Channel.POST
        send_letter(PartyFactory(name=f"Hiline {n}"), channel)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(TODAY_URL)
    assert len(response.context["rows"]) == 5
    assert len(response.context["waiting"].rows) == 8
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert signed_in.get(day_url(taken.day)).status_code == 200


# --- Tracking codes -------------------------------------------------------------------------------


def tracking(client, dispatch, code, back=""):
    url = reverse("correspondence:post-tracking", args=[dispatch.pk])
    return client.post(url, {"tracking_code": code, "back": back})


def test_a_tracking_code_is_recorded_in_capitals(signed_in, dispatch_list, registered):
    dispatch = dispatch_of(registered)
    response = tracking(signed_in, dispatch, " rr123456785ee ", back=dispatch_list.day.isoformat())
    assert response.status_code == 302
    assert response.url == day_url(dispatch_list.day) + f"#dispatch-{dispatch.pk}"
    dispatch.refresh_from_db()
    assert dispatch.tracking_code == "RR123456785EE"


def test_a_wrong_tracking_code_is_an_error_by_the_field(signed_in, dispatch_list, registered):
    dispatch = dispatch_of(registered)
    response = tracking(signed_in, dispatch, "RR-12")
    assert response.status_code == 200
    row = next(row for row in response.context["rows"] if row.pk == dispatch.pk)
    assert row.tracking_form.errors["tracking_code"]
    assert 'value="RR-12"' in response.text  # the typed value is kept
    assert 'aria-invalid="true"' in response.text
    dispatch.refresh_from_db()
    assert dispatch.tracking_code == ""


def test_ordinary_post_has_no_tracking_code(signed_in, dispatch_list, ordinary):
    response = tracking(signed_in, dispatch_of(ordinary), "RR123456785EE")
    assert response.status_code == 200
    assert "Only registered post has a tracking code." in response.text
    assert dispatch_of(ordinary).tracking_code == ""


# --- Delivery notices and returns -----------------------------------------------------------------


def test_registered_letters_wait_for_their_delivery_notice(signed_in, taken, registered, ordinary):
    response = signed_in.get(TODAY_URL)
    waiting = list(response.context["waiting"].rows)
    assert [row.letter for row in waiting] == [registered]
    dispatch = waiting[0]
    url = reverse("correspondence:post-delivered", args=[dispatch.pk])
    delivered_on = timezone.localdate()
    response = signed_in.post(url, {"delivered_on": delivered_on.isoformat(), "back": ""})
    assert response.status_code == 302
    assert response.url == TODAY_URL + f"#dispatch-{dispatch.pk}"
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DELIVERED
    assert dispatch.delivered_on == delivered_on
    assert not list(signed_in.get(TODAY_URL).context["waiting"].rows)


def test_a_delivery_date_in_the_future_is_refused(signed_in, taken, registered):
    dispatch = dispatch_of(registered)
    url = reverse("correspondence:post-delivered", args=[dispatch.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = signed_in.post(url, {"delivered_on": tomorrow.isoformat()})
    assert response.status_code == 200
    row = response.context["waiting"].rows[0]
    assert row.delivery_form.errors["delivered_on"] == ["The date cannot be in the future."]
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.SENT


def test_a_letter_not_sent_yet_cannot_be_delivered(signed_in, dispatch_list, registered):
    dispatch = dispatch_of(registered)
    url = reverse("correspondence:post-delivered", args=[dispatch.pk])
    response = signed_in.post(url, {"delivered_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "Only a sent letter can be delivered." in response.text
    assert dispatch_of(registered).status == Dispatch.Status.WAITING


def test_a_returned_letter_is_recorded_with_its_reason(signed_in, taken, registered):
    dispatch = dispatch_of(registered)
    url = reverse("correspondence:post-returned", args=[dispatch.pk])
    response = signed_in.post(url, {"returned_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    row = response.context["waiting"].rows[0]
    assert row.return_form.errors["reason"]
    assert '<details class="document-action mt-1" open>' in response.text
    response = signed_in.post(
        url, {"returned_on": timezone.localdate().isoformat(), "reason": "Ei võetud välja"}
    )
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.RETURNED
    assert dispatch.note == "Ei võetud välja"
    assert not list(signed_in.get(TODAY_URL).context["waiting"].rows)


def test_old_registered_letters_no_longer_wait(signed_in, taken, registered):
    Dispatch.objects.filter(letter=registered).update(sent_at=timezone.now() - timedelta(days=61))
    assert not list(signed_in.get(TODAY_URL).context["waiting"].rows)


# --- The lists of earlier days --------------------------------------------------------------------


def test_history_lists_each_day_with_counts_and_postage(signed_in, taken, clerk):
    response = signed_in.get(LISTS_URL)
    assert response.status_code == 200
    [item] = response.context["lists"]
    assert item == taken
    assert item.totals["count"] == 2
    assert item.totals["post"] == 1
    assert item.totals["registered"] == 1
    assert item.totals["postage"] == services.postage("post") + services.postage("registered")
    assert day_url(taken.day) in response.text
    assert "6,10 €" in response.text
    assert clerk.get_full_name() in response.text


def test_history_runs_the_same_queries_with_few_and_many_lists(
    signed_in, dispatch_list, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(LISTS_URL).status_code == 200
    day = dispatch_list.day
    for _ in range(40):
        day = calendar.next_working_day(day)
        services.dispatch_list_for(day)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(LISTS_URL)
    assert len(response.context["lists"]) == 25
    assert response.context["page"].count == 41


# --- The benchmark --------------------------------------------------------------------------------


def test_benchmark_prints_both_times_and_keeps_nothing(db):
    out = StringIO()
    call_command("bench_correspondence", letters=5, runs=1, stdout=out)
    output = out.getvalue()
    assert re.search(r"^letter PDF: \d+\.\d{3} s median of 1 runs", output, re.M), output
    assert re.search(
        r"^dispatch list PDF, 5 letters: \d+\.\d{3} s median of 1 runs", output, re.M
    ), output
    assert "rolled back" in output
    assert not Letter.objects.exists()
    assert not DispatchList.objects.exists()
