"""Outgoing mail through its services: registration and numbers, the PDF, approval, signed
containers, e-mail with its outcome (also a failing server), post and the dispatch list."""

import io
import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfReader

from core import calendar, roles
from core.models import Event, OutboundEmail
from core.workflow import Forbidden, Refused
from correspondence import services
from correspondence.models import Channel, Dispatch, Letter, LetterTemplate, PdfStatus
from correspondence.verbs import Verb
from correspondence.workflows import DISPATCH
from registry.models import Document
from tests.correspondence.containers import make_asice


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def reply(clerk, information_request, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.letter_create(
            actor=clerk,
            subject="Vastus teabenõudele",
            body=(
                "Lugupeetud {{ addressee }}\n\nVastame Teie {{ their_date }} teabenõudele "
                "nr {{ their_reference }} (meil {{ incoming_number }}). Üürilepingud on lisatud."
                "\n\nKüsimuste korral võtke ühendust."
            ),
            signer=clerk,
            addressees=[services.Addressee(person, Channel.EMAIL)],
            in_reply_to=information_request,
            needs_signature=False,  # sent as its PDF (an official answer needs one by default)
        )


def test_a_reply_is_numbered_in_the_series_closes_the_deadline_and_has_its_pdf(
    reply, information_request
):
    letter = Letter.objects.get(pk=reply.pk)
    assert letter.number.startswith("1-2/")
    assert letter.document.in_reply_to == information_request
    information_request.refresh_from_db()
    assert information_request.status == Document.Status.ANSWERED
    assert letter.pdf_status == PdfStatus.READY
    text = pdf_text(letter.pdf.read())
    assert "Jüri Õunapuu" in text
    assert letter.number in text
    assert information_request.number in text
    assert "JÕ-2026/7" in text
    assert letter.document.registered_on.strftime("%d.%m.%Y") in text
    assert "{{" not in text  # every placeholder filled


def test_a_letter_from_scratch_needs_a_series_and_known_placeholders(clerk, organisation):
    with pytest.raises(ValidationError) as error:
        services.letter_create(
            actor=clerk,
            subject="Teade",
            body="Tere {{ addresse }}",
            signer=clerk,
            addressees=[services.Addressee(organisation, Channel.POST)],
        )
    assert set(error.value.message_dict) == {"series", "body"}
    assert not Letter.objects.exists()


def test_an_addressee_without_the_address_the_channel_needs_is_refused(make_letter, clerk):
    from tests.factories import PartyFactory

    no_email = PartyFactory(name="Kaugel Talu", code="", address="Külatee 1, Võru", email="")
    with pytest.raises(ValidationError) as error:
        make_letter(addressees=[services.Addressee(no_email, Channel.EMAIL)])
    assert "addressees" in error.value.message_dict
    assert not Document.objects.exists()  # nothing registered, no number used


def test_templates_check_their_placeholders_and_prefill(advisor, information_request, person):
    with pytest.raises(ValidationError):
        services.template_save(
            actor=advisor, code="x", language="et", name="X", subject="S", body="{{ nimi }}"
        )
    template = services.template_save(
        actor=advisor,
        code="teabenoue-vastus",
        language="et",
        name="Vastus teabenõudele",
        subject="Vastus Teie teabenõudele {{ their_reference }}",
        body="Lugupeetud {{ addressee }}\n\nMeie {{ our_date }} nr {{ our_number }}.",
    )
    subject, body = services.template_prefill(
        template=template, incoming=information_request, addressee=person, signer=advisor
    )
    assert subject == "Vastus Teie teabenõudele JÕ-2026/7"
    assert body.startswith("Lugupeetud Jüri Õunapuu")
    assert "{{ our_number }}" in body  # known only when it is saved
    assert LetterTemplate.objects.count() == 1


def test_sending_by_e_mail_attaches_the_pdf_and_records_the_outcome(
    reply, clerk, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=reply)
    letter = Letter.objects.get(pk=reply.pk)
    dispatch = letter.dispatches.get()
    assert (dispatch.status, letter.status) == (Dispatch.Status.SENT, Letter.Status.SENT)
    [email] = mail.outbox
    assert email.to == ["juri@example.ee"]
    assert letter.number in email.subject
    [(name, content, content_type)] = email.attachments
    assert name == f"{letter.number.replace('/', '_')}.pdf"
    assert content_type == "application/pdf"
    with pytest.raises(ValidationError):  # a second send sends nothing
        services.letter_send(actor=clerk, letter=letter)
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_fails_the_letter_with_the_reason_never_sent(
    make_letter, clerk, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail.example.ee closed the connection")

    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter()
    monkeypatch.setattr("core.services.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=False):  # the worker's part is below
        services.letter_send(actor=clerk, letter=letter)
    email = OutboundEmail.objects.get()
    from core import jobs
    from core import services as core_services
    from core.models import Job

    def attempt():  # the e-mail's job, run as the sweeper would once its back-off is over
        job = Job.objects.get(key=core_services.email_job_key(email.pk))
        Job.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.run(job.pk) is False

    attempt()
    dispatch = Dispatch.objects.get()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED  # will be tried again
    assert dispatch.status == Dispatch.Status.SENDING
    assert "closed the connection" in dispatch.error
    attempt()
    attempt()  # the last attempt: given up
    letter.refresh_from_db()
    dispatch.refresh_from_db()
    assert (dispatch.status, letter.status) == (Dispatch.Status.FAILED, Letter.Status.FAILED)
    assert "closed the connection" in dispatch.error
    assert dispatch.sent_at is None
    assert not mail.outbox

    monkeypatch.undo()  # the server is back: send it again
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_retry(actor=clerk, dispatch=dispatch)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert len(mail.outbox) == 1


def test_post_waits_for_the_days_list_which_sends_it_when_taken(
    make_letter, clerk, organisation, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_letter(addressees=[services.Addressee(organisation, Channel.POST)])
        second = make_letter(addressees=[services.Addressee(person, Channel.REGISTERED)])
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=first)
        services.letter_send(actor=clerk, letter=second)
    today_list = services.dispatch_list_for(timezone.localdate())
    rows = list(services.dispatch_list_rows(today_list))
    assert {row.letter_id for row in rows} == {first.pk, second.pk}
    assert Letter.objects.get(pk=first.pk).status == Letter.Status.SENDING
    summary = {item["channel"]: item for item in services.dispatch_list_summary(rows)}
    assert sum(item["count"] for item in summary.values()) == 2

    services.dispatch_list_take(actor=clerk, dispatch_list=today_list)
    assert Letter.objects.get(pk=first.pk).status == Letter.Status.SENT
    with pytest.raises(ValidationError):
        services.dispatch_list_take(actor=clerk, dispatch_list=today_list)

    with django_capture_on_commit_callbacks(execute=True):
        late = make_letter(addressees=[services.Addressee(organisation, Channel.POST)])
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=late)
    later_list = late.dispatches.get().dispatch_list
    assert later_list.day == calendar.next_working_day(today_list.day)


def test_registered_post_tracking_delivery_and_return(
    make_letter, clerk, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter(addressees=[services.Addressee(person, Channel.REGISTERED)])
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=letter)
    dispatch = letter.dispatches.get()
    with pytest.raises(ValidationError):
        services.dispatch_record_tracking(actor=clerk, dispatch=dispatch, tracking_code="x")
    services.dispatch_record_tracking(actor=clerk, dispatch=dispatch, tracking_code="rr123456785ee")
    with pytest.raises(ValidationError):  # not sent yet: still on the list
        services.dispatch_record_delivery(
            actor=clerk, dispatch=dispatch, delivered_on=timezone.localdate()
        )
    services.dispatch_list_take(actor=clerk, dispatch_list=dispatch.dispatch_list)
    services.dispatch_record_delivery(
        actor=clerk, dispatch=dispatch, delivered_on=timezone.localdate()
    )
    dispatch.refresh_from_db()
    assert (dispatch.tracking_code, dispatch.status) == ("RR123456785EE", Dispatch.Status.DELIVERED)
    services.dispatch_record_return(
        actor=clerk, dispatch=dispatch, returned_on=timezone.localdate(), reason="Ei võetud välja"
    )
    assert Dispatch.objects.get(pk=dispatch.pk).status == Dispatch.Status.RETURNED


def test_a_copy_moves_through_its_workflow_and_the_letters_timeline_says_so(
    make_letter, clerk, person, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter(addressees=[services.Addressee(person, Channel.REGISTERED)])
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=letter)
    dispatch = letter.dispatches.get()
    reader = make_user(roles.MTR_PROCESSOR, username="reader")
    assert DISPATCH.available(dispatch, reader) == dict.fromkeys(DISPATCH.by_name, False)
    offered = {name for name, ok in DISPATCH.available(dispatch, clerk).items() if ok}
    assert offered == {"tracking"}  # waiting on the list: no delivery, no return yet
    with pytest.raises(Refused, match="Only a sent letter can be delivered"):
        services.dispatch_record_delivery(
            actor=clerk, dispatch=dispatch, delivered_on=timezone.localdate()
        )
    services.dispatch_list_take(actor=clerk, dispatch_list=dispatch.dispatch_list)
    dispatch.refresh_from_db()
    offered = {name for name, ok in DISPATCH.available(dispatch, clerk).items() if ok}
    assert offered == {"tracking", "delivered", "returned"}  # post comes back, it never bounces
    with pytest.raises(Forbidden):
        services.dispatch_record_return(
            actor=reader, dispatch=dispatch, returned_on=timezone.localdate(), reason="x"
        )
    services.dispatch_record_return(
        actor=clerk, dispatch=dispatch, returned_on=timezone.localdate(), reason="Ei võetud välja"
    )
    verbs = list(
        Event.objects.filter(object_id=str(letter.pk), content_type__model="letter")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs[-1] == Verb.RETURNED
    assert verbs.count(Verb.RETURNED) == 1
    # The copy's leaving is a step of the letter's sending, not an event of its own.
    assert not Event.objects.filter(content_type__model="dispatch").exists()


def test_approval_before_sending(make_letter, clerk, head, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter(needs_approval=True)
    with pytest.raises(ValidationError, match="approval"):
        services.letter_send(actor=clerk, letter=letter)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_submit(actor=clerk, letter=letter)
    assert mail.outbox[-1].to == [head.email]
    with pytest.raises(ValidationError):
        services.letter_return(actor=head, letter=letter, comment=" ")
    services.letter_return(actor=head, letter=letter, comment="Lisage kuupäev.")
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.DRAFT
    services.letter_submit(actor=clerk, letter=letter)
    services.letter_approve(actor=head, letter=letter)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=letter)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.SENT


def test_a_signed_container_is_kept_unchanged_listed_and_sent(
    make_letter, clerk, django_capture_on_commit_callbacks
):
    data = make_asice(signers=(("Mari", "Tamm", "38001085718"), ("Jaan", "Kask", "37605030299")))
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter()
    services.letter_attach_container(
        actor=clerk, letter=letter, uploaded=SimpleUploadedFile("kiri.asice", data)
    )
    letter.refresh_from_db()
    assert [s["name"] for s in letter.container_signers] == ["Mari Tamm", "Jaan Kask"]
    assert letter.container_signers[0]["code"] == "38001085718"
    assert letter.container.read() == data
    with pytest.raises(ValidationError, match="changed after it was signed"):
        services.letter_attach_container(
            actor=clerk,
            letter=letter,
            uploaded=SimpleUploadedFile("kiri.asice", make_asice(tamper=True)),
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=letter)
    [(name, content, _type)] = mail.outbox[0].attachments
    assert (name, content) == ("kiri.asice", data)


def test_changing_a_draft_makes_the_pdf_again_and_drops_a_signature(
    make_letter, clerk, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter()
    services.letter_attach_container(
        actor=clerk, letter=letter, uploaded=SimpleUploadedFile("kiri.asice", make_asice())
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_update(
            actor=clerk,
            letter=letter,
            subject="Uus teema",
            body="Uus tekst äöüõ",
            signer=clerk,
            addressees=[services.Addressee(organisation, Channel.HAND)],
            needs_approval=False,
        )
    letter.refresh_from_db()
    assert not letter.container
    assert "Uus tekst äöüõ" in pdf_text(letter.pdf.read())
    assert letter.dispatches.get().channel == Channel.HAND


def test_a_head_may_approve_only_when_asked(make_letter, head, make_user):
    letter = make_letter()
    with pytest.raises(ValidationError):
        services.letter_approve(actor=head, letter=letter)
    assert list(services.approvers()) == [head]
    assert make_user(roles.CLERK).has_perm("correspondence.send_letter")


def test_the_list_day_skips_days_off(db):
    saturday = timezone.localdate()
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    assert services.dispatch_list_for(saturday).day == calendar.next_working_day(saturday)


def test_a_letter_made_on_a_saturday_is_dated_that_saturday_not_monday(make_letter, time_machine):
    """Issue 17, item 10: a letter made on a day off was registered, numbered and dated the
    next working day, so lists showed it dated in the future. The rule "registered on the next
    working day" is for what arrives on a day off; what the agency sends is dated when sent."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2026, 12, 5, 11, 0, tzinfo=ZoneInfo("Europe/Tallinn")))
    letter = make_letter(body="Kuupäev: {{ our_date }}")
    assert letter.document.registered_on == date(2026, 12, 5)  # Saturday, not Monday 7th
    assert letter.number.endswith("/26-001")
    assert services.letter_context(letter)["paragraphs"] == ["Kuupäev: 05.12.2026"]
