"""The processors' pages of the MTR (mtr/views/staff.py): the queue, an application's page and its
actions, the downloads, and the register of entries.

Each view: a processor gets the page or the action, a clerk (who may only look) sees the pages
without actions and gets 403 on the POSTs, staff without MTR permissions get 403 everywhere, an
anonymous visitor the sign-in page.
"""

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import calendar, roles
from mtr import filters, services
from mtr.models import ActivityArea, Application, DeficiencyRequest, Entry, Kind, PdfStatus
from tests.mtr.conftest import registry_code

pytestmark = pytest.mark.django_db

Status = Application.Status
LIST = "mtr:application-list"
ENTRIES = "mtr:entry-list"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_file(name="plaan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def detail_url(application):
    return reverse("mtr:application-detail", args=[application.pk])


def action_url(application, action):
    return reverse(f"mtr:application-{action}", args=[application.pk])


def entry_url(entry, action="detail"):
    return reverse(f"mtr:entry-{action}", args=[entry.number])


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def codes_on(response) -> list[str]:
    """The tracking codes of the queue's rows, in order."""
    return re.findall(r'<a href="/mtr/applications/\d+/">([0-9A-Z-]{14})</a>', response.text)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(english, processor):
    english.force_login(processor)
    return english


@pytest.fixture
def other_processor(make_user):
    return make_user(
        roles.MTR_PROCESSOR, username="other_processor", first_name="Olev", last_name="Teine"
    )


@pytest.fixture
def viewer(clerk):
    """A clerk sees the applications and the register (to answer callers), may not act."""
    return clerk


@pytest.fixture
def outsider(make_user):
    """Staff without any MTR permission (an asset manager)."""
    return make_user(roles.ASSET_MANAGER, username="asset_manager")


@pytest.fixture
def application(make_application):
    return make_application(files=[("plan", pdf_file())])


@pytest.fixture
def in_review(application, processor):
    return services.application_claim(actor=processor, application=application)


@pytest.fixture
def entry(in_review, processor):
    application = services.application_decide(
        actor=processor, application=in_review, grant=True, reason=""
    )
    return application.entry


def reload(obj):
    obj.refresh_from_db()
    return obj


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Access ---------------------------------------------------------------------------------------


GET_VIEWS = [
    ("application-list", lambda a, e: reverse(LIST)),
    ("application-detail", lambda a, e: detail_url(a)),
    (
        "application-file",
        lambda a, e: reverse("mtr:application-file", args=[a.pk, a.attachments.first().pk]),
    ),
    ("application-receipt", lambda a, e: action_url(a, "receipt")),
    ("application-decision", lambda a, e: action_url(a, "decision")),
    ("entry-list", lambda a, e: reverse(ENTRIES)),
    ("entry-detail", lambda a, e: entry_url(e)),
]
POST_VIEWS = [
    ("claim", lambda a, e: action_url(a, "claim")),
    ("assign", lambda a, e: action_url(a, "assign")),
    ("request-data", lambda a, e: action_url(a, "request-data")),
    ("decide", lambda a, e: action_url(a, "decide")),
    ("withdraw", lambda a, e: action_url(a, "withdraw")),
    ("entry-suspend", lambda a, e: entry_url(e, "suspend")),
    ("entry-reinstate", lambda a, e: entry_url(e, "reinstate")),
    ("entry-terminate", lambda a, e: entry_url(e, "terminate")),
]


@pytest.mark.parametrize(
    ("name", "url"), GET_VIEWS + POST_VIEWS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, entry, name, url):
    application = entry.applications.get()
    target = url(application, entry)
    response = client.post(target) if (name, url) in POST_VIEWS else client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "url"), GET_VIEWS + POST_VIEWS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_staff_without_mtr_permissions_get_403_everywhere(client, outsider, entry, name, url):
    application = entry.applications.get()
    client.force_login(outsider)
    target = url(application, entry)
    response = client.post(target) if (name, url) in POST_VIEWS else client.get(target)
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "url"), POST_VIEWS, ids=lambda v: v if isinstance(v, str) else "")
def test_a_user_who_may_only_look_gets_403_on_every_action(client, viewer, entry, name, url):
    application = entry.applications.get()
    client.force_login(viewer)
    response = client.post(url(application, entry), {"reason": "x"})
    assert response.status_code == 403
    assert reload(entry).status == Entry.Status.VALID


def test_a_user_who_may_only_look_sees_the_pages_without_actions(
    english, viewer, make_application, entry
):
    waiting = make_application(business_name="Ootel OÜ", registry_code=registry_code(7))
    english.force_login(viewer)
    assert english.get(reverse(LIST)).status_code == 200
    page = english.get(detail_url(waiting))
    assert page.status_code == 200
    assert "Ootel OÜ" in page.text
    for action in ("claim", "assign", "withdraw", "decide", "request-data"):
        assert action_url(waiting, action) not in page.text
    entry_page = english.get(entry_url(entry))
    assert entry_page.status_code == 200
    assert entry_url(entry, "suspend") not in entry_page.text


def test_actions_are_post_only(signed_in, application):
    assert signed_in.get(action_url(application, "claim")).status_code == 405


# --- The queue ------------------------------------------------------------------------------------


@pytest.fixture
def fast_area(db):
    return ActivityArea.objects.create(
        code="pyrotehnika",
        name_et="Pürotehnika",
        name_en="Pyrotechnics",
        name_ru="Пиротехника",
        emtak_code="47781",
        kind=Kind.LICENCE,
        number_prefix="PYR",
        processing_days=10,
    )


def test_the_queue_shows_open_applications_soonest_deadline_first_none_last(
    signed_in, processor, make_application, licence_area, fast_area, notice_area
):
    slow = make_application(business_name="Aeglane OÜ", registry_code=registry_code(11))
    notice = make_application(
        area=notice_area, business_name="Teade OÜ", registry_code=registry_code(12)
    )
    fast = make_application(
        area=fast_area, business_name="Kiire OÜ", registry_code=registry_code(13)
    )
    slow_twin = make_application(business_name="Aeglane Kaks OÜ", registry_code=registry_code(14))
    withdrawn = make_application(business_name="Loobunud OÜ", registry_code=registry_code(15))
    services.application_withdraw(actor=processor, application=withdrawn, reason="Kiri")

    response = signed_in.get(reverse(LIST))

    assert response.status_code == 200
    assert codes_on(response) == [
        a.tracking_code_display for a in (fast, slow, slow_twin, notice)
    ]  # the same deadline: the earlier submitted first
    assert "Loobunud OÜ" not in response.text


def test_the_queue_filters_by_status_area_type_and_processor(
    signed_in, processor, other_processor, make_application, fast_area
):
    mine = make_application(business_name="Minu OÜ", registry_code=registry_code(21))
    services.application_claim(actor=processor, application=mine)
    theirs = make_application(business_name="Nende OÜ", registry_code=registry_code(22))
    services.application_claim(actor=other_processor, application=theirs)
    nobody = make_application(
        area=fast_area, business_name="Kellegi OÜ", registry_code=registry_code(23)
    )
    asked = make_application(business_name="Küsitud OÜ", registry_code=registry_code(24))
    services.application_claim(actor=processor, application=asked)
    services.application_request_data(actor=processor, application=asked, text="Lisa plaan")
    refused = make_application(business_name="Keeldutud OÜ", registry_code=registry_code(25))
    services.application_claim(actor=processor, application=refused)
    services.application_decide(actor=processor, application=refused, grant=False, reason="Ei")

    def names(**query):
        response = signed_in.get(reverse(LIST), query)
        assert response.status_code == 200
        return {
            a.business_name
            for a in (mine, theirs, nobody, asked, refused)
            if a.tracking_code_display in codes_on(response)
        }

    assert names() == {"Minu OÜ", "Nende OÜ", "Kellegi OÜ", "Küsitud OÜ"}
    assert names(status="deficient") == {"Küsitud OÜ"}
    assert names(status="refused") == {"Keeldutud OÜ"}
    assert len(names(status="all")) == 5
    assert names(area=fast_area.pk) == {"Kellegi OÜ"}
    assert names(type="change") == set()
    assert names(assignee="mine") == {"Minu OÜ", "Küsitud OÜ"}
    assert names(assignee="none") == {"Kellegi OÜ"}
    assert names(assignee=str(other_processor.pk)) == {"Nende OÜ"}


def test_the_queue_filters_by_days_left(signed_in, make_application):
    today = timezone.localdate()
    late = make_application(business_name="Hiline OÜ", registry_code=registry_code(31))
    soon = make_application(business_name="Varsti OÜ", registry_code=registry_code(32))
    later = make_application(business_name="Hiljem OÜ", registry_code=registry_code(33))
    Application.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=2))
    Application.objects.filter(pk=soon.pk).update(deadline=today + timedelta(days=3))
    Application.objects.filter(pk=later.pk).update(deadline=today + timedelta(days=20))

    def codes(due):
        return codes_on(signed_in.get(reverse(LIST), {"due": due}))

    assert codes("overdue") == [late.tracking_code_display]
    assert codes("soon") == [soon.tracking_code_display]
    assert codes("later") == [later.tracking_code_display]
    response = signed_in.get(reverse(LIST))
    assert "2 days overdue" in response.text
    assert "due in 3 days" in response.text
    assert "20 days left" in response.text


def test_the_queue_searches_tracking_code_business_and_registry_code(signed_in, make_application):
    first = make_application(business_name="Õunapuu Valve OÜ", registry_code=registry_code(41))
    second = make_application(business_name="Kaitse AS", registry_code=registry_code(42))

    def codes(q):
        return codes_on(signed_in.get(reverse(LIST), {"q": q}))

    typed = first.tracking_code_display.lower().replace("-", " ")
    assert codes(typed) == [first.tracking_code_display]
    assert codes("õunapuu") == [first.tracking_code_display]
    assert codes(registry_code(42)) == [second.tracking_code_display]
    assert codes("Olematu") == []


def test_the_queue_counts_applications_per_status(signed_in, processor, make_application):
    for n in range(3):
        make_application(registry_code=registry_code(50 + n))
    claimed = make_application(registry_code=registry_code(60))
    services.application_claim(actor=processor, application=claimed)

    response = signed_in.get(reverse(LIST))

    counts = {link["key"]: link["count"] for link in response.context["status_links"]}
    assert counts["open"] == 4
    assert counts["received"] == 3
    assert counts["in_review"] == 1
    assert counts["all"] == 4


def test_the_queue_runs_the_same_queries_for_3_and_40_rows_and_pages_by_25(
    signed_in,
    processor,
    other_processor,
    make_application,
    fast_area,
    django_assert_max_num_queries,
):
    def add(n):
        application = make_application(
            business_name=f"Firma {n} OÜ",
            registry_code=registry_code(100 + n),
            **({"area": fast_area} if n % 2 else {}),
        )
        if n % 3 == 0:
            services.application_claim(
                actor=processor if n % 2 else other_processor, application=application
            )

    for n in range(3):
        add(n)
    with CaptureQueriesContext(connection) as few:
        response = signed_in.get(reverse(LIST))
    assert len(codes_on(response)) == 3
    for n in range(3, 40):
        add(n)

    with django_assert_max_num_queries(len(few)):
        response = signed_in.get(reverse(LIST))
    assert len(codes_on(response)) == 25
    with django_assert_max_num_queries(len(few)):
        second = signed_in.get(reverse(LIST) + response.context["page"].links["next"])
    assert len(codes_on(second)) == 15
    assert not set(codes_on(second)) & set(codes_on(response))
    # An old link to a numbered page gives the first page.
    assert codes_on(signed_in.get(reverse(LIST), {"page": 2})) == codes_on(response)


# --- One application ------------------------------------------------------------------------------


def test_the_page_shows_what_the_applicant_gave(signed_in, application):
    response = signed_in.get(detail_url(application))

    assert response.status_code == 200
    text = response.text
    for expected in (
        application.tracking_code_display,
        "Pärnu Valve OÜ",
        application.registry_code,
        "Rüütli 25, 80010 Pärnu",
        "Kristjan Õunapuu",
        "info@valve.example.ee",
        "Ranna pst 5, Pärnu",
        "Security services",
        "Number of security staff",
        "Security plan",
        "plaan.pdf",
    ):
        assert expected in text, expected
    attachment = application.attachments.get()
    assert reverse("mtr:application-file", args=[application.pk, attachment.pk]) in text
    assert action_url(application, "receipt") in text
    assert "registered" in text.lower()  # the timeline


def test_a_file_downloads_only_through_its_own_application(
    signed_in, application, make_application
):
    attachment = application.attachments.get()
    other = make_application(registry_code=registry_code(2))

    response = signed_in.get(reverse("mtr:application-file", args=[application.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    wrong = signed_in.get(reverse("mtr:application-file", args=[other.pk, attachment.pk]))
    assert wrong.status_code == 404


def test_the_receipt_downloads_as_a_pdf(signed_in, application):
    response = signed_in.get(action_url(application, "receipt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert application.tracking_code_display in pdf_text(response.content)


def test_the_decision_letter_is_404_before_a_decision(signed_in, application):
    assert signed_in.get(action_url(application, "decision")).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(
    signed_in, in_review, processor, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as before:
        signed_in.get(detail_url(in_review))
    services.application_request_data(actor=processor, application=in_review, text="Plaan")
    services.application_answer_deficiency(
        application=in_review, answer="Lisatud", files=[pdf_file("a.pdf"), pdf_file("b.pdf")]
    )
    services.application_request_data(actor=processor, application=in_review, text="Veel")

    with django_assert_max_num_queries(len(before) + 1):  # + the processors of the assign form
        response = signed_in.get(detail_url(in_review))
    assert response.text.count("/files/") == 3


# --- Actions --------------------------------------------------------------------------------------


def test_claim_takes_the_application_into_review_for_me(signed_in, processor, application):
    page = signed_in.get(detail_url(application))
    assert "Take into review" in page.text

    response = signed_in.post(action_url(application, "claim"), follow=True)

    application = reload(application)
    assert application.status == Status.IN_REVIEW
    assert application.assignee == processor
    assert "The application is in review and assigned to you." in message_texts(response)
    assert "Take into review" not in response.text


def test_assign_gives_the_application_to_another_processor(signed_in, application, other_processor):
    response = signed_in.post(
        action_url(application, "assign"), {"assign-assignee": other_processor.pk}, follow=True
    )

    assert reload(application).assignee == other_processor
    assert "The application is assigned to Olev Teine." in message_texts(response)


def test_assign_refuses_someone_who_is_not_a_processor(signed_in, application, clerk):
    response = signed_in.post(action_url(application, "assign"), {"assign-assignee": clerk.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert reload(application).assignee is None


def test_request_data_then_the_answer_shows_on_the_page(signed_in, in_review):
    page = signed_in.get(detail_url(in_review))
    default_due = services.deficiency_answer_by()
    assert f'value="{default_due:%d.%m.%Y}"' in page.text

    due = calendar.registration_day(timezone.localdate() + timedelta(days=10))
    response = signed_in.post(
        action_url(in_review, "request-data"),
        {"request-text": "Lisage turvaplaan.", "request-due_on": due.isoformat()},
        follow=True,
    )

    assert reload(in_review).status == Status.DEFICIENT
    request = DeficiencyRequest.objects.get(application=in_review)
    assert request.due_on == due
    assert "Lisage turvaplaan." in response.text
    assert "not answered yet" in response.text

    services.application_answer_deficiency(
        application=in_review, answer="Plaan on lisatud.", files=[pdf_file("turvaplaan.pdf")]
    )
    page = signed_in.get(detail_url(in_review))
    assert "Plaan on lisatud." in page.text
    answer_file = request.attachments.get()
    assert reverse("mtr:application-file", args=[in_review.pk, answer_file.pk]) in page.text
    assert reload(in_review).status == Status.IN_REVIEW


def test_tsus_136_the_answer_date_for_missing_data_is_offered_as_a_working_day_in_dd_mm_yyyy(
    signed_in, in_review, time_machine
):
    """TsÜS § 136 (core.terms): on Saturday 5 December 2026, 14 days on is Saturday 19
    December, so the form offers Monday 21 December, typed as every date of the portal is
    (it offered the Saturday, in a date picker that an English browser showed as 12/19/2026)."""
    time_machine.move_to(datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo("Europe/Tallinn")))
    page = signed_in.get(detail_url(in_review))
    field = re.search(r'<input[^>]*name="request-due_on"[^>]*>', page.text).group(0)
    assert 'value="21.12.2026"' in field
    assert 'type="text"' in field
    assert 'placeholder="dd.mm.yyyy"' in field


def test_tsus_136_an_answer_date_typed_on_a_day_off_moves_to_the_next_working_day(
    signed_in, in_review, time_machine
):
    time_machine.move_to(datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo("Europe/Tallinn")))
    response = signed_in.post(
        action_url(in_review, "request-data"),
        {"request-text": "Lisage turvaplaan.", "request-due_on": "26.12.2026"},
        follow=True,
    )
    # Boxing Day, then Sunday: the applicant has until Monday 28 December.
    assert DeficiencyRequest.objects.get(application=in_review).due_on == date(2026, 12, 28)
    assert "28.12.2026" in response.text


def test_request_data_without_text_keeps_the_date_and_says_what_is_missing(signed_in, in_review):
    due = timezone.localdate() + timedelta(days=5)
    response = signed_in.post(
        action_url(in_review, "request-data"),
        {"request-text": "", "request-due_on": due.isoformat()},
    )

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert f'value="{due:%Y-%m-%d}"' in response.text
    assert reload(in_review).status == Status.IN_REVIEW


def test_granting_a_licence_makes_an_entry_and_the_decision_letter(
    signed_in, in_review, processor, django_capture_on_commit_callbacks
):
    page = signed_in.get(detail_url(in_review))
    assert "Grant the licence" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            action_url(in_review, "decide"),
            {"decide-decision": "grant", "decide-reason": "Nõuded on täidetud."},
            follow=True,
        )

    application = reload(in_review)
    assert application.status == Status.GRANTED
    assert re.fullmatch(r"KTO\d{6}", application.entry.number)
    assert application.decided_by == processor
    assert application.decision_pdf_status == PdfStatus.READY
    assert f"The licence was granted: entry {application.entry.number}." in message_texts(response)
    page = signed_in.get(detail_url(application))
    assert "Nõuded on täidetud." in page.text
    assert action_url(application, "decision") in page.text
    assert entry_url(application.entry) in page.text

    letter = signed_in.get(action_url(application, "decision"))
    assert letter.status_code == 200
    text = pdf_text(letter.content)
    assert "Pärnu Valve OÜ" in text
    assert application.entry.number in text


def test_the_letter_being_prepared_says_so_with_a_link_to_reload(signed_in, in_review, processor):
    services.application_decide(
        actor=processor, application=in_review, grant=False, reason="Puudulik"
    )  # the task waits for the commit that the test never makes
    assert reload(in_review).decision_pdf_status == PdfStatus.PENDING

    page = signed_in.get(detail_url(in_review))

    assert "The decision letter is being prepared." in page.text
    assert f'href="{detail_url(in_review)}#decision"' in page.text
    assert "http-equiv" not in page.text


def test_a_failed_letter_is_shown(signed_in, in_review, processor):
    services.application_decide(actor=processor, application=in_review, grant=False, reason="Ei")
    services.decision_letter_failed(application_id=in_review.pk, error="boom")

    page = signed_in.get(detail_url(in_review))

    assert "The decision letter could not be made." in page.text


def test_a_refusal_needs_reasons(signed_in, in_review):
    response = signed_in.post(
        action_url(in_review, "decide"), {"decide-decision": "refuse", "decide-reason": "  "}
    )

    assert response.status_code == 200
    assert "Give the reasons for the refusal." in response.text
    assert "Nothing was changed: see the messages below." in message_texts(response)
    assert reload(in_review).status == Status.IN_REVIEW


def test_a_refusal_is_recorded_with_its_reasons(
    signed_in, in_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            action_url(in_review, "decide"),
            {"decide-decision": "refuse", "decide-reason": "Turvaplaan puudub."},
            follow=True,
        )

    application = reload(in_review)
    assert application.status == Status.REFUSED
    assert application.entry is None
    assert "The application was refused." in message_texts(response)
    letter = signed_in.get(action_url(application, "decision"))
    assert "Turvaplaan puudub." in pdf_text(letter.content)


def test_deciding_twice_leaves_one_entry(signed_in, in_review):
    data = {"decide-decision": "grant", "decide-reason": ""}
    signed_in.post(action_url(in_review, "decide"), data)
    response = signed_in.post(action_url(in_review, "decide"), data, follow=True)

    assert Entry.objects.count() == 1
    assert reload(in_review).status == Status.GRANTED
    assert "This cannot be done when the status is “granted”." in message_texts(response)


def test_a_notice_in_effect_is_checked_not_decided(signed_in, make_application, notice_area):
    """MSÜS: the notice was entered on submission; its page offers the check afterwards, and
    neither a grant nor a refusal (a refusal posted all the same changes nothing)."""
    notice = make_application(area=notice_area, data={})
    assert notice.status == Status.ENTERED
    assert re.fullmatch(r"HMR\d{6}", notice.entry.number)
    page = signed_in.get(detail_url(notice))
    assert "took effect on submission" in page.text
    assert "Enter in the register" not in page.text
    assert ">Refuse<" not in page.text
    assert action_url(notice, "check") in page.text

    response = signed_in.post(
        action_url(notice, "decide"),
        {"decide-decision": "refuse", "decide-reason": "Ei sobi"},
        follow=True,
    )
    assert message_texts(response) == [
        "This cannot be done when the status is “entered, to be checked”."
    ]
    assert reload(notice).status == Status.ENTERED

    response = signed_in.post(
        action_url(notice, "check"), {"check-note": "Äriregistri andmed klapivad."}, follow=True
    )
    assert "The notice is marked as checked." in message_texts(response)
    notice = reload(notice)
    assert notice.status == Status.CHECKED
    assert notice.entry.status == Entry.Status.VALID


def test_actions_the_status_does_not_allow_are_refused_and_change_nothing(
    signed_in, application, processor
):
    page = signed_in.get(detail_url(application))
    assert action_url(application, "request-data") not in page.text
    assert action_url(application, "decide") not in page.text  # a received licence

    for action, data in (
        ("request-data", {"request-text": "Midagi", "request-due_on": "2099-01-01"}),
        ("decide", {"decide-decision": "grant", "decide-reason": ""}),
    ):
        response = signed_in.post(action_url(application, action), data, follow=True)
        assert "This cannot be done when the status is “received”." in message_texts(response)
    assert reload(application).status == Status.RECEIVED
    assert not DeficiencyRequest.objects.exists()

    services.application_withdraw(actor=processor, application=application, reason="Kiri")
    for action in ("claim", "assign", "withdraw"):
        response = signed_in.post(
            action_url(application, action),
            {"assign-assignee": processor.pk, "withdraw-reason": "x"},
            follow=True,
        )
        assert "This cannot be done when the status is “withdrawn”." in message_texts(response)
    assert reload(application).assignee is None


def test_waiting_for_missing_data_nothing_is_decided_until_the_answer_date_passes(
    signed_in, in_review, processor
):
    """HMS § 15(2): while missing data is awaited neither a grant nor a refusal is offered, and
    leaving the application unexamined is offered only once the answer date has passed."""
    services.application_request_data(actor=processor, application=in_review, text="Plaan")
    page = signed_in.get(detail_url(in_review))
    assert "Grant the licence" not in page.text
    assert ">Refuse<" not in page.text
    assert action_url(in_review, "unexamined") not in page.text

    for action, data in (
        ("decide", {"decide-decision": "refuse", "decide-reason": "Puudub"}),
        ("unexamined", {"unexamined-reason": "Ei vastanud"}),
    ):
        response = signed_in.post(action_url(in_review, action), data, follow=True)
        assert reload(in_review).status == Status.DEFICIENT
    due = reload(in_review).deficiencies.get().due_on
    assert message_texts(response) == [
        f"The applicant may answer until {due.strftime('%d.%m.%Y')}."
    ]


def test_withdraw_at_the_applicants_request_needs_a_reason(signed_in, application):
    response = signed_in.post(action_url(application, "withdraw"), {"withdraw-reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert reload(application).status == Status.RECEIVED

    response = signed_in.post(
        action_url(application, "withdraw"),
        {"withdraw-reason": "E-kiri 3. märtsist"},
        follow=True,
    )

    assert reload(application).status == Status.WITHDRAWN
    assert "The application was withdrawn." in message_texts(response)
    assert "E-kiri 3. märtsist" in response.text  # on the timeline


def test_the_timeline_names_what_happened(signed_in, in_review):
    page = signed_in.get(detail_url(in_review))
    assert "received → in review" in page.text
    assert "Piret Töö" in page.text


def test_the_queue_remembers_its_processors_and_shows_a_new_one_at_once(signed_in, make_user):
    """The processor filter's options are read once (core.choices.remembered_choices), and a
    new processor (a role given: a change of group membership) is among them on the next page."""
    signed_in.get(reverse(LIST))
    with CaptureQueriesContext(connection) as again:
        response = signed_in.get(reverse(LIST))
    assert not [q for q in again.captured_queries if 'SELECT DISTINCT "core_user"' in q["sql"]]
    assert ">Piret Töö</option>" in response.text
    make_user(roles.MTR_PROCESSOR, username="newcomer", first_name="Uus", last_name="Tulija")
    assert ">Uus Tulija</option>" in signed_in.get(reverse(LIST)).text
    assert codes_on(signed_in.get(reverse(LIST), {"assignee": "nobody"})) == []
    assert (
        "nobody is not one of the available choices"
        in signed_in.get(reverse(LIST), {"assignee": "nobody"}).text
    )


# --- The register of entries ----------------------------------------------------------------------


def test_the_register_lists_and_filters_entries(
    signed_in, processor, make_application, notice_area, entry
):
    notice = make_application(
        area=notice_area, business_name="Mere Hotell OÜ", registry_code=registry_code(3), data={}
    )
    hotel = reload(notice).entry  # a notice is in the register from its submission
    services.entry_suspend(actor=processor, entry=hotel, reason="Kontroll")

    def numbers(**query):
        response = signed_in.get(reverse(ENTRIES), query)
        assert response.status_code == 200
        return re.findall(r'<a href="/mtr/register/[A-Z0-9]+/">([A-Z]+\d+)</a>', response.text)

    assert numbers() == sorted([entry.number, hotel.number])
    assert numbers(status="suspended") == [hotel.number]
    assert numbers(area=notice_area.pk) == [hotel.number]
    assert numbers(q="mere") == [hotel.number]
    assert numbers(q=entry.number.lower()) == [entry.number]
    assert numbers(q=registry_code(3)) == [hotel.number]


def test_a_word_naming_too_many_businesses_is_searched_across_the_join(
    signed_in, processor, make_application, notice_area, entry, monkeypatch
):
    monkeypatch.setattr(filters, "BUSINESSES_LOOKED_UP", 1)
    for n in (3, 4):
        make_application(
            area=notice_area, business_name=f"Mere Hotell {n} OÜ", registry_code=registry_code(n)
        )
    response = signed_in.get(reverse(ENTRIES), {"q": "mere hotell"})
    assert len(re.findall(r'<a href="/mtr/register/[A-Z0-9]+/">', response.text)) == 2
    response = signed_in.get(reverse(ENTRIES), {"q": registry_code(4)})
    assert len(re.findall(r'<a href="/mtr/register/[A-Z0-9]+/">', response.text)) == 1


def test_the_register_runs_the_same_queries_for_few_and_many_entries(
    signed_in, processor, make_application, notice_area, django_assert_max_num_queries
):
    def add(n):
        make_application(
            area=notice_area, business_name=f"Maja {n}", registry_code=registry_code(200 + n)
        )

    add(0)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse(ENTRIES))
    for n in range(1, 30):
        add(n)

    with django_assert_max_num_queries(len(few)):
        response = signed_in.get(reverse(ENTRIES))
    assert response.text.count('href="/mtr/register/HMR') == 25


def test_the_entry_page_shows_its_data_applications_and_history(signed_in, entry):
    application = entry.applications.get()

    response = signed_in.get(entry_url(entry))

    assert response.status_code == 200
    for expected in (
        entry.number,
        "Pärnu Valve OÜ",
        "Security services",
        "Number of security staff",
        "Ranna pst 5, Pärnu",
        application.tracking_code_display,
        detail_url(application),
        f"application {application.tracking_code_display}",  # the history
    ):
        assert expected in response.text, expected


def test_an_entry_is_suspended_reinstated_and_terminated(signed_in, entry):
    page = signed_in.get(entry_url(entry))
    assert entry_url(entry, "suspend") in page.text
    assert entry_url(entry, "reinstate") not in page.text

    response = signed_in.post(
        entry_url(entry, "suspend"), {"suspend-reason": "Ettekirjutus"}, follow=True
    )
    assert reload(entry).status == Entry.Status.SUSPENDED
    assert f"The entry {entry.number} is suspended." in message_texts(response)
    assert entry_url(entry, "reinstate") in response.text

    signed_in.post(entry_url(entry, "reinstate"), {"reinstate-reason": "Täidetud"})
    assert reload(entry).status == Entry.Status.VALID

    response = signed_in.post(
        entry_url(entry, "terminate"), {"terminate-reason": "Tegevus lõpetatud"}, follow=True
    )
    entry = reload(entry)
    assert entry.status == Entry.Status.INVALID
    assert entry.valid_to == timezone.localdate()
    assert "Tegevus lõpetatud" in response.text
    assert entry_url(entry, "suspend") not in response.text


def test_an_entry_action_needs_a_reason_and_the_right_status(signed_in, entry):
    response = signed_in.post(entry_url(entry, "suspend"), {"suspend-reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text

    response = signed_in.post(
        entry_url(entry, "reinstate"), {"reinstate-reason": "Miks?"}, follow=True
    )
    assert "This cannot be done when the status is “valid”." in message_texts(response)
    assert reload(entry).status == Entry.Status.VALID


def test_a_wrong_status_in_the_query_shows_the_open_applications(
    signed_in, processor, make_application
):
    open_one = make_application(registry_code=registry_code(70))
    withdrawn = make_application(registry_code=registry_code(71))
    services.application_withdraw(actor=processor, application=withdrawn, reason="Kiri")

    response = signed_in.get(reverse(LIST), {"status": "bogus"})

    assert codes_on(response) == [open_one.tracking_code_display]
