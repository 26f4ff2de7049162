"""The agency's e-seal (core/seal.py): a real PAdES signature made with pyHanko from a PKCS#12
written by the test (tests/seal_pki.py), checked back with pyHanko's validator trusting only the
test CA; B-T with a real RFC 3161 server on localhost; the system check of a bad seal, also
through ``manage.py check --deploy``; and no code path importing the broken ``oscrypto``."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from core import checks, pdf, seal
from tests.seal_pki import make_pki
from tests.test_deploy import PRODUCTION, run_manage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PASSWORD = "seal-password"


@pytest.fixture(scope="module")
def pki():
    return make_pki()


@pytest.fixture
def seal_file(pki, tmp_path):
    return pki.seal_pkcs12(tmp_path / "e-seal.p12", PASSWORD)


@pytest.fixture
def sealing(settings, seal_file):
    settings.SEAL_PKCS12_FILE = str(seal_file)
    settings.SEAL_PKCS12_PASSWORD = PASSWORD
    settings.SEAL_TIMESTAMP_URL = ""
    return settings


def a_pdf(text: str = "Otsus õäöü") -> bytes:
    return pdf.html_to_pdf(f"<h1>{text}</h1>")


def validate(content: bytes, pki, *, tsa: bool = False):
    """pyHanko's verdict on the only signature of ``content``, trusting the test CA only."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    [signature] = PdfFileReader(io.BytesIO(content)).embedded_signatures
    context = ValidationContext(trust_roots=[pki.asn1(pki.ca_cert)], allow_fetching=False)
    return signature, validate_pdf_signature(
        signature, context, ts_validation_context=context if tsa else None
    )


# --- Sealing ---------------------------------------------------------------------------------


def test_nothing_configured_means_no_seal(settings):
    settings.SEAL_PKCS12_FILE = ""
    assert not seal.is_configured()
    content = a_pdf()
    assert seal.seal_if_configured(content) == content
    with pytest.raises(seal.SealError):
        seal.seal_pdf(content)


def test_a_sealed_pdf_is_an_intact_valid_trusted_pades_signature_of_the_agency(sealing, pki):
    content = a_pdf()

    sealed = seal.seal_pdf(content, reason="MTR decision")

    assert sealed.startswith(content)  # an incremental update: the rendered bytes are kept
    signature, status = validate(sealed, pki)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.field_name == seal.FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES baseline
    assert signature.sig_object["/Reason"] == "MTR decision"
    assert signature.sig_object["/Name"] == sealing.AGENCY_NAME
    assert status.signing_cert.subject.native["common_name"] == "Näidisamet e-seal"
    assert "Otsus õäöü" in PdfReader(io.BytesIO(sealed)).pages[0].extract_text()


def test_a_changed_byte_breaks_the_seal(sealing, pki):
    sealed = bytearray(seal.seal_pdf(a_pdf()))
    assert sealed[9:10] == b"%"  # the binary comment line after the header: readers skip it
    sealed[11] ^= 0x01
    _signature, status = validate(bytes(sealed), pki)
    assert not status.intact
    assert not status.bottom_line


def test_a_seal_from_another_ca_is_not_trusted(sealing):
    _signature, status = validate(seal.seal_pdf(a_pdf()), make_pki())
    assert status.intact
    assert not status.trusted


def test_sealing_a_sealed_pdf_again_changes_nothing(sealing, pki):
    sealed = seal.seal_pdf(a_pdf())
    assert seal.is_sealed(sealed)
    assert seal.seal_pdf(sealed) == sealed
    assert len(PdfReader(io.BytesIO(sealed)).get_fields() or {}) == 1


def test_render_pdf_tells_the_template_whether_it_is_sealed(sealing, settings, pki, tmp_path):
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "sealtest.html").write_text(
        "<p>{% if sealed %}SEALED{% else %}NOT SEALED{% endif %}</p>", encoding="utf-8"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    sealed = pdf.render_pdf("sealtest.html", seal=True)
    plain = pdf.render_pdf("sealtest.html")  # an internal report: never sealed
    settings.SEAL_PKCS12_FILE = ""
    unconfigured = pdf.render_pdf("sealtest.html", seal=True)

    assert "SEALED" in PdfReader(io.BytesIO(sealed)).pages[0].extract_text()
    assert validate(sealed, pki)[1].bottom_line
    for content in (plain, unconfigured):
        assert "NOT SEALED" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert not seal.is_sealed(content)


def test_a_wrong_password_fails_loudly(sealing):
    sealing.SEAL_PKCS12_PASSWORD = "wrong"
    with pytest.raises(seal.SealError, match="password"):
        seal.seal_pdf(a_pdf())


# --- B-T: a time stamp from a real RFC 3161 server on localhost ------------------------------


@pytest.fixture
def tsa_url(pki):
    """An HTTP time-stamping authority (RFC 3161) answering with pyHanko's TSA logic, signed
    by the test PKI's time-stamping unit."""
    from asn1crypto import keys, tsp
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=pki.asn1(pki.tsa_cert),
        tsa_key=keys.PrivateKeyInfo.load(
            pki.tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers["Content-Type"])
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", requests
    finally:
        server.shutdown()
        server.server_close()


def test_with_a_time_stamping_authority_the_seal_is_pades_b_t(sealing, pki, tsa_url):
    url, requests = tsa_url
    sealing.SEAL_TIMESTAMP_URL = url

    sealed = seal.seal_pdf(a_pdf())

    # pyHanko asks once to size the signature, then for the real time stamp.
    assert requests
    assert set(requests) == {"application/timestamp-query"}
    _signature, status = validate(sealed, pki, tsa=True)
    assert status.bottom_line
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact
    assert status.timestamp_validity.valid
    assert status.timestamp_validity.trusted


def test_an_unreachable_time_stamping_authority_fails_the_seal(sealing):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sealing.SEAL_TIMESTAMP_URL = f"http://127.0.0.1:{port}/tsa"
    sealing.SEAL_TIMESTAMP_TIMEOUT = 2
    with pytest.raises(seal.SealError, match="time-stamping"):
        seal.seal_pdf(a_pdf())


# --- The system check ----------------------------------------------------------------------


def check_ids() -> list[str]:
    return [message.id for message in checks.check_seal()]


def test_no_seal_configured_passes_the_check(settings):
    settings.SEAL_PKCS12_FILE = ""
    assert check_ids() == []


def test_a_readable_seal_passes_the_check(sealing):
    assert check_ids() == []


def test_a_wrong_password_is_a_check_error(sealing):
    sealing.SEAL_PKCS12_PASSWORD = "not-the-password"
    [error] = checks.check_seal()
    assert error.id == "core.E110"
    assert "password" in error.msg
    assert error.is_serious()


def test_a_missing_or_garbage_seal_file_is_a_check_error(sealing, tmp_path):
    sealing.SEAL_PKCS12_FILE = str(tmp_path / "nowhere.p12")
    assert check_ids() == ["core.E110"]
    garbage = tmp_path / "garbage.p12"
    garbage.write_bytes(b"not a pkcs12 file")
    sealing.SEAL_PKCS12_FILE = str(garbage)
    assert check_ids() == ["core.E110"]


def test_an_expired_seal_is_an_error_and_one_about_to_expire_a_warning(settings, tmp_path):
    settings.SEAL_PKCS12_PASSWORD = PASSWORD
    settings.SEAL_PKCS12_FILE = str(
        make_pki(seal_expired=True).seal_pkcs12(tmp_path / "old.p12", PASSWORD)
    )
    assert check_ids() == ["core.E111"]
    settings.SEAL_PKCS12_FILE = str(
        make_pki(seal_valid_days=10).seal_pkcs12(tmp_path / "soon.p12", PASSWORD)
    )
    assert check_ids() == ["core.W112"]


def test_check_deploy_reports_a_configured_but_unreadable_seal(seal_file):
    wrong = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        SEAL_PKCS12_FILE=str(seal_file),
        SEAL_PKCS12_PASSWORD="wrong",
    )
    assert wrong.returncode != 0
    assert "core.E110" in wrong.stdout + wrong.stderr

    right = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        SEAL_PKCS12_FILE=str(seal_file),
        SEAL_PKCS12_PASSWORD=PASSWORD,
    )
    assert right.returncode == 0, right.stdout + right.stderr


# --- oscrypto ----------------------------------------------------------------------------------


def test_sealing_and_checking_never_import_oscrypto(seal_file, tmp_path):
    """oscrypto 1.3.0 comes with pyHanko but fails on this OpenSSL: a fresh interpreter seals,
    validates and runs the check, and oscrypto is never imported."""
    script = textwrap.dedent(
        f"""
        import io, os, sys
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        os.environ["SEAL_PKCS12_FILE"] = {str(seal_file)!r}
        os.environ["SEAL_PKCS12_PASSWORD"] = {PASSWORD!r}
        import django
        django.setup()
        from asn1crypto import x509
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
        from core import checks, pdf, seal
        assert checks.check_seal() == []
        sealed = seal.seal_pdf(pdf.html_to_pdf("<p>x</p>"))
        [sig] = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
        root = sig.signer_cert  # validity only needs a context with explicit roots
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        assert validate_pdf_signature(sig, context).intact
        print(sorted(name for name in sys.modules if name.startswith("oscrypto")))
        """
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **PRODUCTION},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
