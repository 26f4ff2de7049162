"""The test containers and the verifier against implementations that are not ours.

``tests/signing`` builds the containers and ``core.signatures`` verifies them: if both read the
standards the same wrong way, every test would still pass. So the same containers go through
xmlsec1 (libxmlsec, the XML-DSig reference implementation: canonicalisation, SignatureValue,
every reference's digest, the file names' URL encoding) and OpenSSL (the RFC 3161 time-stamp
over the canonical SignatureValue, the OCSP response's signature and status). Whatever these
accept, the verifier accepts; what they refuse, it refuses. ``.ci/run`` installs xmlsec1.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from core.signatures import verify_container
from tests.signing import build_container, pki, trust_store

XMLSEC1, OPENSSL = shutil.which("xmlsec1"), shutil.which("openssl")
pytestmark = pytest.mark.skipif(
    not (XMLSEC1 and OPENSSL),
    reason="xmlsec1 and openssl are needed (Debian: xmlsec1 openssl; .ci/run installs them)",
)

NS = {"ds": "http://www.w3.org/2000/09/xmldsig#", "xades": "http://uri.etsi.org/01903/v1.3.2#"}
FILES = {"kiri.pdf": b"%PDF-1.4 vastus", "lisa 1 (koopia).txt": "Lisa õ ä ö ü".encode()}


def unpack(data: bytes, folder: Path) -> Path:
    zipfile.ZipFile(io.BytesIO(data)).extractall(folder)
    (folder / "trust.pem").write_bytes(pki().trust_pem())
    return folder / "META-INF" / "signatures0.xml"


def xmlsec_verifies(signature_file: Path) -> tuple[bool, str]:
    """xmlsec1's opinion of the XML signature: SignatureValue and every reference (the data
    files are read from the unpacked container, relative to the signature file's folder)."""
    result = subprocess.run(  # noqa: S603
        [
            XMLSEC1,
            "--verify",
            "--insecure",  # lets it read the data files the references name (no certificates)
            "--id-attr:Id",
            "SignedProperties",
            str(signature_file.relative_to(signature_file.parent.parent)),
        ],
        cwd=signature_file.parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode == 0, result.stdout + result.stderr


def openssl(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [OPENSSL, *arguments], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def write_tokens(signature_file: Path) -> Path:
    """The time-stamp, OCSP response and the canonical SignatureValue, as files for openssl."""
    folder = signature_file.parent.parent
    root = etree.parse(str(signature_file)).getroot()  # noqa: S320 (our own test file)
    token = root.find(".//xades:SignatureTimeStamp/xades:EncapsulatedTimeStamp", NS)
    if token is not None:
        (folder / "ts.der").write_bytes(base64.b64decode(token.text))
    value = root.find(".//ds:SignatureValue", NS)
    (folder / "value.c14n").write_bytes(etree.tostring(value, method="c14n"))
    (folder / "value.raw").write_bytes(base64.b64decode(value.text))
    ocsp = root.find(".//xades:EncapsulatedOCSPValue", NS)
    (folder / "ocsp.der").write_bytes(base64.b64decode(ocsp.text))
    return folder


@pytest.mark.parametrize(
    ("profile", "signer"), [("LT", "mari"), ("LT-TM", "jaan"), ("LTA", "jaan")]
)
def test_what_xmlsec1_and_openssl_accept_the_verifier_calls_valid(tmp_path, profile, signer):
    data = build_container(FILES, signers=[getattr(pki(), signer)], profile=profile)
    signature_file = unpack(data, tmp_path)

    ok, output = xmlsec_verifies(signature_file)
    assert ok, output
    assert "SignedInfo References (ok/all): 3/3" in output  # two files and the properties
    folder = write_tokens(signature_file)
    ocsp = openssl("ocsp", "-respin", "ocsp.der", "-CAfile", "trust.pem", "-resp_text", cwd=folder)
    assert "Response verify OK" in ocsp.stderr + ocsp.stdout
    assert "Cert Status: good" in ocsp.stdout
    if profile == "LT-TM":
        # BDOC 2.1 time-mark: the nonce is the DigestInfo of the SignatureValue's hash.
        digest = hashlib.sha256((folder / "value.raw").read_bytes()).hexdigest().upper()
        assert digest in ocsp.stdout.replace("\\\n", "").replace(" ", "").replace("\n", "")
    else:
        stamp = openssl(
            "ts", "-verify", "-in", "ts.der", "-token_in", "-data", "value.c14n",
            "-CAfile", "trust.pem", cwd=folder,
        )  # fmt: skip
        assert "Verification: OK" in stamp.stdout, stamp.stdout + stamp.stderr

    assert verify_container(data, trust=trust_store()).status == "valid"


@pytest.mark.parametrize("tamper", ["signature_value", "key_info", "file", "signed_properties"])
def test_what_xmlsec1_refuses_the_verifier_calls_invalid(tmp_path, tamper):
    data = build_container(FILES, profile="LT", tamper=tamper)
    ok, output = xmlsec_verifies(unpack(data, tmp_path))
    assert not ok, output
    assert verify_container(data, trust=trust_store()).status == "invalid"


def test_a_time_stamp_over_something_else_is_refused_by_openssl_and_the_verifier(tmp_path):
    data = build_container(FILES, profile="LT", tamper="timestamp_imprint")
    folder = write_tokens(unpack(data, tmp_path))
    stamp = openssl(
        "ts", "-verify", "-in", "ts.der", "-token_in", "-data", "value.c14n",
        "-CAfile", "trust.pem", cwd=folder,
    )  # fmt: skip
    assert "Verification: OK" not in stamp.stdout
    assert verify_container(data, trust=trust_store()).status == "invalid"


def test_a_revocation_openssl_reads_as_revoked_is_invalid(tmp_path):
    data = build_container(FILES, profile="LT", ocsp_status="revoked")
    folder = write_tokens(unpack(data, tmp_path))
    ocsp = openssl("ocsp", "-respin", "ocsp.der", "-CAfile", "trust.pem", "-resp_text", cwd=folder)
    assert "Cert Status: revoked" in ocsp.stdout
    assert verify_container(data, trust=trust_store()).status == "invalid"
