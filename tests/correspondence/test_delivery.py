"""Delivery of letters (correspondence.services, core.terms): the e-mail accepted by the
recipient's server kept as evidence with its Message-ID, the registered-post notice date set by
the first notice and never moved by a later one, and the letter page showing it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import OutboundEmail
from core.terms import DeliveryMethod
from correspondence import services
from correspondence.models import Channel, Dispatch

pytestmark = pytest.mark.django_db


def sent_letter(make_letter, clerk, party, channel, capture):
    with capture(execute=True):
        letter = make_letter(addressees=[services.Addressee(party, channel)])
    with capture(execute=True):
        services.letter_send(actor=clerk, letter=letter)
    return letter, letter.dispatches.get()


def test_an_accepted_email_is_kept_as_evidence_once(
    make_letter, clerk, organisation, django_capture_on_commit_callbacks
):
    _letter, dispatch = sent_letter(
        make_letter, clerk, organisation, Channel.EMAIL, django_capture_on_commit_callbacks
    )
    dispatch.refresh_from_db()
    email = dispatch.outbound_email
    assert email.status == OutboundEmail.Status.SENT
    [accepted] = dispatch.delivery_evidence
    assert accepted["method"] == DeliveryMethod.EMAIL_ACCEPTED
    assert accepted["message_id"] == f"<kantselei.email.{email.pk}.{email.token}@example.ee>"
    assert dispatch.delivered_on is None  # accepted by the server is not delivered

    services.email_outcome(email_id=email.pk)  # the callback again: nothing twice
    dispatch.refresh_from_db()
    assert len(dispatch.delivery_evidence) == 1


def test_the_first_delivery_notice_sets_the_date_and_a_later_one_is_evidence(
    make_letter, clerk, person, django_capture_on_commit_callbacks
):
    _letter, dispatch = sent_letter(
        make_letter, clerk, person, Channel.REGISTERED, django_capture_on_commit_callbacks
    )
    services.dispatch_list_take(actor=clerk, dispatch_list=dispatch.dispatch_list)
    today = timezone.localdate()

    services.dispatch_record_delivery(actor=clerk, dispatch=dispatch, delivered_on=today)
    with pytest.raises(ValidationError):
        services.dispatch_record_delivery(
            actor=clerk, dispatch=dispatch, delivered_on=today + timedelta(days=1)
        )
    with pytest.raises(ValidationError):  # before it was sent
        services.dispatch_record_delivery(
            actor=clerk, dispatch=dispatch, delivered_on=today - timedelta(days=1)
        )
    services.dispatch_record_delivery(actor=clerk, dispatch=dispatch, delivered_on=today)

    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DELIVERED
    assert dispatch.delivered_on == today
    assert dispatch.delivered_via == DeliveryMethod.REGISTERED_POST
    assert dispatch.delivery_recorded_by == clerk
    assert [e["method"] for e in dispatch.delivery_evidence] == ["registered_post"] * 2
    assert dispatch.delivery_evidence[0]["by"] == clerk.pk


def test_the_letter_page_shows_how_it_was_delivered(
    client, make_letter, clerk, person, django_capture_on_commit_callbacks
):
    letter, dispatch = sent_letter(
        make_letter, clerk, person, Channel.REGISTERED, django_capture_on_commit_callbacks
    )
    services.dispatch_list_take(actor=clerk, dispatch_list=dispatch.dispatch_list)
    services.dispatch_record_delivery(
        actor=clerk, dispatch=dispatch, delivered_on=timezone.localdate()
    )
    client.force_login(clerk)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("correspondence:letter-detail", args=[letter.pk]))

    assert page.status_code == 200
    expected = timezone.localdate().strftime("%d.%m.%Y")
    assert f"delivered on {expected} (registered post: date on the delivery notice)" in page.text
