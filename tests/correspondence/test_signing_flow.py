"""Letters that must be signed: the signed container's real verification (tests/signing builds
really signed containers, checked against the test PKI), the guard on sending, the letter's page,
signing on the phone through a stand-in SiGa, and SiVa's second opinion from a stand-in SiVa."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from core import roles
from correspondence import services, signing
from correspondence.models import Letter, LetterTemplate, SigningSession
from correspondence.services.sending import _queue_email
from tests.correspondence.containers import make_asice
from tests.correspondence.stand_ins import (
    SigaStandIn,
    SigaState,
    SivaStandIn,
    SivaState,
    siva_report,
    siva_signature,
)
from tests.signing import build_container, pki

MARI = ("Mari", "Tamm", "38001085718")
UUID = "5d2b1e0e-7b2d-4c4e-9d55-4a7cbd0b6a11"
KEY = "kantselei-test-signing-key"


def url(name, obj):
    return reverse(f"correspondence:{name}", args=[obj.pk])


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def upload(data: bytes, name: str = "kiri.asice") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/vnd.etsi.asic-e+zip")


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English here (the pages in English by the client's cookie)."""
    with translation.override("en"):
        yield


@pytest.fixture
def mari(make_user):
    """The signer: a clerk named as the test PKI's Mari Tamm."""
    return make_user(
        roles.CLERK, username="mari", first_name="Mari", last_name="Tamm", email="mari@x.ee"
    )


@pytest.fixture
def to_sign(make_letter, mari, django_capture_on_commit_callbacks):
    """A letter Mari must sign, its PDF made, to go by e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        letter = make_letter(signer=mari, needs_signature=True)
    return reload(letter)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


# --- Which letters need a signature -------------------------------------------------------------


def test_official_answers_and_template_letters_need_a_signature_by_default(
    make_letter, information_request, clerk, advisor
):
    assert make_letter(in_reply_to=information_request).needs_signature
    assert not make_letter().needs_signature
    decision = LetterTemplate.objects.create(
        code="otsus", name="Otsus", subject="Otsus", body="Otsustan.", needs_signature=True
    )
    assert make_letter(template=decision).needs_signature
    notice = LetterTemplate.objects.create(
        code="teade", name="Teade", subject="Teade", body="Teatame.", for_replies=True
    )
    assert not make_letter(template=notice, in_reply_to=information_request).needs_signature
    assert not make_letter(in_reply_to=information_request, needs_signature=False).needs_signature


def test_a_letter_awaiting_signature_is_not_sent_until_its_signer_signs_it(
    to_sign, clerk, django_capture_on_commit_callbacks
):
    assert to_sign.awaits_signature
    assert list(Letter.objects.awaiting_signature()) == [to_sign]
    with pytest.raises(ValidationError, match="needs its signer's signature"):
        services.letter_send(actor=clerk, letter=to_sign)
    assert reload(to_sign).status == Letter.Status.DRAFT

    data = make_asice(signers=(MARI,))
    letter, warnings = services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(data)
    )
    assert warnings == []
    letter = reload(letter)
    assert letter.is_signed
    assert not letter.awaits_signature
    assert not Letter.objects.awaiting_signature().exists()
    assert letter.container_verdict["status"] == "valid"
    assert letter.container_verdict["signer_match"] == "name"
    assert letter.container_verdict["local"]["signatures"][0]["signer"] == "Mari Tamm"
    assert letter.container_checked_at is not None
    assert [s["name"] for s in letter.container_signers] == ["Mari Tamm"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_send(actor=clerk, letter=letter)
    [(name, content, _type)] = mail.outbox[0].attachments
    assert (name, content) == ("kiri.asice", data)


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("file", "changed after it was signed"),
        ("signature_value", "signature value does not match"),
        ("key_info", "signature value does not match"),  # another person's certificate
    ],
)
def test_a_forged_container_is_refused_with_the_reasons(to_sign, clerk, tamper, reason):
    data = build_container({"kiri.pdf": b"%PDF-1.4 kiri"}, [pki().person(*MARI)], tamper=(tamper,))
    with pytest.raises(ValidationError) as refused:
        services.letter_attach_container(actor=clerk, letter=to_sign, uploaded=upload(data))
    message = " ".join(refused.value.messages)
    assert "not valid" in message
    assert reason in message
    letter = reload(to_sign)
    assert not letter.container
    assert letter.container_verdict == {}


def test_a_container_whose_signature_cannot_be_confirmed_is_refused(to_sign, clerk):
    """Signed by a certificate of a CA the trust store does not hold: DigiDoc's
    "indeterminate"; it cannot be sent as signed."""
    data = build_container({"kiri.pdf": b"%PDF-1.4 kiri"}, [pki().stranger])
    with pytest.raises(ValidationError, match="cannot be confirmed") as refused:
        services.letter_attach_container(actor=clerk, letter=to_sign, uploaded=upload(data))
    assert "issuer is not trusted" in " ".join(refused.value.messages)
    assert not reload(to_sign).container


def test_a_container_with_warnings_is_kept_with_them(to_sign, clerk):
    data = build_container({"kiri.pdf": b"%PDF-1.4 kiri"}, [pki().person(*MARI)], digest="sha1")
    letter, warnings = services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(data)
    )
    assert reload(letter).container_verdict["status"] == "warnings"
    assert any("SHA-1" in warning for warning in warnings)
    assert reload(letter).is_signed


def test_a_container_signed_by_another_person_is_kept_with_a_warning(to_sign, clerk):
    data = make_asice(signers=(("Jaan", "Kask", "37605030299"),))
    letter, warnings = services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(data)
    )
    letter = reload(letter)
    assert letter.is_signed  # names compared only: a warning, not a refusal
    assert letter.container_verdict["signer_match"] == "none"
    assert any("Mari Tamm" in w and "Jaan Kask" in w for w in warnings)


def test_a_stored_verdict_that_is_not_valid_stops_the_dispatch(
    to_sign, clerk, organisation, django_capture_on_commit_callbacks
):
    services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(make_asice(signers=(MARI,)))
    )
    # the stored verdict no longer valid (a container kept before verification, or tampered)
    Letter.objects.filter(pk=to_sign.pk).update(container_verdict={"status": "invalid"})
    letter = reload(to_sign)
    assert not letter.is_signed
    with pytest.raises(ValidationError, match="not confirmed as valid"):
        services.letter_send(actor=clerk, letter=letter)
    dispatch = letter.dispatches.get()
    with pytest.raises(ValidationError, match="not confirmed as valid"):
        _queue_email(letter, dispatch)  # the e-mail step checks again
    assert not mail.outbox


def test_a_container_kept_before_verification_is_checked_again(to_sign, clerk):
    services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(make_asice(signers=(MARI,)))
    )
    Letter.objects.filter(pk=to_sign.pk).update(
        container_verdict={}, container_signers=[], container_checked_at=None
    )
    letter = reload(to_sign)
    assert not letter.is_signed
    assert letter.verdict_status == ""
    services.letter_check_container(actor=clerk, letter=letter)
    letter = reload(letter)
    assert letter.is_signed
    assert [s["name"] for s in letter.container_signers] == ["Mari Tamm"]


def test_the_migration_forgets_signers_that_were_never_verified(to_sign, clerk):
    import importlib

    from django.apps import apps

    services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(make_asice(signers=(MARI,)))
    )
    Letter.objects.filter(pk=to_sign.pk).update(container_verdict={})
    migration = importlib.import_module("correspondence.migrations.0003_letter_signatures_verified")
    migration.forget_unverified_signers(apps, None)
    assert reload(to_sign).container_signers == []
    assert reload(to_sign).container  # the container itself stays


def test_a_removed_container_leaves_the_letter_awaiting_signature(to_sign, clerk):
    services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(make_asice(signers=(MARI,)))
    )
    services.letter_remove_container(actor=clerk, letter=to_sign)
    letter = reload(to_sign)
    assert not letter.container
    assert letter.container_verdict == {}
    assert letter.awaits_signature


# --- The letter's page and the list -------------------------------------------------------------


def test_the_page_shows_each_verified_signature_in_digidocs_words(english, clerk, to_sign):
    english.force_login(clerk)
    page = english.get(url("letter-detail", to_sign))
    assert "Awaiting signature" in page.text
    assert "Signed digitally" not in page.text

    data = build_container({"kiri.pdf": b"%PDF-1.4 kiri"}, [pki().person(*MARI)], digest="sha1")
    response = english.post(url("letter-sign", to_sign), {"sign-container": upload(data)})
    assert response.status_code == 302
    page = english.get(url("letter-detail", to_sign))
    assert "Signed digitally" in page.text
    assert "Awaiting signature" not in page.text
    assert "Mari Tamm" in page.text
    assert "Valid with warnings" in page.text
    assert "SHA-1" in page.text
    verdict = page.context["verdict"]
    [row] = verdict["signatures"]
    assert row["trusted_time"] is not None
    shown_time = dateformat.format(timezone.localtime(row["trusted_time"]), "c")
    assert f'<time datetime="{shown_time}">' in page.text


def test_an_invalid_upload_is_refused_on_the_page_in_the_users_language(english, clerk, to_sign):
    english.force_login(clerk)
    data = make_asice(signers=(MARI,), tamper=True)
    response = english.post(url("letter-sign", to_sign), {"sign-container": upload(data)})
    assert response.status_code == 200
    errors = " ".join(response.context["forms"]["sign"].errors["container"])
    assert "changed after it was signed" in errors
    assert "Signed digitally" not in response.text


def test_the_list_filters_letters_awaiting_signature(english, clerk, to_sign, make_letter):
    other = make_letter(subject="Teade")
    english.force_login(clerk)
    listed = english.get(reverse("correspondence:letter-list"), {"signature": "awaiting"})
    assert [letter.pk for letter in listed.context["letters"]] == [to_sign.pk]
    assert "Awaiting signature" in listed.text
    services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(make_asice(signers=(MARI,)))
    )
    signed = english.get(reverse("correspondence:letter-list"), {"signature": "signed"})
    assert [letter.pk for letter in signed.context["letters"]] == [to_sign.pk]
    assert other.pk not in [letter.pk for letter in signed.context["letters"]]


def test_the_send_button_says_why_it_waits_for_the_signature(english, clerk, to_sign):
    english.force_login(clerk)
    page = english.get(url("letter-detail", to_sign))
    assert 'aria-describedby="send-unsigned"' in page.text
    response = english.post(url("letter-send", to_sign), follow=True)
    assert "needs its signer" in response.text
    assert reload(to_sign).status == Letter.Status.DRAFT


# --- Signing on the phone through SiGa ----------------------------------------------------------


@pytest.fixture
def gateway(settings):
    def sign(files: dict[str, bytes], person_code: str) -> bytes:
        given, surname = {"38001085718": ("Mari", "Tamm")}.get(person_code, ("Jaan", "Kask"))
        return build_container(files, [pki().person(given, surname, person_code)])

    stand_in = SigaStandIn(SigaState(service_uuid=UUID, signing_key=KEY, sign=sign))
    settings.SIGA_URL, settings.SIGA_SERVICE_UUID, settings.SIGA_SIGNING_KEY = (
        stand_in.url,
        UUID,
        KEY,
    )
    yield stand_in
    stand_in.close()


def test_the_signer_signs_with_smart_id_and_the_container_is_verified_and_kept(
    english, mari, to_sign, gateway, django_capture_on_commit_callbacks
):
    english.force_login(mari)
    page = english.get(url("letter-detail", to_sign))
    assert "Sign with Smart-ID or Mobile-ID" in page.text
    response = english.post(
        url("letter-sign-phone", to_sign),
        {"phone-method": "smartid", "phone-person_code": "38001085718", "phone-phone": ""},
    )
    assert response.status_code == 302
    session = SigningSession.objects.get(letter=to_sign)
    assert session.status == SigningSession.Status.PENDING
    [container] = gateway.state.containers.values()
    assert container["files"] == {f"{to_sign.number.replace('/', '_')}.pdf": to_sign.pdf.read()}
    page = english.get(url("letter-detail", to_sign))
    assert "4321" in page.text  # the verification code
    assert "js/status-poll.js" in page.text

    status = english.get(url("signing-status", session)).json()
    assert status["status"] == "pending"  # the phone has not answered yet
    with django_capture_on_commit_callbacks(execute=True):
        status = english.get(url("signing-status", session)).json()
    assert status == {"status": "signed", "error": ""}
    letter = reload(to_sign)
    assert letter.is_signed
    assert letter.container_verdict["signer_match"] == "code"
    assert letter.container_signers[0]["code"] == "38001085718"
    assert not gateway.state.containers  # deleted at the gateway afterwards
    assert all(authorised for _m, _u, authorised in gateway.state.requests)
    page = english.get(url("letter-detail", to_sign))
    assert "Signed digitally" in page.text


def test_mobile_id_cancelled_on_the_phone_ends_the_signing_with_the_reason(
    english, mari, to_sign, gateway
):
    gateway.state.outstanding, gateway.state.final_status = 0, "USER_CANCEL"
    english.force_login(mari)
    english.post(
        url("letter-sign-phone", to_sign),
        {
            "phone-method": "mobileid",
            "phone-person_code": "38001085718",
            "phone-phone": "5123 4567",
        },
    )
    session = SigningSession.objects.get(letter=to_sign)
    assert session.phone == "+37251234567"
    response = english.post(url("signing-check", session), follow=True)
    assert "cancelled the signing" in response.text
    assert reload(session).status == SigningSession.Status.FAILED
    assert not reload(to_sign).container


def test_a_container_signed_with_another_personal_code_is_not_kept(to_sign, mari, gateway):
    gateway.state.outstanding = 0
    gateway.state.sign = lambda files, person: build_container(
        files, [pki().person("Jaan", "Kask", "37605030299")]
    )
    session = signing.signing_start(
        actor=mari, letter=to_sign, method="smartid", person_code="38001085718"
    )
    session = signing.signing_poll(session_id=session.pk)
    assert session.status == SigningSession.Status.FAILED
    assert "38001085718" in session.error
    assert not reload(to_sign).container


def test_only_the_letters_signer_may_sign_on_the_phone(english, clerk, to_sign, gateway):
    english.force_login(clerk)  # may change the letter, but is not its signer
    page = english.get(url("letter-detail", to_sign))
    assert "Sign with Smart-ID or Mobile-ID" not in page.text
    response = english.post(
        url("letter-sign-phone", to_sign),
        {"phone-method": "smartid", "phone-person_code": "38001085718"},
        follow=True,
    )
    assert "cannot be done" in response.text
    assert not SigningSession.objects.exists()
    assert not gateway.state.containers
    session = signing.signing_start(
        actor=to_sign.signer, letter=to_sign, method="smartid", person_code="38001085718"
    )
    assert english.get(url("signing-status", session)).status_code == 404  # not theirs
    assert english.post(url("signing-cancel", session)).status_code == 404
    assert reload(session).status == SigningSession.Status.PENDING


def test_a_wrong_personal_code_is_refused_before_the_gateway_is_asked(to_sign, mari, gateway):
    with pytest.raises(ValidationError):
        signing.signing_start(actor=mari, letter=to_sign, method="smartid", person_code="123")
    assert not gateway.state.requests


def test_signing_on_the_phone_is_not_offered_without_the_gateway(english, mari, to_sign):
    english.force_login(mari)
    page = english.get(url("letter-detail", to_sign))
    assert "Sign with Smart-ID or Mobile-ID" not in page.text


def test_the_background_poll_waits_and_then_keeps_the_container(to_sign, mari, gateway):
    gateway.state.outstanding = 1
    session = signing.signing_start(
        actor=mari, letter=to_sign, method="smartid", person_code="38001085718"
    )
    with pytest.raises(signing.StillWaiting):
        signing.poll_job(session_id=session.pk)
    signing.poll_job(session_id=session.pk)
    assert reload(session).status == SigningSession.Status.SIGNED
    signing.poll_job(session_id=session.pk)  # again: nothing twice
    assert reload(to_sign).is_signed


def test_a_gateway_refusing_the_portals_key_is_said_plainly(english, mari, to_sign, gateway):
    gateway.state.signing_key = "another-key"
    english.force_login(mari)
    response = english.post(
        url("letter-sign-phone", to_sign),
        {"phone-method": "smartid", "phone-person_code": "38001085718"},
    )
    assert response.status_code == 200
    assert "refused the portal" in response.text
    assert not SigningSession.objects.exists()


# --- SiVa's second opinion ----------------------------------------------------------------------


@pytest.fixture
def siva_server(settings):
    stand_in = SivaStandIn(SivaState(report=lambda request: (200, siva_report(siva_signature()))))
    settings.SIVA_URL = stand_in.url
    yield stand_in
    stand_in.close()


def test_siva_agreeing_is_kept_as_the_second_opinion(to_sign, clerk, siva_server):
    data = make_asice(signers=(MARI,))
    services.letter_attach_container(actor=clerk, letter=to_sign, uploaded=upload(data))
    [request] = siva_server.state.requests
    assert request["filename"] == "kiri.asice"
    verdict = reload(to_sign).container_verdict
    assert verdict["status"] == "valid"
    assert verdict["siva"]["signatures"][0]["signer"] == "Mari Tamm"


def test_the_worse_of_the_local_and_sivas_verdicts_counts(to_sign, clerk, siva_server):
    siva_server.state.report = lambda request: (
        200,
        siva_report(
            siva_signature(
                "TOTAL-FAILED",
                sub_indication="REVOKED_NO_POE",
                errors=("The certificate is revoked!",),
            )
        ),
    )
    data = make_asice(signers=(MARI,))  # valid by the portal's own check
    with pytest.raises(ValidationError) as refused:
        services.letter_attach_container(actor=clerk, letter=to_sign, uploaded=upload(data))
    assert "REVOKED_NO_POE" in " ".join(refused.value.messages)
    assert not reload(to_sign).container


def test_siva_down_falls_back_to_the_local_verdict_with_a_note(to_sign, clerk, siva_server):
    siva_server.state.report = lambda request: (503, {"message": "down for maintenance"})
    letter, warnings = services.letter_attach_container(
        actor=clerk, letter=to_sign, uploaded=upload(make_asice(signers=(MARI,)))
    )
    letter = reload(letter)
    assert letter.is_signed
    assert letter.container_verdict["siva"] is None
    assert any("SiVa could not be asked" in warning for warning in warnings)
