"""The MTR workflow end to end through its services: registration in the document register,
the receipt, the e-mails, the decision letter (a real PDF read back with pypdf), the register's
history, the public lookup and the processors' reminders."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfReader

from core import calendar, events, roles
from core.models import OutboundEmail
from mtr import services
from mtr.models import Application, ApplicationAttachment, Entry, PdfStatus
from registry.models import Direction, DocumentType
from tests.factories import SeriesFactory
from tests.mtr.conftest import registry_code

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def series(db):
    return SeriesFactory(code="4-1", title="Tegevusloa taotlused")


@pytest.fixture
def submitted(make_application, series, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_application(
            files=[("plan", SimpleUploadedFile("turvaplaan.pdf", PDF, "application/pdf"))]
        )


def test_a_submission_is_registered_receipted_and_e_mailed(submitted, series):
    application = Application.objects.get(pk=submitted.pk)
    document = application.document
    assert document.series == series
    assert document.doc_type == DocumentType.APPLICATION
    assert document.direction == Direction.INCOMING
    assert document.sender.code == application.registry_code
    assert document.sender_reference == application.tracking_code
    assert document.deadline == application.deadline

    [attachment] = application.attachments.all()
    assert (attachment.name, attachment.requirement, attachment.kind) == (
        "turvaplaan.pdf",
        "plan",
        "pdf",
    )

    [email] = mail.outbox
    assert email.to == ["info@valve.example.ee"]
    assert application.tracking_code_display in email.subject
    assert "Tracking code" not in email.body  # in the applicant's language: Estonian
    assert application.tracking_code_display in email.body
    [(name, content, content_type)] = email.attachments
    assert name == f"receipt-{application.tracking_code_display}.pdf"
    text = pdf_text(content)
    assert application.tracking_code_display in text
    assert "Pärnu Valve OÜ" in text
    assert document.number in text


def test_an_english_applicant_gets_english_mail_and_receipt(
    make_application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_application(language="en")
    [email] = mail.outbox
    assert email.subject.startswith("Your application was received")
    assert "Security services" in pdf_text(email.attachments[0][1])


def test_a_wrong_file_is_refused_and_nothing_is_kept(make_application):
    with pytest.raises(ValidationError) as error:
        make_application(
            files=[("plan", SimpleUploadedFile("plan.pdf", b"not a pdf at all", "application/pdf"))]
        )
    assert "attachment_plan" in error.value.message_dict
    assert not Application.objects.exists()
    assert not ApplicationAttachment.objects.exists()


def test_a_reused_form_key_with_another_registry_code_reveals_nothing(make_application):
    import uuid

    key = uuid.uuid4()
    make_application(submission_key=key)
    with pytest.raises(ValidationError):
        make_application(submission_key=key, registry_code=registry_code(2))
    assert Application.objects.count() == 1


def test_lookup_needs_the_code_and_the_registry_code(submitted):
    code = submitted.tracking_code_display.lower().replace("-", " - ")
    assert services.application_lookup(tracking_code=code, registry_code=registry_code(1)) == (
        submitted
    )
    assert services.application_lookup(tracking_code=code, registry_code=registry_code(2)) is None
    assert services.application_lookup(tracking_code="ABCD-EFGH-JKMN", registry_code="x") is None
    assert services.application_lookup(tracking_code="", registry_code="") is None


def test_deficiency_request_and_answer(submitted, processor, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    services.application_claim(actor=processor, application=submitted)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.application_request_data(
            actor=processor, application=submitted, text="Lisage kindlustusleping."
        )
    [email] = mail.outbox
    assert "Lisage kindlustusleping." in email.body
    assert request.due_on.strftime("%d.%m.%Y") in email.body
    assert calendar.is_working_day(request.due_on)
    assert services.days_left(Application.objects.get(pk=submitted.pk)) is None  # clock stopped

    with django_capture_on_commit_callbacks(execute=True):
        services.application_answer_deficiency(
            application=submitted,
            answer="Leping on lisatud.",
            files=[SimpleUploadedFile("leping.pdf", PDF, "application/pdf")],
        )
    assert request.attachments.get().name == "leping.pdf"
    assert mail.outbox[-1].to == [processor.email]  # the processor hears of the answer
    verbs = [event.verb for event in events.for_object(submitted)]
    assert "deficiency_answered" in verbs


def test_granting_a_licence_makes_registers_and_mails_the_decision_letter(
    submitted, processor, django_capture_on_commit_callbacks
):
    services.application_claim(actor=processor, application=submitted)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=processor, application=submitted, grant=True, reason="Nõuded on täidetud."
        )
    application = Application.objects.get(pk=submitted.pk)
    assert application.decision_pdf_status == PdfStatus.READY
    text = pdf_text(services.application_decision_pdf(application=application))
    assert "Pärnu Valve OÜ" in text
    assert application.entry.number in text
    assert "Nõuded on täidetud." in text
    assert "tegevusloa" in text.lower()  # Estonian: the applicant's language

    reply = application.decision_document
    assert reply.in_reply_to == application.document
    assert reply.direction == Direction.OUTGOING
    assert reply.attachments.count() == 1
    application.document.refresh_from_db()
    assert application.document.status == application.document.Status.ANSWERED

    [email] = mail.outbox
    assert email.attachments[0][0] == f"decision-{application.tracking_code_display}.pdf"
    assert application.entry.number in email.body

    # Run twice (a redelivered task): nothing made or sent again.
    assert services.decision_letter_make(application_id=application.pk)
    assert OutboundEmail.objects.filter(key=f"mtr-decision-{application.pk}").count() == 1
    assert len(mail.outbox) == 1


def test_a_refusal_letter_gives_the_reasons(
    submitted, processor, django_capture_on_commit_callbacks
):
    services.application_claim(actor=processor, application=submitted)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=processor, application=submitted, grant=False, reason="Kindlustus puudub."
        )
    application = Application.objects.get(pk=submitted.pk)
    text = pdf_text(services.application_decision_pdf(application=application))
    assert "Kindlustus puudub." in text
    assert application.entry is None


def test_a_notice_takes_effect_on_submission_without_a_letter(
    make_application, notice_area, processor, django_capture_on_commit_callbacks
):
    """MSÜS: a notice of economic activity is in the public register from the moment it is
    filed; the receipt says so; no decision, no letter, and it cannot be refused."""
    with django_capture_on_commit_callbacks(execute=True):
        notice = make_application(area=notice_area, data={})
    notice.refresh_from_db()
    assert notice.status == Application.Status.ENTERED
    assert notice.deadline is None
    assert notice.entry.number == "HMR000001"
    assert notice.entry.status == Entry.Status.VALID
    assert Entry.objects.valid().filter(pk=notice.entry_id).exists()  # the public register's
    assert notice.decision_pdf_status == ""
    assert services.application_decision_pdf(application=notice) is None
    [receipt] = mail.outbox
    assert "HMR000001" in receipt.body
    assert "kehtib selle esitamisest" in receipt.body  # the applicant's language: Estonian
    with pytest.raises(ValidationError, match="kui olek on „kantud registrisse, kontrollimisel”"):
        services.application_decide(actor=processor, application=notice, grant=False, reason="x")
    assert Application.objects.get(pk=notice.pk).status == Application.Status.ENTERED


def test_a_change_updates_the_entry_and_keeps_its_history(make_application, processor):
    first = make_application()
    services.application_decide(
        actor=processor,
        application=services.application_claim(actor=processor, application=first),
        grant=True,
        reason="",
    )
    entry = Application.objects.get(pk=first.pk).entry
    change = make_application(
        type=Application.Type.CHANGE, entry=entry, addresses=["Tallinna mnt 2, Pärnu"]
    )
    services.application_claim(actor=processor, application=change)
    services.application_decide(actor=processor, application=change, grant=True, reason="")
    entry.refresh_from_db()
    assert entry.addresses == ["Tallinna mnt 2, Pärnu"]
    [changed] = [e for e in events.for_object(entry) if e.verb == "entry_changed"]
    assert changed.data["changes"]["addresses"] == {
        "from": ["Ranna pst 5, Pärnu"],
        "to": ["Tallinna mnt 2, Pärnu"],
    }
    assert services.entry_for_change(number=entry.number.lower(), registry_code=registry_code(1))
    assert services.entry_for_change(number=entry.number, registry_code=registry_code(2)) is None


def test_suspend_reinstate_and_end_an_entry(make_application, processor):
    application = make_application()
    services.application_claim(actor=processor, application=application)
    services.application_decide(actor=processor, application=application, grant=True, reason="")
    entry = Application.objects.get(pk=application.pk).entry
    with pytest.raises(ValidationError):
        services.entry_suspend(actor=processor, entry=entry, reason=" ")
    services.entry_suspend(actor=processor, entry=entry, reason="Kindlustus lõppenud")
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.SUSPENDED
    assert services.entry_for_change(number=entry.number, registry_code=registry_code(1))
    services.entry_reinstate(actor=processor, entry=entry, reason="Uus kindlustus")
    services.entry_terminate(actor=processor, entry=entry, reason="Tegevus lõpetatud")
    entry.refresh_from_db()
    assert (entry.status, entry.valid_to) == (Entry.Status.INVALID, timezone.localdate())
    with pytest.raises(ValidationError):
        services.entry_reinstate(actor=processor, entry=entry, reason="Tagasi")
    verbs = [event.verb for event in events.for_object(entry)]
    assert verbs[:3] == ["ended", "reinstated", "suspended"]
    assert services.entry_for_change(number=entry.number, registry_code=registry_code(1)) is None


def test_only_processors_can_be_assigned(submitted, processor, make_user):
    clerk = make_user(roles.CLERK, username="clerk2")
    with pytest.raises(ValidationError):
        services.application_assign(actor=processor, application=submitted, assignee=clerk)
    assert list(services.processors()) == [processor]


def test_reminders_two_working_days_before_the_deadline_once(
    make_application, processor, django_capture_on_commit_callbacks
):
    application = make_application()
    services.application_claim(actor=processor, application=application)
    today = timezone.localdate()
    Application.objects.filter(pk=application.pk).update(
        deadline=calendar.add_working_days(today, 2)
    )
    later = make_application(registry_code=registry_code(3))
    Application.objects.filter(pk=later.pk).update(deadline=calendar.add_working_days(today, 5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=today) == 1
        services.reminders_send(today=today)  # the next run: the same reminder is not sent again
    [email] = mail.outbox
    assert email.to == [processor.email]
    assert application.tracking_code_display in email.subject


def test_receipt_and_e_mail_in_russian(make_application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_application(language="ru")
    with translation.override("ru"):
        expected = "Охранные услуги"
    assert expected in pdf_text(mail.outbox[0].attachments[0][1])


def test_deadline_moves_off_a_day_off(make_application):
    application = make_application()
    submitted_on = timezone.localdate(application.submitted_at)
    assert application.deadline >= submitted_on + timedelta(days=30)
    assert calendar.is_working_day(application.deadline)
