"""SiVa's second opinion (correspondence.siva) against a stand-in SiVa: a real HTTP server on
127.0.0.1 answering ``POST /validate`` with SiVa's report; and what the letter makes of it."""

from __future__ import annotations

import base64
import socket

import pytest
from django.utils import translation

from correspondence import siva
from tests.correspondence.stand_ins import SivaStandIn, SivaState, siva_report, siva_signature


@pytest.fixture
def siva_server():
    state = SivaState(report=lambda request: (200, siva_report(siva_signature())))
    stand_in = SivaStandIn(state)
    yield stand_in
    stand_in.close()


def test_the_container_is_posted_as_siva_wants_it(siva_server, settings):
    settings.SIVA_URL = siva_server.url
    verdict = siva.validate(b"PK\x03\x04 container", filename="kiri.asice")
    [request] = siva_server.state.requests
    assert request == {
        "document": base64.b64encode(b"PK\x03\x04 container").decode(),
        "filename": "kiri.asice",
        "signaturePolicy": "POLv4",
    }
    assert verdict.status == "valid"
    [signature] = verdict.signatures
    assert (signature.signer, signature.code) == ("Mari Tamm", "38001085718")
    assert signature.trusted_time.isoformat() == "2026-11-20T09:15:05+00:00"
    assert signature.profile == "QESIG"


@pytest.mark.parametrize(
    ("signature", "status"),
    [
        (siva_signature("TOTAL-PASSED"), "valid"),
        (siva_signature("TOTAL-PASSED", warnings=("The trusted list has expired",)), "warnings"),
        (siva_signature("INDETERMINATE", sub_indication="TRY_LATER"), "indeterminate"),
        (
            siva_signature(
                "TOTAL-FAILED",
                sub_indication="HASH_FAILURE",
                errors=("The reference data object is not intact!",),
            ),
            "invalid",
        ),
    ],
)
def test_siva_indications_map_to_digidoc_verdicts(signature, status):
    verdict = siva.verdict_from_report(
        siva_report(signature)["validationReport"]["validationConclusion"]
    )
    assert verdict.status == status
    assert verdict.signatures[0].status == status


def test_siva_reasons_are_kept_and_shown_with_its_own_words():
    conclusion = siva_report(
        siva_signature(
            "TOTAL-FAILED",
            sub_indication="HASH_FAILURE",
            errors=("The reference data object is not intact!",),
        )
    )["validationReport"]["validationConclusion"]
    stored = siva.verdict_from_report(conclusion).as_dict()
    again = siva.signatures.Verdict.from_dict(stored)  # as it is read back from the letter
    with translation.override("en"):
        [reason] = again.signatures[0].reasons
    assert "HASH_FAILURE" in reason
    assert "not intact" in reason
    assert again.status == "invalid"


def test_a_report_without_signatures_is_invalid():
    conclusion = siva_report()["validationReport"]["validationConclusion"]
    assert siva.verdict_from_report(conclusion).status == "invalid"


def test_an_error_answer_of_siva_is_no_opinion(siva_server, settings):
    siva_server.state.report = lambda request: (500, {"requestErrors": [{"message": "boom"}]})
    settings.SIVA_URL = siva_server.url
    with pytest.raises(siva.SivaUnavailable, match="500"):
        siva.validate(b"x", filename="kiri.asice")


def test_an_unreadable_answer_of_siva_is_no_opinion(siva_server, settings):
    siva_server.state.report = lambda request: (200, {"something": "else"})
    settings.SIVA_URL = siva_server.url
    with pytest.raises(siva.SivaUnavailable):
        siva.validate(b"x", filename="kiri.asice")


def test_an_unreachable_siva_is_no_opinion(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SIVA_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(siva.SivaUnavailable):
        siva.validate(b"x", filename="kiri.asice")


def test_a_slow_siva_times_out(siva_server, settings):
    siva_server.state.delay = 2
    settings.SIVA_URL, settings.SIVA_TIMEOUT_SECONDS = siva_server.url, 0.3
    with pytest.raises(siva.SivaUnavailable):
        siva.validate(b"x", filename="kiri.asice")
