"""The signing-gateway client (correspondence.siga) against a stand-in SiGa: a real HTTP server on
127.0.0.1 that checks each request's HMAC headers as SiGa does and speaks its JSON."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from correspondence import siga
from tests.correspondence.stand_ins import SigaStandIn, SigaState

UUID = "a7fd7728-a3ea-4975-a077-f2c1a3f7b3a2"
KEY = "746573745365637265744b6579303031"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def gateway():
    state = SigaState(
        service_uuid=UUID,
        signing_key=KEY,
        sign=lambda files, person: b"signed:" + person.encode() + b":" + b"|".join(files.values()),
    )
    stand_in = SigaStandIn(state)
    yield stand_in
    stand_in.close()


def client_for(gateway, *, key: str = KEY, timeout: float = 5) -> siga.SigaClient:
    return siga.SigaClient(url=gateway.url, service_uuid=UUID, signing_key=key, timeout=timeout)


def test_a_smart_id_signing_goes_through_with_signed_requests(gateway):
    client = client_for(gateway)
    container_id = client.create_container(name="kiri.asice", files={"kiri.pdf": b"%PDF-1.7 x"})
    assert gateway.state.containers[container_id]["files"] == {"kiri.pdf": b"%PDF-1.7 x"}

    started = client.start_smart_id(container_id, person_code="38001085718", message="Sign 1-2")
    assert started.challenge == "4321"
    signing = gateway.state.containers[container_id]["signing"]
    assert signing["request"] == {
        "personIdentifier": "38001085718",
        "country": "EE",
        "signatureProfile": "LT",
        "messageToDisplay": "Sign 1-2",
    }
    assert client.smart_id_status(container_id, started.signature_id) == siga.OUTSTANDING
    assert client.smart_id_status(container_id, started.signature_id) == siga.SIGNED
    name, data = client.get_container(container_id)
    assert (name, data) == ("kiri.asice", b"signed:38001085718:%PDF-1.7 x")
    client.delete_container(container_id)
    assert container_id not in gateway.state.containers
    # every request was signed and the HMAC was right (the uri below the context path /siga)
    assert [authorised for _m, _u, authorised in gateway.state.requests] == [True] * 6
    assert gateway.state.requests[0][:2] == ("POST", "/containers")


def test_mobile_id_sends_the_phone_number_and_the_language(gateway):
    client = client_for(gateway)
    container_id = client.create_container(name="kiri.asice", files={"kiri.pdf": b"%PDF"})
    started = client.start_mobile_id(
        container_id, person_code="60001019906", phone="+37200000766", language="ru"
    )
    request = gateway.state.containers[container_id]["signing"]["request"]
    assert request["phoneNo"] == "+37200000766"
    assert request["language"] == "RUS"
    assert request["personIdentifier"] == "60001019906"
    assert client.mobile_id_status(container_id, started.signature_id) == siga.OUTSTANDING


def test_a_wrong_signing_key_is_refused_with_a_clear_message(gateway):
    client = client_for(gateway, key="wrong-key")
    with pytest.raises(siga.SigaError) as caught:
        client.create_container(name="kiri.asice", files={"kiri.pdf": b"%PDF"})
    assert caught.value.status == 401
    assert "credentials" in caught.value.message
    assert gateway.state.refused == 1
    assert not gateway.state.containers


def test_a_refusal_of_the_gateway_carries_its_reason(gateway):
    client = client_for(gateway)
    with pytest.raises(siga.SigaError) as caught:
        client.smart_id_status("no-such-container", "sig-1")
    assert caught.value.status == 400
    assert caught.value.code == "RESOURCE_NOT_FOUND_EXCEPTION"
    assert "No container" in caught.value.message


def test_an_unreachable_gateway_is_an_error_not_a_hang():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = siga.SigaClient(
        url=f"http://127.0.0.1:{port}/siga", service_uuid=UUID, signing_key=KEY, timeout=2
    )
    with pytest.raises(siga.SigaError, match="cannot be reached"):
        client.create_container(name="kiri.asice", files={"kiri.pdf": b"%PDF"})


def test_a_slow_gateway_times_out():
    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            release.wait(5)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = siga.SigaClient(
        url=f"http://127.0.0.1:{server.server_address[1]}",
        service_uuid=UUID,
        signing_key=KEY,
        timeout=0.5,
    )
    started = time.monotonic()
    try:
        with pytest.raises(siga.SigaError, match="cannot be reached"):
            client.create_container(name="kiri.asice", files={"kiri.pdf": b"%PDF"})
    finally:
        release.set()
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 3


def test_a_gateway_address_must_be_http():
    with pytest.raises(siga.SigaError):
        siga.SigaClient(url="file:///etc/passwd", service_uuid=UUID, signing_key=KEY)


def test_signing_on_the_phone_is_off_without_settings(settings):
    settings.SIGA_URL = ""
    assert not siga.is_configured()
    settings.SIGA_URL, settings.SIGA_SERVICE_UUID, settings.SIGA_SIGNING_KEY = (
        "https://siga.example",
        UUID,
        KEY,
    )
    assert siga.is_configured()
