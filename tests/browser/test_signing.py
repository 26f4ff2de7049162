"""Signing a letter on the phone in headless Chromium: the signer starts Smart-ID signing on the
letter's page, sees the verification code, and the page's static poll script (CSP-safe, no
inline code) reloads it once the stand-in SiGa reports the signature, the portal having verified
and kept the signed container."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from correspondence import services
from correspondence.models import Channel, Letter
from tests.correspondence.stand_ins import SigaStandIn, SigaState
from tests.factories import PartyFactory, SeriesFactory
from tests.signing import build_container, pki, test_trust_store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = "0b7f3c4e-2a51-4f36-8a47-b0d5e1d2c901"
KEY = "browser-test-signing-key"


@pytest.fixture
def gateway(settings):
    stand_in = SigaStandIn(
        SigaState(
            service_uuid=UUID,
            signing_key=KEY,
            sign=lambda files, code: build_container(files, [pki().person("Mari", "Tamm", code)]),
            outstanding=2,
        )
    )
    settings.SIGA_URL, settings.SIGA_SERVICE_UUID, settings.SIGA_SIGNING_KEY = (
        stand_in.url,
        UUID,
        KEY,
    )
    settings.SIGNATURE_TRUST_STORE = test_trust_store()
    settings.SIVA_URL = ""
    yield stand_in
    stand_in.close()


@pytest.fixture
def letter(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mari = make_user(roles.CLERK, username="mari", first_name="Mari", last_name="Tamm")
    party = PartyFactory(name="OÜ Põhjarannik", code="", email="info@pohjarannik.example.ee")
    letter = services.letter_create(
        actor=mari,
        subject="Otsus",
        body="Lugupeetud {{ addressee }}\n\nOtsustame nii.",
        signer=mari,
        addressees=[services.Addressee(party, Channel.EMAIL)],
        series=SeriesFactory(code="1-2", title="Kirjavahetus"),
        needs_signature=True,
    )
    services.letter_render(letter_id=letter.pk)
    return mari, Letter.objects.get(pk=letter.pk)


def test_the_signer_signs_with_smart_id_and_the_page_follows(
    page, live_server, sign_in, letter, gateway, console_errors, serious_axe_violations
):
    mari, letter = letter
    sign_in(mari)
    page.goto(f"{live_server.url}{reverse('correspondence:letter-detail', args=[letter.pk])}")
    form = page.locator("details:has(#id_phone-person_code)")
    form.locator("summary").click()
    page.locator("#id_phone-person_code").fill("38001085718")
    form.locator("button[type=submit]").click()

    progress = page.locator("#signing-progress")
    expect(progress).to_contain_text("4321")  # the verification code the phone shows
    assert serious_axe_violations() == []
    # The static script asks every 3 s; the stand-in answers "outstanding" twice, then signed.
    expect(progress).to_have_count(0, timeout=20_000)
    expect(page.locator("#signed")).to_contain_text("Mari Tamm")
    letter.refresh_from_db()
    assert letter.is_signed
    assert letter.container_verdict["signer_match"] == "code"
    assert console_errors == []
