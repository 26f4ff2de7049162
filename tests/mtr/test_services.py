"""MTR rules: submitting once, the processing clock and its pause, decisions and entries."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core import calendar, roles
from mtr import services
from mtr.models import ActivityArea, Application, Entry, Kind

REGISTRY_CODE = "10137319"  # a valid check digit


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def area(db):
    return ActivityArea.objects.create(
        code="majutus",
        name_et="Majutamine",
        name_en="Accommodation",
        name_ru="Размещение",
        emtak_code="55101",
        kind=Kind.LICENCE,
        number_prefix="KTO",
    )


@pytest.fixture
def processor(make_user):
    return make_user(roles.MTR_PROCESSOR, username="processor")


def submit(area, **kwargs):
    values = {
        "area": area,
        "type": Application.Type.NEW,
        "business_name": "Pärnu Rannahotell OÜ",
        "registry_code": REGISTRY_CODE,
        "address": "Rüütli 25, 80010 Pärnu",
        "contact_person": "Kristjan Õunapuu",
        "email": "info@rannahotell.example.ee",
        "addresses": ["Ranna pst 5, Pärnu"],
    }
    values.update(kwargs)
    return services.application_submit(**values)


def test_a_licence_application_is_due_in_30_days(area):
    application = submit(area)
    today = timezone.localdate(application.submitted_at)
    assert application.status == Application.Status.RECEIVED
    assert application.deadline == calendar.registration_day(today + timedelta(days=30))


def test_tracking_codes_are_long_random_and_easy_to_read(area):
    codes = {submit(area, submission_key=uuid.uuid4()).tracking_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) >= 10
        assert not set(code) & set("01OIL")


def test_the_same_form_submitted_twice_creates_one_application(area):
    key = uuid.uuid4()
    first = submit(area, submission_key=key)
    second = submit(area, submission_key=key)
    assert first.pk == second.pk
    assert Application.objects.count() == 1


def test_a_wrong_registry_code_is_refused(area):
    with pytest.raises(ValidationError):
        submit(area, registry_code="10137318")
    assert not Application.objects.exists()


def test_the_decision_term_counts_from_the_day_the_complete_application_arrived(area, processor):
    """Issue 17, law 3: after a request for missing data the term does not resume where it
    stood (submitted + 30 + the days it stood); it counts 30 days from the answer, the day the
    application became complete."""
    application = submit(area, submitted_at=timezone.now() - timedelta(days=10))
    services.application_claim(actor=processor, application=application)
    request = services.application_request_data(
        actor=processor, application=application, text="Lisage tuleohutuse nõuetele vastavus."
    )
    assert Application.objects.get(pk=application.pk).status == Application.Status.DEFICIENT

    answered_on = request.requested_on + timedelta(days=9)
    services.application_answer_deficiency(
        application=application, answer="Lisatud.", on=answered_on
    )

    application.refresh_from_db()
    submitted_on = timezone.localdate(application.submitted_at)
    assert application.status == Application.Status.IN_REVIEW
    assert application.paused_days == 9  # kept for the record
    assert application.deadline == calendar.registration_day(answered_on + timedelta(days=30))
    # The old rule (submitted + 30 + 9 days stood) gave a day ten days earlier.
    assert application.deadline > calendar.registration_day(submitted_on + timedelta(days=39))


def test_only_one_deficiency_request_is_open_at_a_time(area, processor):
    application = submit(area)
    services.application_claim(actor=processor, application=application)
    services.application_request_data(actor=processor, application=application, text="Puudub")
    with pytest.raises(ValidationError):
        services.application_request_data(actor=processor, application=application, text="Veel")


def test_granting_a_new_licence_creates_a_valid_entry_with_a_number(area, processor):
    application = submit(area)
    services.application_claim(actor=processor, application=application)

    services.application_decide(actor=processor, application=application, grant=True, reason="")

    application.refresh_from_db()
    entry = application.entry
    assert application.status == Application.Status.GRANTED
    assert entry.number == "KTO000001"
    assert entry.status == Entry.Status.VALID
    assert entry.addresses == ["Ranna pst 5, Pärnu"]


def test_a_refusal_needs_reasons_and_creates_no_entry(area, processor):
    application = submit(area)
    services.application_claim(actor=processor, application=application)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=processor, application=application, grant=False, reason=" "
        )
    services.application_decide(
        actor=processor, application=application, grant=False, reason="Nõuded ei ole täidetud."
    )
    assert not Entry.objects.exists()


def test_a_termination_ends_the_entry(area, processor):
    first = submit(area)
    services.application_claim(actor=processor, application=first)
    services.application_decide(actor=processor, application=first, grant=True, reason="")
    entry = Application.objects.get(pk=first.pk).entry

    ending = submit(area, type=Application.Type.TERMINATION, entry=entry)
    services.application_claim(actor=processor, application=ending)
    services.application_decide(actor=processor, application=ending, grant=True, reason="")

    entry.refresh_from_db()
    assert entry.status == Entry.Status.INVALID
    assert entry.valid_to == timezone.localdate()


def test_a_decided_application_cannot_change_again(area, processor):
    application = submit(area)
    services.application_claim(actor=processor, application=application)
    services.application_decide(actor=processor, application=application, grant=True, reason="")
    with pytest.raises(ValidationError, match="cannot be done when the status is"):
        services.application_withdraw(application=application)


def test_a_notice_has_no_decision_deadline(area):
    area.kind = Kind.NOTICE
    area.save()
    assert submit(area).deadline is None
