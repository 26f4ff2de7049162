"""The MTR's legal rules of issue 17, each named after its rule (DOMAIN.md, MTR).

1. HMS § 15(2): missing data not given in time leaves the application unexamined, which is not
   a refusal and has its own letter.
2. MSÜS: a notice of economic activity takes effect on submission: in the public register at
   once, checked afterwards, never refused.
3. The term of a licence decision counts from the complete application and can be extended,
   once, with notice to the applicant.
"""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from core import events
from mtr import services
from mtr.models import Application, Entry
from mtr.verbs import Verb
from mtr.workflows import APPLICATION
from tests.factories import SeriesFactory
from tests.mtr.conftest import registry_code

Status = Application.Status
TALLINN = ZoneInfo("Europe/Tallinn")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=TALLINN)


def pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def series(db):
    return SeriesFactory(code="4-1", title="Tegevusloa taotlused")


@pytest.fixture
def asked(time_machine, make_application, processor, series, django_capture_on_commit_callbacks):
    """A licence application asked for missing data on Monday 2 Nov 2026, to answer by the 16th."""
    time_machine.move_to(MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(language="en")
    services.application_claim(actor=processor, application=application)
    services.application_request_data(
        actor=processor,
        application=application,
        text="Turvaplaan puudub.",
        due_on=date(2026, 11, 16),
    )
    mail.outbox.clear()
    return Application.objects.get(pk=application.pk)


# --- 1. HMS § 15(2) ------------------------------------------------------------------------------


def test_hms_15_2_an_unremedied_deficiency_is_never_refused_but_left_unexamined(
    asked, processor, time_machine
):
    """The old code let the processor refuse an application waiting for missing data; now
    nothing is decided while it waits, and refusing is not how it ends."""
    assert not APPLICATION.allows(asked, "refuse", processor)
    with pytest.raises(ValidationError):
        services.application_decide(actor=processor, application=asked, grant=False, reason="x")
    time_machine.move_to(datetime(2026, 11, 17, 9, 0, tzinfo=TALLINN))
    assert not APPLICATION.allows(asked, "refuse", processor)
    assert APPLICATION.allows(asked, "leave_unexamined", processor)


def test_hms_15_2_unexamined_only_after_the_answer_date(asked, processor, time_machine):
    time_machine.move_to(datetime(2026, 11, 16, 16, 0, tzinfo=TALLINN))  # the last day itself
    with pytest.raises(ValidationError, match="may answer until 16.11.2026"):
        services.application_leave_unexamined(actor=processor, application=asked, reason="x")
    assert Application.objects.get(pk=asked.pk).status == Status.DEFICIENT


def test_hms_15_2_leaving_unexamined_sends_its_own_letter_not_a_refusal(
    asked, processor, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime(2026, 11, 17, 9, 0, tzinfo=TALLINN))
    with django_capture_on_commit_callbacks(execute=True):
        services.application_leave_unexamined(
            actor=processor, application=asked, reason="Turvaplaani ei esitatud."
        )
    application = Application.objects.get(pk=asked.pk)
    assert application.status == Status.UNEXAMINED
    assert not application.is_open
    assert application.entry is None
    text = pdf_text(services.application_decision_pdf(application=application))
    assert "Decision to leave the application unexamined" in text
    assert "§ 15(2)" in text
    assert "16.11.2026" in text  # the answer date that passed
    assert "refuse" not in text.lower()
    assert "may file a new application" in " ".join(text.split())
    reply = application.decision_document
    assert reply.title.startswith("Otsus jätta läbi vaatamata")
    [email] = mail.outbox
    assert "left unexamined" in email.body
    assert "not a refusal" in email.body


def test_hms_15_2_the_applicant_page_says_it_is_not_a_refusal(
    client, asked, processor, time_machine
):
    time_machine.move_to(datetime(2026, 11, 17, 9, 0, tzinfo=TALLINN))
    services.application_leave_unexamined(actor=processor, application=asked, reason="x")
    client.cookies["django_language"] = "en"
    session = client.session
    session["mtr_applications"] = [asked.pk]
    session.save()
    page = client.get(reverse("mtr:public-status-detail", args=[asked.tracking_code]))
    assert "This is not a refusal" in page.text


# --- 2. MSÜS: a notice takes effect on submission --------------------------------------------


def test_msus_a_notice_is_in_the_public_register_the_moment_it_is_filed(
    client, make_application, notice_area
):
    notice = make_application(area=notice_area, data={}, business_name="Mere Hotell OÜ")
    assert notice.status == Status.ENTERED
    page = client.get(reverse("mtr:public-entries"), {"q": "Mere Hotell"})
    assert notice.entry.number in page.text
    # Still in the processors' queue, to be checked afterwards, with no term of decision.
    assert notice.is_open
    assert notice.deadline is None


def test_msus_a_change_to_a_notice_takes_effect_at_once(make_application, notice_area):
    first = make_application(area=notice_area, data={}, addresses=["Vana 1, Tartu"])
    change = make_application(
        area=notice_area,
        type=Application.Type.CHANGE,
        entry=first.entry,
        data={},
        addresses=["Uus 2, Tartu"],
    )
    assert change.status == Status.ENTERED
    assert Entry.objects.get(pk=first.entry_id).addresses == ["Uus 2, Tartu"]


def test_msus_ending_a_notice_entry_is_decided_by_the_processor(
    make_application, notice_area, processor
):
    first = make_application(area=notice_area, data={})
    ending = make_application(
        area=notice_area, type=Application.Type.TERMINATION, entry=first.entry, data={}
    )
    assert ending.status == Status.RECEIVED
    assert Entry.objects.get(pk=first.entry_id).status == Entry.Status.VALID
    services.application_claim(actor=processor, application=ending)
    services.application_decide(actor=processor, application=ending, grant=True, reason="")
    assert Entry.objects.get(pk=first.entry_id).status == Entry.Status.INVALID


def test_msus_a_notice_in_effect_is_not_withdrawn_or_refused(
    make_application, notice_area, processor
):
    notice = make_application(area=notice_area, data={})
    for name in ("refuse", "grant", "withdraw", "leave_unexamined", "take"):
        assert not APPLICATION.allows(notice, name, processor), name
    assert APPLICATION.allows(notice, "request", processor)
    assert APPLICATION.allows(notice, "check", processor)


def test_msus_missing_data_of_a_notice_answered_returns_it_to_the_check(
    make_application, notice_area, processor
):
    notice = make_application(area=notice_area, data={})
    services.application_request_data(actor=processor, application=notice, text="Lisa plaan.")
    services.application_answer_deficiency(application=notice, answer="Lisatud.")
    notice = Application.objects.get(pk=notice.pk)
    assert notice.status == Status.ENTERED
    assert notice.deadline is None


# --- 3. The term, and its extension with notice --------------------------------------------


@pytest.fixture
def signed_in(client, processor):
    client.cookies["django_language"] = "en"
    client.force_login(processor)
    return client


@pytest.fixture
def reviewed(time_machine, make_application, processor):
    time_machine.move_to(MONDAY)
    application = make_application(language="en")
    services.application_claim(actor=processor, application=application)
    mail.outbox.clear()
    return Application.objects.get(pk=application.pk)


def test_term_extension_is_sent_to_the_applicant_with_its_reasons(
    reviewed, processor, django_capture_on_commit_callbacks
):
    assert reviewed.deadline == date(2026, 12, 2)  # 30 days from Monday 2 November
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_extend(
            actor=processor,
            application=reviewed,
            until=date(2026, 12, 20),  # a Sunday: the term ends on Monday (TsÜS § 136)
            reason="Vaja on Päästeameti arvamust.",
        )
    assert application.deadline == application.term_extended_to == date(2026, 12, 21)
    [email] = mail.outbox
    assert email.to == [application.email]
    assert "21.12.2026" in email.body
    assert "Päästeameti arvamust" in email.body
    [event] = [e for e in events.for_object(application) if e.verb == Verb.TERM_EXTENDED]
    assert event.data["due_on"] == "2026-12-21"
    assert event.actor == processor


def test_term_extension_only_once_and_within_the_cap(reviewed, processor, settings):
    settings.MTR_EXTENSION_MAX_DAYS = 30
    with pytest.raises(ValidationError, match="no later than"):
        services.application_extend(
            actor=processor, application=reviewed, until=date(2027, 2, 1), reason="Pikalt"
        )
    with pytest.raises(ValidationError, match="Give the reasons"):
        services.application_extend(
            actor=processor, application=reviewed, until=date(2026, 12, 10), reason=" "
        )
    services.application_extend(
        actor=processor, application=reviewed, until=date(2026, 12, 10), reason="Arvamus"
    )
    with pytest.raises(ValidationError, match="extended once already"):
        services.application_extend(
            actor=processor, application=reviewed, until=date(2026, 12, 14), reason="Veel"
        )


def test_term_extension_not_after_the_term_ended(reviewed, processor, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=TALLINN))
    with pytest.raises(ValidationError, match="already ended"):
        services.application_extend(
            actor=processor, application=reviewed, until=date(2026, 12, 20), reason="Hilja"
        )


def test_term_extension_is_offered_on_the_page_and_works(signed_in, reviewed):
    url = reverse("mtr:application-detail", args=[reviewed.pk])
    page = signed_in.get(url)
    extend = reverse("mtr:application-extend", args=[reviewed.pk])
    assert extend in page.text
    response = signed_in.post(
        extend, {"extend-until": "15.12.2026", "extend-reason": "Arvamus"}, follow=True
    )
    assert Application.objects.get(pk=reviewed.pk).deadline == date(2026, 12, 15)
    assert "The term is extended to" in response.text
    assert extend not in response.text  # once


def test_the_term_counts_from_the_complete_application(make_application, processor, time_machine):
    time_machine.move_to(MONDAY)
    application = make_application(registry_code=registry_code(9))
    services.application_claim(actor=processor, application=application)
    services.application_request_data(actor=processor, application=application, text="Plaan")
    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=TALLINN))
    services.application_answer_deficiency(
        application=application, answer="Lisatud.", on=date(2026, 11, 20)
    )
    assert Application.objects.get(pk=application.pk).deadline == date(2026, 12, 21)
    assert timedelta(days=30) == date(2026, 12, 20) - date(2026, 11, 20)  # a Sunday → Monday
