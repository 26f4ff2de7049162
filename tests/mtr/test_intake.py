"""Entering an application that arrived on paper or by e-mail (mtr/views/intake.py): the two
steps, the day it was received and the deadline counted from it, the letter it came in, the
receipt by e-mail or not, the one-time key, and who may do it."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import calendar, roles
from mtr import services
from mtr.models import Application, Entry
from registry import services as registry
from registry.models import Channel, Direction, Document, DocumentType
from tests.factories import PartyFactory, SeriesFactory
from tests.mtr.conftest import registry_code
from tests.mtr.test_public_apply import pdf_file, png_file

pytestmark = pytest.mark.django_db

NEW = "mtr:application-new"
CODE = registry_code(5)


def intake_url(**params) -> str:
    return reverse(NEW) + ("?" + urlencode(params) if params else "")


def licence_url(area) -> str:
    return intake_url(action="licence", area=area.code)


def submission_key(response) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', response.text)
    assert match, "the form has no submission key"
    return match.group(1)


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def licence_data(key: str, **overrides) -> dict:
    data = {
        "submission_key": key,
        "received_on": timezone.localdate().isoformat(),
        "channel": "post",
        "language": "en",
        "registered_as": "",
        "notify": "on",
        "business_name": "Paberil Valve OÜ",
        "registry_code": CODE,
        "address": "Pikk 1, 10123 Tallinn",
        "contact_person": "Mari Maasikas",
        "email": "mari@paberil.example.ee",
        "phone": "",
        "address_1": "Narva mnt 5, Tallinn",
        "address_2": "",
        "address_3": "",
        "more_addresses": "",
        "extra_staff": "7",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def clerk_client(english, clerk):
    english.force_login(clerk)
    return english


@pytest.fixture
def licence_series(db):
    return SeriesFactory(code="4-1", title="Tegevusloa taotlused")


def enter_licence(client, area, **overrides):
    """Open step 2 of a licence application and send it; returns the response and the key."""
    url = licence_url(area)
    key = submission_key(client.get(url))
    return client.post(url, licence_data(key, **overrides)), key


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, licence_area, method):
    response = getattr(client, method)(licence_url(licence_area))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_without_the_permission_get_403(client, make_user, licence_area, method):
    client.force_login(make_user(roles.ASSET_MANAGER, username="asset_manager"))

    response = getattr(client, method)(licence_url(licence_area))

    assert response.status_code == 403
    assert not Application.objects.exists()


def test_clerks_and_processors_may_enter_applications(clerk, processor):
    assert clerk.has_perm("mtr.add_application")
    assert processor.has_perm("mtr.add_application")


# --- The two steps ------------------------------------------------------------------------------


def test_step_one_asks_what_was_filed(clerk_client, licence_area, notice_area):
    response = clerk_client.get(reverse(NEW))

    assert response.status_code == 200
    assert "Step 1 of 2" in response.text
    assert "What does the applicant want to do?" in response.text
    assert 'value="turvateenus"' in response.text
    assert 'value="majutus"' in response.text
    assert "submission_key" not in response.text


def test_a_wrong_choice_stays_on_step_one_with_its_message(clerk_client, licence_area):
    response = clerk_client.get(intake_url(action="notice", area=licence_area.code))

    assert "Step 1 of 2" in response.text
    assert response.context["choice"].errors["area"]


def test_step_two_has_the_office_fields_and_no_consent_or_honeypot(clerk_client, licence_area):
    response = clerk_client.get(licence_url(licence_area))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields)[:5] == [
        "received_on",
        "channel",
        "language",
        "registered_as",
        "notify",
    ]
    assert "consent" not in form.fields
    assert "website" not in form.fields
    assert 'name="consent"' not in response.text
    assert 'name="website"' not in response.text
    assert f'value="{timezone.localdate():%d.%m.%Y}"' in response.text  # received today
    assert re.search(r'<input[^>]*name="notify"[^>]*checked', response.text)
    plan = form.fields["file_plan"]
    assert not plan.required
    assert "scanned" in str(plan.help_text)


# --- A licence application with a file -----------------------------------------------------------


def test_a_clerk_enters_a_licence_application_with_a_file(
    clerk_client, clerk, licence_area, licence_series
):
    response, _key = enter_licence(
        clerk_client,
        licence_area,
        file_plan=pdf_file("turvaplaan.pdf"),
        other_files=[png_file("kaart.png")],
        more_addresses="Riia 2, Tartu",
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mtr:application-detail", args=[application.pk])
    assert application.type == Application.Type.NEW
    assert application.area == licence_area
    assert application.status == Application.Status.RECEIVED
    assert application.business_name == "Paberil Valve OÜ"
    assert application.registry_code == CODE
    assert application.addresses == ["Narva mnt 5, Tallinn", "Riia 2, Tartu"]
    assert application.data == {"staff": 7}
    assert application.language == "en"
    assert timezone.localdate(application.submitted_at) == timezone.localdate()
    assert application.deadline == services.deadline_for(application)
    assert sorted(a.requirement for a in application.attachments.all()) == ["", "plan"]
    # Registered once, in the licence series, on the day it was received.
    document = application.document
    assert document.series == licence_series
    assert document.received_on == timezone.localdate()
    assert document.sender_reference == application.tracking_code
    assert document.channel == "post"  # as it arrived, registered by the clerk who entered it
    assert document.registered_by.has_perm("mtr.add_application")

    page = clerk_client.get(response["Location"])
    assert (
        f"The application was entered with the tracking code {application.tracking_code_display}."
        in messages_of(page)[0]
    )
    assert "turvaplaan.pdf" in page.text

    # The business can follow it on the public status page with the code and its registry code.
    business = clerk_client.__class__()
    found = business.post(
        reverse("mtr:public-status"),
        {"code": application.tracking_code_display, "registry_code": CODE},
    )
    assert found["Location"] == reverse(
        "mtr:public-status-detail", args=[application.tracking_code]
    )


def test_attachments_are_not_required(clerk_client, licence_area):
    response, _key = enter_licence(clerk_client, licence_area)

    assert response.status_code == 302
    assert not Application.objects.get().attachments.exists()


def test_a_refused_form_keeps_the_typed_values_and_shows_each_error_by_its_field(
    clerk_client, licence_area
):
    response, _key = enter_licence(
        clerk_client,
        licence_area,
        email="not an e-mail",
        extra_staff="",
        contact_person="",
        file_plan=pdf_file(),
    )

    assert response.status_code == 200
    assert not Application.objects.exists()
    assert field_errors(response, "email")
    assert field_errors(response, "extra_staff")
    assert field_errors(response, "contact_person")
    assert 'value="Paberil Valve OÜ"' in response.text
    assert 'value="not an e-mail"' in response.text
    assert 'value="Narva mnt 5, Tallinn"' in response.text
    assert "choose them again" in response.text  # the browser does not keep the chosen file


# --- A change of an entry -----------------------------------------------------------------------


@pytest.fixture
def entry(make_application, processor):
    application = make_application(registry_code=CODE, business_name="Paberil Valve OÜ")
    services.application_claim(actor=processor, application=application)
    return services.application_decide(
        actor=processor, application=application, grant=True, reason=""
    ).entry


def test_a_processor_enters_a_change_of_an_entry(english, processor, entry):
    english.force_login(processor)
    url = intake_url(action="change", entry=entry.number.lower(), entry_code=CODE)

    step_two = english.get(url)
    assert step_two.status_code == 200
    assert step_two.context["form"].fields["registry_code"].disabled
    assert 'value="Ranna pst 5, Pärnu"' in step_two.text  # the entry's addresses to change
    data = licence_data(
        submission_key(step_two),
        registry_code=None,  # a disabled field: the entry's holder
        address_1="Uus tee 3, Pärnu",
        extra_staff="20",
        language="et",
        notify="",
    )
    response = english.post(url, data)

    application = Application.objects.get(type=Application.Type.CHANGE)
    assert response["Location"] == reverse("mtr:application-detail", args=[application.pk])
    assert application.entry == entry
    assert application.registry_code == CODE
    assert application.addresses == ["Uus tee 3, Pärnu"]
    assert application.data == {"staff": 20}
    assert application.deadline == services.deadline_for(application)
    assert reload(entry).addresses == ["Ranna pst 5, Pärnu"]  # changed only when granted


def test_a_change_of_an_unknown_entry_stays_on_step_one(clerk_client, entry):
    response = clerk_client.get(intake_url(action="change", entry="KTO999999", entry_code=CODE))

    assert "Step 1 of 2" in response.text
    assert response.context["choice"].errors["entry"]


def reload(obj):
    obj.refresh_from_db()
    return obj


# --- The day it was received --------------------------------------------------------------------


def test_the_deadline_is_counted_from_the_day_it_was_received(
    clerk_client, licence_area, licence_series
):
    received = timezone.localdate() - timedelta(days=9)

    enter_licence(clerk_client, licence_area, received_on=received.isoformat())

    application = Application.objects.get()
    assert timezone.localdate(application.submitted_at) == received
    assert timezone.localtime(application.submitted_at).hour == 12
    days = services.processing_days(licence_area)
    assert application.deadline == calendar.registration_day(received + timedelta(days=days))
    assert application.deadline == services.deadline_for(application)
    assert application.deadline < calendar.registration_day(
        timezone.localdate() + timedelta(days=days)
    )
    assert application.document.received_on == received


def test_a_day_in_the_future_is_refused(clerk_client, licence_area):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response, _key = enter_licence(clerk_client, licence_area, received_on=tomorrow.isoformat())

    assert not Application.objects.exists()
    assert field_errors(response, "received_on") == ["The date of receipt cannot be in the future."]
    assert f'value="{tomorrow.isoformat()}"' in response.text


# --- The letter it came in ----------------------------------------------------------------------


@pytest.fixture
def letter(clerk, licence_series):
    return registry.document_register(
        actor=clerk,
        series=licence_series,
        doc_type=DocumentType.APPLICATION,
        channel=Channel.POST,
        title="Tegevusloa taotlus paberil",
        received_on=timezone.localdate() - timedelta(days=2),
        sender=PartyFactory(name="Paberil Valve OÜ", code=CODE),
    )


def test_registered_as_links_the_letter_and_registers_nothing_again(
    clerk_client, licence_area, letter
):
    response, _key = enter_licence(
        clerk_client,
        licence_area,
        registered_as=f"  {letter.number} ",
        received_on=letter.received_on.isoformat(),
    )

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.document == letter
    assert Document.objects.count() == 1
    page = clerk_client.get(response["Location"])
    assert reverse("registry:document-detail", args=[letter.pk]) in page.text


def test_an_unknown_register_number_is_a_field_error(clerk_client, licence_area, letter):
    response, _key = enter_licence(clerk_client, licence_area, registered_as="4-1/99-999")

    assert response.status_code == 200
    assert not Application.objects.exists()
    assert field_errors(response, "registered_as") == ["No document 4-1/99-999 in the register."]
    assert 'value="4-1/99-999"' in response.text


def test_an_outgoing_document_is_not_the_letter_it_came_in(
    clerk_client, clerk, licence_area, letter
):
    reply = registry.document_register_reply(
        actor=clerk,
        document=letter,
        title="Vastus",
        channel=Channel.EMAIL,
        sent_on=timezone.localdate(),
    )
    assert reply.direction == Direction.OUTGOING

    response, _key = enter_licence(clerk_client, licence_area, registered_as=reply.number)

    assert not Application.objects.exists()
    assert "outgoing" in field_errors(response, "registered_as")[0]


# --- The receipt ----------------------------------------------------------------------------------


def test_the_receipt_is_emailed_in_the_applicants_language(
    clerk_client, licence_area, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, _key = enter_licence(clerk_client, licence_area, language="en", notify="on")

    application = Application.objects.get()
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == ["mari@paberil.example.ee"]
    assert "your application was received" in receipt.subject.lower()
    assert application.tracking_code_display in receipt.body
    page = clerk_client.get(response["Location"])
    assert "The receipt is e-mailed to mari@paberil.example.ee." in messages_of(page)[0]


def test_no_receipt_is_sent_when_the_box_is_unticked(
    clerk_client, licence_area, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, _key = enter_licence(clerk_client, licence_area, notify="")

    assert response.status_code == 302
    assert Application.objects.count() == 1
    assert mail.outbox == []
    assert "e-mailed" not in messages_of(clerk_client.get(response["Location"]))[0]


# --- The one-time key -----------------------------------------------------------------------------


def test_a_double_submit_enters_one_application(clerk_client, licence_area):
    url = licence_url(licence_area)
    key = submission_key(clerk_client.get(url))

    first = clerk_client.post(url, licence_data(key))
    second = clerk_client.post(url, licence_data(key))

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_form_without_a_valid_key_is_refused(clerk_client, licence_area):
    response = clerk_client.post(licence_url(licence_area), licence_data("made-up"))

    assert response.status_code == 200
    assert not Application.objects.exists()
    expired = "The form has expired; please send it again."
    assert expired in response.context["form"].non_field_errors()
    assert submission_key(response) != "made-up"


def test_a_change_is_not_entered_for_an_entry_that_ended_meanwhile(english, processor, entry):
    english.force_login(processor)
    url = intake_url(action="termination", entry=entry.number, entry_code=CODE)
    key = submission_key(english.get(url))
    services.entry_terminate(actor=processor, entry=entry, reason="Lõpetatud")

    response = english.post(url, licence_data(key, registry_code=None))

    assert response.status_code == 302
    assert response["Location"] == reverse(NEW)
    assert not Application.objects.filter(type=Application.Type.TERMINATION).exists()
    assert reload(entry).status == Entry.Status.INVALID
