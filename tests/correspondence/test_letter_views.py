"""The letter pages (correspondence/views/: letters, compose, letter, letter_actions): the list,
composing a reply or a letter from scratch, templates, editing a draft, a letter's page and its
actions (approval, sending, signed containers, what became of each copy), the downloads, and the
letters on a registered document's page.

Each view: the allowed role gets the page or the action, another role 403, an anonymous visitor
the sign-in page.
"""

import io
import smtplib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone
from pypdf import PdfReader

from core import jobs, roles
from core import services as core_services
from core.models import Job, OutboundEmail
from correspondence import services
from correspondence.models import Channel, Dispatch, Letter, PdfStatus
from registry import services as registry_services
from registry.forms.parties import party_label
from registry.models import Channel as RegistryChannel
from registry.models import Document, DocumentType
from tests.correspondence.containers import make_asice
from tests.factories import PartyFactory, RestrictionBasisFactory
from tests.registry.conftest import last_working_day

pytestmark = pytest.mark.django_db

Status = Letter.Status
LIST = reverse("correspondence:letter-list")
NEW = reverse("correspondence:letter-new")


def url(name, obj):
    return reverse(f"correspondence:{name}", args=[obj.pk])


def reload(obj):
    obj.refresh_from_db()
    return obj


def pdf_text(fieldfile) -> str:
    with fieldfile.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    return " ".join(page.extract_text() for page in reader.pages)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def compose_data(
    *,
    addressees=(),
    subject="Vastus teabenõudele",
    body="Lugupeetud {{ addressee }}\n\nVastame Teie teabenõudele.",
    signer=None,
    series=None,
    template="",
    language="et",
    needs_approval=False,
    rows=3,
):
    """What the compose form posts: ``addressees`` are (party or typed text, channel) pairs."""
    data = {
        "template": template,
        "language": language,
        "subject": subject,
        "body": body,
        "signer": signer.pk if signer else "",
        "addressees-TOTAL_FORMS": str(rows),
        "addressees-INITIAL_FORMS": "0",
        "addressees-MIN_NUM_FORMS": "0",
        "addressees-MAX_NUM_FORMS": "5",
        "save": "1",
    }
    if series is not None:
        data["series"] = series.pk
    if needs_approval:
        data["needs_approval"] = "on"
    for index in range(rows):
        party, channel = addressees[index] if index < len(addressees) else ("", Channel.POST)
        data[f"addressees-{index}-party"] = party if isinstance(party, str) else party_label(party)
        data[f"addressees-{index}-party_id"] = ""
        data[f"addressees-{index}-channel"] = channel
    return data


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
    """Staff without any letter permission (an asset manager: sees the register only)."""
    return make_user(roles.ASSET_MANAGER, username="asset_manager")


@pytest.fixture
def ready_letter(make_letter, django_capture_on_commit_callbacks):
    """A draft by e-mail to the organisation whose PDF is made."""
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter()
    return reload(letter)


@pytest.fixture
def reply_template(advisor):
    return services.template_save(
        actor=advisor,
        code="teabenoude-vastus",
        language="et",
        name="Vastus teabenõudele",
        subject="Vastus teabenõudele nr {{ incoming_number }}",
        body=(
            "Lugupeetud {{ addressee }}\n\n"
            "Vastame Teie {{ incoming_date }} teabenõudele nr {{ incoming_number }} "
            "(Teie viit {{ their_reference }}).\n\n"
            "Lugupidamisega\n{{ signer }}"
        ),
        for_replies=True,
        is_active=True,
    )


# --- Composing a reply --------------------------------------------------------------------------


def test_the_reply_form_shows_what_is_answered_and_offers_its_sender(
    signed_in, information_request, person
):
    response = signed_in.get(NEW, {"reply_to": information_request.pk})

    assert response.status_code == 200
    text = response.text
    assert information_request.number in text
    assert "Teabenõue: ruumide üürilepingud" in text
    assert formats.date_format(information_request.deadline, "SHORT_DATE_FORMAT") in text
    assert "due in" in text or "due today" in text
    assert f'value="{party_label(person)}"' in text  # the first addressee: the sender
    assert 'name="series"' not in text  # a reply goes into the incoming document's series
    assert "{{ our_number }}" in text  # the placeholders are listed


def test_a_reply_gets_its_number_in_the_series_closes_the_deadline_and_gets_its_pdf(
    signed_in, clerk, information_request, person, django_capture_on_commit_callbacks
):
    data = compose_data(
        addressees=[(person, Channel.EMAIL)],
        subject="Vastus teabenõudele nr {{ incoming_number }}",
        body=(
            "Lugupeetud {{ addressee }}\n\n"
            "Vastame Teie teabenõudele nr {{ incoming_number }}: üürilepingud on lisatud, "
            "öösiti ärge helistage, õhtuti võib."
        ),
        signer=clerk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"{NEW}?reply_to={information_request.pk}", data)

    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("letter-detail", letter)
    assert letter.number.startswith("1-2/")
    assert letter.in_reply_to == information_request
    assert letter.document.series == information_request.series
    assert reload(information_request).status == Document.Status.ANSWERED
    assert letter.pdf_status == PdfStatus.READY
    text = pdf_text(letter.pdf)
    assert "Jüri Õunapuu" in text
    assert letter.number in text
    assert information_request.number in text
    assert formats.date_format(letter.document.registered_on, "SHORT_DATE_FORMAT") in text
    for letter_ in "õäöü":
        assert letter_ in text
    page = signed_in.get(response["Location"])
    assert f"registered as {letter.number}" in " ".join(messages_of(page))
    assert url("letter-pdf", letter) in page.text  # the PDF, shown in the page


def test_a_reply_to_a_document_the_user_may_not_see_is_refused(
    client, make_user, clerk, series, person
):
    hidden = registry_services.document_register(
        actor=clerk,
        series=series,
        doc_type=DocumentType.LETTER,
        channel=RegistryChannel.POST,
        title="Terviseandmed",
        received_on=last_working_day(),
        sender=person,
        restriction_basis=RestrictionBasisFactory(),
    )
    writer = make_user(roles.MTR_PROCESSOR, username="writer")  # may write letters, not see AK
    client.force_login(writer)

    assert client.get(NEW, {"reply_to": hidden.pk}).status_code == 404
    response = client.post(
        f"{NEW}?reply_to={hidden.pk}", compose_data(addressees=[(person, "post")], signer=writer)
    )
    assert response.status_code == 404
    assert not Letter.objects.exists()
    assert client.get(NEW, {"reply_to": "999999"}).status_code == 404


def test_a_letter_from_scratch_is_registered_in_the_chosen_series(
    signed_in, clerk, series, organisation
):
    data = compose_data(
        addressees=[(organisation, Channel.POST)],
        subject="Koosoleku kutse",
        body="Lugupeetud {{ addressee }}\n\nKutsume Teid koosolekule.",
        signer=clerk,
        series=series,
    )
    response = signed_in.post(NEW, data)

    letter = Letter.objects.get()
    assert response.status_code == 302
    assert letter.number.startswith("1-2/")
    assert letter.in_reply_to is None
    assert letter.subject == "Koosoleku kutse"
    dispatch = letter.dispatches.get()
    assert (dispatch.party, dispatch.channel, dispatch.address) == (
        organisation,
        Channel.POST,
        organisation.address,
    )


def test_the_template_fills_the_subject_and_text_without_saving(
    signed_in, clerk, information_request, person, reply_template
):
    data = compose_data(
        addressees=[(person, Channel.EMAIL)],
        subject="",
        body="",
        signer=clerk,
        template=reply_template.pk,
    )
    data.pop("save")
    data["use_template"] = "1"
    response = signed_in.post(f"{NEW}?reply_to={information_request.pk}", data)

    assert response.status_code == 200
    assert not Letter.objects.exists()
    form = response.context["form"]
    assert form["subject"].value() == f"Vastus teabenõudele nr {information_request.number}"
    body = form["body"].value()
    assert body.startswith("Lugupeetud Jüri Õunapuu")
    assert "JÕ-2026/7" in body
    assert response.context["formset"].forms[0]["party"].value() == party_label(person)
    assert not form.errors  # nothing was checked yet


def test_use_template_without_a_template_says_so(signed_in, clerk, series, organisation):
    data = compose_data(addressees=[(organisation, "post")], signer=clerk, series=series)
    data.pop("save")
    data["use_template"] = "1"
    response = signed_in.post(NEW, data)
    assert response.status_code == 200
    assert "Choose a template first." in messages_of(response)
    assert response.context["form"]["subject"].value() == "Vastus teabenõudele"  # kept


def test_more_addressees_shows_five_rows(signed_in, clerk, series, organisation):
    data = compose_data(addressees=[(organisation, "post")], signer=clerk, series=series)
    data.pop("save")
    data["more_rows"] = "1"
    response = signed_in.post(NEW, data)
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 5
    assert not Letter.objects.exists()


def test_errors_show_by_their_fields_and_keep_what_was_typed(signed_in, clerk, organisation):
    data = compose_data(
        addressees=[("Olematu Asutus", Channel.EMAIL)],
        subject="",
        body="Tere {{ tundmatu }}",
        signer=clerk,
    )
    response = signed_in.post(NEW, data)

    assert response.status_code == 200
    assert not Letter.objects.exists()
    form = response.context["form"]
    assert "series" in form.errors
    assert "subject" in form.errors
    assert form["body"].value() == "Tere {{ tundmatu }}"
    row = response.context["formset"].forms[0]
    assert "No party “Olematu Asutus”" in " ".join(row.errors["party"])
    assert row["party"].value() == "Olematu Asutus"


def test_a_letter_needs_an_addressee(signed_in, clerk, series):
    response = signed_in.post(NEW, compose_data(signer=clerk, series=series))
    assert response.status_code == 200
    assert "Add at least one addressee." in response.context["formset"].non_form_errors()
    assert not Letter.objects.exists()


def test_the_services_errors_show_on_the_addressees_and_the_text(signed_in, clerk, series):
    no_email = PartyFactory(name="Aadressita Äri OÜ", code="", email="", address="")
    data = compose_data(
        addressees=[(no_email, Channel.EMAIL)],
        body="Tere {{ tundmatu }}",
        signer=clerk,
        series=series,
    )
    response = signed_in.post(NEW, data)

    assert response.status_code == 200
    assert not Letter.objects.exists()
    assert "tundmatu" in " ".join(response.context["form"].errors["body"])
    data["body"] = "Tere"
    response = signed_in.post(NEW, data)
    errors = " ".join(response.context["formset"].non_form_errors())
    assert "Aadressita Äri OÜ has no e-mail address" in errors
    assert "has no e-mail address" in response.text
    assert not Letter.objects.exists()


def test_several_parties_of_one_name_are_offered_to_choose_from(signed_in, clerk, series):
    first = PartyFactory(name="Kask", code="", email="", address="Tartu mnt 1, Tallinn")
    second = PartyFactory(name="Kask", code="", email="", address="Riia 2, Tartu")
    data = compose_data(addressees=[("Kask", "post")], signer=clerk, series=series)
    response = signed_in.post(NEW, data)
    assert response.status_code == 200
    assert set(response.context["formset"].forms[0].candidates) == {first, second}

    data["addressees-0-party_id"] = str(second.pk)
    response = signed_in.post(NEW, data)
    assert response.status_code == 302
    assert Letter.objects.get().dispatches.get().party == second


def test_the_party_search_fills_the_addressees_list(signed_in, organisation):
    response = signed_in.get(
        reverse("correspondence:letter-party-search"), {"addressees-1-party": "Põhja"}
    )
    assert response.status_code == 200
    assert party_label(organisation) in response.text


# --- Editing ------------------------------------------------------------------------------------


def test_a_draft_can_be_changed(signed_in, clerk, make_letter, person):
    letter = make_letter()
    page = signed_in.get(url("letter-edit", letter))
    assert page.status_code == 200
    assert page.context["form"]["subject"].value() == letter.subject

    data = compose_data(
        addressees=[(person, Channel.POST)], subject="Uus teema", body="Uus tekst", signer=clerk
    )
    data.pop("language")
    response = signed_in.post(url("letter-edit", letter), data)

    assert response.status_code == 302
    letter = reload(letter)
    assert letter.subject == "Uus teema"
    assert [(d.party, d.channel) for d in letter.dispatches.all()] == [(person, Channel.POST)]


def test_a_letter_that_is_not_a_draft_cannot_be_changed(signed_in, clerk, make_letter):
    letter = make_letter()
    services.letter_submit(actor=clerk, letter=letter)
    response = signed_in.get(url("letter-edit", letter), follow=True)
    assert response.redirect_chain[-1][0] == url("letter-detail", letter)
    assert "Only a draft can be changed" in " ".join(messages_of(response))
    response = signed_in.post(url("letter-edit", letter), compose_data(signer=clerk))
    assert response.status_code == 302
    assert reload(letter).subject == "Teave koosoleku kohta"


# --- The letter's page and approval --------------------------------------------------------------


def test_the_page_says_the_pdf_is_being_made_and_polls_for_it(signed_in, make_letter):
    letter = make_letter()  # its PDF task did not run
    page = signed_in.get(url("letter-detail", letter))
    assert page.status_code == 200
    assert "The PDF is being made" in page.text
    assert "js/status-poll.js" in page.text
    assert url("letter-status", letter) in page.text
    assert "Koosolek toimub 5. detsembril" in page.text  # the text, meanwhile
    status = signed_in.get(url("letter-status", letter))
    assert status.json() == {"pdf_status": "pending", "status": "draft"}
    assert signed_in.get(url("letter-pdf", letter)).status_code == 404


def test_a_failed_pdf_shows_its_error(signed_in, make_letter):
    letter = make_letter()
    services.letter_render_failed(letter_id=letter.pk, error="WeasyPrint: font missing")
    page = signed_in.get(url("letter-detail", letter))
    assert "The PDF could not be made." in page.text
    assert "WeasyPrint: font missing" in page.text


def test_the_pdf_is_shown_inline_in_the_page(signed_in, ready_letter):
    response = signed_in.get(url("letter-pdf", ready_letter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = ready_letter.number.replace("/", "_") + ".pdf"
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_approval_submit_approve_send(
    client, clerk, head, make_letter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter(needs_approval=True)
    client.force_login(clerk)
    page = client.get(url("letter-detail", letter))
    assert url("letter-send", letter) not in page.text  # not before the approval
    refused = client.post(url("letter-send", letter), follow=True)
    assert reload(letter).status == Status.DRAFT
    assert refused.status_code == 200

    client.post(url("letter-submit", letter))
    assert reload(letter).status == Status.AWAITING_APPROVAL
    assert client.post(url("letter-approve", letter)).status_code == 403

    client.force_login(head)
    page = client.get(url("letter-detail", letter))
    assert url("letter-approve", letter) in page.text
    assert url("letter-send", letter) not in page.text  # the head approves, the clerk sends
    client.post(url("letter-approve", letter))
    letter = reload(letter)
    assert (letter.status, letter.approved_by) == (Status.APPROVED, head)

    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("letter-send", letter))
    assert response.status_code == 302
    assert reload(letter).status == Status.SENT
    assert len(mail.outbox) >= 1


def test_the_head_returns_a_letter_with_a_comment(
    english, clerk, head, make_letter, django_capture_on_commit_callbacks
):
    letter = make_letter(needs_approval=True)
    services.letter_submit(actor=clerk, letter=letter)
    english.force_login(head)

    response = english.post(url("letter-return", letter), {"return-comment": ""})
    assert response.status_code == 200
    assert response.context["forms"]["return"].errors["comment"]
    assert reload(letter).status == Status.AWAITING_APPROVAL

    response = english.post(
        url("letter-return", letter), {"return-comment": "Lisa viide määrusele."}
    )
    assert response.status_code == 302
    letter = reload(letter)
    assert (letter.status, letter.return_comment) == (Status.DRAFT, "Lisa viide määrusele.")
    english.force_login(clerk)
    assert "Lisa viide määrusele." in english.get(url("letter-detail", letter)).text
    assert "Lisa viide määrusele." in english.get(url("letter-edit", letter)).text


def test_cancel_needs_a_reason(signed_in, make_letter):
    letter = make_letter()
    response = signed_in.post(url("letter-cancel", letter), {"cancel-reason": ""})
    assert response.status_code == 200
    assert reload(letter).status == Status.DRAFT
    signed_in.post(url("letter-cancel", letter), {"cancel-reason": "Saadeti telefoni teel"})
    assert reload(letter).status == Status.CANCELLED
    page = signed_in.get(url("letter-detail", letter))
    assert url("letter-send", letter) not in page.text
    assert url("letter-cancel", letter) not in page.text


# --- Sending ------------------------------------------------------------------------------------


def test_sending_by_email_attaches_the_pdf(
    signed_in, ready_letter, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url("letter-send", ready_letter))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [organisation.email]
    assert ready_letter.number in message.subject
    name, content, content_type = message.attachments[0]
    assert (name, content_type) == (
        ready_letter.number.replace("/", "_") + ".pdf",
        "application/pdf",
    )
    assert content.startswith(b"%PDF")
    dispatch = ready_letter.dispatches.get()
    assert dispatch.status == Dispatch.Status.SENT
    assert reload(ready_letter).status == Status.SENT


def test_sending_by_post_puts_the_letter_on_todays_dispatch_list(
    signed_in, make_letter, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter(addressees=[services.Addressee(organisation, Channel.REGISTERED)])
    response = signed_in.post(url("letter-send", letter), follow=True)

    dispatch = letter.dispatches.get()
    expected = services.dispatch_list_for(timezone.localdate())
    assert dispatch.dispatch_list == expected
    assert dispatch.status == Dispatch.Status.WAITING
    assert reload(letter).status == Status.SENDING
    assert "dispatch list" in " ".join(messages_of(response))
    assert not mail.outbox
    # The tracking code of registered post, then the delivery notice.
    assert url("dispatch-tracking", dispatch) in response.text
    signed_in.post(
        url("dispatch-tracking", dispatch), {f"tracking-{dispatch.pk}-tracking_code": "x"}
    )
    assert reload(dispatch).tracking_code == ""
    signed_in.post(
        url("dispatch-tracking", dispatch),
        {f"tracking-{dispatch.pk}-tracking_code": "rr123456785ee"},
    )
    assert reload(dispatch).tracking_code == "RR123456785EE"
    services.dispatch_list_take(actor=letter.created_by, dispatch_list=expected)
    today = timezone.localdate()
    signed_in.post(
        url("dispatch-delivered", dispatch),
        {f"delivered-{dispatch.pk}-delivered_on": today.isoformat()},
    )
    assert (reload(dispatch).status, dispatch.delivered_on) == (Dispatch.Status.DELIVERED, today)


def test_post_that_comes_back_is_recorded(signed_in, clerk, make_letter, organisation):
    letter = make_letter(addressees=[services.Addressee(organisation, Channel.POST)])
    services.letter_render(letter_id=letter.pk)
    services.letter_send(actor=clerk, letter=letter)
    services.dispatch_list_take(
        actor=clerk, dispatch_list=services.dispatch_list_for(timezone.localdate())
    )
    dispatch = letter.dispatches.get()
    prefix = f"returned-{dispatch.pk}"
    response = signed_in.post(
        url("dispatch-returned", dispatch),
        {f"{prefix}-returned_on": timezone.localdate().isoformat(), f"{prefix}-reason": ""},
    )
    assert response.status_code == 200
    assert response.context["dispatches"][0].forms["returned"].errors["reason"]
    signed_in.post(
        url("dispatch-returned", dispatch),
        {f"{prefix}-returned_on": timezone.localdate().isoformat(), f"{prefix}-reason": "Kolinud"},
    )
    dispatch = reload(dispatch)
    assert (dispatch.status, dispatch.note) == (Dispatch.Status.RETURNED, "Kolinud")


def test_a_failing_mail_server_leaves_the_letter_failed_with_the_reason(
    signed_in, settings, monkeypatch, ready_letter, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2

    def disconnect(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("core.services.EmailMessage.send", disconnect)
    with django_capture_on_commit_callbacks(execute=False):  # the worker's part is below
        signed_in.post(url("letter-send", ready_letter))
    email = OutboundEmail.objects.get()
    job = Job.objects.get(key=core_services.email_job_key(email.pk))
    for _attempt in range(settings.OUTBOX_MAX_ATTEMPTS):  # the job and its retries
        Job.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            jobs.run(job.pk)
        if _attempt == 0:  # tried once: it is retried, the reason shows meanwhile
            page = signed_in.get(url("letter-detail", ready_letter))
            assert "Connection unexpectedly closed" in page.text
            assert reload(ready_letter).status == Status.SENDING

    dispatch = ready_letter.dispatches.get()
    assert dispatch.status == Dispatch.Status.FAILED
    assert "SMTPServerDisconnected" in dispatch.error
    assert dispatch.sent_at is None
    assert dispatch.outbound_email.status == OutboundEmail.Status.FAILED
    assert dispatch.outbound_email.attempts == 2
    assert reload(ready_letter).status == Status.FAILED
    assert not mail.outbox
    page = signed_in.get(url("letter-detail", ready_letter))
    assert "Connection unexpectedly closed" in page.text
    assert url("dispatch-retry", dispatch) in page.text

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url("dispatch-retry", dispatch))
    assert response.status_code == 302
    assert reload(dispatch).status == Dispatch.Status.SENT
    assert reload(ready_letter).status == Status.SENT
    assert len(mail.outbox) == 1


def test_only_a_failed_email_can_be_sent_again(signed_in, ready_letter):
    dispatch = ready_letter.dispatches.get()
    response = signed_in.post(url("dispatch-retry", dispatch), follow=True)
    assert "cannot be done" in " ".join(messages_of(response))
    assert reload(dispatch).status == Dispatch.Status.WAITING


# --- Signed containers --------------------------------------------------------------------------


def test_a_signed_container_is_kept_and_its_signers_listed(signed_in, ready_letter):
    data = make_asice()
    upload = SimpleUploadedFile("kiri.asice", data, content_type="application/vnd.etsi.asic-e+zip")
    response = signed_in.post(url("letter-sign", ready_letter), {"sign-container": upload})

    assert response.status_code == 302
    letter = reload(ready_letter)
    assert [(s["name"], s["code"]) for s in letter.container_signers] == [
        ("Mari Tamm", "38001085718")
    ]
    page = signed_in.get(url("letter-detail", letter))
    assert "Mari Tamm" in page.text
    assert "38001085718" in page.text
    download = signed_in.get(url("letter-container", letter))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert "attachment" in download["Content-Disposition"]


def test_a_tampered_container_is_refused(signed_in, ready_letter):
    upload = SimpleUploadedFile("kiri.asice", make_asice(tamper=True))
    response = signed_in.post(url("letter-sign", ready_letter), {"sign-container": upload})

    assert response.status_code == 200
    errors = " ".join(response.context["forms"]["sign"].errors["container"])
    assert "changed after it was signed" in errors
    assert not reload(ready_letter).container
    assert signed_in.get(url("letter-container", ready_letter)).status_code == 404


# --- The list -----------------------------------------------------------------------------------


def test_the_list_filters_and_searches(signed_in, clerk, make_letter, person, organisation):
    by_post = make_letter(
        subject="Kutse seminarile",
        addressees=[services.Addressee(person, Channel.POST)],
    )
    by_email = make_letter(subject="Teatis")
    services.letter_submit(actor=clerk, letter=by_email)

    def numbers(**query):
        response = signed_in.get(LIST, query)
        assert response.status_code == 200
        return {letter.number for letter in response.context["letters"]}

    assert numbers() == {by_post.number, by_email.number}
    assert numbers(channel="post") == {by_post.number}
    assert numbers(status="awaiting_approval") == {by_email.number}
    assert numbers(q="õunapuu") == {by_post.number}
    assert numbers(q="seminar") == {by_post.number}
    assert numbers(q=by_email.number) == {by_email.number}
    assert numbers(show="my_drafts") == {by_post.number}
    assert numbers(show="to_approve") == {by_email.number}
    today = timezone.localdate().isoformat()
    assert numbers(prepared_from=today, prepared_to=today) == {by_post.number, by_email.number}
    assert numbers(signer=clerk.pk) == {by_post.number, by_email.number}


def test_the_head_has_the_quick_filter_of_letters_awaiting_approval(english, head, make_letter):
    make_letter()
    english.force_login(head)
    response = english.get(LIST)
    assert "Awaiting my approval" in response.text
    assert "My drafts" not in response.text  # the head writes no letters


def test_the_list_runs_as_many_queries_for_30_letters_as_for_1(
    signed_in, make_letter, person, organisation, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_letter()
    signed_in.get(LIST)  # warm caches
    with CaptureQueriesContext(connection) as one:
        signed_in.get(LIST)
    for index in range(30):
        make_letter(
            subject=f"Kiri {index}",
            addressees=[
                services.Addressee(person, Channel.POST),
                services.Addressee(organisation, Channel.EMAIL),
            ],
        )
    with django_assert_max_num_queries(len(one)):
        response = signed_in.get(LIST)
    assert len(response.context["letters"]) == 25
    assert len(one) <= 12, [q["sql"] for q in one.captured_queries]


# --- The registered document's page --------------------------------------------------------------


def test_the_document_page_lists_its_letters_and_offers_a_reply(
    english, clerk, outsider, information_request, make_letter, person
):
    letter = make_letter(
        in_reply_to=information_request,
        series=None,
        addressees=[services.Addressee(person, Channel.EMAIL)],
        subject="Vastus teabenõudele",
    )
    english.force_login(clerk)
    page = english.get(reverse("registry:document-detail", args=[information_request.pk]))
    assert page.status_code == 200
    assert url("letter-detail", letter) in page.text
    assert "Vastus teabenõudele" in page.text
    assert f"{NEW}?reply_to={information_request.pk}" in page.text

    english.force_login(outsider)  # sees the register, not the letters
    page = english.get(reverse("registry:document-detail", args=[information_request.pk]))
    assert page.status_code == 200
    assert url("letter-detail", letter) not in page.text
    assert "Reply with a letter" not in page.text


# --- Access -------------------------------------------------------------------------------------


GET_VIEWS = [
    "letter-list",
    "letter-new",
    "letter-party-search",
    "letter-detail",
    "letter-edit",
    "letter-pdf",
    "letter-container",
    "letter-status",
]
POST_VIEWS = [
    "letter-submit",
    "letter-approve",
    "letter-return",
    "letter-cancel",
    "letter-sign",
    "letter-send",
    "dispatch-retry",
    "dispatch-tracking",
    "dispatch-delivered",
    "dispatch-returned",
]


def _target(name, letter):
    if name in ("letter-list", "letter-new", "letter-party-search"):
        return reverse(f"correspondence:{name}")
    if name.startswith("dispatch-"):
        return url(name, letter.dispatches.first())
    return url(name, letter)


@pytest.mark.parametrize("name", GET_VIEWS + POST_VIEWS)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, ready_letter, name):
    target = _target(name, ready_letter)
    response = client.post(target) if name in POST_VIEWS else client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", GET_VIEWS + POST_VIEWS)
def test_staff_without_letter_permissions_get_403(client, outsider, ready_letter, name):
    client.force_login(outsider)
    target = _target(name, ready_letter)
    response = client.post(target) if name in POST_VIEWS else client.get(target)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "letter-new",
        "letter-edit",
        "letter-party-search",
        "letter-submit",
        "letter-cancel",
        "letter-sign",
        "letter-send",
        "dispatch-retry",
        "dispatch-tracking",
    ],
)
def test_the_head_may_look_and_approve_but_not_write_or_send(client, head, ready_letter, name):
    client.force_login(head)
    target = _target(name, ready_letter)
    response = client.post(target) if name in POST_VIEWS else client.get(target)
    assert response.status_code == 403


def test_the_head_sees_the_list_the_page_and_the_pdf(client, head, ready_letter):
    client.force_login(head)
    for name in ("letter-list", "letter-detail", "letter-pdf", "letter-status"):
        assert client.get(_target(name, ready_letter)).status_code == 200, name


@pytest.mark.parametrize("name", ["letter-approve", "letter-return"])
def test_a_clerk_may_not_approve(client, clerk, ready_letter, name):
    services.letter_submit(actor=clerk, letter=ready_letter)
    client.force_login(clerk)
    assert client.post(url(name, ready_letter)).status_code == 403
    assert reload(ready_letter).status == Status.AWAITING_APPROVAL


def test_actions_are_post_only(signed_in, ready_letter):
    assert signed_in.get(url("letter-send", ready_letter)).status_code == 405
    assert signed_in.get(url("dispatch-retry", ready_letter.dispatches.get())).status_code == 405


# --- Letters of restricted documents ------------------------------------------------------------


def test_a_letter_answering_a_restricted_document_is_hidden_from_who_may_not_see_it(
    client, make_user, make_letter, series, person, advisor
):
    """The reply inherits the request's restriction; a colleague who may not see the request
    finds neither the letter in the list nor its page, PDF or status (404, as for no letter)."""
    secret = registry_services.document_register(
        actor=advisor,
        series=series,
        doc_type=DocumentType.LETTER,
        channel=RegistryChannel.EMAIL,
        title="Terviseandmetega pöördumine",
        received_on=timezone.localdate(),
        sender=person,
        restriction_basis=RestrictionBasisFactory(),
        responsible=advisor,
    )
    letter = make_letter(
        actor=advisor, signer=advisor, subject="Vastus terviseandmete kohta", in_reply_to=secret
    )
    colleague = make_user(roles.CLERK, username="colleague")

    client.force_login(colleague)
    listed = client.get(reverse("correspondence:letter-list"))
    assert listed.status_code == 200
    assert "Vastus terviseandmete kohta" not in listed.content.decode()
    for name in ("letter-detail", "letter-status", "letter-pdf"):
        assert client.get(reverse(f"correspondence:{name}", args=[letter.pk])).status_code == 404

    client.force_login(advisor)
    assert (
        "Vastus terviseandmete kohta"
        in client.get(reverse("correspondence:letter-list")).content.decode()
    )
    assert client.get(reverse("correspondence:letter-detail", args=[letter.pk])).status_code == 200
