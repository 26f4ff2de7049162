"""Delivery of MTR decisions (mtr.delivery, core.terms): the personal link in the decision e-mail,
the server's acceptance kept as evidence, the first delivery setting the date for good, the
processor recording a delivery by other means, and what the staff and public pages say about the
delivery and the challenge period.

The decisions are made on Monday 24 November 2025 (Tallinn): a decision delivered that day may be
challenged until Monday 29 December 2025 (the 30th day, 24 December, is Christmas Eve; then
Christmas, Boxing Day and a weekend)."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import jobs, roles
from core.models import Event, Job, OutboundEmail
from core.services import email_job_key
from core.terms import DeliveryMethod
from mtr import delivery, services
from mtr.models import Application, DecisionDelivery
from tests.core.test_jobs import smtp_server  # noqa: F401 (a fixture: aiosmtpd on a free port)
from tests.mtr.conftest import registry_code

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
DECIDED = datetime(2025, 11, 24, 10, 0, tzinfo=TALLINN)
DECIDED_ON = "24.11.2025"
UNTIL = "29.12.2025"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(DECIDED)
    return time_machine


@pytest.fixture
def decided(now, make_application, processor, django_capture_on_commit_callbacks):
    """A licence granted through the services: letter made, registered, e-mailed (eager jobs),
    the outbox's callback run."""
    application = make_application(language="en")
    services.application_claim(actor=processor, application=application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=processor, application=application, grant=True, reason="Nõuded on täidetud."
        )
    application.refresh_from_db()
    assert application.decision_pdf_status == "ready"
    return application


def link_url(application) -> str:
    return reverse("mtr:decision-link", args=[application.decision_token])


def pdf_url(application) -> str:
    return reverse("mtr:decision-link-pdf", args=[application.decision_token])


def in_language(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


def rows(application):
    return list(DecisionDelivery.objects.filter(application=application).order_by("id"))


# --- The e-mail and its evidence --------------------------------------------------------------


def test_the_decision_email_carries_the_personal_link(decided):
    [email] = [m for m in mail.outbox if m.to == ["info@valve.example.ee"]]
    assert decided.decision_token
    assert f"http://testserver{link_url(decided)}" in email.body or link_url(decided) in email.body
    assert "confirm that you have received it" in email.body
    assert "within 30 days of the day it is delivered to you" in email.body


def test_the_servers_acceptance_is_evidence_not_delivery(decided):
    [accepted] = rows(decided)
    email = OutboundEmail.objects.get(key=f"mtr-decision-{decided.pk}")

    assert email.status == OutboundEmail.Status.SENT
    assert accepted.method == DeliveryMethod.EMAIL_ACCEPTED
    assert accepted.counts is False
    assert accepted.set_the_date is False
    assert accepted.evidence["message_id"].startswith(f"<kantselei.email.{email.pk}.")
    assert accepted.evidence["to"] == ["info@valve.example.ee"]
    assert accepted.recorded_by is None
    assert decided.decision_delivered_on is None
    assert decided.challenge_until is None


def test_the_outbox_callback_twice_records_one_row(decided):
    email = OutboundEmail.objects.get(key=f"mtr-decision-{decided.pk}")

    delivery.decision_email_outcome(email_id=email.pk)
    delivery.decision_email_outcome(email_id=email.pk)

    assert len(rows(decided)) == 1


def test_a_failed_email_records_nothing(decided):
    email = OutboundEmail.objects.get(key=f"mtr-decision-{decided.pk}")
    DecisionDelivery.objects.filter(application=decided).delete()
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.FAILED)

    assert delivery.decision_email_outcome(email_id=email.pk) is None
    assert rows(decided) == []


# --- Recording: the first delivery wins ------------------------------------------------------


def test_confirming_through_the_link_delivers_the_decision_once(decided):
    first = delivery.decision_link_confirm(application=decided, user_agent="Firefox")
    again = delivery.decision_link_confirm(application=decided, user_agent="Firefox")

    decided.refresh_from_db()
    assert again.pk == first.pk
    assert first.set_the_date
    assert first.counts
    assert decided.decision_delivered_on == date(2025, 11, 24)
    assert decided.decision_delivered_via == DeliveryMethod.LINK_OPENED
    assert decided.challenge_until == date(2025, 12, 29)
    assert [r.method for r in rows(decided)] == ["email_accepted", "link_opened"]
    assert Event.objects.filter(verb="decision_delivered").count() == 1


def test_a_later_delivery_is_evidence_and_does_not_move_the_date(decided, processor, now):
    delivery.decision_delivery_enter(
        actor=processor,
        application=decided,
        method=DeliveryMethod.IN_PERSON,
        delivered_on=date(2025, 11, 24),
        note="Allkirjastatud kättesaamisteatis",
    )
    now.move_to(datetime(2025, 12, 2, 9, 0, tzinfo=TALLINN))
    later = delivery.decision_delivery_enter(
        actor=processor,
        application=decided,
        method=DeliveryMethod.REGISTERED_POST,
        delivered_on=date(2025, 12, 1),
    )
    link = delivery.decision_link_confirm(application=decided)

    decided.refresh_from_db()
    assert decided.decision_delivered_on == date(2025, 11, 24)
    assert decided.decision_delivered_via == DeliveryMethod.IN_PERSON
    assert later.counts
    assert not later.set_the_date
    assert link.counts
    assert not link.set_the_date
    assert len(rows(decided)) == 4
    verbs = list(
        Event.objects.filter(verb__in=["decision_delivered", "delivery_recorded"])
        .order_by("id")
        .values_list("verb", flat=True)
    )
    # the e-mail's acceptance, the hand delivery (the date), the notice, the link
    assert verbs == ["delivery_recorded", "decision_delivered", *["delivery_recorded"] * 2]


def test_only_one_row_can_hold_the_delivery_date(decided):
    delivery.decision_link_confirm(application=decided)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionDelivery.objects.create(
            application=decided,
            method=DeliveryMethod.IN_PERSON,
            delivered_on=date(2025, 11, 24),
            counts=True,
            set_the_date=True,
        )


@pytest.mark.parametrize(
    ("method", "delivered_on", "note", "field"),
    [
        (DeliveryMethod.REGISTERED_POST, date(2025, 11, 25), "", "delivered_on"),  # tomorrow
        (DeliveryMethod.REGISTERED_POST, date(2025, 11, 23), "", "delivered_on"),  # before it
        (DeliveryMethod.DEEMED, date(2025, 11, 24), "", "note"),  # deemed without a basis
        (DeliveryMethod.EMAIL_ACCEPTED, date(2025, 11, 24), "", "method"),  # not by hand
        (DeliveryMethod.LINK_OPENED, date(2025, 11, 24), "", "method"),  # not by hand
    ],
)
def test_a_wrong_entry_is_refused_and_changes_nothing(
    decided, processor, method, delivered_on, note, field
):
    with pytest.raises(ValidationError) as error:
        delivery.decision_delivery_enter(
            actor=processor,
            application=decided,
            method=method,
            delivered_on=delivered_on,
            note=note,
        )
    assert field in error.value.message_dict
    decided.refresh_from_db()
    assert decided.decision_delivered_on is None
    assert len(rows(decided)) == 1  # the e-mail's evidence only


def test_a_deemed_delivery_keeps_its_legal_basis(decided, processor):
    recorded = delivery.decision_delivery_enter(
        actor=processor,
        application=decided,
        method=DeliveryMethod.DEEMED,
        delivered_on=date(2025, 11, 24),
        note="HMS § 31: teade Ametlikes Teadaannetes",
    )
    assert recorded.set_the_date
    assert recorded.note == "HMS § 31: teade Ametlikes Teadaannetes"
    assert recorded.recorded_by == processor


def test_only_a_processor_may_record_a_delivery(decided, clerk):
    with pytest.raises(PermissionDenied):
        delivery.decision_delivery_enter(
            actor=clerk,
            application=decided,
            method=DeliveryMethod.REGISTERED_POST,
            delivered_on=date(2025, 11, 24),
        )
    decided.refresh_from_db()
    assert decided.decision_delivered_on is None


def test_an_entered_notice_has_no_decision_to_deliver(now, make_application, notice_area):
    application = make_application(area=notice_area, registry_code=registry_code(7))
    from tests.factories import UserFactory

    processor = UserFactory(roles=[roles.MTR_PROCESSOR], username="p2")
    services.application_check(actor=processor, application=application, note="")
    with pytest.raises(ValidationError):
        delivery.decision_link_confirm(application=application)
    assert delivery.delivery_state(application)["needed"] is False


# --- The personal page ------------------------------------------------------------------------


def test_opening_the_link_records_nothing_until_the_person_confirms(client, decided):
    page = in_language(client, "en").get(link_url(decided))
    head = client.head(link_url(decided))
    early_pdf = client.get(pdf_url(decided))

    assert page.status_code == 200
    assert head.status_code == 200
    assert "I have received the decision" in page.text
    assert "The challenge period starts when the decision is delivered." in page.text
    assert page["Referrer-Policy"] == "no-referrer"
    assert early_pdf.status_code == 302
    assert early_pdf.url == link_url(decided)
    decided.refresh_from_db()
    assert decided.decision_delivered_on is None
    assert [r.method for r in rows(decided)] == ["email_accepted"]


def test_confirming_on_the_page_delivers_and_shows_the_period(client, decided):
    in_language(client, "en")
    response = client.post(link_url(decided), HTTP_USER_AGENT="Mozilla/5.0 Test")
    again = client.post(link_url(decided))
    page = client.get(response.url)
    download = client.get(pdf_url(decided))

    assert response.status_code == 302
    assert again.status_code == 302
    decided.refresh_from_db()
    assert decided.decision_delivered_on == date(2025, 11, 24)
    assert len([r for r in rows(decided) if r.method == DeliveryMethod.LINK_OPENED]) == 1
    assert rows(decided)[-1].evidence["user_agent"] == "Mozilla/5.0 Test"
    assert f"The decision may be challenged until {UNTIL}." in page.text
    assert DECIDED_ON in page.text
    assert "I have received the decision" not in page.text
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.content)).pages)
    assert decided.business_name in text


def test_a_signed_in_member_of_staff_opening_the_link_records_nothing(client, decided, processor):
    client.force_login(processor)
    in_language(client, "en")
    page = client.get(link_url(decided))
    client.post(link_url(decided))

    assert "does not record its delivery" in page.text
    decided.refresh_from_db()
    assert decided.decision_delivered_on is None


def test_an_unknown_or_undecided_token_is_not_found(client, decided, make_application):
    assert client.get(reverse("mtr:decision-link", args=["x" * 43])).status_code == 404
    assert client.post(reverse("mtr:decision-link", args=["x" * 43])).status_code == 404
    assert client.get(reverse("mtr:decision-link-pdf", args=["x" * 43])).status_code == 404


# --- What the pages show ----------------------------------------------------------------------


def staff_detail(client, application):
    return client.get(reverse("mtr:application-detail", args=[application.pk]))


def cell(html: str, name: str) -> str:
    """The text of the <dd class="… mtr-<name>"> (the delivery rows of both pages)."""
    found = re.search(rf'mtr-{name}">(.*?)</dd>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def delivered_cell(html: str) -> str:
    return cell(html, "delivered")


@pytest.mark.parametrize("language", ["en", "et"])
def test_the_staff_page_shows_the_delivery_and_the_period(client, decided, processor, language):
    client.force_login(processor)
    in_language(client, language)
    before = staff_detail(client, decided)
    delivery.decision_link_confirm(application=decided)
    after = staff_detail(client, decided)

    assert f'<html lang="{language}"' in after.text
    assert "Message-ID" in before.text  # the server's acceptance, as evidence
    assert UNTIL not in cell(before.text, "challenge")
    assert "24.11.2025" in delivered_cell(after.text)
    assert UNTIL in cell(after.text, "challenge")
    if language == "en":
        assert "not yet delivered" in before.text
        assert "Starts when the decision is delivered." in before.text
        assert f"May be challenged until {UNTIL}" in after.text
        assert "opened and confirmed through the personal link" in delivered_cell(after.text)


@pytest.mark.parametrize("language", ["en", "et"])
def test_the_public_status_page_shows_the_delivery_and_the_period(client, decided, language):
    in_language(client, language)
    client.post(
        reverse("mtr:public-status"),
        {"code": decided.tracking_code, "registry_code": decided.registry_code},
    )
    status_url = reverse("mtr:public-status-detail", args=[decided.tracking_code])
    before = client.get(status_url)
    delivery.decision_link_confirm(application=decided)
    after = client.get(status_url)

    assert before.status_code == 200
    assert link_url(decided) in before.text  # "confirm that you have received the decision"
    assert UNTIL not in cell(before.text, "challenge")
    assert f'<html lang="{language}"' in after.text
    assert "24.11.2025" in delivered_cell(after.text)
    assert UNTIL in cell(after.text, "challenge")
    assert link_url(decided) not in after.text
    if language == "en":
        assert "The challenge period starts when the decision is delivered." in before.text
        assert f"The decision may be challenged until {UNTIL}." in after.text


def test_the_staff_page_warns_when_the_decision_is_not_delivered_in_time(
    client, decided, processor, now, settings
):
    settings.DELIVERY_WARNING_DAYS = 7
    client.force_login(processor)
    in_language(client, "en")
    now.move_to(datetime(2025, 11, 30, 10, 0, tzinfo=TALLINN))
    client.force_login(processor)  # a new session: the first has expired meanwhile
    assert "Not delivered 7 days" not in staff_detail(client, decided).text
    now.move_to(datetime(2025, 12, 1, 10, 0, tzinfo=TALLINN))
    client.force_login(processor)
    assert "Not delivered 7 days after the decision" in staff_detail(client, decided).text


# --- The processor's form ---------------------------------------------------------------------


def delivery_post(client, application, **data):
    values = {
        "delivery-method": DeliveryMethod.REGISTERED_POST,
        "delivery-delivered_on": "2025-11-24",
        "delivery-note": "RR123456785EE",
    }
    values.update({f"delivery-{key}": value for key, value in data.items()})
    return client.post(reverse("mtr:application-delivery", args=[application.pk]), values)


def test_a_processor_records_a_registered_post_notice(client, decided, processor):
    client.force_login(processor)
    in_language(client, "en")
    response = delivery_post(client, decided)
    page = client.get(response.url)

    assert response.status_code == 302
    decided.refresh_from_db()
    assert decided.decision_delivered_on == date(2025, 11, 24)
    assert decided.decision_delivered_via == DeliveryMethod.REGISTERED_POST
    assert rows(decided)[-1].recorded_by == processor
    assert f"it may be challenged until {UNTIL}" in page.text
    assert "RR123456785EE" in page.text


def test_a_wrong_date_comes_back_with_its_message(client, decided, processor):
    client.force_login(processor)
    in_language(client, "en")
    response = delivery_post(client, decided, delivered_on="2025-12-31")

    assert response.status_code == 200
    assert "The date cannot be in the future." in response.text
    decided.refresh_from_db()
    assert decided.decision_delivered_on is None


@pytest.mark.parametrize("who", ["clerk", "outsider"])
def test_other_roles_may_not_record_a_delivery(client, decided, make_user, who):
    role = roles.CLERK if who == "clerk" else roles.ASSET_MANAGER
    client.force_login(make_user(role, username=who))

    response = delivery_post(client, decided)

    assert response.status_code == 403
    decided.refresh_from_db()
    assert decided.decision_delivered_on is None


def test_a_clerk_sees_the_delivery_but_not_the_form(client, decided, clerk):
    client.force_login(clerk)
    in_language(client, "en")
    page = staff_detail(client, decided)
    assert "not yet delivered" in page.text
    assert "Record delivery by another means" not in page.text


def test_an_anonymous_visitor_is_sent_to_sign_in(client, decided):
    response = delivery_post(client, decided)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert Application.objects.get(pk=decided.pk).decision_delivered_on is None


# --- Through a real SMTP server ---------------------------------------------------------------


def test_a_real_servers_acceptance_is_kept_with_the_message_id_it_received(
    smtp_server,  # noqa: F811 (the fixture imported above)
    make_application,
    processor,
    django_capture_on_commit_callbacks,
):
    from email import message_from_bytes

    application = make_application(language="en")
    services.application_claim(actor=processor, application=application)
    smtp_server.received.clear()
    smtp_server.refuse = 1  # the first attempt of the decision e-mail is refused (451)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=processor, application=application, grant=False, reason="Puudub turvaplaan."
        )
    email = OutboundEmail.objects.get(key=f"mtr-decision-{application.pk}")
    assert email.status == OutboundEmail.Status.QUEUED
    assert rows(application) == []  # refused: no evidence of sending

    # The retry after the back-off: the sweeper queues the job again.
    Job.objects.filter(key=email_job_key(email.pk)).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()

    application.refresh_from_db()
    [accepted] = rows(application)
    # (the sweeper sent the receipt too, whose job the test had not run)
    [received] = [
        message
        for message in map(message_from_bytes, smtp_server.received)
        if message["Message-ID"] == accepted.evidence["message_id"]
    ]
    assert accepted.method == DeliveryMethod.EMAIL_ACCEPTED
    assert received["Subject"].startswith("Decision on your application")
    text = next(part for part in received.walk() if part.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    assert application.decision_token in body
    assert application.decision_delivered_on is None  # accepted is not delivered
